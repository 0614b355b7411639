"""analysis.coverage: the register marks, the two indicators and the CLI, on a cohort worked by hand.

Every expected count below is worked out by hand in the comments next to the pairs;
the Wilson intervals are R's, printed by (R 4, Debian r-base-core):

    for (x in list(c(4,7), c(3,4), ...)) print(prop.test(x[1], x[2], correct = FALSE)$conf.int)
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.coverage import (
    CohortVisit,
    age_in_months,
    completion_outcome,
    coverage,
    feeding_status,
    parse_period,
    read_visits_file,
    register_marks,
)
from analysis.io import DataFileError

# R: prop.test(k, n, correct = FALSE)$conf.int, printed with %.10f
R_WILSON = {
    (4, 7): (0.2504583645, 0.8417801447),
    (3, 4): (0.3006418426, 0.9544127392),
    (6, 7): (0.4868721707, 0.9743203757),
    (1, 3): (0.0614919447, 0.7923403992),
    (2, 3): (0.2076596008, 0.9385080553),
    (2, 4): (0.1500389892, 0.8499610108),
    (1, 2): (0.0945312057, 0.9054687943),
    (2, 2): (0.3423802275, 1.0000000000),
    (1, 1): (0.2065493144, 1.0000000000),
    (9, 13): (0.4236934318, 0.8731929634),
    (12, 13): (0.6668604908, 0.9862895788),
}

D = dt.date
PLACE = {"Melati": "Bojong", "Mawar": "Bojong", "Anggrek": "Cikeas"}


def visit(pair, posyandu, birth, day, status="eksklusif", since=None):
    return CohortVisit(pair, birth, day, status, since, posyandu, PLACE[posyandu])


def monthly(pair, posyandu, birth, months, *, status=None, since=None):
    """A visit on the day after each listed completed month (status/since per month, default √)."""
    out = []
    for m in months:
        day = D(
            birth.year + (birth.month - 1 + m) // 12, (birth.month - 1 + m) % 12 + 1, birth.day
        ) + dt.timedelta(days=1)
        out.append(
            visit(pair, posyandu, birth, day, (status or {}).get(m, "eksklusif"), (since or {}).get(m))
        )
    return out


def cohort() -> list[CohortVisit]:
    """The hand-worked cohort of August 2026 (period 2026-08: 1-31 August)."""
    v: list[CohortVisit] = []
    # --- babies 0-5 months in August (register indicator) ---
    # A1 born 3 May: √ at months 1, 2, 3 (4 Aug) -> came, breast milk only so far.
    b = D(2026, 5, 3)
    v += [visit("A1", "Melati", b, D(2026, 6, 5)), visit("A1", "Melati", b, D(2026, 7, 4))]
    v += [visit("A1", "Melati", b, D(2026, 8, 4))]
    # A2 born 20 Apr: predominan on 1 Jun (X at month 1), eksklusif on 21 Aug -> came, not exclusive;
    #    the 24-hour recall of 21 Aug still says eksklusif.
    b = D(2026, 4, 20)
    v += [visit("A2", "Melati", b, D(2026, 6, 1), "predominan"), visit("A2", "Melati", b, D(2026, 8, 21))]
    # A3 born 15 Jun: eksklusif on 16 Aug, but "something else since the last visit" -> X; came, not exclusive.
    v += [visit("A3", "Melati", D(2026, 6, 15), D(2026, 8, 16), since=True)]
    # A4 born 10 Jul: √ on 12 Aug -> came, exclusive.
    v += [visit("A4", "Mawar", D(2026, 7, 10), D(2026, 8, 12))]
    # A5 born 2 Mar: did not come on 3 Aug (age 5) -> absent (A), outside n.
    v += [visit("A5", "Mawar", D(2026, 3, 2), D(2026, 8, 3), "tidak_datang")]
    # A6 born 20 May: √ on 21 Jul, nothing in August -> not recorded in August.
    v += [visit("A6", "Anggrek", D(2026, 5, 20), D(2026, 7, 21))]
    # A7 born 1 Mar: √ on 30 Aug (age 5); parsial on 2 Sep is after the period and ignored -> came, exclusive.
    b = D(2026, 3, 1)
    v += [visit("A7", "Anggrek", b, D(2026, 8, 30)), visit("A7", "Anggrek", b, D(2026, 9, 2), "parsial")]
    # A8 born 1 Feb: six months on 1 Aug, one visit on 5 Aug at six months -> not 0-5 in August;
    #    reached six months in August with nothing in months 0-5 -> gaps.
    v += [visit("A8", "Anggrek", D(2026, 2, 1), D(2026, 8, 5))]
    # A9 born 15 Jan: six months on 15 Jul -> in no August figure.
    v += [visit("A9", "Anggrek", D(2026, 1, 15), D(2026, 8, 10))]
    # A10 born 5 Aug: parsial on 7 Aug, did not come on 20 Aug -> came (a visit beats an A), not exclusive.
    b = D(2026, 8, 5)
    v += [
        visit("A10", "Anggrek", b, D(2026, 8, 7), "parsial"),
        visit("A10", "Anggrek", b, D(2026, 8, 20), "tidak_datang"),
    ]
    # --- babies reaching six completed months in August (completion) ---
    # Each is aged 5 on some August days before its six-month day and has no August visit
    # (except C6): so each also counts as "not recorded" in August's register indicator.
    # C1 born 10 Feb: √ in every month 0-5 -> completed.
    v += monthly("C1", "Melati", D(2026, 2, 10), range(6))
    # C2 born 12 Feb: month 2 not visited, the month-3 visit confirms nothing else since the last -> completed.
    v += monthly("C2", "Melati", D(2026, 2, 12), [0, 1, 3, 4, 5], since={3: False})
    # C3 born 14 Feb: month 2 not visited and not confirmed -> gaps.
    v += monthly("C3", "Mawar", D(2026, 2, 14), [0, 1, 3, 4, 5])
    # C4 born 16 Feb: √ in months 0-4, A in month 5 -> gaps (no month-5 visit).
    v += monthly("C4", "Mawar", D(2026, 2, 16), range(6), status={5: "tidak_datang"})
    # C5 born 18 Feb: parsial in month 3 -> not exclusive.
    v += monthly("C5", "Anggrek", D(2026, 2, 18), range(6), status={3: "parsial"})
    # C6 born 3 Feb: √ in months 0-4 and on 2 Aug (still month 5) -> completed, and came in August at 0-5, √.
    b = D(2026, 2, 3)
    v += [*monthly("C6", "Anggrek", b, range(5)), visit("C6", "Anggrek", b, D(2026, 8, 2))]
    return v


def ci(r):
    return (round(r.ci_low, 10), round(r.ci_high, 10))


def test_august_overall_by_hand():
    result = coverage(cohort(), "2026-08", target=50)
    reg, comp, rec = result.overall.register, result.overall.completion, result.overall.recall_24h
    # came: A1 A2 A3 A4 A7 A10 C6 = 7; breast milk only so far: A1 A4 A7 C6 = 4.
    assert (reg.k, reg.n, reg.absent) == (4, 7, 1)
    # not recorded in August while 0-5: A6, C1, C2, C3, C4, C5.
    assert reg.not_recorded == 6
    assert reg.proportion == pytest.approx(4 / 7)
    assert ci(reg) == pytest.approx(R_WILSON[(4, 7)], abs=1e-9)
    assert reg.meets_target is True
    # reached six months: C1-C6 and A8 = 7; completed C1 C2 C6; not exclusive C5; gaps C3 C4 A8.
    assert (comp.reached, comp.k, comp.n, comp.gaps) == (7, 3, 4, 3)
    assert ci(comp) == pytest.approx(R_WILSON[(3, 4)], abs=1e-9)
    # 24-hour recall at the last August visit: all but A10 say eksklusif (A2 and A3 included).
    assert (rec.k, rec.n) == (6, 7)
    assert ci(rec) == pytest.approx(R_WILSON[(6, 7)], abs=1e-9)


def test_august_by_posyandu_and_desa_by_hand():
    result = coverage(cohort(), "2026-08", target=60)
    got = {
        (g.level, g.name): (
            g.register.k,
            g.register.n,
            g.register.absent,
            g.completion.k,
            g.completion.n,
            g.completion.gaps,
        )
        for g in result.by_posyandu + result.by_desa
    }
    assert got == {
        # Melati: came A1 A2 A3, only A1 exclusive; C1 C2 completed.
        ("posyandu", "Melati"): (1, 3, 0, 2, 2, 0),
        # Mawar: came A4 (exclusive), A5 absent; C3 C4 gaps.
        ("posyandu", "Mawar"): (1, 1, 1, 0, 0, 2),
        # Anggrek: came A7 A10 C6, A7 C6 exclusive; C6 completed, C5 not, A8 gaps.
        ("posyandu", "Anggrek"): (2, 3, 0, 1, 2, 1),
        ("desa", "Bojong"): (2, 4, 1, 2, 2, 2),
        ("desa", "Cikeas"): (2, 3, 0, 1, 2, 1),
    }
    by = {g.name: g for g in result.by_posyandu + result.by_desa}
    for name, (k, n) in {"Melati": (1, 3), "Anggrek": (2, 3), "Bojong": (2, 4), "Mawar": (1, 1)}.items():
        assert ci(by[name].register) == pytest.approx(R_WILSON[(k, n)], abs=1e-9)
    assert ci(by["Melati"].completion) == pytest.approx(R_WILSON[(2, 2)], abs=1e-9)
    assert ci(by["Anggrek"].completion) == pytest.approx(R_WILSON[(1, 2)], abs=1e-9)
    # 1/3 < 60% <= 2/3; Mawar has no completion denominator.
    assert by["Melati"].register.meets_target is False and by["Anggrek"].register.meets_target is True
    assert by["Mawar"].completion.meets_target is None and by["Mawar"].completion.reason == "no_values"


def test_semester_march_to_august_by_hand():
    result = coverage(cohort(), "2026-08", semester=True)
    assert (result.start, result.end) == ("2026-03-01", "2026-08-31")
    reg, comp, rec = result.overall.register, result.overall.completion, result.overall.recall_24h
    # came at 0-5 in Mar-Aug: A1 A2 A3 A4 A6 A7 A10 C1-C6 = 13; X so far: A2 A3 A10 C5 -> 9.
    assert (reg.k, reg.n, reg.absent) == (9, 13, 1)
    # A8 and A9 were 0-5 in March-July with no record then.
    assert reg.not_recorded == 2
    assert ci(reg) == pytest.approx(R_WILSON[(9, 13)], abs=1e-9)
    # six months in Mar-Aug: C1-C6, A8, A9; A9 joins the gaps.
    assert (comp.reached, comp.k, comp.n, comp.gaps) == (8, 3, 4, 4)
    # last visit's recall: only A10 (parsial) is not eksklusif.
    assert (rec.k, rec.n) == (12, 13)
    assert ci(rec) == pytest.approx(R_WILSON[(12, 13)], abs=1e-9)


def test_register_marks_and_outcomes():
    by_pair: dict[str, list[CohortVisit]] = {}
    for v in cohort():
        by_pair.setdefault(v.pair, []).append(v)
    assert register_marks(by_pair["C3"]) == ["√", "√", "", "√", "√", "√"]
    assert register_marks(by_pair["C4"]) == ["√", "√", "√", "√", "√", "A"]
    assert register_marks(by_pair["C5"]) == ["√", "√", "√", "X", "√", "√"]
    assert register_marks(by_pair["A10"]) == ["X", "", "", "", "", ""]
    # The September parsial is left out when the register is drawn as of August.
    assert register_marks(by_pair["A7"], until=D(2026, 8, 31)) == ["", "", "", "", "", "√"]
    assert register_marks(by_pair["A7"]) == ["", "", "", "", "", "√"]  # six months on 1 Sep: outside 0-5
    outcomes = {p: completion_outcome(by_pair[p]) for p in ("C1", "C2", "C3", "C4", "C5", "C6", "A8")}
    assert outcomes == {
        "C1": "completed",
        "C2": "completed",
        "C3": "gaps",
        "C4": "gaps",
        "C5": "not_exclusive",
        "C6": "completed",
        "A8": "gaps",
    }


def test_a_gap_is_confirmed_only_by_an_explicit_no():
    b = D(2026, 1, 5)
    base = monthly("P", "Melati", b, [0, 1, 2, 4, 5])
    assert completion_outcome(base) == "gaps"
    confirmed = monthly("P", "Melati", b, [0, 1, 2, 4, 5], since={4: False})
    assert completion_outcome(confirmed) == "completed"
    # "yes, something else was given" at the visit after the gap is an X, not a confirmation.
    given = monthly("P", "Melati", b, [0, 1, 2, 4, 5], since={4: True})
    assert completion_outcome(given) == "not_exclusive"


@pytest.mark.parametrize(
    ("breastfed", "given", "status"),
    [
        (True, [], "eksklusif"),
        (True, ["water"], "predominan"),
        (True, ["honey", "tea"], "predominan"),
        (True, ["tea", "formula"], "parsial"),
        (True, ["other_milk"], "parsial"),
        (True, ["porridge"], "parsial"),
        (True, ["banana"], "parsial"),
        (True, ["other"], "parsial"),
        (False, [], "tidak_menyusui"),
        (False, ["formula"], "tidak_menyusui"),
    ],
)
def test_feeding_status_riskesdas(breastfed, given, status):
    assert feeding_status(breastfed, given) == status


def test_feeding_status_refuses_an_unknown_item():
    with pytest.raises(ValueError, match="juice"):
        feeding_status(True, ["juice"])


def test_ages_and_periods():
    assert age_in_months(D(2026, 2, 10), D(2026, 8, 9)) == 5
    assert age_in_months(D(2026, 2, 10), D(2026, 8, 10)) == 6
    assert age_in_months(D(2026, 1, 31), D(2026, 2, 28)) == 0
    assert parse_period("2026-02").end == D(2026, 2, 28)
    with pytest.raises(ValueError, match="February or August"):
        parse_period("2026-07", semester=True)
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_period("2026-13")


def test_bad_visits_are_refused():
    b = D(2026, 3, 1)
    with pytest.raises(ValueError, match="before the birth"):
        coverage([CohortVisit("P", b, D(2026, 2, 1), "eksklusif")], "2026-03")
    with pytest.raises(ValueError, match="status"):
        coverage([CohortVisit("P", b, D(2026, 3, 5), "asi")], "2026-03")
    with pytest.raises(ValueError, match="differs"):
        coverage(
            [
                CohortVisit("P", b, D(2026, 3, 5), "eksklusif"),
                CohortVisit("P", D(2026, 3, 2), D(2026, 3, 6), "eksklusif"),
            ],
            "2026-03",
        )


# ---- the file and the command line ----


def to_rows(visits):
    return [
        {
            "pair": v.pair,
            "birth_date": v.birth_date.isoformat(),
            "visit_date": v.visit_date.isoformat(),
            "status": v.status,
            "other_since_last": {None: "", True: "ya", False: "tidak"}[v.other_since_last],
            "posyandu": v.posyandu,
            "desa": v.desa,
        }
        for v in visits
    ]


def test_csv_and_xlsx_give_the_figures_of_the_hand_cohort(tmp_path, capsys):
    frame = pd.DataFrame(to_rows(cohort()))
    csv_path, xlsx_path = tmp_path / "kunjungan.csv", tmp_path / "kunjungan.xlsx"
    frame.to_csv(csv_path, sep=";", index=False)
    frame.assign(
        birth_date=pd.to_datetime(frame.birth_date), visit_date=pd.to_datetime(frame.visit_date)
    ).to_excel(xlsx_path, index=False)
    assert read_visits_file(xlsx_path) == read_visits_file(csv_path) == cohort()
    assert main(["coverage", str(csv_path), "--period", "2026-08", "--target", "50", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["overall"]["register"]["k"] == 4 and out["overall"]["register"]["n"] == 7
    assert out["overall"]["completion"]["gaps"] == 3
    assert out["overall"]["register"]["ci_low"] == pytest.approx(R_WILSON[(4, 7)][0], abs=1e-9)
    assert [g["name"] for g in out["by_posyandu"]] == ["Mawar", "Melati", "Anggrek"]
    assert out["target_percent"] == 50.0
    assert main(["coverage", str(xlsx_path), "--period", "2026-08", "--semester"]) == 0
    text = capsys.readouterr().out
    assert "semester 2026-08 (2026-03-01 – 2026-08-31)" in text
    assert "9/13" in text and "69,2%" in text  # 9/13 = 69.23%


HEADER = "pair,birth_date,visit_date,status\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "P1,2026-03-01,2026-02-27,eksklusif\n",
            "row 2, column 'visit_date', value '2026-02-27': the visit is before the birth date",
        ),
        (
            "P1,2099-03-01,2099-03-05,eksklusif\n",
            "row 2, column 'birth_date', value '2099-03-01': the birth date is in the future",
        ),
        (
            "P1,2026-03-01,2026-03-05,asi saja\n",
            "row 2, column 'status', value 'asi saja': the status must be one of",
        ),
        ("P1,2026-03-01,5 Maret,eksklusif\n", "row 2, column 'visit_date', value '5 Maret': is not a date"),
        (
            "P1,2026-03-01,2026-03-05,eksklusif\nP1,2026-03-02,2026-04-05,eksklusif\n",
            "row 3, column 'birth_date', value '2026-03-02': differs from row 2",
        ),
        (",2026-03-01,2026-03-05,eksklusif\n", "row 2, column 'pair', value '': the pair is empty"),
    ],
)
def test_bad_file_names_row_column_and_value(tmp_path, capsys, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + body)
    assert main(["coverage", str(path), "--period", "2026-03"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: {message}")


def test_missing_column_and_bad_options(tmp_path, capsys):
    path = tmp_path / "v.csv"
    path.write_text("pair,birth_date,status\nP1,2026-03-01,eksklusif\n")
    assert main(["coverage", str(path), "--period", "2026-03"]) == 2
    assert "row 1: the column 'visit_date' is missing" in capsys.readouterr().err
    path.write_text(HEADER + "P1,2026-03-01,2026-03-05,eksklusif\n")
    assert main(["coverage", str(path), "--period", "2026-03", "--target", "120"]) == 2
    assert "--target must be a percent" in capsys.readouterr().err
    assert main(["coverage", str(path), "--period", "2026-03", "--semester"]) == 2
    assert "February or August" in capsys.readouterr().err
    with pytest.raises(DataFileError, match="no such file"):
        read_visits_file(tmp_path / "none.csv")
