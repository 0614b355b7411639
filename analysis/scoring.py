"""Scoring of one attempt and of one participant's pair of attempts.

The rules are those of the project's domain notes, section 3: the score of an
attempt is correct answers divided by scored questions, times 100; the gain is
post minus pre; the normalized gain (Hake 1998) is (post - pre) / (max - pre),
undefined when the pre-test score is already the maximum.
"""

from __future__ import annotations

__all__ = ["individual_normalized_gain", "percent_score", "score_gain"]


def percent_score(n_correct: int, n_scored: int) -> float:
    """Percent of scored questions answered correctly, 0 to 100.

    Parameters
    ----------
    n_correct : int
        Questions answered correctly.
    n_scored : int
        Questions that count toward the knowledge score (attitude items do not).

    Examples
    --------
    >>> percent_score(12, 15)
    80.0
    """
    if n_scored <= 0:
        raise ValueError(f"n_scored must be positive, got {n_scored!r}")
    if not 0 <= n_correct <= n_scored:
        raise ValueError(f"n_correct must be between 0 and n_scored ({n_scored}), got {n_correct!r}")
    return 100.0 * n_correct / n_scored


def score_gain(pre: float, post: float) -> float:
    """Raw gain, post minus pre, in score points.

    >>> score_gain(60.0, 80.0)
    20.0
    """
    return float(post) - float(pre)


def individual_normalized_gain(pre: float, post: float, max_score: float = 100.0) -> float | None:
    """Hake's normalized gain for one participant, or None when pre equals the maximum.

    g = (post - pre) / (max_score - pre). A participant who already scored the
    maximum on the pre-test has no room to gain: her g is undefined, and the
    caller counts her as excluded rather than inventing a number.

    Examples
    --------
    >>> individual_normalized_gain(60.0, 80.0)
    0.5
    >>> individual_normalized_gain(100.0, 90.0) is None
    True
    """
    for name, value in (("pre", pre), ("post", post)):
        if not 0 <= value <= max_score:
            raise ValueError(f"{name} must be between 0 and {max_score}, got {value!r}")
    if pre >= max_score:
        return None
    return (float(post) - float(pre)) / (float(max_score) - float(pre))
