"""Two groups (issue 18, part 4) against R run live: wilcox.test (rank sum), t.test (Welch and Student),
anova/predict/confint of lm(post ~ pre + group), chisq.test (Yates only for 2 x 2) and fisher.test."""

import numpy as np
import pytest

from analysis.twogroups import (
    categories_by_group,
    compare_groups,
    group_ancova,
    independent_t_test,
    mann_whitney,
)

from .rlive import r_matrix, r_str, r_vec, run_r


def two_groups(n_a=30, n_b=34, seed=1, k=15):
    rng = np.random.default_rng(seed)
    pre = 100 * rng.integers(3, 10, n_a + n_b) / k
    learn = np.r_[rng.integers(0, 4, n_a), rng.integers(1, 7, n_b)]
    post = np.minimum(100, pre + 100 * learn / k)
    groups = ["kontrol"] * n_a + ["intervensi"] * n_b
    return pre, post, groups


R_TWO = """
pre <- {pre}; post <- {post}; g <- factor({g}, levels = c('kontrol', 'intervensi')); gain <- post - pre
a <- g == 'kontrol'; b <- g == 'intervensi'
w <- suppressWarnings(wilcox.test(pre[b], pre[a], digits.rank = 7)); out('mw_pre', c(w$statistic, w$p.value))
w0 <- wilcox.test(pre[b], pre[a], exact = FALSE, correct = FALSE); out('mw_pre_spss', w0$p.value)
t <- t.test(pre[b], pre[a]); out('welch_pre', c(t$statistic, t$parameter, t$p.value, t$conf.int))
w <- suppressWarnings(wilcox.test(gain[b], gain[a], digits.rank = 7)); out('mw_gain', c(w$statistic, w$p.value))
w0 <- wilcox.test(gain[b], gain[a], exact = FALSE, correct = FALSE, digits.rank = 7)
out('z_gain', qnorm(w0$p.value / 2))
t <- t.test(gain[b], gain[a], var.equal = TRUE); out('student', c(t$statistic, t$parameter, t$p.value, t$conf.int))
t <- t.test(gain[b], gain[a]); out('welch', c(t$statistic, t$parameter, t$p.value, t$conf.int))
fit <- lm(post ~ pre + g); av <- anova(fit)
out('ancova', c(av['g', 'F value'], av['g', 'Df'], av['Residuals', 'Df'], av['g', 'Pr(>F)'],
                av['g', 'Sum Sq'] / (av['g', 'Sum Sq'] + av['Residuals', 'Sum Sq'])))
adj <- predict(fit, data.frame(pre = mean(pre), g = factor(c('kontrol', 'intervensi'), levels = levels(g))))
out('adj', c(adj, coef(fit)['gintervensi'], confint(fit)['gintervensi', ]))
"""


@pytest.mark.parametrize(("n_a", "n_b", "seed"), [(30, 34, 1), (12, 9, 2), (80, 75, 3)])
def test_two_groups_equal_r(n_a, n_b, seed):
    """R: wilcox.test(b, a, digits.rank = 7) (exact = NULL, correct = TRUE), SPSS's Z from exact = FALSE,
    correct = FALSE; t.test Welch and var.equal = TRUE; anova(lm(post ~ pre + group)), predict, confint."""
    pre, post, groups = two_groups(n_a, n_b, seed)
    r = run_r(R_TWO.format(pre=r_vec(pre), post=r_vec(post), g=r_str(groups)))
    res = compare_groups(pre, post, groups)
    assert (res.group_a, res.group_b) == ("kontrol", "intervensi")
    # R's W for wilcox.test(b, a) is the U of b = n_a n_b - W(a).
    mw = res.baseline_mann_whitney
    assert mw.n_a * mw.n_b - mw.w == r["mw_pre"][0]
    assert mw.p_value == pytest.approx(r["mw_pre"][1], rel=1e-12)
    assert mw.p_value_asymptotic == pytest.approx(r["mw_pre_spss"][0], rel=1e-12)
    bw = res.baseline_welch
    assert (bw.t, bw.df, bw.p_value, bw.ci_low, bw.ci_high) == pytest.approx(tuple(r["welch_pre"]), rel=1e-10)
    g = res.gain_mann_whitney
    assert g.n_a * g.n_b - g.w == r["mw_gain"][0] and g.p_value == pytest.approx(r["mw_gain"][1], rel=1e-12)
    assert g.z == pytest.approx(r["z_gain"][0], rel=1e-10)
    assert g.effect_size_r == pytest.approx(abs(r["z_gain"][0]) / np.sqrt(n_a + n_b), rel=1e-10)
    for mine, key in ((res.gain_student, "student"), (res.gain_welch, "welch")):
        assert (mine.t, mine.df, mine.p_value, mine.ci_low, mine.ci_high) == pytest.approx(
            tuple(r[key]), rel=1e-10
        )
    an = res.ancova
    assert (an.f, an.df, an.df_resid, an.p_value, an.partial_eta_squared) == pytest.approx(
        tuple(r["ancova"]), rel=1e-10
    )
    got = (an.adjusted_mean_a, an.adjusted_mean_b, an.adjusted_difference, an.ci_low, an.ci_high)
    assert got == pytest.approx(tuple(r["adj"]), rel=1e-10)


def test_mann_whitney_exact_without_ties_equals_r():
    """R: wilcox.test(b, a) with 9 and 9 values and no ties: the exact distribution (pwilcox)."""
    a = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    b = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.07, 3.14, 1.31]
    r = run_r(
        f"w <- wilcox.test({r_vec(b)}, {r_vec(a)}); out('w', c(w$statistic, w$p.value)); outs('m', w$method)"
    )
    m = mann_whitney(a, b)
    assert m.method == "exact" and "exact" in r["m"][0]
    assert (9 * 9 - m.w, m.p_value) == pytest.approx(tuple(r["w"]), rel=1e-12)


@pytest.mark.parametrize(
    "table",
    [
        [[12, 8], [5, 15]],  # 2 x 2, expected counts all >= 5: chi-square with Yates
        [[3, 7], [9, 2]],  # 2 x 2, an expected count < 5: Fisher leads
        [[10, 14, 6], [22, 9, 3]],  # 2 x 3: no Yates; an expected count < 5: Fisher (r x c)
        [[20, 25, 15], [30, 20, 12]],  # 2 x 3 without small counts
    ],
)
def test_categories_by_group_equal_r_chisq_and_fisher(table):
    """R: chisq.test(m) (correct = TRUE, Yates only for 2 x 2, min(0.5, |O - E|)) and fisher.test(m)."""
    r = run_r(
        f"m <- {r_matrix(table)}; c <- suppressWarnings(chisq.test(m)); f <- fisher.test(m)\n"
        "out('chi', c(c$statistic, c$parameter, c$p.value, min(c$expected))); out('f', f$p.value)"
    )
    cats = ["baik", "cukup", "kurang"][: len(table[0])]
    res = categories_by_group(table[0], table[1], cats)
    assert (res.chi_square, res.df, res.p_value_chi_square, res.expected_min) == pytest.approx(
        tuple(r["chi"]), rel=1e-10
    )
    assert res.yates == (len(cats) == 2)
    if res.expected_min < 5:
        assert res.test == "fisher_exact" and res.p_value_fisher == pytest.approx(r["f"][0], rel=1e-7)
    else:
        assert (
            res.test == "chi_square" and res.p_value_fisher is None and res.p_value == res.p_value_chi_square
        )


def test_yates_uses_min_half_abs_o_minus_e_as_r():
    """R: chisq.test(matrix(c(6, 5, 5, 5), 2)): |O - E| = 0.24 < 0.5, so R subtracts 0.24, not 0.5: X-squared = 0."""
    r = run_r("a <- chisq.test(matrix(c(6, 5, 5, 5), 2)); out('a', c(a$statistic, a$p.value))")
    res = categories_by_group([6, 5], [5, 5], ["baik", "kurang"])
    assert (res.chi_square, res.p_value_chi_square) == pytest.approx(tuple(r["a"]), abs=1e-12)
    assert r["a"][0] == pytest.approx(0.0, abs=1e-12)  # a plain 0.5 would give 0.07


def test_group_corner_cases():
    assert compare_groups([50, 60], [70, 80], ["a", "a"]).reason == "fewer_than_two_groups"
    assert compare_groups([50, 60, 70], [70, 80, 90], ["a", "b", "c"]).reason == "more_than_two_groups"
    assert mann_whitney([5, 5], [5, 5]).reason == "identical_values"
    assert independent_t_test([1], [2, 3]).reason == "too_few_values"
    assert group_ancova([1, 2, 3], [2, 3, 4], [0, 1, 0]).reason == "too_few_values"
    r = compare_groups([40, 50, 60, 45, 55, 65], [60, 70, 80, 75, 85, 95], ["b", "b", "b", "a", "a", "a"])
    assert (r.group_a, r.group_b) == ("a", "b")  # alphabetical, as R's factor levels
    assert (
        compare_groups([40, 50, 60, 45], [60, 70, 80, 75], ["x", "control", "x", "control"]).group_a
        == "control"
    )


def test_analyse_carries_the_two_group_section():
    from analysis.report import render_text
    from analysis.summary import analyse

    pre, post, groups = two_groups()
    a = analyse(pre, post, groups=groups)
    d = a.to_dict()["two_groups"]
    assert (d["group_a"], d["group_b"], d["n_a"], d["n_b"]) == ("kontrol", "intervensi", 30, 34)
    assert d["ancova"]["f"] == pytest.approx(compare_groups(pre, post, groups).ancova.f)
    assert "ANCOVA" in render_text(a, "en") and "Fisher" in render_text(a, "en")
