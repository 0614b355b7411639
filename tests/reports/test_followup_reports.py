"""A session with a follow-up test: the report's follow-up section equals analysis/followup.py on the same
data, and every file (CSV, Excel, SPSS wide and long, PDF, Word) carries pre → post → follow-up, read back
with the tools people use (PSPP, LibreOffice, pdftotext).

The expected arrays are built from the answers the fixture chose (not from the app's scores), so a wrong
join or a follow-up answer counted as a post-test answer fails here. analysis/followup.py itself is
checked against R in tests/analysis/test_r_followup.py.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pyreadstat
import pytest
from openpyxl import load_workbook

from analysis.followup import followup_analysis
from analysis.format import explain_reason, format_number, format_p, format_percent
from analysis.io import read_session_file
from app.extensions import db
from app.models import CounselingSession, Participant, Phase
from app.reports import build
from app.reports.document import build_report
from app.services import sessions as ssvc
from app.services.reportdata import gather
from bench._sessions import take_test
from tests.conftest import delete_test_data, new_educator
from tests.reports.conftest import build_data, latest
from tests.reports.readback import convert, pdf_text, pspp

DROP_FOLLOWUP = (2, 9, 11)  # 9 also missed the post-test: a pre + nothing pattern


def add_followup(built, *, drop=DROP_FOLLOWUP, quiz_key=None, seed: int = 11) -> None:
    """Open the follow-up three weeks later, let everyone but `drop` take it, close it."""
    session = db.session.get(CounselingSession, built.session_id)
    quiz = latest(quiz_key) if quiz_key else session.quiz_version
    ssvc.move_phase(session, Phase.FOLLOWUP_OPEN, followup_quiz=quiz)
    rng = random.Random(seed)
    people = db.session.query(Participant).filter_by(session_id=session.id).order_by(Participant.id).all()
    later = datetime.now(UTC) + timedelta(days=21)
    for i, p in enumerate(people):
        built.answers[p.id]["followup"] = None
        if i in drop:
            continue
        built.answers[p.id]["followup"] = take_test(p, "followup", quiz, rng, 0.65, later)
    ssvc.move_phase(session, Phase.FOLLOWUP_CLOSED)
    db.session.commit()


def expected(built) -> dict[str, np.ndarray]:
    """Scores and 0/1 matrices from the answers the fixture chose (participants in registration order)."""
    out: dict[str, list] = {"pre": [], "post": [], "followup": []}
    items: dict[str, list] = {"pre": [], "post": [], "followup": []}
    for pid in sorted(built.answers):
        for kind in out:
            picks = built.answers[pid][kind]
            out[kind].append(np.nan if picks is None else 100.0 * sum(picks) / len(picks))
            items[kind].append([np.nan] * 20 if picks is None else picks)
    width = max(len(r) for rows in items.values() for r in rows if not np.isnan(r[0]))
    mats = {
        k: np.array([r if len(r) == width else [np.nan] * width for r in v], float) for k, v in items.items()
    }
    return {**{k: np.array(v) for k, v in out.items()}, **{f"items_{k}": m for k, m in mats.items()}}


FU_SESSION = dict(n=24, drop_pre=(3,), drop_post=(5, 9), seed=7)


@pytest.fixture(scope="module")
def fu_gathered(base_app):
    """The follow-up session and what `gather` read from it, built once per backend: the tests that
    take `fu_data` only read the answers chosen (`Built`) and the gathered data (plain dataclasses
    and arrays, no database object), so the rows are deleted as soon as they are gathered."""
    with base_app.app_context():
        try:
            owner = new_educator()
            built = build_data(owner, **FU_SESSION)
            add_followup(built)
            return built, gather([db.session.get(CounselingSession, built.session_id)])
        finally:
            delete_test_data()


@pytest.fixture
def fu_data(app, fu_gathered):
    """(Built, ReportData) of the follow-up session; the test runs in an app context as before."""
    return fu_gathered


@pytest.fixture
def fu_session(app, build_session):
    """The same follow-up session in the database, for a test that opens its pages."""
    built = build_session(**FU_SESSION)
    add_followup(built)
    return built


def table(report, key):
    return next(t for t in report.tables if t.key == key)


def test_the_data_reach_the_analysis_as_the_fixture_answered(fu_data):
    built, data = fu_data
    e = expected(built)
    assert data.has_followup
    np.testing.assert_allclose(data.followup, e["followup"])
    np.testing.assert_allclose(data.items_followup, e["items_followup"])
    np.testing.assert_allclose(data.items_post, e["items_post"])  # follow-up answers did not leak into post
    ours = data.analyse("id").followup
    reference = followup_analysis(
        e["pre"], e["post"], e["followup"],
        items_pre=e["items_pre"], items_post=e["items_post"], items_followup=e["items_followup"],
        questions=[q.key for q in data.questions],
    )  # fmt: skip
    assert ours.to_dict() == reference.to_dict()
    c = ours.counts
    assert (c.n_participants, c.n_complete, c.n_pre_post) == (24, 19, 2)  # drops: 2, 11 (pre+post); 3, 5, 9
    assert (c.n_post_followup, c.n_pre_followup, c.n_pre_only) == (1, 1, 1)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_report_prints_the_followup_figures_of_analysis_followup(fu_data, lang):
    built, data = fu_data
    e = expected(built)
    ref = followup_analysis(
        e["pre"], e["post"], e["followup"],
        items_pre=e["items_pre"], items_post=e["items_post"], items_followup=e["items_followup"],
    )  # fmt: skip
    report = build_report(data, data.analyse(lang), lang)
    n = lambda v, d=2: format_number(v, d, lang).replace("-", "−")  # noqa: E731
    counts = table(report, "followup_counts")
    assert [r[1] for r in counts.rows] == [
        str(v)
        for v in (
            ref.counts.n_complete, ref.counts.n_pre_post, ref.counts.n_pre_followup, ref.counts.n_post_followup,
            ref.counts.n_pre_only, ref.counts.n_post_only, ref.counts.n_followup_only, ref.counts.n_none,
            ref.counts.n_participants,
        )
    ]  # fmt: skip
    desc = table(report, "followup_descriptives")
    for row, key, rank in zip(desc.rows, ("pre", "post", "followup"), ref.friedman.mean_ranks, strict=True):
        d = ref.descriptives[key]
        assert row[1:] == [str(d.n), n(d.mean), n(d.sd), n(d.median), f"{n(d.min)} – {n(d.max)}", n(rank)]
    tests = table(report, "followup_tests")
    fr, aov = ref.friedman, ref.rm_anova
    assert tests.rows[0][1:] == [
        f"χ² = {n(fr.statistic, 3)}",
        "2",
        format_p(fr.p_value, lang),
        f"W = {n(fr.kendalls_w, 3)}",
    ]
    assert tests.rows[1][1:] == [
        f"F = {n(aov.f, 3)}", f"2; {aov.df_error}", format_p(aov.p_value, lang), f"η²p = {n(aov.partial_eta_squared, 3)}"
    ]  # fmt: skip
    assert tests.rows[2][1] == f"W = {n(aov.mauchly_w, 3)}; χ² = {n(aov.mauchly_chi_square, 3)}"
    assert tests.rows[2][3] == format_p(aov.mauchly_p_value, lang)
    assert tests.rows[3][1:4:2] == [f"ε = {n(aov.epsilon_gg, 3)}", format_p(aov.p_value_gg, lang)]
    assert tests.rows[4][3] == format_p(aov.p_value_hf, lang)
    lead_row = tests.rows[0] if ref.leading_test.test == "friedman" else tests.rows[1]
    assert ("leading test" if lang == "en" else "uji utama") in lead_row[0]
    posthoc = table(report, "followup_posthoc")
    for row, pw in zip(posthoc.rows, ref.pairwise_wilcoxon, strict=True):
        w = pw.wilcoxon
        assert row[1:6] == [
            str(w.n_pairs), f"{w.n_negative} / {w.n_positive} / {w.n_zero}", n(w.z, 3),
            format_p(w.p_value, lang), format_p(pw.p_value_adjusted, lang),
        ]  # fmt: skip
    questions = table(report, "followup_questions")
    assert len(questions.rows) == len(ref.questions)
    for row, q in zip(questions.rows, ref.questions, strict=True):
        assert row[1:4] == [format_percent(v, 0, lang) for v in q.cochran.percent_correct]
        assert row[4] == (
            n(q.cochran.q) if q.cochran.q is not None else explain_reason(q.cochran.reason, lang)
        )
        assert row[5] == format_p(q.p_value_adjusted, lang)
        assert row[6:] == [format_p(pair.p_value_adjusted, lang) for pair in q.pairs]
    texts = " ".join(b.text for b in report.blocks if getattr(b, "block", "") in ("para", "heading"))
    assert ("did the knowledge last" in texts) if lang == "en" else ("apakah pengetahuan bertahan" in texts)
    assert format_p(ref.leading_test.p_value, lang) in texts
    scores = table(report, "scores")
    assert scores.header[-1] in ("Follow-up test", "Tes follow-up")
    assert [r[-1] for r in scores.rows] == [n(v) if not np.isnan(v) else "–" for v in e["followup"]]


def test_cannot_be_tested_is_said_with_the_reason(app, build_session, session_of):
    """One complete case: R's friedman.test and aov refuse; the report says why instead of numbers."""
    built = build_session(4, seed=3)
    add_followup(built, drop=(1, 2, 3))
    data = gather([session_of(built)])
    report = build_report(data, data.analyse("en"), "en")
    tests = table(report, "followup_tests")
    assert tests.rows[0][1] == "χ² = –" and tests.rows[1][1] == "F = –"
    assert "Friedman: Fewer than two participants" in tests.note or "Friedman: " in tests.note
    texts = " ".join(b.text for b in report.blocks if getattr(b, "block", "") == "para")
    assert "Cannot be tested" in texts


def test_a_parallel_form_followup_has_scores_but_no_question_table(app, build_session, session_of):
    built = build_session(10, seed=5)
    add_followup(built, drop=(), quiz_key="produksi-asi-b")
    data = gather([session_of(built)])
    assert data.items_followup is None and data.items_pre is not None
    report = build_report(data, data.analyse("en"), "en")
    assert not [t for t in report.tables if t.key == "followup_questions"]
    assert any("parallel form" in b.text for b in report.blocks if getattr(b, "block", "") == "para")


def test_csv_carries_the_followup_score_and_answers(fu_data, tmp_path):
    built, data = fu_data
    e = expected(built)
    text = build.render(data, "csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header.index("followup") == header.index("post") + 1
    keys = [q.key for q in data.questions]
    assert header[-len(keys) :] == [f"followup_{k}" for k in keys]
    got = [float(r[header.index("followup")]) if r[header.index("followup")] else np.nan for r in rows[1:]]
    np.testing.assert_allclose(got, e["followup"])
    # ... and the command line's reader takes it back.
    path = tmp_path / "skor.csv"
    path.write_bytes(build.render(data, "csv").content)
    back = read_session_file(path)
    assert back.followup is not None
    np.testing.assert_allclose(back.followup, e["followup"])


def test_spss_wide_and_long_carry_the_followup_and_pspp_runs_friedman(fu_data, tmp_path):
    built, data = fu_data
    e = expected(built)
    wide, long = tmp_path / "wide.sav", tmp_path / "long.sav"
    wide.write_bytes(build.render(data, "sav").content)
    long.write_bytes(build.render(data, "sav-long").content)
    df, meta = pyreadstat.read_sav(str(wide))
    np.testing.assert_allclose(df["followup"].to_numpy(), e["followup"])
    assert meta.variable_measure["followup"] == "scale" and meta.original_variable_types["followup"] == "F8.2"
    assert meta.variable_value_labels["complete"] == {0.0: "tidak", 1.0: "ya"}
    assert int(df["complete"].sum()) == 19
    assert "followup_q01" in df.columns
    dl, meta_l = pyreadstat.read_sav(str(long))
    assert meta_l.variable_value_labels["test"][3.0] == "Tes follow-up"
    assert int((dl["test"] == 3).sum()) == int(np.sum(~np.isnan(e["followup"])))
    ref = followup_analysis(e["pre"], e["post"], e["followup"])
    tables = pspp(
        f"GET FILE='{wide}'.\nFILTER BY complete.\nNPAR TESTS /FRIEDMAN = pre post followup.\n"
        f"GET FILE='{long}'.\nFREQUENCIES VARIABLES=test.\n",
        tmp_path,
    )
    stats = tables["Test Statistics"]
    cells = {r[0]: r[1] for r in stats if len(r) > 1}
    assert int(cells["N"]) == ref.counts.n_complete
    assert float(cells["Chi-Square"]) == pytest.approx(ref.friedman.statistic, rel=1e-3)
    assert float(cells["Asymp. Sig."]) == pytest.approx(ref.friedman.p_value, abs=1e-3)
    ranks = [float(r[1]) for r in tables["Ranks"][1:]]
    assert ranks == pytest.approx(ref.friedman.mean_ranks, abs=0.006)
    # The long file: one row per handed-in test, labelled with the three tests.
    statistics = tables["Statistics"]
    assert statistics[0][-1] == "Pre-test, post-test atau tes follow-up"
    assert int(statistics[1][-1]) == sum(int(np.sum(~np.isnan(e[k]))) for k in ("pre", "post", "followup"))


def test_excel_carries_the_followup_through_libreoffice(fu_data, tmp_path):
    built, data = fu_data
    e = expected(built)
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(build.render(data, "xlsx", lang="id").content)
    resaved = convert(path, "xlsx", locale="id-ID")
    wb = load_workbook(resaved)
    people = wb["Peserta"]
    header = [c.value for c in people[1]]
    col = header.index("Tes follow-up") + 1
    values = [people.cell(r, col).value for r in range(2, people.max_row + 1)]
    np.testing.assert_allclose([np.nan if v is None else v for v in values], e["followup"])
    assert people.cell(2, col).data_type == "n"
    items = [c.value for c in wb["Jawaban 0-1"][1]]
    assert items[-1] == f"followup_{data.questions[-1].key}"
    summary = [(r[0], r[1], r[2]) for r in wb["Ringkasan"].iter_rows(values_only=True)]
    ref = followup_analysis(e["pre"], e["post"], e["followup"])
    friedman = next(v for s, m, v in summary if s == "Tes follow-up" and m == "Friedman χ²")
    assert friedman == pytest.approx(ref.friedman.statistic)


def test_word_and_pdf_carry_the_followup_section(fu_data, tmp_path):
    _built, data = fu_data
    docx = tmp_path / "laporan.docx"
    docx.write_bytes(build.render(data, "docx", lang="id").content)
    text = pdf_text(convert(docx, "pdf"))
    assert "apakah pengetahuan bertahan" in text and "Friedman" in text and "Mauchly" in text
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(build.render(data, "pdf", lang="en").content)
    text = pdf_text(pdf)
    assert "did the knowledge last" in text and "Huynh-Feldt" in text and "Cochran" in text


def test_the_results_page_shows_the_followup_section(fu_session, educator_client):
    built = fu_session
    page = educator_client.client.get(f"/reports/sessions/{built.session_id}")
    assert page.status_code == 200
    assert "Tes follow-up: apakah pengetahuan bertahan?" in page.text
    for key in (
        "followup_counts",
        "followup_descriptives",
        "followup_tests",
        "followup_posthoc",
        "followup_questions",
    ):
        assert f'id="table-{key}"' in page.text, key
