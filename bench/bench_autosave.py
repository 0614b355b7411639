"""Answer autosave under load: the app against a bare endpoint running the same single statement.

For each backend (SQLite WAL, PostgreSQL) and each number of tablets (300 and 1,000), in the
same run, on the same database:

- app: POST /api/answer of the app served as shipped (waitress, one process: `python -m app.server`),
  each client a registered participant with her own session cookie and CSRF token, through the
  ordinary Flask view;
- bare: the same answer to bench/_bare.py, a plain WSGI function that runs the app's autosave
  statement (same SQL, same `answer` table) with sqlite3 / psycopg, on the same waitress settings.

A third server, bench/_stack.py, is the app with one more route that checks the participant's
cookie, the CSRF token and the answer through Flask as the /api/answer view does and acknowledges
it without the database: "Flask view without DB", what Flask's request handling alone costs.

Each load also reports the CPU time per answer of the server (master and workers, all threads)
and of the load generator, which shares the machine's cores with the servers.

Two loads: "paced" (each tablet answers every --interval seconds on average, 3 s, jittered, as a
room does: the p99 target is 250 ms with 0 errors) and "closed" (each client sends its next answer
as soon as the last is acknowledged: the highest throughput, no target; only at --closed-clients). Every request sets a new choice with
a later chosen_at, so each one writes; the benchmark checks that every answer came back "stored".

The closed load is measured in --rounds rounds, app and bare alternating (which goes first
alternates too), each on an emptied answer table; reported are the median throughput, the
p50/p99 latency over all rounds and the median of the per-round app/bare ratios, so a slow
moment of a shared machine falls on one round, not on one side. Registration is not timed.

    .venv/bin/python bench/bench_autosave.py                      # both backends, 300 and 1,000 tablets
    .venv/bin/python bench/bench_autosave.py --backends sqlite --clients 50 --closed-clients 50 --requests 5 --rounds 1

Only 127.0.0.1 is contacted; every wait has a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from math import nan
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._client import ConnectionLost, Phone, csrf_from, run_async
from bench._server import new_database, prepare, server
from bench.load_burst import pct

THREADS = 8  # app/server.py's default (not imported: the benchmark process does not load the app)


async def register_all(port: int, info: dict, n: int) -> list[tuple[Phone, str]]:
    """n participants through the real pages; returns each phone with its CSRF token for JSON."""
    code = info["join_code"]
    sem = asyncio.Semaphore(20)

    async def one(i):
        async with sem:
            phone = Phone(port)
            # consent and registration are one screen: "I agree and start" sends agree=y with the name
            page = await phone.request("GET", f"/s/{code}/consent")
            r = await phone.request(
                "POST",
                f"/s/{code}/consent",
                form={"agree": "y", "name": f"Ibu {i}", "csrf_token": csrf_from(page.text)},
            )
            assert r.status == 302, r.text[:300]
            page = await phone.request("GET", "/quiz/pre/1")
            token = csrf_from(page.text)
            await phone.close()
            return phone, token

    return await asyncio.gather(*(one(i) for i in range(n)))


async def drive(
    clients: list,
    port: int,
    make_body,
    requests_each: int,
    interval: float,
    keepalive: bool,
    headers_for,
    path: str | None = None,
) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    outcomes: dict[str, int] = {}
    lost = 0

    async def client(idx, phone):
        nonlocal lost
        rng = random.Random(idx)
        phone.keepalive = keepalive
        phone.port = port
        base = datetime.now(UTC)
        if interval:
            await asyncio.sleep(rng.uniform(0, interval))
        for n in range(requests_each):
            body = make_body(idx, n, base + timedelta(milliseconds=n), rng)
            for _ in range(5):
                try:
                    r = await phone.request(
                        "POST",
                        path or ("/api/answer" if headers_for else "/"),
                        json_body=body,
                        headers=headers_for(idx) if headers_for else None,
                    )
                    break
                except ConnectionLost:
                    lost += 1
                    await asyncio.sleep(0.1)
            else:
                raise RuntimeError("gave up")
            statuses[r.status] = statuses.get(r.status, 0) + 1
            outcome = r.json().get("status", "?") if r.status == 200 else "http %d" % r.status
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            latencies.append(r.seconds)
            if interval:
                await asyncio.sleep(rng.uniform(0.5 * interval, 1.5 * interval))
        await phone.close()

    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(client(i, p) for i, p in enumerate(clients))), timeout=900)
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(pct(latencies, 50) * 1000, 1),
        "p99_ms": round(pct(latencies, 99) * 1000, 1),
        "statuses": statuses,
        "outcomes": outcomes,
        "lost": lost,
        "latencies": latencies,
    }


def with_cpu(server, run) -> dict:
    """Run one load and add the CPU time it cost, per request: the server's (master and workers,
    every thread) and the load generator's own. CPU time varies less than throughput on a
    shared machine: it tells where the time goes when rounds disagree."""
    server_before, client_before = server.cpu_seconds(), time.process_time()
    result = run()
    n = max(result["requests"], 1)
    result["server_cpu_ms"] = round((server.cpu_seconds() - server_before) / n * 1000, 3)
    result["client_cpu_ms"] = round((time.process_time() - client_before) / n * 1000, 3)
    return result


def empty_answers(db) -> None:
    """Every closed-load measurement starts on an empty answer table (same inserts and updates)."""
    if db.backend == "sqlite":
        import sqlite3

        with sqlite3.connect(db.path, timeout=30) as conn:
            conn.execute("DELETE FROM answer")
    else:
        import psycopg

        with psycopg.connect(db.url) as conn:
            conn.execute("DELETE FROM answer")


def summary(runs: list[dict]) -> dict:
    """Several rounds of one load: median throughput, latency percentiles over all requests."""
    if not runs:
        return {}
    latencies = [x for r in runs for x in r["latencies"]]
    merged: dict = {"statuses": {}, "outcomes": {}}
    for r in runs:
        for key in ("statuses", "outcomes"):
            for k, v in r[key].items():
                merged[key][k] = merged[key].get(k, 0) + v
    return {
        "rounds_per_s": [r["per_s"] for r in runs],
        "per_s": round(statistics.median(r["per_s"] for r in runs), 1),
        "requests": len(latencies),
        "p50_ms": round(pct(latencies, 50) * 1000, 1),
        "p99_ms": round(pct(latencies, 99) * 1000, 1),
        "lost": sum(r["lost"] for r in runs),
        "server_cpu_ms": round(statistics.median(r["server_cpu_ms"] for r in runs), 3),
        "client_cpu_ms": round(statistics.median(r["client_cpu_ms"] for r in runs), 3),
        **merged,
    }


def run_backend(
    backend: str,
    levels: list[int],
    requests_each: int,
    paced_each: int,
    rounds: int,
    interval: float,
    pg_url: str | None,
    keepalive: bool,
    threads: int | None,
    closed_levels: set[int],
) -> list[dict]:
    rows = []
    for clients in levels:
        db = new_database(backend, pg_url)
        try:
            info = prepare(db)
            questions = info["questions"]

            def body(idx, n, at, rng):
                q = questions[n % len(questions)]
                return {
                    "kind": "pre",
                    "question": q["key"],
                    "option": rng.choice(q["options"]),
                    "key": uuid.uuid4().hex,
                    "chosen_at": at.isoformat(),
                }

            def bare_body(idx, n, at, rng):
                # Participants 1..clients were registered (and their pre-test started) through the app.
                return {**body(idx, n, at, rng), "participant": idx + 1}

            with (
                server(db.url, threads=threads) as app_server,
                server(db.url, app="bench._bare:app", threads=threads) as bare,
                server(db.url, app="bench._stack:app", threads=threads) as stack,
            ):
                phones = run_async(register_all(app_server.port, info, clients))
                tokens = [t for _, t in phones]
                app_phones = [p for p, _ in phones]

                def run_app(each, pause):
                    return with_cpu(
                        app_server,
                        lambda: run_async(
                            drive(
                                app_phones,
                                app_server.port,
                                body,
                                each,
                                pause,
                                keepalive,
                                lambda i: {"X-CSRFToken": tokens[i]},
                            )
                        ),
                    )

                def run_stack(each, pause):
                    phones_here = [Phone(stack.port, cookies=dict(p.cookies)) for p in app_phones]
                    return with_cpu(
                        stack,
                        lambda: run_async(
                            drive(
                                phones_here,
                                stack.port,
                                body,
                                each,
                                pause,
                                keepalive,
                                lambda i: {"X-CSRFToken": tokens[i]},
                                "/api/answer-nodb",
                            )
                        ),
                    )

                def run_bare(each, pause):
                    return with_cpu(
                        bare,
                        lambda: run_async(
                            drive(
                                [Phone(bare.port) for _ in range(clients)],
                                bare.port,
                                bare_body,
                                each,
                                pause,
                                keepalive,
                                None,
                            )
                        ),
                    )

                closed: dict[str, list[dict]] = {"app": [], "bare": [], "nodb": []}
                runners = {"app": run_app, "bare": run_bare, "nodb": run_stack}
                for round_no in range(rounds if clients in closed_levels else 0):
                    order = ("app", "bare", "nodb") if round_no % 2 == 0 else ("nodb", "bare", "app")
                    for side in order:
                        empty_answers(db)
                        closed[side].append(runners[side](requests_each, 0.0))
                paced = {"app": run_app(paced_each, interval), "bare": run_bare(paced_each, interval)}
                log = app_server.log_text() + bare.log_text() + stack.log_text()
        finally:
            db.drop()
        ratios = [a["per_s"] / b["per_s"] for a, b in zip(closed["app"], closed["bare"], strict=False)] or [
            nan
        ]
        nodb_ratios = [
            a["per_s"] / b["per_s"] for a, b in zip(closed["nodb"], closed["bare"], strict=False)
        ] or [nan]
        row = {
            "backend": backend,
            "clients": clients,
            "rounds": rounds,
            "closed": summary(closed["app"]),
            "bare_closed": summary(closed["bare"]),
            "paced": summary([paced["app"]]),
            "bare_paced": summary([paced["bare"]]),
            "ratios_closed": [round(r, 3) for r in ratios],
            "ratio_closed": round(statistics.median(ratios), 2),
            "nodb_closed": summary(closed["nodb"]),
            "ratio_nodb": round(statistics.median(nodb_ratios), 2),
            "locked_in_log": log.count("database is locked"),
            "tracebacks": log.count("Traceback"),
        }
        rows.append(row)
        print(format_row(row), flush=True)
    return rows


def format_row(r: dict) -> str:
    c, p, bc, bp, nodb = r["closed"], r["paced"], r["bare_closed"], r["bare_paced"], r["nodb_closed"]
    parts = [part for part in (c, p, bc, bp, nodb) if part]
    not_stored = sum(
        v for part in parts if part is not nodb for k, v in part["outcomes"].items() if k != "stored"
    )
    errors = sum(v for part in parts for k, v in part["statuses"].items() if k != 200)
    line = (
        f"{r['backend']:<10} {r['clients']:>4} tablets | app paced {p['per_s']:>6.1f}/s p50 {p['p50_ms']:>6.1f} "
        f"p99 {p['p99_ms']:>7.1f} ms | bare paced p50 {bp['p50_ms']:>6.1f} p99 {bp['p99_ms']:>7.1f} ms"
    )
    if c:
        line += (
            f" | app closed {c['per_s']:>6.1f}/s p50 {c['p50_ms']:>6.1f} p99 {c['p99_ms']:>7.1f} | bare closed "
            f"{bc['per_s']:>6.1f}/s p50 {bc['p50_ms']:>6.1f} p99 {bc['p99_ms']:>7.1f} | ratio {r['ratio_closed']:.2f} "
            f"(rounds {', '.join(f'{x:.2f}' for x in r['ratios_closed'])}) | Flask view without DB "
            f"{nodb['per_s']:>6.1f}/s ratio {r['ratio_nodb']:.2f} | server CPU per answer: app "
            f"{c['server_cpu_ms']:.2f} ms, bare {bc['server_cpu_ms']:.2f}, Flask view without DB "
            f"{nodb['server_cpu_ms']:.2f} (client {c['client_cpu_ms']:.2f} / {bc['client_cpu_ms']:.2f})"
        )
    return line + (
        f" | not 200 {errors} | not stored {not_stored} | locked {r['locked_in_log']} | tracebacks {r['tracebacks']}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clients", default="300,1000", help="tablets, paced load (one server each)")
    parser.add_argument(
        "--closed-clients", default="300", help="of those, the ones also measured closed-loop"
    )
    parser.add_argument("--requests", type=int, default=30, help="answers each client sends per closed round")
    parser.add_argument("--rounds", type=int, default=3, help="closed-load rounds, app and bare alternating")
    parser.add_argument(
        "--paced-requests", type=int, default=10, help="answers each tablet sends, paced load"
    )
    parser.add_argument(
        "--interval", type=float, default=3.0, help="mean seconds between answers, paced load"
    )
    parser.add_argument(
        "--keepalive", action="store_true", help="keep connections open (default: one per request)"
    )
    parser.add_argument("--threads", type=int, default=None, help="waitress threads (default: app/server.py)")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_autosave"),
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    print(
        f"# {platform.node()} {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"waitress, {args.threads or THREADS} threads; closed: {args.rounds} rounds x "
        f"{args.requests} answers per client; paced: {args.paced_requests} answers every {args.interval} s; "
        f"keep-alive {'on' if args.keepalive else 'off'}",
        flush=True,
    )
    rows = []
    for backend in args.backends.split(","):
        rows += run_backend(
            backend,
            [int(c) for c in args.clients.split(",")],
            args.requests,
            args.paced_requests,
            args.rounds,
            args.interval,
            args.pg_url,
            args.keepalive,
            args.threads,
            {int(c) for c in args.closed_clients.split(",") if c},
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
