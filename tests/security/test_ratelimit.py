"""Guessing codes is impractical: join codes, personal codes and logins are throttled per address.

The test configuration turns Flask-Limiter off; these tests build their own app with limits on,
once with the in-memory storage and once with Redis (when a Redis server answers on 127.0.0.1;
under .ci/run, TEST_REQUIRE_REDIS makes a missing one a failure).
"""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager

import pytest

from app.extensions import db, dispose_engines, limiter
from app.participant.views import JOIN_LIMIT, RESUME_LIMIT
from app.services import codes
from tests.app.test_session_flow import quiz_from_file
from tests.conftest import EducatorActions, IsolatedClient, Tablet, csrf_from, make_app

REDIS = "redis://127.0.0.1:6379/15"


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@contextmanager
def limited(tmp_path, storage: str, **settings):
    """A fresh SQLite app with rate limits on; the shared limiter is as before afterwards."""
    from app.schema import upgrade
    from app.services import quizbank

    app = make_app(
        "sqlite",
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=storage,
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=False,
        RATELIMIT_SWALLOW_ERRORS=False,
        **settings,
    )
    app.test_client_class = IsolatedClient
    try:
        with app.app_context():
            upgrade()
            quizbank.import_bank(app.config["QUIZ_DIR"])
            db.session.commit()
            assert limiter.enabled
            yield app
            db.session.remove()
            dispose_engines()
    finally:
        limiter.enabled = False
        # Limits from the settings stay with the shared limiter once an app has set them.
        limiter.limit_manager.set_default_limits([])
        limiter.limit_manager.set_application_limits([])


@pytest.fixture(params=["memory://", REDIS])
def limited_app(request, tmp_path):
    if request.param.startswith("redis"):
        if not redis_up():
            # Set by .ci/run: CI has Redis, and a skip there would hide its loss.
            if os.environ.get("TEST_REQUIRE_REDIS"):
                pytest.fail("TEST_REQUIRE_REDIS is set but no Redis server answers on 127.0.0.1:6379")
            pytest.skip("no Redis server on 127.0.0.1:6379")
        import redis

        redis.Redis.from_url(REDIS).flushdb()
    with limited(tmp_path, request.param) as app:
        yield app


def from_address(client, address: str):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def open_session(app) -> tuple[int, str]:
    from app.models import CounselingSession
    from app.services.accounts import create_account

    create_account(None, username="bidan", full_name="Bidan", password="rahasia-123")
    db.session.commit()
    actions = EducatorActions(from_address(app.test_client(), "10.9.9.9"))
    actions.login()
    sid = actions.create_session()
    actions.move(sid, "pre_open")
    return sid, db.session.get(CounselingSession, sid).join_code


def per_minute(limit: str) -> int:
    return int(limit.split(";")[0].split()[0])


def test_guessing_join_codes_is_throttled_on_every_page_that_takes_one(limited_app):
    _, code = open_session(limited_app)
    guesser = from_address(limited_app.test_client(), "10.0.0.66")
    token = csrf_from(guesser.get("/").text)
    allowed = per_minute(JOIN_LIMIT)
    # Wrong codes, spread over the pages that take a code: they share one counter.
    for i in range(allowed):
        wrong = "ACDEF" + codes.ALPHABET[i % len(codes.ALPHABET)]
        if wrong == code:
            wrong = "XXXXXX"
        response = [
            lambda: guesser.post("/", data={"code": wrong, "csrf_token": token}),
            lambda: guesser.get(f"/j/{wrong}"),
            lambda: guesser.get(f"/s/{wrong}"),
            lambda: guesser.get(f"/s/{wrong}/consent"),
        ][i % 4]()
        assert response.status_code == 404, (i, response.status_code)
    for attempt in (
        lambda: guesser.get("/s/XXXXXX"),
        lambda: guesser.get(f"/s/{code}"),
        lambda: guesser.post("/", data={"code": code, "csrf_token": token}),
    ):
        blocked = attempt()
        assert blocked.status_code == 429
        assert "Retry-After" in blocked.headers or "X-RateLimit-Reset" in blocked.headers
    # Someone else, at another address, joins as usual.
    assert from_address(limited_app.test_client(), "10.0.0.7").get(f"/s/{code}").status_code == 200


def test_a_whole_room_behind_one_address_can_join_at_once(limited_app):
    """Only unknown codes count: 60 phones behind one mobile router all join in the same minute."""
    _, code = open_session(limited_app)
    for i in range(60):
        phone = from_address(limited_app.test_client(), "10.1.1.1")
        token = csrf_from(phone.get("/").text)
        assert phone.post("/", data={"code": code, "csrf_token": token}).status_code == 302, i
        assert phone.get(f"/j/{code}").status_code == 302
        assert phone.get(f"/s/{code}").status_code == 200
    tablet = Tablet(limited_app)
    from_address(tablet.client, "10.1.1.1")
    tablet.register(code, "Ibu Terakhir")


def test_guessing_personal_codes_is_throttled(limited_app):
    _, code = open_session(limited_app)
    guesser = from_address(limited_app.test_client(), "10.0.0.77")
    token = csrf_from(guesser.get(f"/s/{code}").text)
    allowed = per_minute(RESUME_LIMIT)
    for i in range(allowed):
        response = guesser.post(
            f"/s/{code}/resume", data={"personal_code": f"AAAA{i:02d}", "csrf_token": token}
        )
        assert response.status_code == 404, i
    response = guesser.post(f"/s/{code}/resume", data={"personal_code": "AAAA99", "csrf_token": token})
    assert response.status_code == 429


def test_a_participant_who_knows_her_code_is_not_throttled(limited_app):
    _, code = open_session(limited_app)
    tablet = Tablet(limited_app)
    from_address(tablet.client, "10.2.2.2")
    tablet.register(code, "Ibu Ingat")
    personal = tablet.personal_code()
    for _ in range(per_minute(RESUME_LIMIT) + 5):
        client = from_address(limited_app.test_client(), "10.2.2.2")
        token = csrf_from(client.get(f"/s/{code}").text)
        assert (
            client.post(
                f"/s/{code}/resume", data={"personal_code": personal, "csrf_token": token}
            ).status_code
            == 302
        )


def test_the_before_request_pass_is_left_out_while_only_views_have_limits(limited_app):
    """Every limit of the app is a view's own: Flask-Limiter's pass before each view has none to apply."""
    assert not limiter.limits_beyond_views()


@pytest.mark.parametrize("setting", ["RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION"])
def test_a_limit_on_every_request_holds_for_the_autosave_too(tmp_path, setting):
    """A default or application-wide limit brings the before-request pass back, for the autosave as for any request."""
    with limited(tmp_path, "memory://", **{setting: "10 per minute"}) as app:
        assert limiter.limits_beyond_views()
        _, code = open_session(app)
        tablet = Tablet(app)
        from_address(tablet.client, "10.3.3.3")
        tablet.register(code, "Ibu Cepat")
        csrf = tablet.csrf_token("pre")
        question = quiz_from_file("produksi-asi")[0]
        statuses = [
            tablet.answer_json(
                "pre", question["key"], question["options"][i % 2], csrf=csrf, seq=i + 1
            ).status_code
            for i in range(12)
        ]
        assert statuses[0] == 200 and 429 in statuses, statuses
        assert statuses[statuses.index(429) :] == [429] * (12 - statuses.index(429)), statuses
        # Another address is not held back.
        other = from_address(app.test_client(), "10.3.3.4")
        assert other.get(f"/s/{code}").status_code == 200


def test_a_limited_view_tells_its_limit_and_a_request_no_limit_looked_at_tells_none(limited_app):
    """The after-request pass still writes a limited view's headers and counts its conditional
    deductions; a request no limit looked at (the autosave) gets no limit headers."""
    _, code = open_session(limited_app)
    phone = from_address(limited_app.test_client(), "10.4.4.4")
    allowed = per_minute(JOIN_LIMIT)
    first, second = phone.get("/s/WRONG1"), phone.get("/s/WRONG2")
    assert first.status_code == second.status_code == 404
    assert first.headers["X-RateLimit-Limit"] == str(allowed)
    # Unknown codes are deducted after the response (deduct_when): the count goes down by one each.
    assert int(first.headers["X-RateLimit-Remaining"]) - int(second.headers["X-RateLimit-Remaining"]) == 1
    known = phone.get(f"/s/{code}")
    assert known.status_code == 200
    assert known.headers["X-RateLimit-Remaining"] == second.headers["X-RateLimit-Remaining"]

    tablet = Tablet(limited_app)
    from_address(tablet.client, "10.4.4.5")
    tablet.register(code, "Ibu Tanpa Batas")
    question = quiz_from_file("produksi-asi")[0]
    saved = tablet.answer_json("pre", question["key"], question["options"][0], csrf=tablet.csrf_token("pre"))
    assert saved.status_code == 200
    assert not [name for name in saved.headers.keys() if name.lower().startswith("x-ratelimit")]


def test_login_is_throttled(limited_app):
    from app.services.accounts import create_account

    create_account(None, username="bidan", full_name="Bidan", password="rahasia-123")
    db.session.commit()
    client = from_address(limited_app.test_client(), "10.0.0.88")
    token = csrf_from(client.get("/auth/login").text)
    statuses = [
        client.post(
            "/auth/login", data={"username": "bidan", "password": f"salah-{i}", "csrf_token": token}
        ).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    # The right password from the throttled address waits too; from another address it works.
    assert (
        client.post(
            "/auth/login", data={"username": "bidan", "password": "rahasia-123", "csrf_token": token}
        ).status_code
        == 429
    )
    EducatorActions(from_address(limited_app.test_client(), "10.0.0.89")).login()


def test_the_code_space_makes_guessing_impractical():
    """Per address and day: the chance to hit any of 100 personal codes in one session, or any of 1,000
    open sessions' join codes, with the hourly limits above."""
    space = len(codes.ALPHABET) ** codes.PERSONAL_CODE_LENGTH
    assert space >= 60_000_000
    per_day_resume = int(RESUME_LIMIT.split(";")[1].split()[0]) * 24
    per_day_join = int(JOIN_LIMIT.split(";")[1].split()[0]) * 24
    assert per_day_resume * 100 / space < 0.005
    assert per_day_join * 1000 / (len(codes.ALPHABET) ** codes.JOIN_CODE_LENGTH) < 0.15


def guess_once(app, forwarded_for: str):
    client = from_address(app.test_client(), "10.5.5.5")  # every request comes from the proxy
    return client.get("/s/XXXXXX", headers={"X-Forwarded-For": forwarded_for})


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_proxy_each_phone_is_counted_by_its_own_address(tmp_path, proxies):
    """PROXY_COUNT=1: the limiter counts the forwarded address; 0: the header is ignored (it could be forged)."""
    from app.schema import upgrade

    app = make_app(
        "sqlite", tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", PROXY_COUNT=proxies
    )
    try:
        with app.app_context():
            upgrade()
            allowed = per_minute(JOIN_LIMIT)
            for i in range(allowed):
                assert guess_once(app, "192.168.1.10").status_code == 404, i
            assert guess_once(app, "192.168.1.10").status_code == 429
            # Another phone behind the same proxy: its own counter only when the proxy is trusted.
            assert guess_once(app, "192.168.1.11").status_code == (404 if proxies else 429)
            db.session.remove()
            dispose_engines()
    finally:
        limiter.enabled = False
