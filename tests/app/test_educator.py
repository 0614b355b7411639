"""Educator accounts: login, a dashboard of her own sessions only, live counts, QR code."""

from __future__ import annotations

from app.extensions import db
from app.models import CounselingSession
from tests.conftest import EducatorActions, Tablet, csrf_from


def test_wrong_password_is_refused_with_a_message(app, educator):
    client = app.test_client()
    page = client.get("/auth/login")
    response = client.post(
        "/auth/login",
        data={"username": "bidan", "password": "salah-sekali", "csrf_token": csrf_from(page.text)},
    )
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.text
    assert client.get("/educator/").status_code == 302


def test_passwords_are_stored_hashed(educator):
    assert "rahasia-123" not in educator.password_hash
    assert educator.check_password("rahasia-123")


def test_dashboard_lists_only_her_own_sessions(app, educator_client, make_educator):
    mine = educator_client.create_session(title="Sesi Bidan Sari")
    make_educator(username="bidan2", full_name="Bidan Lain")
    other = EducatorActions(app.test_client(), username="bidan2")
    other.login()
    theirs = other.create_session(title="Sesi Bidan Lain")
    page = educator_client.client.get("/educator/")
    assert "Sesi Bidan Sari" in page.text
    assert "Sesi Bidan Lain" not in page.text
    assert educator_client.client.get(f"/educator/sessions/{theirs}").status_code == 403
    assert other.client.get(f"/educator/sessions/{mine}/live.json").status_code == 403


def test_live_counts_and_qr(app, educator_client):
    sid = educator_client.create_session()
    session = db.session.get(CounselingSession, sid)
    educator_client.move(sid, "pre_open")
    for name in ("A", "B"):
        Tablet(app).register(session.join_code, name)
    live = educator_client.client.get(f"/educator/sessions/{sid}/live.json").get_json()
    assert live["counts"]["joined"] == 2
    assert live["phase"] == "pre_open"
    qr = educator_client.client.get(f"/educator/sessions/{sid}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    projector = educator_client.client.get(f"/educator/sessions/{sid}/projector")
    assert session.join_code[:3] in projector.text


def test_session_form_errors_are_shown(app, educator_client):
    page = educator_client.client.get("/educator/sessions/new")
    response = educator_client.client.post(
        "/educator/sessions/new", data={"csrf_token": csrf_from(page.text), "title": "", "place": "x" * 201}
    )
    assert response.status_code == 400
    assert "Isian ini wajib diisi." in response.text
