"""Every generated file opened with a reader and checked against analysis/ and the stored answers."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from sqlalchemy import event, func, select

from analysis import analyse
from analysis.__main__ import analyse_file
from analysis.format import format_number, format_p
from analysis.io import read_session_file
from app.extensions import db
from app.models import Attempt, AuditLog, Certificate, Participant
from app.reports.document import minus_sign
from app.services.reportdata import gather
from tests.conftest import EducatorActions
from tests.reports.conftest import NASTY
from tests.reports.readback import pdf_text

FORMULA = '=HYPERLINK("http://x")'


def stored(built, kind: str) -> dict[int, float | None]:
    rows = db.session.execute(
        select(Attempt.participant_id, Attempt.score)
        .join(Participant)
        .where(Participant.session_id == built.session_id, Attempt.kind == kind)
    ).all()
    return dict(rows)


@pytest.fixture
def session_data(build_session):
    return build_session(14, names=[NASTY, FORMULA], drop_pre=(3,), drop_post=(5, 9))


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return response


# ------------------------------------------------------------------------------------- the data


def test_gather_runs_the_same_number_of_queries_for_any_size(app, build_session):
    """No N+1: gathering 4 or 25 participants takes the same number of queries."""
    small, big = build_session(4, seed=2), build_session(25, seed=3, title="Besar")
    counts = []
    for built in (small, big):
        db.session.expire_all()
        from app.models import CounselingSession

        target = db.session.get(CounselingSession, built.session_id)
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            data = gather([target])
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(seen))
        assert len(data.people) == len(built.answers)
    assert counts[0] == counts[1] <= 8


def test_gathered_items_equal_the_stored_answers(app, session_data, session_of):
    data = gather([session_of(session_data)])
    pre, post = stored(session_data, "pre"), stored(session_data, "post")
    for person in data.people:
        pid = next(p for p in session_data.answers if session_data.names[p] == person.name)
        expected = session_data.answers[pid]
        if expected["pre"] is None:
            assert person.pre is None and np.isnan(data.items_pre[person.index]).all()
        else:
            assert data.items_pre[person.index].tolist() == expected["pre"]
            assert person.pre == pytest.approx(pre[pid])
            assert person.pre == pytest.approx(100 * sum(expected["pre"]) / len(expected["pre"]))
        if expected["post"] is not None:
            assert data.items_post[person.index].tolist() == expected["post"]
            assert person.post == pytest.approx(post[pid])


# ------------------------------------------------------------------------------------- PDF


def test_pdf_report_prints_the_numbers_of_analysis(app, session_data, session_of, educator_client):
    content = get(educator_client.client, f"/reports/sessions/{session_data.session_id}/download/pdf").data
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    a = gather([session_of(session_data)]).analyse("id")
    d = a.descriptives
    for value in (d["pre"].mean, d["post"].mean, d["pre"].sd, d["post"].sd):
        assert minus_sign(format_number(value, 2, "id")) in text
    assert minus_sign(format_number(a.paired_t_test.t, 3, "id")) in text
    assert minus_sign(format_number(a.wilcoxon.z, 3, "id")) in text  # printed with U+2212
    assert format_p(a.leading_test.p_value, "id") in text
    assert "Tabel 1" in text and "Gambar 1" in text and "Halaman 1 dari" in text
    assert "Karakteristik Responden" in text and "KR-20" in text
    # pseudonymised by default: no name, P01...
    assert "Siti" not in text and "Ibu 03" not in text and "P01" in text
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    assert all(round(float(p.mediabox.width)) == 595 for p in reader.pages)  # A4 portrait
    fonts = {str(f) for page in reader.pages for f in (page["/Resources"]["/Font"].values())}
    assert fonts  # embedded DejaVu subsets


def test_pdf_with_names_prints_a_nasty_name_as_typed(app, session_data, educator_client):
    content = get(
        educator_client.client, f"/reports/sessions/{session_data.session_id}/download/pdf?names=1"
    ).data
    text = pdf_text(content)
    assert NASTY in text
    assert FORMULA in text  # a PDF is no spreadsheet: printed as typed


def test_pdf_in_english_uses_decimal_points(app, session_data, session_of, educator_client):
    text = pdf_text(
        get(educator_client.client, f"/reports/sessions/{session_data.session_id}/download/pdf?lang=en").data
    )
    a = gather([session_of(session_data)]).analyse("en")
    assert minus_sign(format_number(a.descriptives["post"].mean, 2, "en")) in text
    assert "Table 1" in text and "Page 1 of" in text and "Characteristics of the respondents" in text


# ------------------------------------------------------------------------------------- Word, Excel, SPSS, CSV


def test_word_tables_hold_the_report_numbers(app, session_data, session_of, educator_client):
    from docx import Document

    content = get(educator_client.client, f"/reports/sessions/{session_data.session_id}/download/docx").data
    doc = Document(io.BytesIO(content))
    a = gather([session_of(session_data)]).analyse("id")
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert format_number(a.descriptives["pre"].mean, 2, "id") in cells
    assert format_number(a.normalized_gain.class_average_gain, 2, "id") in cells
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Tabel ")]
    assert captions[0].startswith("Tabel 1.") and len(captions) >= 9


def test_xlsx_sheets_match_the_stored_answers(app, session_data, session_of, educator_client):
    from openpyxl import load_workbook

    content = get(
        educator_client.client, f"/reports/sessions/{session_data.session_id}/download/xlsx?names=1"
    ).data
    wb = load_workbook(io.BytesIO(content))
    people, answers, summary = wb["Peserta"], wb["Jawaban"], wb["Ringkasan"]
    rows = list(people.iter_rows(values_only=True))
    header = rows[0]
    pre_col, _post_col, name_col = header.index("Pre-test"), header.index("Post-test"), header.index("Nama")
    pre, _post = stored(session_data, "pre"), stored(session_data, "post")
    by_name = {session_data.names[pid]: pid for pid in session_data.answers}
    for row in rows[1:]:
        name = row[name_col]
        pid = by_name[name[1:] if name.startswith("'") else name]
        assert (
            row[pre_col] == pytest.approx(pre.get(pid)) if pre.get(pid) is not None else row[pre_col] is None
        )
    assert "'" + FORMULA in [r[name_col] for r in rows[1:]]  # neutralised, not a formula
    n_answers = sum(len(v) for a in session_data.answers.values() for v in a.values() if v is not None)
    assert answers.max_row - 1 == n_answers
    figures = {(r[0], r[1]): r[2] for r in summary.iter_rows(values_only=True)}
    a = gather([session_of(session_data)]).analyse("id")
    assert figures[("Uji Wilcoxon signed-rank", "p (R)")] == pytest.approx(a.wilcoxon.p_value)
    assert figures[("Uji t berpasangan", "p")] == pytest.approx(a.paired_t_test.p_value)
    assert figures[("Peserta", "mengikuti kedua tes (dianalisis)")] == a.counts.n_paired


def test_spss_wide_and_long_have_labels_and_the_stored_scores(app, session_data, educator_client, tmp_path):
    import pyreadstat

    wide = tmp_path / "w.sav"
    wide.write_bytes(
        get(educator_client.client, f"/reports/sessions/{session_data.session_id}/download/sav").data
    )
    df, meta = pyreadstat.read_sav(str(wide))
    assert len(df) == 14 and "name" not in df.columns
    assert (
        meta.variable_value_labels["education"][4.0] == "SMA/SMK"
    )  # codes follow the choices: none=1, sd=2, smp=3, sma=4
    assert meta.variable_value_labels["pre_q01"] == {0.0: "Salah", 1.0: "Benar"}
    assert meta.column_names_to_labels["pre"].startswith("Nilai pre-test")
    pre = stored(session_data, "pre")
    scores = sorted(v for v in pre.values() if v is not None)
    assert sorted(df["pre"].dropna().tolist()) == pytest.approx(scores)
    items = [c for c in df.columns if c.startswith("pre_q")]
    assert (df[items].sum(axis=1, min_count=1) * 100 / len(items)).dropna().tolist() == pytest.approx(
        df["pre"].dropna().tolist()
    )

    long = tmp_path / "l.sav"
    long.write_bytes(
        get(educator_client.client, f"/reports/sessions/{session_data.session_id}/download/sav-long").data
    )
    dl, meta_l = pyreadstat.read_sav(str(long))
    n_attempts = sum(v is not None for a in session_data.answers.values() for v in a.values())
    assert len(dl) == n_attempts
    assert meta_l.variable_value_labels["test"] == {1.0: "Pre-test", 2.0: "Post-test"}


def test_csv_has_a_bom_neutralises_formulas_and_gives_the_same_analysis(
    app, session_data, session_of, educator_client, tmp_path
):
    content = get(
        educator_client.client, f"/reports/sessions/{session_data.session_id}/download/csv?names=1&sep=comma"
    ).data
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    names = [r[0] for r in rows[1:]]
    assert "'" + FORMULA in names and NASTY in names
    path = tmp_path / "skor.csv"
    path.write_bytes(content)
    file_data = read_session_file(path)  # exactly what `python -m analysis report` reads
    data = gather([session_of(session_data)])
    ours, theirs = data.analyse("id").to_dict(), analyse_file(file_data).to_dict()  # and what it computes
    for key in ("counts", "descriptives", "paired_t_test", "wilcoxon", "normalized_gain", "items"):
        assert theirs[key] == ours[key]


def test_csv_in_the_indonesian_interface_has_semicolons_and_decimal_commas_by_default(
    app, session_data, session_of, educator_client, tmp_path
):
    """Indonesian Excel reads "43,75" as a number only with a decimal comma (and so semicolons)."""
    content = get(educator_client.client, f"/reports/sessions/{session_data.session_id}/download/csv").data
    text = content.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("participant;") and ";" in first
    pre = first.split(";")[header.split(";").index("pre")]
    assert pre == "" or ("." not in pre and float(pre.replace(",", ".")) >= 0)
    assert any("," in line.split(";")[header.split(";").index("pre")] for line in text.splitlines()[1:])
    path = tmp_path / "skor.csv"
    path.write_bytes(content)
    back = read_session_file(path)  # the app re-reads its own CSV
    data = gather([session_of(session_data)])
    ours = data.analyse("id").to_dict()
    theirs = analyse(
        back.pre, back.post, items_pre=back.items_pre, items_post=back.items_post, questions=back.questions
    ).to_dict()
    for key in ("counts", "descriptives", "paired_t_test", "wilcoxon", "normalized_gain", "items"):
        assert theirs[key] == ours[key]


def test_csv_in_the_english_interface_has_commas_and_decimal_points_by_default(
    app, session_data, educator_client
):
    client = educator_client.client
    client.get("/lang/en")
    text = get(client, f"/reports/sessions/{session_data.session_id}/download/csv").data.decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert header.startswith("participant,")
    pre = [line.split(",")[header.split(",").index("pre")] for line in lines]
    assert any("." in v for v in pre) and not any(";" in line for line in lines)
    page = get(client, f"/reports/sessions/{session_data.session_id}").text
    assert '<option value="comma" selected>' in page


# ------------------------------------------------------------------------------------- certificates


def test_certificates_are_issued_at_post_submit_numbered_in_order(app, session_data):
    rows = db.session.execute(
        select(Certificate.participant_id, Certificate.number)
        .join(Participant)
        .where(Participant.session_id == session_data.session_id)
        .order_by(Certificate.number)
    ).all()
    assert [pid for pid, _ in rows] == session_data.post_order
    assert [n for _, n in rows] == list(range(1, len(session_data.post_order) + 1))


def test_certificate_pdf_has_a_landscape_page_each_and_a_code_that_verifies(
    app, session_data, educator_client, client
):
    from pypdf import PdfReader

    content = get(
        educator_client.client, f"/reports/sessions/{session_data.session_id}/certificates.pdf?score=1"
    ).data
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == len(session_data.post_order) == 12
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)
    text = pdf_text(content)
    code = db.session.scalar(
        select(Certificate.code)
        .where(Certificate.number == 1)
        .join(Participant)
        .where(Participant.session_id == session_data.session_id)
    )
    first_name = session_data.names[session_data.post_order[0]]
    assert first_name in text and f"/c/{code}" in text and "001/EDU-ASI/" in text
    page = client.get(f"/c/{code}")  # public: no login
    assert (page.status_code == 200 and "asli" in page.text.lower()) or "genuine" in page.text.lower()
    assert client.get("/c/AAAAAAAAAAAA").status_code == 404
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "export.certificates")
        )
        == 1
    )


def test_nasty_name_is_escaped_on_the_verification_page(app, build_session, client):
    built = build_session(2, names=[NASTY, "Ibu B"])
    code = db.session.scalar(select(Certificate.code).join(Participant).where(Participant.name == NASTY))
    page = client.get(f"/c/{code}").text
    assert "&lt;b&gt;Siti &amp; &#34;Ani&#34;&lt;/b&gt;" in page and NASTY not in page
    assert built.session_id


# ------------------------------------------------------------------------------------- access and audit


def test_only_readers_of_the_session_get_its_reports(app, session_data, make_educator, client):
    make_educator("lain", role="educator", full_name="Bidan Lain")
    other = EducatorActions(app.test_client(), "lain")
    other.login()
    sid = session_data.session_id
    assert other.client.get(f"/reports/sessions/{sid}").status_code == 403
    assert other.client.get(f"/reports/sessions/{sid}/download/pdf").status_code == 403
    assert other.client.get(f"/reports/sessions/{sid}/certificates.pdf").status_code == 403
    assert other.client.get(f"/reports/programme?s={sid}").status_code == 403
    assert client.get(f"/reports/sessions/{sid}/download/csv").status_code == 302  # to the login page


def test_a_lecturer_with_read_access_gets_pseudonyms_even_when_asking_for_names(
    app, session_data, make_educator, session_of
):
    from app.services import sessions as ssvc

    lecturer = make_educator("dosen", role="lecturer", full_name="Dr. Dosen")
    ssvc.grant_read(session_of(session_data), lecturer)
    db.session.commit()
    actions = EducatorActions(app.test_client(), "dosen")
    actions.login()
    content = get(actions.client, f"/reports/sessions/{session_data.session_id}/download/csv?names=1").data
    assert b"Siti" not in content and b"P01" in content
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "export.csv"))
    assert entry.actor_id == lecturer.id and entry.session_id == session_data.session_id
    assert entry.detail["with_names"] is False


# ------------------------------------------------------------------------------------- pages


def test_results_page_shows_the_tables_and_inline_svg_charts(app, session_data, session_of, educator_client):
    page = get(educator_client.client, f"/reports/sessions/{session_data.session_id}").text
    a = gather([session_of(session_data)]).analyse("id")
    assert (
        page.count("<svg") == 4 and 'id="figure-topics"' in page and "<img" not in page.split("<article")[1]
    )
    assert format_number(a.descriptives["post"].mean, 2, "id") in page
    assert "Tabel 1" in page and "Siti" not in page
    session_page = get(educator_client.client, f"/educator/sessions/{session_data.session_id}").text
    assert f"/reports/sessions/{session_data.session_id}/download/pdf" in session_page


def test_programme_pools_sessions(app, build_session, educator_client):
    one, two = build_session(6, seed=4), build_session(9, seed=5, title="Kelas Ibu Hamil")
    page = get(educator_client.client, f"/reports/programme?s={one.session_id}&s={two.session_id}").text
    assert "2 sesi" in page or "2 sessions" in page
    content = get(
        educator_client.client, f"/reports/programme/download/csv?s={one.session_id}&s={two.session_id}"
    ).data
    assert len(content.decode("utf-8-sig").splitlines()) == 1 + 6 + 9
    text = pdf_text(
        get(
            educator_client.client, f"/reports/programme/download/pdf?s={one.session_id}&s={two.session_id}"
        ).data
    )
    assert "Kelas Ibu Hamil" in text and "n = 15" in text


def test_parallel_forms_skip_the_question_by_question_tables(app, build_session, educator_client):
    built = build_session(8, post_quiz_key="produksi-asi-b", seed=6)
    text = pdf_text(get(educator_client.client, f"/reports/sessions/{built.session_id}/download/pdf").data)
    assert "bentuk paralel" in text  # the method says why there is no per-question table
    # and claims no per-question test or reliability it did not compute
    assert "McNemar" not in text and "KR-20" not in text
    assert "Kualitas Soal" not in text
