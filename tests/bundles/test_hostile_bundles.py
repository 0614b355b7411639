"""Hostile bundles are refused whole, with a clear message, and write nothing."""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
import zipfile

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, AuditLog, BundleImport, CounselingSession, Participant, SyncedRecord
from app.services import bundles
from tests.bundles.test_two_instances import export, register
from tests.migrations.test_upgrade_keeps_answers import play_finished_session


def written() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(m)) or 0
        for m in (CounselingSession, Participant, Answer, AuditLog, BundleImport, SyncedRecord)
    )


def rezip(manifest: bytes, body: bytes, signature: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("records.jsonl", body)
        zf.writestr("signature", signature)
    return buffer.getvalue()


def parts(data: bytes) -> tuple[dict, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return json.loads(zf.read("manifest.json")), [
            json.loads(x) for x in zf.read("records.jsonl").splitlines()
        ]


def resign(laptop, manifest: dict, rows: list[dict], key: bundles.LocalKey | None = None) -> bytes:
    """A bundle of these records, with a correct checksum, signed by the laptop's key (or `key`)."""
    body = b"".join(bundles.canonical(r) + b"\n" for r in rows)
    manifest = {
        **manifest,
        "records": {"name": "records.jsonl", "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)},
    }
    with laptop.app_context():
        key = key or bundles.local_key()
    manifest["public_key"] = key.public_key_hex
    raw = bundles.canonical(manifest)
    return rezip(raw, body, key.sign(raw).encode())


@pytest.fixture
def good(app, laptop, laptop_educator, make_educator, tmp_path) -> bytes:
    make_educator()
    with laptop.app_context():
        play_finished_session(laptop, laptop_educator, n=3)
    register(app, laptop)
    export(laptop, tmp_path / "good.zip")
    return (tmp_path / "good.zip").read_bytes()


def refused(data: bytes, code: str) -> None:
    before = written()
    with pytest.raises(bundles.BundleError) as caught:
        bundles.import_bundle(data)
    db.session.rollback()
    assert caught.value.code == code
    with force_locale("en"):
        english = caught.value.message()
    with force_locale("id"):
        indonesian = caught.value.message()
    assert english and indonesian and english != indonesian, (english, indonesian)
    assert written() == before


def test_truncated(good):
    refused(good[: len(good) // 2], "not_a_bundle")
    refused(b"", "not_a_bundle")


def test_records_changed_after_signing(good):
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        manifest, body, signature = (zf.read(n) for n in bundles.ENTRIES)
    refused(rezip(manifest, body.replace(b'"seq":', b'"seq": ', 1), signature), "checksum")
    refused(rezip(manifest, body[: len(body) // 2], signature), "checksum")


def test_manifest_changed_after_signing(good):
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        manifest, body, signature = (zf.read(n) for n in bundles.ENTRIES)
    refused(
        rezip(manifest.replace(b'"identified":false', b'"identified":true'), body, signature), "signature"
    )


def test_signed_by_a_key_the_server_does_not_know(good, laptop):
    manifest, rows = parts(good)
    stranger = bundles.LocalKey(manifest["instance_id"], os.urandom(32))
    refused(resign(laptop, manifest, rows, stranger), "unknown_laptop")


def test_ids_pointing_nowhere(good, laptop):
    manifest, rows = parts(good)
    answer = next(r for r in rows if r["kind"] == "answer")
    answer["attempt"] = str(uuid.uuid4())
    refused(resign(laptop, manifest, rows), "dangling")
    manifest, rows = parts(good)
    answer = next(r for r in rows if r["kind"] == "answer")
    answer["option"] = "no-such-option"
    refused(resign(laptop, manifest, rows), "dangling")


def test_malformed_record(good, laptop):
    manifest, rows = parts(good)
    del next(r for r in rows if r["kind"] == "participant")["consent_at"]
    refused(resign(laptop, manifest, rows), "malformed")


def test_a_200_mb_file(app, good, tmp_path):
    big = tmp_path / "big.zip"
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB without writing them
    before = written()
    result = app.test_cli_runner().invoke(args=["bundle", "import", str(big)])
    assert result.exit_code == 1 and "larger than this server accepts" in result.output, result.output
    assert written() == before
    refused(b"\0" * (app.config["BUNDLE_MAX_BYTES"] + 1), "too_large")


def test_a_zip_bomb(good, laptop):
    manifest, _ = parts(good)
    body = b" " * (64 * 1024 * 1024)  # 64 MB of spaces pack into some 64 kB
    raw = bundles.canonical(manifest)
    with laptop.app_context():
        signature = bundles.local_key().sign(raw).encode()
    refused(rezip(raw, body, signature), "bomb")


def test_the_good_bundle_is_accepted(good):
    report = bundles.import_bundle(good)
    assert report.total("new") > 50 and not report.conflicts
