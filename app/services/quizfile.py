"""A quiz file (quizzes/README.md): its schema, and the frozen specs it is parsed into.

A file is validated against the schema (pydantic) and parsed into frozen dataclasses; every
problem is collected before failing, each naming the file, the question key and the field.
`file_data` and `dump` write stored content back out as a file (copying a quiz to adapt it).

Imported by what reads or writes quiz files (the bank import and copy in app/services/quizbank.py,
`flask quizzes check`), not by the pages that only show stored versions: pydantic and its schema
cost a tenth of a second at import, which a server start does not need (bench/README.md).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

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


def dump(data: dict) -> str:
    """A quiz file's text (YAML) from `file_data`'s form."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
