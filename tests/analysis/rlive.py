"""R run live as the reference: ``run_r`` sends R code to Rscript and reads the figures it prints.

R comes from Debian (``r-base-core``, ``r-cran-car``, ``r-cran-psych``); ``make test`` installs both when missing. A test
that needs R fails, and never skips, when R is not there, so a missing R cannot pass unnoticed in CI.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
from collections.abc import Iterable

import numpy as np
import pytest

_PRELUDE = r"""
options(warn = 1)
out <- function(name, x) {
  x <- as.numeric(x)
  cat("@@", name, "\t", paste(ifelse(is.na(x), "NA", sprintf("%.17g", x)), collapse = " "), "\n", sep = "")
}
outs <- function(name, x) cat("@@", name, "\t", paste(as.character(x), collapse = "|"), "\n", sep = "")
"""


def rscript() -> str:
    """The Rscript executable; the test fails (does not skip) when it is missing."""
    path = shutil.which("Rscript")
    if path is None:
        pytest.fail(
            "R is not installed: run `make test`, which installs r-base-core, r-cran-car and r-cran-psych"
        )
    return path


def r_vec(values: Iterable[float]) -> str:
    """A numeric vector as R source, every double written exactly; NaN is NA."""
    parts = []
    for v in values:
        v = float(v)
        parts.append("NA" if math.isnan(v) else repr(v))
    return "c(" + ", ".join(parts) + ")"


def r_matrix(rows: Iterable[Iterable[float]]) -> str:
    """A matrix (rows x columns) as R source."""
    a = np.asarray(list(rows), dtype=float)
    return f"matrix({r_vec(a.ravel())}, nrow = {a.shape[0]}, byrow = TRUE)"


def r_str(values: Iterable[str]) -> str:
    """A character vector as R source."""
    return (
        "c(" + ", ".join('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + ")"
    )


def run_r(code: str, *, packages: Iterable[str] = ()) -> dict[str, object]:
    """Run R code; every ``out(name, x)`` comes back as a float array, every ``outs(name, x)`` as strings."""
    lib = "".join(f"suppressPackageStartupMessages(library({p}))\n" for p in packages)
    with tempfile.NamedTemporaryFile("w", suffix=".R", encoding="utf-8") as script:
        script.write(_PRELUDE + lib + code + "\n")
        script.flush()
        proc = subprocess.run(
            [rscript(), "--vanilla", script.name], capture_output=True, text=True, timeout=300, check=False
        )
    if proc.returncode != 0:
        missing = [p for p in packages if f"no package called ‘{p}’" in proc.stderr]
        hint = f" (R package {missing} missing: run `make test`)" if missing else ""
        pytest.fail(f"R failed{hint}:\n{proc.stderr[-3000:]}")
    result: dict[str, object] = {}
    for line in proc.stdout.splitlines():
        if not line.startswith("@@"):
            continue
        name, _, text = line[2:].partition("\t")
        if "|" in text or not text or not _numeric(text):
            result[name] = text.split("|") if text else []
        else:
            result[name] = np.array([np.nan if t == "NA" else float(t) for t in text.split()])
    return result


def _numeric(text: str) -> bool:
    try:
        [float(t) for t in text.split() if t != "NA"]
    except ValueError:
        return False
    return True
