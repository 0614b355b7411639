"""Creating sessions, moving them through their phases, and reading their scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden, NotFound

from app.extensions import db
from app.models import (
    Attempt,
    CounselingSession,
    Educator,
    Participant,
    Phase,
    PhaseError,
    QuizVersion,
    SessionAccess,
)
from app.models.session import STUDY_GROUPS
from app.services import audit, certificates, codes, quizbank, sessioninfo
from app.services.gains import person_gains


class AccessDenied(Exception):
    """The account may not see or change this session."""


def create_session(
    educator: Educator,
    *,
    title: str,
    place: str,
    held_on: date,
    quiz_version: QuizVersion,
    post_quiz_version: QuizVersion | None = None,
    post_only: bool = False,
    characteristics: list[str] | tuple[str, ...] = (),
    team: str = "",
    institution: str = "",
    consent_text_id: str = "",
    consent_text_en: str = "",
    study_group: str | None = None,
) -> CounselingSession:
    """Create a draft session with a fresh join code."""
    check_study_group(study_group)
    code = codes.unique_code(codes.JOIN_CODE_LENGTH, CounselingSession.join_code)
    session = CounselingSession(
        educator_id=educator.id,
        title=title,
        place=place,
        held_on=held_on,
        quiz_version_id=quiz_version.id,
        post_quiz_version_id=post_quiz_version.id if post_quiz_version else None,
        post_only=post_only,
        characteristics=list(characteristics),
        team=team,
        institution=institution or educator.institution,
        consent_text_id=consent_text_id,
        consent_text_en=consent_text_en,
        join_code=code,
        report_details=sessioninfo.defaults_for(educator),
        study_group=study_group or None,
    )
    db.session.add(session)
    db.session.flush()
    audit.record("session.create", session.id, actor_id=educator.id)
    return session


def check_study_group(group: str | None) -> None:
    """ValueError unless the group is one of STUDY_GROUPS (or None/"" for a session not compared)."""
    if group and group not in STUDY_GROUPS:
        raise ValueError(f"study_group must be one of {', '.join(STUDY_GROUPS)}, got {group!r}")


def set_study_group(session: CounselingSession, group: str | None, actor_id: int | None = None) -> None:
    """Mark the session as intervention, control, medium A or B (None: not part of a comparison)."""
    check_study_group(group)
    before = session.study_group
    session.study_group = group or None
    audit.record(
        "session.study_group", session.id, actor_id=actor_id, before=before, after=session.study_group
    )
    db.session.flush()


def followup_quiz_choices(session: CounselingSession) -> list[QuizVersion]:
    """The quizzes a follow-up test may use: the session's own and its parallel forms (newest versions)."""
    own = [session.quiz_version] + ([session.post_quiz_version] if session.post_quiz_version_id else [])
    group = session.quiz_version.parallel_group
    forms = (
        [
            v
            for v in quizbank.latest_versions()
            if v.parallel_group == group and v.quiz_key != session.quiz_version.quiz_key
        ]
        if group
        else []
    )
    unique: dict[int, QuizVersion] = {}
    for v in own + forms:
        unique.setdefault(v.id, v)
    return list(unique.values())


def move_phase(
    session: CounselingSession,
    wanted: Phase,
    actor_id: int | None = None,
    *,
    followup_quiz: QuizVersion | None = None,
) -> None:
    """Open or close a test; raises PhaseError when the move is not allowed.

    Closing the session issues the certificates a finished post-test should have brought and
    did not (data from before certificates existed), so that downloading them writes nothing.
    Opening the follow-up test the first time fixes its quiz (`followup_quiz`, the session's quiz
    by default; it must be one of `followup_quiz_choices`); reopening it keeps that quiz.
    """
    before = session.phase
    first_followup = wanted == Phase.FOLLOWUP_OPEN and not session.has_followup
    if followup_quiz is not None and not first_followup:
        raise PhaseError(before, wanted, "followup_quiz")
    if first_followup and wanted in session.allowed_moves():
        chosen = followup_quiz or session.quiz_version
        if chosen.id not in {v.id for v in followup_quiz_choices(session)}:
            raise PhaseError(before, wanted, "followup_quiz")
    session.move_to(wanted)
    if first_followup:
        session.followup_quiz_version_id = (followup_quiz or session.quiz_version).id
        session.followup_opened_at = session.phase_changed_at
    detail: dict[str, object] = {"before": before.value}
    if first_followup:
        detail["quiz_version"] = session.followup_quiz_version_id
    audit.record(f"phase.{wanted.value}", session.id, actor_id=actor_id, **detail)
    if wanted == Phase.CLOSED:
        certificates.issue_missing(session)
    db.session.flush()


def get_for(user: Educator, session_id: int, *, change: bool = False) -> CounselingSession:
    """The session, if `user` may read it (or, with `change`, change it): NotFound or Forbidden otherwise."""
    target = db.session.get(CounselingSession, session_id)
    if target is None:
        raise NotFound()
    if not (can_change(user, target) if change else can_read(user, target)):
        raise Forbidden()
    return target


def can_read(user: Educator, session: CounselingSession) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_admin or session.educator_id == user.id:
        return True
    return bool(
        db.session.scalar(
            select(SessionAccess.id).where(
                SessionAccess.session_id == session.id, SessionAccess.educator_id == user.id
            )
        )
    )


def can_change(user: Educator, session: CounselingSession) -> bool:
    return user.is_authenticated and (user.is_admin or session.educator_id == user.id)


def sessions_for(user: Educator) -> list[CounselingSession]:
    """The sessions an account runs, plus those shared with it, newest first."""
    shared = select(SessionAccess.session_id).where(SessionAccess.educator_id == user.id)
    stmt = select(CounselingSession).where(
        (CounselingSession.educator_id == user.id) | CounselingSession.id.in_(shared)
    )
    return list(
        db.session.scalars(stmt.order_by(CounselingSession.held_on.desc(), CounselingSession.id.desc()))
    )


def grant_read(session: CounselingSession, lecturer: Educator) -> None:
    """Let a lecturer read a session's results and reports."""
    try:
        with db.session.begin_nested():
            db.session.add(SessionAccess(session_id=session.id, educator_id=lecturer.id))
    except IntegrityError:
        return  # already granted
    audit.record("access.grant", session.id, lecturer_id=lecturer.id)


@dataclass(frozen=True)
class LiveCounts:
    joined: int
    pre_started: int
    pre_done: int
    post_started: int
    post_done: int
    followup_started: int = 0
    followup_done: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def live_counts(session: CounselingSession) -> LiveCounts:
    """Joined, started and finished counts, in two queries."""
    joined = db.session.scalar(select(func.count(Participant.id)).where(Participant.session_id == session.id))
    rows = db.session.execute(
        select(Attempt.kind, func.count(Attempt.id), func.count(Attempt.submitted_at))
        .join(Participant)
        .where(Participant.session_id == session.id)
        .group_by(Attempt.kind)
    ).all()
    by_kind = {kind: (started, done) for kind, started, done in rows}
    pre = by_kind.get("pre", (0, 0))
    post = by_kind.get("post", (0, 0))
    followup = by_kind.get("followup", (0, 0))
    return LiveCounts(joined or 0, pre[0], pre[1], post[0], post[1], followup[0], followup[1])


@dataclass(frozen=True)
class ScoreRow:
    participant_id: int
    personal_code: str
    name: str
    pre: float | None
    post: float | None
    pre_status: str  # "none" | "started" | "done"
    post_status: str
    gain: float | None
    normalized_gain: float | None
    #: The follow-up test (None and "none" when the session has none).
    followup: float | None = None
    followup_status: str = "none"

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ScoreTable:
    rows: list[ScoreRow]
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    n_paired: int
    n_pre_only: int
    n_post_only: int
    #: The session has a follow-up test; its mean and the participants with all three scores.
    has_followup: bool = False
    mean_followup: float | None = None
    n_complete: int = 0

    def counts(self) -> LiveCounts:
        """The live counts, derived from the rows (no further query)."""

        def tally(attr: str, states: tuple[str, ...]) -> int:
            return sum(1 for r in self.rows if getattr(r, attr) in states)

        return LiveCounts(
            joined=len(self.rows),
            pre_started=tally("pre_status", ("started", "done")),
            pre_done=tally("pre_status", ("done",)),
            post_started=tally("post_status", ("started", "done")),
            post_done=tally("post_status", ("done",)),
            followup_started=tally("followup_status", ("started", "done")),
            followup_done=tally("followup_status", ("done",)),
        )


def _status(attempt: Attempt | None) -> str:
    if attempt is None:
        return "none"
    return "done" if attempt.submitted else "started"


def score_table(session: CounselingSession) -> ScoreTable:
    """Every participant's pre score, post score, gain and follow-up score, with the group means."""
    participants = db.session.scalars(
        select(Participant).where(Participant.session_id == session.id).order_by(Participant.id)
    ).all()
    attempts = db.session.scalars(
        select(Attempt).join(Participant).where(Participant.session_id == session.id)
    ).all()
    by_participant: dict[int, dict[str, Attempt]] = {}
    for a in attempts:
        by_participant.setdefault(a.participant_id, {})[a.kind] = a
    rows = []
    for p in participants:
        pre_a = by_participant.get(p.id, {}).get("pre")
        post_a = by_participant.get(p.id, {}).get("post")
        followup_a = by_participant.get(p.id, {}).get("followup")
        pre = pre_a.score if pre_a and pre_a.submitted else None
        post = post_a.score if post_a and post_a.submitted else None
        gain, normalized_gain = person_gains(pre, post)
        rows.append(
            ScoreRow(
                participant_id=p.id,
                personal_code=p.personal_code,
                name=p.name,
                pre=pre,
                post=post,
                pre_status=_status(pre_a),
                post_status=_status(post_a),
                gain=gain,
                normalized_gain=normalized_gain,
                followup=followup_a.score if followup_a and followup_a.submitted else None,
                followup_status=_status(followup_a),
            )
        )
    pres = [r.pre for r in rows if r.pre is not None]
    posts = [r.post for r in rows if r.post is not None]
    gains = [r.gain for r in rows if r.gain is not None]

    def mean(values):
        return sum(values) / len(values) if values else None

    return ScoreTable(
        rows=rows,
        mean_pre=mean(pres),
        mean_post=mean(posts),
        mean_gain=mean(gains),
        n_paired=len(gains),
        n_pre_only=sum(1 for r in rows if r.pre is not None and r.post is None),
        n_post_only=sum(1 for r in rows if r.post is not None and r.pre is None),
        has_followup=session.has_followup,
        mean_followup=mean([r.followup for r in rows if r.followup is not None]),
        n_complete=sum(1 for r in rows if None not in (r.pre, r.post, r.followup)),
    )
