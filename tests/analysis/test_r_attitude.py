"""The attitude (Likert) scale (issue 18, part 2) against R run live: t.test, wilcox.test, Cronbach's alpha by
its formula on every statement, p.adjust, cor.test(method = "spearman", exact = FALSE)."""

import numpy as np
import pytest

from analysis.attitude import attitude_analysis, attitude_categories, reverse_score, spearman

from .rlive import r_matrix, r_vec, run_r

STATEMENTS = [f"s{j}" for j in range(1, 9)]
REVERSE = ["s2", "s4", "s5", "s7"]  # the cadre quiz: eight statements, four reverse-scored


def likert(n=40, seed=1):
    rng = np.random.default_rng(seed)
    lean = rng.normal(0, 1, n)
    base = np.clip(np.round(3 + lean[:, None] + rng.normal(0, 0.8, (n, 8))), 1, 5)
    after = np.clip(base + rng.integers(0, 2, (n, 8)), 1, 5)
    rev = [STATEMENTS.index(s) for s in REVERSE]
    pre, post = base.copy(), after.copy()
    pre[:, rev], post[:, rev] = 6 - base[:, rev], 6 - after[:, rev]  # as answered: unfavourable statements
    pre[:, 5] = 4  # everyone agreed with s6 before: a statement without variance, kept in alpha
    pre[rng.random((n, 8)) < 0.03] = np.nan
    return pre, post


R_ATT = """
pre <- {pre}; post <- {post}; rev <- {rev}; kg <- {kg}
sc <- function(m) {{ m[, rev] <- 6 - m[, rev]; m }}
sp <- sc(pre); sq <- sc(post); tp <- rowSums(sp); tq <- rowSums(sq); ok <- !is.na(tp) & !is.na(tq)
out('totals', c(mean(tp[ok]), mean(tq[ok]), sd(tp[ok]), sd(tq[ok])))
t <- t.test(tq[ok], tp[ok], paired = TRUE); out('t', c(t$statistic, t$parameter, t$p.value))
w <- suppressWarnings(wilcox.test(tq[ok], tp[ok], paired = TRUE, digits.rank = 7)); out('w', c(w$statistic, w$p.value))
alpha <- function(m) {{ m <- m[complete.cases(m), ]; k <- ncol(m); k / (k - 1) * (1 - sum(apply(m, 2, var)) / var(rowSums(m))) }}
out('alpha', c(alpha(sp), alpha(sq)))
pi <- sapply(1:ncol(sp), function(j) {{ r <- tryCatch(suppressWarnings(wilcox.test(sq[, j], sp[, j], paired = TRUE,
  digits.rank = 7))$p.value, error = function(e) NA); if (is.nan(r)) NA else r }})
out('pitem', pi); out('padj', p.adjust(pi, 'holm'))
s <- cor.test(kg, tq - tp, method = 'spearman', exact = FALSE); out('rho', c(s$estimate, s$statistic, s$p.value))
"""


def test_attitude_scale_equals_r():
    """R: t.test / wilcox.test(paired = TRUE, digits.rank = 7) on the reverse-scored totals, alpha on every
    statement (one without variance kept), per-statement wilcox.test + p.adjust('holm'), and
    cor.test(knowledge_gain, attitude_gain, method = 'spearman', exact = FALSE)."""
    pre, post = likert()
    rng = np.random.default_rng(9)
    kg = 100 * rng.integers(-1, 6, pre.shape[0]) / 15  # knowledge gains with ties
    rev_idx = [STATEMENTS.index(s) + 1 for s in REVERSE]
    r = run_r(R_ATT.format(pre=r_matrix(pre), post=r_matrix(post), rev=r_vec(rev_idx), kg=r_vec(kg)))
    a = attitude_analysis(pre, post, STATEMENTS, reverse=REVERSE, knowledge_gain=kg)
    t = a.totals
    assert (t["pre"]["mean"], t["post"]["mean"], t["pre"]["sd"], t["post"]["sd"]) == pytest.approx(
        tuple(r["totals"]), rel=1e-12
    )
    assert (a.paired_t_test.t, a.paired_t_test.df, a.paired_t_test.p_value) == pytest.approx(
        tuple(r["t"]), rel=1e-10
    )
    assert (a.wilcoxon.v, a.wilcoxon.p_value) == pytest.approx(tuple(r["w"]), rel=1e-12)
    assert a.reliability_pre.coefficient == pytest.approx(r["alpha"][0], rel=1e-12)
    assert a.reliability_post.coefficient == pytest.approx(r["alpha"][1], rel=1e-12)
    assert a.reliability_pre.n_items == 8  # the statement without variance is kept (psych::alpha drops it)
    for item, p, q in zip(a.items, r["pitem"], r["padj"], strict=True):
        if np.isnan(p):
            assert item.wilcoxon.p_value is None and item.p_value_adjusted is None
        else:
            assert item.wilcoxon.p_value == pytest.approx(p, rel=1e-12)
            assert item.p_value_adjusted == pytest.approx(q, rel=1e-12)
    s = a.knowledge_attitude_spearman
    assert (s.rho, s.p_value) == pytest.approx((r["rho"][0], r["rho"][2]), rel=1e-12)
    # R's statistic for Spearman is S = (n^3 - n)(1 - rho)/6; its p uses t = rho sqrt((n-2)/(1-rho^2)), n - 2 df.
    n = s.n
    assert r["rho"][1] == pytest.approx((n**3 - n) * (1 - s.rho) / 6, rel=1e-12)
    assert s.df == n - 2


@pytest.mark.parametrize("seed", [2, 3])
def test_spearman_p_is_r_cor_test_exact_false_t_with_n_minus_2_df(seed):
    """R: cor.test(x, y, method = 'spearman', exact = FALSE) on small samples without ties, where R's default
    (exact = NULL) would give the exact p instead."""
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=12), rng.normal(size=12)
    r = run_r(f"s <- cor.test({r_vec(x)}, {r_vec(y)}, method = 'spearman', exact = FALSE); out('r', c(s$estimate, s$p.value))\n"
              f"e <- cor.test({r_vec(x)}, {r_vec(y)}, method = 'spearman'); out('e', e$p.value)")  # fmt: skip
    s = spearman(x, y)
    assert (s.rho, s.p_value) == pytest.approx(tuple(r["r"]), rel=1e-12)
    assert s.p_value != pytest.approx(r["e"][0], rel=1e-6)  # not the exact p


def test_spearman_refuses_what_r_refuses():
    """R: cor.test(c(1, 2, 3, 4), c(5, 5, 5, 5), method = 'spearman', exact = FALSE) gives NA."""
    r = run_r("s <- suppressWarnings(cor.test(c(1, 2, 3, 4), c(5, 5, 5, 5), method = 'spearman', exact = FALSE))\n"
              "out('rho', s$estimate)")  # fmt: skip
    assert np.isnan(r["rho"][0]) and spearman([1, 2, 3, 4], [5, 5, 5, 5]).reason == "identical_values"
    assert spearman([1, 2], [3, 4]).reason == "too_few_values"


def test_reverse_scoring_and_the_distribution_as_answered():
    pre, post = likert(n=20, seed=4)
    a = attitude_analysis(pre, post, STATEMENTS, reverse=REVERSE)
    s2 = a.items[1]
    assert s2.reverse and [c.category for c in s2.distribution_pre] == ["5", "4", "3", "2", "1"]
    answered = pre[~np.isnan(pre[:, 1]), 1]
    assert [c.count for c in s2.distribution_pre] == [int((answered == v).sum()) for v in (5, 4, 3, 2, 1)]
    scored = reverse_score(pre, [s in REVERSE for s in STATEMENTS])
    assert np.array_equal(scored[:, 1], 6 - pre[:, 1], equal_nan=True)
    with pytest.raises(ValueError, match="1, 2, 3, 4, 5"):
        attitude_analysis([[0, 3]], [[3, 3]])
    with pytest.raises(ValueError, match="not on the scale"):
        attitude_analysis(pre, post, STATEMENTS, reverse=["s9"])


def test_attitude_categories_rules():
    """Percent rule: 100 total / (5 k) against 76 / 56; mean rule: total >= the pre-test mean (Azwar's T >= 50)."""
    r = run_r("tot <- c(40, 31, 30, 22, 20); pct <- 100 * tot / 40\n"
              "out('c', c(sum(pct >= 76), sum(pct >= 56 & pct < 76), sum(pct < 56)))\n"
              "T <- 50 + 10 * (tot - 27) / 5; out('m', c(sum(T >= 50), sum(T < 50)))")  # fmt: skip
    pct = attitude_categories([40, 31, 30, 22, 20], 8)
    assert [c.count for c in pct.categories] == r["c"].tolist()
    mean = attitude_categories([40, 31, 30, 22, 20], 8, rule="mean", reference=27.0)
    assert [c.count for c in mean.categories] == r["m"].tolist()
    assert [c.category for c in mean.categories] == ["positive", "negative"]


def test_analyse_carries_the_attitude_section_with_the_knowledge_gain():
    from analysis.report import render_text
    from analysis.summary import analyse

    pre_att, post_att = likert(n=30, seed=6)
    rng = np.random.default_rng(6)
    pre = 100 * rng.integers(0, 16, 30) / 15
    post = np.minimum(100, pre + 100 * rng.integers(0, 5, 30) / 15)
    a = analyse(pre, post, attitude_pre=pre_att, attitude_post=post_att, attitude_statements=STATEMENTS,
                attitude_reverse=REVERSE, attitude_rule="mean")  # fmt: skip
    d = a.to_dict()["attitude"]
    assert d["reverse"] == REVERSE and d["categories_pre"]["rule"] == "mean"
    direct = attitude_analysis(pre_att, post_att, STATEMENTS, reverse=REVERSE, knowledge_gain=post - pre)
    assert d["knowledge_attitude_spearman"]["rho"] == pytest.approx(direct.knowledge_attitude_spearman.rho)
    text = render_text(a, "id")
    assert "Cronbach" in text and "Sangat setuju" in text and "Spearman" in text and "skor T" in text


def test_alpha_keeps_the_statement_psych_alpha_drops():
    """R: psych::alpha(x)$total$raw_alpha drops a statement without variance ("had no variance and was
    deleted"); ours keeps it and equals R's formula k/(k-1) (1 - sum(apply(x, 2, var)) / var(rowSums(x)))."""
    rng = np.random.default_rng(12)
    x = rng.integers(1, 6, (20, 5)).astype(float)
    x[:, 1] = 4
    x[:, 3] = np.clip(x[:, 0] + rng.integers(-1, 2, 20), 1, 5)
    r = run_r(
        f"x <- {r_matrix(x)}; a <- suppressWarnings(psych::alpha(x, warnings = FALSE))\n"
        "k <- ncol(x); out('psych', c(a$total$raw_alpha, a$nvar))\n"
        "out('formula', k / (k - 1) * (1 - sum(apply(x, 2, var)) / var(rowSums(x))))",
        packages=["psych"],
    )
    ours = attitude_analysis(x, x, reverse=[]).reliability_pre
    assert ours.n_items == 5 and r["psych"][1] == 4
    assert ours.coefficient == pytest.approx(r["formula"][0], rel=1e-12)
    assert ours.coefficient != pytest.approx(r["psych"][0], rel=1e-3)
