"""Two groups (intervention and control, or medium A and medium B): were they alike before, who gained more?"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats
from scipy.special import gammaln

from ._base import Result, as_float_vector, check_confidence, signif
from .gain import DEFAULT_CUTOFFS, knowledge_categories
from .groups import _labels

__all__ = [
    "Ancova2",
    "CategoriesByGroup",
    "IndependentT",
    "MannWhitney",
    "TwoGroups",
    "categories_by_group",
    "compare_groups",
    "fisher_exact_2xc",
    "group_ancova",
    "independent_t_test",
    "mann_whitney",
]

#: Labels taken as the reference group (the difference is the other group minus this one).
REFERENCE_LABELS = ("control", "kontrol")


@dataclass(frozen=True)
class MannWhitney(Result):
    """Mann-Whitney U / Wilcoxon rank-sum test of group b against group a, with R's and SPSS's figures.

    Attributes
    ----------
    n_a, n_b : int
    mean_rank_a, mean_rank_b, sum_ranks_a, sum_ranks_b : float or None
        SPSS's "Ranks" table.
    w : float or None
        R's W: rank sum of a minus n_a (n_a + 1) / 2 (= U of a).
    u : float or None
        SPSS's Mann-Whitney U, min(W, n_a n_b - W).
    method : str or None
        ``"exact"`` or ``"normal"`` (R's rule).
    p_value : float or None
        R's two-sided p.
    z : float or None
        SPSS's Z: tie-corrected, no continuity correction, negative (0 when W = n_a n_b / 2).
    p_value_asymptotic : float or None
        SPSS's "Asymp. Sig. (2-tailed)".
    effect_size_r : float or None
        |Z| / sqrt(n_a + n_b).
    reason : str or None
        ``"too_few_values"`` (a group is empty) or ``"identical_values"``.
    """

    n_a: int
    n_b: int
    mean_rank_a: float | None
    mean_rank_b: float | None
    sum_ranks_a: float | None
    sum_ranks_b: float | None
    w: float | None
    u: float | None
    method: str | None
    p_value: float | None
    z: float | None
    p_value_asymptotic: float | None
    effect_size_r: float | None
    reason: str | None = None


def mann_whitney(
    a: Any, b: Any, *, exact: bool | None = None, correct: bool = True, digits_rank: int | None = 7
) -> MannWhitney:
    """Mann-Whitney U test (Wilcoxon rank-sum) of two independent groups.

    Parameters
    ----------
    a, b : array_like
        The two groups' values; NaN left out.
    exact, correct : as R's ``wilcox.test``
        Exact when both groups are below 50 and there are no ties (R's rule).
    digits_rank : int or None
        Values rounded to this many significant digits before ranking.

    Returns
    -------
    MannWhitney

    Notes
    -----
    ``w`` and ``p_value`` equal R ``wilcox.test(a, b, digits.rank = 7)`` with
    its defaults (``exact = NULL, correct = TRUE``): the exact distribution
    when n_a < 50, n_b < 50 and no ties, else the normal approximation with
    tie-corrected variance and continuity correction. ``u``, ``z`` and
    ``p_value_asymptotic`` equal SPSS NPAR TESTS /M-W (R's ``exact = FALSE,
    correct = FALSE``). r = |Z| / sqrt(N) (Rosenthal).

    Examples
    --------
    >>> r = mann_whitney([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30], [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])
    >>> r.w, r.method
    (58.0, 'normal')
    """
    x = as_float_vector(a, "a")
    y = as_float_vector(b, "b")
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    na, nb = int(x.size), int(y.size)
    blank: dict[str, Any] = dict(
        mean_rank_a=None, mean_rank_b=None, sum_ranks_a=None, sum_ranks_b=None, w=None, u=None, method=None,
        p_value=None, z=None, p_value_asymptotic=None, effect_size_r=None,
    )  # fmt: skip
    if na == 0 or nb == 0:
        return MannWhitney(na, nb, **blank, reason="too_few_values")
    both = np.concatenate([x, y])
    if digits_rank is not None:
        both = signif(both, int(digits_rank))
    if np.ptp(both) == 0:
        return MannWhitney(na, nb, **blank, reason="identical_values")
    r = stats.rankdata(both)
    ra, rb = float(r[:na].sum()), float(r[na:].sum())
    w = ra - na * (na + 1) / 2
    _, ties = np.unique(r, return_counts=True)
    has_ties = bool((ties > 1).any())
    n = na + nb
    sigma = float(np.sqrt(na * nb / 12 * ((n + 1) - np.sum(ties**3 - ties) / (n * (n - 1)))))
    use_exact = (na < 50 and nb < 50) if exact is None else bool(exact)
    if use_exact and not has_ties:
        # R: pwilcox; scipy's exact Mann-Whitney distribution of U = W.
        dist = stats.mannwhitneyu(x, y, method="exact", alternative="two-sided")
        p, method = float(dist.pvalue), "exact"
    else:
        z_r = w - na * nb / 2
        cc = float(np.sign(z_r)) * 0.5 if correct else 0.0
        z_r = (z_r - cc) / sigma
        p, method = float(2 * min(stats.norm.cdf(z_r), stats.norm.sf(z_r))), "normal"
    u = min(w, na * nb - w)
    z = 0.0 if w == na * nb / 2 else (u - na * nb / 2) / sigma
    return MannWhitney(
        n_a=na,
        n_b=nb,
        mean_rank_a=ra / na,
        mean_rank_b=rb / nb,
        sum_ranks_a=ra,
        sum_ranks_b=rb,
        w=w,
        u=u,
        method=method,
        p_value=min(1.0, p),
        z=float(z),
        p_value_asymptotic=float(min(1.0, 2 * stats.norm.cdf(-abs(z)))),
        effect_size_r=float(abs(z) / np.sqrt(n)),
    )


@dataclass(frozen=True)
class IndependentT(Result):
    """Independent-samples t-test of group b - group a (Student or Welch).

    Attributes
    ----------
    welch : bool
        Welch's unequal-variance test (R's default) or Student's pooled test.
    n_a, n_b : int
    mean_a, mean_b : float or None
    mean_difference : float or None
        mean_b - mean_a.
    t, df, p_value : float or None
    ci_low, ci_high : float or None
        Of the mean difference.
    reason : str or None
        ``"too_few_values"`` or ``"constant_differences"`` (no variance in either group).
    """

    welch: bool
    n_a: int
    n_b: int
    mean_a: float | None
    mean_b: float | None
    mean_difference: float | None
    t: float | None
    df: float | None
    p_value: float | None
    ci_low: float | None
    ci_high: float | None
    reason: str | None = None


def independent_t_test(a: Any, b: Any, *, welch: bool = True, confidence: float = 0.95) -> IndependentT:
    """Independent-samples t-test of b against a.

    Notes
    -----
    Equals R ``t.test(b, a)`` (Welch, R's default) or ``t.test(b, a, var.equal
    = TRUE)`` (Student), and SPSS T-TEST GROUPS ("Equal variances not assumed"
    / "assumed"), computed with scipy ``ttest_ind``.

    Examples
    --------
    >>> r = independent_t_test([1, 2, 3, 4], [3, 4, 5, 6, 7])
    >>> r.mean_difference, round(r.t, 4)
    (2.5, 2.6112)
    """
    check_confidence(confidence)
    x = as_float_vector(a, "a")
    y = as_float_vector(b, "b")
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    na, nb = int(x.size), int(y.size)
    ma = float(x.mean()) if na else None
    mb = float(y.mean()) if nb else None
    diff = None if ma is None or mb is None else mb - ma
    blank: dict[str, Any] = dict(t=None, df=None, p_value=None, ci_low=None, ci_high=None)
    if na < 2 or nb < 2:
        return IndependentT(welch, na, nb, ma, mb, diff, **blank, reason="too_few_values")
    if x.var(ddof=1) == 0 and y.var(ddof=1) == 0:
        return IndependentT(welch, na, nb, ma, mb, diff, **blank, reason="constant_differences")
    with warnings.catch_warnings():
        # scipy warns of "catastrophic cancellation" for a group whose values are all equal; the
        # t-test is still defined (R computes it) when the other group varies.
        warnings.simplefilter("ignore", RuntimeWarning)
        res = stats.ttest_ind(y, x, equal_var=not welch)
    ci = res.confidence_interval(confidence)
    return IndependentT(
        welch,
        na,
        nb,
        ma,
        mb,
        diff,
        float(res.statistic),
        float(res.df),
        float(res.pvalue),
        float(ci.low),
        float(ci.high),
    )


@dataclass(frozen=True)
class Ancova2(Result):
    """ANCOVA post ~ pre + group with the adjusted means.

    Attributes
    ----------
    n : int
    f, df, df_resid, p_value : float or int or None
        The group's F (type III = sequential last term), 1 and n - 3 df.
    partial_eta_squared : float or None
        SS_group / (SS_group + SS_residual).
    pre_coefficient : float or None
    pre_mean : float or None
        The covariate mean the adjusted means are evaluated at.
    adjusted_mean_a, adjusted_mean_b : float or None
        SPSS's "Estimated Marginal Means" (R ``predict`` at the mean pre).
    adjusted_difference : float or None
        b - a, the group coefficient.
    ci_low, ci_high : float or None
        95% CI of the adjusted difference (R ``confint``).
    reason : str or None
        ``"too_few_values"``, ``"singular_design"`` or ``"no_residual_variance"``.
    """

    n: int
    f: float | None
    df: int | None
    df_resid: int | None
    p_value: float | None
    partial_eta_squared: float | None
    pre_coefficient: float | None
    pre_mean: float | None
    adjusted_mean_a: float | None
    adjusted_mean_b: float | None
    adjusted_difference: float | None
    ci_low: float | None
    ci_high: float | None
    reason: str | None = None


def group_ancova(pre: Any, post: Any, in_b: Any) -> Ancova2:
    """ANCOVA of the post-test by group, adjusted for the pre-test.

    Parameters
    ----------
    pre, post : array_like
        Scores (rows with NaN left out).
    in_b : array_like of bool
        True for group b, False for group a (the reference).

    Returns
    -------
    Ancova2

    Notes
    -----
    Equals R ``anova(lm(post ~ pre + group))`` for the group row (and SPSS
    UNIANOVA's type III F, the same for the last term), ``predict(fit,
    data.frame(pre = mean(pre), group = ...))`` for the adjusted means and
    ``coef``/``confint`` for their difference. Partial eta squared = SS_group /
    (SS_group + SS_residual), as SPSS prints.

    Examples
    --------
    >>> r = group_ancova([40, 50, 60, 45, 55, 65], [60, 72, 79, 76, 84, 96], [0, 0, 0, 1, 1, 1])
    >>> round(r.adjusted_difference, 6), r.df, r.df_resid
    (10.125, 1, 3)
    """
    x = as_float_vector(pre, "pre")
    y = as_float_vector(post, "post")
    g = np.asarray(in_b, dtype=float)
    keep = ~np.isnan(x) & ~np.isnan(y)
    x, y, g = x[keep], y[keep], g[keep]
    n = int(x.size)
    blank: dict[str, Any] = dict(
        f=None, df=None, df_resid=None, p_value=None, partial_eta_squared=None, pre_coefficient=None,
        pre_mean=None, adjusted_mean_a=None, adjusted_mean_b=None, adjusted_difference=None, ci_low=None,
        ci_high=None,
    )  # fmt: skip
    if n < 4 or g.min() == g.max():
        return Ancova2(n, **blank, reason="too_few_values")
    design = np.column_stack([np.ones(n), x, g])
    if np.linalg.matrix_rank(design) < 3:
        return Ancova2(n, **blank, reason="singular_design")
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    ss_full = float(resid @ resid)
    reduced = design[:, :2]
    coef_r, *_ = np.linalg.lstsq(reduced, y, rcond=None)
    ss_reduced = float(np.sum((y - reduced @ coef_r) ** 2))
    df_resid = n - 3
    scale = max(1.0, float(np.sum((y - y.mean()) ** 2)))
    if ss_full <= 1e-12 * scale:
        return Ancova2(n, **blank, reason="no_residual_variance")
    ss_group = ss_reduced - ss_full
    mse = ss_full / df_resid
    f = ss_group / mse
    se = float(np.sqrt(mse * np.linalg.inv(design.T @ design)[2, 2]))
    q = float(stats.t.ppf(0.975, df_resid))
    pre_mean = float(x.mean())
    base = float(coef[0] + coef[1] * pre_mean)
    return Ancova2(
        n=n,
        f=float(f),
        df=1,
        df_resid=df_resid,
        p_value=float(stats.f.sf(f, 1, df_resid)),
        partial_eta_squared=ss_group / (ss_group + ss_full),
        pre_coefficient=float(coef[1]),
        pre_mean=pre_mean,
        adjusted_mean_a=base,
        adjusted_mean_b=base + float(coef[2]),
        adjusted_difference=float(coef[2]),
        ci_low=float(coef[2]) - q * se,
        ci_high=float(coef[2]) + q * se,
    )


#: Fisher's exact test enumerates at most this many tables (else it is not computed).
MAX_FISHER_TABLES = 5_000_000


def _log_choose(n: np.ndarray | float, k: np.ndarray | float) -> np.ndarray:
    return np.asarray(gammaln(np.add(n, 1)) - gammaln(np.add(k, 1)) - gammaln(np.subtract(n, k) + 1))


def fisher_exact_2xc(table: Any) -> float | None:
    """Two-sided Fisher's exact p of a 2 x c table: the probability of the tables no more likely than it.

    Every table with the observed margins is enumerated (the largest column
    last, as it follows from the others), as R ``fisher.test`` does for any
    r x c table (network algorithm, the same sum) with its relative tolerance
    1e-7 on "no more likely". None when more than ``MAX_FISHER_TABLES`` tables
    would be needed. scipy's ``fisher_exact`` is used for 2 x 2 only: for
    larger tables its default p is a Monte Carlo estimate.

    >>> round(fisher_exact_2xc([[3, 1, 2], [1, 3, 2]]), 7)  # R: fisher.test(matrix(c(3, 1, 1, 3, 2, 2), 2))
    0.7662338
    """
    t = np.asarray(table, dtype=int)
    if t.shape[0] != 2:
        raise ValueError(f"table must have 2 rows, got shape {t.shape}")
    order = np.argsort(t.sum(axis=0), kind="stable")
    t = t[:, order]
    cols = t.sum(axis=0)
    r1 = int(t[0].sum())
    n = int(cols.sum())
    free = cols[:-1]
    ranges = [np.arange(0, min(int(c), r1) + 1) for c in free]
    if np.prod([r.size for r in ranges], dtype=float) > MAX_FISHER_TABLES:
        return None
    grids = np.meshgrid(*ranges, indexing="ij") if ranges else []
    first = np.stack([g.ravel() for g in grids]) if ranges else np.zeros((0, 1), dtype=int)
    last = r1 - first.sum(axis=0)
    ok = (last >= 0) & (last <= cols[-1])
    first, last = first[:, ok], last[ok]
    logp = _log_choose(cols[-1], last) - _log_choose(n, r1)
    for j in range(free.size):
        logp = logp + _log_choose(free[j], first[j])
    observed = float(np.sum(_log_choose(cols, t[0])) - _log_choose(n, r1))
    p = np.exp(logp)
    return float(min(1.0, p[logp <= observed + np.log1p(1e-7)].sum()))


@dataclass(frozen=True)
class CategoriesByGroup(Result):
    """Post-test knowledge categories by group, with chi-square or Fisher's exact test.

    Attributes
    ----------
    categories : list of str
        Columns (categories nobody fell in are left out).
    counts_a, counts_b : list of int
    expected_min : float or None
        The smallest expected count.
    chi_square, df, p_value_chi_square : float or int or None
        Pearson's chi-square; with Yates' continuity correction only for a 2 x 2 table.
    yates : bool
    p_value_fisher : float or None
        Fisher's exact test (computed when an expected count is below 5).
    test : str or None
        ``"fisher_exact"`` when an expected count is below 5, else ``"chi_square"``.
    p_value : float or None
        The leading test's p.
    reason : str or None
        ``"too_few_values"`` (fewer than 2 categories or an empty group).
    """

    categories: list[str]
    counts_a: list[int]
    counts_b: list[int]
    expected_min: float | None
    chi_square: float | None
    df: int | None
    p_value_chi_square: float | None
    yates: bool
    p_value_fisher: float | None
    test: str | None
    p_value: float | None
    reason: str | None = None


def categories_by_group(
    counts_a: Sequence[int], counts_b: Sequence[int], categories: Sequence[str]
) -> CategoriesByGroup:
    """Cross-table of categories by group (counts of group a and b per category) and its test.

    Notes
    -----
    Categories nobody fell in are left out (R's ``chisq.test`` gives NaN on
    an empty column). Chi-square equals R ``chisq.test(table)`` (``correct = TRUE``: Yates only
    for 2 x 2, R subtracting min(0.5, |O - E|)), through scipy
    ``chi2_contingency``. Fisher's exact test equals R ``fisher.test(table)``
    (two-sided: the probability of the tables no more likely than the
    observed; scipy ``fisher_exact`` for 2 x 2, :func:`fisher_exact_2xc` for
    2 x 3); it leads when an expected count is below 5 (Cochran's rule).

    Examples
    --------
    >>> r = categories_by_group([3, 0, 7], [8, 0, 2], ["baik", "cukup", "kurang"])
    >>> r.test, r.yates, round(r.p_value, 4)
    ('fisher_exact', True, 0.0698)
    """
    if not len(counts_a) == len(counts_b) == len(categories):
        raise ValueError("counts_a, counts_b and categories must have the same length")
    used = [j for j in range(len(categories)) if counts_a[j] + counts_b[j] > 0]
    cats = [str(categories[j]) for j in used]
    ca, cb = [int(counts_a[j]) for j in used], [int(counts_b[j]) for j in used]
    blank: dict[str, Any] = dict(
        expected_min=None, chi_square=None, df=None, p_value_chi_square=None, yates=False, p_value_fisher=None,
        test=None, p_value=None,
    )  # fmt: skip
    if len(cats) < 2 or sum(ca) == 0 or sum(cb) == 0:
        return CategoriesByGroup(cats, ca, cb, **blank, reason="too_few_values")
    table = np.array([ca, cb])
    chi = stats.chi2_contingency(table, correction=True)
    expected_min = float(chi.expected_freq.min())
    fisher = None
    if expected_min < 5:
        fisher = float(stats.fisher_exact(table).pvalue) if table.shape == (2, 2) else fisher_exact_2xc(table)
    test = "fisher_exact" if fisher is not None else "chi_square"
    return CategoriesByGroup(
        categories=cats,
        counts_a=ca,
        counts_b=cb,
        expected_min=expected_min,
        chi_square=float(chi.statistic),
        df=int(chi.dof),
        p_value_chi_square=float(chi.pvalue),
        yates=table.shape == (2, 2),
        p_value_fisher=fisher,
        test=test,
        p_value=fisher if fisher is not None else float(chi.pvalue),
    )


@dataclass(frozen=True)
class TwoGroups(Result):
    """Every figure of the two-group comparison. Keys in analysis/README.md.

    Attributes
    ----------
    group_a, group_b : str
        Labels; a is the reference (control), differences are b - a.
    n_a, n_b : int
        Participants with both scores in each group.
    n_unlabelled : int
        Participants with both scores and no group (left out).
    baseline_mann_whitney : MannWhitney
        Pre-test, b against a.
    baseline_welch : IndependentT
    gain_mann_whitney : MannWhitney
        Gain (post - pre).
    gain_student, gain_welch : IndependentT
    ancova : Ancova2
        post ~ pre + group: the leading comparison.
    post_categories : CategoriesByGroup
    reason : str or None
        ``"fewer_than_two_groups"`` or ``"more_than_two_groups"`` (exactly two are needed).
    """

    group_a: str | None
    group_b: str | None
    n_a: int
    n_b: int
    n_unlabelled: int
    baseline_mann_whitney: MannWhitney | None
    baseline_welch: IndependentT | None
    gain_mann_whitney: MannWhitney | None
    gain_student: IndependentT | None
    gain_welch: IndependentT | None
    ancova: Ancova2 | None
    post_categories: CategoriesByGroup | None
    reason: str | None = None


def compare_groups(
    pre: Any,
    post: Any,
    groups: Sequence[Any],
    *,
    reference: str | None = None,
    max_score: float = 100.0,
    cutoffs: Mapping[str, float] | None = None,
) -> TwoGroups:
    """Compare two groups: baseline equivalence, gains, ANCOVA and post-test categories.

    Parameters
    ----------
    pre, post : array_like
        Scores aligned by participant (NaN = missing); participants with both are used.
    groups : sequence
        Each participant's group label (None or "" = none).
    reference : str, optional
        The reference (control) group. By default a label "control" or
        "kontrol", else the first in alphabetical order (R's factor levels).
    max_score : float
    cutoffs : mapping, optional
        Knowledge category cut-offs in percent (default baik 76, cukup 56).

    Returns
    -------
    TwoGroups

    Notes
    -----
    Each figure's R equivalent is in its function: :func:`mann_whitney`,
    :func:`independent_t_test`, :func:`group_ancova`, :func:`categories_by_group`.
    The ANCOVA leads: it compares the post-tests with the pre-test accounted
    for, which a comparison of gains does only when the slope is 1.

    Examples
    --------
    >>> r = compare_groups([40, 50, 60, 45, 55, 65], [60, 70, 80, 75, 85, 95], ["kontrol"] * 3 + ["intervensi"] * 3)
    >>> r.group_a, r.group_b, r.n_a, r.n_b
    ('kontrol', 'intervensi', 3, 3)
    """
    x = as_float_vector(pre, "pre")
    y = as_float_vector(post, "post")
    if x.shape != y.shape:
        raise ValueError(f"pre and post must have the same length, got {x.size} and {y.size}")
    lab = _labels(groups, x.size, "groups")
    paired = ~np.isnan(x) & ~np.isnan(y)
    names = sorted({v for v, p in zip(lab, paired, strict=True) if v is not None and p})
    n_unlabelled = int(sum(1 for v, p in zip(lab, paired, strict=True) if v is None and p))
    empty = dict(
        baseline_mann_whitney=None, baseline_welch=None, gain_mann_whitney=None, gain_student=None,
        gain_welch=None, ancova=None, post_categories=None,
    )  # fmt: skip
    if len(names) != 2:
        reason = "fewer_than_two_groups" if len(names) < 2 else "more_than_two_groups"
        return TwoGroups(None, None, 0, 0, n_unlabelled, **empty, reason=reason)
    if reference is None:
        reference = next((v for v in names if v.lower() in REFERENCE_LABELS), names[0])
    if reference not in names:
        raise ValueError(f"reference must be one of the groups {names}, got {reference!r}")
    other = names[1] if reference == names[0] else names[0]
    in_a = paired & np.array([v == reference for v in lab])
    in_b = paired & np.array([v == other for v in lab])
    gain = y - x
    keep = in_a | in_b
    cut = dict(DEFAULT_CUTOFFS if cutoffs is None else cutoffs)
    cat_a = knowledge_categories(y[in_a], max_score, cut).categories
    cat_b = knowledge_categories(y[in_b], max_score, cut).categories

    return TwoGroups(
        group_a=reference,
        group_b=other,
        n_a=int(in_a.sum()),
        n_b=int(in_b.sum()),
        n_unlabelled=n_unlabelled,
        baseline_mann_whitney=mann_whitney(x[in_a], x[in_b]),
        baseline_welch=independent_t_test(x[in_a], x[in_b]),
        gain_mann_whitney=mann_whitney(gain[in_a], gain[in_b]),
        gain_student=independent_t_test(gain[in_a], gain[in_b], welch=False),
        gain_welch=independent_t_test(gain[in_a], gain[in_b]),
        ancova=group_ancova(x[keep], y[keep], in_b[keep]),
        post_categories=categories_by_group(
            [c.count for c in cat_a], [c.count for c in cat_b], [c.category for c in cat_a]
        ),
    )
