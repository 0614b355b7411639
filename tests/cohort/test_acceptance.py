"""Issue 19's "Done when": a cohort played through the app by two cadres and a nutrition officer.

Three posyandu (Melati and Mawar in desa Bojong Nangka, cadre 1; Anggrek in Cikeas, cadre 2),
40 mother-baby pairs followed from February to September 2026 with visits, absences, a
duplicate caught and merged and visits resent by the phones' queues. The register, the
coverage of August 2026, the certificates and who sees what are checked against figures
worked out by hand below.

Two groups of babies:

- R, born 1 February 2026: six completed months on 1 August, so in August's completion
  figure (b) and in no August register indicator (a) (no day of August at 0-5 months);
  visited in months 0-5 on the 3rd of February ... July.
- Y, born 20 April 2026: month 4 is 20 August - 19 September, visited on the 22nd of April ...
  September; in August's register indicator (a).

Patterns (√ = eksklusif, X = parsial/predominan, A = did not come, . = no record):

    pattern   months 0-5   Melati Mawar Anggrek  August figure
    full      √√√√√√        3      2     3       (b) completed
    x3        √√√X√√        1      2     1       (b) not exclusive
    gap       √√.√√√        1      1     1       (b) gaps (month 2 not confirmed)
    gapok     √√.√√√        1      0     1       (b) completed (month 3: "nothing else since the last visit")
    absent5   √√√√√A        1      1     1       (b) gaps (no visit in month 5)
    y_ok      √√√√√√        4      3     4       (a) came, breast milk only (month 5 in September: ignored)
    y_x       √X√√√.        1      1     1       (a) came, not exclusive
    y_absent  √√√√A.        1      1     1       (a) A: left out of n, counted apart
    y_none    √√√√..        1      1     1       (a) not recorded in August
    total                   14     12    14      = 40 pairs

By hand, August 2026:
(a) n = y_ok + y_x = 11 + 3 = 14, k = y_ok = 11; absent 3; not recorded 3.
    Melati 4/5, Mawar 3/4, Anggrek 4/5; desa Bojong 7/9, Cikeas 4/5.
(b) reached = 8+4+3+2+3 = 20; completed = full + gapok = 10; not exclusive = x3 = 4;
    n = 14, gaps = gap + absent5 = 6. Melati 4/5 (gaps 2), Mawar 2/4 (gaps 2), Anggrek 4/5 (gaps 2).
Wilson 95% (R: prop.test(k, n, correct = FALSE)$conf.int):
    11/14: 0.5241077 0.9242861      10/14: 0.4535092 0.8827862
Visits stored: 8x6 + 4x6 + 3x5 + 2x5 + 3x6 + 11x6 + 3x5 + 3x5 + 3x4 = 223, and the merged
duplicate's one visit = 224.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from analysis.coverage import add_months
from app.extensions import db
from app.models import AuditLog
from app.models.cohort import CohortCertificate, CohortPair, CohortVisit
from tests.cohort import visit_body
from tests.conftest import EducatorActions, csrf_from

NAMES = (
    "Siti Aminah,Dewi Lestari,Rina Marlina,Wati Suryani,Nur Hasanah,Ani Rahmawati,Yuli Astuti,"
    "Fitri Handayani,Ratna Sari,Lia Kurniasih,Euis Komariah,Tuti Alawiyah,Neneng Hayati,Iis Sumiati,"
    "Dedeh Kurnia,Popon Maryam,Enok Jubaedah,Cucu Cahyati,Imas Masitoh,Lilis Suryati,Yanti Mulyani,"
    "Eli Nurlela,Heni Purnamasari,Susi Susanti,Mega Wulandari,Ayu Puspita,Desi Ratnasari,Intan Permata,"
    "Kiki Amalia,Novi Anggraeni,Putri Ramadhani,Sari Oktaviani,Tika Rosdiana,Umi Kalsum,Vina Melinda,"
    "Winda Apriyani,Yeni Fatimah,Zahra Nabila,Maya Sopiah,Elis Rohaeti"
).split(",")
R_BIRTH, Y_BIRTH = date(2026, 2, 1), date(2026, 4, 20)
#: pattern: (birth, {month: kind}); kind ok | parsial | predominan | absent | ok_confirmed
PATTERNS = {
    "full": (R_BIRTH, dict.fromkeys(range(6), "ok")),
    "x3": (R_BIRTH, {0: "ok", 1: "ok", 2: "ok", 3: "parsial", 4: "ok", 5: "ok"}),
    "gap": (R_BIRTH, {0: "ok", 1: "ok", 3: "ok", 4: "ok", 5: "ok"}),
    "gapok": (R_BIRTH, {0: "ok", 1: "ok", 3: "ok_confirmed", 4: "ok", 5: "ok"}),
    "absent5": (R_BIRTH, {0: "ok", 1: "ok", 2: "ok", 3: "ok", 4: "ok", 5: "absent"}),
    "y_ok": (Y_BIRTH, dict.fromkeys(range(6), "ok")),
    "y_x": (Y_BIRTH, {0: "ok", 1: "predominan", 2: "ok", 3: "ok", 4: "ok"}),
    "y_absent": (Y_BIRTH, {0: "ok", 1: "ok", 2: "ok", 3: "ok", 4: "absent"}),
    "y_none": (Y_BIRTH, {0: "ok", 1: "ok", 2: "ok", 3: "ok"}),
}
#: pairs per pattern in (Melati, Mawar, Anggrek)
COUNTS = {
    "full": (3, 2, 3),
    "x3": (1, 2, 1),
    "gap": (1, 1, 1),
    "gapok": (1, 0, 1),
    "absent5": (1, 1, 1),
    "y_ok": (4, 3, 4),
    "y_x": (1, 1, 1),
    "y_absent": (1, 1, 1),
    "y_none": (1, 1, 1),
}
MARKS = {
    "full": "√√√√√√",
    "x3": "√√√X√√",
    "gap": "√√ √√√",
    "gapok": "√√ √√√",
    "absent5": "√√√√√A",
    "y_ok": "√√√√√ ",
    "y_x": "√X√√√ ",
    "y_absent": "√√√√A ",
    "y_none": "√√√√  ",
}


def keep(path, name: str) -> None:
    """E2E_SCREENSHOTS=dir keeps the PDFs for a person to look at (as the browser tests keep screenshots)."""
    if os.environ.get("E2E_SCREENSHOTS"):
        shutil.copy(path, os.path.join(os.environ["E2E_SCREENSHOTS"], name))


def login(app, username, password):
    actions = EducatorActions(app.test_client(), username, password)
    actions.login()
    return actions.client


def register_pair(client, posyandu_id, name, birth, **extra):
    page = client.get("/cohort/pairs/new")
    data = {
        "csrf_token": csrf_from(page.text),
        "posyandu": str(posyandu_id),
        "mother_name": name,
        "mother_phone": "0813 1111 2222",
        "baby_name": "Bayi " + name.split()[0],
        "baby_sex": "L",
        "birth_date": birth.isoformat(),
        "cadre": "0",
        "consent_followup": "y",
        "consent_whatsapp": "y",
    }
    data.update(extra)
    return client.post("/cohort/pairs/new", data=data)


def visit_json(kind: str, day: date, key: str) -> dict:
    if kind == "absent":
        return {"client_key": key, "visit_date": day.isoformat(), "came": "no"}
    body = visit_body(key, day)
    if kind == "parsial":
        body["recall_24h"] = ["formula"]
    elif kind == "predominan":
        body["recall_24h"] = ["water"]
    elif kind == "ok_confirmed":
        body["other_since_last"] = "no"
    return body


@pytest.fixture
def played(app, places):
    """The cohort played through the HTTP routes; returns the clients and the pairs by pattern."""
    cadre = {1: login(app, "kader1", "rahasia-k1"), 2: login(app, "kader2", "rahasia-k2")}
    token = {n: csrf_from(c.get("/cohort/").text) for n, c in cadre.items()}
    posyandu = [(places.melati, 1), (places.mawar, 1), (places.anggrek, 2)]
    names = iter(NAMES)
    pairs: dict[str, list[tuple[int, int, str]]] = {p: [] for p in PATTERNS}
    resent = 0
    for pattern, counts in COUNTS.items():
        birth, months = PATTERNS[pattern]
        for (place, who), count in zip(posyandu, counts, strict=True):
            for _ in range(count):
                name = next(names)
                response = register_pair(cadre[who], place.id, name, birth)
                assert response.status_code == 302, (name, response.status_code)
                pair_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
                pairs[pattern].append((pair_id, who, name))
                for month, kind in months.items():
                    day = add_months(birth, month) + timedelta(days=2)
                    body = visit_json(kind, day, f"p{pair_id}-m{month}-visit")
                    url = f"/cohort/pairs/{pair_id}/visits.json"
                    headers = {"X-CSRFToken": token[who]}
                    first = cadre[who].post(url, json=body, headers=headers)
                    assert first.status_code == 200 and first.json["created"], first.json
                    if month == 1:  # the phone lost the answer and its queue sent the visit again
                        again = cadre[who].post(url, json=body, headers=headers)
                        assert again.status_code == 200 and again.json["created"] is False
                        resent += 1
    assert resent == 40
    # A duplicate: cadre 1 registers Siti Aminah (full, Melati) again at Mawar (same desa) as "Ny. Siti Aminah".
    original_id, _, original_name = pairs["full"][0]
    caught = register_pair(cadre[1], places.mawar.id, "Ny. Siti Aminah", R_BIRTH)
    assert caught.status_code == 409 and original_name in caught.text
    anyway = register_pair(cadre[1], places.mawar.id, "Ny. Siti Aminah", R_BIRTH, confirm_new="y")
    duplicate_id = int(anyway.headers["Location"].rstrip("/").split("/")[-1])
    body = visit_json("ok", R_BIRTH + timedelta(days=5), "dup-visit-month-0")
    assert (
        cadre[1]
        .post(f"/cohort/pairs/{duplicate_id}/visits.json", json=body, headers={"X-CSRFToken": token[1]})
        .status_code
        == 200
    )
    page = cadre[1].get(f"/cohort/pairs/{original_id}")
    assert "Ny. Siti Aminah" in page.text
    merged = cadre[1].post(
        f"/cohort/pairs/{original_id}/merge",
        data={"csrf_token": csrf_from(page.text), "duplicate": str(duplicate_id)},
    )
    assert merged.status_code == 302
    return {
        "cadre": cadre,
        "token": token,
        "pairs": pairs,
        "duplicate_id": duplicate_id,
        "original_id": original_id,
    }


def test_the_cohort_through_the_app(app, places, played, tmp_path):
    pairs = played["pairs"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CohortPair.id))) == 40
    assert db.session.scalar(select(func.count(CohortVisit.id))) == 224
    merge = db.session.scalar(select(AuditLog).where(AuditLog.action == "cohort.pair_merge"))
    assert merge.detail == {
        "kept_id": played["original_id"],
        "merged_id": played["duplicate_id"],
        "visits_moved": 1,
    }

    # Each cadre sees only her own pairs; the nutrition officer sees all 40.
    cadre1, cadre2 = played["cadre"][1], played["cadre"][2]
    tpg = login(app, "tpg", "rahasia-tp")
    everyone = [(pid, who, name) for group in pairs.values() for pid, who, name in group]
    pages = {1: cadre1.get("/cohort/").text, 2: cadre2.get("/cohort/").text, "tpg": tpg.get("/cohort/").text}
    for pid, who, name in everyone:
        assert name in pages[who] and name not in pages[3 - who], name
        assert name in pages["tpg"]
        other = cadre2 if who == 1 else cadre1
        assert other.get(f"/cohort/pairs/{pid}").status_code == 404
    intruder = cadre2.post(
        f"/cohort/pairs/{pairs['y_none'][0][0]}/visits.json",
        json=visit_json("ok", date(2026, 8, 22), "intruder-visit-1"),
        headers={"X-CSRFToken": played["token"][2]},
    )
    assert intruder.status_code == 404
    assert sum(1 for _, who, _ in everyone if who == 1) == 26

    # The register (Excel, with names) as of August: one row per baby, marks by pattern.
    xlsx = tpg.get("/cohort/report.xlsx?period=2026-08&names=1")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.data))
    sheet = book["Register"]
    rows = {r[3]: "".join(m or " " for m in r[8:14]) for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert len(rows) == 40
    for pattern, group in pairs.items():
        for _, _, name in group:
            assert rows[name] == MARKS[pattern], (pattern, name, rows[name])

    # The recap: coverage of August by hand (module docstring).
    recap = {r[0]: r[1:] for r in book["Rekap"].iter_rows(min_row=2, values_only=True) if r and r[0]}
    #          came  k  %         CI   A  reached completed %  gaps
    assert recap["Puskesmas Bojong Nangka"][:2] == (14, 11) and recap["Puskesmas Bojong Nangka"][4] == 3
    assert recap["Puskesmas Bojong Nangka"][5:7] == (20, 10) and recap["Puskesmas Bojong Nangka"][8] == 6
    assert recap["Puskesmas Bojong Nangka"][3] == "52,4–92,4%"  # R: 0.5241077 0.9242861
    expected = {
        "Posyandu Melati": (5, 4, 1, 7, 4, 2),
        "Posyandu Mawar": (4, 3, 1, 6, 2, 2),
        "Posyandu Anggrek": (5, 4, 1, 7, 4, 2),
        "Desa Bojong Nangka": (9, 7, 2, 13, 6, 4),
        "Desa Cikeas": (5, 4, 1, 7, 4, 2),
    }
    for place, (came, k, absent, reached, completed, gaps) in expected.items():
        row = recap[place]
        assert (row[0], row[1], row[4], row[5], row[6], row[8]) == (
            came,
            k,
            absent,
            reached,
            completed,
            gaps,
        ), place
    page = tpg.get("/cohort/coverage?period=2026-08").text
    assert "78.6%" in page and "71.4%" in page  # 11/14 and 10/14
    assert "45.4–88.3%" in page  # R: 0.4535092 0.8827862

    # The register PDF renders, with names only when asked for.
    pdf = tpg.get("/cohort/report.pdf?period=2026-08&names=1")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    path = tmp_path / "register.pdf"
    path.write_bytes(pdf.data)
    keep(path, "cohort-register.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "PENCATATAN PEMBERIAN ASI EKSKLUSIF" in text and "Siti Aminah" in text and "Pengelola Gizi" in text
    anonymous = tpg.get("/cohort/report.pdf?period=2026-08").data
    path.write_bytes(anonymous)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Siti Aminah" not in text and "K-0" in text

    # Certificates: issued for full and gapok (10), refused for x3, gap and absent5 (10); y_ok babies
    # (six months on 20 October, every month √ with September's visit) have completed too (11).
    token = csrf_from(tpg.get("/cohort/certificates").text)
    outcomes = {}
    for pattern in ("full", "gapok", "x3", "gap", "absent5", "y_ok"):
        for pid, _, _ in pairs[pattern]:
            response = tpg.post(f"/cohort/pairs/{pid}/certificate", data={"csrf_token": token})
            outcomes.setdefault(pattern, set()).add(response.status_code)
    assert outcomes == {
        "full": {302},
        "gapok": {302},
        "x3": {409},
        "gap": {409},
        "absent5": {409},
        "y_ok": {302},
    }
    db.session.expire_all()
    numbers = sorted(db.session.scalars(select(CohortCertificate.number)))
    assert numbers == list(range(1, 22))
    batch = tpg.get("/cohort/certificates.pdf")
    path.write_bytes(batch.data)
    keep(path, "cohort-certificates.pdf")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           21" in info
    # Revoked with a reason: out of the batch, and the public check says so.
    cert = db.session.scalar(select(CohortCertificate).order_by(CohortCertificate.number))
    code = cert.code
    assert app.test_client().get(f"/cohort/c/{code}").status_code == 200
    refused = tpg.post(f"/cohort/certificates/{cert.id}/revoke", data={"csrf_token": token, "reason": ""})
    assert refused.status_code == 400
    assert (
        tpg.post(
            f"/cohort/certificates/{cert.id}/revoke", data={"csrf_token": token, "reason": "Salah data"}
        ).status_code
        == 302
    )
    path.write_bytes(tpg.get("/cohort/certificates.pdf").data)
    assert (
        "Pages:           20"
        in subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    )
    assert "dicabut" in app.test_client().get(f"/cohort/c/{code}").text
