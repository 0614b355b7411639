"""Benchmark: the full analysis with follow-up, attitude scale, topics and two groups, against pingouin.

10,000 participants x 40 questions x 3 time points (pre, post, follow-up), 8 attitude statements
(4 reverse-scored), 8 topics of 5 questions, intervention and control. Times ``analysis.analyse`` with
every section on, and in the same run pingouin's calls for the figures it also computes
(``friedman``, ``rm_anova``, ``pairwise_tests``, ``cochran`` per question, ``cronbach_alpha`` per
test, ``ancova``), on data already in pingouin's long format (building it is not timed).

Run: .venv/bin/python bench/bench_followup.py [--participants N] [--questions K] [--repeat R]
Requirements: bench/requirements.txt (pingouin, pinned; not needed by the app or the tests).
"""

from __future__ import annotations

import statistics
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.summary import analyse
from bench._timing import analysis_arguments, timed


def make_session(n: int, k: int, seed: int = 20261201) -> dict:
    """Item answers at three time points (learning, then some forgetting), dropouts, attitudes, groups."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, n)
    difficulty = rng.normal(0, 1, k)
    in_b = rng.random(n) < 0.5
    lift = np.where(in_b, 1.2, 0.6)[:, None]

    def answers(shift: np.ndarray | float) -> np.ndarray:
        p = 1 / (1 + np.exp(-(ability[:, None] + shift - difficulty[None, :])))
        return (rng.random((n, k)) < p).astype(float)

    items_pre, items_post, items_fu = answers(0.0), answers(lift), answers(lift * 0.6)
    items_pre[rng.random(n) < 0.03] = np.nan
    items_post[rng.random(n) < 0.05] = np.nan
    items_fu[rng.random(n) < 0.15] = np.nan
    scores = [100.0 * m.mean(axis=1) for m in (items_pre, items_post, items_fu)]
    lean = rng.normal(0, 1, n)
    att_pre = np.clip(np.round(3 + lean[:, None] + rng.normal(0, 0.8, (n, 8))), 1, 5)
    att_post = np.clip(att_pre + rng.integers(0, 2, (n, 8)), 1, 5)
    reverse = ["s2", "s4", "s5", "s7"]
    for j in (1, 3, 4, 6):
        att_pre[:, j], att_post[:, j] = 6 - att_pre[:, j], 6 - att_post[:, j]
    return dict(
        pre=scores[0],
        post=scores[1],
        followup=scores[2],
        items_pre=items_pre,
        items_post=items_post,
        items_followup=items_fu,
        questions=[f"q{j + 1}" for j in range(k)],
        topics=[f"topik{j // 5 + 1}" for j in range(k)],
        attitude_pre=att_pre,
        attitude_post=att_post,
        attitude_statements=[f"s{j + 1}" for j in range(8)],
        attitude_reverse=reverse,
        groups=np.where(in_b, "intervensi", "kontrol").tolist(),
        characteristics={"education": rng.choice(["SD", "SMP", "SMA", "PT"], n).tolist()},
    )


def pingouin_inputs(data: dict) -> dict:
    """The same data in the long format pingouin's repeated-measures functions take."""
    y = np.column_stack([data["pre"], data["post"], data["followup"]])
    complete = ~np.isnan(y).any(axis=1)
    n = int(complete.sum())
    ids = np.repeat(np.arange(n), 3)
    time_ = np.tile(np.array(["pre", "post", "followup"]), n)
    long = pd.DataFrame({"id": ids, "time": time_, "score": y[complete].ravel()})
    items = np.stack([data["items_pre"], data["items_post"], data["items_followup"]], axis=1)[complete]
    per_question = []
    for j in range(items.shape[2]):
        q = items[:, :, j]
        ok = ~np.isnan(q).any(axis=1)
        m = int(ok.sum())
        per_question.append(
            pd.DataFrame(
                {
                    "id": np.repeat(np.arange(m), 3),
                    "time": np.tile(["pre", "post", "followup"], m),
                    "answer": q[ok].ravel(),
                }
            )
        )
    paired = ~np.isnan(data["pre"]) & ~np.isnan(data["post"])
    wide = pd.DataFrame(
        {"pre": data["pre"][paired], "post": data["post"][paired], "group": np.array(data["groups"])[paired]}
    )
    return dict(
        long=long,
        per_question=per_question,
        att_pre=pd.DataFrame(data["attitude_pre"]),
        att_post=pd.DataFrame(data["attitude_post"]),
        wide=wide,
    )


def run_pingouin(inputs: dict) -> None:
    import pingouin as pg

    long = inputs["long"]
    pg.friedman(data=long, dv="score", within="time", subject="id")
    pg.rm_anova(data=long, dv="score", within="time", subject="id", correction=True)
    pg.pairwise_tests(data=long, dv="score", within="time", subject="id", parametric=False, padjust="holm")
    for q in inputs["per_question"]:
        pg.cochran(data=q, dv="answer", within="time", subject="id")
    pg.cronbach_alpha(data=inputs["att_pre"])
    pg.cronbach_alpha(data=inputs["att_post"])
    pg.ancova(data=inputs["wide"], dv="post", covar="pre", between="group")


def main() -> None:
    args = analysis_arguments(__doc__)
    data = make_session(args.participants, args.questions)
    inputs = pingouin_inputs(data)
    ours: list[float] = []
    ours_cpu: list[float] = []
    theirs: list[float] = []
    theirs_cpu: list[float] = []
    per_round = max(1, (args.repeat + 1) // 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pingouin's and pandas' deprecation notices
        for _ in range(2):  # alternate so both see the same machine load
            wall, cpu = timed(lambda: analyse(**data), per_round)
            ours, ours_cpu = ours + wall, ours_cpu + cpu
            wall, cpu = timed(lambda: run_pingouin(inputs), per_round)
            theirs, theirs_cpu = theirs + wall, theirs_cpu + cpu
    a, b = statistics.median(ours), statistics.median(theirs)
    ac, bc = statistics.median(ours_cpu), statistics.median(theirs_cpu)
    print(
        f"analyse() with follow-up, attitude, topics, two groups: {args.participants} participants x "
        f"{args.questions} questions x 3 time points, median of {len(ours)} runs: {a:.3f} s wall "
        f"(min {min(ours):.3f} s, max {max(ours):.3f} s), {ac:.3f} s CPU {'ok' if a < 1 else 'OVER 1 s'}"
    )
    print(
        f"pingouin friedman + rm_anova + pairwise_tests + {args.questions} x cochran + 2 x cronbach_alpha + "
        f"ancova, median of {len(theirs)} runs: {b:.3f} s wall (min {min(theirs):.3f} s, max {max(theirs):.3f} s), "
        f"{bc:.3f} s CPU"
    )
    print(f"ratio analyse / pingouin: {a / b:.2f} wall, {ac / bc:.2f} CPU")


if __name__ == "__main__":
    main()
