"""A participant's gain, derived once for the session page, the exports and the report's appendix."""

from __future__ import annotations

from typing import NamedTuple

from analysis.scoring import individual_normalized_gain, score_gain


class Gains(NamedTuple):
    """Post minus pre, and Hake's normalized gain; None where she lacks a score or has no room to gain."""

    gain: float | None
    normalized: float | None


def person_gains(pre: float | None, post: float | None, max_score: float = 100.0) -> Gains:
    """The gains of one participant from her pre and post scores (either may be missing).

    >>> person_gains(60.0, 80.0)
    Gains(gain=20.0, normalized=0.5)
    >>> person_gains(60.0, None)
    Gains(gain=None, normalized=None)
    >>> person_gains(100.0, 90.0)
    Gains(gain=-10.0, normalized=None)
    """
    if pre is None or post is None:
        return Gains(None, None)
    return Gains(score_gain(pre, post), individual_normalized_gain(pre, post, max_score))
