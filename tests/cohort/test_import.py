"""Import of a re-keyed paper register: row/column messages, all or nothing; the Excel export neutralises formulas."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models.cohort import CohortPair, CohortVisit
from tests.conftest import EducatorActions, csrf_from

HEADER = ["posyandu", "nama_ibu", "nama_bayi", "jenis_kelamin", "tanggal_lahir"] + [
    f"bulan_{m}" for m in range(6)
]


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, body: bytes, name="register.xlsx", consent=True):
    page = client.get("/cohort/import")
    data = {"csrf_token": csrf_from(page.text), "data_file": (io.BytesIO(body), name)}
    if consent:
        data["consent"] = "y"
    return client.post("/cohort/import", data=data, content_type="multipart/form-data")


def counts():
    db.session.expire_all()
    return db.session.scalar(select(func.count(CohortPair.id))), db.session.scalar(
        select(func.count(CohortVisit.id))
    )


def login(app):
    actions = EducatorActions(app.test_client(), "kader1", "rahasia-k1")
    actions.login()
    return actions.client


def test_a_good_register_is_imported_with_its_marks(app, places):
    client = login(app)
    body = xlsx(
        [
            ["Melati", "Ibu Euis", "Dede", "P", "2026-02-01", "√", "v", "", "X", "A", "√"],
            ["mawar", "Ibu Popon", "", "L", "15/03/2026", "√", "√", "√", None, None, None],
        ]
    )
    response = upload(client, body)
    assert response.status_code == 302
    assert counts() == (2, 8)  # Euis: 5 marks, Popon: 3
    page = client.get("/cohort/").text
    assert "Ibu Euis" in page and "Ibu Popon" in page
    euis = db.session.scalar(select(CohortPair).where(CohortPair.mother_name == "Ibu Euis"))
    from app.services import cohort

    assert cohort.register_row(euis) == ["√", "√", "", "X", "A", "√"]


def test_problems_are_named_by_row_and_column_and_nothing_is_written(app, places):
    client = login(app)
    body = xlsx(
        [
            ["Melati", "Ibu Euis", "Dede", "P", "2026-02-01", "√", "ok", "", "", "", ""],
            ["Anggrek", "Ibu Lain", "", "L", "2026-02-01", "", "", "", "", "", ""],
            ["Melati", "Ibu Tiga", "", "Q", "2099-01-01", "", "", "", "", "", ""],
        ]
    )
    response = upload(client, body)
    assert response.status_code == 422
    text = response.text
    assert (
        "register.xlsx: baris 2, kolom &#39;bulan_1&#39;, nilai &#39;ok&#39;: tulis √, X, A atau kosongkan"
        in text
    )
    assert "baris 3, kolom &#39;posyandu&#39;, nilai &#39;Anggrek&#39;: bukan posyandu Anda" in text
    assert "baris 4, kolom &#39;jenis_kelamin&#39;, nilai &#39;Q&#39;" in text
    assert (
        "baris 4, kolom &#39;tanggal_lahir&#39;, nilai &#39;2099-01-01&#39;: tanggal lahir di masa depan"
        in text
    )
    assert counts() == (0, 0)
    missing = upload(client, b"posyandu,nama_ibu\nMelati,Ibu A\n", name="r.csv")
    assert missing.status_code == 422 and "kolom &#39;nama_bayi&#39;: kolom tidak ada" in missing.text
    assert upload(client, xlsx([]), consent=False).status_code == 422
    assert counts() == (0, 0)


def test_the_register_export_neutralises_formulas(app, places):
    client = login(app)
    body = xlsx([["Melati", "-2+3 Rina", "@bayi", "P", "2026-02-01", "√", "", "", "", "", ""]])
    assert upload(client, body).status_code == 302
    tpg = EducatorActions(app.test_client(), "tpg", "rahasia-tp")
    tpg.login()
    book = load_workbook(io.BytesIO(tpg.client.get("/cohort/report.xlsx?period=2026-03&names=1").data))
    row = next(book["Register"].iter_rows(min_row=5, values_only=True))
    assert row[2] == "'@bayi" and row[3] == "'-2+3 Rina"
