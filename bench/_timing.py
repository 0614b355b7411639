"""What the in-process benchmarks share: timing a call after a warm-up, and the analysis benchmarks' options."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (of this process) of ``repeat`` runs after a warm-up (imports, fonts, caches)."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def analysis_arguments(doc: str) -> argparse.Namespace:
    """The options of the benchmarks of ``analysis.analyse`` on synthetic data (the first line of `doc`
    describes the benchmark): --participants N (10,000), --questions K (40), --repeat R (7)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=7)
    return parser.parse_args()
