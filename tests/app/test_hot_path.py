"""What every request runs, computed once: the app's `ensure_sync` remembers its answer per function."""

from __future__ import annotations

import inspect

from app import EduAsi


def test_ensure_sync_asks_inspect_once_per_function(app, monkeypatch):
    asked = []
    real = inspect.iscoroutinefunction
    monkeypatch.setattr("flask.app.iscoroutinefunction", lambda f: asked.append(f) or real(f))

    def hook():
        return None

    assert app.ensure_sync(hook) is hook
    assert app.ensure_sync(hook) is hook
    assert asked == [hook]


def test_ensure_sync_starts_over_when_full_and_serves_unhashable_callables(app, monkeypatch):
    monkeypatch.setattr(EduAsi, "remembered_sync_functions", 2)
    functions = [lambda: i for i in range(3)]
    for f in functions:
        assert app.ensure_sync(f) is f
    assert len(app._sync_functions) == 1

    class Unhashable:
        __hash__ = None

        def __call__(self):
            return "called"

    unhashable = Unhashable()
    assert app.ensure_sync(unhashable) is unhashable


def test_every_hook_of_a_request_is_remembered(app, client):
    assert client.get("/").status_code in (200, 302)
    remembered = set(app._sync_functions)
    for hook in app.before_request_funcs[None] + app.after_request_funcs[None]:
        assert hook in remembered
