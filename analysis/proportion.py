"""A proportion with its Wilson confidence interval; the share who understood."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._base import KOfN, Result, as_float_vector, check_confidence

__all__ = ["ProportionCI", "ProportionUnderstood", "proportion_understood", "wilson_ci"]


@dataclass(frozen=True)
class ProportionCI(KOfN):
    """k out of n with its confidence interval.

    Attributes
    ----------
    k, n : int
        Successes and trials.
    proportion : float or None
        k / n.
    ci_low, ci_high : float or None
        Wilson score interval without continuity correction.
    confidence : float
        Level of the interval.
    reason : str or None
        ``"no_values"`` when n = 0.
    """

    reason: str | None = None


def wilson_ci(k: int, n: int, confidence: float = 0.95) -> ProportionCI:
    """Wilson score confidence interval of a proportion.

    Parameters
    ----------
    k : int
        Successes, 0 <= k <= n.
    n : int
        Trials.
    confidence : float
        Level of the interval.

    Returns
    -------
    ProportionCI

    Notes
    -----
    Equals R ``prop.test(k, n, correct = FALSE)$conf.int`` and
    ``binom::binom.confint(k, n, methods = "wilson")``; statsmodels
    ``proportion_confint(k, n, method="wilson")``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. JASA, 22(158), 209-212.

    Examples
    --------
    >>> r = wilson_ci(3, 10)
    >>> round(r.ci_low, 7), round(r.ci_high, 7)
    (0.1077913, 0.6032219)
    """
    check_confidence(confidence)
    if int(n) != n or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    if int(k) != k or not 0 <= k <= n:
        raise ValueError(f"k must be an integer between 0 and n ({n}), got {k!r}")
    k, n = int(k), int(n)
    if n == 0:
        return ProportionCI(0, 0, None, None, None, confidence, reason="no_values")
    p = k / n
    from scipy import stats  # here, not at import: the cohort's models import this package's dates

    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return ProportionCI(k, n, p, float(max(centre - half, 0.0)), float(min(centre + half, 1.0)), confidence)


@dataclass(frozen=True)
class _Threshold(Result):
    threshold_percent: float


@dataclass(frozen=True)
class ProportionUnderstood(KOfN, _Threshold):
    """Participants whose post-test reached the threshold ("understood"), with a Wilson CI.

    Attributes
    ----------
    threshold_percent : float
        The threshold in percent of the maximum (default 76).
    k, n : int
        Participants at or above the threshold, participants with a post score.
    proportion, ci_low, ci_high : float or None
        The share and its Wilson 95% interval.
    confidence : float
        Level of the interval.
    reason : str or None
        ``"no_values"`` when nobody has a post score.
    """

    reason: str | None = None


def proportion_understood(
    post: Any, threshold: float = 76.0, max_score: float = 100.0, confidence: float = 0.95
) -> ProportionUnderstood:
    """Share of participants whose post score reaches ``threshold`` percent, with a Wilson CI.

    Parameters
    ----------
    post : array_like
        Post-test scores (NaN = missing, left out).
    threshold : float
        Percent of ``max_score`` to reach (>=).
    max_score : float
        The highest possible score.
    confidence : float
        Level of the interval.

    Returns
    -------
    ProportionUnderstood

    Examples
    --------
    >>> r = proportion_understood([80, 90, 70, 76, float("nan")])
    >>> r.k, r.n, r.proportion
    (3, 4, 0.75)
    """
    if not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be a percent between 0 and 100, got {threshold!r}")
    if not (np.isfinite(max_score) and max_score > 0):
        raise ValueError(f"max_score must be a positive number, got {max_score!r}")
    x = as_float_vector(post, "post")
    x = x[~np.isnan(x)]
    k = int((100.0 * x / max_score >= threshold).sum())
    ci = wilson_ci(k, int(x.size), confidence)
    return ProportionUnderstood(
        float(threshold), ci.k, ci.n, ci.proportion, ci.ci_low, ci.ci_high, confidence, ci.reason
    )
