"""Tests of the follow-up cohort (Kohort ASI)."""

#: The cohort's tables, children first: tests/conftest.py empties them after each test.
COHORT_TABLES = (
    "kpasi_consultation",
    "kpasi_meeting",
    "cohort_certificate",
    "cohort_whatsapp",
    "cohort_visit",
    "cohort_pair",
    "coverage_target",
    "cohort_membership",
    "posyandu",
    "desa",
    "puskesmas",
)
