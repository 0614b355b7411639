"""Logins end when they should: logout and a password change end every session and remembered
login of the account, remembered logins expire on the server, and every try leaves a trace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditLog, Educator
from tests.conftest import EducatorActions, csrf_from
from tests.security.helpers import login_redirect

REMEMBER = "remember_token"


def login(app, username="bidan", password="rahasia-123", remember=False):
    actions = EducatorActions(app.test_client(), username, password)
    page = actions.client.get("/auth/login")
    data = {"username": username, "password": password, "csrf_token": csrf_from(page.text)}
    if remember:
        data["remember"] = "y"
    response = actions.client.post("/auth/login", data=data)
    assert response.status_code == 302, response.text
    return actions


def logged_in(client) -> bool:
    response = client.get("/educator/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def with_cookie(app, name: str, value: str):
    """A new browser that carries only this cookie (copied from another one)."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def logout(client):
    token = csrf_from(client.get("/educator/").text)
    response = client.post("/auth/logout", data={"csrf_token": token})
    assert response.status_code == 302
    return response


def test_a_copied_session_cookie_is_dead_after_logout(app, educator):
    me = login(app)
    copied = with_cookie(app, "session", me.client.get_cookie("session").value)
    assert logged_in(copied)  # the copy works while she is logged in: the test copies right
    logout(me.client)
    assert not logged_in(me.client)
    assert not logged_in(copied)


def test_a_remembered_login_ends_at_logout_and_is_new_at_the_next_login(app, educator):
    me = login(app, remember=True)
    first = me.client.get_cookie(REMEMBER).value
    assert logged_in(with_cookie(app, REMEMBER, first))
    logout(me.client)
    assert not logged_in(with_cookie(app, REMEMBER, first))
    again = login(app, remember=True)
    second = again.client.get_cookie(REMEMBER).value
    assert second != first
    assert logged_in(with_cookie(app, REMEMBER, second))
    assert not logged_in(with_cookie(app, REMEMBER, first))


def test_logging_out_ends_the_logins_on_every_device(app, educator):
    laptop, phone = login(app), login(app, remember=True)
    assert logged_in(laptop.client) and logged_in(phone.client)  # a second login keeps the first
    logout(laptop.client)
    assert not logged_in(phone.client)
    assert not logged_in(with_cookie(app, REMEMBER, phone.client.get_cookie(REMEMBER).value))


def test_a_remembered_login_expires_on_the_server(app, educator):
    me = login(app, remember=True)
    cookie = me.client.get_cookie(REMEMBER).value
    user = db.session.get(Educator, educator.id)
    lifetime = app.config["REMEMBER_COOKIE_DURATION"]
    user.login_token_at -= lifetime - timedelta(hours=1)
    db.session.commit()
    assert logged_in(with_cookie(app, REMEMBER, cookie))  # still inside its lifetime
    user.login_token_at -= timedelta(hours=2)
    db.session.commit()
    assert not logged_in(with_cookie(app, REMEMBER, cookie))
    assert not logged_in(me.client)
    # The next login issues a new token, which works.
    fresh = login(app, remember=True)
    assert fresh.client.get_cookie(REMEMBER).value != cookie
    assert logged_in(fresh.client)


def change_password(client, current, new, repeat=None):
    page = client.get("/auth/password")
    assert page.status_code == 200
    return client.post(
        "/auth/password",
        data={
            "csrf_token": csrf_from(page.text),
            "current": current,
            "new": new,
            "repeat": new if repeat is None else repeat,
        },
    )


def test_a_remembered_browser_stays_remembered_after_its_own_password_change(app, educator):
    me = login(app, remember=True)
    old = me.client.get_cookie(REMEMBER).value
    assert change_password(me.client, "rahasia-123", "kata-sandi-baru-1").status_code == 302
    new = me.client.get_cookie(REMEMBER).value
    assert new != old
    assert logged_in(with_cookie(app, REMEMBER, new)) and not logged_in(with_cookie(app, REMEMBER, old))


def test_a_password_change_ends_the_other_logins_and_keeps_this_one(app, educator):
    here, elsewhere = login(app), login(app, remember=True)
    remembered = elsewhere.client.get_cookie(REMEMBER).value
    response = change_password(here.client, "rahasia-123", "kata-sandi-baru-1")
    assert response.status_code == 302
    assert logged_in(here.client)
    assert not logged_in(elsewhere.client)
    assert not logged_in(with_cookie(app, REMEMBER, remembered))
    login(app, password="kata-sandi-baru-1")
    refused = EducatorActions(app.test_client())
    page = refused.client.get("/auth/login")
    old = refused.client.post(
        "/auth/login",
        data={"username": "bidan", "password": "rahasia-123", "csrf_token": csrf_from(page.text)},
    )
    assert old.status_code == 401
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "account.password"))
    assert entry.actor_id == educator.id and entry.detail == {"account_id": educator.id, "via": "self"}


@pytest.mark.parametrize(
    ("current", "new", "repeat"),
    [
        ("not-my-password", "kata-sandi-baru-1", None),  # wrong current password
        ("rahasia-123", "pendek-9c", None),  # 9 characters: below the one rule
        ("rahasia-123", "kata-sandi-baru-1", "kata-sandi-baru-2"),  # the two do not match
    ],
)
def test_a_refused_password_change_changes_nothing(app, educator, current, new, repeat):
    me, other = login(app), login(app)
    before = db.session.scalar(select(Educator.password_hash).where(Educator.id == educator.id))
    response = change_password(me.client, current, new, repeat)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(Educator.password_hash).where(Educator.id == educator.id)) == before
    assert logged_in(me.client) and logged_in(other.client)


def test_the_password_page_needs_a_login(app, educator):
    response = app.test_client().get("/auth/password")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_deactivated_account_is_logged_out_at_once(app, educator, make_educator):
    me = login(app)
    make_educator("admin", "rahasia-000", role="admin")
    admin = login(app, "admin", "rahasia-000")
    token = csrf_from(admin.client.get("/admin/").text)
    assert (
        admin.client.post(f"/admin/accounts/{educator.id}/active", data={"csrf_token": token}).status_code
        == 302
    )
    assert not logged_in(me.client)


# --- audit ------------------------------------------------------------------------------------


def entries(action: str) -> list[AuditLog]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def try_login(app, username, password):
    client = app.test_client()
    page = client.get("/auth/login")
    return client.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": csrf_from(page.text)}
    )


def test_logins_and_refused_logins_leave_a_compact_trace_without_the_password(app, educator):
    assert try_login(app, "bidan", "tebakan-salah-1").status_code == 401
    assert try_login(app, "tidak-ada", "tebakan-salah-2").status_code == 401
    login(app)
    logout(login(app).client)
    failed = entries("auth.login_failed")
    assert [e.detail for e in failed] == [
        {"account_id": educator.id, "reason": "wrong_password"},
        {"reason": "unknown_username"},
    ]
    assert all(e.actor_id is None for e in failed)
    assert [e.actor_id for e in entries("auth.login")] == [educator.id, educator.id]
    assert [e.actor_id for e in entries("auth.logout")] == [educator.id]
    for entry in db.session.scalars(select(AuditLog)):
        assert "tebakan" not in repr(entry.detail)


def test_a_refused_login_of_a_deactivated_account_says_so_in_the_log(app, educator):
    educator.active = False
    db.session.commit()
    assert try_login(app, "bidan", "rahasia-123").status_code == 401
    assert [e.detail for e in entries("auth.login_failed")] == [
        {"account_id": educator.id, "reason": "inactive"}
    ]


# --- next= ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/educator/\r\nSet-Cookie: x=1",
        "/educator/%0d%0a",  # stays encoded: a path on this site
        "/\t/evil.example",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example/",
    ],
)
def test_the_login_next_never_leaves_the_site_and_never_breaks(app, educator, target):
    client = app.test_client()
    page = client.get("/auth/login", query_string={"next": target})
    assert page.status_code == 200
    location = login_redirect(client, page, target)
    assert "evil" not in location and "\r" not in location and "\n" not in location
    if target == "/educator/%0d%0a":
        assert location == target
    else:
        assert location.endswith("/educator/")
