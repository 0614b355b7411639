"""flask cohort add-place / add-member: a deployment sets up its places and cadres."""

from sqlalchemy import select

from app.extensions import db
from app.models.cohort import CohortMembership, Posyandu, Puskesmas
from app.services import cohort


def test_places_and_members_from_the_command_line(app, runner, make_educator):
    kader = make_educator("kader9", "rahasia-k9", role="kader")
    make_educator("tpg9", "rahasia-t9", role="tpg")
    for args in (
        ["Puskesmas Bojong Nangka", "--head", "dr. Dian", "--officer", "Sri"],
        ["Puskesmas Bojong Nangka", "Bojong Nangka", "Melati"],
        ["Puskesmas Bojong Nangka", "Bojong Nangka", "Melati"],  # again: kept once
    ):
        result = runner.invoke(args=["cohort", "add-place", *args])
        assert result.exit_code == 0, result.output
    assert (
        runner.invoke(
            args=["cohort", "add-member", "kader9", "Puskesmas Bojong Nangka", "Bojong Nangka", "Melati"]
        ).exit_code
        == 0
    )
    assert runner.invoke(args=["cohort", "add-member", "tpg9", "Puskesmas Bojong Nangka"]).exit_code == 0
    wrong = runner.invoke(args=["cohort", "add-member", "kader9", "Puskesmas Bojong Nangka"])
    assert wrong.exit_code == 1 and "posyandu" in wrong.output
    db.session.expire_all()
    assert db.session.scalar(select(Puskesmas.head_name)) == "dr. Dian"
    assert len(db.session.scalars(select(Posyandu)).all()) == 1
    assert len(db.session.scalars(select(CohortMembership)).all()) == 2
    assert [p.name for p in cohort.visible_posyandu(kader)] == ["Melati"]
