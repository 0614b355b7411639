"""Participants joining a session, their attempts, every answer and the final submit.

Idempotency lives in the schema: one answer row per (attempt, question) and
one attempt per (participant, kind). A resent answer becomes an upsert that
keeps the choice made latest on the tablet; a resent submit with the same key
is recognised; a submitted attempt is locked.
"""

from __future__ import annotations

import enum
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from analysis.scoring import percent_score
from app.extensions import AUTOSAVE_BIND, db
from app.models import Answer, Attempt, CounselingSession, Option, Participant, Question
from app.models._time import utcnow
from app.models.types import UTCDateTime
from app.services import certificates, codes


class ParticipantError(Exception):
    """A participant action the session's state does not allow; `code` names which."""

    def __init__(self, code: str, status: int = 409):
        super().__init__(code)
        self.code = code
        self.status = status


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(model)


def find_session_by_join_code(raw_code: str) -> CounselingSession | None:
    code = codes.normalize(raw_code)
    if not code:
        return None
    return db.session.scalar(select(CounselingSession).where(CounselingSession.join_code == code))


def find_participant(session: CounselingSession, raw_code: str) -> Participant:
    """The participant with this personal code in this session, or ParticipantError."""
    code = codes.normalize(raw_code)
    participant = (
        db.session.scalar(select(Participant).where(Participant.personal_code == code)) if code else None
    )
    if participant is None:
        raise ParticipantError("unknown_personal_code", 404)
    if participant.session_id != session.id:
        raise ParticipantError("personal_code_other_session", 403)
    return participant


def register(
    session: CounselingSession, *, name: str, characteristics: dict, consent_at: datetime, lang: str = "id"
) -> Participant:
    """Add a participant who agreed to the consent statement, with a fresh personal code."""
    if not session.joinable:
        raise ParticipantError("session_not_joinable")
    for _ in range(20):
        code = codes.new_code(codes.PERSONAL_CODE_LENGTH)
        if not db.session.scalar(select(Participant.id).where(Participant.personal_code == code)):
            break
    participant = Participant(
        session_id=session.id,
        personal_code=code,
        name=name.strip(),
        characteristics={k: v for k, v in characteristics.items() if k in session.characteristics},
        consent_at=consent_at,
        lang=lang,
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def get_or_start_attempt(participant: Participant, kind: str) -> Attempt:
    """The participant's attempt of this kind, started now when the test is open."""
    session = participant.session
    existing = participant.attempt(kind)
    if existing is not None:
        return existing
    if session.open_kind() != kind:
        raise ParticipantError("phase_not_open")
    quiz = session.quiz_for(kind)
    # Two tablets may start the same attempt at once: insert-or-ignore, then read.
    db.session.execute(
        _insert(Attempt)
        .values(participant_id=participant.id, kind=kind, quiz_version_id=quiz.id, started_at=utcnow())
        .on_conflict_do_nothing(index_elements=["participant_id", "kind"])
    )
    db.session.expire(participant, ["attempts"])
    return participant.attempt(kind)


class AnswerOutcome(str, enum.Enum):
    STORED = "stored"  # a new or later choice, now stored
    DUPLICATE = "duplicate"  # the same choice (same key) was stored already
    SUPERSEDED = "superseded"  # a later choice for this question is stored; this one is ignored


@dataclass(frozen=True)
class AnswerResult:
    outcome: AnswerOutcome
    question_key: str
    option_key: str


@dataclass(frozen=True)
class QuizIndex:
    """Question and option ids of one quiz version, by key."""

    questions: dict[str, tuple[int, dict[str, int]]]


#: Quiz versions are never edited or deleted by the app, so their key -> id maps are kept for the
#: process's life, per database (one process may serve several databases, as the tests do).
_QUIZ_INDEX: dict[tuple[str, int], QuizIndex] = {}


def clear_quiz_index() -> None:
    """Forget the cached maps (for tests that delete quiz versions)."""
    _QUIZ_INDEX.clear()


def quiz_index(quiz_version_id: int) -> QuizIndex:
    """The key -> id maps of a quiz version, read once per process and database."""
    cache_key = (db.engine.url.render_as_string(hide_password=True), quiz_version_id)
    index = _QUIZ_INDEX.get(cache_key)
    if index is None:
        rows = db.session.execute(
            select(Question.key, Question.id, Option.key, Option.id)
            .join(Option, Option.question_id == Question.id)
            .where(Question.quiz_version_id == quiz_version_id)
        ).all()
        questions: dict[str, tuple[int, dict[str, int]]] = {}
        for q_key, q_id, o_key, o_id in rows:
            questions.setdefault(q_key, (q_id, {}))[1][o_key] = o_id
        index = QuizIndex(questions)
        if questions:
            _QUIZ_INDEX[cache_key] = index
    return index


def record_answer(
    attempt: Attempt,
    question_key: str,
    option_key: str,
    client_key: str,
    chosen_at: datetime | None = None,
) -> AnswerResult:
    """Store a chosen option once, keeping the latest choice per question.

    The common case is one statement: an upsert that writes only when the
    choice is new (another key) and made at the same time or later on the
    tablet. Only when it writes nothing is the stored row read, to tell a
    resent answer (same key) from an older one that arrived late.
    """
    session = attempt.participant.session
    # Read "submitted" with the attempt row locked FOR SHARE until this answer commits, so a
    # submit of the same attempt cannot score without it (see _STORE_CHOICE; SQLite, which
    # has no row locks, lets one writer at a time in).
    submitted_at = db.session.scalar(
        select(Attempt.submitted_at).where(Attempt.id == attempt.id).with_for_update(read=True)
    )
    if submitted_at is not None:
        raise ParticipantError("attempt_submitted")
    if session.open_kind() != attempt.kind:
        raise ParticipantError("phase_not_open")
    entry = quiz_index(attempt.quiz_version_id).questions.get(question_key)
    if entry is None:
        raise ParticipantError("unknown_question", 422)
    question_id, options = entry
    option_id = options.get(option_key)
    if option_id is None:
        raise ParticipantError("unknown_option", 422)
    chosen_at = chosen_at or utcnow()
    if chosen_at.tzinfo is None:
        chosen_at = chosen_at.replace(tzinfo=UTC)

    stmt = _insert(Answer).values(
        attempt_id=attempt.id,
        question_id=question_id,
        option_id=option_id,
        client_key=client_key,
        chosen_at=chosen_at,
        received_at=utcnow(),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={
            "option_id": stmt.excluded.option_id,
            "client_key": stmt.excluded.client_key,
            "chosen_at": stmt.excluded.chosen_at,
            "received_at": stmt.excluded.received_at,
        },
        where=(Answer.chosen_at <= stmt.excluded.chosen_at) & (Answer.client_key != stmt.excluded.client_key),
    ).returning(Answer.id)
    if db.session.execute(stmt).first() is not None:
        return AnswerResult(AnswerOutcome.STORED, question_key, option_key)
    stored_key = db.session.scalar(
        select(Answer.client_key).where(Answer.attempt_id == attempt.id, Answer.question_id == question_id)
    )
    outcome = AnswerOutcome.DUPLICATE if stored_key == client_key else AnswerOutcome.SUPERSEDED
    return AnswerResult(outcome, question_key, option_key)


#: The autosave's common case as one statement: the participant's attempt of this kind, not
#: submitted, while its test is open; the question and option by key within the attempt's quiz
#: version; stored when it is a new choice made at the same time or later on the tablet. The
#: checks and the write are one statement, so no other request can come between them. One
#: row written (inserted, or updated by a newer choice) means stored; none, anything else.
#: On PostgreSQL the attempt row is locked FOR SHARE while the statement runs: a submit of the
#: same attempt (an UPDATE of that row) waits for it and then scores the answer, and an answer
#: that arrives while a submit is committing waits, sees the attempt submitted and writes
#: nothing. SQLite lets one writer at a time in, which gives the same order.
_STORE_CHOICE = """
INSERT INTO answer (attempt_id, question_id, option_id, client_key, chosen_at, received_at)
SELECT a.id, q.id, o.id, {key}, {chosen_at}, {received_at}
FROM attempt AS a
JOIN participant AS p ON p.id = a.participant_id
JOIN counseling_session AS s ON s.id = p.session_id
JOIN question AS q ON q.quiz_version_id = a.quiz_version_id AND q."key" = {question}
JOIN "option" AS o ON o.question_id = q.id AND o."key" = {option}
WHERE a.participant_id = {participant} AND a.kind = {kind} AND a.submitted_at IS NULL AND s.phase = {phase}
{lock}
ON CONFLICT (attempt_id, question_id) DO UPDATE SET
    option_id = excluded.option_id, client_key = excluded.client_key,
    chosen_at = excluded.chosen_at, received_at = excluded.received_at
WHERE answer.chosen_at <= excluded.chosen_at AND answer.client_key <> excluded.client_key
"""
OPEN_PHASE = {"pre": "pre_open", "post": "post_open"}
#: Per dialect: the statement in the driver's parameter style and the time converter.
_STORE_CHOICE_SQL: dict[str, tuple[str, object]] = {}


def store_choice_sql(dialect_name: str) -> str:
    """The autosave statement for sqlite3 (":name") or psycopg ("%(name)s") parameters.

    Parameters: key, chosen_at, received_at, question, option, participant, kind, phase
    (OPEN_PHASE[kind]). Also run by bench/_bare.py, the baseline of the autosave benchmark.
    """
    names = ("key", "chosen_at", "received_at", "question", "option", "participant", "kind", "phase")
    style = ":{}" if dialect_name == "sqlite" else "%({})s"
    lock = "" if dialect_name == "sqlite" else "FOR SHARE OF a"
    return _STORE_CHOICE.format(lock=lock, **{n: style.format(n) for n in names})


def _store_choice_sql(dialect) -> tuple[str, object]:
    prepared = _STORE_CHOICE_SQL.get(dialect.name)
    if prepared is None:
        # The same time conversion as the ORM's (SQLite keeps UTC text whose order is the time order).
        to_db = UTCDateTime().dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)
        prepared = _STORE_CHOICE_SQL[dialect.name] = (store_choice_sql(dialect.name), to_db)
    return prepared


def store_new_choice(
    participant_id: int,
    kind: str,
    question_key: str,
    option_key: str,
    client_key: str,
    chosen_at: datetime | None,
    engine=None,
) -> bool:
    """The autosave's common case in one statement; True when the choice was stored.

    False means nothing was written: no such attempt (not started, submitted, test
    closed), an unknown question or option, a resent answer or an older one arriving
    late. `record_answer` then tells which, with the full checks. `engine` is the app's
    autosave engine (`db.engines[AUTOSAVE_BIND]`), for a caller outside an app context.
    """
    phase = OPEN_PHASE.get(kind)
    if phase is None:
        return False
    chosen_at = chosen_at or utcnow()
    if chosen_at.tzinfo is None:
        chosen_at = chosen_at.replace(tzinfo=UTC)
    engine = engine if engine is not None else db.engines[AUTOSAVE_BIND]
    sql, to_db = _store_choice_sql(engine.dialect)
    params = {
        "key": client_key,
        "chosen_at": to_db(chosen_at),
        "received_at": to_db(utcnow()),
        "question": question_key,
        "option": option_key,
        "participant": participant_id,
        "kind": kind,
        "phase": phase,
    }
    # One statement, its own transaction (an autocommit connection): on SQLite the write lock
    # is taken and released inside the call, not held while this thread waits for the GIL.
    # The pool's DBAPI connection is used directly: the statement needs no result object.
    with closing(engine.raw_connection()) as connection, closing(connection.cursor()) as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def answers_of(attempt: Attempt) -> dict[str, str]:
    """Question key -> chosen option key, for the attempt."""
    rows = db.session.execute(
        select(Question.key, Option.key)
        .select_from(Answer)
        .join(Question, Answer.question_id == Question.id)
        .join(Option, Answer.option_id == Option.id)
        .where(Answer.attempt_id == attempt.id)
    ).all()
    return dict(rows)


def _score(attempt: Attempt) -> None:
    quiz = attempt.quiz_version
    n_scored = sum(1 for q in quiz.questions if q.scored)
    n_correct = db.session.scalar(
        select(func.count(Answer.id))
        .join(Option, Answer.option_id == Option.id)
        .where(Answer.attempt_id == attempt.id, Option.is_correct.is_(True))
    )
    attempt.n_scored = n_scored
    attempt.n_correct = n_correct or 0
    attempt.score = percent_score(attempt.n_correct, n_scored) if n_scored else None
    likert = db.session.execute(
        select(Option.value, Question.reverse)
        .select_from(Answer)
        .join(Option, Answer.option_id == Option.id)
        .join(Question, Answer.question_id == Question.id)
        .where(Answer.attempt_id == attempt.id, Question.type == "likert")
    ).all()
    if likert:
        scale = {q.id: len(q.options) for q in quiz.questions if q.type == "likert"}
        max_points = max(scale.values())
        points = [(max_points + 1 - v) if rev else v for v, rev in likert]
        attempt.attitude_score = sum(points) / len(points)


class SubmitOutcome(str, enum.Enum):
    SUBMITTED = "submitted"
    DUPLICATE = "duplicate"


def submit_attempt(attempt: Attempt, submit_key: str) -> SubmitOutcome:
    """Lock the attempt and score it; the same submit sent twice is stored once."""
    if attempt.submitted:
        if attempt.submit_key == submit_key:
            return SubmitOutcome.DUPLICATE
        raise ParticipantError("attempt_submitted")
    if attempt.participant.session.open_kind() != attempt.kind:
        raise ParticipantError("phase_not_open")
    now = utcnow()
    # The WHERE makes the lock atomic when two submits race.
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=now, submit_key=submit_key)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if not result.rowcount:
        if attempt.submit_key == submit_key:
            return SubmitOutcome.DUPLICATE
        raise ParticipantError("attempt_submitted")
    _score(attempt)
    if attempt.kind == "post":
        certificates.issue(attempt.participant)  # issued by the event, numbered within the session
    db.session.flush()
    return SubmitOutcome.SUBMITTED


def next_step(participant: Participant) -> str:
    """Where the participant belongs now: 'pre', 'post', 'wait', 'result' or 'closed'."""
    session = participant.session
    open_kind = session.open_kind()
    pre, post = participant.attempt("pre"), participant.attempt("post")
    if post is not None and post.submitted:
        return "result"
    if open_kind == "post":
        return "post"
    if open_kind == "pre" and not (pre and pre.submitted):
        return "pre"
    if session.phase.value == "closed":
        return "result" if (pre and pre.submitted) else "closed"
    return "wait"
