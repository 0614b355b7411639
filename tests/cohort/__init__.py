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


def visit_body(key, day, **extra) -> dict:
    """A visit as the cadre's phone sends it (JSON): she came, at home, breastfed in the last 24 hours."""
    body = {
        "client_key": key,
        "visit_date": day.isoformat(),
        "came": "yes",
        "place": "home",
        "breastfed_24h": "yes",
    }
    body.update(extra)
    return body
