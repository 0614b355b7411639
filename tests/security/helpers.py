"""Helpers shared by the security tests."""

from __future__ import annotations

import random

from app.extensions import db
from app.models import CounselingSession


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
