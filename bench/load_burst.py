"""A burst of simulated participants against the app served as shipped (waitress, `python -m app.server`).

Each participant joins by the QR link, agrees, registers, answers every question of a 20-question quiz
through the autosave API and submits. One in ten misbehaves: resends answers and the submit with the
same keys, and sends a change of mind older than the stored one after it (out of order). With --kill,
the server is killed with SIGKILL a third of the way through the burst and started again (as a person
would start it again after a crash); clients that got no answer retry with the same idempotency keys. Afterwards the database is read directly and every answer must be
stored exactly once, with the choice made latest on the phone, every test submitted once; no request
may have had a 5xx and "database is locked" must appear nowhere.

    .venv/bin/python bench/load_burst.py --backend sqlite --participants 300
    .venv/bin/python bench/load_burst.py --backend postgresql --pg-url postgresql://postgres@127.0.0.1:5432/bench_burst --kill

Only 127.0.0.1 is contacted; every wait has a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._client import SUBMIT_KEY_RE, ConnectionLost, Phone, csrf_from, run_async
from bench._server import new_database, prepare, psycopg_url, server

MAX_TRIES = 12
CODE_RE = re.compile(r'class="personal-code"[^>]*>([A-Z0-9-]+)<')


@dataclass
class Stats:
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    server_errors: list[str] = field(default_factory=list)
    locked: int = 0
    acked_answers: int = 0
    register_retries: int = 0
    gave_up: list[str] = field(default_factory=list)


@dataclass
class Expect:
    """What one participant's phone knows was sent, and so what the server must hold."""

    personal_code: str = ""
    answers: dict[str, tuple[str, datetime, str]] = field(
        default_factory=dict
    )  # question -> (option, at, key)
    acked: set[str] = field(default_factory=set)
    submit_key: str = ""
    submitted: bool = False


async def send(phone: Phone, stats: Stats, method: str, path: str, ok: tuple[int, ...], **kw):
    """Send until an answer in `ok` comes back; a lost connection or a 5xx is retried with the same body."""
    for attempt in range(MAX_TRIES):
        try:
            response = await phone.request(method, path, **kw)
        except ConnectionLost:
            stats.lost += 1
            await asyncio.sleep(min(0.1 * 2**attempt, 3.0))
            continue
        stats.statuses[response.status] += 1
        stats.latencies.append(response.seconds)
        if b"database is locked" in response.body:
            stats.locked += 1
        if response.status >= 500:
            stats.server_errors.append(f"{response.status} {method} {path}: {response.text[:300]}")
            await asyncio.sleep(0.2)
            continue
        if response.status not in ok:
            raise AssertionError(f"{method} {path}: {response.status} {response.text[:400]}")
        return response
    stats.gave_up.append(f"{method} {path}")
    raise AssertionError(f"{method} {path}: no answer after {MAX_TRIES} tries")


async def one_participant(
    i: int, port: int, info: dict, stats: Stats, expect: Expect, misbehave: bool, think: float, seed: int
):
    rng = random.Random(seed * 100_003 + i)
    phone = Phone(port)
    code = info["join_code"]
    try:
        await send(phone, stats, "GET", f"/j/{code}", (302,))
        # Consent and registration are one screen ("I agree and start"). A registration sent again
        # (its answer lost) adds no second participant: the screen's consent token is in the cookie.
        page = await send(phone, stats, "GET", f"/s/{code}/consent", (200,))
        form = {"agree": "y", "name": f"Ibu {i:03d}", "csrf_token": csrf_from(page.text)}
        for _ in range(MAX_TRIES):
            try:
                await send(phone, stats, "POST", f"/s/{code}/consent", (302,), form=form)
                break
            except AssertionError:
                stats.register_retries += 1
        page = await send(phone, stats, "GET", "/me/code", (200,))
        expect.personal_code = CODE_RE.search(page.text).group(1).replace("-", "")
        page = await send(phone, stats, "GET", "/quiz/pre/1", (200,))
        token = csrf_from(page.text)
        base = datetime.now(UTC)
        sends = []
        for n, q in enumerate(info["questions"]):
            at = base + timedelta(seconds=n * 10)
            option = rng.choice(q["options"])
            sends.append((q["key"], option, at, uuid.uuid4().hex))
            if misbehave and rng.random() < 0.4 and len(q["options"]) > 1:
                # A change of mind 5 s later, then the older choice arriving after it (out of order).
                newer = rng.choice([o for o in q["options"] if o != option])
                sends[-1] = (q["key"], newer, at + timedelta(seconds=5), uuid.uuid4().hex)
                sends.append((q["key"], option, at, uuid.uuid4().hex))
        if misbehave:
            sends += rng.sample(sends, k=min(5, len(sends)))  # resent with the same keys
        for qkey, option, at, key in sends:
            body = {
                "kind": "pre",
                "question": qkey,
                "option": option,
                "key": key,
                # The phone numbers its choices in the order it made them (the server orders by it).
                "seq": int((at - base).total_seconds()),
                "chosen_at": at.isoformat(),
            }
            response = await send(
                phone, stats, "POST", "/api/answer", (200,), json_body=body, headers={"X-CSRFToken": token}
            )
            result = response.json()
            assert result["ok"] and result["status"] in ("stored", "duplicate", "superseded"), result
            stats.acked_answers += 1
            expect.acked.add(key)
            current = expect.answers.get(qkey)
            if current is None or at >= current[1]:
                expect.answers[qkey] = (option, at, key)
            if think:
                await asyncio.sleep(rng.uniform(0, think))
        page = await send(phone, stats, "GET", "/quiz/pre/review", (200, 302))
        if page.status == 302:  # submitted already by a retry that lost its answer: nothing to do
            expect.submitted = True
            return
        key = SUBMIT_KEY_RE.search(page.text).group(1)
        expect.submit_key = key
        form = {"submit_key": key, "csrf_token": csrf_from(page.text)}
        await send(phone, stats, "POST", "/quiz/pre/submit", (302,), form=form)
        if misbehave:
            await send(phone, stats, "POST", "/quiz/pre/submit", (302,), form=form)  # the same submit again
        expect.submitted = True
    finally:
        await phone.close()


def open_sockets(pid: int) -> int:
    """Sockets a process holds (its client connections, plus the listening sockets)."""
    count = 0
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return 0
    for fd in fds:
        try:
            count += os.readlink(fd).startswith("socket:")
        except OSError:  # closed meanwhile
            pass
    return count


async def killer(running, stats: Stats, when_acked: int, record: dict, timeout: float = 120):
    """SIGKILL the server once `when_acked` answers have been acknowledged, then start it again."""
    deadline = time.monotonic() + timeout
    while stats.acked_answers < when_acked and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    victim = running.pid
    sockets = open_sockets(victim)
    lost_before = stats.lost
    running.kill()
    killed_at = time.perf_counter()
    await asyncio.to_thread(running.start)
    record.update(
        pid=victim,
        sockets=sockets,
        at_acked=stats.acked_answers,
        lost_before=lost_before,
        new_pid=running.pid,
        down_s=round(time.perf_counter() - killed_at, 2),
    )


async def burst(
    server,
    info: dict,
    n: int,
    *,
    misbehave_share: float,
    think: float,
    kill: bool,
    seed: int,
    start_spread: float,
):
    stats = Stats()
    expects = [Expect() for _ in range(n)]
    rng = random.Random(seed)
    naughty = set(rng.sample(range(n), k=max(1, round(n * misbehave_share))))
    record: dict = {}

    async def start(i):
        await asyncio.sleep(rng.uniform(0, start_spread))
        await one_participant(i, server.port, info, stats, expects[i], i in naughty, think, seed)

    tasks = [asyncio.create_task(start(i)) for i in range(n)]
    if kill:
        total = n * len(info["questions"])
        tasks.append(asyncio.create_task(killer(server, stats, total // 3, record)))
    started = time.perf_counter()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.perf_counter() - started
    failures = [repr(r) for r in results if isinstance(r, BaseException)]
    return stats, expects, naughty, record, elapsed, failures


def verify(database_url: str, info: dict, expects: list[Expect]) -> dict:
    """Read the database directly: every answer exactly once, the latest choice, every submit once."""
    from sqlalchemy import create_engine, text

    engine = create_engine(psycopg_url(database_url))
    problems = []
    with engine.connect() as conn:
        rows = conn.execute(
            text("""
            SELECT p.personal_code, a.kind, a.submitted_at, a.submit_key, q.key, o.key, ans.client_key
            FROM participant p JOIN attempt a ON a.participant_id = p.id
            LEFT JOIN answer ans ON ans.attempt_id = a.id
            LEFT JOIN question q ON q.id = ans.question_id LEFT JOIN option o ON o.id = ans.option_id
            WHERE p.session_id = :sid"""),
            {"sid": info["session_id"]},
        ).all()
        n_participants = conn.execute(
            text("SELECT count(*) FROM participant WHERE session_id = :sid"), {"sid": info["session_id"]}
        ).scalar()
        n_answers = conn.execute(text("SELECT count(*) FROM answer")).scalar()
        duplicates = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT attempt_id, question_id FROM answer GROUP BY attempt_id, question_id "
                "HAVING count(*) > 1) d"
            )
        ).scalar()
        n_attempts = conn.execute(text("SELECT count(*) FROM attempt")).scalar()
    engine.dispose()
    stored: dict[str, dict] = {}
    for code, _kind, submitted_at, submit_key, qkey, okey, ckey in rows:
        entry = stored.setdefault(
            code, {"submitted_at": submitted_at, "submit_key": submit_key, "answers": {}}
        )
        if qkey is not None:
            if qkey in entry["answers"]:
                problems.append(f"{code}: {qkey} stored twice")
            entry["answers"][qkey] = (okey, ckey)
    n_questions = len(info["questions"])
    checked = 0
    for e in expects:
        if not e.personal_code:
            problems.append("a participant never got her personal code")
            continue
        got = stored.get(e.personal_code)
        if got is None:
            problems.append(f"{e.personal_code}: no attempt stored")
            continue
        if len(got["answers"]) != n_questions or len(e.answers) != n_questions:
            problems.append(f"{e.personal_code}: {len(got['answers'])} answers stored, {len(e.answers)} sent")
        for qkey, (option, _, key) in e.answers.items():
            if got["answers"].get(qkey) != (option, key):
                problems.append(
                    f"{e.personal_code} {qkey}: stored {got['answers'].get(qkey)}, latest {option}"
                )
            checked += 1
        if e.submitted and got["submitted_at"] is None:
            problems.append(f"{e.personal_code}: submit acknowledged but not stored")
        if e.submit_key and got["submit_key"] not in (e.submit_key,):
            problems.append(f"{e.personal_code}: another submit key stored")
    return {
        "participants_in_db": n_participants,
        "answers_in_db": n_answers,
        "attempts_in_db": n_attempts,
        "duplicate_answer_rows": duplicates,
        "answers_checked": checked,
        "problems": problems,
    }


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def run(
    backend: str,
    participants: int,
    *,
    threads: int | None = None,
    kill: bool = False,
    pg_url: str | None = None,
    misbehave_share: float = 0.10,
    think: float = 0.0,
    seed: int = 6,
    start_spread: float = 1.0,
    log_dir: Path | None = None,
) -> dict:
    """One burst from start to finish; returns the figures and the verification."""
    db = new_database(backend, pg_url)
    try:
        info = prepare(db)
        with server(db.url, threads=threads, log_dir=log_dir) as running:
            pid_before = running.pid
            stats, expects, naughty, killed, elapsed, failures = run_async(
                asyncio.wait_for(
                    burst(
                        running,
                        info,
                        participants,
                        misbehave_share=misbehave_share,
                        think=think,
                        kill=kill,
                        seed=seed,
                        start_spread=start_spread,
                    ),
                    timeout=900,
                )
            )
            pid_after = running.pid
            log = running.log_text()
        check = verify(db.url, info, expects)
    finally:
        db.drop()
    lat = stats.latencies
    return {
        "backend": backend,
        "participants": participants,
        "threads": threads,
        "misbehaving": len(naughty),
        "questions": len(info["questions"]),
        "requests": sum(stats.statuses.values()),
        "statuses": dict(sorted(stats.statuses.items())),
        "server_errors": stats.server_errors[:10],
        "n_server_errors": len(stats.server_errors),
        "connections_lost_and_retried": stats.lost,
        "register_retries": stats.register_retries,
        "database_locked_in_responses": stats.locked,
        "database_locked_in_server_log": log.count("database is locked"),
        "tracebacks_in_server_log": log.count("Traceback"),
        "killed": killed,
        "pid_before": pid_before,
        "pid_after": pid_after,
        "elapsed_s": round(elapsed, 2),
        "requests_per_s": round(sum(stats.statuses.values()) / elapsed, 1),
        "latency_ms": {
            "p50": round(pct(lat, 50) * 1000, 1),
            "p99": round(pct(lat, 99) * 1000, 1),
            "max": round(max(lat) * 1000, 1) if lat else None,
            "mean": round(statistics.fmean(lat) * 1000, 1) if lat else None,
        },
        "acknowledged_answers": stats.acked_answers,
        "client_failures": failures[:5],
        "n_client_failures": len(failures),
        "gave_up": stats.gave_up[:5],
        "verify": check,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--threads", type=int, default=None, help="waitress threads (default: app/server.py)")
    parser.add_argument(
        "--kill",
        action="store_true",
        help="SIGKILL the server a third of the way through, then start it again",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_burst"),
    )
    parser.add_argument("--think", type=float, default=0.0, help="at most this many seconds between answers")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    result = run(
        args.backend,
        args.participants,
        threads=args.threads,
        kill=args.kill,
        pg_url=args.pg_url,
        think=args.think,
        seed=args.seed,
    )
    print(json.dumps(result, indent=2, default=str))
    ok = (
        not result["verify"]["problems"]
        and result["n_server_errors"] == 0
        and not result["n_client_failures"]
        and result["database_locked_in_responses"] == 0
        and result["database_locked_in_server_log"] == 0
    )
    print("OK" if ok else "FAILED", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
