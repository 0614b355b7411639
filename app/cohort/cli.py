"""``flask cohort``: set up the places (Puskesmas, desa, posyandu) and place the cadres and officers."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app import unit_of_work
from app.extensions import db
from app.models import Educator
from app.models.cohort import Desa, Posyandu, Puskesmas
from app.services import cohort as svc
from app.services.cohort import CohortError

cohort = AppGroup("cohort", help="Set up the cohort's places and place the cadres and officers.")


def _get_or_add_puskesmas(name: str, head: str, officer: str) -> Puskesmas:
    found = db.session.scalar(select(Puskesmas).where(Puskesmas.name == name.strip()))
    if found is None:
        return svc.add_puskesmas(name, head, officer)
    if head:
        found.head_name = head.strip()
    if officer:
        found.nutrition_officer_name = officer.strip()
    return found


@cohort.command("add-place")
@click.argument("puskesmas")
@click.argument("desa", required=False)
@click.argument("posyandu", required=False)
@click.option("--head", default="", help="Kepala Puskesmas, printed in the report's signature block.")
@click.option("--officer", default="", help="Pengelola gizi (TPG), printed in the report's signature block.")
@unit_of_work.command
def add_place(puskesmas: str, desa: str | None, posyandu: str | None, head: str, officer: str):
    """Add a Puskesmas, a desa of it, or a posyandu of that desa (existing ones are kept)."""
    try:
        _add_place(puskesmas, desa, posyandu, head, officer)
    except CohortError as exc:
        click.echo(f"Not added: {exc.code.replace('_', ' ')}.", err=True)
        sys.exit(1)
    click.echo(" > ".join(x for x in (puskesmas, desa, posyandu) if x))


def _add_place(puskesmas: str, desa: str | None, posyandu: str | None, head: str, officer: str) -> None:
    pkm = _get_or_add_puskesmas(puskesmas, head, officer)
    if desa:
        d = db.session.scalar(select(Desa).where(Desa.puskesmas_id == pkm.id, Desa.name == desa.strip()))
        d = d or svc.add_desa(pkm, desa)
        if posyandu:
            p = db.session.scalar(
                select(Posyandu).where(Posyandu.desa_id == d.id, Posyandu.name == posyandu.strip())
            )
            if p is None:
                svc.add_posyandu(d, posyandu)


@cohort.command("add-member")
@click.argument("username")
@click.argument("puskesmas")
@click.argument("desa", required=False)
@click.argument("posyandu", required=False)
@unit_of_work.command
def add_member(username: str, puskesmas: str, desa: str | None, posyandu: str | None):
    """Place a kader at a posyandu (PUSKESMAS DESA POSYANDU) or a tpg at a Puskesmas (PUSKESMAS)."""
    user = db.session.scalar(select(Educator).where(Educator.username == username.strip().lower()))
    pkm = db.session.scalar(select(Puskesmas).where(Puskesmas.name == puskesmas.strip()))
    if user is None or pkm is None:
        click.echo("No such account or Puskesmas.", err=True)
        sys.exit(1)
    place = None
    if posyandu:
        place = db.session.scalar(
            select(Posyandu)
            .join(Desa, Posyandu.desa_id == Desa.id)
            .where(
                Desa.puskesmas_id == pkm.id,
                Desa.name == (desa or "").strip(),
                Posyandu.name == posyandu.strip(),
            )
        )
        if place is None:
            click.echo("No such posyandu.", err=True)
            sys.exit(1)
    try:
        svc.add_member(user, posyandu=place, puskesmas=None if place else pkm)
    except CohortError as exc:
        if exc.code == "already_member":
            click.echo(f"{user.username} is already placed there.", err=True)
        else:
            click.echo("A kader is placed at a posyandu, a tpg at a Puskesmas.", err=True)
        sys.exit(1)
    click.echo(f"{user.username} placed.")
