"""Command-line tools: `flask quizzes load|check`, `flask users create`, `flask demo`, `flask bundle ...`.

Registered in create_app (COMMANDS) and imported when one of them runs, not at a server start."""

from __future__ import annotations

import secrets
import sys
from typing import NoReturn

import click
from flask import current_app
from flask.cli import AppGroup

from app import unit_of_work
from app.models.educator import ROLES
from app.services import accounts, quizbank
from app.services.accounts import AccountError

quizzes = AppGroup("quizzes", help="Load and check the quiz bank.")
users = AppGroup("users", help="Manage educator accounts.")


@quizzes.command("load")
@click.option("--dir", "directory", default=None, help="Quiz directory (default: the configured QUIZ_DIR).")
@unit_of_work.command
def quizzes_load(directory: str | None):
    """Import every quiz file as an immutable version (unchanged files are skipped)."""
    directory = directory or current_app.config["QUIZ_DIR"]
    result, problems = quizbank.import_bank(directory)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"Nothing loaded: {len(problems)} problem(s).", err=True)
        sys.exit(1)
    for version in result.created:
        click.echo(
            f"loaded   {version.quiz_key} v{version.version_label} ({version.content_hash[:12]}, "
            f"{len(version.questions)} questions)"
        )
    click.echo(f"{len(result.created)} new version(s), {len(result.unchanged)} unchanged.")


@quizzes.command("check")
@click.option("--dir", "directory", default=None, help="Quiz directory (default: the configured QUIZ_DIR).")
def quizzes_check(directory: str | None):
    """Lint the quiz bank; exits 1 with a list of problems."""
    from app.services import quizlint

    directory = directory or current_app.config["QUIZ_DIR"]
    problems = quizlint.check_bank(directory)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s).", err=True)
        sys.exit(1)
    click.echo("The quiz bank has no problems.")


def _fail(exc: AccountError) -> NoReturn:
    messages = {
        "username_taken": "This username is taken.",
        "password_length": (
            f"The password must have {accounts.PASSWORD_MIN_LENGTH} to "
            f"{accounts.PASSWORD_MAX_LENGTH} characters."
        ),
        "unknown_role": "Unknown role.",
    }
    click.echo(messages.get(exc.code, exc.code), err=True)
    sys.exit(1)


@users.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name, as printed on reports.")
@click.option("--role", type=click.Choice(ROLES), default="educator", show_default=True)
@click.option("--institution", default="")
@click.password_option()
@unit_of_work.command
def users_create(username: str, full_name: str, role: str, institution: str, password: str):
    """Create an account (the same rules and audit entry as the admin page)."""
    try:
        user = accounts.create_account(
            None,
            username=username,
            full_name=full_name,
            password=password,
            role=role,
            institution=institution,
        )
    except AccountError as exc:
        _fail(exc)
    click.echo(f"Created {role} {user.username}.")


DEMO_USERNAME = "bidan"


@click.command("demo")
@click.option("--reset", is_flag=True, help="Give the demo educator a new password (and print it).")
@unit_of_work.command
def demo(reset: bool):
    """Create the demo educator once and print its login; later runs keep her password.

    The password is printed only when it is set (here, or with --reset) and stored nowhere
    but as a hash: she changes it in the app under "My password", and a restarted laptop
    (`make run` again) keeps it.
    """
    password = secrets.token_urlsafe(9)
    user = accounts.find(DEMO_USERNAME)
    if user is None:
        try:
            accounts.create_account(
                None,
                username=DEMO_USERNAME,
                full_name="Bidan Demo",
                password=password,
                role="educator",
                institution="Puskesmas Demo",
            )
        except AccountError as exc:
            _fail(exc)
    elif reset:
        accounts.reset_password(None, user, password)
    else:
        click.echo(
            f"Demo educator login:  username: {DEMO_USERNAME}   password: unchanged "
            "(forgotten? run: flask demo --reset)"
        )
        return
    click.echo(f"Demo educator login:  username: {DEMO_USERNAME}   password: {password}")
    click.echo(
        'Change it after logging in, under "Kata sandi saya" (My password); it is kept across restarts.'
    )


bundle = AppGroup("bundle", help="Hand sessions from a laptop to the server in signed bundles.")


def _bundle_refused(exc) -> NoReturn:
    from flask_babel import force_locale

    with force_locale("en"):
        click.echo(f"Refused, nothing written: {exc.message()}", err=True)
    sys.exit(1)


@bundle.command("export")
@click.argument("session_ids", nargs=-1, type=int)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The bundle file to write."
)
@click.option(
    "--names",
    is_flag=True,
    help="Put participants' names in (else pseudonyms); for cohort pairs also the mothers' and babies' "
    "names, phone and RT/RW, and only with --as.",
)
@click.option(
    "--cohort",
    "cohort",
    multiple=True,
    metavar="PUSKESMAS_ID|all",
    help="Also export the cohort's mother-baby pairs and their visits: those of this Puskesmas "
    "(repeatable), or all. With --cohort and no SESSION_IDS, no sessions are exported.",
)
@click.option(
    "--as",
    "as_user",
    metavar="USERNAME",
    help="The exporting account: only the pairs it may see go in (a cadre's posyandu, a nutrition "
    "officer's Puskesmas, an admin all); needed for --names with --cohort.",
)
@unit_of_work.command
def bundle_export(
    session_ids: tuple[int, ...], output: str, names: bool, cohort: tuple[str, ...], as_user: str | None
):
    """Export the given sessions (default: every session) and, with --cohort, cohort pairs, as one
    signed bundle."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CounselingSession
    from app.models.cohort import CohortPair, Desa, Posyandu
    from app.services import bundles
    from app.services import cohort as cohort_service

    sessions = []
    if session_ids or not cohort:
        query = select(CounselingSession).order_by(CounselingSession.id)
        if session_ids:
            query = query.where(CounselingSession.id.in_(session_ids))
        sessions = list(db.session.scalars(query))
        missing = set(session_ids) - {s.id for s in sessions}
        if missing:
            click.echo(f"No session {', '.join(map(str, sorted(missing)))}.", err=True)
            sys.exit(1)
    pairs: list = []
    if cohort:
        if names and not as_user:
            click.echo(
                "Mothers' names go in only with --as USERNAME, an account that may see them.", err=True
            )
            sys.exit(1)
        query = select(CohortPair).order_by(CohortPair.id)
        if "all" not in cohort:
            try:
                puskesmas_ids = [int(x) for x in cohort]
            except ValueError:
                click.echo("--cohort takes a Puskesmas id or all.", err=True)
                sys.exit(1)
            query = query.join(Posyandu, CohortPair.posyandu_id == Posyandu.id).join(
                Desa, Posyandu.desa_id == Desa.id
            )
            query = query.where(Desa.puskesmas_id.in_(puskesmas_ids))
        if as_user:
            account = accounts.find(as_user)
            if account is None:
                click.echo(f"No account {as_user}.", err=True)
                sys.exit(1)
            visible = cohort_service.visible_posyandu_ids(account)
            if visible is not None:
                query = query.where(CohortPair.posyandu_id.in_(sorted(visible)))
        pairs = list(db.session.scalars(query))
        if not pairs and not sessions:
            click.echo("No cohort pair to export (none that this account may see).", err=True)
            sys.exit(1)
    try:
        data = bundles.export_bundle(sessions, identified=names, pairs=pairs)
    except bundles.BundleError as exc:
        _bundle_refused(exc)
    with open(output, "wb") as f:
        f.write(data)
    key = bundles.local_key()
    click.echo(
        f"Wrote {output}: {len(sessions)} session(s), {len(pairs)} cohort pair(s), {len(data)} bytes, "
        f"names: {'yes' if names else 'no'}."
    )
    click.echo(f"This laptop: instance {key.instance_id}, public key {key.public_key_hex}")


@bundle.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@unit_of_work.command
def bundle_import(path: str):
    """Import a bundle exactly once; a refused bundle writes nothing."""
    import os

    from flask import current_app

    from app.services import bundles

    if os.path.getsize(path) > current_app.config["BUNDLE_MAX_BYTES"]:
        _bundle_refused(
            bundles.BundleError("too_large", limit=current_app.config["BUNDLE_MAX_BYTES"] // 2**20)
        )
    with open(path, "rb") as f:
        data = f.read()
    try:
        report = bundles.import_bundle(data)
    except bundles.BundleError as exc:
        _bundle_refused(exc)
    if report.already is not None:
        click.echo(f"Already imported on {report.already.imported_at:%Y-%m-%d %H:%M} UTC: nothing changed.")
        return
    for kind, counts in report.counts.items():
        click.echo(f"{kind:12} " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())))
    if report.changed_nothing:
        click.echo("Nothing new: nothing changed.")
    if report.conflicts:
        click.echo(
            f"{len(report.conflicts)} conflict(s) left for an admin to decide (nothing of them applied)."
        )


@bundle.command("key")
def bundle_key():
    """Print this laptop's instance id and public key (for the server's admin to register)."""
    from app.services import bundles

    key = bundles.local_key()
    click.echo(f"instance {key.instance_id}")
    click.echo(f"public key {key.public_key_hex}")


@bundle.command("register")
@click.argument("instance_id")
@click.argument("public_key")
@click.option("--name", required=True, help="The laptop's name, shown on the pooled report.")
@click.option("--owner", required=True, help="Username of the account its sessions belong to here.")
@unit_of_work.command
def bundle_register(instance_id: str, public_key: str, name: str, owner: str):
    """Register a laptop's key on this server."""
    from app.services import bundles

    account = accounts.find(owner)
    if account is None:
        click.echo(f"No account {owner}.", err=True)
        sys.exit(1)
    try:
        bundles.register_laptop(instance_id=instance_id, public_key=public_key, name=name, owner=account)
    except bundles.LaptopError:
        click.echo("That is not an Ed25519 public key (64 hex characters).", err=True)
        sys.exit(1)
    click.echo(f"Registered laptop {name}.")
