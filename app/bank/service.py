"""What the quiz-bank pages show: the list, and one quiz with its item statistics. It only reads.

Item statistics come from `analysis.item_quality` over every submitted attempt on
the quiz version shown, pre-test and post-test apart (a question almost everyone
gets right after the lesson may be fine; one they get right before it is too
easy). Every index carries its n, and an index resting on fewer than the minimum
n is withheld rather than shown as if it meant something.

Copying a quiz to adapt it writes, so it is a service: `app.services.quizbank.copy_quiz`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, union_all

from app.extensions import db
from app.models import Answer, Attempt, CounselingSession, Option, QuizVersion
from app.services import quizbank

#: Below this many answers an index is not shown (configurable as ITEM_STATS_MIN_N).
DEFAULT_MIN_N = 10
KINDS = ("pre", "post")

# -- the list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankEntry:
    """One quiz in the list: its newest version and what an educator needs to choose it."""

    version: QuizVersion
    n_knowledge: int
    n_attitude: int
    n_versions: int
    parallel: list[QuizVersion]


def bank_overview() -> list[BankEntry]:
    """The newest version of every quiz, with item counts and its parallel forms."""
    latest = quizbank.latest_versions()
    counts: dict[str, int] = {}
    for key in db.session.scalars(select(QuizVersion.quiz_key)):
        counts[key] = counts.get(key, 0) + 1
    entries = []
    for v in latest:
        parallel = [
            o for o in latest if v.parallel_group and o.parallel_group == v.parallel_group and o.id != v.id
        ]
        n_knowledge = len(v.knowledge_questions)
        entries.append(
            BankEntry(
                v,
                n_knowledge,
                len(v.questions) - n_knowledge,
                counts.get(v.quiz_key, 1),
                sorted(parallel, key=lambda o: o.form or ""),
            )
        )
    return entries


# -- one quiz with item statistics ----------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    """One statistic with the number of participants behind it; `shown` is False below the minimum n."""

    value: float | None
    n: int
    shown: bool


@dataclass(frozen=True)
class ItemStats:
    difficulty: Index
    discrimination: Index
    flags: list[str]


@dataclass(frozen=True)
class TestStats:
    """Item statistics of one kind of test (pre or post) on one version."""

    kind: str
    n_attempts: int
    items: dict[str, ItemStats]
    reliability: Index


@dataclass(frozen=True)
class QuizPage:
    version: QuizVersion
    is_latest: bool
    versions: list[QuizVersion]
    parallel: list[QuizVersion]
    stats: dict[str, TestStats]
    min_n: int
    file_exists: bool = field(default=False)


def _index(value: float | None, n: int, min_n: int) -> Index:
    ok = value is not None and not (isinstance(value, float) and math.isnan(value))
    return Index(value if ok else None, n, ok and n >= min_n)


def item_statistics(version: QuizVersion, kind: str, min_n: int = DEFAULT_MIN_N) -> TestStats:
    """Difficulty and discrimination of each knowledge question, from submitted attempts of one kind."""
    questions = version.knowledge_questions
    attempt_ids = list(
        db.session.scalars(
            select(Attempt.id)
            .where(
                Attempt.quiz_version_id == version.id, Attempt.kind == kind, Attempt.submitted_at.is_not(None)
            )
            .order_by(Attempt.id)
        )
    )
    if not attempt_ids or not questions:
        empty = {q.key: ItemStats(Index(None, 0, False), Index(None, 0, False), []) for q in questions}
        return TestStats(kind, len(attempt_ids), empty, Index(None, 0, False))
    row_of = {a: i for i, a in enumerate(attempt_ids)}
    col_of = {q.id: j for j, q in enumerate(questions)}
    matrix = [[math.nan] * len(questions) for _ in attempt_ids]
    rows = db.session.execute(
        select(Answer.attempt_id, Answer.question_id, Option.is_correct)
        .join(Option, Option.id == Answer.option_id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.quiz_version_id == version.id, Attempt.kind == kind, Attempt.submitted_at.is_not(None))
    )
    for attempt_id, question_id, is_correct in rows:
        if question_id in col_of:
            matrix[row_of[attempt_id]][col_of[question_id]] = 1.0 if is_correct else 0.0
    from analysis import item_quality  # scipy and statsmodels load when the bank page needs them

    quality = item_quality(matrix, [q.key for q in questions])
    items = {
        s.question: ItemStats(
            difficulty=_index(s.difficulty, s.n_answered, min_n),
            discrimination=_index(s.corrected_item_total, quality.n_complete, min_n),
            flags=list(s.flags) if s.n_answered >= min_n else [],
        )
        for s in quality.items
    }
    rel = quality.reliability
    return TestStats(kind, len(attempt_ids), items, _index(rel.coefficient, rel.n, min_n))


def quiz_page(
    quiz_key: str,
    version_id: int | None = None,
    min_n: int = DEFAULT_MIN_N,
    quiz_dir: str | Path | None = None,
) -> QuizPage | None:
    """A quiz version (the newest unless one is named) with its versions, parallel forms and statistics."""
    versions = list(
        db.session.scalars(
            select(QuizVersion).where(QuizVersion.quiz_key == quiz_key).order_by(QuizVersion.id.desc())
        )
    )
    if not versions:
        return None
    if version_id is None:
        version = versions[0]
    else:
        version = next((v for v in versions if v.id == version_id), None)
        if version is None:
            return None
    parallel = []
    if version.parallel_group:
        parallel = [
            v
            for v in quizbank.latest_versions()
            if v.parallel_group == version.parallel_group and v.quiz_key != quiz_key
        ]
    stats = {kind: item_statistics(version, kind, min_n) for kind in KINDS}
    exists = bool(quiz_dir) and (Path(quiz_dir) / f"{quiz_key}.yaml").exists()
    return QuizPage(version, version.id == versions[0].id, versions, parallel, stats, min_n, exists)


def sessions_per_version(version_ids: list[int]) -> dict[int, int]:
    """How many sessions use each quiz version, for the pre-test or the post-test (a session counts once)."""
    used = union_all(
        select(CounselingSession.id.label("sid"), CounselingSession.quiz_version_id.label("vid")),
        select(CounselingSession.id, CounselingSession.post_quiz_version_id).where(
            CounselingSession.post_quiz_version_id.is_not(None)
        ),
    ).subquery()
    rows = db.session.execute(
        select(used.c.vid, func.count(func.distinct(used.c.sid)))
        .where(used.c.vid.in_(version_ids))
        .group_by(used.c.vid)
    )
    return {int(vid): int(n) for vid, n in rows.tuples()}
