"""Benchmark: the full analysis with item level on 10,000 participants x 40 questions.

Run: .venv/bin/python bench/bench_analysis.py [--participants N] [--questions K] [--repeat R]
Prints the median wall time of R runs of ``analysis.analyse`` (data generation excluded).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import analyse
from bench._timing import analysis_arguments, timed


def make_session(n: int, k: int, seed: int = 20240601) -> dict:
    """A synthetic session: item answers before and after, 5% dropouts, four characteristics."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, n)
    difficulty = rng.normal(0, 1, k)
    p_pre = 1 / (1 + np.exp(-(ability[:, None] - difficulty[None, :])))
    p_post = 1 / (1 + np.exp(-(ability[:, None] + 1.0 - difficulty[None, :])))
    items_pre = (rng.random((n, k)) < p_pre).astype(float)
    items_post = (rng.random((n, k)) < p_post).astype(float)
    items_pre[rng.random(n) < 0.03] = np.nan
    items_post[rng.random(n) < 0.05] = np.nan
    pre = 100.0 * items_pre.mean(axis=1)
    post = 100.0 * items_post.mean(axis=1)
    characteristics = {
        "education": rng.choice(["SD", "SMP", "SMA", "PT"], n).tolist(),
        "age_group": rng.choice(["<20", "20-35", ">35"], n).tolist(),
        "parity": rng.choice(["primipara", "multipara"], n).tolist(),
        "occupation": rng.choice(["IRT", "swasta", "PNS", "wiraswasta"], n).tolist(),
    }
    return dict(
        pre=pre,
        post=post,
        items_pre=items_pre,
        items_post=items_post,
        questions=[f"q{j + 1}" for j in range(k)],
        characteristics=characteristics,
    )


def main() -> None:
    args = analysis_arguments(__doc__)
    data = make_session(args.participants, args.questions)
    times, _cpu = timed(lambda: analyse(**data), args.repeat)
    print(
        f"analyse(): {args.participants} participants x {args.questions} questions, "
        f"median of {args.repeat} runs: {statistics.median(times):.3f} s "
        f"(min {min(times):.3f} s, max {max(times):.3f} s)"
    )


if __name__ == "__main__":
    main()
