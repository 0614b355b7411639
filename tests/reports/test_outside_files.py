"""Files lecturers already have (a Google Forms recap, an Excel sheet of percents) read as they have them."""

from __future__ import annotations

import io
import re
import statistics

import pytest
from openpyxl import Workbook

from analysis.format import format_number
from analysis.io import read_session_file
from tests.conftest import csrf_from
from tests.reports.readback import pdf_text
from tests.reports.test_upload_and_cli import refused, upload, upload_bytes

AGES = [19, 22, 24, 27, 29, 31, 33, 35, 38, 41, 26, 30]
PRE = [3, 4, 5, 4, 6, 5, 3, 4, 5, 6, 2, 4]
POST = [7, 8, 9, 8, 9, 8, 6, 8, 9, 10, 6, 7]


def google_forms_recap() -> str:
    """A Google Forms quiz recap pasted into one sheet: timestamp, e-mail, Indonesian headers, '5 / 10'."""
    lines = ["Timestamp,Email Address,Nama,Umur,Pendidikan,Pretest,Posttest"]
    for i, (age, a, b) in enumerate(zip(AGES, PRE, POST, strict=True)):
        lines.append(
            f"2026/10/0{1 + i % 3} 9:{10 + i}:00 AM GMT+7,ibu{i}@contoh.id,Ibu {i + 1},{age},"
            f"{'SMA' if i % 2 else 'SMP'},{a} / 10,{b} / 10"
        )
    return "\n".join(lines) + "\n"


def test_a_google_forms_recap_is_read_as_it_is(app, educator_client, tmp_path):
    path = tmp_path / "rekap.csv"
    path.write_text(google_forms_recap(), encoding="utf-8")
    data = read_session_file(path)
    assert data.participants[0] == "Ibu 1"
    assert data.pre.tolist() == [10.0 * v for v in PRE]  # "3 / 10" is 30 of 100
    assert set(data.characteristics) == {"Umur", "Pendidikan"}  # no Timestamp, no e-mail

    response = upload(educator_client.client, google_forms_recap(), "rekap.csv")
    assert response.status_code == 200, response.text[:800]
    text = " ".join(pdf_text(response.data).split())
    assert "Timestamp" not in text and "@contoh.id" not in text and "GMT" not in text
    table1 = text.split("Tabel 1")[1].split("Tabel 2")[0]
    mean, sd = statistics.mean(AGES), statistics.stdev(AGES)
    shown = f"rerata ± SD {format_number(mean, 1)} ± {format_number(sd, 1)} (min–maks 19–41)"
    assert shown in table1  # ages summarised, not listed value by value
    assert "20–35" in table1 and "< 20" in table1 and " 27 " not in table1
    mean_pre = sum(PRE) * 10 / len(PRE)
    assert f"{mean_pre:.2f}".replace(".", ",") in text


def percent_workbook(values_pre, values_post) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Nama", "Pre-test", "Post-test"])
    for i, (a, b) in enumerate(zip(values_pre, values_post, strict=True)):
        ws.append([f"Ibu {i + 1}", a, b])
        ws.cell(ws.max_row, 2).number_format = "0%"
        ws.cell(ws.max_row, 3).number_format = "0%"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FRACTIONS_PRE = [0.4, 0.5, 0.6, 0.3, 0.5, 0.45, 0.7, 0.55]
FRACTIONS_POST = [0.8, 0.9, 0.85, 0.7, 0.75, 0.9, 1.0, 0.8]


def test_percent_formatted_fractions_are_refused_with_the_reason_in_indonesian(app, educator_client):
    text = refused(educator_client.client, percent_workbook(FRACTIONS_PRE, FRACTIONS_POST), "nilai.xlsx")
    assert "semua nilai antara 0 dan 1" in text and "80% di Excel" in text


def test_percent_formatted_fractions_are_rescaled_when_asked(app, educator_client):
    content = percent_workbook(FRACTIONS_PRE, FRACTIONS_POST)
    response = upload_bytes(educator_client.client, content, "nilai.xlsx", rescale_fractions="y")
    assert response.status_code == 200, response.text[:800]
    text = pdf_text(response.data)
    mean_post = 100 * sum(FRACTIONS_POST) / len(FRACTIONS_POST)
    assert f"{mean_post:.2f}".replace(".", ",") in text
    assert "tidak efektif" not in text.lower().replace("n-gain (%) untuk efektivitas", "")


def test_the_messages_follow_the_interface_language(app, educator_client):
    client = educator_client.client
    bad = "Nama,Pretest,Posttest\nIbu A,50,80\nIbu B,abc,70\n"
    assert "baris 3, kolom &#39;Pretest&#39;, nilai &#39;abc&#39;: bukan angka" in refused(client, bad)
    client.get("/lang/en")
    assert "row 3, column &#39;Pretest&#39;, value &#39;abc&#39;: is not a number" in refused(client, bad)


def test_unknown_headers_get_a_column_mapping_step_that_keeps_the_file(app, educator_client):
    client = educator_client.client
    odd = "Siapa,Nilai awal,Nilai akhir\nIbu A,50,80\nIbu B,40,70\nIbu C,60,90\n"
    page = refused(client, odd, "aneh.csv")
    assert "kolom peserta tidak ditemukan" in page
    assert '<option value="Nilai awal">Nilai awal</option>' in page
    kept = re.search(r'name="kept_file"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="kept_file"', page
    )
    assert kept
    second = client.post(
        "/reports/upload",
        data={
            "csrf_token": csrf_from(page),
            "title": "Kelas ASI",
            "max_score": "100",
            "lang": "id",
            "fmt": "pdf",
            "kept_file": kept.group(1),
            "kept_name": "aneh.csv",
            "col_participant": "Siapa",
            "col_pre": "Nilai awal",
            "col_post": "Nilai akhir",
        },
        content_type="multipart/form-data",
    )
    assert second.status_code == 200, second.text[:800]
    assert "50,00" in pdf_text(second.data)


def test_the_template_downloads_and_uploads_back(app, educator_client):
    client = educator_client.client
    template = client.get("/reports/upload/template.csv")
    assert template.status_code == 200 and "templat" in template.headers["Content-Disposition"]
    text = template.data.decode("utf-8-sig")
    assert text.startswith("Nama;Umur;Pendidikan;Pretest;Posttest")
    response = upload(client, text, "templat-nilai.csv")
    assert response.status_code == 200, response.text[:800]


@pytest.mark.parametrize(
    ("fmt", "mimetype"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv"),
        ("sav", "application/x-spss-sav"),
        ("sav-long", "application/x-spss-sav"),
    ],
)
def test_every_output_format_from_a_file(app, educator_client, fmt, mimetype):
    response = upload(educator_client.client, google_forms_recap(), "rekap.csv", fmt=fmt)
    assert response.status_code == 200, response.text[:800]
    assert response.mimetype == mimetype and len(response.data) > 200
