"""Participants joining a session, their attempts, every answer and the final submit.

Idempotency lives in the schema: one answer row per (attempt, question) and
one attempt per (participant, kind). A resent answer becomes an upsert that
keeps the choice with the highest sequence number of the attempt (counted by the
tablet; never its clock); a resent submit with the same key is recognised; a
submitted attempt is locked; a registration sent twice adds one participant.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from sqlalchemy import (
    ClauseElement,
    Integer,
    String,
    TextClause,
    bindparam,
    exists,
    func,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.sql.compiler import SQLCompiler

from analysis.scoring import percent_score
from app.extensions import db
from app.models import (
    Answer,
    Attempt,
    AuditLog,
    CounselingSession,
    Option,
    Participant,
    Phase,
    Question,
)
from app.models._time import utcnow
from app.models.identity import new_uuid
from app.models.types import UTCDateTime
from app.services import certificates, codes


class ParticipantError(Exception):
    """A participant action the session's state does not allow; `code` names which."""

    def __init__(self, code: str, status: int = 409):
        super().__init__(code)
        self.code = code
        self.status = status


def _dialect(name: str) -> ModuleType:
    """SQLAlchemy's dialect module of the database in use (postgresql or sqlite): its INSERT ... ON
    CONFLICT and its compiler. Only that one is imported (its engine has loaded it already): a SQLite
    laptop never loads PostgreSQL's dialect at start, nor a PostgreSQL server SQLite's."""
    return importlib.import_module(
        "sqlalchemy.dialects.postgresql" if name == "postgresql" else "sqlalchemy.dialects.sqlite"
    )


def _insert(model):
    return _dialect(db.session.get_bind().dialect.name).insert(model)


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
    session: CounselingSession,
    *,
    name: str,
    characteristics: dict,
    consent_at: datetime,
    lang: str = "id",
    consent_token: str | None = None,
) -> Participant:
    """Add a participant who agreed to the consent statement, with a fresh personal code.

    `consent_token` is the one-time token of her consent step: the same registration sent
    again (a double tap, a form resent by the browser, two posts at once) returns the
    participant it added instead of adding another. The unique column decides, so two posts
    racing each other add one row.
    """
    if not session.joinable:
        raise ParticipantError("session_not_joinable")
    if consent_token is not None:
        existing = db.session.scalar(select(Participant).where(Participant.consent_token == consent_token))
        if existing is not None:
            return _same_session(existing, session)
    for _ in range(20):
        code = codes.new_code(codes.PERSONAL_CODE_LENGTH)
        if not db.session.scalar(select(Participant.id).where(Participant.personal_code == code)):
            break
    values = {
        "uuid": new_uuid(),
        "session_id": session.id,
        "personal_code": code,
        "name": name.strip(),
        "characteristics": {k: v for k, v in characteristics.items() if k in session.characteristics},
        "consent_at": consent_at,
        "lang": lang,
        "consent_token": consent_token,
        "created_at": utcnow(),
    }
    stmt = _insert(Participant).values(**values)
    if consent_token is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=["consent_token"])
    db.session.execute(stmt)
    if consent_token is None:
        return db.session.scalars(select(Participant).where(Participant.personal_code == code)).one()
    return _same_session(
        db.session.scalars(select(Participant).where(Participant.consent_token == consent_token)).one(),
        session,
    )


def _same_session(participant: Participant, session: CounselingSession) -> Participant:
    if participant.session_id != session.id:
        raise ParticipantError("session_not_joinable")
    return participant


def remember_language(participant: Participant, lang: str) -> None:
    """Keep the language she uses now, for when she continues on another tablet."""
    if lang in ("id", "en") and participant.lang != lang:
        participant.lang = lang


def resumed(participant: Participant) -> None:
    """Trace that she continued with her personal code (on this or another tablet)."""
    _trace("participant.resume", participant.session_id, participant=participant.id)


def get_or_start_attempt(participant: Participant, kind: str) -> Attempt:
    """The participant's attempt of this kind, started now when the test is open."""
    existing = participant.attempt(kind)
    if existing is not None:
        return existing
    if participant.session.open_kind() != kind:
        raise ParticipantError("phase_not_open")
    start_attempt(participant.id, kind)
    db.session.expire(participant, ["attempts"])
    started = participant.attempt(kind)
    assert started is not None  # inserted above, or by the other tablet
    return started


def start_attempt(participant_id: int, kind: str) -> None:
    """Start her attempt of this kind, with its test's quiz, if that test is open: one statement.

    Insert-or-ignore: two tablets starting the same attempt at once make one. Nothing is
    inserted when the test is not open (the caller tells why). A room's first answers all start
    an attempt within seconds, so this loads no participant, session or quiz, and its SQL is
    compiled once (`compiled`).
    """
    stmt = compiled(f"start_attempt:{kind}", db.session.get_bind().dialect.name, _start_statement)
    db.session.execute(
        stmt,
        {
            "participant": participant_id,
            "phase": OPEN_PHASE[kind].value,
            "kind": kind,
            "started_at": utcnow(),
            "uuid": new_uuid(),
        },
    )


def _start_statement(dialect_name: str, kind: str):
    p, s = Participant.__table__, CounselingSession.__table__
    source = (
        select(
            bindparam("uuid", type_=String()),
            p.c.id,
            bindparam("kind", type_=String()),
            CounselingSession.quiz_version_id_of(kind),
            bindparam("started_at", type_=UTCDateTime()),
        )
        .select_from(p.join(s, s.c.id == p.c.session_id))
        .where(p.c.id == bindparam("participant"), s.c.phase == bindparam("phase"))
    )
    return (
        _dialect(dialect_name)
        .insert(Attempt.__table__)
        .from_select(["uuid", "participant_id", "kind", "quiz_version_id", "started_at"], source)
        .on_conflict_do_nothing(index_elements=["participant_id", "kind"])
    )


class AnswerOutcome(str, enum.Enum):
    STORED = "stored"  # a new choice, or a later one than the stored choice: now stored
    DUPLICATE = "duplicate"  # this very choice (same key) is the stored one: resent
    SUPERSEDED = "superseded"  # a later choice is stored; this one was not kept


@dataclass(frozen=True)
class AnswerResult:
    outcome: AnswerOutcome
    question_key: str
    #: The option now stored for the question (for SUPERSEDED: not the one sent), and its sequence number.
    option_key: str
    seq: int


#: The open phase of each kind of test: an answer is stored only while its test is open.
OPEN_PHASE = {"pre": Phase.PRE_OPEN, "post": Phase.POST_OPEN, "followup": Phase.FOLLOWUP_OPEN}
#: The largest sequence number a tablet may send (the column is a 32-bit integer everywhere).
MAX_SEQ = 2**31 - 1


def choice_statement(dialect_name: str):
    """The one statement that stores a choice, with every rule of an answer in its WHERE clauses.

    It inserts the answer of the participant's attempt of this kind when the attempt is not
    submitted, its test is open, and the question and option (by key) are the attempt's quiz
    version's; on a second choice for the same question it replaces the stored one only when
    the new one is another choice (another key) with the same or a higher sequence number
    (`seq`, counted up by the tablet; on a tie the later arrival wins), and keeps the replaced
    option and a count of changes on the row. A row returned means stored; none means
    something else, which `record_answer` then tells.

    The checks and the write are one statement, inside the request's transaction: SQLite runs a
    transaction's first write under its write lock on the newest data, so no submit and no
    closing of the test can come between the checks and the write. On PostgreSQL the attempt
    and session rows are locked FOR SHARE: a submit (an UPDATE of the attempt) or the closing of
    the test (an UPDATE of the session) waits for answers being stored, and an answer arriving
    while either commits waits, then sees the attempt submitted or the test closed.

    Parameters: participant, kind, phase (OPEN_PHASE[kind]), question, option, key, seq,
    chosen_at, received_at, uuid (of a new row). Compiled once per dialect (`compiled`).
    """
    a, p, s = Attempt.__table__, Participant.__table__, CounselingSession.__table__
    q, o, ans = Question.__table__, Option.__table__, Answer.__table__
    source = (
        select(
            a.c.id,
            q.c.id,
            o.c.id,
            bindparam("key", type_=String()),
            bindparam("seq", type_=Integer()),
            bindparam("chosen_at", type_=UTCDateTime()),
            bindparam("received_at", type_=UTCDateTime()),
            bindparam("uuid", type_=String()),
        )
        .select_from(
            a.join(p, p.c.id == a.c.participant_id)
            .join(s, s.c.id == p.c.session_id)
            .join(q, (q.c.quiz_version_id == a.c.quiz_version_id) & (q.c.key == bindparam("question")))
            .join(o, (o.c.question_id == q.c.id) & (o.c.key == bindparam("option")))
        )
        .where(
            a.c.participant_id == bindparam("participant"),
            a.c.kind == bindparam("kind"),
            a.c.submitted_at.is_(None),
            s.c.phase == bindparam("phase"),
        )
    )
    if dialect_name == "postgresql":
        source = source.with_for_update(read=True, of=[a, s])
    insert = _dialect(dialect_name).insert(ans)
    stmt = insert.from_select(
        ["attempt_id", "question_id", "option_id", "client_key", "seq", "chosen_at", "received_at", "uuid"],
        source,
        include_defaults=False,
    )
    return stmt.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={
            "option_id": stmt.excluded.option_id,
            "client_key": stmt.excluded.client_key,
            "seq": stmt.excluded.seq,
            "chosen_at": stmt.excluded.chosen_at,
            "received_at": stmt.excluded.received_at,
            "changes": ans.c.changes + literal_column("1"),
            "previous_option_id": ans.c.option_id,
        },
        where=(ans.c.seq <= stmt.excluded.seq) & (ans.c.client_key != stmt.excluded.client_key),
    ).returning(ans.c.id)


_COMPILED: dict[tuple[str, str], TextClause] = {}


def compiled(name: str, dialect_name: str, build: Callable[..., ClauseElement]) -> TextClause:
    """A statement of the answer path, compiled once per dialect into a text statement.

    `build(dialect_name, *args)` makes it; `name` is "function" or "function:arg", the args
    passed on. SQLAlchemy compiles a dialect's INSERT ... ON CONFLICT anew on every execution
    (its compiled cache leaves those constructs out): 0.5 ms per autosave here; and building a
    select of seven joins with the ORM costs more than running it. Compiled once with named
    parameters, the SQL is a plain text statement whose compiled form SQLAlchemy caches. The
    bind parameters' types that convert a value (the UTC times) are kept.
    """
    stmt = _COMPILED.get((name, dialect_name))
    if stmt is None:
        named = _dialect(dialect_name).dialect(paramstyle="named")
        built = build(dialect_name, *name.split(":")[1:]).compile(dialect=named)
        assert isinstance(built, SQLCompiler)
        typed = [
            bindparam(key, type_=param.type)
            for key, param in built.binds.items()
            if isinstance(param.type, UTCDateTime)
        ]
        stmt = _COMPILED[(name, dialect_name)] = text(str(built)).bindparams(*typed)
    return stmt


def compiled_choice_statement(dialect_name: str) -> TextClause:
    """`choice_statement`, compiled once (`compiled`)."""
    return compiled("choice", dialect_name, choice_statement)


def _why_not_stored(participant_id: int, kind: str, question_key: str, option_key: str):
    """Everything that decides an answer, in one row: read only when the statement wrote nothing."""
    stmt = compiled("why_not_stored", db.session.get_bind().dialect.name, _why_not_stored_statement)
    params = {"participant": participant_id, "kind": kind, "question": question_key, "option": option_key}
    return db.session.execute(stmt, params).first()


def _why_not_stored_statement(dialect_name: str):
    p, s, a = Participant.__table__, CounselingSession.__table__, Attempt.__table__
    q, o, ans = Question.__table__, Option.__table__, Answer.__table__
    stored = o.alias("stored_option")
    return (
        select(
            s.c.id,
            s.c.phase,
            a.c.id,
            a.c.submitted_at,
            q.c.id,
            o.c.id,
            ans.c.client_key,
            ans.c.seq,
            stored.c.key,
        )
        .select_from(
            p.join(s, s.c.id == p.c.session_id)
            .outerjoin(a, (a.c.participant_id == p.c.id) & (a.c.kind == bindparam("kind", type_=String())))
            .outerjoin(
                q,
                (q.c.quiz_version_id == a.c.quiz_version_id)
                & (q.c.key == bindparam("question", type_=String())),
            )
            .outerjoin(o, (o.c.question_id == q.c.id) & (o.c.key == bindparam("option", type_=String())))
            .outerjoin(ans, (ans.c.attempt_id == a.c.id) & (ans.c.question_id == q.c.id))
            .outerjoin(stored, stored.c.id == ans.c.option_id)
        )
        .where(p.c.id == bindparam("participant", type_=Integer()))
    )


def record_answer(
    participant_id: int,
    kind: str,
    question_key: str,
    option_key: str,
    client_key: str,
    seq: int = 0,
    chosen_at: datetime | None = None,
) -> AnswerResult:
    """Store a participant's choice: the only writer of an answer (autosave and form alike).

    The rules are those of `choice_statement`, which decides in one statement. When it wrote
    nothing, one more query tells why: this very choice is stored already (DUPLICATE, even
    after the submit: it was saved), the attempt is not started (it is started now, while its
    test is open, and the choice stored), submitted or its test closed (ParticipantError), the
    question or option is unknown (422), or a choice with a higher sequence number is stored
    (SUPERSEDED, traced in the audit log; the result names the stored option). The tablet's
    time `chosen_at` is kept with the answer and decides nothing.
    """
    phase = OPEN_PHASE.get(kind)
    if phase is None:
        raise ParticipantError("unknown_kind", 404)
    params = {
        "participant": participant_id,
        "kind": kind,
        "phase": phase.value,
        "question": question_key,
        "option": option_key,
        "key": client_key,
        "seq": seq,
        "chosen_at": chosen_at,
        "received_at": None,
        "uuid": None,
    }
    connection = db.session.connection()
    stmt = compiled_choice_statement(connection.dialect.name)
    for _ in range(3):
        params["received_at"] = params["chosen_at"] = utcnow()
        params["uuid"] = new_uuid()  # kept only by a new row: a replaced choice keeps the row's id
        if chosen_at is not None:
            params["chosen_at"] = chosen_at
        if connection.execute(stmt, params).first() is not None:
            return AnswerResult(AnswerOutcome.STORED, question_key, option_key, seq)
        row = _why_not_stored(participant_id, kind, question_key, option_key)
        if row is None:
            raise ParticipantError("not_joined", 401)
        (
            session_id,
            now_phase,
            attempt_id,
            submitted_at,
            question_id,
            option_id,
            stored_key,
            stored_seq,
            stored,
        ) = row
        if stored_key == client_key:
            return AnswerResult(AnswerOutcome.DUPLICATE, question_key, option_key, stored_seq)
        if now_phase != phase.value:
            raise ParticipantError("phase_not_open")
        if attempt_id is None:
            start_attempt(participant_id, kind)
            continue
        if submitted_at is not None:
            raise ParticipantError("attempt_submitted")
        if question_id is None:
            raise ParticipantError("unknown_question", 422)
        if option_id is None:
            raise ParticipantError("unknown_option", 422)
        if stored_seq is not None and stored_seq > seq:
            _trace(
                "answer.superseded",
                session_id,
                attempt=attempt_id,
                question=question_id,
                option=option_id,
                seq=seq,
                stored_seq=stored_seq,
            )
            return AnswerResult(AnswerOutcome.SUPERSEDED, question_key, stored, stored_seq)
        # Changed between the statement and the read (another request's answer): decide again.
    raise ParticipantError("busy", 503)


def _trace(action: str, session_id: int | None, **detail) -> None:
    """A compact audit entry of a participant's doing (participants have no account: no actor)."""
    db.session.add(AuditLog(action=action, session_id=session_id, actor_id=None, detail=detail))


def attempt_state(participant: Participant, kind: str) -> tuple[dict[str, str], int]:
    """Question key -> chosen option key of her attempt of this kind, and its highest sequence number."""
    attempt = participant.attempt(kind)
    if attempt is None:
        return {}, 0
    rows = db.session.execute(
        select(Question.key, Option.key, Answer.seq)
        .select_from(Answer)
        .join(Question, Answer.question_id == Question.id)
        .join(Option, Answer.option_id == Option.id)
        .where(Answer.attempt_id == attempt.id)
    ).all()
    return {q: o for q, o, _ in rows}, max((seq for _, _, seq in rows), default=0)


def answers_of(attempt: Attempt) -> dict[str, str]:
    """Question key -> chosen option key, for the attempt."""
    rows = db.session.execute(
        select(Question.key, Option.key)
        .select_from(Answer)
        .join(Question, Answer.question_id == Question.id)
        .join(Option, Answer.option_id == Option.id)
        .where(Answer.attempt_id == attempt.id)
    ).tuples()
    return dict(rows.all())


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
    now = utcnow()
    # One statement checks and locks: not submitted yet (two submits racing) and the test still
    # open, read inside the write (not from the session loaded at the start of the request).
    test_open = exists().where(
        Participant.id == Attempt.participant_id,
        CounselingSession.id == Participant.session_id,
        CounselingSession.phase == OPEN_PHASE[attempt.kind],
    )
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None), test_open)
        .values(submitted_at=now, submit_key=submit_key)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if not result.rowcount:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
        if attempt.submit_key == submit_key:
            return SubmitOutcome.DUPLICATE
        if attempt.submitted:
            raise ParticipantError("attempt_submitted")
        raise ParticipantError("phase_not_open")
    _score(attempt)
    if attempt.kind == "post":
        certificates.issue(attempt.participant)  # issued by the event, numbered within the session
    db.session.flush()
    return SubmitOutcome.SUBMITTED


def first_unanswered(participant: Participant, kind: str) -> int | None:
    """The number (from 1) of her first unanswered question of this test, None when all are answered.

    Where she continues (on this tablet or another): a fresh attempt starts at question 1.
    """
    attempt = participant.attempt(kind)
    if attempt is None:
        return 1
    chosen, _seq = attempt_state(participant, kind)
    keys = db.session.scalars(
        select(Question.key)
        .where(Question.quiz_version_id == attempt.quiz_version_id)
        .order_by(Question.position)
    ).all()
    return next((n for n, key in enumerate(keys, start=1) if key not in chosen), None)


@dataclass(frozen=True)
class NotHandedIn:
    """An attempt whose test was closed before she handed it in: its answers are kept, unscored."""

    kind: str
    answered: int
    total: int


def not_handed_in(participant: Participant) -> list[NotHandedIn]:
    """Her started attempts of tests that are no longer open and that she did not hand in."""
    open_kind = participant.session.open_kind()
    waiting = [a for a in participant.attempts if not a.submitted and a.kind != open_kind]
    if not waiting:
        return []
    ids = [a.id for a in waiting]
    answered = dict(
        db.session.execute(
            select(Answer.attempt_id, func.count(Answer.id))
            .where(Answer.attempt_id.in_(ids))
            .group_by(Answer.attempt_id)
        )
        .tuples()
        .all()
    )
    totals = dict(
        db.session.execute(
            select(Question.quiz_version_id, func.count(Question.id))
            .where(Question.quiz_version_id.in_({a.quiz_version_id for a in waiting}))
            .group_by(Question.quiz_version_id)
        )
        .tuples()
        .all()
    )
    return [NotHandedIn(a.kind, answered.get(a.id, 0), totals.get(a.quiz_version_id, 0)) for a in waiting]


def next_step(participant: Participant) -> str:
    """Where the participant belongs now: 'pre', 'post', 'followup', 'wait', 'result' or 'closed'."""
    session = participant.session
    open_kind = session.open_kind()
    pre, post = participant.attempt("pre"), participant.attempt("post")
    if open_kind == "followup":  # everyone of the session may take it, whatever she took before
        followup = participant.attempt("followup")
        return "result" if followup is not None and followup.submitted else "followup"
    if session.phase == Phase.FOLLOWUP_CLOSED:
        return "result" if any(a.submitted for a in participant.attempts) else "closed"
    if post is not None and post.submitted:
        return "result"
    if open_kind == "post":
        return "post"
    if open_kind == "pre" and not (pre and pre.submitted):
        return "pre"
    if session.phase.value == "closed":
        return "result" if (pre and pre.submitted) else "closed"
    return "wait"
