"""The .sav files opened and run by PSPP as a reviewer runs SPSS: the report's paired tables come out."""

from __future__ import annotations

import pyreadstat
import pytest

from app.extensions import db
from app.models import CounselingSession
from app.reports import build
from app.services.reportdata import gather
from tests.conftest import delete_test_data, new_educator
from tests.reports.conftest import build_data
from tests.reports.readback import pspp


@pytest.fixture(scope="module")
def sav_made(base_app, tmp_path_factory):
    """The gathered data and its two .sav files, made once per backend: both tests only read them
    (ReportData holds no database object), so the rows are deleted as soon as the files exist."""
    tmp_path = tmp_path_factory.mktemp("sav")
    with base_app.app_context():
        try:
            owner = new_educator()
            built = build_data(owner, 30, drop_pre=(3,), drop_post=(5, 9), seed=4)
            data = gather([db.session.get(CounselingSession, built.session_id)])
            wide, long = tmp_path / "wide.sav", tmp_path / "long.sav"
            wide.write_bytes(build.render(data, "sav").content)
            long.write_bytes(build.render(data, "sav-long").content)
            return data, wide, long
        finally:
            delete_test_data()


@pytest.fixture
def sav_files(app, sav_made):
    """(ReportData, wide .sav, long .sav); the test runs in an app context as before."""
    return sav_made


def test_sav_has_measurement_levels_formats_units_and_a_paired_filter(sav_files):
    data, wide, long = sav_files
    df, meta = pyreadstat.read_sav(str(wide))
    measure = meta.variable_measure
    assert measure["id"] == "nominal" and measure["education"] == "ordinal"
    assert measure["occupation"] == "nominal" and measure["paired"] == "nominal"
    assert measure["pre"] == measure["post"] == measure["age"] == "scale"
    fmt = meta.original_variable_types
    assert (
        fmt["id"] == "F8.0" and fmt["pre"] == "F8.2" and fmt["pre_q01"] == "F1.0" and fmt["ngain"] == "F8.3"
    )
    assert meta.column_names_to_labels["age"] == "Umur (tahun)"
    assert meta.variable_value_labels["paired"] == {0.0: "tidak", 1.0: "ya"}
    paired = [1.0 if p.pre is not None and p.post is not None else 0.0 for p in data.people]
    assert df["paired"].tolist() == paired
    _dl, meta_l = pyreadstat.read_sav(str(long))
    assert meta_l.column_names_to_labels["test"] == "Pre-test atau post-test"
    assert meta_l.variable_measure["score"] == "scale"


def _cell(rows: list[list[str]], first: str, column: str, header_row: int = 0) -> str:
    header = rows[header_row]
    row = next(r for r in rows if r and r[0] == first)
    return row[header.index(column)]


def test_pspp_runs_the_paired_tests_with_the_filter_and_agrees_with_the_report(sav_files, tmp_path):
    data, wide, long = sav_files
    result = data.analyse("id")
    tables = pspp(
        f"GET FILE='{wide}'.\n"
        "FILTER BY paired.\n"
        "T-TEST PAIRS=pre WITH post (PAIRED).\n"
        "NPAR TESTS /WILCOXON=pre WITH post (PAIRED).\n",
        tmp_path,
    )
    t_test = tables["Paired Samples Test"]
    row = next(r for r in t_test if r and r[0] == "Pair 1")
    t, df = float(row[-3]), int(row[-2])
    tt = result.paired_t_test
    # SPSS and PSPP subtract post from pre (pre − post): the same t with the opposite sign
    assert t == pytest.approx(-tt.t, abs=0.005)
    assert df == tt.df == result.counts.n_paired - 1
    z = float(_cell(tables["Test Statistics"], "Z", tables["Test Statistics"][0][1], 0).replace(",", "."))
    assert z == pytest.approx(result.wilcoxon.z, abs=0.005)
    n_pairs = next(r for r in tables["Ranks"] if r and r[1] == "Total")[2]
    assert int(n_pairs) == result.counts.n_paired

    means = pspp(f"GET FILE='{long}'.\nFILTER BY paired.\nMEANS TABLES=score BY test.\n", tmp_path)["Report"]
    d = result.descriptives
    assert float(_cell(means, "Pre-test", "Mean")) == pytest.approx(d["pre"].mean, abs=0.005)
    assert float(_cell(means, "Post-test", "Mean")) == pytest.approx(d["post"].mean, abs=0.005)
    assert int(_cell(means, "Pre-test", "N")) == result.counts.n_paired
