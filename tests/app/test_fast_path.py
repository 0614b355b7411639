"""The autosave fast path (app/participant/fastpath.py) answers exactly as the Flask view does.

Two phones in one session send the same requests, one with AUTOSAVE_FAST_PATH on and one with
it off: every response (status, body, headers) and the stored answers must be the same. A
counter on the view shows the fast path really served the common case, and only that.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.extensions import db, limiter
from app.models import Answer, Attempt, Participant
from tests.app.test_bad_input import open_session
from tests.app.test_session_flow import quiz_from_file
from tests.conftest import Tablet


@pytest.fixture
def view_calls(app, monkeypatch):
    """How many requests the fast path handed to Flask."""
    from app.participant.fastpath import AutosaveFastPath

    calls = []
    layer = app.wsgi_app
    while not isinstance(layer, AutosaveFastPath):
        layer = layer.app if hasattr(layer, "app") and not hasattr(layer, "wsgi_app") else layer.wsgi_app
    flask_app = layer.wsgi_app

    def counting(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return flask_app(environ, start_response)

    monkeypatch.setattr(layer, "wsgi_app", counting)
    return calls


def requests_of_a_phone(questions, own_token, other_token):
    """(label, path, keyword arguments for client.post, served by the fast path?)"""
    q0, q1, q2, q3 = questions[:4]
    t0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

    def answer(q, option=None, key=None, at=None, **extra):
        body = {"kind": "pre", "question": q["key"], "option": option or q["correct"], "key": key or "k-" + q["key"],
                "chosen_at": (at or t0).isoformat()}
        body.update(extra)
        return body

    header = {"X-CSRFToken": own_token}
    return [
        ("new answer", "/api/answer", {"json": answer(q0), "headers": header}, True),
        ("changed answer", "/api/answer", {"json": answer(q0, q0["options"][-1], "k2", t0 + timedelta(seconds=5)),
                                           "headers": header}, True),
        ("resent", "/api/answer", {"json": answer(q0, q0["options"][-1], "k2", t0 + timedelta(seconds=5)),
                                   "headers": header}, False),
        ("older, arriving late", "/api/answer", {"json": answer(q0, key="k-old", at=t0 - timedelta(seconds=5)),
                                                 "headers": header}, False),
        ("epoch milliseconds", "/api/answer", {"json": answer(q1, at=None, chosen_at=str(int(t0.timestamp() * 1000))),
                                               "headers": header}, True),
        ("no time", "/api/answer", {"json": {k: v for k, v in answer(q2).items() if k != "chosen_at"},
                                    "headers": header}, True),
        ("unknown question", "/api/answer", {"json": answer({**q3, "key": "no-such-question"}), "headers": header},
         False),
        ("unknown option", "/api/answer", {"json": answer(q3, option="zz"), "headers": header}, False),
        ("unknown kind", "/api/answer", {"json": answer(q3, kind="middle"), "headers": header}, False),
        ("post-test not open", "/api/answer", {"json": answer(q3, kind="post"), "headers": header}, False),
        ("no token", "/api/answer", {"json": answer(q3)}, False),
        ("forged token", "/api/answer", {"json": answer(q3), "headers": {"X-CSRFToken": "forged"}}, False),
        ("another phone's token", "/api/answer", {"json": answer(q3), "headers": {"X-CSRFToken": other_token}}, False),
        ("not JSON", "/api/answer", {"data": b"{not json", "content_type": "application/json", "headers": header},
         False),
        ("a JSON list", "/api/answer", {"json": [1, 2], "headers": header}, False),
        ("a field too long", "/api/answer", {"json": answer(q3, key="x" * 65), "headers": header}, False),
        ("a number for a key", "/api/answer", {"json": answer(q3, key=5), "headers": header}, False),
        ("NUL in the body", "/api/answer", {"json": answer(q3, key="a\x00b"), "headers": header}, False),
        ("JSON nested too deep", "/api/answer",
         {"data": b"[" * 1000 + b"]" * 1000, "content_type": "application/json", "headers": header}, False),
        ("text/plain", "/api/answer", {"data": b'{"kind": "pre"}', "content_type": "text/plain", "headers": header},
         False),
        ("a query string", "/api/answer?x=1", {"json": answer(q3), "headers": header}, False),
        ("answered after the query string", "/api/answer",
         {"json": answer(q3, q3["options"][0], "k3", t0 + timedelta(seconds=9)), "headers": header}, True),
    ]


def comparable(response) -> tuple:
    headers = sorted((k, v) for k, v in response.headers.items() if k not in ("Content-Length",))
    return response.status_code, response.get_data(as_text=True), headers


def stored(participant_id: int) -> dict:
    rows = db.session.execute(
        select(Answer.question_id, Answer.option_id, Answer.client_key, Answer.chosen_at)
        .join(Attempt, Attempt.id == Answer.attempt_id).where(Attempt.participant_id == participant_id)
    ).all()
    # Times differ only where the phone sent none (the server's clock then).
    return {r.question_id: (r.option_id, r.client_key) for r in rows}


def test_the_fast_path_answers_as_the_view_does(app, educator_client, view_calls, monkeypatch):
    session = open_session(educator_client)
    fast, slow = Tablet(app), Tablet(app)
    fast.register(session.join_code, "Ani")
    slow.register(session.join_code, "Budi")
    fast_token, slow_token = fast.csrf_token("pre"), slow.csrf_token("pre")
    questions = quiz_from_file("produksi-asi")
    for (label, path, fast_kwargs, served_fast), (_, _, slow_kwargs, _) in zip(
        requests_of_a_phone(questions, fast_token, slow_token), requests_of_a_phone(questions, slow_token, fast_token)
    ):
        view_calls.clear()
        monkeypatch.setitem(app.config, "AUTOSAVE_FAST_PATH", True)
        on = fast.client.post(path, **fast_kwargs)
        assert len(view_calls) == (0 if served_fast else 1), label
        view_calls.clear()
        monkeypatch.setitem(app.config, "AUTOSAVE_FAST_PATH", False)
        off = slow.client.post(path, **slow_kwargs)
        assert len(view_calls) == 1, label
        assert comparable(on) == comparable(off), label
        assert on.status_code in (200, 400, 401, 404, 409, 422), (label, on.status_code)
    ids = dict(db.session.execute(select(Participant.name, Participant.id)).all())
    assert stored(ids["Ani"]) and stored(ids["Ani"]) == stored(ids["Budi"])


def test_without_a_session_or_in_a_closed_test_the_view_answers(app, educator_client, view_calls):
    session = open_session(educator_client)
    tab = Tablet(app)
    tab.register(session.join_code, "Citra")
    token = tab.csrf_token("pre")
    q = quiz_from_file("produksi-asi")[0]
    body = {"kind": "pre", "question": q["key"], "option": q["correct"], "key": "k1"}
    view_calls.clear()
    stranger = app.test_client().post("/api/answer", json=body, headers={"X-CSRFToken": token})
    assert stranger.status_code == 400 and stranger.get_json()["error"] == "csrf"  # no session, so no token fits
    assert len(view_calls) == 1
    educator_client.move(session.id, "pre_closed")
    view_calls.clear()
    closed = tab.client.post("/api/answer", json=body, headers={"X-CSRFToken": token})
    assert len(view_calls) == 1
    assert closed.status_code == 409 and closed.get_json()["ok"] is False
    assert db.session.scalars(select(Answer)).all() == []


def test_the_fast_path_skips_no_hook_and_no_limit(app):
    """The fast path answers without Flask's hooks; this lists what it stands in for. A new
    hook, or a rate limit on the autosave, needs the fast path reviewed (or turned off)."""
    before = {f.__qualname__ for funcs in app.before_request_funcs.values() for f in funcs}
    assert before <= {"CSRFProtect.init_app.<locals>.csrf_protect", "register.<locals>.refuse_nul",
                      "Limiter._check_request_limit"}, before
    after = {f.__qualname__ for funcs in app.after_request_funcs.values() for f in funcs}
    assert after <= {"LoginManager._update_remember_cookie"}, after  # the fast path refuses "_remember" sessions
    assert not app.url_value_preprocessors and not app.url_default_functions.get("participant")
    assert not app.config.get("RATELIMIT_DEFAULT") and not app.config.get("RATELIMIT_APPLICATION")
    manager = limiter.limit_manager
    assert not manager._application_limits and not manager._default_limits
    assert "participant" not in manager._blueprint_limits
    assert limiter._marked_for_limiting, "the limited views should be listed here"
    assert not [name for name in limiter._marked_for_limiting if "api_answer" in name]
