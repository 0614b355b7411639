"""Normalized gain (Hake) and knowledge categories (Baik / Cukup / Kurang)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._base import Result, as_float_vector, paired_complete

__all__ = [
    "DEFAULT_CUTOFFS",
    "CategoryCount",
    "KnowledgeCategories",
    "NormalizedGain",
    "effectiveness_category",
    "hake_category",
    "knowledge_categories",
    "normalized_gain",
]

#: Arikunto's cut-offs in percent of the maximum: Baik >= 76, Cukup >= 56, Kurang below.
DEFAULT_CUTOFFS: dict[str, float] = {"baik": 76.0, "cukup": 56.0}


def hake_category(g: float) -> str:
    """Hake's (1998) category of a gain: "high" (g >= 0.7), "medium" (>= 0.3) or "low".

    >>> hake_category(0.7), hake_category(0.5), hake_category(-0.2)
    ('high', 'medium', 'low')
    """
    return "high" if g >= 0.7 else "medium" if g >= 0.3 else "low"


def effectiveness_category(percent: float) -> str:
    """The Indonesian reading of N-gain in percent: below 40 not effective, 40-55 less
    effective, 56-75 fairly effective, above 75 effective.

    Values between the printed bands (55 < x < 56) count with the lower band.

    >>> effectiveness_category(39.9), effectiveness_category(55.5), effectiveness_category(75.0)
    ('not_effective', 'less_effective', 'fairly_effective')
    >>> effectiveness_category(75.1)
    'effective'
    """
    if percent < 40:
        return "not_effective"
    if percent < 56:
        return "less_effective"
    if percent <= 75:
        return "fairly_effective"
    return "effective"


@dataclass(frozen=True)
class NormalizedGain(Result):
    """Both normalized gains of a session, each named.

    Attributes
    ----------
    n_pairs : int
        Participants with both scores.
    n_excluded_pre_at_max : int
        Participants whose pre-test was already the maximum: no individual g.
    n_included : int
        Participants with an individual g.
    mean_individual_gain : float or None
        Mean of g_i = (post_i - pre_i) / (max - pre_i) over included participants.
    mean_individual_gain_category : str or None
        Hake category of the mean individual gain.
    class_average_gain : float or None
        <g> = (mean post - mean pre) / (max - mean pre), over all pairs.
    class_average_gain_category : str or None
        Hake category of <g>.
    effectiveness_percent : float or None
        100 x mean individual gain, the "N-gain %" of Indonesian reports.
    effectiveness_category : str or None
        ``"not_effective"``, ``"less_effective"``, ``"fairly_effective"`` or ``"effective"``.
    n_high, n_medium, n_low : int
        Included participants by the Hake category of their own g.
    reason : str or None
        ``"no_pairs"`` or ``"all_pre_at_max"``.
    """

    n_pairs: int
    n_excluded_pre_at_max: int
    n_included: int
    mean_individual_gain: float | None
    mean_individual_gain_category: str | None
    class_average_gain: float | None
    class_average_gain_category: str | None
    effectiveness_percent: float | None
    effectiveness_category: str | None
    n_high: int
    n_medium: int
    n_low: int
    reason: str | None = None


def _check_max(max_score: float) -> float:
    if not (np.isfinite(max_score) and max_score > 0):
        raise ValueError(f"max_score must be a positive number, got {max_score!r}")
    return float(max_score)


def normalized_gain(pre: Any, post: Any, max_score: float = 100.0) -> NormalizedGain:
    """Hake's normalized gain: the mean of individual gains and the class-average gain.

    Parameters
    ----------
    pre, post : array_like
        Scores aligned by participant (NaN = missing); only pairs count.
    max_score : float
        The highest possible score.

    Returns
    -------
    NormalizedGain

    Notes
    -----
    The two gains answer different questions and differ on the same data: the
    mean of individual gains weighs every participant equally, the class-average
    gain <g> is computed from the two means (Hake 1998). A participant with
    pre = max has no individual g; she is counted in ``n_excluded_pre_at_max``
    and left out of the mean of individual gains (not of <g>). A negative g
    (post < pre) is kept, so the mean is not biased upward.

    References
    ----------
    Hake, R. R. (1998). Interactive-engagement versus traditional methods.
    American Journal of Physics, 66(1), 64-74.

    Examples
    --------
    >>> r = normalized_gain([20, 80, 100], [60, 85, 100])
    >>> r.n_excluded_pre_at_max, round(r.mean_individual_gain, 4), round(r.class_average_gain, 4)
    (1, 0.375, 0.45)
    >>> r.mean_individual_gain_category, r.effectiveness_category
    ('medium', 'not_effective')
    """
    max_score = _check_max(max_score)
    pre_c, post_c = paired_complete(pre, post)
    n_pairs = int(pre_c.size)
    blank: dict[str, Any] = dict(
        n_pairs=n_pairs, n_excluded_pre_at_max=0, n_included=0, mean_individual_gain=None,
        mean_individual_gain_category=None, class_average_gain=None, class_average_gain_category=None,
        effectiveness_percent=None, effectiveness_category=None, n_high=0, n_medium=0, n_low=0,
    )  # fmt: skip
    if n_pairs == 0:
        return NormalizedGain(**blank, reason="no_pairs")
    room = max_score - pre_c
    ok = room > 0
    g = (post_c[ok] - pre_c[ok]) / room[ok]
    blank["n_excluded_pre_at_max"] = int(n_pairs - ok.sum())
    blank["n_included"] = int(ok.sum())
    mean_pre = float(np.mean(pre_c))
    if mean_pre < max_score:
        cag = (float(np.mean(post_c)) - mean_pre) / (max_score - mean_pre)
        blank["class_average_gain"] = cag
        blank["class_average_gain_category"] = hake_category(cag)
    if g.size == 0:
        return NormalizedGain(**blank, reason="all_pre_at_max")
    mean_g = float(np.mean(g))
    blank |= dict(
        mean_individual_gain=mean_g,
        mean_individual_gain_category=hake_category(mean_g),
        effectiveness_percent=100.0 * mean_g,
        effectiveness_category=effectiveness_category(100.0 * mean_g),
        n_high=int((g >= 0.7).sum()),
        n_medium=int(((g >= 0.3) & (g < 0.7)).sum()),
        n_low=int((g < 0.3).sum()),
    )
    return NormalizedGain(**blank)


@dataclass(frozen=True)
class CategoryCount(Result):
    """One row of a frequency table: a label, its count and its percent of ``n``."""

    category: str
    count: int
    percent: float


@dataclass(frozen=True)
class KnowledgeCategories(Result):
    """Knowledge categories of one test (pre or post).

    Attributes
    ----------
    n : int
        Scores categorised (missing excluded).
    cutoffs : dict
        Lower bounds in percent of the maximum: ``{"baik": 76, "cukup": 56}``.
    categories : list of CategoryCount
        ``baik``, ``cukup``, ``kurang`` in that order, always all three.
    reason : str or None
        ``"no_values"`` when nothing could be categorised.
    """

    n: int
    cutoffs: dict[str, float]
    categories: list[CategoryCount]
    reason: str | None = None


def knowledge_categories(
    scores: Any, max_score: float = 100.0, cutoffs: dict[str, float] | None = None
) -> KnowledgeCategories:
    """Counts and percents of Baik / Cukup / Kurang (Arikunto) for one test.

    Parameters
    ----------
    scores : array_like
        Scores (NaN = missing).
    max_score : float
        The highest possible score; cut-offs apply to 100 x score / max_score.
    cutoffs : dict, optional
        ``{"baik": 76, "cukup": 56}`` by default: Baik when the percent score is
        at least 76, Cukup when at least 56, otherwise Kurang (<= 55 on whole
        percents, the usual table).

    Returns
    -------
    KnowledgeCategories

    Examples
    --------
    >>> r = knowledge_categories([80, 76, 75, 56, 55, 20])
    >>> [(c.category, c.count) for c in r.categories]
    [('baik', 2), ('cukup', 2), ('kurang', 2)]
    """
    max_score = _check_max(max_score)
    cut = dict(DEFAULT_CUTOFFS if cutoffs is None else cutoffs)
    if set(cut) != {"baik", "cukup"} or not 0 <= cut["cukup"] <= cut["baik"] <= 100:
        raise ValueError(
            f"cutoffs must be {{'baik': b, 'cukup': c}} with 0 <= c <= b <= 100, got {cutoffs!r}"
        )
    x = as_float_vector(scores, "scores")
    pct = 100.0 * x[~np.isnan(x)] / max_score
    n = int(pct.size)
    counts = {
        "baik": int((pct >= cut["baik"]).sum()),
        "cukup": int(((pct >= cut["cukup"]) & (pct < cut["baik"])).sum()),
        "kurang": int((pct < cut["cukup"]).sum()),
    }
    rows = [CategoryCount(k, c, 100.0 * c / n if n else 0.0) for k, c in counts.items()]
    return KnowledgeCategories(n=n, cutoffs=cut, categories=rows, reason=None if n else "no_values")
