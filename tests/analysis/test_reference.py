"""Our numbers against published R and SPSS output (tests/analysis/reference/), to the digits published."""

import numpy as np
import pytest
from scipy import stats

from analysis import (
    cronbach_alpha,
    kr20,
    lilliefors,
    mcnemar_exact,
    paired_t_test,
    question_changes,
    shapiro_wilk,
    wilcoxon_signed_rank,
    wilson_ci,
)

from .reference import r_normality as rn
from .reference import r_paired as rp
from .reference import r_spss_items as ri


def test_paired_t_test_equals_r_t_test_on_sleep():
    """R: t.test(extra ~ group, data = sleep, paired = TRUE), signs flipped for post = group 2."""
    r = paired_t_test(rp.SLEEP_GROUP1, rp.SLEEP_GROUP2)
    assert round(r.t, 4) == rp.SLEEP_T
    assert r.df == rp.SLEEP_DF
    assert round(r.p_value, 6) == rp.SLEEP_P
    assert (round(r.ci_low, 7), round(r.ci_high, 7)) == rp.SLEEP_CI
    assert round(r.mean_difference, 2) == rp.SLEEP_MEAN_DIFF
    assert r.cohens_dz == pytest.approx(r.t / np.sqrt(r.n))


def test_paired_t_test_reversed_equals_r_printout_signs():
    """The printed R call itself (group 1 - group 2): t = -4.0621, CI -2.4598858 to -0.7001142."""
    r = paired_t_test(rp.SLEEP_GROUP2, rp.SLEEP_GROUP1)
    assert round(r.t, 4) == -rp.SLEEP_T
    assert (round(r.ci_low, 7), round(r.ci_high, 7)) == (-rp.SLEEP_CI[1], -rp.SLEEP_CI[0])


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_wilcoxon_exact_equals_r_n10(alternative):
    """R 4.0.3: wilcox.test(x - y, exact = TRUE) (via scipy's test suite)."""
    r = wilcoxon_signed_rank(rp.EXACT_Y, rp.EXACT_X, alternative=alternative)
    assert r.method == "exact"
    assert r.p_value == pytest.approx(rp.EXACT_P[alternative], rel=1e-10)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_wilcoxon_exact_equals_r_n20(alternative):
    """R 4.0.3: wilcox.test(x, y, paired = TRUE, exact = TRUE) with 20 pairs."""
    r = wilcoxon_signed_rank(rp.EXACT20_Y, rp.EXACT20_X, alternative=alternative)
    assert r.method == "exact"
    assert r.p_value == pytest.approx(rp.EXACT20_P[alternative], rel=1e-12)


@pytest.mark.parametrize(("alternative", "correct"), list(rp.TIES_P))
def test_wilcoxon_normal_approximation_with_ties_and_zero_equals_r(alternative, correct):
    """R 4.0.3: wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = ...) with a zero and ties."""
    r = wilcoxon_signed_rank(rp.TIES_Y, rp.TIES_X, alternative=alternative, correct=correct)
    assert r.v == rp.TIES_V
    assert r.n_zero == 1 and r.has_ties
    assert r.method == "normal"
    assert r.p_value == pytest.approx(rp.TIES_P[(alternative, correct)], abs=1e-12)


def test_wilcoxon_default_uses_normal_approximation_when_r_would():
    """With ties R's default (exact = NULL) falls back to the normal approximation; so do we."""
    r = wilcoxon_signed_rank(rp.TIES_Y, rp.TIES_X, alternative="greater")
    assert r.method == "normal" and r.continuity_correction
    assert r.p_value == pytest.approx(rp.TIES_P[("greater", True)], abs=1e-12)


def test_wilcoxon_all_tied_equals_r_and_spss_asymptotic():
    """R: wilcox.test(rep(0.1, 10), exact = FALSE, correct = TRUE / FALSE)."""
    r = wilcoxon_signed_rank([0.0] * 10, [0.1] * 10)
    assert r.method == "normal"
    assert r.p_value == pytest.approx(rp.ALL_TIED_P_CORRECTED, rel=1e-12)
    # SPSS's Asymp. Sig.: tie-corrected variance, no continuity correction.
    assert r.p_value_asymptotic == pytest.approx(rp.ALL_TIED_P_UNCORRECTED, rel=1e-12)
    assert r.z < 0 and r.z_based_on == "negative_ranks"


def test_wilcoxon_forced_normal_approximation_equals_r():
    """R: wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = TRUE / FALSE), options(digits = 16)."""
    r = wilcoxon_signed_rank(rp.NOTIES_Y, rp.NOTIES_X, exact=False)
    assert r.v == rp.NOTIES_V
    assert r.p_value == pytest.approx(rp.NOTIES_P_CORRECTED, rel=1e-12)
    assert r.p_value_asymptotic == pytest.approx(rp.NOTIES_P_UNCORRECTED, rel=1e-12)
    assert wilcoxon_signed_rank(
        rp.NOTIES_Y, rp.NOTIES_X, exact=False, correct=False
    ).p_value == pytest.approx(rp.NOTIES_P_UNCORRECTED, rel=1e-12)


def test_shapiro_wilk_equals_r_three_values():
    """R: shapiro.test(c(-0.7746653110021126, -0.4344432067942129, 1.8157053280290931))."""
    r = shapiro_wilk(rn.SW3_X)
    assert r.statistic == pytest.approx(rn.SW3_W, rel=1e-10)
    assert r.p_value == pytest.approx(rn.SW3_P, rel=1e-6)


def test_shapiro_wilk_equals_r_on_values_close_together():
    """R: shapiro.test(c(0, 3.39996924e-08, -6.35166875e-09))."""
    r = shapiro_wilk(rn.SW_SMALL_X)
    assert (r.statistic, r.p_value) == pytest.approx(rn.SW_SMALL, rel=1e-5)


def test_shapiro_wilk_equals_r_n100():
    """R: shapiro.test on scipy's norm.rvs(loc=5, scale=3, size=100, random_state=12345678)."""
    x = stats.norm.rvs(loc=5, scale=3, size=100, random_state=rn.SW100_SEED)
    r = shapiro_wilk(x)
    assert r.statistic == pytest.approx(rn.SW100_W, abs=1e-6)
    assert r.p_value == pytest.approx(rn.SW100_P, abs=1e-3)


def test_lilliefors_statistic_equals_nortest_n500():
    """R: nortest::lillie.test(x_n) on statsmodels' RandomState(3975) normal sample."""
    x = stats.norm.rvs(size=500, random_state=np.random.RandomState(rn.LILLIE_SEED))
    assert round(lilliefors(x).statistic, 6) == rn.LILLIE_NORMAL_D


def test_lilliefors_equals_nortest_on_exponential_sample():
    """R: nortest::lillie.test(x_e): D = 0.15581, p-value < 2.2e-16."""
    x = stats.expon.rvs(size=500, random_state=np.random.RandomState(rn.LILLIE_SEED))
    r = lilliefors(x)
    assert round(r.statistic, 5) == rn.LILLIE_EXPON_D
    assert r.p_value < rn.LILLIE_EXPON_P_BELOW


def test_mcnemar_exact_equals_r_binom_test():
    """R: binom.test(3, 10, 0.5): 7 became right, 3 became wrong."""
    before = [0] * 7 + [1] * 3 + [1] * 5
    after = [1] * 7 + [0] * 3 + [1] * 5
    r = mcnemar_exact(before, after)
    assert (r.n_became_correct, r.n_became_wrong) == (7, 3)
    assert r.p_value == pytest.approx(ri.BINOM_3_OF_10_P, rel=1e-12)


@pytest.mark.parametrize(("k", "n"), ri.BINOM_EDGE)
def test_mcnemar_exact_equals_r_binom_test_edge(k, n):
    """R: binom.test(7, 13) and binom.test(6, 11) give p = 1."""
    r = mcnemar_exact([0] * k + [1] * (n - k), [1] * k + [0] * (n - k))
    assert r.p_value == pytest.approx(1.0)


def _table(both_no, no_to_yes, yes_to_no, both_yes):
    before = [0] * both_no + [0] * no_to_yes + [1] * yes_to_no + [1] * both_yes
    after = [0] * both_no + [1] * no_to_yes + [0] * yes_to_no + [1] * both_yes
    return before, after


def test_mcnemar_exact_equals_spss_crosstabs_support():
    """SPSS CROSSTABS McNemar, Exact Sig. (2-sided) = .727 (binomial distribution used)."""
    r = mcnemar_exact(*_table(**ri.SPSS_SUPPORT_TABLE))
    assert round(r.p_value, 3) == ri.SPSS_SUPPORT_P


def test_mcnemar_exact_equals_spss_pre_post():
    """SPSS McNemar on a pre/post design with 15 and 2 changes: Exact Sig. = .002."""
    s = ri.SPSS_SUBSTANCE
    stay_use = s["using_before"] - s["to_no_use"]
    stay_no = s["n"] - s["using_before"] - s["to_use"]
    r = mcnemar_exact(*_table(stay_no, s["to_use"], s["to_no_use"], stay_use))
    assert r.n == s["n"]
    assert round(r.p_value, 3) == ri.SPSS_SUBSTANCE_P


def test_kr20_equals_psych_alpha_on_complete_cases():
    """R: psych::alpha(data[complete.cases(data), ])$total$raw_alpha = 0.801695."""
    r = kr20(ri.KR20_DATA)
    assert r.n == 9 and r.n_items == 11
    assert round(r.coefficient, 6) == ri.KR20_COMPLETE_CASES
    assert round(cronbach_alpha(ri.KR20_DATA).coefficient, 6) == ri.KR20_COMPLETE_CASES


@pytest.mark.parametrize(("k", "n", "low", "high"), ri.WILSON)
def test_wilson_ci_equals_r_prop_test_without_correction(k, n, low, high):
    """R 3.6.2: prop.test(k, n, correct = FALSE)$conf.int."""
    r = wilson_ci(k, n)
    assert (round(r.ci_low, 7), round(r.ci_high, 7)) == (low, high)


def test_question_changes_follow_spss_mcnemar_rule_at_25_changes():
    """R: mcnemar.test(matrix(c(3, 18, 7, 2), 2)) from 25 changes; binom.test(7, 24) at 24."""
    both_right, became_right, became_wrong, both_wrong = ri.MCNEMAR_25
    before = [1] * both_right + [0] * became_right + [1] * became_wrong + [0] * both_wrong
    after = [1] * both_right + [1] * became_right + [0] * became_wrong + [0] * both_wrong
    at_25 = question_changes([[v] for v in before], [[v] for v in after], ["q"])[0]
    assert at_25.method == "chi_square"
    assert at_25.chi_square == pytest.approx(ri.MCNEMAR_25_CHI2, rel=1e-12)
    assert at_25.p_value == pytest.approx(ri.MCNEMAR_25_P, rel=1e-12)
    # one participant fewer who became wrong: 24 changes, the exact binomial
    at_24 = question_changes([[v] for v in before[:-3]], [[v] for v in after[:-3]], ["q"])[0]
    assert (at_24.n_became_correct, at_24.n_became_wrong) == (7, 17)
    assert at_24.method == "exact" and at_24.chi_square is None
    assert at_24.p_value == pytest.approx(ri.MCNEMAR_24_P, rel=1e-12)
