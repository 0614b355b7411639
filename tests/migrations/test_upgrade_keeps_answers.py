"""`flask db upgrade` on a database that holds a finished session keeps every answer and the report figures.

A finished session is played through the app (at head) into one database; its rows are copied
into a second database built at the FIRST revision (only the columns that revision has); that
database is then upgraded to head with the `flask db upgrade` command. Every answer, each
participant's scores, the group means of score_table and the figures of analysis.analyse must
be the same as in the original.
"""

from __future__ import annotations

import math
import random

import pytest
from sqlalchemy import MetaData, inspect, select

from app.extensions import db
from app.models import Answer, Attempt, CounselingSession, Option, Participant, Question
from app.schema import upgrade
from app.services import sessions as ssvc
from tests.conftest import Tablet
from tests.migrations.helpers import fresh_app, revisions
from tests.security.helpers import answer_everything


def play_finished_session(app, educator_client, n: int = 8) -> int:
    sid = educator_client.create_session(quiz_key="produksi-asi")
    code = db.session.get(CounselingSession, sid).join_code
    educator_client.move(sid, "pre_open")
    rng = random.Random(6)
    tablets = []
    for i in range(n):
        t = Tablet(app)
        t.register(code, f"Ibu {i}")
        answer_everything(t, sid, "pre", rng)
        if i != 3:  # one mother leaves without submitting
            t.submit("pre")
        tablets.append(t)
    educator_client.move(sid, "pre_closed")
    educator_client.move(sid, "post_open")
    for i, t in enumerate(tablets):
        if i == 5:
            continue  # one mother misses the post-test
        answer_everything(t, sid, "post", rng)
        t.submit("post")
    educator_client.move(sid, "closed")
    return sid


def figures(sid: int) -> dict:
    """Everything a report is made of: answers, attempts, scores, means and the analysis."""
    session = db.session.get(CounselingSession, sid)
    answers = sorted(
        db.session.execute(
            select(Participant.personal_code, Attempt.kind, Question.key, Option.key, Answer.client_key)
            .select_from(Answer)
            .join(Attempt, Answer.attempt_id == Attempt.id)
            .join(Participant, Attempt.participant_id == Participant.id)
            .join(Question, Answer.question_id == Question.id)
            .join(Option, Answer.option_id == Option.id)
            .where(Participant.session_id == sid)
        ).all()
    )
    attempts = sorted(
        db.session.execute(
            select(
                Participant.personal_code,
                Attempt.kind,
                Attempt.submitted_at,
                Attempt.submit_key,
                Attempt.n_correct,
                Attempt.n_scored,
                Attempt.score,
            )
            .join(Participant)
            .where(Participant.session_id == sid)
        ).all()
    )
    table = ssvc.score_table(session)
    result = {
        "answers": answers,
        "attempts": attempts,
        "rows": [r.to_dict() | {"participant_id": None} for r in table.rows],
        "means": (
            table.mean_pre,
            table.mean_post,
            table.mean_gain,
            table.n_paired,
            table.n_pre_only,
            table.n_post_only,
        ),
        "phase": session.phase.value,
    }
    try:
        from app.services import reportdata
    except ImportError:  # the reports module is optional for this test
        return result
    data = reportdata.gather([session])
    result["analysis"] = _clean(data.analyse("id").to_dict())
    return result


def _clean(value):
    """NaN equals NaN for the comparison."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def copy_rows(source_engine, target_engine) -> int:
    """Copy every row, table by table in foreign-key order, keeping only the target's columns."""
    source_meta = MetaData()
    source_meta.reflect(source_engine)
    target_meta = MetaData()
    target_meta.reflect(target_engine)
    copied = 0
    with source_engine.connect() as src, target_engine.begin() as dst:
        for table in target_meta.sorted_tables:
            if table.name == "alembic_version" or table.name not in source_meta.tables:
                continue
            columns = [c.name for c in table.columns if c.name in source_meta.tables[table.name].columns]
            rows = [
                dict(r._mapping)
                for r in src.execute(select(*[source_meta.tables[table.name].c[c] for c in columns]))
            ]
            if rows:
                dst.execute(table.insert(), rows)
                copied += len(rows)
        if target_engine.dialect.name == "postgresql":  # ids were copied: move the sequences past them
            for table in target_meta.sorted_tables:
                if "id" in table.columns and table.name != "alembic_version":
                    dst.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
    return copied


@pytest.fixture
def backend(app):
    return app.config["BACKEND"]


def test_upgrading_from_the_first_revision_keeps_every_answer_and_figure(
    app, educator_client, backend, tmp_path
):
    sid = play_finished_session(app, educator_client)
    before = figures(sid)
    assert len(before["answers"]) > 100 and before["means"][3] >= 6
    source_engine = db.engine

    with fresh_app(backend, tmp_path) as old:
        first = revisions(old)[0]
        upgrade(revision=first)
        assert inspect(db.engine).has_table("answer")
        assert copy_rows(source_engine, db.engine) > 100
        # The command people run, not the Python call.
        result = old.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as conn:
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        assert version == revisions(old)[-1]
        db.session.remove()
        after = figures(sid)
    assert after == before
