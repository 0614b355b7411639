"""Normality of the paired differences: Shapiro-Wilk and Lilliefors (Kolmogorov-Smirnov)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ._base import Result, as_float_vector

__all__ = [
    "LARGE_SAMPLE",
    "NORMALITY_RULES",
    "NormalityTest",
    "lilliefors",
    "normality_order",
    "shapiro_wilk",
]

#: How the normality test that picks the leading test is chosen.
#: ``"sample_size"``: Shapiro-Wilk below ``LARGE_SAMPLE`` values, Kolmogorov-Smirnov (Lilliefors) from
#: there, as Indonesian reviewers expect; ``"shapiro_wilk"``: Shapiro-Wilk whenever it can be computed;
#: ``"lilliefors"``: Lilliefors whenever it can be computed. The other test stands in when the chosen
#: one cannot be computed.
NORMALITY_RULES = ("sample_size", "shapiro_wilk", "lilliefors")

#: The sample size from which the ``"sample_size"`` rule uses Lilliefors.
LARGE_SAMPLE = 50


def normality_order(rule: str, n: int) -> tuple[str, str]:
    """The normality tests in the order a rule tries them for n values (the first computable one decides).

    >>> normality_order("sample_size", 49), normality_order("sample_size", 50)
    (('shapiro_wilk', 'lilliefors'), ('lilliefors', 'shapiro_wilk'))
    """
    if rule not in NORMALITY_RULES:
        raise ValueError(f"normality_rule must be one of {NORMALITY_RULES}, got {rule!r}")
    if rule == "shapiro_wilk" or (rule == "sample_size" and n < LARGE_SAMPLE):
        return ("shapiro_wilk", "lilliefors")
    return ("lilliefors", "shapiro_wilk")


@dataclass(frozen=True)
class NormalityTest(Result):
    """One normality test of one sample.

    Attributes
    ----------
    test : str
        ``"shapiro_wilk"`` or ``"lilliefors"``.
    n : int
        Values tested (missing values excluded).
    statistic : float or None
        W for Shapiro-Wilk, D for Lilliefors.
    p_value : float or None
        None when the test cannot be computed (see ``reason``).
    reason : str or None
        ``"too_few_values"``, ``"too_many_values"`` or ``"identical_values"``.
    """

    test: str
    n: int
    statistic: float | None
    p_value: float | None
    reason: str | None = None


def _present(values: Any) -> np.ndarray:
    x = as_float_vector(values, "values")
    return x[~np.isnan(x)]


def shapiro_wilk(values: Any) -> NormalityTest:
    """Shapiro-Wilk test of normality.

    Parameters
    ----------
    values : array_like
        Usually the paired differences post - pre; NaN is ignored.

    Returns
    -------
    NormalityTest
        ``statistic`` is W.

    Notes
    -----
    Equals R ``shapiro.test(x)`` and SPSS EXAMINE's "Shapiro-Wilk" column: all
    three use Royston's (1995) algorithm AS R94. Like R, it refuses fewer than 3
    or more than 5000 values and identical values (``reason`` set), where
    scipy would return NaN or W = 1, p = 1.

    References
    ----------
    Royston, P. (1995). Remark AS R94. Applied Statistics, 44(4), 547-551.

    Examples
    --------
    >>> d = [1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4]  # R's sleep, drug 2 - drug 1
    >>> r = shapiro_wilk(d)
    >>> round(r.statistic, 5), round(r.p_value, 5)
    (0.82987, 0.03334)
    >>> shapiro_wilk([3.0, 3.0, 3.0]).reason
    'identical_values'
    """
    x = _present(values)
    n = int(x.size)
    if n < 3:
        return NormalityTest("shapiro_wilk", n, None, None, reason="too_few_values")
    if n > 5000:
        return NormalityTest("shapiro_wilk", n, None, None, reason="too_many_values")
    # R: rng < 1e-10 -> "all 'x' values are identical"; checked on the sample scale as R does.
    if x.max() - x.min() < 1e-10 * max(1.0, float(np.abs(x).max())):
        return NormalityTest("shapiro_wilk", n, None, None, reason="identical_values")
    w, p = stats.shapiro(x)
    return NormalityTest("shapiro_wilk", n, float(w), float(min(max(p, 0.0), 1.0)))


def _lilliefors_p(d: float, n: int) -> float:
    """Dallal-Wilkinson (1986) p-value with Stephens' (1974) form above 0.1, as nortest."""
    if n <= 100:
        kd, nd = d, n
    else:
        kd, nd = d * (n / 100) ** 0.49, 100
    p = np.exp(
        -7.01256 * kd**2 * (nd + 2.78019)
        + 2.99587 * kd * np.sqrt(nd + 2.78019)
        - 0.122119
        + 0.974598 / np.sqrt(nd)
        + 1.67997 / nd
    )
    if p > 0.1:
        kk = (np.sqrt(n) - 0.01 + 0.85 / np.sqrt(n)) * d
        if kk <= 0.302:
            p = 1.0
        elif kk <= 0.5:
            p = 2.76773 - 19.828315 * kk + 80.709644 * kk**2 - 138.55152 * kk**3 + 81.218052 * kk**4
        elif kk <= 0.9:
            p = -4.901232 + 40.662806 * kk - 97.490286 * kk**2 + 94.029866 * kk**3 - 32.355711 * kk**4
        elif kk <= 1.31:
            p = 6.198765 - 19.558097 * kk + 23.186922 * kk**2 - 12.234627 * kk**3 + 2.423045 * kk**4
        else:
            p = 0.0
    return float(min(max(p, 0.0), 1.0))


def lilliefors(values: Any) -> NormalityTest:
    """Kolmogorov-Smirnov test of normality with Lilliefors' correction.

    Parameters
    ----------
    values : array_like
        Usually the paired differences post - pre; NaN is ignored.

    Returns
    -------
    NormalityTest
        ``statistic`` is D, the largest distance between the empirical and the
        fitted normal distribution (mean and SD estimated from the sample).

    Notes
    -----
    Equals R ``nortest::lillie.test(x)``: D, then the Dallal-Wilkinson (1986)
    approximation of the p-value, replaced by Stephens' (1974) polynomial when
    it exceeds 0.1; for n > 100, D is rescaled by (n/100)^0.49. Like nortest it
    needs at least 5 values. SPSS EXAMINE prints the same D as
    "Kolmogorov-Smirnov (Lilliefors Significance Correction)", but prints p-values
    above 0.200 as ".200*" ("a lower bound of the true significance"): a p-value
    above 0.2 here appears as ".200*" in SPSS.

    References
    ----------
    Dallal, G. E., & Wilkinson, L. (1986). An analytic approximation to the
    distribution of Lilliefors's test statistic for normality. The American
    Statistician, 40(4), 294-296.

    Examples
    --------
    >>> d = [1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4]  # R's sleep, drug 2 - drug 1
    >>> r = lilliefors(d)
    >>> round(r.statistic, 4), round(r.p_value, 4)
    (0.2582, 0.0576)
    """
    x = np.sort(_present(values))
    n = int(x.size)
    if n < 5:
        return NormalityTest("lilliefors", n, None, None, reason="too_few_values")
    sd = float(np.std(x, ddof=1))
    if not sd > 1e-10 * max(1.0, float(np.abs(x).max())):
        return NormalityTest("lilliefors", n, None, None, reason="identical_values")
    p = stats.norm.cdf((x - x.mean()) / sd)
    i = np.arange(1, n + 1)
    d = float(max(np.max(i / n - p), np.max(p - (i - 1) / n)))
    return NormalityTest("lilliefors", n, d, _lilliefors_p(d, n))
