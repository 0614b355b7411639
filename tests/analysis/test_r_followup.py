"""Three time points (issue 18, part 1) against R run live: friedman.test, pairwise.wilcox.test, aov with
Error(), car::Anova (Mauchly, Greenhouse-Geisser, Huynh-Feldt), Cochran's Q (friedman.test on 0/1) and
binom.test for the exact McNemar pairs."""

import numpy as np
import pytest

from analysis.followup import (
    cochran_q,
    dropout_patterns,
    followup_analysis,
    friedman_test,
    pairwise_wilcoxon,
    question_retention,
    rm_anova,
)

from .rlive import r_matrix, run_r


def three_tests(n=40, k=15, seed=1, dropout=0.1):
    """Quiz scores 100 j / k at pre, post and follow-up (some forgetting), with dropouts as NaN."""
    rng = np.random.default_rng(seed)
    pre = rng.integers(2, 10, n)
    post = np.clip(pre + rng.integers(0, 6, n), 0, k)
    fu = np.clip(post - rng.integers(0, 4, n), 0, k)
    y = 100 * np.column_stack([pre, post, fu]) / k
    y[rng.random((n, 3)) < dropout] = np.nan
    return y


def items_three(n=50, q=6, seed=2):
    rng = np.random.default_rng(seed)
    pre = (rng.random((n, q)) < 0.4).astype(float)
    post = np.maximum(pre, (rng.random((n, q)) < 0.5).astype(float))
    fu = np.where(rng.random((n, q)) < 0.15, 1 - post, post)
    pre[:, 2] = post[:, 2] = fu[:, 2] = 1.0  # nobody ever changes on question 3: cannot be tested
    pre[rng.random((n, q)) < 0.05] = np.nan
    return pre, post, fu


R_RM = """
y <- {y}; cc <- y[complete.cases(y), ]; n <- nrow(cc)
f <- friedman.test(cc); out('fr', c(f$statistic, f$parameter, f$p.value))
long <- data.frame(score = as.vector(t(cc)), time = factor(rep(1:3, n)), id = factor(rep(1:n, each = 3)))
pw <- suppressWarnings(pairwise.wilcox.test(long$score, long$time, paired = TRUE, p.adjust.method = '{adj}',
                                            digits.rank = 7))
out('pw', c(pw$p.value[1, 1], pw$p.value[2, 1], pw$p.value[2, 2]))
raw <- sapply(list(c(2, 1), c(3, 1), c(3, 2)), function(p)
  suppressWarnings(wilcox.test(cc[, p[1]], cc[, p[2]], paired = TRUE, digits.rank = 7))$p.value)
out('raw', raw)
s <- summary(aov(score ~ time + Error(id/time), data = long))[['Error: id:time']][[1]]
out('aov', c(s$Df, s[['Sum Sq']], s[['F value']][1], s[['Pr(>F)']][1]))
fit <- lm(cc ~ 1)
a <- summary(car::Anova(fit, idata = data.frame(time = factor(1:3)), idesign = ~time, type = 3),
             multivariate = FALSE)
out('mauchly', a$sphericity.tests['time', ]); out('adj', a$pval.adjustments['time', 1:4])
m <- mauchly.test(fit, X = ~1); out('mw', c(m$statistic, m$p.value))
"""


@pytest.mark.parametrize(
    ("seed", "n", "adj"), [(1, 40, "holm"), (4, 12, "holm"), (9, 200, "bonferroni"), (21, 8, "holm")]
)
def test_repeated_measures_tests_equal_r(seed, n, adj):
    """R: friedman.test(y), pairwise.wilcox.test(paired = TRUE, digits.rank = 7), aov(score ~ time +
    Error(id/time)), car::Anova(lm(y ~ 1), idata, idesign = ~time) and mauchly.test(lm(y ~ 1), X = ~1)."""
    y = three_tests(n=n, seed=seed)
    r = run_r(R_RM.format(y=r_matrix(y), adj=adj), packages=["car"])
    fr = friedman_test(y)
    assert (fr.statistic, fr.df, fr.p_value) == pytest.approx(tuple(r["fr"]), rel=1e-12)
    assert fr.kendalls_w == pytest.approx(r["fr"][0] / (fr.n * 2), rel=1e-12)
    pw = pairwise_wilcoxon(y, p_adjust=adj)
    assert [p.pair for p in pw] == ["post_vs_pre", "followup_vs_pre", "followup_vs_post"]
    assert [p.wilcoxon.p_value for p in pw] == pytest.approx(r["raw"].tolist(), rel=1e-12)
    assert [p.p_value_adjusted for p in pw] == pytest.approx(r["pw"].tolist(), rel=1e-12)
    a = rm_anova(y)
    df_t, df_e, ss_t, ss_e, f, p = r["aov"]
    assert (a.df_time, a.df_error) == (df_t, df_e)
    assert (a.ss_time, a.ss_error, a.f, a.p_value) == pytest.approx((ss_t, ss_e, f, p), rel=1e-10)
    assert a.partial_eta_squared == pytest.approx(ss_t / (ss_t + ss_e), rel=1e-12)
    assert (a.mauchly_w, a.mauchly_p_value) == pytest.approx(tuple(r["mauchly"]), rel=1e-10)
    assert (a.mauchly_w, a.mauchly_p_value) == pytest.approx(tuple(r["mw"]), rel=1e-10)
    gg, p_gg, hf, p_hf = r["adj"]
    assert (a.epsilon_gg, a.p_value_gg, a.epsilon_hf, a.p_value_hf) == pytest.approx(
        (gg, p_gg, hf, p_hf), rel=1e-10
    )


def test_huynh_feldt_above_one_is_printed_as_computed_and_capped_for_its_p():
    """R: car::Anova(...) summary: "HF eps > 1 treated as 1" -- HF eps printed as is, Pr(>F[HF]) with 1."""
    y = np.random.default_rng(0).normal(60, 10, (12, 3))  # HF = 1.15
    r = run_r(R_RM.format(y=r_matrix(y), adj="holm"), packages=["car"])
    a = rm_anova(y)
    _gg, _p_gg, hf, p_hf = r["adj"]
    assert hf > 1 and a.epsilon_hf == pytest.approx(hf, rel=1e-10)
    assert a.p_value_hf == pytest.approx(p_hf, rel=1e-10) == pytest.approx(a.p_value, rel=1e-10)


def test_friedman_with_ties_inside_rows_equals_r():
    """R: friedman.test(y) on scores with ties inside participants (tie-corrected statistic)."""
    y = [[50, 50, 60], [40, 60, 60], [70, 70, 70], [30, 50, 40], [60, 80, 80], [20, 40, 40], [55, 55, 50]]
    r = run_r(f"f <- friedman.test({r_matrix(y)}); out('fr', c(f$statistic, f$p.value))")
    fr = friedman_test(y)
    assert (fr.statistic, fr.p_value) == pytest.approx(tuple(r["fr"]), rel=1e-12)


def test_where_r_cannot_test_we_say_why():
    """R: friedman.test on one row; on rows all equal gives NaN; aov's error stratum with no residual."""
    r = run_r(
        "f <- friedman.test(matrix(c(50, 50, 50, 60, 60, 60), 2, byrow = TRUE)); out('nan', f$statistic)"
    )
    assert np.isnan(r["nan"][0])
    same = [[50, 50, 50], [60, 60, 60]]
    assert friedman_test(same).reason == "no_variance"
    assert rm_anova(same).reason == "no_variance"
    one = [[50, 70, 60], [np.nan, 80, 70]]
    assert friedman_test(one).reason == "fewer_than_two_complete_cases"
    assert rm_anova(one).reason == "fewer_than_two_complete_cases"
    parallel = [[50, 70, 60], [40, 60, 50], [30, 50, 40]]  # every participant moved by the same amounts
    assert rm_anova(parallel).reason == "no_residual_variance"
    unchanged = pairwise_wilcoxon([[50, 50, 60], [60, 60, 70], [40, 40, 55]])
    assert unchanged[0].wilcoxon.reason == "all_differences_zero" and unchanged[0].p_value_adjusted is None


def test_cochran_q_and_pairwise_mcnemar_equal_r():
    """R: friedman.test on each question's complete 0/1 matrix (= Cochran's Q), p.adjust over the questions
    that can be tested, binom.test(b, b + c) per pair and p.adjust over each question's pairs."""
    pre, post, fu = items_three()
    code = [f"pre <- {r_matrix(pre)}; post <- {r_matrix(post)}; fu <- {r_matrix(fu)}; qs <- c(); ps <- c()"]
    code.append(
        "for (j in 1:ncol(pre)) { m <- cbind(pre[, j], post[, j], fu[, j]); m <- m[complete.cases(m), ]\n"
        "  f <- suppressWarnings(friedman.test(m)); qs <- c(qs, f$statistic); ps <- c(ps, f$p.value)\n"
        "  mc <- sapply(list(c(2, 1), c(3, 1), c(3, 2)), function(p) { b <- sum(m[, p[2]] == 0 & m[, p[1]] == 1)\n"
        "    c <- sum(m[, p[2]] == 1 & m[, p[1]] == 0); if (b + c == 0) NA else binom.test(b, b + c)$p.value })\n"
        "  out(paste0('mc', j), mc); out(paste0('mcadj', j), p.adjust(mc, 'holm')) }\n"
        "out('q', qs); out('p', ps); out('padj', p.adjust(ps, 'holm'))"
    )
    r = run_r("\n".join(code))
    res = question_retention(pre, post, fu)
    for j, q in enumerate(res):
        if np.isnan(r["q"][j]):
            assert q.cochran.reason == "no_changes" and q.p_value_adjusted is None
        else:
            assert q.cochran.q == pytest.approx(r["q"][j], rel=1e-12)
            assert q.cochran.p_value == pytest.approx(r["p"][j], rel=1e-12)
            assert q.p_value_adjusted == pytest.approx(r["padj"][j], rel=1e-12)
        for i, pair in enumerate(q.pairs):
            want, want_adj = r[f"mc{j + 1}"][i], r[f"mcadj{j + 1}"][i]
            if np.isnan(want):
                assert pair.p_value is None and pair.reason == "no_changes"
            else:
                assert pair.p_value == pytest.approx(want, rel=1e-12)
                assert pair.p_value_adjusted == pytest.approx(want_adj, rel=1e-12)
    single = cochran_q(np.column_stack([pre[:, 0], post[:, 0], fu[:, 0]]))
    assert single.q == pytest.approx(r["q"][0], rel=1e-12)


def test_every_dropout_pattern_is_counted():
    nan = np.nan
    pre = [1, 1, 1, nan, 1, nan, nan, nan, 1]
    post = [1, 1, nan, 1, nan, 1, nan, nan, 1]
    fu = [1, nan, 1, 1, nan, nan, 1, nan, 1]
    d = dropout_patterns(pre, post, fu)
    assert (d.n_complete, d.n_pre_post, d.n_pre_followup, d.n_post_followup) == (2, 1, 1, 1)
    assert (d.n_pre_only, d.n_post_only, d.n_followup_only, d.n_none) == (1, 1, 1, 1)
    assert sum(v for k, v in d.to_dict().items() if k != "n_participants") == d.n_participants == 9


def test_followup_analysis_uses_complete_cases_and_leads_with_friedman_when_not_normal():
    y = three_tests(n=60, seed=5)
    r = followup_analysis(y[:, 0], y[:, 1], y[:, 2])
    complete = ~np.isnan(y).any(axis=1)
    assert r.counts.n_complete == complete.sum() == r.friedman.n == r.rm_anova.n
    assert r.descriptives["followup"].mean == pytest.approx(y[complete, 2].mean())
    lt = r.leading_test
    assert lt.basis == ("lilliefors" if complete.sum() >= 50 else "shapiro_wilk")
    assert lt.test == ("rm_anova" if lt.differences_normal else "friedman")
    assert lt.p_value == (r.friedman.p_value if lt.test == "friedman" else lt.p_value)


def test_analyse_carries_the_followup_section_and_the_report_shows_it():
    from analysis.report import render_text
    from analysis.summary import analyse

    y = three_tests(n=30, seed=8)
    pre, post, fu = items_three(n=30)
    a = analyse(y[:, 0], y[:, 1], followup=y[:, 2], items_pre=pre, items_post=post, items_followup=fu)
    d = a.to_dict()["followup"]
    assert list(d) == ["counts", "descriptives", "normality", "friedman", "pairwise_wilcoxon", "rm_anova",
                       "leading_test", "questions"]  # fmt: skip
    assert d["friedman"]["statistic"] == pytest.approx(friedman_test(y).statistic)
    assert len(d["questions"]) == 6 and d["questions"][2]["cochran"]["reason"] == "no_changes"
    text = render_text(a, "id")
    assert "Friedman" in text and "Mauchly" in text and "Cochran" in text
    assert analyse([50, 60], [70, 80]).followup is None


def test_a_followup_score_out_of_range_is_refused():
    from analysis.summary import analyse

    a = analyse([50, 60, 70], [70, 80, 90], followup=[60, 140, 80])
    assert a.reason == "scores_out_of_range" and a.out_of_range[0].test == "followup"
