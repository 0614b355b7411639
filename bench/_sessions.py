"""Sessions and simulated answers written through the app's models and services, for the benchmarks
that fill a database (bench_reports.py) and the report tests' fixtures (tests/reports).

Fast: an answer is an ORM row added to the session, flushed once a test, with no request and no
autosave statement; the attempt is started and submitted (scored) by the app's own services.
The random choices are drawn in a fixed order (per question: right or not, then the option), so a
seed gives the same answers whichever caller draws them.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from app.extensions import db
from app.models import (
    Answer,
    Attempt,
    CounselingSession,
    Educator,
    Option,
    Participant,
    Phase,
    Question,
    QuizVersion,
)
from app.services import participants as psvc
from app.services import sessions as ssvc

HELD_ON = date(2026, 11, 20)


def open_session(
    educator: Educator, quiz: QuizVersion, title: str, characteristics: Sequence[str], **details: Any
) -> CounselingSession:
    """A session at Posyandu Melati (held on HELD_ON unless `details` say otherwise), its pre-test open;
    `details`: create_session's other arguments."""
    details.setdefault("held_on", HELD_ON)
    session = ssvc.create_session(
        educator,
        title=title,
        place="Posyandu Melati",
        quiz_version=quiz,
        characteristics=list(characteristics),
        **details,
    )
    ssvc.move_phase(session, Phase.PRE_OPEN)
    return session


def open_post_test(session: CounselingSession) -> None:
    """Close the pre-test and open the post-test."""
    ssvc.move_phase(session, Phase.PRE_CLOSED)
    ssvc.move_phase(session, Phase.POST_OPEN)


def knowledge_choice(question: Question, rng: random.Random, p_correct: float) -> Option:
    """Right with probability p_correct, then one of the right (or wrong) options at random; any option
    when the question has none of that kind."""
    right = rng.random() < p_correct
    return rng.choice([o for o in question.options if o.is_correct == right] or question.options)


def add_answer(attempt: Attempt, question: Question, option: Option, when: datetime) -> None:
    """The attempt's answer to the question (not flushed)."""
    db.session.add(
        Answer(
            attempt_id=attempt.id,
            question_id=question.id,
            option_id=option.id,
            client_key=uuid.uuid4().hex,
            chosen_at=when,
        )
    )


def answer_knowledge(
    attempt: Attempt, questions: Iterable[Question], rng: random.Random, p_correct: float, when: datetime
) -> list[int]:
    """Answer each question (`knowledge_choice`) and flush; 1 or 0 per question, right or not."""
    picks = []
    for question in questions:
        option = knowledge_choice(question, rng, p_correct)
        add_answer(attempt, question, option, when)
        picks.append(int(option.is_correct))
    db.session.flush()
    return picks


def take_test(
    participant: Participant,
    kind: str,
    quiz: QuizVersion,
    rng: random.Random,
    p_correct: float,
    when: datetime,
) -> list[int]:
    """The participant starts the test of `kind` (open), answers its knowledge questions and hands it in;
    1 or 0 per question, right or not."""
    attempt = psvc.get_or_start_attempt(participant, kind)
    picks = answer_knowledge(attempt, quiz.knowledge_questions, rng, p_correct, when)
    psvc.submit_attempt(attempt, uuid.uuid4().hex)
    return picks
