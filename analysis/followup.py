"""Three time points (pre, post, delayed follow-up): did the knowledge last?

Repeated-measures statistics on the participants with all three scores (complete cases), every dropout
pattern counted: Friedman with Kendall's W, post-hoc Wilcoxon for the three pairs, repeated-measures
ANOVA with Mauchly's test and the Greenhouse-Geisser and Huynh-Feldt corrections, and per question
Cochran's Q with pairwise exact McNemar tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ._base import Result, adjust_p, as_float_vector, check_p_adjust, signif
from .descriptives import Descriptives, describe
from .items import _mcnemar_p, _questions, as_item_matrix
from .normality import NormalityTest, lilliefors, normality_order, shapiro_wilk
from .paired import WilcoxonSignedRank, wilcoxon_signed_rank

__all__ = [
    "TIME_POINTS",
    "CochranQ",
    "DropoutPatterns",
    "FollowUp",
    "FollowUpLeadingTest",
    "Friedman",
    "PairMcNemar",
    "PairWilcoxon",
    "QuestionRetention",
    "RepeatedMeasuresAnova",
    "cochran_q",
    "dropout_patterns",
    "followup_analysis",
    "friedman_test",
    "pairwise_wilcoxon",
    "question_retention",
    "rm_anova",
]

#: The time points, in order.
TIME_POINTS = ("pre", "post", "followup")

#: The three pairs, later against earlier (as R's pairwise.wilcox.test orders them).
PAIRS = (("post", "pre"), ("followup", "pre"), ("followup", "post"))


def _pair_name(later: str, earlier: str) -> str:
    return f"{later}_vs_{earlier}"


@dataclass(frozen=True)
class DropoutPatterns(Result):
    """Who took which of the three tests; every pattern counted, none silently dropped.

    Attributes
    ----------
    n_participants : int
    n_complete : int
        Pre, post and follow-up: the sample of the repeated-measures tests.
    n_pre_post, n_pre_followup, n_post_followup : int
        Exactly those two tests.
    n_pre_only, n_post_only, n_followup_only : int
        Exactly one test.
    n_none : int
        No score at all.
    """

    n_participants: int
    n_complete: int
    n_pre_post: int
    n_pre_followup: int
    n_post_followup: int
    n_pre_only: int
    n_post_only: int
    n_followup_only: int
    n_none: int


def dropout_patterns(pre: Any, post: Any, followup: Any) -> DropoutPatterns:
    """Count the participants of each pattern of taken tests.

    >>> nan = float("nan")
    >>> d = dropout_patterns([50, 60, nan, 70], [80, nan, 90, 75], [70, 65, 85, nan])
    >>> d.n_complete, d.n_pre_followup, d.n_post_followup, d.n_pre_post
    (1, 1, 1, 1)
    """
    a, b, c = (
        ~np.isnan(_vector(v, name)) for v, name in ((pre, "pre"), (post, "post"), (followup, "followup"))
    )
    if not a.size == b.size == c.size:
        raise ValueError(
            f"pre, post and followup must have the same length, got {a.size}, {b.size}, {c.size}"
        )

    def count(mask: np.ndarray) -> int:
        return int(mask.sum())

    return DropoutPatterns(
        n_participants=int(a.size),
        n_complete=count(a & b & c),
        n_pre_post=count(a & b & ~c),
        n_pre_followup=count(a & ~b & c),
        n_post_followup=count(~a & b & c),
        n_pre_only=count(a & ~b & ~c),
        n_post_only=count(~a & b & ~c),
        n_followup_only=count(~a & ~b & c),
        n_none=count(~a & ~b & ~c),
    )


def _vector(values: Any, name: str) -> np.ndarray:
    return as_float_vector(values, name)


def _complete_matrix(scores: Any, name: str = "scores") -> np.ndarray:
    """Participants x time points, finite or NaN; rows with a NaN dropped (R's complete.cases)."""
    try:
        y = np.asarray(scores, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a participants x time points matrix of numbers") from exc
    if y.ndim != 2 or y.shape[1] < 2:
        raise ValueError(f"{name} must be participants x time points (at least 2), got shape {y.shape}")
    if np.isinf(y).any():
        raise ValueError(f"{name} must be finite or NaN")
    return y[~np.isnan(y).any(axis=1)]


@dataclass(frozen=True)
class Friedman(Result):
    """Friedman test across the time points, with Kendall's W.

    Attributes
    ----------
    n : int
        Complete cases.
    k : int
        Time points.
    statistic : float or None
        Tie-corrected chi-square.
    df : int or None
        k - 1.
    p_value : float or None
    kendalls_w : float or None
        chi-square / (n (k - 1)), in [0, 1].
    mean_ranks : list of float or None
        Mean rank of each time point (SPSS "Ranks").
    reason : str or None
        ``"fewer_than_two_complete_cases"`` or ``"no_variance"`` (every
        participant scored the same at every time point: R gives NaN).
    """

    n: int
    k: int
    statistic: float | None
    df: int | None
    p_value: float | None
    kendalls_w: float | None
    mean_ranks: list[float] | None
    reason: str | None = None


def _row_tie_term(y: np.ndarray) -> np.ndarray:
    """Per row, the sum of t^3 - t over groups of t equal values."""
    s = np.sort(y, axis=1)
    run = np.ones(s.shape[0])
    acc = np.zeros(s.shape[0])
    for j in range(1, s.shape[1]):
        same = s[:, j] == s[:, j - 1]
        acc += np.where(same, 0.0, run**3 - run)
        run = np.where(same, run + 1, 1.0)
    return acc + run**3 - run


def friedman_test(scores: Any, *, digits_rank: int | None = 7) -> Friedman:
    """Friedman rank test of k related samples (the participants' scores at each time point).

    Parameters
    ----------
    scores : array_like, participants x time points
        Rows with a missing score are left out (complete cases).
    digits_rank : int or None
        Scores are rounded to this many significant digits before they are
        ranked, the tie rule of the Wilcoxon test.

    Returns
    -------
    Friedman

    Notes
    -----
    Equals R ``friedman.test(y)`` (ranks within each participant, the
    tie-corrected statistic 12 sum (R_j - n(k+1)/2)^2 / (n k (k+1) - sum(t^3 -
    t) / (k - 1))) and SPSS NPAR TESTS /FRIEDMAN. Kendall's W = chi-square /
    (n (k - 1)), as SPSS NPAR TESTS /KENDALL and ``rstatix::friedman_effsize``.

    Examples
    --------
    >>> r = friedman_test([[50, 80, 70], [60, 90, 85], [40, 70, 65], [55, 75, 80]])
    >>> r.statistic, r.df, round(r.kendalls_w, 4)
    (6.5, 2, 0.8125)
    """
    y = _complete_matrix(scores)
    n, k = y.shape
    blank: dict[str, Any] = dict(statistic=None, df=None, p_value=None, kendalls_w=None, mean_ranks=None)
    if n < 2:
        return Friedman(n, k, **blank, reason="fewer_than_two_complete_cases")
    if digits_rank is not None:
        y = signif(y, int(digits_rank))
    r = stats.rankdata(y, axis=1)
    col = r.sum(axis=0)
    denominator = n * k * (k + 1) - _row_tie_term(y).sum() / (k - 1)
    if not denominator > 0:
        return Friedman(n, k, **blank | dict(mean_ranks=(col / n).tolist()), reason="no_variance")
    chi2 = float(12 * np.sum((col - n * (k + 1) / 2) ** 2) / denominator)
    return Friedman(
        n=n,
        k=k,
        statistic=chi2,
        df=k - 1,
        p_value=float(stats.chi2.sf(chi2, k - 1)),
        kendalls_w=chi2 / (n * (k - 1)),
        mean_ranks=(col / n).tolist(),
    )


@dataclass(frozen=True)
class PairWilcoxon(Result):
    """Post-hoc Wilcoxon signed-rank test of one pair of time points (later - earlier).

    Attributes
    ----------
    pair : str
        ``"post_vs_pre"``, ``"followup_vs_pre"`` or ``"followup_vs_post"``.
    later, earlier : str
    wilcoxon : WilcoxonSignedRank
        The test on the complete cases (R's and SPSS's figures).
    p_value_adjusted : float or None
        Adjusted over the pairs that could be tested.
    significant : bool or None
    """

    pair: str
    later: str
    earlier: str
    wilcoxon: WilcoxonSignedRank
    p_value_adjusted: float | None
    significant: bool | None


def pairwise_wilcoxon(
    scores: Any,
    labels: Sequence[str] = TIME_POINTS,
    *,
    alpha: float = 0.05,
    p_adjust: str = "holm",
    digits_rank: int | None = 7,
) -> list[PairWilcoxon]:
    """Wilcoxon signed-rank test of every pair of time points, later against earlier, adjusted.

    Parameters
    ----------
    scores : array_like, participants x time points
        Complete cases are used for every pair.
    labels : sequence of str
        Names of the columns, in time order.
    alpha : float
    p_adjust : {"holm", "bonferroni"}
    digits_rank : int or None
        As :func:`analysis.paired.wilcoxon_signed_rank`.

    Returns
    -------
    list of PairWilcoxon
        In R's order: (2, 1), (3, 1), (3, 2).

    Notes
    -----
    Equals R ``pairwise.wilcox.test(score, time, paired = TRUE,
    p.adjust.method = "holm", digits.rank = 7)`` (its defaults ``exact = NULL,
    correct = TRUE`` reach ``wilcox.test``): the unadjusted p of each pair is
    ``wilcox.test(later, earlier, paired = TRUE)``'s. A pair R cannot test
    (every difference zero) has no p and leaves the adjustment family.

    Examples
    --------
    >>> y = [[50, 80, 70], [60, 90, 85], [40, 70, 65], [55, 75, 80], [45, 85, 60]]
    >>> [(p.pair, p.wilcoxon.v) for p in pairwise_wilcoxon(y)]
    [('post_vs_pre', 15.0), ('followup_vs_pre', 15.0), ('followup_vs_post', 2.0)]
    """
    check_p_adjust(p_adjust)
    y = _complete_matrix(scores)
    labels = [str(v) for v in labels]
    if len(labels) != y.shape[1]:
        raise ValueError(f"labels must name the {y.shape[1]} columns, got {len(labels)}")
    pairs = [(i, j) for j in range(y.shape[1]) for i in range(j + 1, y.shape[1])]
    tests = [wilcoxon_signed_rank(y[:, j], y[:, i], digits_rank=digits_rank) for i, j in pairs]
    p = np.array([np.nan if t.p_value is None else t.p_value for t in tests])
    adjusted = adjust_p(p, p_adjust)
    return [
        PairWilcoxon(
            pair=_pair_name(labels[i], labels[j]),
            later=labels[i],
            earlier=labels[j],
            wilcoxon=t,
            p_value_adjusted=None if np.isnan(q) else float(q),
            significant=None if np.isnan(q) else bool(q < alpha),
        )
        for (i, j), t, q in zip(pairs, tests, adjusted, strict=True)
    ]


@dataclass(frozen=True)
class RepeatedMeasuresAnova(Result):
    """One-way repeated-measures ANOVA with the sphericity test and its corrections.

    Attributes
    ----------
    n : int
        Complete cases.
    k : int
        Time points.
    ss_time, ss_error : float or None
        Sums of squares of time and of the time x participant error.
    df_time, df_error : int or None
        k - 1 and (n - 1)(k - 1).
    f : float or None
    p_value : float or None
        Sphericity assumed.
    partial_eta_squared : float or None
        ss_time / (ss_time + ss_error).
    mauchly_w, mauchly_chi_square, mauchly_df, mauchly_p_value : float or None
        Mauchly's test of sphericity (None with two time points, where
        sphericity always holds, or too few participants).
    epsilon_gg : float or None
        Greenhouse-Geisser epsilon.
    epsilon_hf : float or None
        Huynh-Feldt epsilon as computed (it can exceed 1).
    p_value_gg, p_value_hf : float or None
        F's p with the degrees of freedom multiplied by the epsilon; for HF by
        min(1, epsilon_hf).
    reason : str or None
        ``"fewer_than_two_complete_cases"``, ``"no_variance"`` (no score
        differs) or ``"no_residual_variance"`` (every participant moved the
        same way: the error term is zero).
    """

    n: int
    k: int
    ss_time: float | None
    ss_error: float | None
    df_time: int | None
    df_error: int | None
    f: float | None
    p_value: float | None
    partial_eta_squared: float | None
    mauchly_w: float | None
    mauchly_chi_square: float | None
    mauchly_df: int | None
    mauchly_p_value: float | None
    epsilon_gg: float | None
    epsilon_hf: float | None
    p_value_gg: float | None
    p_value_hf: float | None
    reason: str | None = None


def _orthonormal_contrasts(k: int) -> np.ndarray:
    """k x (k - 1) orthonormal contrasts (any such set gives the same Mauchly W and epsilons)."""
    centred = np.eye(k) - 1.0 / k
    q, _ = np.linalg.qr(centred[:, : k - 1])
    return q


def rm_anova(scores: Any) -> RepeatedMeasuresAnova:
    """Repeated-measures ANOVA of the scores over the time points.

    Parameters
    ----------
    scores : array_like, participants x time points
        Complete cases are used.

    Returns
    -------
    RepeatedMeasuresAnova

    Notes
    -----
    F, df and p equal R ``summary(aov(score ~ time + Error(id/time)))`` (the
    ``id:time`` stratum) and SPSS GLM "Sphericity Assumed". Mauchly's W,
    chi-square and p equal R ``mauchly.test`` and ``car::Anova(mlm, idata,
    idesign = ~time)`` (including the second-order term of R's p, zero for
    three time points). Greenhouse-Geisser epsilon = tr(S)^2 / (p tr(S^2)), S
    the covariance of orthonormal contrasts, p = k - 1; Huynh-Feldt epsilon =
    (n p eps_GG - 2) / (p (n - 1 - p eps_GG)), printed as computed (above 1
    with near-spherical data) and capped at 1 for its p, as ``car`` and SPSS
    (which prints the capped value) do. Partial eta squared = SS_time /
    (SS_time + SS_error).

    Examples
    --------
    >>> r = rm_anova([[50, 80, 70], [60, 90, 85], [40, 70, 65], [55, 75, 80], [45, 85, 60]])
    >>> r.df_time, r.df_error, round(r.f, 3), round(r.partial_eta_squared, 3)
    (2, 8, 38.105, 0.905)
    """
    y = _complete_matrix(scores)
    n, k = y.shape
    blank: dict[str, Any] = dict(
        ss_time=None, ss_error=None, df_time=None, df_error=None, f=None, p_value=None,
        partial_eta_squared=None, mauchly_w=None, mauchly_chi_square=None, mauchly_df=None,
        mauchly_p_value=None, epsilon_gg=None, epsilon_hf=None, p_value_gg=None, p_value_hf=None,
    )  # fmt: skip
    if n < 2:
        return RepeatedMeasuresAnova(n, k, **blank, reason="fewer_than_two_complete_cases")
    grand = y.mean()
    ss_time = float(n * np.sum((y.mean(axis=0) - grand) ** 2))
    resid = y - y.mean(axis=1, keepdims=True) - y.mean(axis=0, keepdims=True) + grand
    ss_error = float(np.sum(resid**2))
    df_time, df_error = k - 1, (n - 1) * (k - 1)
    scale = max(1.0, float(np.sum((y - grand) ** 2)))
    base = dict(ss_time=ss_time, ss_error=ss_error, df_time=df_time, df_error=df_error)
    if ss_time + ss_error <= 1e-12 * scale:
        return RepeatedMeasuresAnova(n, k, **blank | base, reason="no_variance")
    if ss_error <= 1e-12 * scale:
        return RepeatedMeasuresAnova(n, k, **blank | base, reason="no_residual_variance")
    f = (ss_time / df_time) / (ss_error / df_error)
    p_value = float(stats.f.sf(f, df_time, df_error))
    out = blank | base | dict(f=f, p_value=p_value, partial_eta_squared=ss_time / (ss_time + ss_error))
    p = k - 1
    contrasts = _orthonormal_contrasts(k)
    s = np.atleast_2d(np.cov(y @ contrasts, rowvar=False, ddof=1))
    tr = float(np.trace(s))
    gg = tr**2 / (p * float(np.trace(s @ s)))
    hf = (n * p * gg - 2) / (p * (n - 1 - p * gg))
    out |= dict(
        epsilon_gg=gg,
        epsilon_hf=hf,
        p_value_gg=float(stats.f.sf(f, gg * df_time, gg * df_error)),
        p_value_hf=float(stats.f.sf(f, min(1.0, hf) * df_time, min(1.0, hf) * df_error)),
    )
    if p >= 2 and n - 1 >= p:
        # R's mauchly.test.SSD, with the second-order term w2 of its p-value.
        m = n - 1
        sign, logdet = np.linalg.slogdet(s)
        if sign > 0:
            log_w = logdet - p * np.log(tr / p)
            rho = 1 - (2 * p**2 + p + 2) / (6 * p * m)
            w2 = (p + 2) * (p - 1) * (p - 2) * (2 * p**3 + 6 * p**2 + 3 * p + 2) / (288 * (m * p * rho) ** 2)
            z = -m * rho * log_w
            df_m = p * (p + 1) // 2 - 1
            pr1, pr2 = stats.chi2.sf(z, df_m), stats.chi2.sf(z, df_m + 4)
            out |= dict(
                mauchly_w=float(np.exp(log_w)),
                mauchly_chi_square=float(z),
                mauchly_df=df_m,
                mauchly_p_value=float(pr1 + w2 * (pr2 - pr1)),
            )
    return RepeatedMeasuresAnova(n, k, **out)


@dataclass(frozen=True)
class CochranQ(Result):
    """Cochran's Q test of one question answered at k time points.

    Attributes
    ----------
    n : int
        Participants who answered the question at every time point.
    percent_correct : list of float or None
        Percent correct at each time point, among them.
    q : float or None
    df : int or None
        k - 1.
    p_value : float or None
    reason : str or None
        ``"no_pairs"`` (nobody answered every time) or ``"no_changes"`` (every
        participant gave the same answer every time: R's statistic is NaN).
    """

    n: int
    percent_correct: list[float] | None
    q: float | None
    df: int | None
    p_value: float | None
    reason: str | None = None


def _cochran(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised over questions: x is participants x time points x questions (NaN = missing).

    Returns n, percent correct (questions x k), Q and p per question (NaN when untestable).
    """
    k = x.shape[1]
    valid = ~np.isnan(x).any(axis=1)  # participants x questions
    xv = np.where(valid[:, None, :], x, 0.0)
    n = valid.sum(axis=0)
    col = xv.sum(axis=0)  # k x questions
    row = xv.sum(axis=1)  # participants x questions
    total = col.sum(axis=0)
    numerator = (k - 1) * (k * (col**2).sum(axis=0) - total**2)
    denominator = k * total - (row**2).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan)
        pct = 100.0 * col.T / n[:, None]
    p = np.where(np.isfinite(q), stats.chi2.sf(np.where(np.isfinite(q), q, 0.0), k - 1), np.nan)
    return n, pct, q, p


def cochran_q(answers: Any) -> CochranQ:
    """Cochran's Q: did the share answering one question correctly change across the time points?

    Parameters
    ----------
    answers : array_like, participants x time points
        0/1 answers to one question; a participant with a missing answer is left out.

    Returns
    -------
    CochranQ

    Notes
    -----
    Q = (k - 1)(k sum C_j^2 - N^2) / (k N - sum R_i^2), chi-square with k - 1
    df; equals SPSS NPAR TESTS /COCHRAN, ``RVAideMemoire::cochran.qtest`` and
    R ``friedman.test`` on the 0/1 matrix (Friedman's tie-corrected statistic
    on binary data is Cochran's Q).

    Examples
    --------
    >>> r = cochran_q([[0, 1, 1], [0, 1, 0], [0, 1, 1], [1, 1, 1], [0, 0, 0], [0, 1, 1]])
    >>> round(r.q, 4), r.df, round(r.p_value, 4)
    (6.5, 2, 0.0388)
    """
    x = as_item_matrix(answers, "answers")
    n, pct, q, p = _cochran(x[:, :, None])
    k = x.shape[1]
    if n[0] == 0:
        return CochranQ(0, None, None, None, None, reason="no_pairs")
    if np.isnan(q[0]):
        return CochranQ(int(n[0]), pct[0].tolist(), None, None, None, reason="no_changes")
    return CochranQ(int(n[0]), pct[0].tolist(), float(q[0]), k - 1, float(p[0]))


@dataclass(frozen=True)
class PairMcNemar(Result):
    """Exact McNemar test of one question between two time points.

    Attributes
    ----------
    pair : str
        ``"post_vs_pre"``, ``"followup_vs_pre"`` or ``"followup_vs_post"``.
    n : int
        Participants who answered it at both (and at every) time point.
    n_became_correct, n_became_wrong : int
    p_value : float or None
        Two-sided exact p (R ``binom.test(b, b + c)``).
    p_value_adjusted : float or None
        Over the question's pairs that could be tested.
    significant : bool or None
    reason : str or None
        ``"no_changes"``.
    """

    pair: str
    n: int
    n_became_correct: int
    n_became_wrong: int
    p_value: float | None
    p_value_adjusted: float | None
    significant: bool | None
    reason: str | None = None


@dataclass(frozen=True)
class QuestionRetention(Result):
    """One question at the three time points: Cochran's Q, then exact McNemar for each pair.

    Attributes
    ----------
    question : str
    cochran : CochranQ
    p_value_adjusted : float or None
        Cochran's p adjusted over the questions that could be tested.
    significant : bool or None
    pairs : list of PairMcNemar
    """

    question: str
    cochran: CochranQ
    p_value_adjusted: float | None
    significant: bool | None
    pairs: list[PairMcNemar]


def question_retention(
    items_pre: Any,
    items_post: Any,
    items_followup: Any,
    questions: Sequence[str] | None = None,
    *,
    alpha: float = 0.05,
    p_adjust: str = "holm",
) -> list[QuestionRetention]:
    """Per question: Cochran's Q over the three tests, adjusted over questions, and pairwise exact McNemar.

    Parameters
    ----------
    items_pre, items_post, items_followup : array_like, participants x questions
        0/1 answers aligned by participant and question; NaN = missing.
    questions : sequence of str, optional
    alpha : float
    p_adjust : {"holm", "bonferroni"}
        Used for both families: the questions (Cochran) and each question's three pairs (McNemar).

    Returns
    -------
    list of QuestionRetention

    Notes
    -----
    For each question the participants who answered it all three times are
    used. Cochran's Q is :func:`cochran_q`; its p is adjusted over the
    questions that could be tested (R ``p.adjust``, NA left out). The pairs are
    exact McNemar tests (R ``binom.test(b, b + c)``, as ``mcnemar_exact``)
    adjusted over the question's pairs that could be tested.

    Examples
    --------
    >>> pre, post, fu = [[0], [0], [0], [1], [0], [0]], [[1], [1], [1], [1], [0], [1]], [[1], [0], [1], [1], [0], [1]]
    >>> r = question_retention(pre, post, fu, ["a"])[0]
    >>> round(r.cochran.q, 4), [(p.pair, p.p_value) for p in r.pairs]
    (6.5, [('post_vs_pre', 0.125), ('followup_vs_pre', 0.25), ('followup_vs_post', 1.0)])
    """
    check_p_adjust(p_adjust)
    mats = [as_item_matrix(m, name) for m, name in ((items_pre, "items_pre"), (items_post, "items_post"),
                                                    (items_followup, "items_followup"))]  # fmt: skip
    if not mats[0].shape == mats[1].shape == mats[2].shape:
        raise ValueError(f"the three item matrices must have the same shape, got {[m.shape for m in mats]}")
    keys = _questions(questions, mats[0].shape[1])
    x = np.stack(mats, axis=1)  # participants x 3 x questions
    n, pct, q, p = _cochran(x)
    p_adj = adjust_p(p, p_adjust)
    valid = ~np.isnan(x).any(axis=1)
    index = {name: i for i, name in enumerate(TIME_POINTS)}
    pair_p, pair_b, pair_c = [], [], []
    for later, earlier in PAIRS:
        a, b = x[:, index[earlier], :], x[:, index[later], :]
        pair_b.append((valid & (a == 0) & (b == 1)).sum(axis=0))
        pair_c.append((valid & (a == 1) & (b == 0)).sum(axis=0))
        pair_p.append(_mcnemar_p(pair_b[-1], pair_c[-1]))
    pp = np.array(pair_p)  # 3 x questions
    out = []
    for j, key in enumerate(keys):
        pair_adj = adjust_p(pp[:, j], p_adjust)
        pairs = [
            PairMcNemar(
                pair=_pair_name(later, earlier),
                n=int(n[j]),
                n_became_correct=int(pair_b[i][j]),
                n_became_wrong=int(pair_c[i][j]),
                p_value=None if np.isnan(pp[i, j]) else float(pp[i, j]),
                p_value_adjusted=None if np.isnan(pair_adj[i]) else float(pair_adj[i]),
                significant=None if np.isnan(pair_adj[i]) else bool(pair_adj[i] < alpha),
                reason=None if np.isfinite(pp[i, j]) else "no_changes",
            )
            for i, (later, earlier) in enumerate(PAIRS)
        ]
        if n[j] == 0:
            cq = CochranQ(0, None, None, None, None, reason="no_pairs")
        elif np.isnan(q[j]):
            cq = CochranQ(int(n[j]), pct[j].tolist(), None, None, None, reason="no_changes")
        else:
            cq = CochranQ(int(n[j]), pct[j].tolist(), float(q[j]), 2, float(p[j]))
        testable = not np.isnan(p_adj[j])
        out.append(
            QuestionRetention(
                question=key,
                cochran=cq,
                p_value_adjusted=float(p_adj[j]) if testable else None,
                significant=bool(p_adj[j] < alpha) if testable else None,
                pairs=pairs,
            )
        )
    return out


@dataclass(frozen=True)
class FollowUpLeadingTest(Result):
    """Which test of the three time points the report leads with, and why.

    Attributes
    ----------
    test : str
        ``"rm_anova"`` when the differences of every pair look normal, else ``"friedman"``.
    normality_rule : str
        As for pre/post (see :func:`analysis.summary.leading_test`).
    basis : str
        The normality test used (``"shapiro_wilk"``, ``"lilliefors"`` or
        ``"normality_not_testable"``).
    normality_p_values : dict of str to float or None
        Per pair of time points (``"post_vs_pre"``, ...).
    differences_normal : bool or None
        Every pair's p > alpha.
    correction : str or None
        For the ANOVA: ``"sphericity_assumed"`` (Mauchly p > alpha),
        ``"greenhouse_geisser"`` (sphericity rejected, epsilon_GG < 0.75) or
        ``"huynh_feldt"`` (rejected, epsilon_GG >= 0.75), Girden's (1992) rule.
    p_value : float or None
    significant : bool or None
    reason : str or None
        The leading test's reason when it could not be computed.
    """

    test: str
    normality_rule: str
    basis: str
    normality_p_values: dict[str, float | None]
    differences_normal: bool | None
    correction: str | None
    p_value: float | None
    significant: bool | None
    reason: str | None = None


@dataclass(frozen=True)
class FollowUp(Result):
    """Every figure of the follow-up section. Keys in analysis/README.md.

    Attributes
    ----------
    counts : DropoutPatterns
    descriptives : dict of str to Descriptives
        ``pre``, ``post``, ``followup`` of the complete cases.
    normality : dict of str to dict of str to NormalityTest
        Per pair of time points, of later - earlier: ``shapiro_wilk`` and ``lilliefors``.
    friedman : Friedman
    pairwise_wilcoxon : list of PairWilcoxon
    rm_anova : RepeatedMeasuresAnova
    leading_test : FollowUpLeadingTest
    questions : list of QuestionRetention or None
        None without item-level answers.
    """

    counts: DropoutPatterns
    descriptives: dict[str, Descriptives]
    normality: dict[str, dict[str, NormalityTest]]
    friedman: Friedman
    pairwise_wilcoxon: list[PairWilcoxon]
    rm_anova: RepeatedMeasuresAnova
    leading_test: FollowUpLeadingTest
    questions: list[QuestionRetention] | None


def _followup_leading(
    normality: dict[str, dict[str, NormalityTest]],
    fr: Friedman,
    aov: RepeatedMeasuresAnova,
    n: int,
    alpha: float,
    rule: str,
) -> FollowUpLeadingTest:
    basis = "normality_not_testable"
    for name in normality_order(rule, n):
        if all(tests[name].p_value is not None for tests in normality.values()):
            basis = name
            break
    p_norm = {pair: (tests[basis].p_value if basis in tests else None) for pair, tests in normality.items()}
    normal = (
        None
        if basis == "normality_not_testable"
        else all(v is not None and v > alpha for v in p_norm.values())
    )
    correction = None
    if normal:
        name, reason = "rm_anova", aov.reason
        p, correction = aov.p_value, "sphericity_assumed"
        if aov.mauchly_p_value is not None and aov.mauchly_p_value <= alpha and aov.epsilon_gg is not None:
            if aov.epsilon_gg < 0.75:
                p, correction = aov.p_value_gg, "greenhouse_geisser"
            else:
                p, correction = aov.p_value_hf, "huynh_feldt"
    else:
        name, p, reason = "friedman", fr.p_value, fr.reason
    return FollowUpLeadingTest(
        test=name,
        normality_rule=rule,
        basis=basis,
        normality_p_values=p_norm,
        differences_normal=normal,
        correction=correction,
        p_value=p,
        significant=None if p is None else bool(p < alpha),
        reason=reason,
    )


def followup_analysis(
    pre: Any,
    post: Any,
    followup: Any,
    *,
    items_pre: Any = None,
    items_post: Any = None,
    items_followup: Any = None,
    questions: Sequence[str] | None = None,
    alpha: float = 0.05,
    p_adjust: str = "holm",
    normality_rule: str = "sample_size",
) -> FollowUp:
    """The follow-up section: pre, post and the delayed test of the same participants.

    Parameters
    ----------
    pre, post, followup : array_like
        Scores aligned by participant, NaN where a test was not taken.
    items_pre, items_post, items_followup : array_like, optional
        Participants x questions 0/1 answers, all three or none.
    questions : sequence of str, optional
    alpha : float
    p_adjust : {"holm", "bonferroni"}
    normality_rule : {"sample_size", "shapiro_wilk", "lilliefors"}

    Returns
    -------
    FollowUp

    Notes
    -----
    The repeated-measures tests use the complete cases; ``counts`` gives every
    dropout pattern. The leading test follows the pre/post logic: the
    differences of each pair of time points are tested for normality by the
    same rule; when all look normal the repeated-measures ANOVA leads (its p
    chosen by Mauchly's test and Girden's rule), otherwise Friedman. Both are
    always computed. See each function for its R equivalent.

    Examples
    --------
    >>> r = followup_analysis([50, 60, 40, 55, 45], [80, 90, 70, 75, 85], [70, 85, 65, 80, 60])
    >>> r.counts.n_complete, r.friedman.df, r.leading_test.test
    (5, 2, 'friedman')
    """
    check_p_adjust(p_adjust)
    counts = dropout_patterns(pre, post, followup)
    y = np.column_stack(
        [_vector(v, name) for v, name in ((pre, "pre"), (post, "post"), (followup, "followup"))]
    )
    complete = ~np.isnan(y).any(axis=1)
    yc = y[complete]
    index = {name: i for i, name in enumerate(TIME_POINTS)}
    normality = {}
    for later, earlier in PAIRS:
        d = yc[:, index[later]] - yc[:, index[earlier]]
        normality[_pair_name(later, earlier)] = {"shapiro_wilk": shapiro_wilk(d), "lilliefors": lilliefors(d)}
    fr = friedman_test(yc)
    aov = rm_anova(yc)
    questions_out = None
    given = [m is not None for m in (items_pre, items_post, items_followup)]
    if any(given) and not all(given):
        raise ValueError("items_pre, items_post and items_followup must be given together")
    if all(given):
        mats = [as_item_matrix(m, nm) for m, nm in ((items_pre, "items_pre"), (items_post, "items_post"),
                                                    (items_followup, "items_followup"))]  # fmt: skip
        if any(m.shape[0] != y.shape[0] for m in mats):
            raise ValueError(f"the item matrices must have {y.shape[0]} rows, one per participant")
        ip, iq, ifu = (m[complete] for m in mats)
        questions_out = question_retention(ip, iq, ifu, questions, alpha=alpha, p_adjust=p_adjust)
    return FollowUp(
        counts=counts,
        descriptives={name: describe(yc[:, i]) for i, name in enumerate(TIME_POINTS)},
        normality=normality,
        friedman=fr,
        pairwise_wilcoxon=pairwise_wilcoxon(yc, alpha=alpha, p_adjust=p_adjust),
        rm_anova=aov,
        leading_test=_followup_leading(normality, fr, aov, int(yc.shape[0]), alpha, normality_rule),
        questions=questions_out,
    )
