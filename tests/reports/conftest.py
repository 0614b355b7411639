"""A whole session's data, built through the app's services (fast: no HTTP for each answer)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Answer, CounselingSession, Phase, QuizVersion
from app.services import participants as psvc
from app.services import sessions as ssvc
from app.services.characteristics import CHARACTERISTICS

EDUCATIONS = ["sd", "smp", "sma", "sma", "higher"]
OCCUPATIONS = ["housewife", "housewife", "private", "self_employed"]


@dataclass
class Built:
    session_id: int
    #: participant id -> {"pre": [0/1 per knowledge question] or None, "post": ...}
    answers: dict[int, dict[str, list[int] | None]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    post_order: list[int] = field(default_factory=list)


def latest(quiz_key: str) -> QuizVersion:
    return db.session.scalar(
        select(QuizVersion).where(QuizVersion.quiz_key == quiz_key).order_by(QuizVersion.id.desc())
    )


def _answer_all(
    attempt, quiz: QuizVersion, rng: random.Random, p_correct: float, when: datetime
) -> list[int]:
    picks = []
    for q in quiz.knowledge_questions:
        right = rng.random() < p_correct
        options = [o for o in q.options if o.is_correct == right] or q.options
        option = rng.choice(options)
        picks.append(int(option.is_correct))
        db.session.add(
            Answer(
                attempt_id=attempt.id,
                question_id=q.id,
                option_id=option.id,
                client_key=uuid.uuid4().hex,
                chosen_at=when,
            )
        )
    db.session.flush()
    return picks


def _any_answer(key: str, rng: random.Random) -> str:
    spec = CHARACTERISTICS[key]
    if spec.kind == "choice":
        return rng.choice([code for code, _label in spec.choices])
    return str(rng.randint(spec.minimum or 0, min(spec.maximum or 40, 40)))


def build_data(
    owner,
    n: int = 20,
    *,
    names: list[str] | None = None,
    drop_pre=(),
    drop_post=(),
    quiz_key="produksi-asi",
    post_quiz_key=None,
    seed: int = 1,
    title="Edukasi Produksi ASI",
    held_on=date(2026, 11, 20),
    characteristics: list[str] | None = None,
) -> Built:
    """A closed session of `owner` with n participants, built through the services and committed."""
    rng = random.Random(seed)
    quiz = latest(quiz_key)
    post_quiz = latest(post_quiz_key) if post_quiz_key else None
    session = ssvc.create_session(
        owner,
        title=title,
        place="Posyandu Melati",
        held_on=held_on,
        quiz_version=quiz,
        post_quiz_version=post_quiz,
        characteristics=characteristics or ["age", "education", "occupation", "parity"],
        team="Tim KKN 07",
        institution="Puskesmas Contoh",
    )
    built = Built(session.id)
    ssvc.move_phase(session, Phase.PRE_OPEN)
    now = datetime.now(UTC)
    people = []
    for i in range(n):
        name = names[i] if names and i < len(names) else f"Ibu {i + 1:02d}"
        answers = {
            "age": str(rng.randint(17, 44)),
            "education": rng.choice(EDUCATIONS),
            "occupation": rng.choice(OCCUPATIONS),
            "parity": str(rng.randint(0, 5)),
        }
        if characteristics:  # any other characteristic asked: a choice or a number in its bounds
            answers = {key: answers.get(key) or _any_answer(key, rng) for key in characteristics}
        p = psvc.register(session, name=name, consent_at=now, characteristics=answers)
        people.append(p)
        built.names[p.id] = name
        built.answers[p.id] = {"pre": None, "post": None}
    for i, p in enumerate(people):
        if i in drop_pre:
            continue
        attempt = psvc.get_or_start_attempt(p, "pre")
        built.answers[p.id]["pre"] = _answer_all(attempt, quiz, rng, 0.45, now)
        psvc.submit_attempt(attempt, uuid.uuid4().hex)
    ssvc.move_phase(session, Phase.PRE_CLOSED)
    ssvc.move_phase(session, Phase.POST_OPEN)
    order = list(range(n))
    rng.shuffle(order)  # post-tests are submitted in another order than registration
    for i in order:
        if i in drop_post:
            continue
        p = people[i]
        attempt = psvc.get_or_start_attempt(p, "post")
        built.answers[p.id]["post"] = _answer_all(
            attempt, post_quiz or quiz, rng, 0.8, now + timedelta(minutes=30)
        )
        psvc.submit_attempt(attempt, uuid.uuid4().hex)
        built.post_order.append(p.id)
    ssvc.move_phase(session, Phase.CLOSED)
    db.session.commit()
    return built


@pytest.fixture
def build_session(app, educator):
    """build_session(n=20, names=None, drop_pre=(), drop_post=(), post_quiz_key=None, seed=1) -> Built."""

    def build(*args, owner=None, **kwargs) -> Built:
        return build_data(owner or educator, *args, **kwargs)

    return build


@pytest.fixture
def session_of(app):
    return lambda built: db.session.get(CounselingSession, built.session_id)
