"""Issue 18, the app side: the attitude scale, knowledge per topic and the two-group comparison.

The figures of the report (page, PDF, Word) must be the analysis functions' figures on the same
data (analysis/ is checked against R in tests/analysis); access, bad input and the files read back.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from analysis.attitude import attitude_analysis
from analysis.format import format_number, format_p
from analysis.topics import topic_knowledge
from analysis.twogroups import compare_groups
from app.extensions import db
from app.models import Answer, CounselingSession, Phase
from app.reports import build
from app.reports.document import build_comparison, build_report
from app.services import participants as psvc
from app.services import sessions as ssvc
from app.services.reportdata import gather
from bench._sessions import add_answer, knowledge_choice, open_post_test, open_session
from tests.reports.conftest import latest
from tests.reports.readback import convert, pdf_text


def _answer(attempt, quiz, rng: random.Random, p_correct: float, agree: float, when) -> None:
    """Knowledge questions right with p_correct; Likert answers leaning to agreeing with a favourable statement."""
    for q in quiz.questions:
        if q.type == "likert":
            favourable = rng.random() < agree
            points = rng.choice([4, 5]) if favourable else rng.choice([1, 2, 3])
            if q.reverse:
                points = 6 - points
            option = next(o for o in q.options if o.value == points)
        else:
            option = knowledge_choice(q, rng, p_correct)
        add_answer(attempt, q, option, when)
    db.session.flush()


def make_session(
    educator,
    *,
    n: int = 14,
    quiz_key: str = "kader-konseling",
    title: str = "Pelatihan kader",
    seed: int = 3,
    p_pre: float = 0.45,
    p_post: float = 0.8,
    agree_pre: float = 0.4,
    agree_post: float = 0.8,
    study_group: str | None = None,
    skip_likert_of: int | None = None,
) -> int:
    rng = random.Random(seed)
    quiz = latest(quiz_key)
    session = open_session(educator, quiz, title, ["age", "education"], study_group=study_group)
    now = datetime.now(UTC)
    people = [
        psvc.register(
            session, name=f"Kader {i}", consent_at=now, characteristics={"age": "30", "education": "sma"}
        )
        for i in range(n)
    ]
    for p in people:
        attempt = psvc.get_or_start_attempt(p, "pre")
        _answer(attempt, quiz, rng, p_pre, agree_pre, now)
        psvc.submit_attempt(attempt, uuid.uuid4().hex)
    open_post_test(session)
    for i, p in enumerate(people):
        attempt = psvc.get_or_start_attempt(p, "post")
        _answer(attempt, quiz, rng, p_post, agree_post, now + timedelta(minutes=40))
        if i == skip_likert_of:  # she left one statement unanswered: no attitude total after
            likert = next(q for q in quiz.questions if q.type == "likert")
            db.session.query(Answer).filter_by(attempt_id=attempt.id, question_id=likert.id).delete()
        psvc.submit_attempt(attempt, uuid.uuid4().hex)
    ssvc.move_phase(session, Phase.CLOSED)
    db.session.commit()
    return session.id


def cells(report, key):
    return next(t for t in report.tables if t.key == key)


# ------------------------------------------------------------------------------------------ attitude


def test_the_attitude_section_shows_the_analysis_figures(app, educator):
    sid = make_session(educator, skip_likert_of=2)
    data = gather([db.session.get(CounselingSession, sid)])
    assert [q.key for q in data.attitude_statements][:2] == ["sikap-yakin-ibu-mampu", "sikap-air-putih-panas"]
    assert sum(q.reverse for q in data.attitude_statements) == 4
    assert np.isnan(data.attitude_post[2]).sum() == 1
    # the same call the statistics tests check against R, on the answers as stored
    expected = attitude_analysis(
        data.attitude_pre,
        data.attitude_post,
        [q.key for q in data.attitude_statements],
        reverse=[q.key for q in data.attitude_statements if q.reverse],
        knowledge_gain=data.post - data.pre,
    )
    result = data.analyse("id")
    assert result.attitude.n_paired == expected.n_paired == 13
    report = build_report(data, result, "id")
    totals = cells(report, "attitude_totals")
    assert totals.rows[0][2] == format_number(expected.totals["pre"]["mean"], 2, "id")
    assert totals.rows[1][2] == format_number(expected.totals["post"]["mean"], 2, "id")
    assert totals.rows[2][1] == "13"
    assert format_number(expected.paired_t_test.t, 3, "id").replace("-", "−") in totals.note
    assert format_number(expected.reliability_pre.coefficient, 3, "id") in totals.note
    assert format_number(expected.reliability_post.coefficient, 3, "id") in totals.note
    items = cells(report, "attitude_items")
    assert items.header[2:7] == ["SS", "S", "RR", "TS", "STS"]
    first = expected.items[0]
    # statement row, then pre and post rows: percentages as answered, 5 (SS) first
    assert items.rows[1][2:7] == [format_number(c.percent, 0, "id") + "%" for c in first.distribution_pre]
    assert items.rows[2][8] == format_p(first.wilcoxon.p_value, "id")
    assert items.rows[2][9].startswith(format_p(first.p_value_adjusted, "id"))
    assert "(R)" in items.rows[3][1]  # the second statement is reverse-scored
    cats = cells(report, "attitude_categories")
    assert [r[1] for r in cats.rows[:3]] == [str(c.count) for c in expected.categories_pre.categories]
    assert "persen" in cats.note or "percent" in cats.note  # the rule is named
    rho = expected.knowledge_attitude_spearman
    spearman = next(b for b in report.blocks if getattr(b, "text", "").startswith("Korelasi Spearman"))
    assert format_number(rho.rho, 3, "id").replace("-", "−") in spearman.text


def test_the_attitude_rule_is_a_setting_named_in_the_report(app, educator):
    sid = make_session(educator)
    app.config["ATTITUDE_RULE"] = "mean"
    try:
        data = gather([db.session.get(CounselingSession, sid)])
        report = build_report(data, data.analyse("en"), "en")
    finally:
        app.config["ATTITUDE_RULE"] = "percent"
    cats = cells(report, "attitude_categories")
    assert [r[0] for r in cats.rows] == ["Positive", "Negative", "Total"]
    assert "mean rule (Azwar)" in cats.note


# ------------------------------------------------------------------------------------------ topics


def test_the_topic_table_shows_the_analysis_figures(app, educator):
    sid = make_session(educator, quiz_key="produksi-asi", n=16)
    data = gather([db.session.get(CounselingSession, sid)])
    paired = ~np.isnan(data.pre) & ~np.isnan(data.post)
    expected = topic_knowledge(
        data.items_pre[paired],
        data.items_post[paired],
        [q.topic for q in data.questions],
        [q.key for q in data.questions],
    )
    report = build_report(data, data.analyse("en"), "en")
    table = cells(report, "topics")
    assert [r[0] for r in table.rows] == [t.topic for t in expected]
    for row, t in zip(table.rows, expected, strict=True):
        assert row[1] == str(t.n_items)
        assert row[3] == format_number(t.percent_correct_pre, 1, "en") + "%"
        assert row[4] == format_number(t.percent_correct_post, 1, "en") + "%"
        assert row[5] == format_number(t.class_average_gain, 2, "en")
        if t.wilcoxon is not None and t.wilcoxon.p_value is not None:
            assert row[7] == format_p(t.wilcoxon.p_value, "en")
            assert row[8].startswith(format_p(t.p_value_adjusted, "en"))
    figure = next(f for f in report.figures if f.key == "topics")
    assert figure.data["categories"] == [t.topic for t in expected]


def test_a_topic_of_fewer_than_three_questions_is_described_not_tested(app, educator):
    sid = make_session(educator)  # the cadre quiz: "pengamatan" has one question
    data = gather([db.session.get(CounselingSession, sid)])
    report = build_report(data, data.analyse("en"), "en")
    row = next(r for r in cells(report, "topics").rows if r[0] == "pengamatan")
    assert row[1] == "1" and row[6] == "–" and row[8] == ""
    assert "sikap" not in [r[0] for r in cells(report, "topics").rows]  # attitude items are not knowledge


# ------------------------------------------------------------------------------------------ two groups


def two_groups(educator, n_b: int = 12, n_a: int = 11):
    """An intervention session that gains much and a control session that gains little."""
    b = make_session(
        educator, quiz_key="produksi-asi", n=n_b, title="Intervensi", seed=5, study_group="intervention"
    )
    a = make_session(
        educator, quiz_key="produksi-asi", n=n_a, title="Kontrol", seed=6, p_post=0.55, study_group="control"
    )
    return a, b


def sessions(*ids):
    return [db.session.get(CounselingSession, i) for i in ids]


def test_the_comparison_shows_the_analysis_figures(app, educator):
    a, b = two_groups(educator)
    data = build.comparison_data(sessions(a), sessions(b), "intervention_control")
    groups = ["control" if p.session_id == a else "intervention" for p in data.people]
    expected = compare_groups(data.pre, data.post, groups)
    assert (expected.group_a, expected.group_b, expected.n_a, expected.n_b) == (
        "control",
        "intervention",
        11,
        12,
    )
    report = build_comparison(data, data.analyse("en"), "en")
    assert report.subtitle == "Intervention group – Control group"
    an = expected.ancova
    row = cells(report, "ancova").rows[0]
    assert row[0] == format_number(an.f, 3, "en")
    assert row[1] == f"1, {an.df_resid}"
    assert row[2] == format_p(an.p_value, "en")
    assert row[3] == format_number(an.partial_eta_squared, 3, "en")
    assert row[4] == format_number(an.adjusted_mean_b, 2, "en")
    assert row[5] == format_number(an.adjusted_mean_a, 2, "en")
    assert row[6] == format_number(an.adjusted_difference, 2, "en").replace("-", "−")
    mw = expected.baseline_mann_whitney
    base = cells(report, "baseline_mann_whitney").rows[0]
    assert base[1:6] == [
        format_number(mw.mean_rank_b, 2, "en"),
        format_number(mw.mean_rank_a, 2, "en"),
        format_number(mw.u, 1, "en"),
        format_number(mw.z, 3, "en").replace("-", "−"),
        format_p(mw.p_value_asymptotic, "en"),
    ]
    welch = cells(report, "gain_t_tests").rows[1]
    assert welch[5] == format_number(expected.gain_welch.t, 3, "en").replace("-", "−")
    assert welch[6] == format_number(expected.gain_welch.df, 2, "en")
    assert cells(report, "gain_t_tests").rows[0][7] == format_p(expected.gain_student.p_value, "en")
    pc = expected.post_categories
    table = cells(report, "group_categories")
    assert [r[1] for r in table.rows[:-1]] == [str(c) for c in pc.counts_b]
    assert [r[3] for r in table.rows[:-1]] == [str(c) for c in pc.counts_a]
    assert format_p(pc.p_value, "en") in table.note


def test_two_media_are_compared_as_medium_b_against_medium_a(app, educator):
    a, b = two_groups(educator)
    data = build.comparison_data(sessions(a), sessions(b), "media")
    two = data.analyse("en").two_groups
    assert (two.group_a, two.group_b) == ("medium_a", "medium_b")
    report = build_comparison(data, data.analyse("en"), "en")
    assert report.subtitle == "Medium B – Medium A"
    assert cells(report, "comparison_sessions").rows[0][1] in ("Medium A", "Medium B")


def test_the_compare_page_is_prefilled_from_the_marks_and_shows_the_report(app, educator, educator_client):
    a, b = two_groups(educator)
    page = educator_client.client.get("/reports/programme/compare?lang=en")
    assert page.status_code == 200
    assert f'name="a" value="{a}" id="a{a}"' in page.text and f'id="a{a}" aria-label' in page.text
    assert f'name="b" value="{b}" id="b{b}"' in page.text
    assert "ANCOVA" not in page.text  # nothing compared until asked
    page = educator_client.client.get(
        f"/reports/programme/compare?a={a}&b={b}&kind=intervention_control&lang=en"
    )
    assert page.status_code == 200, page.text
    assert "Post-test by group, adjusted for the pre-test (ANCOVA)" in page.text
    assert "<svg" in page.text


english_words = {
    "Satu sesi tidak boleh masuk ke kedua kelompok": "A session cannot be in both groups",
    "Silakan pilih sedikitnya satu sesi untuk setiap kelompok": "Please choose at least one session for each group",
    "Silakan pilih apa yang dibandingkan": "Please choose what is compared",
    "Kelompok kontrol hanya memiliki 1": "Control group has 1",
}


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("a={a}&b={a}", "Satu sesi tidak boleh masuk ke kedua kelompok"),
        ("b={b}", "Silakan pilih sedikitnya satu sesi untuk setiap kelompok"),
        ("a={a}&b={b}&kind=nonsense", "Silakan pilih apa yang dibandingkan"),
        ("a={small}&b={b}", "Kelompok kontrol hanya memiliki 1"),
    ],
)
def test_groups_that_cannot_be_compared_are_refused_with_a_message(
    app, educator, educator_client, query, words
):
    a, b = two_groups(educator)
    small = make_session(educator, quiz_key="produksi-asi", n=1, title="Kecil", seed=9)
    url = "/reports/programme/compare?" + query.format(a=a, b=b, small=small)
    page = educator_client.client.get(url)
    assert page.status_code == 422
    assert words in page.text
    download = educator_client.client.get(url.replace("/compare?", "/compare/download/pdf?"))
    assert download.status_code == 422
    assert words in download.text
    educator_client.client.get("/lang/en")  # the interface in English: the message follows it
    english = educator_client.client.get(url)
    assert english.status_code == 422
    assert english_words[words] in english.text


def test_only_a_reader_of_both_sessions_may_compare_them(app, educator, make_educator):
    a, b = two_groups(educator)
    other = make_educator(username="dosen", full_name="Dosen Rina")
    from tests.conftest import EducatorActions

    lecturer = EducatorActions(app.test_client(), username="dosen")
    lecturer.login()
    url = f"/reports/programme/compare?a={a}&b={b}"
    assert lecturer.client.get(url).status_code == 403
    assert lecturer.client.get(url.replace("/compare?", "/compare/download/docx?")).status_code == 403
    ssvc.grant_read(db.session.get(CounselingSession, a), other)
    db.session.commit()
    assert lecturer.client.get(url).status_code == 403  # one of the two only
    ssvc.grant_read(db.session.get(CounselingSession, b), other)
    db.session.commit()
    assert lecturer.client.get(url).status_code == 200
    assert lecturer.client.get(f"/reports/programme/compare?a={a}&b=99999").status_code == 404
    assert lecturer.client.get(f"/reports/programme/compare?a={a}&b=1x").status_code == 404
    assert lecturer.client.get(f"/reports/programme/compare/download/pdf?a=²&b={b}").status_code == 404


def test_the_comparison_pdf_and_word_read_back(app, educator, educator_client, tmp_path):
    a, b = two_groups(educator)
    data = build.comparison_data(sessions(a), sessions(b), "intervention_control")
    an = data.analyse("id").two_groups.ancova
    for fmt in ("pdf", "docx"):
        got = educator_client.client.get(f"/reports/programme/compare/download/{fmt}?a={a}&b={b}&lang=id")
        assert got.status_code == 200, got.text
        path = tmp_path / f"perbandingan.{fmt}"
        path.write_bytes(got.data)
        text = pdf_text(path if fmt == "pdf" else convert(path, "pdf"))
        flat = " ".join(text.split())
        assert "Perbandingan dua kelompok" in flat
        assert "Post-test menurut Kelompok, Dikoreksi terhadap Pre-test (ANCOVA)" in flat
        assert format_number(an.adjusted_mean_b, 2, "id") in flat
        assert format_number(an.adjusted_mean_a, 2, "id") in flat
        assert "Kelompok intervensi" in flat and "Kelompok kontrol" in flat


def test_the_comparison_csv_has_the_group_column_the_command_line_reads(
    app, educator, educator_client, tmp_path
):
    from analysis.io import read_session_file

    a, b = two_groups(educator)
    got = educator_client.client.get(f"/reports/programme/compare/download/csv?a={a}&b={b}&sep=comma")
    assert got.status_code == 200
    path = tmp_path / "groups.csv"
    path.write_bytes(got.data)
    back = read_session_file(path)
    assert sorted(set(back.groups)) == ["control", "intervention"]
    again = compare_groups(back.pre, back.post, back.groups)
    data = build.comparison_data(sessions(a), sessions(b), "intervention_control")
    assert again.ancova.f == pytest.approx(data.analyse("id").two_groups.ancova.f, rel=1e-12)


# ------------------------------------------------------------------------------------------ exports and files


def test_the_attitude_answers_reach_every_export(app, educator, educator_client, tmp_path):
    import pyreadstat
    from openpyxl import load_workbook

    from analysis.io import read_session_file

    sid = make_session(educator)
    data = gather(sessions(sid))
    keys = [q.key for q in data.attitude_statements]
    got = educator_client.client.get(f"/reports/sessions/{sid}/download/csv?sep=semicolon")
    path = tmp_path / "kader.csv"
    path.write_bytes(got.data)
    back = read_session_file(path)
    assert back.attitude_statements == keys
    np.testing.assert_array_equal(back.attitude_pre, data.attitude_pre)
    np.testing.assert_array_equal(back.attitude_post, data.attitude_post)
    reverse = [q.key for q in data.attitude_statements if q.reverse]
    from_file = attitude_analysis(back.attitude_pre, back.attitude_post, keys, reverse=reverse)
    assert from_file.paired_t_test.t == data.analyse().attitude.paired_t_test.t

    wb = load_workbook(
        __import__("io").BytesIO(educator_client.client.get(f"/reports/sessions/{sid}/download/xlsx").data)
    )
    sheet = wb["Sikap 1-5"]
    header = [c.value for c in sheet[1]]
    assert header[1] == f"att_pre_{keys[0]}" and header[-1] == f"att_post_{keys[-1]}"
    assert [c.value for c in sheet[2]][1:] == [
        int(v) for v in (*data.attitude_pre[0], *data.attitude_post[0])
    ]
    statements = wb["Pernyataan sikap"]
    assert [r[3].value for r in statements.iter_rows(min_row=2)].count("ya") == 4

    sav = tmp_path / "kader.sav"
    sav.write_bytes(educator_client.client.get(f"/reports/sessions/{sid}/download/sav").data)
    frame, meta = pyreadstat.read_sav(str(sav))
    assert list(frame["att_pre_s01"]) == list(data.attitude_pre[:, 0])
    assert meta.variable_value_labels["att_post_s02"][5.0] == "Sangat setuju"
    assert "skor terbalik" in meta.column_names_to_labels["att_pre_s02"]
    totals = from_file.totals
    paired = ~np.isnan(frame["att_pre_total"]) & ~np.isnan(frame["att_post_total"])
    assert frame["att_pre_total"][paired].mean() == pytest.approx(totals["pre"]["mean"])


def test_the_cadre_report_pdf_and_word_carry_the_attitude_and_topic_sections(
    app, educator, educator_client, tmp_path
):
    sid = make_session(educator)
    result = gather(sessions(sid)).analyse("id")
    for fmt in ("pdf", "docx"):
        got = educator_client.client.get(f"/reports/sessions/{sid}/download/{fmt}?lang=id")
        path = tmp_path / f"kader.{fmt}"
        path.write_bytes(got.data)
        flat = " ".join(pdf_text(path if fmt == "pdf" else convert(path, "pdf")).split())
        assert "Skor Sikap Sebelum dan Sesudah Edukasi" in flat
        assert "Jawaban Tiap Pernyataan Sikap Sebelum dan Sesudah" in flat
        assert "Kategori sikap memakai aturan persentase" in flat
        assert format_number(result.attitude.reliability_pre.coefficient, 3, "id") in flat
        assert "Pengetahuan per Topik Sebelum dan Sesudah" in flat
        assert "Persentase Jawaban Benar per Topik Sebelum dan Sesudah" in flat  # the chart's caption
    page = educator_client.client.get(f"/reports/sessions/{sid}?lang=en")
    assert "Answers to each attitude statement before and after" in page.text
    assert 'id="figure-topics"' in page.text


def test_an_educator_marks_her_session_and_only_with_a_listed_group(app, educator, educator_client):
    from tests.conftest import csrf_from

    sid = make_session(educator, quiz_key="produksi-asi", n=2)
    page = educator_client.client.get(f"/educator/sessions/{sid}")
    token = csrf_from(page.text)
    bad = educator_client.client.post(
        f"/educator/sessions/{sid}/study-group", data={"study_group": "treatment", "csrf_token": token}
    )
    assert bad.status_code == 400
    assert "Silakan pilih salah satu kelompok dalam daftar." in bad.text
    assert db.session.get(CounselingSession, sid).study_group is None
    ok = educator_client.client.post(
        f"/educator/sessions/{sid}/study-group", data={"study_group": "control", "csrf_token": token}
    )
    assert ok.status_code == 302
    assert db.session.get(CounselingSession, sid).study_group == "control"


def test_the_comparison_word_headers_break_between_words_only(app, educator, educator_client, tmp_path):
    """LibreOffice lays the Word tables out: no header word is cut ("Kelompo k") in the 8-column tables."""
    from docx import Document

    a, b = two_groups(educator)
    got = educator_client.client.get(f"/reports/programme/compare/download/docx?a={a}&b={b}&lang=id")
    assert got.status_code == 200, got.text
    path = tmp_path / "perbandingan.docx"
    path.write_bytes(got.data)
    doc = Document(path)
    words = {w for t in doc.tables for c in t.rows[0].cells for w in c.text.split() if len(w) >= 5}
    assert "Kelompok" in words and any(len(t.columns) == 8 for t in doc.tables)
    tokens = pdf_text(convert(path, "pdf")).split()
    assert tokens
    cut = sorted({w for w in words for i in range(3, len(w)) if w[:i] in tokens and w[:i] not in words})
    assert not cut, cut
