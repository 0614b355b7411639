"""`flask users create` and `flask demo` go through the accounts service: one password rule, an audit entry."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog, Educator
from app.services.accounts import PASSWORD_MIN_LENGTH
from tests.conftest import EducatorActions, csrf_from


def accounts_named(username: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Educator.id)).where(Educator.username == username)) or 0


def create(runner, username: str, password: str, *extra: str):
    return runner.invoke(
        args=["users", "create", username, "--name", "Dosen Baru", "--password", password, *extra]
    )


def test_users_create_makes_an_account_with_an_audit_entry(app, runner):
    result = create(runner, "Dosen.Baru", "kata-sandi-dosen", "--role", "lecturer")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(Educator).where(Educator.username == "dosen.baru"))
    assert user.role == "lecturer" and user.check_password("kata-sandi-dosen")
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "account.create"))
    assert entry.actor_id is None and entry.detail == {
        "account_id": user.id,
        "role": "lecturer",
        "via": "cli",
    }
    EducatorActions(app.test_client(), "dosen.baru", "kata-sandi-dosen").login()


def test_users_create_keeps_the_one_password_rule_of_the_admin_form(app, runner):
    short = "x" * (PASSWORD_MIN_LENGTH - 1)  # 9 characters: the CLI accepted 8 and more before
    result = create(runner, "pendek", short)
    assert result.exit_code == 1
    assert f"{PASSWORD_MIN_LENGTH} to" in result.output
    assert accounts_named("pendek") == 0
    assert db.session.scalar(select(func.count(AuditLog.id))) == 0


def test_users_create_refuses_a_taken_username_and_writes_nothing(app, runner, educator):
    result = create(runner, "BIDAN", "kata-sandi-lain-1")
    assert result.exit_code == 1 and "taken" in result.output
    assert accounts_named("bidan") == 1
    # Only the fixture's account has an entry.
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "account.create")) == 1


def printed_password(output: str) -> str | None:
    match = re.search(r"password: (\S+)", output)
    return match.group(1) if match and match.group(1) != "unchanged" else None


def can_log_in(app, password: str) -> bool:
    client = app.test_client()
    page = client.get("/auth/login")
    response = client.post(
        "/auth/login", data={"username": "bidan", "password": password, "csrf_token": csrf_from(page.text)}
    )
    return response.status_code == 302


def test_demo_keeps_the_password_across_restarts(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    password = printed_password(first.output)
    assert password and len(password) >= PASSWORD_MIN_LENGTH
    assert can_log_in(app, password)
    again = runner.invoke(args=["demo"])  # `make run` after a laptop restart
    assert again.exit_code == 0
    assert printed_password(again.output) is None and "unchanged" in again.output
    assert can_log_in(app, password)
    assert accounts_named("bidan") == 1


def test_demo_keeps_a_password_she_changed_in_the_app(app, runner):
    password = printed_password(runner.invoke(args=["demo"]).output)
    me = EducatorActions(app.test_client(), "bidan", password)
    me.login()
    page = me.client.get("/auth/password")
    response = me.client.post(
        "/auth/password",
        data={
            "csrf_token": csrf_from(page.text),
            "current": password,
            "new": "sandi-pilihan-saya",
            "repeat": "sandi-pilihan-saya",
        },
    )
    assert response.status_code == 302
    runner.invoke(args=["demo"])
    assert can_log_in(app, "sandi-pilihan-saya")


def test_demo_reset_gives_a_new_password(app, runner):
    old = printed_password(runner.invoke(args=["demo"]).output)
    result = runner.invoke(args=["demo", "--reset"])
    new = printed_password(result.output)
    assert result.exit_code == 0 and new and new != old
    assert can_log_in(app, new) and not can_log_in(app, old)
    assert (
        db.session.scalar(select(AuditLog.detail).where(AuditLog.action == "account.password"))["via"]
        == "cli"
    )
