"""The bundle pages and the push: the session page's download and button, the server's API, the
admin's upload, laptops and conflicts pages, and the pooled report's origin column."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, CounselingSession, Participant
from app.services import bundles
from tests.bundles.test_two_instances import register
from tests.conftest import EducatorActions, csrf_from
from tests.migrations.test_upgrade_keeps_answers import play_finished_session


def n_answers() -> int:
    return db.session.scalar(select(func.count()).select_from(Answer)) or 0


def admin_client(app, make_educator):
    make_educator(username="admin", role="admin", full_name="Admin")
    actions = EducatorActions(app.test_client(), username="admin")
    actions.login()
    return actions.client


def test_push_from_the_session_page_exactly_once_and_after_a_dropped_answer(
    app, laptop, laptop_educator, make_educator
):
    make_educator()
    server = app.test_client()
    sent = []

    def transport(url, data):
        assert url == "https://server.example/api/bundles"
        response = server.post("/api/bundles", data=data, content_type="application/zip")
        sent.append(response.status_code)
        if len(sent) == 1:
            raise OSError("connection reset")  # the server committed; the answer was lost
        return response.status_code, response.data

    laptop.config.update(SYNC_SERVER_URL="https://server.example", SYNC_TRANSPORT=transport)
    try:
        with laptop.app_context():
            sid = play_finished_session(laptop, laptop_educator, n=3)
            laptop_answers = n_answers()
            page = laptop_educator.client.get(f"/educator/sessions/{sid}")
            assert "Kirim ke server" in page.text
            response = laptop_educator.client.post(
                f"/sessions/{sid}/push",
                data={"csrf_token": csrf_from(page.text)},
                follow_redirects=True,
            )
        register(app, laptop)  # registered after the first try: that one was refused
        assert "Server menolak paket data" in response.text, response.text[response.text.find("<main") :][
            :600
        ]
        assert sent == [400, 400]
        sent.clear()
        with laptop.app_context():
            page = laptop_educator.client.get(f"/educator/sessions/{sid}")
            response = laptop_educator.client.post(
                f"/sessions/{sid}/push",
                data={"csrf_token": csrf_from(page.text)},
                follow_redirects=True,
            )
        assert sent == [200, 200]  # sent again after the lost answer
        assert "Server sudah memiliki semua data sesi ini" in response.text  # the retry changed nothing
        assert n_answers() == laptop_answers
        assert db.session.scalar(select(func.count()).select_from(CounselingSession)) == 1
    finally:
        laptop.config.update(SYNC_SERVER_URL="", SYNC_TRANSPORT=None)


def test_the_api_refuses_a_bad_bundle_with_a_message(app):
    response = app.test_client().post(
        "/api/bundles",
        data=b"PK\x03\x04 not a zip",
        content_type="application/zip",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert response.json["error"] == "not_a_bundle" and response.json["message"]


def test_download_upload_conflicts_and_the_pooled_report(
    app, laptop, laptop_educator, make_educator, tmp_path
):
    make_educator()
    with laptop.app_context():
        sid = play_finished_session(laptop, laptop_educator, n=3)
        plain = laptop_educator.client.get(f"/sessions/{sid}/bundle.zip")
        named = laptop_educator.client.get(f"/sessions/{sid}/bundle.zip?names=1")
    assert plain.status_code == 200 and plain.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(named.data)) as zf:
        assert b"Ibu 0" in zf.read("records.jsonl")
    with zipfile.ZipFile(io.BytesIO(plain.data)) as zf:
        assert b"Ibu 0" not in zf.read("records.jsonl")

    client = admin_client(app, make_educator)
    with laptop.app_context():
        key = bundles.local_key()
    page = client.get("/admin/laptops")
    response = client.post(
        "/admin/laptops",
        data={
            "csrf_token": csrf_from(page.text),
            "name": "Laptop Tim B",
            "owner": "bidan",
            "instance_id": key.instance_id,
            "public_key": key.public_key_hex,
        },
        follow_redirects=True,
    )
    assert response.status_code == 200 and "Laptop Tim B" in response.text

    page = client.get("/admin/bundles")
    token = csrf_from(page.text)
    broken = client.post(
        "/admin/bundles", data={"csrf_token": token, "bundle": (io.BytesIO(plain.data[:300]), "b.zip")}
    )
    assert broken.status_code == 400 and "Ditolak, tidak ada yang disimpan" in broken.text
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 0
    done = client.post(
        "/admin/bundles", data={"csrf_token": token, "bundle": (io.BytesIO(plain.data), "b.zip")}
    )
    assert done.status_code == 200 and "<td>answer</td>" in done.text
    again = client.post(
        "/admin/bundles", data={"csrf_token": token, "bundle": (io.BytesIO(plain.data), "b.zip")}
    )
    assert "sudah pernah diimpor" in again.text

    # A conflict, decided on the page.
    target = db.session.scalars(select(Participant)).first()
    target.lang = "en"
    target_uuid = target.uuid
    db.session.commit()
    with laptop.app_context():
        db.session.execute(
            Participant.__table__.update()
            .where(Participant.uuid == target_uuid)
            .values(characteristics={"age": "40"})
        )
        db.session.commit()
        fresh = laptop_educator.client.get(f"/sessions/{sid}/bundle.zip")
    client.post("/admin/bundles", data={"csrf_token": token, "bundle": (io.BytesIO(fresh.data), "c.zip")})
    page = client.get("/admin/conflicts")
    assert "participant" in page.text and "Ambil versi laptop" in page.text
    conflict = bundles.open_conflicts()[0]
    response = client.post(
        "/admin/conflicts",
        data={"csrf_token": csrf_from(page.text), "conflict": conflict.id, "choice": "mine"},
        follow_redirects=True,
    )
    assert response.status_code == 200 and not bundles.open_conflicts()
    assert db.session.scalars(select(Participant).where(Participant.uuid == target_uuid)).one().lang == "en"

    # The pooled report says where each session came from.
    owner = EducatorActions(app.test_client())
    owner.login()
    session = db.session.scalars(select(CounselingSession)).one()
    page = owner.client.get(f"/reports/programme?s={session.id}")
    assert page.status_code == 200 and "Laptop Tim B" in page.text
