"""The signed session cookie: its serializer is built once per key, and a new key still rules.

The app keeps Flask's cookie format and signature and caches only the serializer. A cookie
signed with a key the app no longer has must be refused, and one signed with a key listed in
SECRET_KEY_FALLBACKS accepted, exactly as Flask does without the cache.
"""

from __future__ import annotations

from flask import session

from app import create_app


def make_app(tmp_path, **extra):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "c.sqlite3"),
            "SECRET_KEY": "first-key-for-the-cookie-test",
            **extra,
        }
    )


def signed_cookie(app) -> str:
    with app.test_request_context():
        serializer = app.session_interface.get_signing_serializer(app)
        return serializer.dumps({"pid": 7})


def read_pid(app, cookie: str):
    with app.test_request_context(headers={"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}):
        return session.get("pid")


def test_the_cached_serializer_follows_the_key(tmp_path):
    app = make_app(tmp_path)
    cookie = signed_cookie(app)
    assert read_pid(app, cookie) == 7
    assert app.session_interface.get_signing_serializer(app) is app.session_interface.get_signing_serializer(
        app
    )

    app.secret_key = "second-key-for-the-cookie-test"
    assert read_pid(app, cookie) is None  # signed with a key the app no longer has

    app.config["SECRET_KEY_FALLBACKS"] = ["first-key-for-the-cookie-test"]
    assert read_pid(app, cookie) == 7  # the old key is still accepted as a fallback
    assert read_pid(app, signed_cookie(app)) == 7
