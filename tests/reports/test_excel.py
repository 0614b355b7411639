"""The Excel export a lecturer computes with, read back by openpyxl, LibreOffice and the app itself."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from analysis.io import read_session_file
from app.reports import build
from app.services.reportdata import Activity, from_session_file, gather
from tests.reports.readback import convert


@pytest.fixture
def session_xlsx(app, build_session, session_of):
    built = build_session(20, names=['=HYPERLINK("http://x","y")'], drop_pre=(3,), drop_post=(5, 9), seed=7)
    data = gather([session_of(built)])
    return data, build.render(data, "xlsx", lang="id")


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_numbers_are_numbers_and_dates_are_dates(session_xlsx):
    data, download = session_xlsx
    wb = load_workbook(io.BytesIO(download.content))
    people = wb["Peserta"]
    header = rows(people)[0]
    first = rows(people)[1]
    for column in ("Pre-test", "Post-test", "Selisih (post − pre)", "N-gain", "Umur (tahun)"):
        assert isinstance(first[header.index(column)], int | float), column
    assert isinstance(first[header.index("Tanggal sesi")], datetime)
    assert first[header.index("Tanggal sesi")].date() == data.activities[0].held_on
    submitted = first[header.index("Pre-test dikirim")]
    assert isinstance(submitted, datetime)
    cell = people.cell(2, header.index("Pre-test") + 1)
    assert cell.data_type == "n" and cell.number_format == "0.00"
    assert people.cell(2, header.index("Tanggal sesi") + 1).is_date


def test_number_characteristics_are_raw_and_banded(session_xlsx):
    data, download = session_xlsx
    people = load_workbook(io.BytesIO(download.content))["Peserta"]
    header, *body = rows(people)
    raw, band = header.index("Umur (tahun)"), header.index("Umur (kelompok)")
    for person, row in zip(data.people, body, strict=True):
        age = float(person.characteristics["age"])
        assert row[raw] == age
        assert row[band] == ("< 20" if age < 20 else "20–35" if age <= 35 else "> 35")
    assert "Paritas (kelompok)" in header  # the short name, not the registration question


def test_summary_is_in_indonesian_words_with_numbers(session_xlsx):
    data, download = session_xlsx
    summary = load_workbook(io.BytesIO(download.content))["Ringkasan"]
    header, *body = rows(summary)
    assert header == ("Bagian", "Ukuran", "Nilai")
    assert len(body) < 120  # not ~900 rows of JSON paths
    assert not any("." in str(r[1]) and "_" in str(r[1]) for r in body)  # no "paired_t_test.p_value"
    a = data.analyse("id")
    by = {(r[0], r[1]): r[2] for r in body}
    assert by[("Uji t berpasangan", "t")] == pytest.approx(a.paired_t_test.t)
    assert by[("Keputusan", "bermakna")] in ("ya", "tidak")
    assert not any(str(r[2]).lower() in ("true", "false") for r in body)


def test_wide_item_sheet_equals_the_item_matrix_and_columns_have_widths(session_xlsx):
    data, download = session_xlsx
    wb = load_workbook(io.BytesIO(download.content))
    header, *body = rows(wb["Jawaban 0-1"])
    keys = [q.key for q in data.questions]
    assert list(header) == ["Peserta", *(f"pre_{k}" for k in keys), *(f"post_{k}" for k in keys)]
    for person, row in zip(data.people, body, strict=True):
        for j in range(len(keys)):
            want = data.items_pre[person.index, j]
            assert (row[1 + j] is None) if want != want else row[1 + j] == int(want)
    widths = {k: d.width for k, d in wb["Peserta"].column_dimensions.items()}
    assert len(set(widths.values())) > 3  # fitted per column, not Excel's default everywhere


def test_named_and_pseudonymised_files_have_different_names(app, build_session, session_of):
    built = build_session(4, seed=2)
    session = session_of(built)
    plain = build.export_sessions([session], "xlsx")
    named = build.export_sessions([session], "xlsx", with_names=True)
    assert plain.filename != named.filename and "dengan-nama" in named.filename


def test_the_app_reads_its_own_excel_export_back_to_the_same_analysis(session_xlsx, tmp_path):
    data, download = session_xlsx
    path = tmp_path / download.filename
    path.write_bytes(download.content)
    back = from_session_file(
        read_session_file(path),
        Activity(title="x", place="", held_on=None, educator="", team="", institution=""),
    )
    a, b = data.analyse("id"), back.analyse("id")
    assert b.counts == a.counts
    assert b.paired_t_test == a.paired_t_test and b.wilcoxon == a.wilcoxon
    assert b.normalized_gain == a.normalized_gain
    assert b.items is not None and b.items.changes == a.items.changes
    names = set(back.characteristic_keys)
    assert "Umur (tahun)" in names and "Pendidikan terakhir" in names
    assert not names & {"No", "Kode pribadi", "Tanggal sesi", "Umur (kelompok)", "N-gain", "Pre-test dikirim"}


def test_upload_page_takes_the_excel_export(session_xlsx, educator_client):
    from tests.reports.readback import pdf_text
    from tests.reports.test_upload_and_cli import upload_bytes

    _data, download = session_xlsx
    response = upload_bytes(educator_client.client, download.content, download.filename)
    assert response.status_code == 200, response.text[:800]
    text = pdf_text(response.data)
    assert "Tabel 1" in text and "McNemar" in text  # the 0/1 sheet came back: questions compared


def test_libreoffice_in_an_indonesian_locale_keeps_numbers_as_numbers(session_xlsx, tmp_path):
    _data, download = session_xlsx
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(download.content)
    resaved = convert(path, "xlsx", locale="id-ID")
    people = load_workbook(resaved)["Peserta"]
    header = rows(people)[0]
    for column in ("Pre-test", "Post-test", "Umur (tahun)"):
        cell = people.cell(2, header.index(column) + 1)
        assert cell.data_type == "n", (column, cell.value)
    assert people.cell(2, header.index("Tanggal sesi") + 1).is_date
    # and as text, LibreOffice shows them with the Indonesian decimal comma
    shown = convert(path, "csv:Text - txt - csv (StarCalc):59,34,76,1", locale="id-ID")
    table = list(csv.reader(io.StringIO(shown.read_text(encoding="utf-8")), delimiter=";"))
    pre = table[1][list(table[0]).index("Pre-test")]
    assert "," in pre and "." not in pre, pre
