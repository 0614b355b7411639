"""Descriptive statistics of pre, post and the paired difference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._base import Result, as_float_vector

__all__ = ["Descriptives", "describe"]


@dataclass(frozen=True)
class Descriptives(Result):
    """n, mean, SD, median, quartiles, minimum and maximum of one variable.

    Attributes
    ----------
    n : int
        Values present (missing values excluded).
    n_missing : int
        Values missing (NaN).
    mean, sd, median, q1, q3, min, max : float or None
        ``sd`` uses the divisor n - 1. Quartiles use SPSS's default
        "weighted average" definition. None when not defined (no values; SD
        with one value).
    reason : str or None
        ``"no_values"`` or ``"one_value"`` (no SD) when something is missing.
    """

    n: int
    n_missing: int
    mean: float | None
    sd: float | None
    median: float | None
    q1: float | None
    q3: float | None
    min: float | None
    max: float | None
    reason: str | None = None


def describe(values: Any) -> Descriptives:
    """n, mean, SD (n - 1), median, quartiles, min and max, ignoring missing values.

    Parameters
    ----------
    values : array_like
        Scores or differences; NaN marks a missing value.

    Returns
    -------
    Descriptives

    Notes
    -----
    The mean and SD equal R's ``mean(x)`` and ``sd(x)`` and SPSS DESCRIPTIVES.
    The quartiles are SPSS EXAMINE's default "Weighted Average (Definition 1)",
    which is R's ``quantile(x, type = 6)`` (numpy ``method="weibull"``); R's own
    default (type 7) can differ by a fraction of a point on small samples.

    Examples
    --------
    The difference (drug 2 - drug 1) in R's ``sleep`` data:

    >>> d = [1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4]
    >>> r = describe(d)
    >>> r.n, round(r.mean, 2), round(r.sd, 6), r.median
    (10, 1.58, 1.229995, 1.3)
    """
    import numpy as np

    x = as_float_vector(values, "values")
    present = x[~np.isnan(x)]
    n = int(present.size)
    n_missing = int(x.size - n)
    if n == 0:
        return Descriptives(0, n_missing, None, None, None, None, None, None, None, reason="no_values")
    mean = float(np.mean(present))
    q1, _median, q3 = (float(v) for v in np.percentile(present, [25, 50, 75], method="weibull"))
    sd = float(np.std(present, ddof=1)) if n > 1 else None
    return Descriptives(
        n=n,
        n_missing=n_missing,
        mean=mean,
        sd=sd,
        median=float(np.median(present)),
        q1=q1,
        q3=q3,
        min=float(present.min()),
        max=float(present.max()),
        reason=None if n > 1 else "one_value",
    )
