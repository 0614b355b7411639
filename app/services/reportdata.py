"""Gathering sessions into the arrays analysis/ reads: one place, a fixed number of queries.

Reports, exports, the results page and the benchmark all start here. The same
structure is built from a file a lecturer uploads (`from_session_file`), so the
report code never knows where the data came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from analysis.io import SessionData, header_key, parse_number
from app.extensions import db
from app.models import Answer, Attempt, CounselingSession, Option, Participant, Question, QuizVersion
from app.services import sessioninfo
from app.services.characteristics import CHARACTERISTICS
from app.services.privacy import pseudonyms
from app.services.sessioninfo import SessionInfo

if TYPE_CHECKING:  # numpy and the statistics (scipy, statsmodels) load when a report is built
    import numpy as np

    from analysis import FullAnalysis


@dataclass(frozen=True)
class Activity:
    """What the report's first page says about the activity."""

    title: str
    place: str
    held_on: date | None
    educator: str
    team: str
    institution: str
    quiz_title_id: str = ""
    quiz_title_en: str = ""
    quiz_version: str = ""
    post_quiz_title_id: str = ""
    post_quiz_title_en: str = ""
    n_questions: int | None = None
    session_id: int | None = None
    #: Team, partner, method, media, duration and signatories (empty for a file, or when not filled in).
    details: SessionInfo = field(default_factory=SessionInfo)
    #: The follow-up test: when it was first opened and its quiz when it is a parallel form.
    followup_opened_at: datetime | None = None
    followup_quiz_title_id: str = ""
    followup_quiz_title_en: str = ""

    def quiz_title(self, lang: str) -> str:
        return self.quiz_title_en if lang == "en" else self.quiz_title_id

    def post_quiz_title(self, lang: str) -> str:
        return self.post_quiz_title_en if lang == "en" else self.post_quiz_title_id

    def followup_quiz_title(self, lang: str) -> str:
        return self.followup_quiz_title_en if lang == "en" else self.followup_quiz_title_id


@dataclass(frozen=True)
class OptionInfo:
    """One printed option of a question (the instrument appendix)."""

    key: str
    text_id: str
    text_en: str
    correct: bool

    def text(self, lang: str) -> str:
        return (self.text_en if lang == "en" else self.text_id) or self.key


@dataclass(frozen=True)
class QuestionInfo:
    key: str
    stem_id: str = ""
    stem_en: str = ""
    #: single_choice | true_false; "" for a file's item column (no options known).
    type: str = ""
    options: tuple[OptionInfo, ...] = ()
    #: The publication the question rests on, as the quiz file cites it.
    source: str = ""
    #: The question's topic tag from the quiz file ("" when unknown, as in a file).
    topic: str = ""
    #: Attitude (Likert) statements only: scored 6 - x.
    reverse: bool = False

    def stem(self, lang: str) -> str:
        return (self.stem_en if lang == "en" else self.stem_id) or self.key

    def option_mark(self, position: int, lang: str) -> str:
        """How an option is named in print: 'a', 'b' ... for a choice, 'Benar'/'Salah' for true/false."""
        if self.type == "true_false":
            return self.options[position].text(lang)
        return chr(ord("a") + position) if position < 26 else str(position + 1)

    def answer_key(self, lang: str) -> str:
        """The correct option as the answer key prints it ('b', 'Benar'); '' when not known."""
        for i, option in enumerate(self.options):
            if option.correct:
                return self.option_mark(i, lang)
        return ""


@dataclass(frozen=True)
class InstrumentForm:
    """One questionnaire as the participants saw it: its knowledge questions, options, key and sources."""

    title_id: str
    title_en: str
    version: str
    questions: tuple[QuestionInfo, ...]

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_id


@dataclass(frozen=True)
class Person:
    """One participant: her scores and what she answered at registration."""

    index: int
    pseudonym: str
    personal_code: str
    name: str
    session_id: int | None
    characteristics: dict
    pre: float | None
    post: float | None
    pre_status: str  # "none" | "started" | "done"
    post_status: str
    joined_at: datetime | None = None
    pre_submitted_at: datetime | None = None
    post_submitted_at: datetime | None = None
    #: The follow-up (delayed post-) test, when the session has one.
    followup: float | None = None
    followup_status: str = "none"
    followup_submitted_at: datetime | None = None

    def shown_name(self, with_names: bool) -> str:
        return self.name if with_names else self.pseudonym


@dataclass(frozen=True)
class AnswerRow:
    """One chosen option of a submitted attempt (for the long exports)."""

    person: int
    kind: str
    question: str
    option: str
    correct: bool
    #: The Likert points of an attitude answer (1..5 as answered), None for a knowledge question.
    value: int | None = None


@dataclass
class ReportData:
    """Everything a report or an export needs, in participant order."""

    activities: list[Activity]
    people: list[Person]
    #: Knowledge questions of the pre-test quiz; empty when the answers cannot be compared item by item.
    questions: list[QuestionInfo] = field(default_factory=list)
    #: People x questions, 1 right, 0 wrong or blank, NaN when that test was not submitted.
    items_pre: np.ndarray | None = None
    items_post: np.ndarray | None = None
    #: Characteristic keys in the order the sessions asked them.
    characteristic_keys: list[str] = field(default_factory=list)
    answers: list[AnswerRow] = field(default_factory=list)
    max_score: float = 100.0
    threshold: float = 76.0
    cutoffs: dict[str, float] = field(default_factory=lambda: {"baik": 76.0, "cukup": 56.0})
    #: "app" or "file": free-text characteristics from a file are printed as they are.
    source: str = "app"
    #: Why there is no item-level analysis, when there is none: "parallel_forms" | "mixed_quizzes" | None.
    items_note: str | None = None
    #: The questionnaires used (pre-test form first), for the instrument appendix; empty for a file.
    instrument: list[InstrumentForm] = field(default_factory=list)
    #: KR-20 below this is commented on as low reliability (setting RELIABILITY_MINIMUM).
    reliability_minimum: float = 0.7
    #: The attitude (Likert) statements, and people x statements answers 1..5 as given (NaN = none).
    attitude_statements: list[QuestionInfo] = field(default_factory=list)
    attitude_pre: np.ndarray | None = None
    attitude_post: np.ndarray | None = None
    #: Why the attitude scale is not analysed though the quiz has one: "not_five_points" | None.
    attitude_note: str | None = None
    #: The attitude category rule (analysis.attitude.ATTITUDE_RULES) and its cut-offs.
    attitude_rule: str = "percent"
    attitude_cutoffs: dict[str, float] = field(default_factory=lambda: {"baik": 76.0, "cukup": 56.0})
    #: Each person's group in a two-group comparison (the keys of app.models.session.STUDY_GROUPS),
    #: None outside a comparison; `group_reference` is the control (or medium A) group.
    groups: list[str | None] | None = None
    group_reference: str | None = None
    #: A follow-up test was opened in (one of) the sessions: its scores go into every table and file.
    has_followup: bool = False
    #: People x questions at the follow-up (as items_pre), when it used the same quiz version.
    items_followup: np.ndarray | None = None

    @property
    def pooled(self) -> bool:
        return len(self.activities) > 1

    @property
    def pre(self) -> np.ndarray:
        import numpy as np

        return np.array([np.nan if p.pre is None else p.pre for p in self.people], dtype=float)

    @property
    def post(self) -> np.ndarray:
        import numpy as np

        return np.array([np.nan if p.post is None else p.post for p in self.people], dtype=float)

    @property
    def followup(self) -> np.ndarray:
        import numpy as np

        return np.array([np.nan if p.followup is None else p.followup for p in self.people], dtype=float)

    def band_key(self, key: str) -> str | None:
        """The app characteristic whose bands a file's number column takes ('Umur (tahun)' -> 'age')."""
        if self.source != "file":
            return key if key in _GROUPS else None
        if key not in self.numeric_file_columns:
            return None
        stem = header_key(re.sub(r"\(.*?\)", "", key))
        return next((band for band, names in _FILE_NUMBER_NAMES.items() if stem in names), None)

    @property
    def numeric_file_columns(self) -> set[str]:
        """A file's characteristic columns that hold numbers with many values (ages, not codes 1-3)."""
        if self.source != "file":
            return set()
        found = set()
        for key in self.characteristic_keys:
            values = [p.characteristics.get(key) for p in self.people]
            given = [v for v in values if v not in (None, "")]
            if given and all(_as_number(v) is not None for v in given) and len(set(given)) >= 6:
                found.add(key)
        return found

    def numeric_values(self, key: str) -> list[float | None] | None:
        """The numbers of a number characteristic (None where not answered), or None for a category."""
        spec = CHARACTERISTICS.get(key)
        is_number = (
            key in self.numeric_file_columns
            if self.source == "file"
            else spec is not None and spec.kind == "int"
        )
        if not is_number:
            return None
        return [_as_number(p.characteristics.get(key)) for p in self.people]

    def characteristic_name(self, key: str, lang: str) -> str:
        spec = CHARACTERISTICS.get(key)
        if spec is None or self.source == "file":
            return key
        with force_locale(lang):
            return str(spec.short_label)

    def characteristic_value(self, key: str, raw, lang: str) -> str | None:
        """The label printed for one answer; numbers are grouped as reports group them."""
        if raw is None or raw == "":
            return None
        spec = CHARACTERISTICS.get(key)
        if self.source == "file":
            band = self.band_key(key)
            return group_number(band, raw, lang) if band else str(raw)
        if spec is None:
            return str(raw)
        if spec.kind == "choice":
            with force_locale(lang):
                return spec.choice_label(raw)
        return group_number(key, raw, lang)

    def characteristic_order(self, key: str, lang: str) -> list[str]:
        """Category labels in a fixed order: choices as the registration lists them, number groups
        ascending; a file's own categories in a known order (SD, SMP, SMA ...) or else sorted."""
        spec = CHARACTERISTICS.get(key)
        band = self.band_key(key)
        if band:
            return [label for label, _ in _GROUPS[band]]
        if self.source == "file":
            return file_category_order(str(p.characteristics.get(key)) for p in self.people)
        if spec is None:
            return []
        if spec.kind == "choice":
            with force_locale(lang):
                return [str(label) for _, label in spec.choices]
        return []

    def characteristic_unit(self, key: str, lang: str) -> str:
        """The unit of a number characteristic ('tahun', 'bulan'), '' for choices and files."""
        spec = CHARACTERISTICS.get(key)
        if spec is None or self.source == "file" or isinstance(spec.unit, str):
            return ""  # a unit is a lazy string; "" means none
        with force_locale(lang):
            return str(spec.unit)

    def is_banded(self, key: str) -> bool:
        """A number characteristic the report groups in bands (age, parity, baby's age ...)."""
        return self.source == "app" and key in _GROUPS

    def characteristic_labels(self, lang: str) -> dict[str, list[str | None]]:
        """Categories per characteristic for analysis/; a file's number column without bands is left out
        (the report gives its mean ± SD instead of one row per value)."""
        return {
            self.characteristic_name(key, lang): [
                self.characteristic_value(key, p.characteristics.get(key), lang) for p in self.people
            ]
            for key in self.characteristic_keys
            if not (key in self.numeric_file_columns and self.band_key(key) is None)
        }

    @property
    def topics(self) -> list[str] | None:
        """The topic tag of each knowledge question, when the quiz tags them and answers are known."""
        if self.items_pre is None or not self.questions or not any(q.topic for q in self.questions):
            return None
        return [q.topic for q in self.questions]

    def attitude_arguments(self) -> dict[str, Any]:
        """analyse()'s attitude arguments, empty without a (five-point) scale."""
        if self.attitude_pre is None or self.attitude_post is None or not self.attitude_statements:
            return {}
        return {
            "attitude_pre": self.attitude_pre,
            "attitude_post": self.attitude_post,
            "attitude_statements": [q.key for q in self.attitude_statements],
            "attitude_reverse": [q.key for q in self.attitude_statements if q.reverse],
            "attitude_rule": self.attitude_rule,
            "attitude_cutoffs": self.attitude_cutoffs,
        }

    def analyse(self, lang: str = "id") -> FullAnalysis:
        """The one call to analysis/ (category labels depend on the language)."""
        from analysis import analyse

        extra: dict[str, Any] = self.attitude_arguments()
        if self.topics is not None:
            extra["topics"] = self.topics
        if self.groups is not None:
            extra["groups"] = self.groups
            extra["group_reference"] = self.group_reference
        return analyse(
            self.pre,
            self.post,
            max_score=self.max_score,
            threshold=self.threshold,
            cutoffs=self.cutoffs,
            items_pre=self.items_pre,
            items_post=self.items_post,
            questions=[q.key for q in self.questions] or None,
            characteristics=self.characteristic_labels(lang),
            participant_ids=[p.pseudonym for p in self.people],
            **extra,
            **self._followup_arguments(),
        )

    def _followup_arguments(self) -> dict[str, Any]:
        """The follow-up scores (and answers) for analysis.analyse, when there is a follow-up."""
        if not self.has_followup:
            return {}
        out: dict[str, Any] = {"followup": self.followup}
        if self.items_followup is not None and self.items_pre is not None:
            out["items_followup"] = self.items_followup
        return out


#: Number characteristics grouped as Indonesian reports group them: (label, upper bound inclusive).
_GROUPS: dict[str, tuple[tuple[str, float], ...]] = {
    "age": (("< 20", 19), ("20–35", 35), ("> 35", float("inf"))),
    "parity": (("0", 0), ("1", 1), ("2–4", 4), ("≥ 5", float("inf"))),
    "baby_age_months": (("0–6", 6), ("7–12", 12), ("13–24", 24), ("> 24", float("inf"))),
    "years_of_service": (("< 5", 4), ("5–10", 10), ("> 10", float("inf"))),
}


#: A file's number column named like one of the app's (compared by header_key, brackets removed).
_FILE_NUMBER_NAMES: dict[str, frozenset[str]] = {
    "age": frozenset({"umur", "usia", "age", "umuribu", "usiaibu", "umurresponden", "usiaresponden"}),
    "parity": frozenset({"paritas", "parity", "jumlahanak", "jumlahanakyangpernahdilahirkan"}),
    "baby_age_months": frozenset({"umurbayi", "usiabayi", "babyage", "ageofthebaby", "umuranak", "usiaanak"}),
    "years_of_service": frozenset({"lamabekerja", "masakerja", "yearsofservice"}),
}


#: Categories Indonesian recaps write in their own order (compared by header_key): education levels.
_KNOWN_ORDERS: tuple[tuple[str, ...], ...] = (
    (
        "tidaksekolah",
        "belumsekolah",
        "noschooling",
        "none",
        "tidaktamatsd",
        "sd",
        "sdsederajat",
        "primary",
        "primaryschool",
        "smp",
        "sltp",
        "mts",
        "smpsederajat",
        "juniorhigh",
        "juniorhighschool",
        "sma",
        "smk",
        "slta",
        "ma",
        "smasmk",
        "smasederajat",
        "seniorhigh",
        "seniorhighschool",
        "d1",
        "d2",
        "d3",
        "d4",
        "diploma",
        "s1",
        "sarjana",
        "perguruantinggi",
        "pt",
        "university",
        "bachelor",
        "s2",
        "magister",
        "master",
        "s3",
        "doktor",
        "doctorate",
    ),
)


def file_category_order(values) -> list[str]:
    """A file's categories in a fixed order: a known list's (education levels) when every value is
    in it, otherwise sorted (numbers by value, then text alphabetically), never first-seen."""
    distinct = sorted({v for v in values if v not in (None, "", "None")})
    for known in _KNOWN_ORDERS:
        rank = {name: i for i, name in enumerate(known)}
        if distinct and all(header_key(v) in rank for v in distinct):
            return sorted(distinct, key=lambda v: (rank[header_key(v)], v))

    def natural(v: str):
        number = _as_number(v)
        return (0, number, "") if number is not None else (1, 0.0, v.casefold())

    return sorted(distinct, key=natural)


def _as_number(value) -> float | None:
    try:
        return parse_number(str(value), decimal_comma=True) if value not in (None, "") else None
    except ValueError:
        return None


def group_number(key: str, raw, lang: str = "id") -> str:
    """The group of a number answer, e.g. age 27 -> '20–35'."""
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return str(raw)
    for label, upper in _GROUPS.get(key, ()):
        if value <= upper:
            return label
    return str(raw)


def _settings() -> dict:
    baik, cukup = current_app.config.get("CATEGORY_CUTOFFS", (76.0, 56.0))
    att_baik, att_cukup = current_app.config.get("ATTITUDE_CUTOFFS", (76.0, 56.0))
    return {
        "threshold": float(current_app.config.get("UNDERSTOOD_THRESHOLD", 76.0)),
        "cutoffs": {"baik": float(baik), "cukup": float(cukup)},
        "reliability_minimum": float(current_app.config.get("RELIABILITY_MINIMUM", 0.7)),
        "attitude_rule": str(current_app.config.get("ATTITUDE_RULE", "percent")),
        "attitude_cutoffs": {"baik": float(att_baik), "cukup": float(att_cukup)},
    }


def _status(attempt: Any) -> str:
    """none, started or done, from an attempt (or an attempt row) or None."""
    if attempt is None:
        return "none"
    return "done" if attempt.submitted_at is not None else "started"


def gather(sessions: Sequence[CounselingSession]) -> ReportData:
    """Participants, scores and every answer of the sessions, in five queries whatever their size."""
    import numpy as np

    sessions = sorted(sessions, key=lambda s: (s.held_on, s.id))
    ids = [s.id for s in sessions]
    # 1. sessions with their educator and quizzes (questions and options of each quiz version)
    loaded = db.session.scalars(
        select(CounselingSession)
        .where(CounselingSession.id.in_(ids))
        .options(
            selectinload(CounselingSession.educator),
            selectinload(CounselingSession.quiz_version)
            .selectinload(QuizVersion.questions)
            .selectinload(Question.options),
            selectinload(CounselingSession.post_quiz_version)
            .selectinload(QuizVersion.questions)
            .selectinload(Question.options),
            selectinload(CounselingSession.followup_quiz_version)
            .selectinload(QuizVersion.questions)
            .selectinload(Question.options),
        )
    ).all()
    by_id = {s.id: s for s in loaded}
    sessions = [by_id[i] for i in ids]
    # 2. participants
    participants = db.session.scalars(
        select(Participant)
        .where(Participant.session_id.in_(ids))
        .order_by(Participant.session_id, Participant.id)
    ).all()
    order = {s.id: n for n, s in enumerate(sessions)}
    participants = sorted(participants, key=lambda p: (order[p.session_id], p.id))
    # 3. attempts
    attempts = db.session.execute(
        select(Attempt.id, Attempt.participant_id, Attempt.kind, Attempt.score, Attempt.submitted_at)
        .join(Participant, Attempt.participant_id == Participant.id)
        .where(Participant.session_id.in_(ids))
    ).all()
    # 4. answers of submitted attempts, with question and option keys
    answer_rows = db.session.execute(
        select(Answer.attempt_id, Question.key, Option.key, Option.is_correct, Option.value)
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .join(Participant, Attempt.participant_id == Participant.id)
        .join(Question, Answer.question_id == Question.id)
        .join(Option, Answer.option_id == Option.id)
        .where(Participant.session_id.in_(ids), Attempt.submitted_at.is_not(None))
    ).all()

    by_person: dict[int, dict[str, Any]] = {}  # attempt rows: id, participant_id, kind, score, submitted_at
    for a in attempts:
        by_person.setdefault(a.participant_id, {})[a.kind] = a
    names = pseudonyms(len(participants))
    people = []
    for i, p in enumerate(participants):
        pre_a, post_a = by_person.get(p.id, {}).get("pre"), by_person.get(p.id, {}).get("post")
        followup_a = by_person.get(p.id, {}).get("followup")
        people.append(
            Person(
                index=i,
                pseudonym=names[i],
                personal_code=p.personal_code,
                name=p.name,
                session_id=p.session_id,
                characteristics=dict(p.characteristics or {}),
                pre=pre_a.score if pre_a is not None and pre_a.submitted_at is not None else None,
                post=post_a.score if post_a is not None and post_a.submitted_at is not None else None,
                pre_status=_status(pre_a),
                post_status=_status(post_a),
                joined_at=p.created_at,
                pre_submitted_at=pre_a.submitted_at if pre_a is not None else None,
                post_submitted_at=post_a.submitted_at if post_a is not None else None,
                followup=followup_a.score
                if followup_a is not None and followup_a.submitted_at is not None
                else None,
                followup_status=_status(followup_a),
                followup_submitted_at=followup_a.submitted_at if followup_a is not None else None,
            )
        )

    # Item level only when every pre-test and post-test used one and the same quiz version.
    versions = {s.quiz_version_id for s in sessions} | {
        s.post_quiz_version_id or s.quiz_version_id for s in sessions
    }
    questions: list[QuestionInfo] = []
    items_pre = items_post = None
    items_note = None
    first = sessions[0] if sessions else None
    if first is not None and len(versions) == 1:
        scored = first.quiz_version.knowledge_questions
        questions = [_question_info(q) for q in scored]
    elif any(s.post_quiz_version_id and s.post_quiz_version_id != s.quiz_version_id for s in sessions):
        items_note = "parallel_forms"
    elif sessions:
        items_note = "mixed_quizzes"

    person_of = {p.id: i for i, p in enumerate(participants)}
    attempt_index = {
        a.id: (person_of[a.participant_id], a.kind) for a in attempts if a.participant_id in person_of
    }
    answers = [
        AnswerRow(attempt_index[r[0]][0], attempt_index[r[0]][1], r[1], r[2], bool(r[3]), r[4])
        for r in answer_rows
        if r[0] in attempt_index
    ]
    has_followup = any(s.has_followup for s in sessions)
    # The follow-up's answers item by item only when it used the pre-test's quiz version too.
    followup_items = has_followup and all(
        not s.has_followup or s.followup_quiz_version_id == s.quiz_version_id for s in sessions
    )
    items_followup = None
    if questions:
        col = {q.key: j for j, q in enumerate(questions)}
        shape = (len(people), len(questions))
        items_pre, items_post = np.full(shape, np.nan), np.full(shape, np.nan)
        items_followup = np.full(shape, np.nan) if followup_items else None
        for person in people:
            if person.pre is not None:
                items_pre[person.index] = 0.0
            if person.post is not None:
                items_post[person.index] = 0.0
            if items_followup is not None and person.followup is not None:
                items_followup[person.index] = 0.0
        by_kind = {"pre": items_pre, "post": items_post, "followup": items_followup}
        for row in answers:
            j = col.get(row.question)
            target = by_kind.get(row.kind)
            if j is None or target is None:
                continue  # an attitude (Likert) item, or a follow-up on a parallel form
            target[row.person, j] = 1.0 if row.correct else 0.0

    attitude = _attitude(sessions, versions, people, answers)
    keys: list[str] = []
    for s in sessions:
        keys += [k for k in (s.characteristics or []) if k not in keys]
    return ReportData(
        activities=[_activity(s) for s in sessions],
        people=people,
        questions=questions,
        items_pre=items_pre,
        items_post=items_post,
        characteristic_keys=keys,
        answers=answers,
        items_note=items_note,
        instrument=_instrument(sessions),
        **attitude,
        has_followup=has_followup,
        items_followup=items_followup,
        **_settings(),
    )


def _question_info(q: Question) -> QuestionInfo:
    options = tuple(OptionInfo(o.key, o.text_id, o.text_en, bool(o.is_correct)) for o in q.options)
    return QuestionInfo(q.key, q.stem_id, q.stem_en, q.type, options, q.source or "", topic=q.topic or "")


def _instrument(sessions: Sequence[CounselingSession]) -> list[InstrumentForm]:
    """Each questionnaire the sessions used, once, the pre-test form before its post-test form."""
    forms, seen = [], set()
    for s in sessions:
        for version in (s.quiz_version, s.post_quiz_version):
            if version is None or version.id in seen:
                continue
            seen.add(version.id)
            questions = tuple(_question_info(q) for q in version.knowledge_questions)
            forms.append(InstrumentForm(version.title_id, version.title_en, version.version_label, questions))
    return forms


def _attitude(
    sessions: Sequence[CounselingSession], versions: set, people: list[Person], answers: list[AnswerRow]
) -> dict[str, Any]:
    """The attitude statements and answers (1..5 as given), when every test used one quiz with a scale.

    A submitted test's unanswered statement is NaN (that participant has no total for the test);
    a scale of other than five points is named in `attitude_note` and not analysed (reverse
    scoring as 6 - x holds for five points only).
    """
    import numpy as np

    if not sessions or len(versions) != 1:
        return {}
    likert = [q for q in sessions[0].quiz_version.questions if q.type == "likert"]
    if not likert:
        return {}
    # the scale from the stored content (already loaded): reading q.options would cost a query each
    scales = {
        q.get("key"): q.get("scale") for q in (sessions[0].quiz_version.content or {}).get("questions", [])
    }
    if any((scales.get(q.key) or 5) != 5 for q in likert):
        return {"attitude_note": "not_five_points"}
    statements = [
        QuestionInfo(q.key, q.stem_id, q.stem_en, q.type, topic=q.topic or "", reverse=bool(q.reverse))
        for q in likert
    ]
    col = {q.key: j for j, q in enumerate(statements)}
    shape = (len(people), len(statements))
    pre, post = np.full(shape, np.nan), np.full(shape, np.nan)
    for row in answers:
        j = col.get(row.question)
        if j is not None and row.value is not None:
            (pre if row.kind == "pre" else post)[row.person, j] = float(row.value)
    return {"attitude_statements": statements, "attitude_pre": pre, "attitude_post": post}


def with_groups(data: ReportData, group_of_session: dict[int, str], reference: str) -> ReportData:
    """The same data for a two-group comparison: each person in her session's group."""
    data.groups = [group_of_session.get(p.session_id) if p.session_id else None for p in data.people]
    data.group_reference = reference
    return data


def _activity(s: CounselingSession) -> Activity:
    post = (
        s.post_quiz_version
        if s.post_quiz_version_id and s.post_quiz_version_id != s.quiz_version_id
        else None
    )
    followup = (
        s.followup_quiz_version
        if s.followup_quiz_version_id and s.followup_quiz_version_id != s.quiz_version_id
        else None
    )
    return Activity(
        title=s.title,
        place=s.place,
        held_on=s.held_on,
        educator=s.educator.full_name if s.educator else "",
        team=s.team or "",
        institution=s.institution or (s.educator.institution if s.educator else ""),
        quiz_title_id=s.quiz_version.title_id,
        quiz_title_en=s.quiz_version.title_en,
        quiz_version=s.quiz_version.version_label,
        post_quiz_title_id=post.title_id if post else "",
        post_quiz_title_en=post.title_en if post else "",
        n_questions=len(s.quiz_version.knowledge_questions),
        session_id=s.id,
        details=sessioninfo.for_session(s),
        followup_opened_at=s.followup_opened_at,
        followup_quiz_title_id=followup.title_id if followup else "",
        followup_quiz_title_en=followup.title_en if followup else "",
    )


def from_session_file(data: SessionData, activity: Activity, *, max_score: float = 100.0) -> ReportData:
    """The same structure from a file `python -m analysis report` reads (Google Forms, Excel)."""
    import numpy as np

    names = pseudonyms(len(data.participants))
    people = []
    for i, code in enumerate(data.participants):
        pre, post = float(data.pre[i]), float(data.post[i])
        people.append(
            Person(
                index=i,
                pseudonym=names[i],
                personal_code=code,
                name=code,
                session_id=None,
                characteristics={k: v[i] for k, v in data.characteristics.items()},
                pre=None if np.isnan(pre) else pre,
                post=None if np.isnan(post) else post,
                pre_status="none" if np.isnan(pre) else "done",
                post_status="none" if np.isnan(post) else "done",
            )
        )
    n_questions = len(data.questions) or activity.n_questions
    settings = _settings()
    return ReportData(
        activities=[Activity(**{**activity.__dict__, "n_questions": n_questions})],
        people=people,
        questions=[QuestionInfo(q) for q in data.questions],
        items_pre=data.items_pre,
        items_post=data.items_post,
        characteristic_keys=list(data.characteristics),
        max_score=max_score,
        **settings,
        source="file",
    )
