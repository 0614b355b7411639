"""Database models, one module per aggregate."""

from app.models import cohort  # noqa: F401  (registers the cohort tables, app/models/cohort.py)
from app.models.audit import AuditLog
from app.models.bundle import BundleConflict, BundleImport, Laptop, SyncedRecord
from app.models.educator import Educator, SessionAccess
from app.models.participant import Answer, Attempt, Certificate, Participant
from app.models.quiz import Option, Question, QuizVersion
from app.models.session import CounselingSession, Phase, PhaseError

__all__ = [
    "Answer",
    "Attempt",
    "AuditLog",
    "BundleConflict",
    "BundleImport",
    "Certificate",
    "CounselingSession",
    "Educator",
    "Laptop",
    "Option",
    "Participant",
    "Phase",
    "PhaseError",
    "Question",
    "QuizVersion",
    "SessionAccess",
    "SyncedRecord",
]
