"""Cost of one autosave inside the process: the app's POST /api/answer against the framework's floor.

No server, no sockets, no load generator: each side's WSGI callable is called directly with a
prepared environ in one thread, so what is measured is the work of the request itself, and the
figure moves much less with the machine's other load than throughput does. The sides:

- app: the production app (`wsgi:app`) with the production settings, its rate limiter on (one
  tablet: the autosave has no limit of its own, and the load benchmarks' reason to switch the
  limiter off, hundreds of phones at one address, does not arise), a registered participant's
  cookie and CSRF token;
- floor: bench/_bare.py's `flask_app`, a minimal Flask route that runs the same one statement
  (`participants.choice_statement`) on a plain SQLAlchemy engine: what any Flask app storing
  this answer pays. Target: app at most 1.5 x floor;
- WSGI + statement: bench/_bare.py's `app`, the statement with no framework (for reference).

Every call is a new choice (a new key and a higher sequence number) and must answer "stored".

    .venv/bin/python bench/bench_request_cost.py [--backend postgresql --pg-url postgresql://...]

The sides take turns in short runs of --chunk calls (app, floor, WSGI; the order turns each
time), --requests calls per side in all, --rounds times over: a side never runs minutes apart from
the other, so a slow spell of the machine (another process, the disk's sync) falls on the runs of
both. Prints, per side, the median and the fastest run in microseconds per call; the ratio is the
median, over all turns, of the app's run over the floor's run next to it (its spread is shown as the
quartiles of those ratios).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._server import _env, new_database, prepare  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|data-csrf="([^"]+)"')


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/bench_autosave")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--chunk", type=int, default=50, help="calls per run of one side")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also print cProfile's N costliest calls of the app side",
    )
    parser.add_argument(
        "--profile-sort",
        default="tottime",
        choices=("tottime", "cumulative", "ncalls"),
        help="order of --profile's list: time in the function itself, time with its callees, calls",
    )
    args = parser.parse_args(argv)

    db = new_database(args.backend, args.pg_url)
    try:
        info = prepare(db)
        os.environ.update(_env(db.url, RATELIMIT_ENABLED="1"))
        from sqlalchemy import select
        from werkzeug.test import EnvironBuilder

        import bench._bare as bare
        from app.extensions import db as sqla
        from app.models import Participant
        from wsgi import app

        phone = app.test_client()
        code = info["join_code"]

        def token(response) -> str:
            match = CSRF_RE.search(response.get_data(as_text=True))
            return match.group(1) or match.group(2)

        page = phone.get(f"/s/{code}/consent")  # consent and registration: one screen
        registered = phone.post(
            f"/s/{code}/consent", data={"agree": "y", "name": "Ibu A", "csrf_token": token(page)}
        )
        assert registered.status_code == 302
        csrf = token(phone.get("/quiz/pre/1"))
        cookie = "; ".join(f"{c.key}={c.value}" for c in phone._cookies.values())
        with app.app_context():
            pid = sqla.session.scalar(select(Participant.id))
        questions = info["questions"]
        seq = [0]

        def environs(for_bare: bool, count: int) -> list[dict]:
            out = []
            for i in range(count):
                seq[0] += 1
                q = questions[i % len(questions)]
                body = {
                    "kind": "pre",
                    "question": q["key"],
                    "option": q["options"][seq[0] % len(q["options"])],
                    "key": f"k{seq[0]}",
                    "seq": seq[0],
                    "chosen_at": datetime.now(UTC).isoformat(),
                }
                if for_bare:
                    body["participant"] = pid
                out.append(
                    EnvironBuilder(
                        path="/api/answer",
                        method="POST",
                        data=json.dumps(body),
                        headers={
                            "Content-Type": "application/json",
                            "Accept": "application/json",
                            "Cookie": cookie,
                            "X-CSRFToken": csrf,
                            "Host": "127.0.0.1",
                        },
                    ).get_environ()
                )
            return out

        def per_call(wsgi, batch: list[dict]) -> float:
            status = []

            def start_response(code, headers, exc_info=None):
                status.append(code)

            started = time.perf_counter()
            for environ in batch:
                body = b"".join(wsgi(environ, start_response))
            elapsed = time.perf_counter() - started
            assert status[-1].startswith("200") and b'"stored"' in body, (status[-1], body)
            return elapsed / len(batch) * 1e6

        # The first answer starts the attempt (not measured).
        assert per_call(app, environs(False, 1))
        sides: dict[str, tuple[object, bool]] = {
            "app": (app, False),
            "floor (minimal Flask route)": (bare.flask_app, True),
            "WSGI + statement": (bare.app, True),
        }
        runs: dict[str, list[float]] = {side: [] for side in sides}
        ratios: list[float] = []
        turns = max(1, args.requests // args.chunk)
        order = list(sides)
        for _ in range(args.rounds):
            for turn in range(turns):
                this_turn = {}
                for side in order[turn % 3 :] + order[: turn % 3]:
                    wsgi, for_bare = sides[side]
                    this_turn[side] = per_call(wsgi, environs(for_bare, args.chunk))
                    runs[side].append(this_turn[side])
                ratios.append(this_turn["app"] / this_turn["floor (minimal Flask route)"])
        print(
            f"# {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {args.backend}; {args.rounds} rounds x "
            f"{args.requests} calls per side, in turns of {args.chunk}"
        )
        for side, figures in runs.items():
            print(
                f"{side:<28} {statistics.median(figures):7.0f} us per autosave (median run; "
                f"fastest {min(figures):.0f})"
            )
        if args.profile:
            import cProfile
            import pstats

            batch = environs(False, args.requests)
            profiler = cProfile.Profile()
            profiler.runcall(per_call, app, batch)
            pstats.Stats(profiler).sort_stats(args.profile_sort).print_stats(args.profile)
        ratio = statistics.median(ratios)
        spread = ""
        if len(ratios) > 1:  # quartiles need two turns at least
            low, _, high = statistics.quantiles(ratios, n=4)
            spread = f"; quartiles {low:.2f}-{high:.2f}"
        print(
            f"app / floor: {ratio:.2f} (median of {len(ratios)} turns{spread}) "
            f"(target at most 1.50: {'met' if ratio <= 1.5 else 'NOT met'})"
        )
        bare.engine.dispose()
    finally:
        db.drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
