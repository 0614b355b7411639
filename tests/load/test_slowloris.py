"""One device cannot freeze the room (issue 15, item 2): 50 half-sent uploads held open, and the
tablets' answers are still acknowledged at once.

The shipped server (`python -m app.server`, the launcher's `serve()`, waitress) runs on a free port
of 127.0.0.1. 50 connections send the headers of `POST /api/answer` with a Content-Length 200 bytes
longer than the body they send, and hold. With gunicorn's threads, each such connection pinned a
thread in `wsgi.input.read()`: for 60 s no tablet's answer was acknowledged. waitress reads bodies in
its main loop and hands a request to a thread only once it is complete, so the held connections cost
no thread. Then 5 registered tablets send 10 answers each; every answer must come back "stored"
within 5 s (a generous bound: this is "not stalled", not a performance figure; the p99 is printed).
The whole test is bounded (each request times out after 10 s).
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from bench._client import run_async
from bench._server import new_database, prepare, server
from bench.bench_autosave import register_all
from bench.load_burst import pct

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
HELD = 50
TABLETS = 5
ANSWERS = 10

pytestmark = pytest.mark.slow


def hold_partial_upload(port: int) -> socket.socket:
    """Send an autosave's headers and a body 200 bytes short of its Content-Length; keep the socket."""
    body = json.dumps({"kind": "pre", "question": "q1", "option": "a", "key": uuid.uuid4().hex}).encode()
    conn = socket.create_connection(("127.0.0.1", port), timeout=5)
    conn.sendall(
        (
            "POST /api/answer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body) + 200}\r\n\r\n"
        ).encode()
        + body
    )
    return conn


def still_open(conn: socket.socket) -> bool:
    """True if the server has neither answered nor closed this connection."""
    conn.setblocking(False)
    try:
        conn.recv(1)  # bytes (an answer) or b"" (closed): either way it is no longer held
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        conn.setblocking(True)
    return False


@pytest.mark.parametrize("backend", BACKENDS)
def test_fifty_held_uploads_do_not_stall_the_tablets(backend, tmp_path):
    db = new_database(backend, os.environ.get("TEST_DATABASE_URL"), directory=tmp_path)
    held: list[socket.socket] = []
    try:
        info = prepare(db)
        questions = info["questions"]
        with server(db.url, log_dir=tmp_path) as running:
            tablets = run_async(register_all(running.port, info, TABLETS))
            held = [hold_partial_upload(running.port) for _ in range(HELD)]
            time.sleep(0.5)  # every held connection is now waiting in the server for its last 200 bytes

            async def answer_all():
                import asyncio

                latencies: list[float] = []
                outcomes: list[str] = []

                async def one(phone, token, idx):
                    phone.timeout = 10.0
                    start = datetime.now(UTC)
                    for n in range(ANSWERS):
                        q = questions[n % len(questions)]
                        body = {
                            "kind": "pre",
                            "question": q["key"],
                            "option": q["options"][(idx + n) % len(q["options"])],
                            "key": uuid.uuid4().hex,
                            "chosen_at": (start + timedelta(milliseconds=n)).isoformat(),
                        }
                        response = await phone.request(
                            "POST", "/api/answer", json_body=body, headers={"X-CSRFToken": token}
                        )
                        latencies.append(response.seconds)
                        outcomes.append(f"{response.status} {response.json().get('status')}")
                    await phone.close()

                await asyncio.gather(*(one(phone, token, i) for i, (phone, token) in enumerate(tablets)))
                return latencies, outcomes

            started = time.perf_counter()
            latencies, outcomes = run_async(answer_all())
            elapsed = time.perf_counter() - started
            open_after = sum(still_open(conn) for conn in held)
    finally:
        for conn in held:
            conn.close()
        db.drop()
    print(
        f"\n{backend}: {HELD} uploads held, {len(latencies)} answers from {TABLETS} tablets in {elapsed:.2f} s: "
        f"p50 {pct(latencies, 50) * 1000:.1f} ms, p99 {pct(latencies, 99) * 1000:.1f} ms, "
        f"max {max(latencies) * 1000:.1f} ms; {open_after} of {HELD} held connections still open"
    )
    assert outcomes == ["200 stored"] * (TABLETS * ANSWERS)
    assert max(latencies) < 5.0, sorted(latencies)[-5:]
    # The held connections were really held through the tablets' answers (the test proved something).
    assert open_after == HELD
