"""The served app runs with a short GIL switch interval (app/server.py, SWITCH_INTERVAL).

waitress's main thread holds the GIL while it walks the open connections; the worker threads,
which let go of it at every database call, wait up to the interval to take it back. Under a
burst (bench/load_burst.py) Python's 5 ms made the room's answers queue behind the loop.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace

import app.server as server


def test_the_server_runs_with_the_short_switch_interval_and_gives_it_back(monkeypatch):
    seen = []

    class Served:
        effective_port = 5999

        def __init__(self):
            self.map = {}
            self.task_dispatcher = SimpleNamespace(shutdown=lambda: None)

        def run(self):
            seen.append(sys.getswitchinterval())

    monkeypatch.setattr("waitress.server.create_server", lambda app, **settings: Served())
    before = sys.getswitchinterval()
    server.serve(SimpleNamespace(config={}), "127.0.0.1", 5999, announce=False)
    assert seen == [server.SWITCH_INTERVAL]
    assert server.SWITCH_INTERVAL < 0.005 <= before  # shorter than Python's own
    assert sys.getswitchinterval() == before
