"""A laptop plays sessions offline, exports them; the server imports them exactly once.

The laptop is a SQLite app; the server is the `app` fixture (PostgreSQL when TEST_DATABASE_URL
is set, as in CI). Row counts, nothing duplicated or lost, the conflict reported and left
alone, and the server's pooled analysis equal to the laptop's.
"""

from __future__ import annotations

import random

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import (
    Answer,
    Attempt,
    AuditLog,
    BundleConflict,
    Certificate,
    CounselingSession,
    Educator,
    Participant,
)
from app.services import bundles, reportdata
from tests.conftest import Tablet
from tests.migrations.test_upgrade_keeps_answers import _clean, play_finished_session
from tests.security.helpers import answer_everything

MODELS = (CounselingSession, Participant, Attempt, Answer, Certificate)


def counts() -> dict[str, int]:
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) or 0 for m in MODELS}


def uuids(model) -> list[str]:
    return sorted(db.session.scalars(select(model.uuid)))


def analysis_of_all() -> dict:
    sessions = list(db.session.scalars(select(CounselingSession).order_by(CounselingSession.held_on)))
    return _clean(reportdata.gather(sessions).analyse("id").to_dict())


def export(laptop, path, *args) -> None:
    with laptop.app_context():
        result = laptop.test_cli_runner().invoke(args=["bundle", "export", *args, "-o", str(path)])
        assert result.exit_code == 0, result.output


def register(app, laptop, owner="bidan") -> None:
    with laptop.app_context():
        key = bundles.local_key()
    result = app.test_cli_runner().invoke(
        args=[
            "bundle",
            "register",
            key.instance_id,
            key.public_key_hex,
            "--name",
            "Laptop Tim A",
            "--owner",
            owner,
        ]
    )
    assert result.exit_code == 0, result.output


def import_file(app, path):
    result = app.test_cli_runner().invoke(args=["bundle", "import", str(path)], catch_exceptions=False)
    db.session.remove()
    return result


def test_sessions_travel_exactly_once(app, laptop, laptop_educator, make_educator, tmp_path):
    make_educator()  # the server's account the laptop's sessions belong to
    with laptop.app_context():
        play_finished_session(laptop, laptop_educator, n=6)
        # A second session still running: a pre-test, three mothers, one not yet submitted.
        open_id = laptop_educator.create_session(quiz_key="produksi-asi", title="Sesi kedua")
        code = db.session.get(CounselingSession, open_id).join_code
        laptop_educator.move(open_id, "pre_open")
        rng = random.Random(3)
        tablets = []
        for i in range(3):
            t = Tablet(laptop)
            t.register(code, f"Ibu kedua {i}")
            answer_everything(t, open_id, "pre", rng)
            if i:
                t.submit("pre")
            tablets.append(t)
        laptop_counts = counts()
        assert laptop_counts["answer"] > 100
    register(app, laptop)
    first = tmp_path / "first.zip"
    export(laptop, first)

    before = counts()
    result = import_file(app, first)
    assert result.exit_code == 0, result.output
    assert {k: counts()[k] - before[k] for k in before} == laptop_counts
    with laptop.app_context():
        laptop_uuids = {m.__tablename__: uuids(m) for m in MODELS}
    assert {m.__tablename__: uuids(m) for m in MODELS} == laptop_uuids
    imported = db.session.scalars(select(CounselingSession)).all()
    assert {s.origin_laptop.name for s in imported} == {"Laptop Tim A"}
    # Pseudonymised: no laptop name reached the server.
    assert not db.session.scalar(select(func.count()).where(Participant.name.like("Ibu%")))
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "bundle.import")
        )
        == 1
    )

    # The same file again: nothing changes, and it says so.
    snapshot = counts()
    result = import_file(app, first)
    assert result.exit_code == 0 and "nothing changed" in result.output, result.output
    assert counts() == snapshot

    # More answers on the laptop, the same sessions exported again: only what is new is added.
    with laptop.app_context():
        tablets[0].submit("pre")
        laptop_educator.move(open_id, "pre_closed")
        laptop_educator.move(open_id, "post_open")
        for t in tablets:
            answer_everything(t, open_id, "post", rng)
            t.submit("post")
        laptop_counts = counts()
    second = tmp_path / "second.zip"
    export(laptop, second)
    result = import_file(app, second)
    assert result.exit_code == 0, result.output
    assert "new" in result.output and "updated" in result.output
    assert counts() == laptop_counts  # nothing duplicated, nothing lost
    with laptop.app_context():
        laptop_uuids = {m.__tablename__: uuids(m) for m in MODELS}
        laptop_analysis = analysis_of_all()
    assert {m.__tablename__: uuids(m) for m in MODELS} == laptop_uuids
    assert analysis_of_all() == laptop_analysis
    # Exporting the same data once more (a new file, same records) adds only the audit entries
    # of the last export (exports are audited, and the audit entries travel).
    third = tmp_path / "third.zip"
    export(laptop, third)
    result = import_file(app, third)
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert "new" not in lines["answer"] and "updated" not in result.output, result.output
    assert lines["audit"].startswith("audit        2 new"), result.output
    assert counts() == laptop_counts

    # A conflicting edit: the same participant changed on both sides.
    with laptop.app_context():
        target = db.session.scalars(select(Participant).order_by(Participant.id)).first()
        target_uuid = target.uuid
        db.session.execute(update(Participant).where(Participant.uuid == target_uuid).values(lang="en"))
        db.session.commit()
    db.session.execute(
        update(Participant).where(Participant.uuid == target_uuid).values(characteristics={"age": "31"})
    )
    db.session.commit()
    fourth = tmp_path / "fourth.zip"
    export(laptop, fourth)
    result = import_file(app, fourth)
    assert result.exit_code == 0 and "1 conflict" in result.output, result.output
    here = db.session.scalar(select(Participant).where(Participant.uuid == target_uuid))
    assert here.characteristics == {"age": "31"} and here.lang != "en"  # nothing of it applied
    conflicts = bundles.open_conflicts()
    assert [(c.kind, c.uuid) for c in conflicts] == [("participant", target_uuid)]
    # The admin takes the laptop's version.
    bundles.resolve(conflicts[0], "theirs", actor_id=None)
    db.session.commit()
    here = db.session.scalar(select(Participant).where(Participant.uuid == target_uuid))
    assert here.lang == "en" and here.characteristics != {"age": "31"}
    assert db.session.get(BundleConflict, conflicts[0].id).status == "theirs"
    assert counts() == laptop_counts


def test_a_participant_deleted_on_the_server_is_not_added_again(
    app, laptop, laptop_educator, make_educator, tmp_path
):
    from app.services import privacy

    admin_id = make_educator(username="admin", role="admin").id
    make_educator()
    with laptop.app_context():
        play_finished_session(laptop, laptop_educator, n=3)
    register(app, laptop)
    export(laptop, tmp_path / "a.zip")
    assert import_file(app, tmp_path / "a.zip").exit_code == 0
    session = db.session.scalars(select(CounselingSession)).one()
    gone = session.participants[0]
    gone_uuid = gone.uuid
    privacy.delete_participant(session, gone, db.session.get(Educator, admin_id))
    db.session.commit()
    with laptop.app_context():
        db.session.execute(update(CounselingSession).values(title="Judul baru"))
        db.session.commit()
    export(laptop, tmp_path / "b.zip")
    result = import_file(app, tmp_path / "b.zip")
    assert result.exit_code == 0 and "deleted_here" in result.output, result.output
    assert db.session.scalar(select(func.count()).where(Participant.uuid == gone_uuid)) == 0
    assert db.session.scalars(select(CounselingSession)).one().title == "Judul baru"
