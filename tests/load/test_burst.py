"""A burst of 50 phones against the shipped server (waitress), once on SQLite (WAL) and once on PostgreSQL.

The small version of bench/load_burst.py (300 participants there); the killed-server test sends 25.
The app runs as shipped (APP_CONFIG=production, `python -m app.server`) on a free port of 127.0.0.1;
the phones are an asyncio client in this process. Rate limits are off in the server because every
simulated phone comes from 127.0.0.1.
"""

from __future__ import annotations

import os

import pytest

from bench.load_burst import run

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
PARTICIPANTS = 50
#: The killed-server test's point is the kill and the retries, not the crowd: 25 phones are still
#: three times the server's 8 threads, and the kill still lands on open connections (checked below).
KILLED_PARTICIPANTS = 25

pytestmark = pytest.mark.slow


def check(result: dict, participants: int = PARTICIPANTS) -> None:
    assert result["n_client_failures"] == 0, result["client_failures"]
    assert result["n_server_errors"] == 0, result["server_errors"]
    assert not any(status >= 500 for status in map(int, result["statuses"])), result["statuses"]
    assert result["database_locked_in_responses"] == 0
    assert result["database_locked_in_server_log"] == 0
    verify = result["verify"]
    assert verify["problems"] == [], verify["problems"][:20]
    assert verify["duplicate_answer_rows"] == 0
    assert verify["answers_checked"] == participants * result["questions"]
    assert verify["answers_in_db"] == participants * result["questions"]  # every answer exactly once
    assert verify["attempts_in_db"] == participants  # an orphan from a resent registration never starts one
    assert result["misbehaving"] == participants // 10


@pytest.mark.parametrize("backend", BACKENDS)
def test_fifty_phones_at_once_store_every_answer_exactly_once(backend, tmp_path):
    result = run(backend, PARTICIPANTS, pg_url=os.environ.get("TEST_DATABASE_URL"), log_dir=tmp_path)
    check(result)
    assert result["killed"] == {}
    assert result["verify"]["participants_in_db"] == PARTICIPANTS


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_server_killed_mid_burst_loses_no_acknowledged_answer(backend, tmp_path):
    """SIGKILL the server a third of the way in, start it again; the phones retry with the same keys."""
    result = run(
        backend, KILLED_PARTICIPANTS, kill=True, pg_url=os.environ.get("TEST_DATABASE_URL"), log_dir=tmp_path
    )
    check(result, KILLED_PARTICIPANTS)
    killed = result["killed"]
    assert killed, "the server was not killed"
    assert killed["pid"] == result["pid_before"] != result["pid_after"] == killed["new_pid"]
    assert result["connections_lost_and_retried"] > 0, "the kill hit no client: the test proved nothing"
    # A registration whose answer was lost may be sent again: at most one extra (empty) participant each.
    assert (
        KILLED_PARTICIPANTS
        <= result["verify"]["participants_in_db"]
        <= KILLED_PARTICIPANTS + result["register_retries"] + result["connections_lost_and_retried"]
    )
