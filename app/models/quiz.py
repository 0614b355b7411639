"""Immutable quiz versions loaded from quizzes/, with their questions and options."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._time import utcnow
from app.models.types import UTCDateTime

#: Question types whose answers count toward the knowledge score.
KNOWLEDGE_TYPES = ("single_choice", "true_false")


class QuizVersion(db.Model):
    """One version of a quiz file, identified by the hash of its content; never edited."""

    __tablename__ = "quiz_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The quiz id from the file, e.g. "produksi-asi"; several versions share it.
    quiz_key: Mapped[str] = mapped_column(String(64), index=True)
    #: The human version label from the file.
    version_label: Mapped[str] = mapped_column(String(32))
    #: SHA-256 of the canonical content: the identity of this version.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title_id: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description_id: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    #: mothers | family | cadres | health_workers
    audience: Mapped[str] = mapped_column(String(32))
    #: "A" or "B" for parallel forms, else None.
    form: Mapped[str | None] = mapped_column(String(8))
    #: Quizzes with the same group are parallel forms of one instrument.
    parallel_group: Mapped[str | None] = mapped_column(String(64))
    #: File name it was loaded from, for messages.
    source_file: Mapped[str] = mapped_column(String(200))
    #: The canonical content the hash was taken over.
    content: Mapped[dict] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz_version", order_by="Question.position", cascade="all, delete-orphan"
    )

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_id

    @property
    def knowledge_questions(self) -> list[Question]:
        return [q for q in self.questions if q.type in KNOWLEDGE_TYPES]

    def __repr__(self) -> str:
        return f"<QuizVersion {self.quiz_key} {self.content_hash[:8]}>"


class Question(db.Model):
    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("quiz_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_version_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_version.id", ondelete="CASCADE"), index=True
    )
    #: Stable key from the file.
    key: Mapped[str] = mapped_column(String(64))
    #: 0-based order in the quiz.
    position: Mapped[int]
    #: single_choice | true_false | likert
    type: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(64))
    stem_id: Mapped[str] = mapped_column(Text)
    stem_en: Mapped[str] = mapped_column(Text)
    explanation_id: Mapped[str] = mapped_column(Text, default="")
    explanation_en: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    #: Likert items only: True when agreeing means a worse attitude.
    reverse: Mapped[bool] = mapped_column(default=False)

    quiz_version: Mapped[QuizVersion] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(
        back_populates="question", order_by="Option.position", cascade="all, delete-orphan"
    )

    @property
    def scored(self) -> bool:
        return self.type in KNOWLEDGE_TYPES

    def stem(self, lang: str) -> str:
        return self.stem_en if lang == "en" else self.stem_id

    def explanation(self, lang: str) -> str:
        return self.explanation_en if lang == "en" else self.explanation_id

    @property
    def correct_option(self) -> Option | None:
        return next((o for o in self.options if o.is_correct), None)


class Option(db.Model):
    __tablename__ = "option"
    __table_args__ = (UniqueConstraint("question_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    text_id: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    is_correct: Mapped[bool] = mapped_column(default=False)
    #: Likert items: the points before any reversal (1..scale).
    value: Mapped[int | None]

    question: Mapped[Question] = relationship(back_populates="options")

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_id
