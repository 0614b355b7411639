"""One writer of an answer, one rule set: what is stored, changed, resent, late, closed or submitted.

Every answer, autosaved (JSON) or posted by the form without JavaScript, goes through
`participants.record_answer`, whose one statement checks and writes together. These tests
hold it to its rules: the tablet's sequence number (never its clock) orders the choices of an
attempt, with the arrival as the tie-break; the statements an autosave costs; and a submit or
the closing of the test coming between the request's start and its write, on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Answer, Attempt, AuditLog, CounselingSession, Option, Participant
from app.services import participants as svc
from tests.app.test_query_counts import counted_statements
from tests.app.test_session_flow import quiz_from_file
from tests.conftest import Tablet, csrf_from, one_tablet_in

QUESTIONS = quiz_from_file("produksi-asi")


def joined(app, educator_client, name="Rina"):
    sid, _code, tab = one_tablet_in(app, educator_client, name)
    csrf = tab.csrf_token("pre")
    participant = db.session.scalars(select(Participant).where(Participant.name == name)).one()
    return sid, tab, csrf, participant


def stored_answer() -> Answer:
    db.session.expire_all()
    return db.session.scalars(select(Answer)).one()


def attempt_of(participant) -> Attempt:
    db.session.expire_all()
    return db.session.scalars(select(Attempt).where(Attempt.participant_id == participant.id)).one()


# --- the tablet's clock decides nothing ------------------------------------------------------


def test_a_change_on_a_tablet_whose_clock_is_behind_is_stored(app, educator_client):
    """Issue 15 item 1: the second choice carries an earlier device time (the clock is behind, or
    was corrected); before, it was "superseded" and the first choice kept."""
    _sid, tab, csrf, _p = joined(app, educator_client)
    q = QUESTIONS[0]
    a, b = q["options"][0], q["options"][1]
    first = tab.answer_json("pre", q["key"], a, seq=1, chosen_at="2026-11-20T03:00:05Z", csrf=csrf)
    second = tab.answer_json("pre", q["key"], b, seq=2, chosen_at="2026-11-20T02:00:00Z", csrf=csrf)
    assert [first.get_json()["status"], second.get_json()["status"]] == ["stored", "stored"]
    row = stored_answer()
    assert row.option.key == b
    assert row.chosen_at == datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # kept, not trusted
    assert row.seq == 2


def test_a_device_time_in_year_9999_does_not_pin_the_answer(app, educator_client):
    _sid, tab, csrf, _p = joined(app, educator_client)
    q = QUESTIONS[1]
    a, b = q["options"][0], q["options"][1]
    tab.answer_json("pre", q["key"], a, seq=1, chosen_at="9999-12-31T23:59:59Z", csrf=csrf)
    changed = tab.answer_json("pre", q["key"], b, seq=2, chosen_at="2026-11-20T03:00:00Z", csrf=csrf)
    assert changed.get_json()["status"] == "stored"
    assert stored_answer().option.key == b


def test_without_numbers_the_later_arrival_wins(app, educator_client):
    """A tie (the no-JavaScript form of an old page, two tablets at the same number): arrival order."""
    _sid, tab, csrf, _p = joined(app, educator_client)
    q = QUESTIONS[2]
    a, b = q["options"][0], q["options"][1]
    for option, at in ((a, "2026-11-20T03:00:09Z"), (b, "2026-11-20T03:00:01Z")):
        assert (
            tab.answer_json("pre", q["key"], option, chosen_at=at, csrf=csrf).get_json()["status"] == "stored"
        )
    assert stored_answer().option.key == b


def test_a_late_older_choice_is_not_called_saved_and_names_the_stored_one(app, educator_client):
    """The reply quiz.js reads: "superseded" with the option the server keeps, so the tablet shows
    that one instead of "saved"; the ignored choice leaves an audit entry."""
    _sid, tab, csrf, _p = joined(app, educator_client)
    q = QUESTIONS[3]
    a, b = q["options"][0], q["options"][1]
    tab.answer_json("pre", q["key"], b, seq=7, csrf=csrf)
    late = tab.answer_json("pre", q["key"], a, seq=6, csrf=csrf)
    assert late.status_code == 200
    assert late.get_json() == {
        "ok": True,
        "status": "superseded",
        "question": q["key"],
        "option": b,
        "seq": 7,
    }
    assert stored_answer().option.key == b
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "answer.superseded")).one()
    assert entry.detail["seq"] == 6 and entry.detail["stored_seq"] == 7
    assert entry.actor_id is None


def test_a_change_of_mind_is_traced_on_the_answer_row(app, educator_client):
    _sid, tab, csrf, _p = joined(app, educator_client)
    q = QUESTIONS[6]
    a, b, c = q["options"][0], q["options"][1], q["options"][2]
    for seq, option in enumerate((a, b, c), start=1):
        tab.answer_json("pre", q["key"], option, seq=seq, csrf=csrf)
    row = stored_answer()
    previous = db.session.get(Option, row.previous_option_id)
    assert (row.option.key, row.changes, previous.key) == (c, 2, b)


def test_a_resumed_tablet_continues_the_numbers(app, educator_client):
    """The question page gives the highest number stored, so a second tablet's choice comes after the first's."""
    sid, tab, csrf, participant = joined(app, educator_client)
    q = QUESTIONS[5]
    a, b = q["options"][0], q["options"][1]
    tab.answer_json("pre", q["key"], a, seq=41, csrf=csrf)
    code = tab.personal_code()
    tab.resume(db.session.get(CounselingSession, sid).join_code, code)
    page = tab.question_page("pre", 1)
    assert '"seq": 41' in page.text  # quiz.js starts after it
    assert 'name="seq" type="hidden" value="42"' in page.text  # and the plain form posts after it
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "participant.resume")).one()
    assert entry.detail == {"participant": participant.id}
    assert tab.answer_json("pre", q["key"], b, seq=42).get_json()["status"] == "stored"
    assert stored_answer().option.key == b


def test_a_resent_answer_is_recognised_even_after_the_submit(app, educator_client):
    _sid, tab, csrf, _p = joined(app, educator_client, "Yuli")
    q = QUESTIONS[1]
    sent = tab.answer_json("pre", q["key"], q["correct"], key="same-key", seq=1, csrf=csrf)
    resent = tab.answer_json("pre", q["key"], q["correct"], key="same-key", seq=1, csrf=csrf)
    assert [sent.get_json()["status"], resent.get_json()["status"]] == ["stored", "duplicate"]
    tab.submit("pre")
    after = tab.answer_json("pre", q["key"], q["correct"], key="same-key", seq=1, csrf=csrf)
    assert after.get_json()["status"] == "duplicate"  # it was saved: the tablet may forget it
    assert len(db.session.scalars(select(Answer)).all()) == 1


def test_nothing_is_written_that_should_not_be(app, educator_client):
    """Unknown question or option, another kind, a submitted attempt: no row, and a reason."""
    _sid, tab, csrf, _p = joined(app, educator_client, "Nur")
    q = QUESTIONS[2]
    assert tab.answer_json("pre", q["key"], "zz", csrf=csrf).status_code == 422
    assert tab.answer_json("pre", "no-such-question", q["correct"], csrf=csrf).status_code == 422
    assert tab.answer_json("post", q["key"], q["correct"], csrf=csrf).status_code == 409
    assert tab.answer_json("mid", q["key"], q["correct"], csrf=csrf).status_code == 404
    assert db.session.scalars(select(Answer)).all() == []
    tab.submit("pre")
    after = tab.answer_json("pre", q["key"], q["correct"], csrf=csrf)
    assert after.status_code == 409 and after.get_json()["error"] == "attempt_submitted"
    assert db.session.scalars(select(Answer)).all() == []


# --- what an autosave costs -----------------------------------------------------------------


def statements_of(tab, csrf, **body) -> tuple[int, str]:
    with counted_statements() as seen:
        response = tab.answer_json("pre", csrf=csrf, **body)
    assert response.status_code == 200, response.text
    return len(seen), response.get_json()["status"]


def test_an_autosave_takes_at_most_two_statements(app, educator_client):
    """A new choice and a changed one are one statement each; a resent key is two."""
    _sid, tab, csrf, _p = joined(app, educator_client)
    q, other = QUESTIONS[0], QUESTIONS[1]
    tab.answer_json("pre", q["key"], q["options"][0], seq=1, csrf=csrf)  # the first answer starts the attempt
    assert statements_of(tab, csrf, question=other["key"], option=other["options"][0], seq=2) == (1, "stored")
    assert statements_of(tab, csrf, question=other["key"], option=other["options"][1], seq=3) == (1, "stored")
    assert statements_of(
        tab, csrf, question=other["key"], option=other["options"][1], key="resent-key", seq=4
    ) == (1, "stored")
    assert statements_of(
        tab, csrf, question=other["key"], option=other["options"][1], key="resent-key", seq=4
    ) == (2, "duplicate")


def test_the_first_answer_starts_the_attempt_in_four_statements(app, educator_client):
    """The statement, the read that tells why it wrote nothing, the start, the statement again.

    A room's first answers all come within seconds: starting an attempt loads no participant,
    session or quiz (before, about ten statements and the session's and quiz's rows)."""
    _sid, tab, csrf, participant = joined(app, educator_client)
    q = QUESTIONS[0]
    assert statements_of(tab, csrf, question=q["key"], option=q["options"][0], seq=1) == (4, "stored")
    attempt = attempt_of(participant)
    assert attempt.kind == "pre" and attempt.uuid and attempt.started_at is not None
    assert (
        attempt.quiz_version_id == db.session.get(CounselingSession, participant.session_id).quiz_version_id
    )


def test_the_question_page_starts_nothing(app, educator_client):
    """Opening the quiz (a GET) starts no attempt; the first answer does."""
    _sid, tab, csrf, participant = joined(app, educator_client)
    assert tab.question_page("pre", 1).status_code == 200
    assert tab.client.get("/quiz/pre/review").status_code == 200
    assert db.session.scalar(select(func.count(Attempt.id))) == 0
    q = QUESTIONS[0]
    assert tab.answer_json("pre", q["key"], q["correct"], csrf=csrf).get_json()["status"] == "stored"
    assert attempt_of(participant).kind == "pre"


# --- a submit or the closing of the test between the request's start and its write ----------


def other_connection(app):
    """A second connection to the test database, as another gunicorn worker would hold."""
    url = db.engine.url
    if app.config["BACKEND"] == "sqlite":
        return sqlite3.connect(url.database, timeout=0.5, isolation_level=None)
    import psycopg

    return psycopg.connect(url.render_as_string(hide_password=False).replace("+psycopg", ""), autocommit=True)


@contextmanager
def just_before_the_answer_is_written(app, sql: str):
    """Run `sql` on another connection, committed, right before the answer's statement runs."""
    done = []

    def meanwhile(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO ANSWER") and not done:
            done.append(True)
            other = other_connection(app)
            try:
                other.execute(sql)
            finally:
                other.close()

    event.listen(db.engine, "before_cursor_execute", meanwhile)
    try:
        yield done
    finally:
        event.remove(db.engine, "before_cursor_execute", meanwhile)


def form_post(tab, n: int, option: str):
    page = tab.question_page("pre", n)
    return tab.client.post(
        f"/quiz/pre/{n}", data={"option": option, "direction": "next", "csrf_token": csrf_from(page.text)}
    )


def second_answer_refused_after(app, sql: str, path: str, tab, csrf, participant) -> None:
    """Question 2 answered by `path` ("form" or "autosave") while `sql` commits on another
    connection just before the answer's write: a 409, and only question 1's answer is stored."""
    q0, q1 = QUESTIONS[0], QUESTIONS[1]
    with just_before_the_answer_is_written(app, sql) as done:
        if path == "form":
            response = form_post(tab, 2, q1["correct"])
        else:
            response = tab.answer_json("pre", q1["key"], q1["correct"], csrf=csrf)
    assert done
    assert response.status_code == 409
    assert [a.question.key for a in attempt_of(participant).answers] == [q0["key"]]


@pytest.mark.parametrize("path", ["form", "autosave"])
def test_a_submit_that_lands_before_the_write_locks_the_attempt(app, educator_client, path):
    """Issue 15 item 3: the request read the attempt unsubmitted, then another tablet's submit
    committed; the answer must not be written after it (on SQLite it was)."""
    _sid, tab, csrf, participant = joined(app, educator_client)
    q0 = QUESTIONS[0]
    tab.answer_json("pre", q0["key"], q0["correct"], csrf=csrf)
    attempt_id = attempt_of(participant).id
    submit = f"UPDATE attempt SET submitted_at = '2026-11-20 03:00:00.000000', submit_key = 'k' WHERE id = {attempt_id}"
    second_answer_refused_after(app, submit, path, tab, csrf, participant)


@pytest.mark.parametrize("path", ["form", "autosave"])
def test_closing_the_test_before_the_write_stops_the_answer(app, educator_client, path):
    """Issue 15 item 4: the phase is read inside the write, not from the session loaded at the start."""
    sid, tab, csrf, participant = joined(app, educator_client)
    q0 = QUESTIONS[0]
    tab.answer_json("pre", q0["key"], q0["correct"], csrf=csrf)
    close = f"UPDATE counseling_session SET phase = 'pre_closed' WHERE id = {sid}"
    second_answer_refused_after(app, close, path, tab, csrf, participant)


def test_an_answer_arriving_while_a_submit_commits_waits_and_writes_nothing(app, educator_client):
    """The submit has marked the attempt submitted but not yet committed (it is scoring). The
    answer must wait for it and then store nothing."""
    _sid, tab, csrf, participant = joined(app, educator_client, "Dewi")
    q0, q = QUESTIONS[0], QUESTIONS[4]
    tab.answer_json("pre", q0["key"], q0["correct"], csrf=csrf)
    attempt_id = attempt_of(participant).id
    result: list = []

    def autosave():
        with app.test_request_context():
            try:
                result.append(svc.record_answer(participant.id, "pre", q["key"], q["correct"], "racing"))
            except svc.ParticipantError as exc:
                result.append(exc.code)
            db.session.commit()

    submit = other_connection(app)
    try:
        submit.execute("BEGIN")
        submit.execute(
            f"UPDATE attempt SET submitted_at = '2026-11-20 03:00:00', submit_key = 'k' WHERE id = {attempt_id}"
        )
        worker = threading.Thread(target=autosave)
        worker.start()
        worker.join(timeout=1.0)
        assert worker.is_alive(), "the answer did not wait for the submit"
        submit.execute("COMMIT")
    finally:
        submit.close()
    worker.join(timeout=30)
    assert result == ["attempt_submitted"]
    assert [a.question.key for a in attempt_of(participant).answers] == [q0["key"]]


def test_a_submit_waits_for_an_answer_being_stored(app, educator_client):
    """While an answer's transaction is open, a submit of the same attempt cannot mark it
    submitted (it would score without that answer); it can once the answer has committed."""
    _sid, tab, csrf, participant = joined(app, educator_client, "Fitri")
    q0, q = QUESTIONS[0], QUESTIONS[5]
    tab.answer_json("pre", q0["key"], q0["correct"], csrf=csrf)
    attempt_id = attempt_of(participant).id
    assert (
        svc.record_answer(participant.id, "pre", q["key"], q["correct"], "k").outcome
        == svc.AnswerOutcome.STORED
    )
    submit = other_connection(app)
    mark = f"UPDATE attempt SET submitted_at = '2026-11-20 03:00:00' WHERE id = {attempt_id}"
    try:
        if app.config["BACKEND"] == "postgresql":
            import psycopg

            submit.execute("SET lock_timeout = '500ms'")
            refused: type[Exception] = psycopg.errors.LockNotAvailable
        else:
            refused = sqlite3.OperationalError  # database is locked
        with pytest.raises(refused):
            submit.execute(mark)
        db.session.commit()
        assert submit.execute(mark).rowcount == 1
    finally:
        submit.close()


def test_submits_racing_answer_forms_score_exactly_the_stored_answers(app, educator_client):
    """Threads post answer forms while each attempt is submitted from another tablet: afterwards
    every stored score is the score of the stored answers (no answer written after its submit).
    The interleaving is up to the threads; the tests above put the submit in the gap for certain."""
    _sid, code = educator_client.open_pre_test()
    people = []
    for i in range(4):
        tab = Tablet(app)
        tab.register(code, f"Ibu {i}")
        tab.answer_form("pre", 1, QUESTIONS[0]["correct"])
        people.append(tab)
    submitters = []
    for tab in people:
        other = Tablet(app)
        other.client._cookies = dict(tab.client._cookies)  # the same participant on a second tablet
        page = other.client.get("/quiz/pre/review")
        key = page.text.split('name="submit_key" type="hidden" value="')[1].split('"')[0]
        submitters.append((other, {"submit_key": key, "csrf_token": csrf_from(page.text)}))
    pages = [[(n, csrf_from(tab.question_page("pre", n).text)) for n in range(2, 9)] for tab in people]

    def answer(i):
        tab = people[i]
        with app.app_context():
            for n, token in pages[i]:
                tab.client.post(
                    f"/quiz/pre/{n}",
                    data={"option": QUESTIONS[n - 1]["correct"], "direction": "next", "csrf_token": token},
                )

    def hand_in(i):
        other, form = submitters[i]
        with app.app_context():
            other.client.post("/quiz/pre/submit", data=form)

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(4)]
    threads += [threading.Thread(target=hand_in, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    db.session.expire_all()
    for attempt in db.session.scalars(select(Attempt)):
        assert attempt.submitted
        correct = sum(1 for a in attempt.answers if a.option.is_correct)
        assert attempt.n_correct == correct


def test_an_autosave_sets_no_cookie_and_a_language_switch_does(app, educator_client):
    """The session cookie is written only when the session changed; a read one still varies by cookie."""
    _sid, tab, csrf, _p = joined(app, educator_client)
    q = QUESTIONS[0]
    saved = tab.answer_json("pre", q["key"], q["options"][0], csrf=csrf)
    assert saved.status_code == 200 and "Set-Cookie" not in saved.headers
    assert [v.strip() for v in saved.headers["Vary"].split(",")] == ["Accept-Encoding", "Cookie"]
    switched = tab.client.get("/lang/en")
    assert switched.status_code == 302 and "session=" in switched.headers["Set-Cookie"]


def test_add_vary_names_a_header_once_whatever_its_case():
    """`add_vary` edits the header's text as `response.vary.add` would."""
    from flask import Response

    from app.security import add_vary

    response = Response()
    add_vary(response, "Cookie")
    assert response.headers["Vary"] == "Cookie"
    add_vary(response, "Accept-Encoding")
    add_vary(response, "cookie")
    assert response.headers.getlist("Vary") == ["Cookie, Accept-Encoding"]
    response.headers["Vary"] = "Accept-Language,COOKIE"
    add_vary(response, "Cookie")
    assert response.headers["Vary"] == "Accept-Language,COOKIE"


def test_the_answer_paths_text_statements_count_as_writes(app, educator_client):
    """A request whose compiled INSERT reached the database is never run again on a fresh connection.

    The answer path's statements are text (`participants.compiled`); the unit of work reads
    every statement at the driver's cursor, so they count as writes as the ORM's do."""
    from flask import g, request_finished

    _sid, tab, csrf, _p = joined(app, educator_client)
    seen = []

    def note(sender, response, **extra):
        seen.append((response.status_code, g.uow.wrote))

    q = QUESTIONS[0]
    with request_finished.connected_to(note, app):
        assert tab.question_page("pre", 1).status_code == 200
        tab.answer_json("pre", q["key"], q["options"][0], seq=1, csrf=csrf)  # starts the attempt
        tab.answer_json("pre", q["key"], q["options"][1], seq=2, csrf=csrf)
    assert seen == [(200, False), (200, True), (200, True)]
