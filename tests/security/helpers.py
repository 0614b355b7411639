"""Helpers shared by the security tests."""

from __future__ import annotations

import random

from app.extensions import db
from app.models import CounselingSession
from tests.conftest import Tablet, csrf_from


def answer_everything(tablet, session_id: int, kind: str, rng: random.Random | None = None) -> dict[str, str]:
    """Answer every question of the open test through the autosave API; returns question -> option."""
    target = db.session.get(CounselingSession, session_id)
    quiz = target.quiz_for(kind)
    rng = rng or random.Random(1)
    token = tablet.csrf_token(kind)
    picks = {}
    for q in quiz.questions:
        option = rng.choice(q.options).key
        response = tablet.answer_json(kind, q.key, option, csrf=token)
        assert response.status_code == 200, response.text
        picks[q.key] = option
    return picks


def both_tests_taken(app, educator_client, names) -> tuple[int, str, list]:
    """A closed session in which a mother of each of `names`, on her own tablet, took and handed in
    the pre- and the post-test (every question answered): its id, join code and the tablets."""
    sid, code = educator_client.open_pre_test()
    tablets = []
    for name in names:
        t = Tablet(app)
        t.register(code, name)
        answer_everything(t, sid, "pre")
        t.submit("pre")
        tablets.append(t)
    educator_client.move(sid, "pre_closed")
    educator_client.move(sid, "post_open")
    for t in tablets:
        answer_everything(t, sid, "post")
        t.submit("post")
    educator_client.move(sid, "closed")
    return sid, code, tablets


def login_redirect(client, page, target: str) -> str:
    """Log in as bidan from `page` (the login page, asked with next=`target`): the redirect's Location."""
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"username": "bidan", "password": "rahasia-123", "csrf_token": csrf_from(page.text)},
    )
    assert response.status_code == 302
    return response.headers["Location"]
