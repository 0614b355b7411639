"""Participant characteristics and who gained more: frequencies, Kruskal-Wallis, ANOVA, ANCOVA."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats
from statsmodels.regression.linear_model import OLS

from ._base import Result, as_float_vector, signif
from .gain import CategoryCount

__all__ = [
    "Ancova",
    "GainByCharacteristic",
    "GroupSummary",
    "GroupTest",
    "frequency_table",
    "gain_by_characteristic",
]

#: A characteristic with more groups than this is described, not compared.
MAX_GROUPS = 20


def _labels(labels: Any, n: int, name: str) -> np.ndarray:
    """Labels as strings; None, NaN and blank strings become missing (None)."""
    values = list(labels)
    if len(values) != n:
        raise ValueError(f"{name} must have one label per participant ({n}), got {len(values)}")
    out = np.empty(n, dtype=object)
    seen: dict[Any, str | None] = {}  # a column holds few distinct labels: clean each once
    for i, v in enumerate(values):
        key = (type(v), v)  # 1, 1.0 and True are equal keys but different labels
        try:
            out[i] = seen[key]
            continue
        except (KeyError, TypeError):
            pass
        if v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip()):
            clean = None
        else:
            clean = str(v).strip()
        out[i] = clean
        try:
            seen[key] = clean
        except TypeError:
            pass
    return out


def frequency_table(labels: Any) -> list[CategoryCount]:
    """Count and percent of each label, in order of first appearance; missing counted as "".

    Percent is of all participants, so the column adds up to 100 with the missing row.

    >>> [(r.category, r.count, r.percent) for r in frequency_table(["SMA", "SD", "SMA", None])]
    [('SMA', 2, 50.0), ('SD', 1, 25.0), ('', 1, 25.0)]
    """
    values = list(labels)
    lab = _labels(values, len(values), "labels")
    n = lab.size
    keys = ["" if v is None else v for v in lab]
    order = list(dict.fromkeys(k for k in keys if k)) + ([""] if "" in keys else [])
    counts = dict.fromkeys(order, 0)
    for k in keys:
        counts[k] += 1
    return [CategoryCount(k, c, 100.0 * c / n) for k, c in counts.items()]


@dataclass(frozen=True)
class GroupSummary(Result):
    """Gain in one group: n, mean, SD, median."""

    group: str
    n: int
    mean: float | None
    sd: float | None
    median: float | None


@dataclass(frozen=True)
class GroupTest(Result):
    """A test across groups.

    Attributes
    ----------
    test : str
        ``"kruskal_wallis"`` (statistic H, df) or ``"one_way_anova"`` (statistic F, df, df_resid).
    statistic : float or None
    df : int or None
        Groups - 1.
    df_resid : int or None
        N - groups (ANOVA only).
    p_value : float or None
    reason : str or None
        ``"fewer_than_two_groups"``, ``"identical_values"`` or ``"too_few_values"``.
    """

    test: str
    statistic: float | None
    df: int | None
    df_resid: int | None
    p_value: float | None
    reason: str | None = None


@dataclass(frozen=True)
class Ancova(Result):
    """ANCOVA post ~ pre + characteristic: does the group matter once the pre-test is accounted for?

    Attributes
    ----------
    n : int
        Participants with pre, post and a label.
    f : float or None
        F of the characteristic adjusted for pre.
    df : int or None
        Groups - 1.
    df_resid : int or None
        n - groups - 1.
    p_value : float or None
    pre_coefficient : float or None
        Slope of post on pre.
    partial_eta_squared : float or None
        SS_group / (SS_group + SS_residual).
    reason : str or None
        ``"fewer_than_two_groups"``, ``"too_few_values"`` or ``"singular_design"``.
    """

    n: int
    f: float | None
    df: int | None
    df_resid: int | None
    p_value: float | None
    pre_coefficient: float | None
    partial_eta_squared: float | None
    reason: str | None = None


@dataclass(frozen=True)
class GainByCharacteristic(Result):
    """Who gained more: one characteristic's frequency table, gains by group and tests.

    Attributes
    ----------
    characteristic : str
        Column name (e.g. ``"education"``).
    frequencies : list of CategoryCount
        Of all participants, missing as "".
    groups : list of GroupSummary
        Gain (post - pre) by group, paired participants with a label.
    kruskal_wallis, one_way_anova : GroupTest
    ancova : Ancova
    reason : str or None
        ``"too_many_groups"`` when there are more than 20 groups (only frequencies then).
    """

    characteristic: str
    frequencies: list[CategoryCount]
    groups: list[GroupSummary]
    kruskal_wallis: GroupTest | None
    one_way_anova: GroupTest | None
    ancova: Ancova | None
    reason: str | None = None


def _ancova(pre: np.ndarray, post: np.ndarray, codes: np.ndarray, k: int) -> Ancova:
    n = int(pre.size)
    if k < 2:
        return Ancova(n, None, None, None, None, None, None, reason="fewer_than_two_groups")
    if n - k - 1 < 1:
        return Ancova(n, None, None, None, None, None, None, reason="too_few_values")
    dummies = (codes[:, None] == np.arange(1, k)[None, :]).astype(float)
    reduced = np.column_stack([np.ones(n), pre])
    full = np.column_stack([reduced, dummies])
    if np.linalg.matrix_rank(full) < full.shape[1]:
        return Ancova(n, None, None, None, None, None, None, reason="singular_design")
    fit_full = OLS(post, full).fit()
    fit_reduced = OLS(post, reduced).fit()
    ss_group = float(fit_reduced.ssr - fit_full.ssr)
    ss_resid = float(fit_full.ssr)
    df, df_resid = k - 1, n - k - 1
    slope = float(fit_full.params[1])
    if not ss_resid > 0:
        return Ancova(n, None, df, df_resid, None, slope, None, reason="no_residual_variance")
    f = (ss_group / df) / (ss_resid / df_resid)
    eta = ss_group / (ss_group + ss_resid) if ss_group + ss_resid > 0 else None
    return Ancova(n, f, df, df_resid, float(stats.f.sf(f, df, df_resid)), slope, eta)


def gain_by_characteristic(
    pre: Any, post: Any, labels: Any, characteristic: str = "group"
) -> GainByCharacteristic:
    """Compare the gain (post - pre) across the groups of one characteristic.

    Parameters
    ----------
    pre, post : array_like
        Scores aligned by participant (NaN = missing).
    labels : sequence
        The characteristic's value for each participant (None or "" = missing).
    characteristic : str
        Its name, carried into the result.

    Returns
    -------
    GainByCharacteristic

    Notes
    -----
    Kruskal-Wallis equals R ``kruskal.test(gain ~ group)`` (tie-corrected H) and
    SPSS NPAR TESTS /K-W, the gains rounded to 7 significant digits before
    ranking, the tie rule of the Wilcoxon test (R's ``digits.rank = 7``): gains
    equal on paper such as 6.2 and 6.2000000000000028 are ties, as R ranks the
    numbers typed in; one-way ANOVA equals R ``anova(lm(gain ~ group))`` and
    SPSS ONEWAY. The ANCOVA is the F of the group in R
    ``anova(lm(post ~ pre + group))`` (sequential, group after pre, which for
    the last term equals SPSS UNIANOVA's Type III F), fitted with statsmodels OLS.

    Examples
    --------
    >>> pre = [40, 50, 60, 40, 50, 60, 45, 55]
    >>> post = [80, 85, 90, 50, 60, 70, 82, 57]
    >>> edu = ["SMA", "SMA", "SMA", "SD", "SD", "SD", "SMA", "SD"]
    >>> r = gain_by_characteristic(pre, post, edu, "education")
    >>> [(g.group, g.n, g.mean) for g in r.groups]
    [('SMA', 4, 35.5), ('SD', 4, 8.0)]
    >>> r.kruskal_wallis.p_value < 0.05
    True
    """
    pre_a = as_float_vector(pre, "pre")
    post_a = as_float_vector(post, "post")
    if pre_a.shape != post_a.shape:
        raise ValueError(f"pre and post must have the same length, got {pre_a.size} and {post_a.size}")
    lab = _labels(labels, pre_a.size, "labels")
    freqs = frequency_table(lab)
    names = [f.category for f in freqs if f.category]
    if len(names) > MAX_GROUPS:
        return GainByCharacteristic(characteristic, freqs, [], None, None, None, reason="too_many_groups")
    keep = ~np.isnan(pre_a) & ~np.isnan(post_a) & np.array([v is not None for v in lab], dtype=bool)
    gain = post_a[keep] - pre_a[keep]
    lab_k = lab[keep]
    groups, samples, present = [], [], []
    for name in names:
        g = gain[lab_k == name]
        groups.append(
            GroupSummary(
                name,
                int(g.size),
                float(g.mean()) if g.size else None,
                float(g.std(ddof=1)) if g.size > 1 else None,
                float(np.median(g)) if g.size else None,
            )
        )
        if g.size:
            samples.append(g)
            present.append(name)
    k = len(samples)
    n = int(gain.size)
    if k < 2:
        kw = GroupTest("kruskal_wallis", None, None, None, None, reason="fewer_than_two_groups")
        an = GroupTest("one_way_anova", None, None, None, None, reason="fewer_than_two_groups")
    elif np.ptp(gain) == 0:
        kw = GroupTest("kruskal_wallis", None, None, None, None, reason="identical_values")
        an = GroupTest("one_way_anova", None, None, None, None, reason="identical_values")
    else:
        if np.ptp(signif(gain, 7)) == 0:
            kw = GroupTest("kruskal_wallis", None, None, None, None, reason="identical_values")
        else:
            h, p = stats.kruskal(*(signif(sample, 7) for sample in samples))
            kw = GroupTest("kruskal_wallis", float(h), k - 1, None, float(p))
        grand = gain.mean()
        ss_between = sum(s.size * (s.mean() - grand) ** 2 for s in samples)
        ss_within = sum(((s - s.mean()) ** 2).sum() for s in samples)
        if n - k < 1:
            an = GroupTest("one_way_anova", None, k - 1, n - k, None, reason="too_few_values")
        elif not ss_within > 0:
            an = GroupTest("one_way_anova", None, k - 1, n - k, None, reason="no_variance_within_groups")
        else:
            f = (ss_between / (k - 1)) / (ss_within / (n - k))
            an = GroupTest("one_way_anova", float(f), k - 1, n - k, float(stats.f.sf(f, k - 1, n - k)))
    codes = np.array([present.index(v) if v in present else -1 for v in lab_k])
    ok = codes >= 0
    anc = _ancova(pre_a[keep][ok], post_a[keep][ok], codes[ok], k)
    return GainByCharacteristic(characteristic, freqs, groups, kw, an, anc)
