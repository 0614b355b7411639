"""The autosave's one-statement path and the full path agree on what is stored and when.

A new choice goes through `store_new_choice` (one statement); a form post, a resent answer,
a late one or a refused one go through `record_answer`. Both write the same answer row, so
the times each writes must compare correctly with the other's (on SQLite they are text) and
read back as the same instant.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from app.extensions import AUTOSAVE_BIND, db
from app.models import Answer, Attempt, CounselingSession, Participant
from app.services import participants as svc
from tests.app.test_session_flow import quiz_from_file
from tests.conftest import Tablet


def joined(app, educator_client, name="Rina"):
    sid = educator_client.create_session()
    join_code = db.session.get(CounselingSession, sid).join_code
    educator_client.move(sid, "pre_open")
    tab = Tablet(app)
    tab.register(join_code, name)
    csrf = tab.csrf_token("pre")  # opening the first question starts the attempt
    participant = db.session.scalars(select(Participant).where(Participant.name == name)).one()
    return sid, tab, csrf, participant


def stored_answer() -> Answer:
    db.session.expire_all()
    return db.session.scalars(select(Answer)).one()


def test_times_written_by_either_path_compare_and_read_back(app, educator_client):
    _sid, tab, csrf, participant = joined(app, educator_client)
    q = quiz_from_file("produksi-asi")[0]
    a, b = q["options"][0], q["options"][1]
    # One statement: a new choice. A whole second (no microseconds) is the case where a plain
    # isoformat() would write a shorter text that sorts wrongly against ".500000".
    first = tab.answer_json("pre", q["key"], a, chosen_at="2026-11-20T03:00:01Z", csrf=csrf)
    assert first.get_json()["status"] == "stored"
    assert stored_answer().chosen_at == datetime(2026, 11, 20, 3, 0, 1, tzinfo=UTC)

    # The full path, half a second earlier: older than what is stored, so ignored.
    with app.test_request_context():
        attempt = db.session.scalars(select(Attempt).where(Attempt.participant_id == participant.id)).one()
        older = svc.record_answer(
            attempt,
            q["key"],
            b,
            "full-path-key",
            datetime(2026, 11, 20, 3, 0, 0, 500000, tzinfo=UTC),
        )
        db.session.commit()
    assert older.outcome is svc.AnswerOutcome.SUPERSEDED
    assert stored_answer().option.key == a

    # The full path, later: stored over the one-statement path's row.
    with app.test_request_context():
        attempt = db.session.scalars(select(Attempt).where(Attempt.participant_id == participant.id)).one()
        later = svc.record_answer(
            attempt,
            q["key"],
            b,
            "full-path-key-2",
            datetime(2026, 11, 20, 3, 0, 1, 250000, tzinfo=UTC),
        )
        db.session.commit()
    assert later.outcome is svc.AnswerOutcome.STORED
    assert stored_answer().option.key == b

    # Back to the one statement: earlier than the full path's time, then later. A time in
    # another zone is compared as the instant it is.
    earlier = tab.answer_json("pre", q["key"], a, chosen_at="2026-11-20T10:00:01.100+07:00", csrf=csrf)
    assert earlier.get_json()["status"] == "superseded"
    again = tab.answer_json("pre", q["key"], a, chosen_at="2026-11-20T10:00:01.300+07:00", csrf=csrf)
    assert again.get_json()["status"] == "stored"
    row = stored_answer()
    assert row.option.key == a
    assert row.chosen_at == datetime(2026, 11, 20, 3, 0, 1, 300000, tzinfo=UTC)
    assert row.received_at.tzinfo is not None
    if db.engine.dialect.name == "sqlite":
        # Stored as the ORM stores it: UTC text with six decimals, no offset.
        raw = db.session.execute(text("SELECT chosen_at, received_at FROM answer")).one()
        assert raw[0] == "2026-11-20 03:00:01.300000"
        assert len(raw[1]) == 26 and "+" not in raw[1]

    # The same instant through the full path, with another key: a choice made at the same
    # time arrives later, and is stored (the times compare equal, whichever path wrote them).
    with app.test_request_context():
        attempt = db.session.scalars(select(Attempt).where(Attempt.participant_id == participant.id)).one()
        same_time = svc.record_answer(
            attempt,
            q["key"],
            b,
            "full-path-key-3",
            datetime(2026, 11, 20, 3, 0, 1, 300000, tzinfo=UTC),
        )
        db.session.commit()
    assert same_time.outcome is svc.AnswerOutcome.STORED
    assert stored_answer().option.key == b


def test_a_resent_answer_is_recognised_after_the_one_statement_path(app, educator_client):
    _sid, tab, csrf, _participant = joined(app, educator_client, "Yuli")
    q = quiz_from_file("produksi-asi")[1]
    sent = tab.answer_json("pre", q["key"], q["correct"], key="same-key", csrf=csrf)
    resent = tab.answer_json("pre", q["key"], q["correct"], key="same-key", csrf=csrf)
    assert [sent.get_json()["status"], resent.get_json()["status"]] == ["stored", "duplicate"]
    assert len(db.session.scalars(select(Answer)).all()) == 1


def test_one_statement_path_writes_nothing_it_should_not(app, educator_client):
    """Unknown question or option, another kind, a submitted attempt: no row, and the full path says why."""
    _sid, tab, csrf, participant = joined(app, educator_client, "Nur")
    q = quiz_from_file("produksi-asi")[2]
    assert tab.answer_json("pre", q["key"], "zz", csrf=csrf).status_code == 422
    assert tab.answer_json("pre", "no-such-question", q["correct"], csrf=csrf).status_code == 422
    assert tab.answer_json("post", q["key"], q["correct"], csrf=csrf).status_code == 409
    assert db.session.scalars(select(Answer)).all() == []
    with app.test_request_context():
        # A participant id that is not this one's, and a kind that does not exist: nothing stored.
        assert not svc.store_new_choice(participant.id + 1000, "pre", q["key"], q["correct"], "k1", None)
        assert not svc.store_new_choice(participant.id, "mid", q["key"], q["correct"], "k2", None)
        db.session.rollback()
    tab.submit("pre")
    after = tab.answer_json("pre", q["key"], q["correct"], csrf=csrf)
    assert after.status_code == 409
    assert db.session.scalars(select(Answer)).all() == []


def test_the_one_statement_is_a_transaction_of_its_own(app, educator_client):
    """It runs on the autosave engine, whose connections autocommit: what it stored stays even
    when the request's own session rolls back, and no transaction is left open after it."""
    _sid, _tab, _csrf, participant = joined(app, educator_client, "Sari")
    q = quiz_from_file("produksi-asi")[3]
    with app.test_request_context():
        assert svc.store_new_choice(participant.id, "pre", q["key"], q["correct"], "own-transaction", None)
        db.session.rollback()
    assert stored_answer().client_key == "own-transaction"
    with db.engines[AUTOSAVE_BIND].connect() as conn:
        assert conn.dialect.detect_autocommit_setting(conn.connection.dbapi_connection) is True
        assert conn.engine.url == db.engine.url


# --- an answer racing a submit of the same attempt (PostgreSQL; SQLite lets one writer in) -------


def other_connection():
    """A second PostgreSQL connection, as another gunicorn worker would hold."""
    import psycopg

    return psycopg.connect(db.engine.url.render_as_string(hide_password=False).replace("+psycopg", ""))


def needs_postgresql(app):
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("SQLite has no row locks: one writer at a time gives the same order")


def test_an_answer_arriving_while_a_submit_commits_waits_and_writes_nothing(app, educator_client):
    """The submit has marked the attempt submitted but not yet committed (it is scoring). The
    one-statement autosave must wait for it and then store nothing; before the attempt row was
    locked FOR SHARE it stored the answer at once, after the score had been computed without it."""
    needs_postgresql(app)
    _sid, _tab, _csrf, participant = joined(app, educator_client, "Dewi")
    attempt_id = db.session.scalars(select(Attempt.id).where(Attempt.participant_id == participant.id)).one()
    q = quiz_from_file("produksi-asi")[4]
    result: list[bool] = []

    def autosave():
        with app.test_request_context():
            result.append(svc.store_new_choice(participant.id, "pre", q["key"], q["correct"], "racing", None))

    with other_connection() as submit:
        submit.execute(
            "UPDATE attempt SET submitted_at = now(), submit_key = 'k' WHERE id = %s", (attempt_id,)
        )
        worker = threading.Thread(target=autosave)
        worker.start()
        worker.join(timeout=1.0)
        assert worker.is_alive(), "the autosave did not wait for the submit"
        submit.commit()
    worker.join(timeout=10)
    assert result == [False]
    assert db.session.scalars(select(Answer)).all() == []


def test_a_submit_waits_for_an_answer_being_stored_by_the_full_path(app, educator_client):
    """While a form-posted answer's transaction is open, a submit of the same attempt cannot mark
    it submitted (it would score without that answer); it can once the answer has committed."""
    import psycopg

    needs_postgresql(app)
    _sid, _tab, _csrf, participant = joined(app, educator_client, "Fitri")
    attempt = db.session.scalars(select(Attempt).where(Attempt.participant_id == participant.id)).one()
    q = quiz_from_file("produksi-asi")[5]
    assert svc.record_answer(attempt, q["key"], q["correct"], "full-path").outcome == svc.AnswerOutcome.STORED
    with other_connection() as submit:
        submit.execute("SET lock_timeout = '500ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            submit.execute("UPDATE attempt SET submitted_at = now() WHERE id = %s", (attempt.id,))
        submit.rollback()
        db.session.commit()
        assert (
            submit.execute("UPDATE attempt SET submitted_at = now() WHERE id = %s", (attempt.id,)).rowcount
            == 1
        )
        submit.commit()
