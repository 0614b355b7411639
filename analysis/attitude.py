"""The attitude (Likert) scale before and after: totals, paired tests, reliability, items, categories.

Answers are 1..5 (1 = Sangat tidak setuju ... 5 = Sangat setuju); a reverse-scored (unfavourable)
statement counts 6 - x. A participant's total needs every statement answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ._base import Result, adjust_p, as_coded_matrix, as_float_vector, check_p_adjust, signif
from .gain import CategoryCount
from .items import Reliability, _alpha, _questions
from .paired import PairedTTest, WilcoxonSignedRank, paired_t_test, wilcoxon_signed_rank

__all__ = [
    "ATTITUDE_RULES",
    "LIKERT_LEVELS",
    "AttitudeAnalysis",
    "AttitudeCategories",
    "AttitudeItem",
    "Spearman",
    "as_likert_matrix",
    "attitude_analysis",
    "attitude_categories",
    "attitude_totals",
    "reverse_score",
    "spearman",
]

#: The answers of a five-point scale, lowest first.
LIKERT_LEVELS = (1, 2, 3, 4, 5)

#: How totals become attitude categories: ``"percent"`` (total as percent of the highest possible
#: total against cut-offs, as the knowledge categories) or ``"mean"`` (Azwar's T-score rule: positive
#: when T = 50 + 10 (x - mean) / sd >= 50, i.e. the total reaches the pre-test mean, else negative).
ATTITUDE_RULES = ("percent", "mean")

#: Default cut-offs of the ``"percent"`` rule, percent of the highest possible total.
DEFAULT_ATTITUDE_CUTOFFS = {"baik": 76.0, "cukup": 56.0}


def as_likert_matrix(values: Any, name: str = "answers") -> np.ndarray:
    """A participants x statements matrix of 1..5 or NaN; anything else is refused."""
    return as_coded_matrix(values, name, LIKERT_LEVELS, "answers 1..5", "statement")


def reverse_score(answers: Any, reverse: Sequence[bool]) -> np.ndarray:
    """Scored answers: 6 - x for the reverse-scored statements, x for the others.

    >>> reverse_score([[5, 1], [4, 2]], [False, True]).tolist()
    [[5.0, 5.0], [4.0, 4.0]]
    """
    x = as_likert_matrix(answers)
    mask = np.asarray(reverse, dtype=bool)
    if mask.shape != (x.shape[1],):
        raise ValueError(f"reverse must have one flag per statement ({x.shape[1]}), got {mask.size}")
    return np.where(mask[None, :], 6.0 - x, x)


def attitude_totals(scored: np.ndarray) -> np.ndarray:
    """Sum of the scored answers; NaN when a statement is unanswered."""
    return np.where(np.isnan(scored).any(axis=1), np.nan, np.nansum(scored, axis=1))


@dataclass(frozen=True)
class Spearman(Result):
    """Spearman's rank correlation with R's t-approximation p-value.

    Attributes
    ----------
    n : int
        Pairs with both values.
    rho : float or None
    t : float or None
        rho sqrt((n - 2) / (1 - rho^2)).
    df : int or None
        n - 2.
    p_value : float or None
        Two-sided.
    reason : str or None
        ``"too_few_values"`` (fewer than 3 pairs) or ``"identical_values"``
        (one of the variables does not vary: R gives NA).
    """

    n: int
    rho: float | None
    t: float | None
    df: int | None
    p_value: float | None
    reason: str | None = None


def spearman(x: Any, y: Any, *, digits_rank: int | None = 7) -> Spearman:
    """Spearman's rho between two variables (e.g. knowledge gain and attitude gain).

    Parameters
    ----------
    x, y : array_like
        Aligned; a pair with NaN in either is left out.
    digits_rank : int or None
        Values rounded to this many significant digits before ranking (the
        tie rule of the Wilcoxon test).

    Returns
    -------
    Spearman

    Notes
    -----
    Equals R ``cor.test(x, y, method = "spearman", exact = FALSE)``: rho is
    Pearson's r of the mid-ranks, and p comes from t = rho sqrt((n - 2) / (1 -
    rho^2)) with n - 2 df (not R's exact or Edgeworth p, which ``exact =
    NULL`` would give below 1290 pairs without ties). SPSS NONPAR CORR prints
    the same rho and p.

    Examples
    --------
    >>> r = spearman([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5])
    >>> round(r.rho, 4), r.df, round(r.p_value, 4)
    (0.8286, 4, 0.0416)
    """
    a = as_float_vector(x, "x")
    b = as_float_vector(y, "y")
    if a.shape != b.shape:
        raise ValueError(f"x and y must have the same length, got {a.size} and {b.size}")
    keep = ~np.isnan(a) & ~np.isnan(b)
    a, b = a[keep], b[keep]
    n = int(a.size)
    if n < 3:
        return Spearman(n, None, None, None, None, reason="too_few_values")
    if digits_rank is not None:
        a, b = signif(a, int(digits_rank)), signif(b, int(digits_rank))
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return Spearman(n, None, None, n - 2, None, reason="identical_values")
    rho = float(np.corrcoef(stats.rankdata(a), stats.rankdata(b))[0, 1])
    df = n - 2
    if abs(rho) >= 1:
        return Spearman(n, float(np.sign(rho)), None, df, 0.0)
    t = rho * np.sqrt(df / (1 - rho**2))
    return Spearman(n, rho, float(t), df, float(min(1.0, 2 * stats.t.sf(abs(t), df))))


@dataclass(frozen=True)
class AttitudeCategories(Result):
    """Attitude categories of one test.

    Attributes
    ----------
    rule : str
        ``"percent"`` or ``"mean"`` (see ``ATTITUDE_RULES``).
    reference : float or None
        The ``"mean"`` rule's reference, the mean pre-test total (None for ``"percent"``).
    cutoffs : dict of str to float or None
        The ``"percent"`` rule's cut-offs.
    n : int
    categories : list of CategoryCount
        ``baik``/``cukup``/``kurang`` (percent rule) or ``positive``/``negative`` (mean rule).
    """

    rule: str
    reference: float | None
    cutoffs: dict[str, float] | None
    n: int
    categories: list[CategoryCount]


def attitude_categories(
    totals: Any,
    n_items: int,
    *,
    rule: str = "percent",
    cutoffs: Mapping[str, float] | None = None,
    reference: float | None = None,
) -> AttitudeCategories:
    """Count the participants in each attitude category.

    Parameters
    ----------
    totals : array_like
        Scored totals (NaN = missing, left out).
    n_items : int
        Statements on the scale (the highest total is 5 n_items).
    rule : {"percent", "mean"}
        ``"percent"``: 100 total / (5 n_items) against ``cutoffs`` (baik >=
        76, cukup >= 56, else kurang by default). ``"mean"``: positive when the
        total reaches ``reference`` (Azwar's T >= 50 with the pre-test mean and
        SD), else negative.
    cutoffs : mapping, optional
    reference : float, optional
        Required by the ``"mean"`` rule.

    Returns
    -------
    AttitudeCategories

    Examples
    --------
    >>> r = attitude_categories([40, 30, 20], 8)
    >>> [(c.category, c.count) for c in r.categories]
    [('baik', 1), ('cukup', 1), ('kurang', 1)]
    """
    if rule not in ATTITUDE_RULES:
        raise ValueError(f"rule must be one of {ATTITUDE_RULES}, got {rule!r}")
    t = as_float_vector(totals, "totals")
    t = t[~np.isnan(t)]
    n = int(t.size)

    def counts(labels: list[str], masks: list[np.ndarray]) -> list[CategoryCount]:
        return [
            CategoryCount(lab, int(m.sum()), 100.0 * m.sum() / n if n else 0.0)
            for lab, m in zip(labels, masks, strict=True)
        ]

    if rule == "percent":
        cut = dict(DEFAULT_ATTITUDE_CUTOFFS if cutoffs is None else cutoffs)
        pct = 100.0 * t / (5 * n_items)
        # Compared at 10 decimals so a total exactly on a cut-off is not lost to rounding.
        pct = np.round(pct, 10)
        good, fair = pct >= cut["baik"], (pct >= cut["cukup"]) & (pct < cut["baik"])
        cats = counts(["baik", "cukup", "kurang"], [good, fair, ~good & ~fair])
        return AttitudeCategories(rule, None, cut, n, cats)
    if reference is None:
        raise ValueError("the 'mean' rule needs the reference (the mean pre-test total)")
    positive = t >= reference
    return AttitudeCategories(
        rule, float(reference), None, n, counts(["positive", "negative"], [positive, ~positive])
    )


@dataclass(frozen=True)
class AttitudeItem(Result):
    """One statement before and after.

    Attributes
    ----------
    statement : str
    reverse : bool
        Reverse-scored (unfavourable) statement.
    distribution_pre, distribution_post : list of CategoryCount
        Answers as given (1 = Sangat tidak setuju ... 5 = Sangat setuju),
        count and percent of those who answered, before reverse scoring.
    mean_pre, mean_post : float or None
        Mean scored answer of the paired participants.
    wilcoxon : WilcoxonSignedRank
        Scored post against scored pre, paired participants.
    p_value_adjusted : float or None
        Over the statements that could be tested.
    significant : bool or None
    """

    statement: str
    reverse: bool
    distribution_pre: list[CategoryCount]
    distribution_post: list[CategoryCount]
    mean_pre: float | None
    mean_post: float | None
    wilcoxon: WilcoxonSignedRank
    p_value_adjusted: float | None
    significant: bool | None


@dataclass(frozen=True)
class AttitudeAnalysis(Result):
    """Every figure of the attitude section. Keys in analysis/README.md.

    Attributes
    ----------
    statements : list of str
    reverse : list of str
        The reverse-scored statements.
    n_participants, n_paired : int
        Rows, and participants with a complete scale both times.
    max_total : int
        5 x statements.
    totals : dict of str to dict
        ``pre``/``post``/``difference``: n, mean, sd, median (paired participants).
    paired_t_test : PairedTTest
    wilcoxon : WilcoxonSignedRank
    reliability_pre, reliability_post : Reliability
        Cronbach's alpha of each test, every statement kept.
    items : list of AttitudeItem
    categories_pre, categories_post : AttitudeCategories
    knowledge_attitude_spearman : Spearman or None
        Between the knowledge gain and the attitude gain (None without knowledge scores).
    """

    statements: list[str]
    reverse: list[str]
    n_participants: int
    n_paired: int
    max_total: int
    totals: dict[str, dict[str, float | int | None]]
    paired_t_test: PairedTTest
    wilcoxon: WilcoxonSignedRank
    reliability_pre: Reliability
    reliability_post: Reliability
    items: list[AttitudeItem]
    categories_pre: AttitudeCategories
    categories_post: AttitudeCategories
    knowledge_attitude_spearman: Spearman | None


def _distribution(column: np.ndarray) -> list[CategoryCount]:
    given = column[~np.isnan(column)]
    n = given.size
    return [
        CategoryCount(
            str(level), int((given == level).sum()), 100.0 * (given == level).sum() / n if n else 0.0
        )
        for level in LIKERT_LEVELS[::-1]
    ]


def _summary(values: np.ndarray) -> dict[str, float | int | None]:
    n = int(values.size)
    return {
        "n": n,
        "mean": float(values.mean()) if n else None,
        "sd": float(values.std(ddof=1)) if n > 1 else None,
        "median": float(np.median(values)) if n else None,
    }


def attitude_analysis(
    answers_pre: Any,
    answers_post: Any,
    statements: Sequence[str] | None = None,
    *,
    reverse: Sequence[str] = (),
    knowledge_gain: Any = None,
    alpha: float = 0.05,
    p_adjust: str = "holm",
    rule: str = "percent",
    cutoffs: Mapping[str, float] | None = None,
) -> AttitudeAnalysis:
    """The attitude scale before and after the education.

    Parameters
    ----------
    answers_pre, answers_post : array_like, participants x statements
        Answers 1..5 as given (NaN = unanswered), same rows and columns.
    statements : sequence of str, optional
        Statement keys (``s1``, ``s2``, ... by default).
    reverse : sequence of str
        Keys of the reverse-scored statements (scored 6 - x).
    knowledge_gain : array_like, optional
        Knowledge post - pre per participant, for Spearman's correlation with
        the attitude gain.
    alpha : float
    p_adjust : {"holm", "bonferroni"}
        Over the statements.
    rule : {"percent", "mean"}
        The attitude category rule (see :func:`attitude_categories`).
    cutoffs : mapping, optional
        For the ``"percent"`` rule.

    Returns
    -------
    AttitudeAnalysis

    Notes
    -----
    Totals: the sum of the scored answers of a participant who answered every
    statement. The paired t-test and Wilcoxon on the totals are R ``t.test(post,
    pre, paired = TRUE)`` and ``wilcox.test(post, pre, paired = TRUE,
    digits.rank = 7)``. Cronbach's alpha keeps every statement and uses the n -
    1 divisor: R ``k / (k - 1) * (1 - sum(apply(x, 2, var)) / var(rowSums(x)))``
    on the complete rows; ``psych::alpha`` drops statements without variance
    (with a warning) and so can print another alpha. Per statement, Wilcoxon on
    the scored answers with Holm (R ``p.adjust``) over the statements that can
    be tested. Spearman: R ``cor.test(knowledge_gain, attitude_gain, method =
    "spearman", exact = FALSE)``.

    Examples
    --------
    >>> pre = [[2, 4, 3], [3, 4, 2], [2, 5, 3], [3, 3, 3], [1, 4, 2]]
    >>> post = [[4, 2, 4], [5, 1, 4], [4, 2, 5], [4, 2, 4], [3, 3, 4]]
    >>> r = attitude_analysis(pre, post, ["s1", "s2", "s3"], reverse=["s2"])
    >>> r.totals["pre"]["mean"], r.totals["post"]["mean"], r.max_total
    (6.8, 12.2, 15)
    """
    check_p_adjust(p_adjust)
    xp = as_likert_matrix(answers_pre, "answers_pre")
    xq = as_likert_matrix(answers_post, "answers_post")
    if xp.shape != xq.shape:
        raise ValueError(
            f"answers_pre and answers_post must have the same shape, got {xp.shape} and {xq.shape}"
        )
    n_all, k = xp.shape
    keys = _questions(statements, k)
    unknown = [s for s in reverse if s not in keys]
    if unknown:
        raise ValueError(f"reverse names statements that are not on the scale: {unknown}")
    mask = [key in reverse for key in keys]
    sp, sq = reverse_score(xp, mask), reverse_score(xq, mask)
    tp, tq = attitude_totals(sp), attitude_totals(sq)
    paired = ~np.isnan(tp) & ~np.isnan(tq)
    t_pre, t_post = tp[paired], tq[paired]
    tests_per_item = []
    for j in range(k):
        tests_per_item.append(wilcoxon_signed_rank(sp[:, j], sq[:, j]))
    p = np.array([np.nan if w.p_value is None else w.p_value for w in tests_per_item])
    p_adj = adjust_p(p, p_adjust)
    items = []
    for j, key in enumerate(keys):
        both = ~np.isnan(sp[:, j]) & ~np.isnan(sq[:, j])
        items.append(
            AttitudeItem(
                statement=key,
                reverse=mask[j],
                distribution_pre=_distribution(xp[:, j]),
                distribution_post=_distribution(xq[:, j]),
                mean_pre=float(sp[both, j].mean()) if both.any() else None,
                mean_post=float(sq[both, j].mean()) if both.any() else None,
                wilcoxon=tests_per_item[j],
                p_value_adjusted=None if np.isnan(p_adj[j]) else float(p_adj[j]),
                significant=None if np.isnan(p_adj[j]) else bool(p_adj[j] < alpha),
            )
        )
    reference = float(t_pre.mean()) if t_pre.size else None
    cat_args: dict[str, Any] = dict(rule=rule, cutoffs=cutoffs, reference=reference)
    if rule == "mean" and reference is None:
        cat_args["reference"] = float("nan")
    rho = None
    if knowledge_gain is not None:
        kg = as_float_vector(knowledge_gain, "knowledge_gain")
        if kg.size != n_all:
            raise ValueError(f"knowledge_gain must have {n_all} values, got {kg.size}")
        rho = spearman(kg, tq - tp)
    return AttitudeAnalysis(
        statements=keys,
        reverse=[key for key, m in zip(keys, mask, strict=True) if m],
        n_participants=n_all,
        n_paired=int(paired.sum()),
        max_total=5 * k,
        totals={"pre": _summary(t_pre), "post": _summary(t_post), "difference": _summary(t_post - t_pre)},
        paired_t_test=paired_t_test(t_pre, t_post),
        wilcoxon=wilcoxon_signed_rank(t_pre, t_post),
        reliability_pre=_alpha(sp, "cronbach_alpha"),
        reliability_post=_alpha(sq, "cronbach_alpha"),
        items=items,
        categories_pre=attitude_categories(t_pre, k, **cat_args),
        categories_post=attitude_categories(t_post, k, **cat_args),
        knowledge_attitude_spearman=rho,
    )
