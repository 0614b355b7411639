"""The whole pre/post analysis of one session in one call: ``analyse``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._base import Result, as_float_vector, check_p_adjust
from .attitude import AttitudeAnalysis, attitude_analysis
from .descriptives import Descriptives, describe
from .followup import FollowUp, followup_analysis
from .gain import DEFAULT_CUTOFFS, KnowledgeCategories, NormalizedGain, knowledge_categories, normalized_gain
from .groups import GainByCharacteristic, gain_by_characteristic
from .items import ItemQuality, QuestionChange, as_item_matrix, item_quality, question_changes
from .normality import NORMALITY_RULES, NormalityTest, lilliefors, normality_order, shapiro_wilk
from .paired import (
    HodgesLehmann,
    PairedTTest,
    WilcoxonSignedRank,
    hodges_lehmann,
    paired_t_test,
    wilcoxon_signed_rank,
)
from .proportion import ProportionUnderstood, proportion_understood
from .topics import TopicKnowledge, topic_knowledge
from .twogroups import TwoGroups, compare_groups

__all__ = [
    "NORMALITY_RULES",
    "Counts",
    "FullAnalysis",
    "ItemLevel",
    "LeadingTest",
    "OutOfRange",
    "Settings",
    "analyse",
    "leading_test",
]


@dataclass(frozen=True)
class Settings(Result):
    """The settings an analysis ran with (echoed so a report can state them)."""

    max_score: float
    threshold_percent: float
    cutoffs: dict[str, float]
    alpha: float
    confidence: float
    normality_rule: str
    p_adjust: str


@dataclass(frozen=True)
class Counts(Result):
    """Who took which test.

    Attributes
    ----------
    n_participants : int
        Rows given.
    n_paired : int
        Participants with both scores: the sample of every paired statistic.
    n_pre_only, n_post_only : int
        Dropouts, reported and left out of the paired tests.
    n_no_scores : int
        Participants with neither score.
    """

    n_participants: int
    n_paired: int
    n_pre_only: int
    n_post_only: int
    n_no_scores: int


@dataclass(frozen=True)
class OutOfRange(Result):
    """A score outside 0..max_score: which participant, which test, which value."""

    participant: str
    test: str
    value: float


@dataclass(frozen=True)
class LeadingTest(Result):
    """Which paired test the report leads with, and why.

    Attributes
    ----------
    test : str
        ``"paired_t_test"`` or ``"wilcoxon_signed_rank"``.
    normality_rule : str
        The rule that chose the normality test (one of ``NORMALITY_RULES``).
    basis : str
        The normality test the decision used: ``"shapiro_wilk"``,
        ``"lilliefors"`` or ``"normality_not_testable"`` (then Wilcoxon, which
        does not assume normality).
    normality_p_value : float or None
        p of the normality test the decision used.
    differences_normal : bool or None
        normality_p_value > alpha.
    p_value : float or None
        Two-sided p of the leading test (R's p for Wilcoxon).
    significant : bool or None
        p_value < alpha.
    direction : str or None
        ``"increase"``, ``"decrease"`` or ``"no_change"``, as the leading test
        sees it: the sign of the mean difference for the t-test, of W+ - W- for
        Wilcoxon.
    reason : str or None
        The leading test's reason when it could not be computed.
    """

    test: str
    normality_rule: str
    basis: str
    normality_p_value: float | None
    differences_normal: bool | None
    p_value: float | None
    significant: bool | None
    direction: str | None
    reason: str | None = None


def leading_test(
    shapiro: NormalityTest,
    lillie: NormalityTest,
    t_test: PairedTTest,
    wilcoxon: WilcoxonSignedRank,
    alpha: float = 0.05,
    rule: str = "sample_size",
) -> LeadingTest:
    """Choose the t-test when the differences look normal (normality p > alpha), else Wilcoxon.

    Both tests are always computed and reported; this only says which one the
    report leads with. ``rule`` picks the normality test: by default
    Shapiro-Wilk below 50 differences and Kolmogorov-Smirnov with Lilliefors'
    correction from 50 (``"sample_size"``), or always Shapiro-Wilk
    (``"shapiro_wilk"``) or always Lilliefors (``"lilliefors"``). When the
    chosen test cannot be computed (Shapiro-Wilk above 5000 values, Lilliefors
    below 5) the other decides; when neither can, Wilcoxon leads.

    Examples
    --------
    >>> drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> d = [b - a for a, b in zip(drug1, drug2)]
    >>> r = leading_test(shapiro_wilk(d), lilliefors(d), paired_t_test(drug1, drug2),
    ...                  wilcoxon_signed_rank(drug1, drug2))
    >>> r.test, r.basis, r.significant, r.direction
    ('wilcoxon_signed_rank', 'shapiro_wilk', True, 'increase')
    """
    tests = {"shapiro_wilk": shapiro, "lilliefors": lillie}
    basis, p_norm = "normality_not_testable", None
    for test in (tests[name] for name in normality_order(rule, shapiro.n)):
        if test.p_value is not None:
            basis, p_norm = test.test, test.p_value
            break
    normal = None if p_norm is None else bool(p_norm > alpha)
    if normal:
        name, p, reason = "paired_t_test", t_test.p_value, t_test.reason
        shift = t_test.mean_difference
    else:
        name, p, reason = "wilcoxon_signed_rank", wilcoxon.p_value, wilcoxon.reason
        if wilcoxon.sum_ranks_positive is not None and wilcoxon.sum_ranks_negative is not None:
            shift = wilcoxon.sum_ranks_positive - wilcoxon.sum_ranks_negative
        else:
            shift = 0.0 if wilcoxon.reason == "all_differences_zero" else t_test.mean_difference
    direction = (
        None if shift is None else "increase" if shift > 0 else "decrease" if shift < 0 else "no_change"
    )
    return LeadingTest(
        test=name,
        normality_rule=rule,
        basis=basis,
        normality_p_value=p_norm,
        differences_normal=normal,
        p_value=p,
        significant=None if p is None else bool(p < alpha),
        direction=direction,
        reason=reason,
    )


@dataclass(frozen=True)
class ItemLevel(Result):
    """Question-level results.

    Attributes
    ----------
    questions : list of str
        Question keys in column order.
    changes : list of QuestionChange
        Per question, paired participants: percent correct before/after, McNemar, Holm.
    quality_pre, quality_post : ItemQuality
        Item analysis and KR-20 of each test, over everyone who took it.
    """

    questions: list[str]
    changes: list[QuestionChange]
    quality_pre: ItemQuality
    quality_post: ItemQuality


@dataclass(frozen=True)
class FullAnalysis(Result):
    """Every figure of a pre/post report. Keys of ``to_dict()`` are listed in analysis/README.md.

    Sections are None only when ``reason`` is set (the data could not be
    analysed) or, for ``items``, when no item-level answers were given.
    """

    settings: Settings
    counts: Counts
    descriptives: dict[str, Descriptives] | None
    normality: dict[str, NormalityTest] | None
    paired_t_test: PairedTTest | None
    wilcoxon: WilcoxonSignedRank | None
    hodges_lehmann: HodgesLehmann | None
    leading_test: LeadingTest | None
    normalized_gain: NormalizedGain | None
    knowledge_categories: dict[str, KnowledgeCategories] | None
    proportion_understood: ProportionUnderstood | None
    items: ItemLevel | None
    characteristics: list[GainByCharacteristic]
    followup: FollowUp | None
    attitude: AttitudeAnalysis | None
    topics: list[TopicKnowledge] | None
    two_groups: TwoGroups | None
    out_of_range: list[OutOfRange]
    reason: str | None = None


def analyse(
    pre: Any,
    post: Any,
    *,
    max_score: float = 100.0,
    threshold: float = 76.0,
    cutoffs: Mapping[str, float] | None = None,
    alpha: float = 0.05,
    items_pre: Any = None,
    items_post: Any = None,
    questions: Sequence[str] | None = None,
    characteristics: Mapping[str, Sequence[Any]] | None = None,
    participant_ids: Sequence[Any] | None = None,
    normality_rule: str = "sample_size",
    p_adjust: str = "holm",
    followup: Any = None,
    items_followup: Any = None,
    attitude_pre: Any = None,
    attitude_post: Any = None,
    attitude_statements: Sequence[str] | None = None,
    attitude_reverse: Sequence[str] = (),
    attitude_rule: str = "percent",
    attitude_cutoffs: Mapping[str, float] | None = None,
    topics: Sequence[str | None] | None = None,
    groups: Sequence[Any] | None = None,
    group_reference: str | None = None,
) -> FullAnalysis:
    """The full pre/post analysis of one session.

    Parameters
    ----------
    pre, post : array_like
        Scores aligned by participant, NaN where a test was not taken (dropouts).
    max_score : float
        The highest possible score (100 for percent scores).
    threshold : float
        Percent of ``max_score`` a post score must reach to count as "understood".
    cutoffs : mapping, optional
        Knowledge category cut-offs in percent, ``{"baik": 76, "cukup": 56}`` by default.
    alpha : float
        Significance level of the decisions (normality, the leading test, Holm).
    items_pre, items_post : array_like, optional
        Participants x questions 0/1 answers (NaN = missing), same row order as
        ``pre``; both or neither.
    questions : sequence of str, optional
        Question keys, one per item column.
    characteristics : mapping of str to sequence, optional
        Column name -> one label per participant (education, age group, ...).
    participant_ids : sequence, optional
        Participant codes, used to name participants in ``out_of_range``.
    normality_rule : {"sample_size", "shapiro_wilk", "lilliefors"}
        Which normality test picks the leading test (see :func:`leading_test`);
        by default Shapiro-Wilk below 50 pairs, Lilliefors from 50.
    p_adjust : {"holm", "bonferroni"}
        Correction for testing many questions and pairs (Holm is always reported too).
    followup : array_like, optional
        Delayed follow-up scores (NaN = not taken), same row order; adds the
        ``followup`` section (:func:`analysis.followup.followup_analysis`).
    items_followup : array_like, optional
        Its 0/1 answers, with ``items_pre`` and ``items_post``.
    attitude_pre, attitude_post : array_like, optional
        Participants x statements Likert answers 1..5 (NaN = unanswered), both
        or neither; adds the ``attitude`` section (:func:`analysis.attitude.attitude_analysis`,
        with Spearman between the knowledge gain and the attitude gain).
    attitude_statements, attitude_reverse : sequence of str
        Statement keys and the reverse-scored ones.
    attitude_rule, attitude_cutoffs
        The attitude category rule (``"percent"`` or ``"mean"``) and its cut-offs.
    topics : sequence of str, optional
        The topic tag of each question (with item answers); adds the ``topics``
        section (:func:`analysis.topics.topic_knowledge`, paired participants).
    groups : sequence, optional
        Each participant's group (intervention / control, medium A / B); adds
        the ``two_groups`` section (:func:`analysis.twogroups.compare_groups`).
    group_reference : str, optional
        The reference (control) group; by default "control"/"kontrol", else the
        first label alphabetically.

    Returns
    -------
    FullAnalysis
        With ``reason="scores_out_of_range"`` and ``out_of_range`` listing the
        offending scores when a score lies outside 0..max_score; then no
        statistic is computed, since any would be wrong.

    Notes
    -----
    Paired statistics (descriptives, normality, both tests, gains, categories,
    proportion understood, question changes) use participants with both
    scores; the item analysis of each test uses everyone who took it.

    Examples
    --------
    >>> drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> pre = [10 * (x + 2) for x in drug1]
    >>> post = [10 * (x + 2) for x in drug2]
    >>> r = analyse(pre, post)
    >>> r.counts.n_paired, r.leading_test.test, round(r.paired_t_test.t, 4)
    (10, 'wilcoxon_signed_rank', 4.0621)
    >>> list(r.to_dict())[:3]
    ['settings', 'counts', 'descriptives']
    """
    pre_a = as_float_vector(pre, "pre")
    post_a = as_float_vector(post, "post")
    if pre_a.shape != post_a.shape:
        raise ValueError(f"pre and post must have the same length, got {pre_a.size} and {post_a.size}")
    if not (np.isfinite(max_score) and max_score > 0):
        raise ValueError(f"max_score must be a positive number, got {max_score!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    if normality_rule not in NORMALITY_RULES:
        raise ValueError(f"normality_rule must be one of {NORMALITY_RULES}, got {normality_rule!r}")
    check_p_adjust(p_adjust)
    n_all = int(pre_a.size)
    ids = [str(i + 1) for i in range(n_all)] if participant_ids is None else [str(p) for p in participant_ids]
    if len(ids) != n_all:
        raise ValueError(f"participant_ids must have {n_all} entries, got {len(ids)}")
    cut = dict(DEFAULT_CUTOFFS if cutoffs is None else cutoffs)
    settings = Settings(float(max_score), float(threshold), cut, float(alpha), 0.95, normality_rule, p_adjust)
    has_pre, has_post = ~np.isnan(pre_a), ~np.isnan(post_a)
    paired = has_pre & has_post
    counts = Counts(
        n_participants=n_all,
        n_paired=int(paired.sum()),
        n_pre_only=int((has_pre & ~has_post).sum()),
        n_post_only=int((~has_pre & has_post).sum()),
        n_no_scores=int((~has_pre & ~has_post).sum()),
    )
    if (items_pre is None) != (items_post is None):
        raise ValueError("items_pre and items_post must be given together")
    item_mats = None
    if items_pre is not None:
        ip, iq = as_item_matrix(items_pre, "items_pre"), as_item_matrix(items_post, "items_post")
        if ip.shape != iq.shape or ip.shape[0] != n_all:
            raise ValueError(
                f"items_pre and items_post must both be {n_all} x questions, got {ip.shape} and {iq.shape}"
            )
        item_mats = (ip, iq)

    fu_a = None
    if followup is not None:
        fu_a = as_float_vector(followup, "followup")
        if fu_a.shape != pre_a.shape:
            raise ValueError(f"followup must have {n_all} scores, got {fu_a.size}")
    if topics is not None and item_mats is None:
        raise ValueError("topics need item answers (items_pre, items_post)")
    if (attitude_pre is None) != (attitude_post is None):
        raise ValueError("attitude_pre and attitude_post must be given together")
    if items_followup is not None and (item_mats is None or fu_a is None):
        raise ValueError("items_followup needs followup, items_pre and items_post")
    problems = []
    for name, arr in (("pre", pre_a), ("post", post_a), ("followup", fu_a)):
        if arr is None:
            continue
        bad = np.flatnonzero(~np.isnan(arr) & ((arr < 0) | (arr > max_score)))
        problems += [OutOfRange(ids[i], name, float(arr[i])) for i in bad]
    if problems:
        return FullAnalysis(
            settings, counts, None, None, None, None, None, None, None, None, None, None, [], None, None,
            None, None, problems,
            reason="scores_out_of_range",
        )  # fmt: skip

    p_pre, p_post = pre_a[paired], post_a[paired]
    diff = p_post - p_pre
    sw, lf = shapiro_wilk(diff), lilliefors(diff)
    tt = paired_t_test(p_pre, p_post)
    wx = wilcoxon_signed_rank(p_pre, p_post)
    items = None
    if item_mats is not None:
        ip, iq = item_mats
        keys = [f"q{j + 1}" for j in range(ip.shape[1])] if questions is None else [str(q) for q in questions]
        took_pre = has_pre | ~np.isnan(ip).all(axis=1)
        took_post = has_post | ~np.isnan(iq).all(axis=1)
        items = ItemLevel(
            questions=keys,
            changes=question_changes(ip[paired], iq[paired], keys, alpha=alpha, p_adjust=p_adjust),
            quality_pre=item_quality(ip[took_pre], keys, alpha=alpha),
            quality_post=item_quality(iq[took_post], keys, alpha=alpha),
        )
    characteristic_rows = [
        gain_by_characteristic(pre_a, post_a, labels, str(name))
        for name, labels in (characteristics or {}).items()
    ]
    fu = None
    if fu_a is not None:
        fu_items: dict[str, Any] = {}
        if items_followup is not None and item_mats is not None:
            fu_items = dict(items_pre=item_mats[0], items_post=item_mats[1], items_followup=items_followup)
            fu_items["questions"] = None if questions is None else [str(q) for q in questions]
        fu = followup_analysis(
            pre_a, post_a, fu_a, alpha=alpha, p_adjust=p_adjust, normality_rule=normality_rule, **fu_items
        )
    topic_rows = None
    if topics is not None and item_mats is not None:
        keys_t = None if questions is None else [str(q) for q in questions]
        topic_rows = topic_knowledge(
            item_mats[0][paired], item_mats[1][paired], topics, keys_t, alpha=alpha, p_adjust=p_adjust
        )
    two = None
    if groups is not None:
        two = compare_groups(
            pre_a, post_a, groups, reference=group_reference, max_score=max_score, cutoffs=cut
        )
    attitude = None
    if attitude_pre is not None:
        attitude = attitude_analysis(
            attitude_pre,
            attitude_post,
            attitude_statements,
            reverse=attitude_reverse,
            knowledge_gain=post_a - pre_a,
            alpha=alpha,
            p_adjust=p_adjust,
            rule=attitude_rule,
            cutoffs=attitude_cutoffs,
        )
        if attitude.n_participants != n_all:
            raise ValueError(f"attitude_pre must have {n_all} rows, got {attitude.n_participants}")
    return FullAnalysis(
        settings=settings,
        counts=counts,
        descriptives={"pre": describe(p_pre), "post": describe(p_post), "difference": describe(diff)},
        normality={"shapiro_wilk": sw, "lilliefors": lf},
        paired_t_test=tt,
        wilcoxon=wx,
        hodges_lehmann=hodges_lehmann(p_pre, p_post),
        leading_test=leading_test(sw, lf, tt, wx, alpha, normality_rule),
        normalized_gain=normalized_gain(p_pre, p_post, max_score),
        knowledge_categories={
            "pre": knowledge_categories(p_pre, max_score, cut),
            "post": knowledge_categories(p_post, max_score, cut),
        },
        proportion_understood=proportion_understood(p_post, threshold, max_score),
        items=items,
        characteristics=characteristic_rows,
        followup=fu,
        attitude=attitude,
        topics=topic_rows,
        two_groups=two,
        out_of_range=[],
    )
