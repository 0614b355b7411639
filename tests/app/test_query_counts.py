"""The question page costs the same few queries however long the quiz is.

The page carries the whole quiz (every question with its options) for quiz.js, so a lazy
load per question would grow with the quiz; on the educator's laptop over a hotspot every
participant opens this page for every question.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from app.extensions import db
from app.models import CounselingSession, QuizVersion
from tests.conftest import Tablet


@contextmanager
def counted_statements():
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def queries_for_question_page(app, educator_client, quiz_key: str, name: str) -> tuple[int, int]:
    sid = educator_client.create_session(quiz_key=quiz_key)
    join_code = db.session.get(CounselingSession, sid).join_code
    educator_client.move(sid, "pre_open")
    tab = Tablet(app)
    tab.register(join_code, name)
    assert tab.question_page("pre", 1).status_code == 200  # starts the attempt
    with counted_statements() as seen:
        page = tab.question_page("pre", 2)
    assert page.status_code == 200
    version = db.session.scalars(select(QuizVersion).where(QuizVersion.quiz_key == quiz_key)).one()
    return len(seen), len(version.questions)


def test_question_page_queries_do_not_grow_with_the_quiz(app, educator_client):
    long_count, long_questions = queries_for_question_page(app, educator_client, "produksi-asi", "Rina")
    short_count, short_questions = queries_for_question_page(app, educator_client, "imd-rawat-gabung", "Sari")
    assert long_questions > short_questions  # the control: the quizzes differ in length
    assert long_count == short_count
    assert long_count <= 10
