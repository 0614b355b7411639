"""A whole session's data, built through the app's services (fast: no HTTP for each answer)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CounselingSession, Phase, QuizVersion
from app.services import participants as psvc
from app.services import sessioninfo
from app.services import sessions as ssvc
from app.services.characteristics import CHARACTERISTICS
from app.services.sessioninfo import Member, SessionInfo
from bench._sessions import HELD_ON, open_post_test, open_session, take_test

EDUCATIONS = ["sd", "smp", "sma", "sma", "higher"]
OCCUPATIONS = ["housewife", "housewife", "private", "self_employed"]
#: A name that is markup and quotes: printed as typed, never interpreted.
NASTY = '<b>Siti & "Ani"</b>'
#: Every report detail filled (team, partner, funding, methods, media, duration, signatories).
DETAILS = SessionInfo(
    leader=Member("Dr. Rina Marlina, M.Keb", "NIDN", "0012038101"),
    members=(Member("Budi Santoso", "NIP", "19800101 200501 1 001"), Member(NASTY)),
    partner="Puskesmas Serpong 1",
    funding="LPPM Universitas Contoh",
    methods=("ceramah", "diskusi", "tanya_jawab"),
    media=("leaflet", "slides"),
    media_other="video animasi",
    duration_minutes=90,
    signatories=(
        Member("dr. Hendra Wijaya", "NIP", "197501012005011002", "Kepala Puskesmas Serpong 1"),
        Member("Prof. Sri Lestari", "NIDN", "0001016501", "Ketua LPPM"),
        Member("Dr. Rina Marlina, M.Keb", "NIDN", "0012038101", "Ketua Pelaksana"),
    ),
    signed_place="Tangerang Selatan",
    signed_on=date(2026, 11, 21),
)


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
    held_on=HELD_ON,
    characteristics: list[str] | None = None,
) -> Built:
    """A closed session of `owner` with n participants, built through the services and committed."""
    rng = random.Random(seed)
    quiz = latest(quiz_key)
    post_quiz = latest(post_quiz_key) if post_quiz_key else None
    session = open_session(
        owner,
        quiz,
        title,
        characteristics or ["age", "education", "occupation", "parity"],
        held_on=held_on,
        post_quiz_version=post_quiz,
        team="Tim KKN 07",
        institution="Puskesmas Contoh",
    )
    built = Built(session.id)
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
        if i not in drop_pre:
            built.answers[p.id]["pre"] = take_test(p, "pre", quiz, rng, 0.45, now)
    open_post_test(session)
    later = now + timedelta(minutes=30)
    order = list(range(n))
    rng.shuffle(order)  # post-tests are submitted in another order than registration
    for i in order:
        if i in drop_post:
            continue
        p = people[i]
        built.answers[p.id]["post"] = take_test(p, "post", post_quiz or quiz, rng, 0.8, later)
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


@pytest.fixture
def with_details(app, build_session, session_of, educator):
    """A closed session of 30 (one missed the pre-test, two the post-test) with every report detail (DETAILS)."""
    session = session_of(build_session(30, drop_pre=(3,), drop_post=(5, 9), seed=4))
    sessioninfo.update(session, DETAILS, actor=educator)
    db.session.commit()
    return session
