"""Question-level analysis: McNemar per question, item difficulty and discrimination, KR-20."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ._base import Result, adjust_p, as_coded_matrix, check_p_adjust

__all__ = [
    "ItemQuality",
    "ItemStatistics",
    "McNemarExact",
    "QuestionChange",
    "Reliability",
    "as_item_matrix",
    "cronbach_alpha",
    "ebel_category",
    "item_quality",
    "kr20",
    "mcnemar_exact",
    "question_changes",
]


def as_item_matrix(items: Any, name: str = "items") -> np.ndarray:
    """A participants x questions float matrix of 0, 1 and NaN (missing); anything else is refused."""
    return as_coded_matrix(items, name, (0, 1), "0/1 answers", "question")


def _mcnemar_p(b: np.ndarray | int, c: np.ndarray | int) -> np.ndarray:
    """Two-sided exact McNemar p (binomial on the discordant pairs); NaN where b + c = 0."""
    b, c = np.asarray(b), np.asarray(c)
    n = b + c
    with np.errstate(invalid="ignore"):
        p = np.minimum(1.0, 2.0 * stats.binom.cdf(np.minimum(b, c), n, 0.5))
    return np.where(n > 0, p, np.nan)


#: SPSS NPAR TESTS /MCNEMAR: "If fewer than 25 cases change values ..., the binomial distribution is
#: used"; from 25 changes on it prints the chi-square with continuity correction.
SPSS_MCNEMAR_EXACT_BELOW = 25


def _mcnemar_chi_square(b: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """McNemar's chi-square with continuity correction, (|b - c| - 1)^2 / (b + c), df 1, and its p."""
    n = b + c
    with np.errstate(invalid="ignore", divide="ignore"):
        chi2 = np.where(n > 0, (np.abs(b - c) - 1.0) ** 2 / n, np.nan)
    return chi2, stats.chi2.sf(chi2, 1)


@dataclass(frozen=True)
class McNemarExact(Result):
    """Exact McNemar test of one question answered before and after.

    Attributes
    ----------
    n : int
        Participants with both answers.
    n_both_correct, n_became_correct, n_became_wrong, n_both_wrong : int
        The 2 x 2 table: right-right, wrong-right, right-wrong, wrong-wrong.
    p_value : float or None
        Two-sided exact p.
    reason : str or None
        ``"no_changes"`` when no participant changed, ``"no_pairs"`` when n = 0.
    """

    n: int
    n_both_correct: int
    n_became_correct: int
    n_became_wrong: int
    n_both_wrong: int
    p_value: float | None
    reason: str | None = None


def mcnemar_exact(before: Any, after: Any) -> McNemarExact:
    """Exact McNemar test: did the share answering correctly change?

    Parameters
    ----------
    before, after : array_like of 0/1
        One question's answers, aligned by participant (NaN = missing, left out).

    Returns
    -------
    McNemarExact

    Notes
    -----
    The two-sided binomial test of the b participants who became correct
    against the c who became wrong, p = min(1, 2 P(X <= min(b, c))), X ~ Bin(b + c, 1/2).
    Equals R ``binom.test(b, b + c)`` (``exact2x2::mcnemar.exact``), statsmodels
    ``mcnemar(table, exact=True)``, and SPSS McNemar, which uses this binomial
    when fewer than 25 participants changed. R's ``mcnemar.test`` is the
    chi-square with continuity correction instead. With no changed participant
    there is nothing to test: ``reason`` is set where statsmodels with
    correction returns p = 0.

    Examples
    --------
    >>> r = mcnemar_exact([0, 0, 0, 1, 1, 0, 0, 1], [1, 1, 1, 1, 0, 1, 0, 1])
    >>> r.n_became_correct, r.n_became_wrong, r.p_value
    (4, 1, 0.375)
    """
    x = as_item_matrix(np.column_stack([np.asarray(before, float), np.asarray(after, float)]), "answers")
    x = x[~np.isnan(x).any(axis=1)]
    pre, post = x[:, 0], x[:, 1]
    cells = (
        int(((pre == 1) & (post == 1)).sum()),
        int(((pre == 0) & (post == 1)).sum()),
        int(((pre == 1) & (post == 0)).sum()),
        int(((pre == 0) & (post == 0)).sum()),
    )
    n = int(pre.size)
    if n == 0:
        return McNemarExact(0, *cells, p_value=None, reason="no_pairs")
    if cells[1] + cells[2] == 0:
        return McNemarExact(n, *cells, p_value=None, reason="no_changes")
    return McNemarExact(n, *cells, p_value=float(_mcnemar_p(cells[1], cells[2])))


@dataclass(frozen=True)
class Reliability(Result):
    """Internal consistency of one test.

    Attributes
    ----------
    method : str
        ``"kr20"`` or ``"cronbach_alpha"``.
    n : int
        Participants who answered every question (listwise, as SPSS RELIABILITY).
    n_items : int
        Questions.
    coefficient : float or None
        KR-20 or alpha.
    reason : str or None
        ``"too_few_items"``, ``"too_few_participants"`` or ``"no_variance"``.
    """

    method: str
    n: int
    n_items: int
    coefficient: float | None
    reason: str | None = None


def _alpha(x: np.ndarray, method: str) -> Reliability:
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if k < 2:
        return Reliability(method, n, k, None, reason="too_few_items")
    if n < 2:
        return Reliability(method, n, k, None, reason="too_few_participants")
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    if not total_var > 0:
        return Reliability(method, n, k, None, reason="no_variance")
    return Reliability(method, n, k, float(k / (k - 1) * (1 - item_var / total_var)))


def kr20(items: Any) -> Reliability:
    """Kuder-Richardson 20 reliability of a test with 0/1 questions.

    Parameters
    ----------
    items : array_like, participants x questions
        0/1 answers; participants with a missing answer are left out (listwise).

    Returns
    -------
    Reliability

    Notes
    -----
    KR-20 = k/(k-1) (1 - sum p_j q_j / var(total)). The item variances and the
    total variance use the same divisor (n - 1 here), so KR-20 equals
    Cronbach's alpha on 0/1 data: R ``psych::alpha(x)$total$raw_alpha`` (on
    complete cases) and SPSS RELIABILITY /MODEL=ALPHA. Mixing divisors (p q with
    n, total with n - 1) gives a slightly different, wrong, number.

    References
    ----------
    Kuder, G. F., & Richardson, M. W. (1937). The theory of the estimation of
    test reliability. Psychometrika, 2(3), 151-160.

    Examples
    --------
    >>> round(kr20([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]).coefficient, 4)
    0.75
    """
    return _alpha(as_item_matrix(items), "kr20")


def cronbach_alpha(items: Any) -> Reliability:
    """Cronbach's alpha of a test (any item scores; NaN rows left out listwise).

    Notes
    -----
    alpha = k/(k-1) (1 - sum var(item) / var(total)), variances with n - 1:
    R ``psych::alpha(x)$total$raw_alpha`` on complete cases, SPSS RELIABILITY.

    Examples
    --------
    >>> round(cronbach_alpha([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]).coefficient, 4)
    0.75
    """
    x = np.asarray(items, dtype=float)
    if x.ndim != 2 or np.isinf(x).any():
        raise ValueError(f"items must be a finite participants x questions matrix, got shape {x.shape}")
    return _alpha(x, "cronbach_alpha")


@dataclass(frozen=True)
class ItemStatistics(Result):
    """Quality of one question on one test.

    Attributes
    ----------
    question : str
        The question key.
    n_answered : int
        Participants who answered it.
    difficulty : float or None
        Proportion correct among them (the "p" or difficulty index).
    difficulty_category : str or None
        ``"hard"`` (p <= 0.30), ``"moderate"`` (<= 0.70) or ``"easy"``.
    corrected_item_total : float or None
        Point-biserial correlation of the question with the total of the other
        questions (SPSS "Corrected Item-Total Correlation", psych ``r.drop``).
    upper_lower_index : float or None
        Proportion correct in the top 27% by total minus the bottom 27% (Kelley's D).
    discrimination_category : str or None
        Ebel's reading of D: ``"very_good"`` (D >= 0.40), ``"good"`` (0.30-0.39),
        ``"marginal"`` (0.20-0.29, to be revised) or ``"poor"`` (below 0.20, to be
        dropped or rewritten).
    valid : bool or None
        Item validity as Indonesian reviewers read it: the corrected item-total r
        exceeds r tabel (``ItemQuality.r_table``).
    alpha_if_deleted : float or None
        KR-20 (Cronbach's alpha) of the test without this question (SPSS
        "Cronbach's Alpha if Item Deleted", psych ``alpha.drop``); None with
        fewer than 3 questions or no variance left.
    flags : list of str
        ``"too_easy"``, ``"too_hard"``, ``"negative_discrimination"``, ``"no_variance"``.
    """

    question: str
    n_answered: int
    difficulty: float | None
    difficulty_category: str | None
    corrected_item_total: float | None
    upper_lower_index: float | None
    discrimination_category: str | None
    valid: bool | None
    alpha_if_deleted: float | None
    flags: list[str]


@dataclass(frozen=True)
class ItemQuality(Result):
    """Item analysis of one test: per-question statistics and reliability.

    Attributes
    ----------
    n_complete : int
        Participants who answered every question; discrimination and KR-20 use them.
    group_size : int
        Participants in each of the upper and lower 27% groups.
    r_table : float or None
        "r tabel": the smallest Pearson r significant at ``validity_alpha``
        (two-sided) with df = n_complete - 2, t / sqrt(df + t^2), t = qt(1 -
        alpha/2, df). None below 3 complete participants.
    validity_alpha : float
        The level of r tabel (0.05 by default).
    items : list of ItemStatistics
        In question order.
    reliability : Reliability
        KR-20.
    """

    n_complete: int
    group_size: int
    r_table: float | None
    validity_alpha: float
    items: list[ItemStatistics]
    reliability: Reliability


def _questions(questions: Sequence[str] | None, k: int) -> list[str]:
    if questions is None:
        return [f"q{j + 1}" for j in range(k)]
    questions = [str(q) for q in questions]
    if len(questions) != k:
        raise ValueError(f"questions must name the {k} columns, got {len(questions)} names")
    return questions


def item_quality(
    items: Any,
    questions: Sequence[str] | None = None,
    *,
    too_easy: float = 0.90,
    too_hard: float = 0.20,
    alpha: float = 0.05,
) -> ItemQuality:
    """Difficulty, discrimination, validity and KR-20 of one test.

    Parameters
    ----------
    items : array_like, participants x questions
        0/1 answers, NaN for a missing answer.
    questions : sequence of str, optional
        Question keys, one per column.
    too_easy, too_hard : float
        Difficulty above ``too_easy`` or below ``too_hard`` is flagged.
    alpha : float
        Level of r tabel for item validity (two-sided).

    Returns
    -------
    ItemQuality

    Notes
    -----
    Difficulty uses every answer given to the question. Discrimination and
    KR-20 use participants who answered every question. The upper and lower
    groups hold g = round(0.27 n) participants each, ranked by total score.
    When participants tied on the total straddle a group's boundary, each of
    the m tied participants counts with weight r/m, r being the places left in
    the group, so D does not depend on the order of the rows. A question
    answered the same way by everyone has no correlation (``no_variance``). A
    question is flagged ``negative_discrimination`` when its corrected
    item-total correlation is below zero.

    The corrected item-total r equals R ``cor(x[, j], rowSums(x[, -j]))`` and
    SPSS RELIABILITY's "Corrected Item-Total Correlation"; r tabel is the
    critical r of R ``cor.test`` at df = n - 2, and an item is valid when its r
    is above it. "Alpha if item deleted" equals SPSS's column and
    ``psych::alpha(x)$alpha.drop$raw_alpha``. Ebel's categories follow Ebel &
    Frisbie (1991), Essentials of Educational Measurement, p. 232.

    Examples
    --------
    >>> x = [[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 1], [1, 1, 0]]
    >>> q = item_quality(x, ["a", "b", "c"])
    >>> [(i.question, i.difficulty, i.flags) for i in q.items][0]
    ('a', 0.8, [])
    """
    x = as_item_matrix(items)
    _n_all, k = x.shape
    keys = _questions(questions, k)
    answered = (~np.isnan(x)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        difficulty = np.nansum(x, axis=0) / answered
    complete = x[~np.isnan(x).any(axis=1)]
    n = complete.shape[0]
    total = complete.sum(axis=1)
    rest = total[:, None] - complete
    xc = complete - complete.mean(axis=0) if n else complete
    rc = rest - rest.mean(axis=0) if n else rest
    den = np.sqrt((xc**2).sum(axis=0) * (rc**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r_drop = np.where(den > 0, (xc * rc).sum(axis=0) / np.where(den > 0, den, 1.0), np.nan)
    g = int(np.floor(0.27 * n + 0.5))
    if g >= 1 and 2 * g <= n:
        d_index = (
            (_group_weights(total, g, upper=True) - _group_weights(total, g, upper=False)) @ complete / g
        )
    else:
        g, d_index = 0, np.full(k, np.nan)
    df = n - 2
    r_table = None
    if df >= 1:
        t_crit = float(stats.t.ppf(1 - alpha / 2, df))
        r_table = t_crit / float(np.sqrt(df + t_crit**2))
    alpha_drop = np.full(k, np.nan)
    if k >= 3 and n >= 2:
        item_var = complete.var(axis=0, ddof=1)
        rest_var = rest.var(axis=0, ddof=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha_drop = np.where(
                rest_var > 0, (k - 1) / (k - 2) * (1 - (item_var.sum() - item_var) / rest_var), np.nan
            )
    out = []
    for j in range(k):
        p = float(difficulty[j]) if answered[j] else None
        flags = []
        if p is not None and p > too_easy:
            flags.append("too_easy")
        if p is not None and p < too_hard:
            flags.append("too_hard")
        r = float(r_drop[j]) if np.isfinite(r_drop[j]) else None
        if r is not None and r < 0:
            flags.append("negative_discrimination")
        if n and r is None:
            flags.append("no_variance")
        cat = None if p is None else "hard" if p <= 0.30 else "moderate" if p <= 0.70 else "easy"
        d = float(d_index[j]) if np.isfinite(d_index[j]) else None
        valid = None if r is None or r_table is None else bool(r > r_table)
        a_drop = float(alpha_drop[j]) if np.isfinite(alpha_drop[j]) else None
        out.append(
            ItemStatistics(keys[j], int(answered[j]), p, cat, r, d, ebel_category(d), valid, a_drop, flags)
        )
    return ItemQuality(
        n_complete=n,
        group_size=g,
        r_table=r_table,
        validity_alpha=float(alpha),
        items=out,
        reliability=_alpha(x, "kr20"),
    )


def ebel_category(d: float | None) -> str | None:
    """Ebel's reading of a discrimination index D (compared at 10 decimals, so 0.3 is "good").

    >>> [ebel_category(d) for d in (0.45, 0.3, 0.2, 0.1, None)]
    ['very_good', 'good', 'marginal', 'poor', None]
    """
    if d is None:
        return None
    d = round(d, 10)
    return "very_good" if d >= 0.40 else "good" if d >= 0.30 else "marginal" if d >= 0.20 else "poor"


def _group_weights(total: np.ndarray, g: int, *, upper: bool) -> np.ndarray:
    """Weight of each participant in the upper (or lower) group of g; ties at the cut share the places left."""
    key = -total if upper else total
    cut = np.sort(key)[g - 1]
    inside = key < cut
    at_cut = key == cut
    return inside + at_cut * ((g - inside.sum()) / at_cut.sum())


@dataclass(frozen=True)
class QuestionChange(Result):
    """One question before and after: percent correct, McNemar p (as SPSS chooses it) and its Holm adjustment.

    Attributes
    ----------
    question : str
        The question key.
    n : int
        Participants who answered it both times.
    percent_correct_pre, percent_correct_post : float or None
        Percent correct among them.
    n_became_correct, n_became_wrong : int
        Discordant pairs (wrong -> right, right -> wrong).
    p_value : float or None
        McNemar p (two-sided): exact binomial when fewer than 25 participants
        changed, otherwise the chi-square's (``method``).
    p_value_holm : float or None
        Holm-adjusted across the questions that could be tested.
    p_value_adjusted : float or None
        Adjusted by the chosen method (``p_adjust``: Holm, or Bonferroni).
    significant : bool or None
        p_value_adjusted < alpha.
    reason : str or None
        ``"no_pairs"`` or ``"no_changes"``.
    method : str or None
        ``"exact"`` (binomial) or ``"chi_square"`` (with continuity correction, df 1).
    chi_square : float or None
        The chi-square when ``method`` is ``"chi_square"``.
    """

    question: str
    n: int
    percent_correct_pre: float | None
    percent_correct_post: float | None
    n_became_correct: int
    n_became_wrong: int
    p_value: float | None
    p_value_holm: float | None
    p_value_adjusted: float | None
    significant: bool | None
    reason: str | None = None
    method: str | None = None
    chi_square: float | None = None


def question_changes(
    items_pre: Any,
    items_post: Any,
    questions: Sequence[str] | None = None,
    *,
    alpha: float = 0.05,
    p_adjust: str = "holm",
) -> list[QuestionChange]:
    """Percent correct before and after each question, with McNemar's p (as SPSS) adjusted by Holm.

    Parameters
    ----------
    items_pre, items_post : array_like, participants x questions
        0/1 answers aligned by participant and question; NaN = missing.
    questions : sequence of str, optional
        Question keys.
    alpha : float
        Significance level for ``significant``.
    p_adjust : {"holm", "bonferroni"}
        The correction ``significant`` uses (Holm is always given too).

    Returns
    -------
    list of QuestionChange

    Notes
    -----
    Per question, SPSS NPAR TESTS /MCNEMAR's choice: when fewer than 25
    participants changed, the exact binomial p of ``mcnemar_exact`` (R
    ``binom.test(b, b + c)``); from 25 changes on, the chi-square with
    continuity correction, (|b - c| - 1)^2 / (b + c) on 1 df (R
    ``mcnemar.test(table)``). The Holm step-down adjustment
    (statsmodels ``multipletests(method="holm")``, R ``p.adjust(p, "holm")``; Bonferroni ``p.adjust(p, "bonferroni")``)
    runs over the questions that could be tested; a question nobody changed on
    has no p and does not count toward the number of tests.

    Examples
    --------
    >>> pre = [[0, 1], [0, 1], [0, 0], [0, 1], [0, 1], [0, 1]]
    >>> post = [[1, 1], [1, 1], [1, 1], [1, 1], [1, 1], [1, 1]]
    >>> [(c.question, c.p_value, c.p_value_holm) for c in question_changes(pre, post, ["a", "b"])]
    [('a', 0.03125, 0.0625), ('b', 1.0, 1.0)]
    """
    pre = as_item_matrix(items_pre, "items_pre")
    post = as_item_matrix(items_post, "items_post")
    if pre.shape != post.shape:
        raise ValueError(
            f"items_pre and items_post must have the same shape, got {pre.shape} and {post.shape}"
        )
    keys = _questions(questions, pre.shape[1])
    valid = ~np.isnan(pre) & ~np.isnan(post)
    n = valid.sum(axis=0)
    b = (valid & (pre == 0) & (post == 1)).sum(axis=0)
    c = (valid & (pre == 1) & (post == 0)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct_pre = 100.0 * np.where(valid, pre, 0).sum(axis=0) / n
        pct_post = 100.0 * np.where(valid, post, 0).sum(axis=0) / n
    check_p_adjust(p_adjust)
    use_chi2 = (b + c) >= SPSS_MCNEMAR_EXACT_BELOW
    chi2, p_chi2 = _mcnemar_chi_square(b, c)
    p = np.where(use_chi2, p_chi2, _mcnemar_p(b, c))
    testable = np.isfinite(p)
    p_holm = adjust_p(p, "holm")
    p_adj = adjust_p(p, p_adjust)
    out = []
    for j, key in enumerate(keys):
        reason = "no_pairs" if n[j] == 0 else None if testable[j] else "no_changes"
        out.append(
            QuestionChange(
                question=key,
                n=int(n[j]),
                percent_correct_pre=float(pct_pre[j]) if n[j] else None,
                percent_correct_post=float(pct_post[j]) if n[j] else None,
                n_became_correct=int(b[j]),
                n_became_wrong=int(c[j]),
                p_value=float(p[j]) if testable[j] else None,
                p_value_holm=float(p_holm[j]) if testable[j] else None,
                p_value_adjusted=float(p_adj[j]) if testable[j] else None,
                significant=bool(p_adj[j] < alpha) if testable[j] else None,
                reason=reason,
                method=None if not testable[j] else "chi_square" if use_chi2[j] else "exact",
                chi_square=float(chi2[j]) if testable[j] and use_chi2[j] else None,
            )
        )
    return out
