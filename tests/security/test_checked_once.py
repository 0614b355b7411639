"""Signatures checked once: the session cookie and the CSRF token of a phone's autosaves.

`CheckedOnceSerializer` remembers a signed value whose signature checked out, so the next
request with the same cookie or token skips the HMACs. Everything else must stay as strict
as itsdangerous and Flask-WTF are without it: expiry, tampering, another phone's token,
the referrer rule under HTTPS.
"""

from __future__ import annotations

import time

import pytest
from itsdangerous import BadSignature, SignatureExpired
from itsdangerous.signer import Signer
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer
from app.security import CheckedOnceSerializer
from tests.app.test_autosave_paths import joined
from tests.app.test_bad_input import open_session
from tests.app.test_session_flow import quiz_from_file
from tests.conftest import Tablet

QUESTIONS = quiz_from_file("produksi-asi")


@pytest.fixture
def signature_checks(monkeypatch):
    """How many HMAC signature checks itsdangerous has made since the fixture started."""
    calls = []
    real = Signer.verify_signature

    def counting(self, value, sig):
        calls.append(self.salt)
        return real(self, value, sig)

    monkeypatch.setattr(Signer, "verify_signature", counting)
    return calls


def later(monkeypatch, seconds: float) -> None:
    """Move the clock (of itsdangerous and of the app) forward."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def test_a_signed_value_is_checked_once(signature_checks):
    serializer = CheckedOnceSerializer("a-key-for-the-test", salt="test")
    signed = serializer.dumps({"pid": 7, "flashes": ["x"]})
    first = serializer.loads(signed, max_age=60)
    assert len(signature_checks) == 1
    first["flashes"].append("changed by the first request")
    second = serializer.loads(signed, max_age=60)
    assert len(signature_checks) == 1  # remembered: no second HMAC
    assert second == {"pid": 7, "flashes": ["x"]}  # decoded anew: nothing shared between requests
    payload, signed_at = serializer.loads(signed, return_timestamp=True)
    assert payload["pid"] == 7 and abs(signed_at.timestamp() - time.time()) < 5


def test_a_plain_payload_is_decoded_once_and_never_shared(signature_checks, monkeypatch):
    """A participant's session (strings and numbers): remembered decoded, a new dict for each request."""
    serializer = CheckedOnceSerializer("a-key-for-the-test", salt="test")
    signed = serializer.dumps({"pid": 7, "lang": "id"})
    first = serializer.loads(signed, max_age=60)
    decoded = []
    real = CheckedOnceSerializer.load_payload
    monkeypatch.setattr(
        CheckedOnceSerializer, "load_payload", lambda self, *a, **k: decoded.append(1) or real(self, *a, **k)
    )
    first["pid"] = 8  # what one request does to its session
    second = serializer.loads(signed, max_age=60)
    third = serializer.loads(signed, max_age=60)
    assert second == third == {"pid": 7, "lang": "id"} and second is not third
    assert decoded == [] and len(signature_checks) == 1
    assert serializer.loads(serializer.dumps("a-token"), max_age=60) == "a-token"
    later(monkeypatch, 120)
    with pytest.raises(SignatureExpired):
        serializer.loads(signed, max_age=60)  # the age is still checked on every use


def test_a_remembered_value_still_expires(monkeypatch):
    serializer = CheckedOnceSerializer("a-key-for-the-test", salt="test")
    signed = serializer.dumps("token")
    assert serializer.loads(signed, max_age=60) == "token"
    later(monkeypatch, 120)
    with pytest.raises(SignatureExpired):
        serializer.loads(signed, max_age=60)
    assert serializer.loads(signed) == "token"  # no age limit asked for


def test_a_bad_signature_is_refused_and_not_remembered(signature_checks):
    serializer = CheckedOnceSerializer("a-key-for-the-test", salt="test")
    signed = serializer.dumps("token")
    # A character inside the signature (the last one may carry unused bits of the base64).
    tampered = signed[:-5] + ("A" if signed[-5] != "A" else "B") + signed[-4:]
    for _ in range(2):
        with pytest.raises(BadSignature):
            serializer.loads(tampered)
    assert len(signature_checks) == 2  # checked every time
    other_key = CheckedOnceSerializer("another-key", salt="test")
    assert serializer.loads(signed) == "token"
    with pytest.raises(BadSignature):
        other_key.loads(signed)  # what one key remembers, another does not accept


def test_the_memory_is_bounded():
    serializer = CheckedOnceSerializer("a-key-for-the-test", salt="test")
    serializer.remembered = 3
    for n in range(10):
        assert serializer.loads(serializer.dumps(n)) == n
        assert len(serializer._checked) <= 3


def answers() -> int:
    return db.session.scalar(select(func.count()).select_from(Answer))


def test_a_phones_second_autosave_checks_no_signature(app, educator_client, signature_checks):
    _, tab, token, _ = joined(app, educator_client, "Sari")
    assert tab.answer_json("pre", QUESTIONS[0]["key"], QUESTIONS[0]["correct"], csrf=token).status_code == 200
    signature_checks.clear()
    response = tab.answer_json("pre", QUESTIONS[1]["key"], QUESTIONS[1]["correct"], csrf=token)
    assert response.status_code == 200 and response.get_json()["status"] == "stored"
    assert signature_checks == []  # cookie and token both remembered
    assert answers() == 2


def test_a_token_seen_on_one_phone_is_refused_on_another(app, educator_client):
    session = open_session(educator_client)
    first, second = Tablet(app), Tablet(app)
    first.register(session.join_code, "Ani")
    second.register(session.join_code, "Budi")
    question = QUESTIONS[0]
    token = first.csrf_token("pre")
    assert first.answer_json("pre", question["key"], question["correct"], csrf=token).status_code == 200
    refused = second.answer_json("pre", question["key"], question["correct"], csrf=token)
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf"
    assert answers() == 1


def test_a_remembered_token_expires_with_the_time_limit(app, educator_client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 60)
    _, tab, token, _ = joined(app, educator_client, "Citra")
    assert tab.answer_json("pre", QUESTIONS[0]["key"], QUESTIONS[0]["correct"], csrf=token).status_code == 200
    later(monkeypatch, 120)
    expired = tab.answer_json("pre", QUESTIONS[1]["key"], QUESTIONS[1]["correct"], csrf=token)
    assert expired.status_code == 400 and expired.get_json()["error"] == "csrf"
    assert answers() == 1


def test_over_https_a_header_token_needs_a_referrer_of_this_site(app, educator_client):
    _, tab, token, _ = joined(app, educator_client, "Dewi")
    assert tab.answer_json("pre", QUESTIONS[0]["key"], QUESTIONS[0]["correct"], csrf=token).status_code == 200

    def post(question, **headers):
        body = {
            "kind": "pre",
            "question": question["key"],
            "option": question["correct"],
            "key": question["key"],
        }
        return tab.client.post(
            "/api/answer", json=body, base_url="https://localhost", headers={"X-CSRFToken": token, **headers}
        )

    no_referrer = post(QUESTIONS[1])
    assert no_referrer.status_code == 400 and no_referrer.get_json()["error"] == "csrf"
    foreign = post(QUESTIONS[1], Referer="https://elsewhere.example/quiz")
    assert foreign.status_code == 400
    assert answers() == 1
    same_site = post(QUESTIONS[1], Referer="https://localhost/quiz/pre/2")
    assert same_site.status_code == 200 and same_site.get_json()["status"] == "stored"
