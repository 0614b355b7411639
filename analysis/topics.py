"""Knowledge per topic: which parts of the talk were learnt (questions grouped by their topic tag)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._base import Result, adjust_p, check_p_adjust
from .items import _questions, as_item_matrix
from .paired import WilcoxonSignedRank, wilcoxon_signed_rank

__all__ = ["MIN_TOPIC_ITEMS", "TopicKnowledge", "topic_knowledge"]

#: A topic needs at least this many questions for its Wilcoxon test.
MIN_TOPIC_ITEMS = 3


@dataclass(frozen=True)
class TopicKnowledge(Result):
    """One topic before and after.

    Attributes
    ----------
    topic : str
        The topic tag.
    questions : list of str
    n_items : int
    n : int
        Participants with both tests.
    percent_correct_pre, percent_correct_post : float or None
        Mean sub-score: 100 x correct / n_items, a blank answer counting as wrong.
    class_average_gain : float or None
        Hake's <g> = (post - pre) / (100 - pre) of the mean sub-scores (None when pre is 100).
    wilcoxon : WilcoxonSignedRank or None
        On the sub-scores; None for topics of fewer than 3 questions (``reason``).
    p_value_adjusted : float or None
        Over the topics that could be tested.
    significant : bool or None
    reason : str or None
        ``"fewer_than_three_items"`` (fewer than 3 questions: described, not tested) or ``"no_pairs"``.
    """

    topic: str
    questions: list[str]
    n_items: int
    n: int
    percent_correct_pre: float | None
    percent_correct_post: float | None
    class_average_gain: float | None
    wilcoxon: WilcoxonSignedRank | None
    p_value_adjusted: float | None
    significant: bool | None
    reason: str | None = None


def topic_knowledge(
    items_pre: Any,
    items_post: Any,
    topics: Sequence[str | None],
    questions: Sequence[str] | None = None,
    *,
    alpha: float = 0.05,
    p_adjust: str = "holm",
) -> list[TopicKnowledge]:
    """Percent correct, N-gain and Wilcoxon per topic.

    Parameters
    ----------
    items_pre, items_post : array_like, participants x questions
        0/1 answers (NaN = blank); a participant with every answer of a test
        blank did not take it and is left out.
    topics : sequence of str or None
        The topic tag of each question (None or "" = untagged, left out).
    questions : sequence of str, optional
    alpha : float
    p_adjust : {"holm", "bonferroni"}
        Over the topics tested.

    Returns
    -------
    list of TopicKnowledge
        In order of first appearance of each tag.

    Notes
    -----
    A participant's topic sub-score is 100 x correct / questions of the topic,
    blank = wrong, as the whole test is scored. The Wilcoxon test of the
    sub-scores is R ``wilcox.test(post_sub, pre_sub, paired = TRUE, digits.rank
    = 7)``; topics of at least 3 questions are tested and adjusted with R
    ``p.adjust`` over those tested (a topic whose sub-scores never change
    leaves the family). The class N-gain is Hake's <g> of the topic's mean
    sub-scores.

    Examples
    --------
    >>> pre = [[0, 0, 1, 1], [0, 1, 0, 1], [0, 0, 0, 1]]
    >>> post = [[1, 1, 1, 1], [1, 1, 1, 1], [1, 0, 1, 1]]
    >>> [(t.topic, t.n_items, round(t.percent_correct_pre, 1), t.reason)
    ...  for t in topic_knowledge(pre, post, ["asi", "asi", "asi", "gizi"])]
    [('asi', 3, 22.2, None), ('gizi', 1, 100.0, 'fewer_than_three_items')]
    """
    check_p_adjust(p_adjust)
    xp = as_item_matrix(items_pre, "items_pre")
    xq = as_item_matrix(items_post, "items_post")
    if xp.shape != xq.shape:
        raise ValueError(f"items_pre and items_post must have the same shape, got {xp.shape} and {xq.shape}")
    keys = _questions(questions, xp.shape[1])
    tags = ["" if t is None else str(t).strip() for t in topics]
    if len(tags) != len(keys):
        raise ValueError(f"topics must tag the {len(keys)} questions, got {len(tags)} tags")
    took = ~np.isnan(xp).all(axis=1) & ~np.isnan(xq).all(axis=1)
    cp, cq = np.nan_to_num(xp[took]), np.nan_to_num(xq[took])
    n = int(took.sum())
    order = list(dict.fromkeys(t for t in tags if t))
    rows = []
    for topic in order:
        cols = [j for j, t in enumerate(tags) if t == topic]
        sub_pre = 100.0 * cp[:, cols].sum(axis=1) / len(cols)
        sub_post = 100.0 * cq[:, cols].sum(axis=1) / len(cols)
        m_pre = float(sub_pre.mean()) if n else None
        m_post = float(sub_post.mean()) if n else None
        gain = None if m_pre is None or m_post is None or m_pre >= 100 else (m_post - m_pre) / (100 - m_pre)
        test = wilcoxon_signed_rank(sub_pre, sub_post) if len(cols) >= MIN_TOPIC_ITEMS else None
        reason = "no_pairs" if n == 0 else None if test is not None else "fewer_than_three_items"
        rows.append((topic, cols, m_pre, m_post, gain, test, reason))
    p = np.array([np.nan if r[5] is None or r[5].p_value is None else r[5].p_value for r in rows])
    p_adj = adjust_p(p, p_adjust) if rows else p
    return [
        TopicKnowledge(
            topic=topic,
            questions=[keys[j] for j in cols],
            n_items=len(cols),
            n=n,
            percent_correct_pre=m_pre,
            percent_correct_post=m_post,
            class_average_gain=gain,
            wilcoxon=test,
            p_value_adjusted=None if np.isnan(q) else float(q),
            significant=None if np.isnan(q) else bool(q < alpha),
            reason=reason,
        )
        for (topic, cols, m_pre, m_post, gain, test, reason), q in zip(rows, p_adj, strict=True)
    ]
