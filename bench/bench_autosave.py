"""Answer autosave under load: the app against a bare endpoint doing the same single upsert.

For each backend (SQLite WAL, PostgreSQL) and each number of concurrent clients (50, 150, 300),
in the same run:

- app: POST /api/answer of the app started as in production (gunicorn, 3 workers x 4 threads),
  each client a registered participant with her own session cookie and CSRF token;
- bare: the same JSON to bench/_bare.py, a plain WSGI function doing only the autosave's upsert
  with sqlite3 / psycopg, on the same gunicorn settings.

Two loads: "closed" (each client sends its next answer as soon as the last is acknowledged: the
highest throughput) and "paced" (each client answers every --interval seconds on average, jittered,
as phones in a room do, though much faster than people read). Every request sets a new choice with
a later chosen_at, so each one writes. Reported: throughput, p50 and p99 latency, the app/bare
throughput ratio. Registration is not timed.

    .venv/bin/python bench/bench_autosave.py                      # both backends, 50/150/300
    .venv/bin/python bench/bench_autosave.py --backends sqlite --clients 50 --requests 5

Only 127.0.0.1 is contacted; every wait has a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._client import ConnectionLost, Phone, csrf_from, run_async  # noqa: E402
from bench._server import _env, gunicorn, new_database, prepare  # noqa: E402
from bench.load_burst import pct  # noqa: E402


async def register_all(port: int, info: dict, n: int) -> list[tuple[Phone, str]]:
    """n participants through the real pages; returns each phone with its CSRF token for JSON."""
    code = info["join_code"]
    sem = asyncio.Semaphore(20)

    async def one(i):
        async with sem:
            phone = Phone(port)
            await phone.request("GET", f"/s/{code}/consent")
            page = await phone.request("GET", f"/s/{code}/consent")
            await phone.request("POST", f"/s/{code}/consent", form={"agree": "y", "csrf_token": csrf_from(page.text)})
            page = await phone.request("GET", f"/s/{code}/register")
            r = await phone.request("POST", f"/s/{code}/register",
                                    form={"name": f"Ibu {i}", "csrf_token": csrf_from(page.text)})
            assert r.status == 302, r.text[:300]
            page = await phone.request("GET", "/quiz/pre/1")
            token = csrf_from(page.text)
            await phone.close()
            return phone, token

    return await asyncio.gather(*(one(i) for i in range(n)))


async def drive(clients: list, port: int, make_body, requests_each: int, interval: float, keepalive: bool,
                headers_for) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lost = 0

    async def client(idx, phone):
        nonlocal lost
        rng = random.Random(idx)
        phone.keepalive = keepalive
        phone.port = port
        base = datetime.now(timezone.utc)
        if interval:
            await asyncio.sleep(rng.uniform(0, interval))
        for n in range(requests_each):
            body = make_body(idx, n, base + timedelta(milliseconds=n), rng)
            for _ in range(5):
                try:
                    r = await phone.request("POST", "/api/answer" if headers_for else "/", json_body=body,
                                            headers=headers_for(idx) if headers_for else None)
                    break
                except ConnectionLost:
                    lost += 1
                    await asyncio.sleep(0.1)
            else:
                raise RuntimeError("gave up")
            statuses[r.status] = statuses.get(r.status, 0) + 1
            latencies.append(r.seconds)
            if interval:
                await asyncio.sleep(rng.uniform(0.5 * interval, 1.5 * interval))
        await phone.close()

    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(client(i, p) for i, p in enumerate(clients))), timeout=900)
    elapsed = time.perf_counter() - started
    return {"requests": len(latencies), "seconds": round(elapsed, 2), "per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(pct(latencies, 50) * 1000, 1), "p99_ms": round(pct(latencies, 99) * 1000, 1),
            "statuses": statuses, "lost": lost}


def run_backend(backend: str, levels: list[int], requests_each: int, interval: float, pg_url: str | None,
                keepalive: bool, workers: int, threads: int) -> list[dict]:
    rows = []
    for clients in levels:
        db = new_database(backend, pg_url)
        try:
            info = prepare(db)
            questions = info["questions"]
            with gunicorn(db.url, workers=workers, threads=threads) as server:
                phones = run_async(register_all(server.port, info, clients))

                def app_body(idx, n, at, rng):
                    q = questions[n % len(questions)]
                    return {"kind": "pre", "question": q["key"], "option": rng.choice(q["options"]),
                            "key": uuid.uuid4().hex, "chosen_at": at.isoformat()}

                tokens = [t for _, t in phones]
                app_phones = [p for p, _ in phones]
                results = {}
                for load, pause in (("closed", 0.0), ("paced", interval)):
                    results[load] = run_async(drive(app_phones, server.port, app_body, requests_each, pause,
                                                      keepalive, lambda i: {"X-CSRFToken": tokens[i]}))
                log = server.log_text()
            # The bare endpoint: the same database file or schema, its own table.
            import subprocess

            subprocess.run([sys.executable, "-c", "import bench._bare as b; b.create_table()"],
                           cwd=Path(__file__).resolve().parent.parent, env=_env(db.url), check=True, timeout=60)
            with gunicorn(db.url, app="bench._bare:app", workers=workers, threads=threads) as bare:
                def bare_body(idx, n, at, rng):
                    q = questions[n % len(questions)]
                    return {"attempt": idx + 1, "question": q["key"], "option": rng.choice(q["options"]),
                            "key": uuid.uuid4().hex, "chosen_at": at.isoformat()}

                for load, pause in (("closed", 0.0), ("paced", interval)):
                    results["bare_" + load] = run_async(drive([Phone(bare.port) for _ in range(clients)], bare.port,
                                                                bare_body, requests_each, pause, keepalive, None))
        finally:
            db.drop()
        row = {"backend": backend, "clients": clients, **results,
               "ratio_closed": round(results["closed"]["per_s"] / results["bare_closed"]["per_s"], 2),
               "locked_in_log": log.count("database is locked"), "tracebacks": log.count("Traceback")}
        rows.append(row)
        print(format_row(row), flush=True)
    return rows


def format_row(r: dict) -> str:
    c, p, bc, bp = r["closed"], r["paced"], r["bare_closed"], r["bare_paced"]
    return (f"{r['backend']:<10} {r['clients']:>4} | app closed {c['per_s']:>6.1f}/s p50 {c['p50_ms']:>6.1f} "
            f"p99 {c['p99_ms']:>7.1f} | bare closed {bc['per_s']:>6.1f}/s p50 {bc['p50_ms']:>6.1f} "
            f"p99 {bc['p99_ms']:>7.1f} | ratio {r['ratio_closed']:.2f} | app paced {p['per_s']:>6.1f}/s "
            f"p50 {p['p50_ms']:>6.1f} p99 {p['p99_ms']:>7.1f} | bare paced p50 {bp['p50_ms']:>6.1f} "
            f"p99 {bp['p99_ms']:>7.1f} | 5xx {sum(v for k, v in c['statuses'].items() if k >= 500)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clients", default="50,150,300")
    parser.add_argument("--requests", type=int, default=10, help="answers each client sends per load")
    parser.add_argument("--interval", type=float, default=2.0, help="mean seconds between answers, paced load")
    parser.add_argument("--keepalive", action="store_true", help="keep connections open (default: one per request)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                           "postgresql://postgres@127.0.0.1:5432/bench_autosave"))
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    print(f"# {platform.node()} {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; "
          f"gunicorn {args.workers} workers x {args.threads} threads; {args.requests} answers per client; "
          f"paced every {args.interval} s; keep-alive {'on' if args.keepalive else 'off'}", flush=True)
    rows = []
    for backend in args.backends.split(","):
        rows += run_backend(backend, [int(c) for c in args.clients.split(",")], args.requests, args.interval,
                            args.pg_url, args.keepalive, args.workers, args.threads)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
