"""The shipped server's memory, start-up and what a tablet downloads.

For each backend (SQLite, PostgreSQL), on a database made for the run:

- start-up: the time from starting `python -m app.server` (waitress, production settings) to the
  first page served (the join page), median of --starts starts, and the server's CPU time by then;
  then the first participant page of that start (`/s/<code>`, the session's start page: its first
  query and template), wall and server CPU time;
- memory: the proportional set size (PSS, /proc/<pid>/smaps_rollup: shared pages counted once) of
  the server, its one process, after start and after a 300-tablet session (bench/load_burst.py's
  burst: each tablet joins, registers, answers 20 questions, submits; 10% resend);
- which of numpy, scipy, statsmodels, pandas and reportlab the server has loaded by then.

Then, once, with Chromium (Playwright): the bytes one tablet receives over the network (headers and
bodies, as Chromium counts them: `encodedDataLength`) for the question page, cold (empty cache: the
page, its style sheet, script and icon) and warm (the next question, with the cache the first one
left), and the same two with compression and caching turned off in the browser (no Accept-Encoding,
cache disabled): the baseline, in the same run.

    .venv/bin/python bench/bench_server.py                       # both backends
    .venv/bin/python bench/bench_server.py --backends sqlite --tablets 50 --starts 1
    .venv/bin/python bench/bench_server.py --backends sqlite --tablets 0 --no-browser --starts 5   # start-up only

Only 127.0.0.1 is contacted; every wait has a timeout.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._client import run_async
from bench._server import new_database, prepare, server
from bench.load_burst import burst

HEAVY = ("numpy", "scipy", "statsmodels", "pandas", "reportlab")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def loaded_modules(pid: int) -> list[str]:
    """The heavy libraries mapped into the process (their compiled extensions show in its maps)."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return [name for name in HEAVY if re.search(rf"/site-packages/{name}[/.]", maps)]


def first_request(running, path: str) -> tuple[float, float]:
    """Wall and server CPU seconds of one GET (the first of its kind after the start)."""
    cpu = running.cpu_seconds()
    started = time.perf_counter()
    with urllib.request.urlopen(running.base + path, timeout=60) as response:
        response.read()
    return time.perf_counter() - started, running.cpu_seconds() - cpu


def measure_backend(backend: str, tablets: int, starts: int, pg_url: str | None) -> dict:
    """Start-up (--starts starts), then, on the last start, memory and a burst of `tablets` (0: none)."""
    db = new_database(backend, pg_url)
    try:
        info = prepare(db)
        landing = f"/s/{info['join_code']}"
        first_pages, first_cpu, landings, landing_cpu = [], [], [], []
        for n in range(starts):
            with server(db.url) as running:
                first_pages.append(running.first_page_s)
                first_cpu.append(running.first_page_cpu_s)
                wall, cpu = first_request(running, landing)
                landings.append(wall)
                landing_cpu.append(cpu)
                if n < starts - 1:
                    continue
                after_start = running.pss_mb()
                loaded_at_start = loaded_modules(running.pid)
                stats, elapsed, failures = None, 0.0, []
                if tablets:
                    stats, _expects, _naughty, _killed, elapsed, failures = run_async(
                        burst(
                            running,
                            info,
                            tablets,
                            misbehave_share=0.10,
                            think=0.0,
                            kill=False,
                            seed=6,
                            start_spread=1.0,
                        )
                    )
                after_session = running.pss_mb()
                loaded_after = loaded_modules(running.pid)
    finally:
        db.drop()
    statuses = stats.statuses if stats else {}
    errors = sum(v for k, v in statuses.items() if int(k) >= 500)
    return {
        "backend": backend,
        "first_page_s": statistics.median(first_pages),
        "first_pages": first_pages,
        "first_page_cpu_s": statistics.median(first_cpu),
        "first_page_cpus": first_cpu,
        "landing_s": statistics.median(landings),
        "landing_cpu_s": statistics.median(landing_cpu),
        "pss_start_mb": after_start,
        "pss_session_mb": after_session,
        "requests": sum(statuses.values()),
        "errors": errors + len(failures),
        "session_s": elapsed,
        "loaded_at_start": loaded_at_start,
        "loaded_after": loaded_after,
    }


def transfer(pg_url: str | None) -> dict:
    """Bytes over the network for the question page: cold and warm, compressed and cached or not."""
    from playwright.sync_api import sync_playwright

    db = new_database("sqlite", pg_url)
    results: dict[str, dict] = {}
    try:
        info = prepare(db)
        code = info["join_code"]
        with server(db.url) as running, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
            try:
                for label, plain in (("shipped", False), ("no compression, no cache", True)):
                    context = browser.new_context(viewport={"width": 800, "height": 1280})
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    if plain:
                        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                        cdp.send("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": "identity"}})
                    received: dict[str, float] = {}
                    urls: dict[str, str] = {}
                    cached: set[str] = set()
                    cdp.on(
                        "Network.requestServedFromCache", lambda e, cached=cached: cached.add(e["requestId"])
                    )
                    cdp.on(
                        "Network.requestWillBeSent",
                        lambda e, urls=urls: urls.__setitem__(e["requestId"], e["request"]["url"]),
                    )
                    cdp.on(
                        "Network.loadingFinished",
                        lambda e, received=received: received.__setitem__(
                            e["requestId"], e["encodedDataLength"]
                        ),
                    )
                    join(page, running.base, code, label)
                    cdp.send("Network.clearBrowserCache")
                    row = {}
                    for step, n in (("cold", 1), ("warm", 2)):
                        received.clear()
                        urls.clear()
                        cached.clear()
                        page.goto(f"{running.base}/quiz/pre/{n}", wait_until="networkidle")
                        row[step] = sum(received.values())
                        # What went over the network (not what the browser took from its cache).
                        row[step + "_requests"] = sorted(
                            urls[r].split(str(running.port), 1)[1]
                            for r in received
                            if r in urls and r not in cached
                        )
                    results[label] = row
                    context.close()
            finally:
                browser.close()
    finally:
        db.drop()
    return results


def join(page, base: str, code: str, name: str) -> None:
    """Consent and registration through the real pages, as a participant's tablet."""
    page.goto(f"{base}/s/{code}/consent")  # consent and registration are one screen
    page.fill("input[name=name]", "Ibu " + name)
    page.click("form button[name=agree]")
    page.wait_for_url(re.compile(r".*/quiz/pre/\d+"))
    page.wait_for_load_state("networkidle")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--tablets", type=int, default=300, help="tablets in the session (0: start-up only)")
    parser.add_argument("--starts", type=int, default=3, help="starts timed for the time to the first page")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_server"),
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the transfer measurement")
    args = parser.parse_args(argv)
    print(
        f"# {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; waitress (python -m app.server), APP_CONFIG=production",
        flush=True,
    )
    ok = True
    for backend in filter(None, args.backends.split(",")):
        r = measure_backend(backend, args.tablets, args.starts, args.pg_url)
        ok &= r["errors"] == 0
        session = (
            f"{r['pss_session_mb']:.0f} MB after {args.tablets} tablets ({r['requests']} requests in "
            f"{r['session_s']:.1f} s, {r['errors']} errors)"
            if args.tablets
            else "no session run"
        )
        print(
            f"{backend:<10} first page {r['first_page_s']:.2f} s after start (median of "
            f"{', '.join(f'{x:.2f}' for x in r['first_pages'])}; CPU time of the server until then "
            f"{r['first_page_cpu_s']:.2f} s, of {', '.join(f'{x:.2f}' for x in r['first_page_cpus'])}) | "
            f"then the first /s/<code> {r['landing_s'] * 1000:.0f} ms (server CPU {r['landing_cpu_s'] * 1000:.0f} ms) | "
            f"PSS {r['pss_start_mb']:.0f} MB after start, {session} | "
            f"loaded: {', '.join(r['loaded_after']) or 'none'} "
            f"(at start: {', '.join(r['loaded_at_start']) or 'none'})",
            flush=True,
        )
    if not args.no_browser:
        for label, row in transfer(args.pg_url).items():
            print(
                f"question page, {label}: cold {row['cold'] / 1024:.1f} KB ({len(row['cold_requests'])} requests), "
                f"warm {row['warm'] / 1024:.1f} KB ({len(row['warm_requests'])} requests: "
                f"{', '.join(row['warm_requests'])})",
                flush=True,
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
