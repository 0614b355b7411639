"""Command-line tools: `flask quizzes load|check`, `flask users create`, `flask demo`."""

from __future__ import annotations

import secrets
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app import unit_of_work
from app.extensions import db
from app.models import Educator
from app.models.educator import ROLES
from app.services import quizbank

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


def create_user(
    username: str, full_name: str, password: str, role: str = "educator", institution: str = ""
) -> Educator:
    user = Educator(
        username=username.strip().lower(), full_name=full_name, role=role, institution=institution
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


@users.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name, as printed on reports.")
@click.option("--role", type=click.Choice(ROLES), default="educator", show_default=True)
@click.option("--institution", default="")
@click.password_option()
def users_create(username: str, full_name: str, role: str, institution: str, password: str):
    """Create an account."""
    if db.session.scalar(select(Educator).where(Educator.username == username.strip().lower())):
        click.echo(f"The username {username!r} is taken.", err=True)
        sys.exit(1)
    if len(password) < 8:
        click.echo("The password must have at least 8 characters.", err=True)
        sys.exit(1)
    create_user(username, full_name, password, role, institution)
    db.session.commit()
    click.echo(f"Created {role} {username}.")


@click.command("demo")
def demo():
    """Create (or reset) the demo educator and print its login."""
    password = secrets.token_urlsafe(9)
    user = db.session.scalar(select(Educator).where(Educator.username == "bidan"))
    if user is None:
        user = create_user("bidan", "Bidan Demo", password, "educator", "Puskesmas Demo")
    else:
        user.set_password(password)
    db.session.commit()
    click.echo("Demo educator login:  username: bidan   password: " + password)


def register(app: Flask) -> None:
    app.cli.add_command(quizzes)
    app.cli.add_command(users)
    app.cli.add_command(demo)
