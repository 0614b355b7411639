"""Reading, validating and importing the quiz files in quizzes/.

A quiz file is parsed into frozen dataclasses after schema validation
(pydantic). Every problem is collected before failing, each naming the file,
the question key and the field. Importing stores each file as an immutable
QuizVersion identified by the SHA-256 of its canonical content. `copy_quiz` writes a
stored version out as a new quiz file, to adapt, and imports it as a new quiz.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Option, Question, QuizVersion

KEY_RE = r"^[a-z0-9][a-z0-9_-]{0,63}$"
AUDIENCES = ("mothers", "family", "cadres", "health_workers")
LIKERT_LABELS = {
    5: [
        ("Sangat tidak setuju", "Strongly disagree"),
        ("Tidak setuju", "Disagree"),
        ("Ragu-ragu", "Not sure"),
        ("Setuju", "Agree"),
        ("Sangat setuju", "Strongly agree"),
    ],
    4: [
        ("Sangat tidak setuju", "Strongly disagree"),
        ("Tidak setuju", "Disagree"),
        ("Setuju", "Agree"),
        ("Sangat setuju", "Strongly agree"),
    ],
}
TRUE_FALSE = [("true", "Benar", "True"), ("false", "Salah", "False")]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a quiz file."""

    file: str
    question: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.question:
            where += f", question {self.question}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


# -- schema ---------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Strict):
    """A text in both languages."""

    id: str = Field(min_length=1, max_length=2000)
    en: str = Field(min_length=1, max_length=2000)


class OptionSchema(_Strict):
    key: str = Field(pattern=KEY_RE)
    text: Text


class QuestionSchema(_Strict):
    key: str = Field(pattern=KEY_RE)
    type: Literal["single_choice", "true_false", "likert"]
    topic: str = Field(pattern=KEY_RE)
    stem: Text
    options: list[OptionSchema] | None = None
    answer: str | bool | None = None
    explanation: Text | None = None
    source: str | None = Field(default=None, max_length=500)
    scale: Literal[4, 5] | None = None
    reverse: bool = False

    @model_validator(mode="after")
    def _by_type(self):
        if self.type == "single_choice":
            if not self.options or len(self.options) < 2:
                raise ValueError("options: a single-choice question needs at least 2 options")
            if len(self.options) > 6:
                raise ValueError("options: at most 6 options")
            keys = [o.key for o in self.options]
            if len(set(keys)) != len(keys):
                raise ValueError("options: option keys must be unique")
            if not isinstance(self.answer, str) or self.answer not in keys:
                raise ValueError(f"answer: must be one of the option keys {keys}, got {self.answer!r}")
            if self.explanation is None:
                raise ValueError("explanation: required for knowledge questions")
        elif self.type == "true_false":
            if self.options:
                raise ValueError("options: true/false questions get their options from the loader")
            if not isinstance(self.answer, bool):
                raise ValueError(f"answer: must be true or false, got {self.answer!r}")
            if self.explanation is None:
                raise ValueError("explanation: required for knowledge questions")
        else:  # likert
            if self.options or self.answer is not None:
                raise ValueError("answer: Likert items have no options or correct answer in the file")
        return self


class QuizSchema(_Strict):
    id: str = Field(pattern=KEY_RE)
    version: str = Field(min_length=1, max_length=32)
    title: Text
    audience: Literal["mothers", "family", "cadres", "health_workers"]
    description: Text | None = None
    form: Literal["A", "B"] | None = None
    parallel_group: str | None = Field(default=None, pattern=KEY_RE)
    questions: list[QuestionSchema] = Field(min_length=1, max_length=200)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value):
        return str(value) if isinstance(value, (int, float)) else value


# -- parsed form ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionSpec:
    key: str
    text: dict
    is_correct: bool = False
    value: int | None = None


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    type: str
    topic: str
    stem: dict
    options: tuple[OptionSpec, ...]
    answer: str | None
    explanation: dict | None
    source: str | None
    scale: int | None = None
    reverse: bool = False

    @property
    def scored(self) -> bool:
        return self.type in ("single_choice", "true_false")


@dataclass(frozen=True)
class QuizSpec:
    id: str
    version: str
    title: dict
    audience: str
    description: dict | None
    form: str | None
    parallel_group: str | None
    questions: tuple[QuestionSpec, ...]
    file: str = field(default="", compare=False)

    def canonical(self) -> dict:
        """The content the hash is taken over (the file name is not part of it)."""
        data = asdict(self)
        data.pop("file")
        return data


def _question_spec(q: QuestionSchema) -> QuestionSpec:
    if q.type == "single_choice":
        options = tuple(
            OptionSpec(o.key, o.text.model_dump(), is_correct=(o.key == q.answer)) for o in q.options or ()
        )
        answer = str(q.answer)  # one of the option keys (checked by the schema)
    elif q.type == "true_false":
        options = tuple(
            OptionSpec(key, {"id": id_, "en": en}, is_correct=(key == str(q.answer).lower()))
            for key, id_, en in TRUE_FALSE
        )
        answer = str(q.answer).lower()
    else:
        scale = q.scale or 5
        options = tuple(
            OptionSpec(str(i), {"id": id_, "en": en}, value=i)
            for i, (id_, en) in enumerate(LIKERT_LABELS[scale], start=1)
        )
        answer = None
    return QuestionSpec(
        key=q.key,
        type=q.type,
        topic=q.topic,
        stem=q.stem.model_dump(),
        options=options,
        answer=answer,
        explanation=q.explanation.model_dump() if q.explanation else None,
        source=q.source,
        scale=(q.scale or 5) if q.type == "likert" else None,
        reverse=q.reverse if q.type == "likert" else False,
    )


def _problems_from_validation(name: str, raw: dict, err: ValidationError) -> list[Problem]:
    problems = []
    questions = raw.get("questions") if isinstance(raw, dict) else None
    for e in err.errors():
        loc = list(e["loc"])
        qkey = None
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            idx = loc[1]
            q = questions[idx] if isinstance(questions, list) and idx < len(questions) else None
            qkey = str(q.get("key")) if isinstance(q, dict) and q.get("key") else f"#{idx + 1}"
            loc = loc[2:]
        message = e["msg"].removeprefix("Value error, ")
        fld = ".".join(str(p) for p in loc) or None
        if fld is None and ":" in message:  # model validators name the field first
            head, _, rest = message.partition(":")
            if re.fullmatch(r"[a-z_]+", head):
                fld, message = head, rest.strip()
        problems.append(Problem(name, qkey, fld, message))
    return problems


def parse_quiz_file(path: str | Path) -> tuple[QuizSpec | None, list[Problem]]:
    """Parse and validate one quiz file: the spec, or None and every problem found."""
    path = Path(path)
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, [Problem(name, None, None, "the file is not UTF-8 text")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        return None, [Problem(name, None, None, f"not valid YAML{where}")]
    if not isinstance(raw, dict):
        return None, [Problem(name, None, None, "the file must hold one quiz (a mapping of fields)")]
    try:
        schema = QuizSchema.model_validate(raw)
    except ValidationError as err:
        return None, _problems_from_validation(name, raw, err)
    problems = []
    keys = [q.key for q in schema.questions]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(Problem(name, key, "key", "the question key is used more than once"))
    if schema.id != path.stem:
        problems.append(Problem(name, None, "id", f"the quiz id {schema.id!r} must equal the file name"))
    if problems:
        return None, problems
    spec = QuizSpec(
        id=schema.id,
        version=schema.version,
        title=schema.title.model_dump(),
        audience=schema.audience,
        description=schema.description.model_dump() if schema.description else None,
        form=schema.form,
        parallel_group=schema.parallel_group,
        questions=tuple(_question_spec(q) for q in schema.questions),
        file=name,
    )
    return spec, []


def quiz_files(directory: str | Path) -> list[Path]:
    directory = Path(directory)
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_bank(directory: str | Path) -> tuple[list[QuizSpec], list[Problem]]:
    """Parse every quiz file in a directory; problems of all files are collected."""
    specs, problems = [], []
    for path in quiz_files(directory):
        spec, found = parse_quiz_file(path)
        problems.extend(found)
        if spec:
            specs.append(spec)
    return specs, problems


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
    specs, problems = load_bank(directory)
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


def file_data(content: dict) -> dict:
    """A quiz file (as in quizzes/README.md) from the canonical content stored with a version."""
    data: dict = {
        "id": content["id"],
        "version": content["version"],
        "title": dict(content["title"]),
        "audience": content["audience"],
    }
    if content.get("description"):
        data["description"] = dict(content["description"])
    if content.get("form"):
        data["form"] = content["form"]
    if content.get("parallel_group"):
        data["parallel_group"] = content["parallel_group"]
    questions = []
    for q in content["questions"]:
        item: dict = {"key": q["key"], "type": q["type"], "topic": q["topic"], "stem": dict(q["stem"])}
        if q["type"] == "single_choice":
            item["options"] = [{"key": o["key"], "text": dict(o["text"])} for o in q["options"]]
            item["answer"] = q["answer"]
        elif q["type"] == "true_false":
            item["answer"] = q["answer"] == "true"
        else:
            item["scale"] = q["scale"]
            item["reverse"] = bool(q["reverse"])
        if q.get("explanation"):
            item["explanation"] = dict(q["explanation"])
        if q.get("source"):
            item["source"] = q["source"]
        questions.append(item)
    data["questions"] = questions
    return data


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
    quiz_dir = Path(quiz_dir)
    if not quiz_dir.is_dir():
        raise CopyError(f"the quiz directory {quiz_dir} does not exist")
    new_id = _copy_id(version.quiz_key, quiz_dir)
    data = file_data(version.content)
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
    text = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    path = quiz_dir / f"{new_id}.yaml"
    try:
        with open(path, "x", encoding="utf-8") as fh:  # never overwrite a file
            fh.write(text)
    except OSError as exc:
        raise CopyError(f"could not write {path.name}: {exc.strerror or exc}") from exc
    spec, problems = parse_quiz_file(path)
    if spec is None:
        path.unlink(missing_ok=True)
        raise CopyError("; ".join(str(p) for p in problems))
    created, _ = import_spec(spec)
    return created
