"""The quiz bank: importing quiz files as immutable versions, reading them, copying one to adapt.

Importing stores each file (parsed and validated by app/services/quizfile.py) as an immutable
QuizVersion identified by the SHA-256 of its canonical content. `copy_quiz` writes a stored
version out as a new quiz file, to adapt, and imports it as a new quiz. quizfile (and pydantic with
it) is imported by the functions that read or write files, when they run: the pages that list or
show stored versions do not need it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Option, Question, QuizVersion

if TYPE_CHECKING:
    from app.services.quizfile import Problem, QuizSpec


def content_hash(spec: QuizSpec) -> str:
    canonical = json.dumps(spec.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ImportResult:
    created: list[QuizVersion]
    unchanged: list[QuizVersion]


def import_spec(spec: QuizSpec) -> tuple[QuizVersion, bool]:
    """Store one spec as a QuizVersion unless that exact content is stored already."""
    digest = content_hash(spec)
    existing = db.session.scalar(select(QuizVersion).where(QuizVersion.content_hash == digest))
    if existing is not None:
        return existing, False
    description = spec.description or {"id": "", "en": ""}
    version = QuizVersion(
        quiz_key=spec.id,
        version_label=spec.version,
        content_hash=digest,
        title_id=spec.title["id"],
        title_en=spec.title["en"],
        description_id=description["id"],
        description_en=description["en"],
        audience=spec.audience,
        form=spec.form,
        parallel_group=spec.parallel_group,
        source_file=spec.file,
        content=spec.canonical(),
    )
    for position, q in enumerate(spec.questions):
        explanation = q.explanation or {"id": "", "en": ""}
        question = Question(
            key=q.key,
            position=position,
            type=q.type,
            topic=q.topic,
            stem_id=q.stem["id"],
            stem_en=q.stem["en"],
            explanation_id=explanation["id"],
            explanation_en=explanation["en"],
            source=q.source or "",
            reverse=q.reverse,
        )
        for opt_pos, o in enumerate(q.options):
            question.options.append(
                Option(
                    key=o.key,
                    position=opt_pos,
                    text_id=o.text["id"],
                    text_en=o.text["en"],
                    is_correct=o.is_correct,
                    value=o.value,
                )
            )
        version.questions.append(question)
    db.session.add(version)
    db.session.flush()
    return version, True


def import_bank(directory: str | Path) -> tuple[ImportResult, list[Problem]]:
    """Import every valid file; nothing is imported when any file has a problem."""
    from app.services import quizfile

    specs, problems = quizfile.load_bank(directory)
    if problems:
        return ImportResult([], []), problems
    created: list[QuizVersion] = []
    unchanged: list[QuizVersion] = []
    for spec in specs:
        version, is_new = import_spec(spec)
        (created if is_new else unchanged).append(version)
    return ImportResult(created, unchanged), []


def latest_versions() -> list[QuizVersion]:
    """The newest stored version of each quiz, ordered by title."""
    rows = db.session.scalars(select(QuizVersion).order_by(QuizVersion.quiz_key, QuizVersion.id.desc())).all()
    seen, latest = set(), []
    for row in rows:
        if row.quiz_key not in seen:
            seen.add(row.quiz_key)
            latest.append(row)
    return sorted(latest, key=lambda v: v.title_id.lower())


def questions_with_options(*version_ids: int) -> list[Question]:
    """The questions of these quiz versions in order, each with its options (two queries in all)."""
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.quiz_version_id.in_(set(version_ids)))
            .options(selectinload(Question.options))
            .order_by(Question.position)
        )
    )


# -- copy to adapt --------------------------------------------------------------------------------
# Copying never touches a stored version: it writes a new quiz file with a new id into the quiz
# directory and imports that file as a new, separate quiz version.

COPY_SUFFIX = "-salinan-"


class CopyError(Exception):
    """The copy could not be written or loaded; the message says why."""


def _copy_id(quiz_key: str, quiz_dir: Path) -> str:
    base = re.sub(r"-salinan-\d+$", "", quiz_key)[: 64 - len(COPY_SUFFIX) - 3]
    taken = set(db.session.scalars(select(QuizVersion.quiz_key).where(QuizVersion.quiz_key.like(f"{base}%"))))
    for n in range(1, 1000):
        candidate = f"{base}{COPY_SUFFIX}{n}"
        if candidate not in taken and not (quiz_dir / f"{candidate}.yaml").exists():
            return candidate
    raise CopyError("too many copies of this quiz")


def copy_quiz(
    version: QuizVersion, quiz_dir: str | Path, *, title_id: str = "", title_en: str = "", copied_by: str = ""
) -> QuizVersion:
    """Write `<id>-salinan-<n>.yaml` from a stored version and load it as a new quiz; return its version.

    The copy keeps every question, answer, explanation and source, drops the form
    and parallel group (it is not a parallel form until its author says so), and
    starts at version 1.0. The stored version it came from is not changed.
    """
    from app.services import quizfile

    quiz_dir = Path(quiz_dir)
    if not quiz_dir.is_dir():
        raise CopyError(f"the quiz directory {quiz_dir} does not exist")
    new_id = _copy_id(version.quiz_key, quiz_dir)
    data = quizfile.file_data(version.content)
    data.pop("form", None)
    data.pop("parallel_group", None)
    data["id"] = new_id
    data["version"] = "1.0"
    data["title"] = {
        "id": title_id or f"{version.title_id} (salinan)",
        "en": title_en or f"{version.title_en} (copy)",
    }
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"# Salinan dari {version.quiz_key} v{version.version_label} ({version.content_hash[:12]}), {now}"
        + (f", oleh {copied_by}" if copied_by else "")
        + ".\n"
        "# Copy of the quiz above, to adapt. Edit this file, run `flask quizzes check`, then\n"
        "# `flask quizzes load`: each change is loaded as a new version; used versions never change.\n"
    )
    text = header + quizfile.dump(data)
    path = quiz_dir / f"{new_id}.yaml"
    try:
        with open(path, "x", encoding="utf-8") as fh:  # never overwrite a file
            fh.write(text)
    except OSError as exc:
        raise CopyError(f"could not write {path.name}: {exc.strerror or exc}") from exc
    spec, problems = quizfile.parse_quiz_file(path)
    if spec is None:
        path.unlink(missing_ok=True)
        raise CopyError("; ".join(str(p) for p in problems))
    created, _ = import_spec(spec)
    return created
