"""The statistics audit of issue 18, section 5, each figure compared with R run live (tests/analysis/rlive.py)."""

import math

import numpy as np
import pytest

from analysis._base import adjust_p
from analysis.groups import gain_by_characteristic
from analysis.items import ebel_category, item_quality, question_changes
from analysis.normality import lilliefors, shapiro_wilk
from analysis.paired import hodges_lehmann, paired_t_test, wilcoxon_signed_rank
from analysis.report import render_text
from analysis.summary import analyse, leading_test

from .rlive import r_matrix, r_str, r_vec, run_r

ALTERNATIVES = {"two-sided": "two.sided", "greater": "greater", "less": "less"}
#: What the Hodges-Lehmann tests read from R's wilcox.test(..., conf.int = TRUE) result `w`.
CONF_INT_OUTPUTS = (
    "out('est', w$estimate); out('ci', w$conf.int); out('level', attr(w$conf.int, 'conf.level'))"
)


def quiz_pairs(n, k, seed, low=-2, high=5):
    """Scores 100 j / k as the app computes them (float artefacts included), post = pre + a few questions."""
    rng = np.random.default_rng(seed)
    right_pre = rng.integers(0, k + 1, n)
    right_post = np.clip(right_pre + rng.integers(low, high, n), 0, k)
    return 100 * right_pre / k, 100 * right_post / k


# --- Kruskal-Wallis after the 7-digit rounding ------------------------------------------------


def test_kruskal_wallis_ranks_gains_equal_on_paper_as_ties_as_r_does_on_the_typed_values():
    """R: kruskal.test(list(...)) on the gains as typed (6.2, 6.2, ...): ours from computed gains equals it."""
    pre = np.array([0.1, 1.2, 2.3, 0.4, 1.5, 3.6, 0.7, 2.8, 1.9, 0.0, 1.1, 2.2]) * 3
    gains_on_paper = np.array([6.2, 6.2, 3.1, 6.2, 9.3, 3.1, 6.2, 9.3, 3.1, 6.2, 9.3, 6.2])
    post = pre + gains_on_paper
    assert len(set((post - pre).tolist())) > 3  # the float artefacts are there: 6.2 is not always 6.2
    groups = ["A", "A", "A", "A", "B", "B", "B", "B", "C", "C", "C", "C"]
    r = run_r(
        f"g <- factor({r_str(groups)}); x <- {r_vec(gains_on_paper)}\n"
        "k <- kruskal.test(x ~ g); out('h', k$statistic); out('p', k$p.value); out('df', k$parameter)"
    )
    kw = gain_by_characteristic(pre, post, groups).kruskal_wallis
    assert kw.statistic == pytest.approx(r["h"][0], rel=1e-12)
    assert kw.p_value == pytest.approx(r["p"][0], rel=1e-12)
    assert kw.df == r["df"][0]


# --- Wilcoxon with R's defaults (exact = NULL, correct = TRUE) and the tie rule ----------------


def wilcoxon_cases():
    exact_pre = [10.0, 20.5, 31.25, 40.0, 55.5, 60.125, 71.0, 80.0, 15.0, 25.0]
    exact_post = [12.0, 23.5, 35.25, 35.0, 62.5, 69.125, 60.0, 93.0, 29.0, 40.0]  # distinct |d|, no zero
    big = np.random.default_rng(7)
    big_pre = big.normal(50, 10, 60)
    big_post = big_pre + big.normal(3, 5, 60)  # n = 60 without ties: R leaves the exact distribution
    return {
        "exact, no ties, no zeros": (exact_pre, exact_post),
        "quiz scores, zeros and ties": quiz_pairs(25, 15, 1),
        "quiz scores, 200 pairs": quiz_pairs(200, 20, 2),
        "quiz scores, 3000 pairs": quiz_pairs(3000, 40, 6),
        "no ties, 60 pairs": (big_pre, big_post),
        "a fall": quiz_pairs(30, 10, 3, low=-4, high=2),
    }


def each_wilcoxon_case(test):
    """Parametrize a test by case (of `wilcoxon_cases`) and alternative."""
    by_alternative = pytest.mark.parametrize("alternative", list(ALTERNATIVES))
    return pytest.mark.parametrize("case", list(wilcoxon_cases()))(by_alternative(test))


def r_wilcox_paired(case: str, alternative: str, options: str, outputs: str):
    """The case's pre and post, and R's wilcox.test(post, pre, paired = TRUE, <options>alternative = ...,
    digits.rank = 7) run live (warnings suppressed), `outputs` read from its result `w`."""
    pre, post = wilcoxon_cases()[case]
    r = run_r(
        f"w <- suppressWarnings(wilcox.test({r_vec(post)}, {r_vec(pre)}, paired = TRUE, {options}"
        f"alternative = '{ALTERNATIVES[alternative]}', digits.rank = 7))\n" + outputs
    )
    return pre, post, r


@each_wilcoxon_case
def test_wilcoxon_with_r_defaults_and_digits_rank_7(case, alternative):
    """R: wilcox.test(post, pre, paired = TRUE, alternative = ..., digits.rank = 7), exact = NULL, correct = TRUE."""
    pre, post, r = r_wilcox_paired(
        case, alternative, "", "out('v', w$statistic); out('p', w$p.value); outs('method', w$method)"
    )
    w = wilcoxon_signed_rank(pre, post, alternative=alternative)
    assert w.v == r["v"][0]
    assert w.p_value == pytest.approx(r["p"][0], rel=1e-12, abs=1e-300)
    assert (w.method == "exact") == ("exact" in r["method"][0])
    assert w.continuity_correction == ("continuity correction" in r["method"][0])


@each_wilcoxon_case
def test_hodges_lehmann_equals_r_wilcox_test_conf_int(case, alternative):
    """R: wilcox.test(post, pre, paired = TRUE, conf.int = TRUE, digits.rank = 7): $estimate, $conf.int."""
    pre, post, r = r_wilcox_paired(case, alternative, "conf.int = TRUE, ", CONF_INT_OUTPUTS)
    h = hodges_lehmann(pre, post, alternative=alternative)
    assert h.estimate == pytest.approx(r["est"][0], rel=1e-12)
    low, high = r["ci"]
    assert (h.ci_low if math.isfinite(low) else -math.inf) == pytest.approx(low, rel=1e-12)
    assert (h.ci_high if math.isfinite(high) else math.inf) == pytest.approx(high, rel=1e-12)
    assert h.confidence_achieved == pytest.approx(r["level"][0], rel=1e-12)


def test_hodges_lehmann_lowers_the_level_as_r_does_with_few_pairs():
    """R: wilcox.test(post, pre, paired = TRUE, conf.int = TRUE) with 4 pairs: "requested conf.level not achievable"."""
    pre, post = [10, 20, 30, 40], [12, 25, 33, 47]
    r = run_r(
        f"w <- suppressWarnings(wilcox.test({r_vec(post)}, {r_vec(pre)}, paired = TRUE, conf.int = TRUE))\n"
        + CONF_INT_OUTPUTS
    )
    h = hodges_lehmann(pre, post)
    assert (h.estimate, h.ci_low, h.ci_high) == pytest.approx(
        (r["est"][0], r["ci"][0], r["ci"][1]), rel=1e-12
    )
    assert h.confidence_achieved == pytest.approx(r["level"][0]) and h.confidence_achieved < 0.95


def test_hodges_lehmann_cannot_be_computed_where_r_gives_nan():
    """R: wilcox.test(c(15, 15, 15), c(10, 10, 10), paired = TRUE, conf.int = TRUE) gives conf.int NaN NaN."""
    r = run_r("w <- suppressWarnings(wilcox.test(c(15, 15, 15), c(10, 10, 10), paired = TRUE, conf.int = TRUE))\n"
              "out('ci', w$conf.int); out('est', w$estimate)")  # fmt: skip
    h = hodges_lehmann([10, 10, 10], [15, 15, 15])
    assert np.isnan(r["ci"]).all() and h.ci_low is None and h.reason == "constant_differences"
    assert h.estimate == r["est"][0]


def test_equal_rank_sums_give_z_plus_zero_and_say_so():
    """R: wilcox.test(post, pre, paired = TRUE, exact = FALSE, correct = FALSE): V = n(n+1)/4, p = 1."""
    pre = [50, 50, 50, 50, 50, 50]
    post = [60, 40, 70, 30, 55, 45]  # |d| 10, 10, 20, 20, 5, 5: W+ = W- = 10.5
    r = run_r(
        f"w <- wilcox.test({r_vec(post)}, {r_vec(pre)}, paired = TRUE, exact = FALSE, correct = FALSE)\n"
        "out('v', w$statistic); out('p', w$p.value)"
    )
    w = wilcoxon_signed_rank(pre, post)
    assert w.v == r["v"][0] == w.sum_ranks_negative
    assert w.p_value_asymptotic == pytest.approx(r["p"][0]) == 1.0
    assert w.z == 0.0 and math.copysign(1.0, w.z) == 1.0
    assert w.z_based_on == "equal_sums"
    text = render_text(analyse(pre, post), "en")
    assert "rank sums are equal" in text and "-0.000" not in text


def test_the_method_note_names_the_tie_rule():
    text = render_text(analyse(*quiz_pairs(20, 15, 4)), "id")
    assert "digits.rank = 7" in text


# --- The decision sentence says the direction ---------------------------------------------------


def test_a_significant_fall_is_reported_as_a_fall():
    pre = [80, 85, 90, 75, 70, 95, 88, 82, 79, 91, 86, 77]
    post = [60, 70, 65, 55, 50, 80, 66, 62, 58, 70, 69, 57]
    a = analyse(pre, post)
    assert a.leading_test.significant and a.leading_test.direction == "decrease"
    en, ind = render_text(a, "en"), render_text(a, "id")
    assert "fell significantly" in en and "penurunan pengetahuan yang bermakna" in ind
    rise = render_text(analyse(post, pre), "en")
    assert "rose significantly" in rise


# --- The normality rule that picks the leading test ---------------------------------------------


@pytest.mark.parametrize(("n", "expected"), [(49, "shapiro_wilk"), (50, "lilliefors")])
def test_default_rule_is_shapiro_wilk_below_50_pairs_and_lilliefors_from_50(n, expected):
    rng = np.random.default_rng(n)
    d = rng.normal(5, 3, n)
    pre = np.full(n, 40.0)
    post = pre + d
    lt = leading_test(
        shapiro_wilk(d), lilliefors(d), paired_t_test(pre, post), wilcoxon_signed_rank(pre, post)
    )
    assert (lt.basis, lt.normality_rule) == (expected, "sample_size")
    other = "shapiro_wilk" if expected == "lilliefors" else "lilliefors"
    forced = leading_test(shapiro_wilk(d), lilliefors(d), paired_t_test(pre, post),
                          wilcoxon_signed_rank(pre, post), rule=other)  # fmt: skip
    assert forced.basis == other


def test_the_report_names_the_normality_rule():
    a = analyse(*quiz_pairs(60, 15, 5), normality_rule="shapiro_wilk")
    assert a.settings.normality_rule == "shapiro_wilk" and a.leading_test.basis == "shapiro_wilk"
    assert "Normality rule: Shapiro-Wilk" in render_text(a, "en")
    assert "n < 50" in render_text(analyse(*quiz_pairs(60, 15, 5)), "en")


# --- Item analysis: validity, alpha if deleted, Ebel, the 27% groups -------------------------------


def item_data(seed=11, n=40, k=8):
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, n)
    x = (rng.random((n, k)) < 1 / (1 + np.exp(-(ability[:, None] - rng.normal(0, 1, k))))).astype(float)
    x[:, 3] = 1.0  # a question everyone got right: zero variance, kept
    return x


def test_item_validity_alpha_if_deleted_and_r_tabel_equal_r():
    """R: cor(x[, j], rowSums(x[, -j])), cor.test(...)$p.value, qt(0.975, n - 2), alpha of x[, -j]."""
    x = item_data()
    r = run_r(
        f"x <- {r_matrix(x)}; n <- nrow(x); k <- ncol(x)\n"
        "alpha <- function(m) { k <- ncol(m); k / (k - 1) * (1 - sum(apply(m, 2, var)) / var(rowSums(m))) }\n"
        "r <- p <- a <- numeric(k)\n"
        "for (j in 1:k) { rest <- rowSums(x[, -j]); a[j] <- alpha(x[, -j])\n"
        "  if (var(x[, j]) > 0) { r[j] <- cor(x[, j], rest); p[j] <- cor.test(x[, j], rest)$p.value }"
        " else { r[j] <- NA; p[j] <- NA } }\n"
        "t <- qt(0.975, n - 2); out('r', r); out('p', p); out('a', a); out('rtab', t / sqrt(n - 2 + t^2))\n"
        "out('alpha', alpha(x))"
    )
    q = item_quality(x)
    assert q.r_table == pytest.approx(r["rtab"][0], rel=1e-12)
    assert q.reliability.coefficient == pytest.approx(r["alpha"][0], rel=1e-12)
    for j, item in enumerate(q.items):
        assert item.alpha_if_deleted == pytest.approx(r["a"][j], rel=1e-12)
        if np.isnan(r["r"][j]):
            assert item.corrected_item_total is None and item.valid is None
        else:
            assert item.corrected_item_total == pytest.approx(r["r"][j], rel=1e-12)
            assert item.valid == bool(r["p"][j] < 0.05)  # r > r tabel exactly when cor.test rejects


def test_r_tabel_is_the_printed_table_value():
    """The r tabel reviewers look up: df = 28, alpha = 0.05 two-sided -> 0.361."""
    assert round(item_quality(item_data(n=30)).r_table, 3) == 0.361


def test_upper_lower_index_does_not_depend_on_row_order_and_equals_mean_over_tie_breaks():
    """R: the mean of D over every way of filling the 27% groups from the participants tied at the cut (combn)."""
    rng = np.random.default_rng(5)
    x = (rng.random((15, 4)) < 0.5).astype(float)
    total = x.sum(axis=1)
    q, q_rev = item_quality(x), item_quality(x[::-1])
    d = [i.upper_lower_index for i in q.items]
    assert d == pytest.approx([i.upper_lower_index for i in q_rev.items], abs=1e-15)
    assert q.group_size == 4
    srt = np.sort(total)
    assert srt[3] == srt[4] or srt[-4] == srt[-5]  # the data do have ties at a cut
    r = run_r(
        f"x <- {r_matrix(x)}; g <- 4; tot <- rowSums(x)\n"
        "groups <- function(key) { cut <- sort(key)[g]; inside <- which(key < cut); tied <- which(key == cut)\n"
        "  sets <- combn(length(tied), g - length(inside), simplify = FALSE)\n"
        "  lapply(sets, function(s) c(inside, tied[s])) }\n"
        "up <- groups(-tot); lo <- groups(tot); acc <- 0; m <- 0\n"
        "for (u in up) for (l in lo) { acc <- acc + colMeans(x[u, , drop = FALSE]) - colMeans(x[l, , drop = FALSE]); m <- m + 1 }\n"
        "out('d', acc / m)"
    )
    assert d == pytest.approx(r["d"].tolist(), rel=1e-12)


def test_ebel_categories():
    assert [ebel_category(v) for v in (0.40, 0.39, 0.30, 0.2999999999999, 0.20, 0.19, -0.1)] == [
        "very_good", "good", "good", "good", "marginal", "poor", "poor",
    ]  # fmt: skip


# --- Holm and Bonferroni ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["holm", "bonferroni"])
def test_p_adjust_equals_r_and_leaves_untestable_p_out(method):
    """R: p.adjust(p, method), NA left out of the family."""
    p = [0.01, np.nan, 0.04, 0.03, 0.2, np.nan, 0.005]
    r = run_r(f"out('q', p.adjust({r_vec(p)}, '{method}'))")
    np.testing.assert_allclose(adjust_p(p, method), r["q"], rtol=1e-15)


def test_bonferroni_option_for_the_questions():
    rng = np.random.default_rng(2)
    pre = (rng.random((40, 6)) < 0.4).astype(float)
    post = np.maximum(pre, (rng.random((40, 6)) < 0.5).astype(float))
    holm = question_changes(pre, post)
    bonf = question_changes(pre, post, p_adjust="bonferroni")
    ps = [c.p_value for c in holm if c.p_value is not None]
    r = run_r(f"out('b', p.adjust({r_vec(ps)}, 'bonferroni'))")
    assert [c.p_value_adjusted for c in bonf if c.p_value is not None] == pytest.approx(r["b"].tolist())
    assert [c.p_value_holm for c in bonf] == [c.p_value_holm for c in holm]
    a = analyse(100 * pre.mean(1), 100 * post.mean(1), items_pre=pre, items_post=post, p_adjust="bonferroni")
    assert a.settings.p_adjust == "bonferroni" and "p (Bonferroni)" in render_text(a, "en")
