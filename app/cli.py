"""Command-line tools: `flask quizzes load|check`, `flask users create`, `flask demo`."""

from __future__ import annotations

import secrets
import sys
from typing import NoReturn

import click
from flask import Flask, current_app
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


def register(app: Flask) -> None:
    app.cli.add_command(quizzes)
    app.cli.add_command(users)
    app.cli.add_command(demo)
