"""What the educator's live view shows: where each participant is, who is stuck, and per-question results.

Everything here reads; nothing writes. Each function runs a fixed number of
queries whatever the number of participants or questions (no N+1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Attempt, CounselingSession, Participant, Question
from app.models._time import utcnow
from app.services import quizbank
from app.services.privacy import pseudonyms
from app.services.sessions import ScoreTable, score_table

#: A participant who has not answered anything for this long while her test is open is "stuck".
STUCK_AFTER = timedelta(minutes=3)


@dataclass(frozen=True)
class Progress:
    """Where one participant is now."""

    participant_id: int
    #: "joined" (no test started), "pre_answering", "pre_done", "post_answering", "post_done",
    #: "followup_answering" or "followup_done".
    state: str
    #: Answers so far in the test she is doing now, and its number of questions (None when not answering).
    answered: int | None
    total: int | None
    #: Minutes since her last answer (or since she could have started); None when nothing is expected of her.
    idle_minutes: int | None
    #: True when her test is open, she has not handed it in and nothing came from her for STUCK_AFTER.
    stuck: bool

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def progress(
    session: CounselingSession, now: datetime | None = None, stuck_after: timedelta | None = None
) -> dict[int, Progress]:
    """Participant id -> where she is, in two queries (participants; attempts with answer counts)."""
    now = now or utcnow()
    stuck_after = STUCK_AFTER if stuck_after is None else stuck_after
    participants = db.session.execute(
        select(Participant.id, Participant.created_at).where(Participant.session_id == session.id)
    ).all()
    attempts = db.session.execute(
        select(
            Attempt.participant_id,
            Attempt.kind,
            Attempt.started_at,
            Attempt.submitted_at,
            func.count(Answer.id),
            func.max(Answer.received_at),
        )
        .join(Participant, Attempt.participant_id == Participant.id)
        .outerjoin(Answer, Answer.attempt_id == Attempt.id)
        .where(Participant.session_id == session.id)
        .group_by(Attempt.id, Attempt.participant_id, Attempt.kind, Attempt.started_at, Attempt.submitted_at)
    ).all()
    by_participant: dict[int, dict[str, tuple]] = {}
    for pid, kind, started, submitted, n_answers, last_answer in attempts:
        by_participant.setdefault(pid, {})[kind] = (
            _aware(started),
            submitted,
            n_answers,
            _aware(last_answer),
        )

    open_kind = session.open_kind()
    kinds = ("pre", "post", "followup") if session.has_followup else ("pre", "post")
    totals = {kind: len(session.quiz_for(kind).questions) for kind in kinds} if participants else {}
    opened_at = _aware(session.phase_changed_at)
    result = {}
    for pid, created_at in participants:
        mine = by_participant.get(pid, {})
        post, pre, followup = mine.get("post"), mine.get("pre"), mine.get("followup")
        if followup and followup[1]:
            state = "followup_done"
        elif followup:
            state = "followup_answering"
        elif post and post[1]:
            state = "post_done"
        elif post:
            state = "post_answering"
        elif pre and pre[1]:
            state = "pre_done"
        elif pre:
            state = "pre_answering"
        else:
            state = "joined"
        answering = state.endswith("_answering")
        kind = state.split("_")[0] if answering else None
        current = mine.get(kind) if kind else None

        idle = None
        if open_kind is not None and not (mine.get(open_kind) and mine[open_kind][1]):
            attempt = mine.get(open_kind)
            if attempt is not None:
                last = max(t for t in (attempt[0], attempt[3]) if t is not None)
            else:
                last = max(t for t in (_aware(created_at), opened_at) if t is not None)
            idle = now - last
        result[pid] = Progress(
            participant_id=pid,
            state=state,
            answered=current[2] if current else None,
            total=totals.get(kind) if kind else None,
            idle_minutes=int(idle.total_seconds() // 60) if idle is not None else None,
            stuck=idle is not None and idle >= stuck_after,
        )
    return result


def shown_score_table(session: CounselingSession, identified: bool) -> ScoreTable:
    """The score table as its reader may see it (privacy.may_identify).

    Identified: names and personal codes. Otherwise each name is the pseudonym her exports
    use (P01 is the first participant, as in the files) and the personal code is empty.
    """
    table = score_table(session)
    if identified:
        return table
    names = pseudonyms(len(table.rows))
    rows = [replace(r, name=names[i], personal_code="") for i, r in enumerate(table.rows)]
    return replace(table, rows=rows)


@dataclass(frozen=True)
class ItemResult:
    """One question's results for the discussion: percent correct before and after, the favourite wrong answer."""

    position: int
    #: The question of the pre-test and, when a parallel form is used, the post-test's question at the same place.
    pre_question: Question | None
    post_question: Question | None
    #: Percent of handed-in tests that chose the correct option (unanswered counts as not correct).
    pre_percent: float | None
    post_percent: float | None
    #: The wrong option chosen most often in the post-test (the pre-test when there is no post-test yet).
    wrong_question: Question | None
    wrong_option_key: str | None
    wrong_count: int
    wrong_percent: float | None


@dataclass(frozen=True)
class ItemResults:
    items: list[ItemResult]
    #: Handed-in tests counted, by kind.
    n_pre: int
    n_post: int
    parallel: bool


def item_results(session: CounselingSession) -> ItemResults:
    """Per knowledge question: percent correct in the pre- and post-test, and the most-chosen wrong option.

    Four queries: submitted tests by kind; chosen options counted by kind, question and option;
    and the questions with their options. Questions of parallel forms are paired by position.
    """
    submitted: dict[str, int] = dict(
        db.session.execute(
            select(Attempt.kind, func.count(Attempt.id))
            .join(Participant, Attempt.participant_id == Participant.id)
            .where(Participant.session_id == session.id, Attempt.submitted_at.is_not(None))
            .group_by(Attempt.kind)
        )
        .tuples()
        .all()
    )
    counts: dict[tuple[str, int], dict[int, int]] = {}
    for kind, question_id, option_id, n in db.session.execute(
        select(Attempt.kind, Answer.question_id, Answer.option_id, func.count(Answer.id))
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .join(Participant, Attempt.participant_id == Participant.id)
        .where(Participant.session_id == session.id, Attempt.submitted_at.is_not(None))
        .group_by(Attempt.kind, Answer.question_id, Answer.option_id)
    ):
        counts.setdefault((kind, question_id), {})[option_id] = n

    pre_version = session.quiz_version_id
    post_version = session.post_quiz_version_id or session.quiz_version_id
    questions = quizbank.questions_with_options(pre_version, post_version)
    by_version: dict[int, list[Question]] = {}
    for q in questions:
        if q.scored:
            by_version.setdefault(q.quiz_version_id, []).append(q)
    pre_questions = by_version.get(pre_version, [])
    post_questions = by_version.get(post_version, [])
    n_pre, n_post = submitted.get("pre", 0), submitted.get("post", 0)

    def percent_correct(kind: str, q: Question | None, n: int) -> float | None:
        if q is None or not n:
            return None
        correct = sum(
            c
            for oid, c in counts.get((kind, q.id), {}).items()
            if any(o.id == oid and o.is_correct for o in q.options)
        )
        return 100.0 * correct / n

    items = []
    for i in range(max(len(pre_questions), len(post_questions))):
        pre_q = pre_questions[i] if i < len(pre_questions) and not session.post_only else None
        post_q = post_questions[i] if i < len(post_questions) else None
        wrong_kind, wrong_q, n_wrong_base = ("post", post_q, n_post) if n_post else ("pre", pre_q, n_pre)
        wrong_key, wrong_count = None, 0
        if wrong_q is not None:
            chosen = counts.get((wrong_kind, wrong_q.id), {})
            wrong = [(chosen.get(o.id, 0), -o.position, o.key) for o in wrong_q.options if not o.is_correct]
            best = max(wrong, default=None)
            if best is not None and best[0] > 0:
                wrong_count, wrong_key = best[0], best[2]
        items.append(
            ItemResult(
                position=i + 1,
                pre_question=pre_q,
                post_question=post_q,
                pre_percent=percent_correct("pre", pre_q, n_pre),
                post_percent=percent_correct("post", post_q, n_post),
                wrong_question=wrong_q if wrong_key else None,
                wrong_option_key=wrong_key,
                wrong_count=wrong_count,
                wrong_percent=100.0 * wrong_count / n_wrong_base if wrong_key and n_wrong_base else None,
            )
        )
    return ItemResults(items=items, n_pre=n_pre, n_post=n_post, parallel=pre_version != post_version)
