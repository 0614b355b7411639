"""Shared plumbing: the result base classes (Result, KOfN for proportions) and argument checks.

Private to the package; the public names live in the modules that use them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

ALTERNATIVES = ("two-sided", "greater", "less")


def _plain(value: Any) -> Any:
    """Turn a result value into plain JSON types; non-finite floats become None."""
    import numpy as np

    if is_dataclass(value) and not isinstance(value, type):
        return value.to_dict()  # type: ignore[attr-defined]  # every result class is a Result
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


@dataclass(frozen=True)
class Result:
    """Base of every result: a frozen dataclass with a JSON-ready ``to_dict()``."""

    def to_dict(self) -> dict[str, Any]:
        """The fields as plain Python types, in declaration order (keys in analysis/README.md)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class KOfN(Result):
    """The fields every proportion result shares: k of n with its Wilson interval (see proportion.wilson_ci).

    A result whose documented keys start with a field of its own puts that field in a one-field
    base listed after this one (``class R(KOfN, _Lead)``): dataclasses collect the fields of the
    bases from the last to the first, so ``_Lead``'s field comes before ``k``.
    """

    k: int
    n: int
    proportion: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float


def as_float_vector(values: Any, name: str) -> np.ndarray:
    """A 1-D float array; NaN means missing, and an infinite value is refused."""
    import numpy as np

    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers (NaN for missing), got {values!r:.80}") from exc
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    bad = np.flatnonzero(np.isinf(array))
    if bad.size:
        raise ValueError(f"{name} must be finite or NaN, got {array[bad[0]]!r} at position {bad[0]}")
    return array


def as_coded_matrix(values: Any, name: str, levels: Sequence[float], answers: str, column: str) -> np.ndarray:
    """A participants x ``column``s float matrix of ``levels`` and NaN (missing); anything else is refused.

    A vector is one column. ``answers`` names the codes in the message ("0/1 answers").
    """
    import numpy as np

    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a matrix of {answers} (NaN for missing)") from exc
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    if x.ndim != 2:
        raise ValueError(f"{name} must be two-dimensional (participants x {column}s), got shape {x.shape}")
    bad = ~np.isnan(x) & ~np.isin(x, levels)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        held = ", ".join(f"{v:g}" for v in levels)
        raise ValueError(f"{name} must hold {held} or NaN; row {row}, {column} {col} holds {x[row, col]!r}")
    return x


def check_alternative(alternative: str) -> str:
    """R's ``alternative`` argument: 'two-sided', 'greater' or 'less'."""
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    return alternative


def check_confidence(confidence: float) -> float:
    """A confidence level strictly between 0 and 1."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    return float(confidence)


def paired_complete(pre: Any, post: Any) -> tuple[np.ndarray, np.ndarray]:
    """Pre and post of the participants who have both, in input order."""
    import numpy as np

    pre_a = as_float_vector(pre, "pre")
    post_a = as_float_vector(post, "post")
    if pre_a.shape != post_a.shape:
        raise ValueError(f"pre and post must have the same length, got {pre_a.size} and {post_a.size}")
    both = ~np.isnan(pre_a) & ~np.isnan(post_a)
    return pre_a[both], post_a[both]


def signif(values: np.ndarray, digits: int) -> np.ndarray:
    """Round to ``digits`` significant digits, as R's ``signif``; safe for tiny and huge values."""
    import numpy as np

    values = np.asarray(values, dtype=float)
    out = values.copy()
    nonzero = np.isfinite(values) & (values != 0)
    if not nonzero.any():
        return out
    x = values[nonzero]
    decimals = digits - 1 - np.floor(np.log10(np.abs(x)))
    # Split the power of ten in two so neither factor overflows for subnormal or huge values.
    half = np.floor(decimals / 2)
    s1, s2 = 10.0**half, 10.0 ** (decimals - half)
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = np.round(x * s1 * s2) / s2 / s1
    out[nonzero] = np.where(np.isfinite(rounded), rounded, x)
    return out


P_ADJUST_METHODS = ("holm", "bonferroni")


def check_p_adjust(method: str) -> str:
    """The correction for testing many questions or pairs: 'holm' or 'bonferroni'."""
    if method not in P_ADJUST_METHODS:
        raise ValueError(f"p_adjust must be one of {P_ADJUST_METHODS}, got {method!r}")
    return method


def adjust_p(p: Any, method: str = "holm") -> np.ndarray:
    """Adjusted p-values, as R ``p.adjust(p, method)``; NaN (a test R could not run) stays NaN.

    A NaN leaves the family: the number of tests is the number of p-values that
    exist, as in R, whose ``p.adjust`` drops NA before counting. Holm is the
    step-down max((m - i + 1) p_(i)) capped at 1, Bonferroni min(1, m p). The
    same numbers as statsmodels ``multipletests``, which is not used because it
    runs ``gc.collect()`` on every call (about 50 ms here; a follow-up
    analysis adjusts once per question).

    >>> adjust_p([0.01, float("nan"), 0.04], "holm").tolist()
    [0.02, nan, 0.04]
    >>> adjust_p([0.01, 0.04], "bonferroni").tolist()
    [0.02, 0.08]
    """
    import numpy as np

    check_p_adjust(method)
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    m = int(ok.sum())
    if m == 0:
        return out
    q = p[ok]
    if method == "bonferroni":
        out[ok] = np.minimum(1.0, m * q)
        return out
    order = np.argsort(q, kind="stable")
    steps = np.maximum.accumulate((m - np.arange(m)) * q[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(1.0, steps)
    out[ok] = adjusted
    return out
