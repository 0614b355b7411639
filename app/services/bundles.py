"""Bundles: the sessions of one instance (a field laptop) handed to another (the faculty or district
server), exactly once.

A bundle is a zip of three entries:

- ``manifest.json``: format and version, the exporting instance's id and Ed25519 public key,
  when it was exported, whether names are in it, the sessions, counts, and the SHA-256 and size
  of the records;
- ``records.jsonl``: one record a line, parents before children (session, participant, attempt,
  answer, certificate, audit entry; then the cohort's mother-baby pairs and their visits), each
  with its global id (app/models/identity.py); a quiz version is named by its content hash, a
  pair's posyandu by its Puskesmas, desa and posyandu names;
- ``signature``: the laptop key's Ed25519 signature of ``manifest.json``, hex.

Importing is all or nothing (one flush sequence in the caller's transaction): a bundle that is
too large, truncated, not signed by a registered laptop, whose checksum does not match, or whose
records point nowhere is refused whole. Each record is compared three ways: what it is here, what
was last imported (``SyncedRecord``), and what came. New records are added; a record unchanged
here since the last import takes the laptop's changes; one changed on both sides is a conflict
(``BundleConflict``), of which nothing is applied until an admin keeps hers or takes theirs. A
record deleted here (a participant removed on request) is not added again. The same bundle
twice changes nothing.

Participants travel pseudonymised (``P-`` and the start of their global id, stable from one
bundle to the next) unless the exporter may identify them and asks for names. Personal and join
codes never travel: the server gives imported sessions and participants codes of its own.

Cohort pairs travel the same way: the mother as ``M-`` and the start of the pair's global id,
without her phone, RT/RW or the baby's name, unless the exporter may see the pairs (the
cohort's rules: a cadre of the posyandu, the Puskesmas's nutrition officer, an admin) and asks
for names. The server matches a pair's places by name within their parent and creates the
missing ones (``cohort.place_for``). Accounts do not travel: an imported pair has no cadre and
a visit no recorder here, the cadres' memberships stay on the laptop, and a pair's link to a
session participant is not sent. A visit whose pair is neither in the bundle nor here is a
dangling reference, as any other. Cohort certificates do not travel (the server issues its own).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import (
    Answer,
    Attempt,
    AuditLog,
    BundleConflict,
    BundleImport,
    Certificate,
    CounselingSession,
    Educator,
    Laptop,
    Option,
    Participant,
    Phase,
    Question,
    QuizVersion,
    SyncedRecord,
)
from app.models._time import utcnow
from app.models.cohort import SEXES, CohortPair, CohortVisit, Desa, Posyandu, Puskesmas
from app.models.identity import new_uuid
from app.services import audit, codes
from app.services import cohort as cohort_service

FORMAT = "edu-asi-bundle"
VERSION = 1
ENTRIES = ("manifest.json", "records.jsonl", "signature")
KINDS = ("session", "participant", "attempt", "answer", "certificate", "audit", "pair", "visit")
MODELS: dict[str, Any] = {
    "session": CounselingSession,
    "participant": Participant,
    "attempt": Attempt,
    "answer": Answer,
    "certificate": Certificate,
    "audit": AuditLog,
    "pair": CohortPair,
    "visit": CohortVisit,
}
#: The parent each kind points to, by the key of its record.
PARENT = {"participant": ("session", "session"), "attempt": ("participant", "participant")}
PARENT |= {"answer": ("attempt", "attempt"), "certificate": ("participant", "participant")}
PARENT |= {"audit": ("session", "session"), "visit": ("pair", "pair")}
CHUNK = 2000

MESSAGES = {
    "too_large": _l("The bundle is larger than this server accepts (%(limit)s MB)."),
    "not_a_bundle": _l("This file is not a bundle, or it is truncated."),
    "entries": _l("The bundle does not have the expected contents."),
    "bomb": _l("The bundle unpacks to far more than it weighs; it was refused."),
    "format": _l("This bundle's format or version is not one this server reads."),
    "signature": _l("The bundle's signature does not match its contents."),
    "unknown_laptop": _l("The laptop that made this bundle is not registered on this server."),
    "checksum": _l("The bundle's records do not match its checksum: it was changed or truncated."),
    "malformed": _l("A record in the bundle is malformed (line %(line)s)."),
    "dangling": _l("A record in the bundle points to something that is not there (%(what)s)."),
    "unknown_quiz": _l("The bundle uses a quiz version this server does not have; load the quiz bank first."),
    "no_sessions": _l("There are no sessions to export."),
}


class BundleError(Exception):
    """A bundle refused whole; `message()` says why in the person's language."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params if self.params else str(MESSAGES[self.code])


# --- the laptop's key -------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalKey:
    instance_id: str
    private_key: bytes  # raw Ed25519, 32 bytes

    @property
    def public_key_hex(self) -> str:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.from_private_bytes(self.private_key)
        return key.public_key().public_bytes_raw().hex()

    def sign(self, data: bytes) -> str:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.private_key).sign(data).hex()


def key_path() -> Path:
    return Path(
        current_app.config.get("BUNDLE_KEY_FILE") or Path(current_app.instance_path) / "laptop-key.json"
    )


def local_key() -> LocalKey:
    """This instance's id and signing key, made once and kept in the instance folder (mode 0600)."""
    path = key_path()
    if path.exists():
        data = json.loads(path.read_text())
        return LocalKey(data["instance_id"], bytes.fromhex(data["private_key"]))
    key = LocalKey(new_uuid(), os.urandom(32))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"instance_id": key.instance_id, "private_key": key.private_key.hex()}, f)
    return key


# --- records ----------------------------------------------------------------------------------


def _t(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def canonical(record: dict) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def record_hash(record: dict) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def pseudonym(uuid: str) -> str:
    """A participant's name in a bundle without names: the same in every bundle of her session."""
    return "P-" + uuid.replace("-", "")[:8].upper()


def mother_pseudonym(uuid: str) -> str:
    """A mother's name in a bundle without names: the same in every bundle of her pair."""
    return "M-" + uuid.replace("-", "")[:8].upper()


def _in_chunks(column, values: Sequence) -> Iterable:
    for start in range(0, len(values), CHUNK):
        yield column.in_(values[start : start + CHUNK])


def records(
    sessions: Sequence[CounselingSession], *, identified: bool, pairs: Sequence[CohortPair] = ()
) -> list[dict]:
    """Every record of the sessions and of the cohort pairs, parents first, as they travel (a few
    queries whatever the size)."""
    ids = [s.id for s in sessions]
    out: list[dict] = []
    session_uuid: dict[int, str] = {}
    quiz_hash: dict[int, str] = dict(
        db.session.execute(select(QuizVersion.id, QuizVersion.content_hash)).tuples().all()
    )
    for s in sessions:
        session_uuid[s.id] = s.uuid or ""
        out.append(
            {
                "kind": "session",
                "uuid": s.uuid,
                "title": s.title,
                "place": s.place,
                "held_on": _t(s.held_on),
                "team": s.team,
                "institution": s.institution,
                "quiz": quiz_hash[s.quiz_version_id],
                "post_quiz": quiz_hash.get(s.post_quiz_version_id) if s.post_quiz_version_id else None,
                "phase": s.phase.value,
                "post_only": s.post_only,
                "consent_text_id": s.consent_text_id,
                "consent_text_en": s.consent_text_en,
                "characteristics": list(s.characteristics or []),
                "created_at": _t(s.created_at),
                "phase_changed_at": _t(s.phase_changed_at),
            }
        )
    participant_uuid: dict[int, str] = {}
    for where in _in_chunks(Participant.session_id, ids):
        for p in db.session.execute(
            select(
                Participant.id,
                Participant.uuid,
                Participant.session_id,
                Participant.name,
                Participant.characteristics,
                Participant.consent_at,
                Participant.lang,
                Participant.created_at,
            )
            .where(where)
            .order_by(Participant.id)
        ):
            participant_uuid[p.id] = p.uuid
            out.append(
                {
                    "kind": "participant",
                    "uuid": p.uuid,
                    "session": session_uuid[p.session_id],
                    "name": p.name if identified else pseudonym(p.uuid),
                    "characteristics": dict(p.characteristics or {}),
                    "consent_at": _t(p.consent_at),
                    "lang": p.lang,
                    "created_at": _t(p.created_at),
                }
            )
    pids = list(participant_uuid)
    attempt_uuid: dict[int, str] = {}
    for where in _in_chunks(Attempt.participant_id, pids):
        for a in db.session.scalars(select(Attempt).where(where).order_by(Attempt.id)):
            attempt_uuid[a.id] = a.uuid or ""
            out.append(
                {
                    "kind": "attempt",
                    "uuid": a.uuid,
                    "participant": participant_uuid[a.participant_id],
                    "attempt_kind": a.kind,
                    "quiz": quiz_hash[a.quiz_version_id],
                    "started_at": _t(a.started_at),
                    "submitted_at": _t(a.submitted_at),
                    "submit_key": a.submit_key,
                    "n_correct": a.n_correct,
                    "n_scored": a.n_scored,
                    "score": a.score,
                    "attitude_score": a.attitude_score,
                }
            )
    previous = aliased(Option)
    aids = list(attempt_uuid)
    for where in _in_chunks(Answer.attempt_id, aids):
        for r in db.session.execute(
            select(
                Answer.uuid,
                Answer.attempt_id,
                Question.key,
                Option.key,
                Answer.client_key,
                Answer.seq,
                Answer.chosen_at,
                Answer.received_at,
                Answer.changes,
                previous.key,
            )
            .join(Question, Question.id == Answer.question_id)
            .join(Option, Option.id == Answer.option_id)
            .outerjoin(previous, previous.id == Answer.previous_option_id)
            .where(where)
            .order_by(Answer.id)
        ):
            out.append(
                {
                    "kind": "answer",
                    "uuid": r[0],
                    "attempt": attempt_uuid[r[1]],
                    "question": r[2],
                    "option": r[3],
                    "client_key": r[4],
                    "seq": r[5],
                    "chosen_at": _t(r[6]),
                    "received_at": _t(r[7]),
                    "changes": r[8],
                    "previous_option": r[9],
                }
            )
    for where in _in_chunks(Certificate.participant_id, pids):
        for c in db.session.scalars(select(Certificate).where(where).order_by(Certificate.id)):
            out.append(
                {
                    "kind": "certificate",
                    "uuid": c.uuid,
                    "participant": participant_uuid[c.participant_id],
                    "code": c.code,
                    "number": c.number,
                    "issued_at": _t(c.issued_at),
                }
            )
    for where in _in_chunks(AuditLog.session_id, ids):
        for e, username in db.session.execute(
            select(AuditLog, Educator.username)
            .outerjoin(Educator, Educator.id == AuditLog.actor_id)
            .where(where)
            .order_by(AuditLog.id)
        ):
            out.append(
                {
                    "kind": "audit",
                    "uuid": e.uuid,
                    "session": session_uuid[e.session_id or 0],
                    "at": _t(e.at),
                    "action": e.action,
                    "actor": username,
                    "detail": e.detail or {},
                }
            )
    out.extend(_cohort_records(pairs, identified=identified))
    return out


def _cohort_records(pairs: Sequence[CohortPair], *, identified: bool) -> list[dict]:
    out: list[dict] = []
    pair_uuid: dict[int, str] = {}
    places = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(Posyandu.id, Puskesmas.name, Desa.name, Posyandu.name)
            .join(Desa, Posyandu.desa_id == Desa.id)
            .join(Puskesmas, Desa.puskesmas_id == Puskesmas.id)
            .where(Posyandu.id.in_(sorted({p.posyandu_id for p in pairs})))
        )
    }
    for p in sorted(pairs, key=lambda p: p.id):
        pair_uuid[p.id] = p.uuid or ""
        puskesmas, desa, posyandu = places[p.posyandu_id]
        out.append(
            {
                "kind": "pair",
                "uuid": p.uuid,
                "puskesmas": puskesmas,
                "desa": desa,
                "posyandu": posyandu,
                "mother_name": p.mother_name if identified else mother_pseudonym(p.uuid or ""),
                "mother_phone": p.mother_phone if identified else "",
                "rt_rw": p.rt_rw if identified else "",
                "baby_name": p.baby_name if identified else "",
                "baby_sex": p.baby_sex,
                "birth_date": _t(p.birth_date),
                "birth_weight_g": p.birth_weight_g,
                "preterm": p.preterm,
                "early_initiation": p.early_initiation,
                "rooming_in": p.rooming_in,
                "birth_place": p.birth_place,
                "consent_followup_at": _t(p.consent_followup_at),
                "consent_whatsapp_at": _t(p.consent_whatsapp_at),
                "created_at": _t(p.created_at),
            }
        )
    for where in _in_chunks(CohortVisit.pair_id, list(pair_uuid)):
        for v in db.session.scalars(select(CohortVisit).where(where).order_by(CohortVisit.id)):
            out.append(
                {
                    "kind": "visit",
                    "uuid": v.uuid,
                    "pair": pair_uuid[v.pair_id],
                    "client_key": v.client_key,
                    "visit_date": _t(v.visit_date),
                    "place": v.place,
                    "came": v.came,
                    "other_since_last": v.other_since_last,
                    "breastfed_24h": v.breastfed_24h,
                    "recall_24h": list(v.recall_24h or []),
                    "status": v.status,
                    "problems": list(v.problems or []),
                    "counseling": v.counseling,
                    "referral_to": v.referral_to,
                    "referral_outcome": v.referral_outcome,
                    "next_visit_on": _t(v.next_visit_on),
                    "recorded_at": _t(v.recorded_at),
                }
            )
    return out


# --- export -----------------------------------------------------------------------------------


def export_bundle(
    sessions: Sequence[CounselingSession],
    *,
    identified: bool,
    actor_id: int | None = None,
    pairs: Sequence[CohortPair] = (),
) -> bytes:
    """The bundle of these sessions and cohort pairs, signed with this instance's key; the export
    is audited (counts only). Whether names may go in is the caller's check (privacy.may_identify,
    cohort.can_see_posyandu)."""
    if not sessions and not pairs:
        raise BundleError("no_sessions")
    key = local_key()
    rows = records(sessions, identified=identified, pairs=pairs)
    body = b"".join(canonical(r) + b"\n" for r in rows)
    counts = dict.fromkeys(KINDS, 0)
    for r in rows:
        counts[r["kind"]] += 1
    manifest = canonical(
        {
            "format": FORMAT,
            "version": VERSION,
            "instance_id": key.instance_id,
            "public_key": key.public_key_hex,
            "exported_at": utcnow().isoformat(),
            "identified": identified,
            "sessions": [s.uuid for s in sessions],
            "pairs": len(pairs),
            "counts": counts,
            "records": {
                "name": "records.jsonl",
                "sha256": hashlib.sha256(body).hexdigest(),
                "bytes": len(body),
            },
        }
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("records.jsonl", body)
        zf.writestr("signature", key.sign(manifest))
    for s in sessions:
        audit.record("bundle.export", s.id, actor_id=actor_id, names=identified, records=len(rows))
    if pairs:
        audit.record("bundle.export_cohort", None, actor_id=actor_id, names=identified, pairs=len(pairs))
    db.session.flush()
    return buffer.getvalue()


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Bundle:
    manifest: dict
    records: list[dict]
    checksum: str
    laptop: Laptop
    exported_at: datetime


def _read_entry(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > limit or (info.compress_size and info.file_size / info.compress_size > 1000):
        raise BundleError("bomb")
    with zf.open(info) as f:
        data = f.read(limit + 1)  # never trust the declared size
    if len(data) > limit:
        raise BundleError("bomb")
    return data


REQUIRED = {
    "session": ("title", "place", "held_on", "quiz", "phase"),
    "participant": ("session", "name", "consent_at"),
    "attempt": ("participant", "attempt_kind", "quiz", "started_at"),
    "answer": ("attempt", "question", "option", "client_key", "seq", "chosen_at"),
    "certificate": ("participant", "code", "number", "issued_at"),
    "audit": ("session", "at", "action"),
    "pair": ("puskesmas", "desa", "posyandu", "mother_name", "baby_sex", "birth_date", "consent_followup_at"),
    "visit": ("pair", "client_key", "visit_date", "status"),
}


def read_bundle(data: bytes) -> Bundle:
    """Check a bundle's size, contents, signature and checksum; parse its records (nothing written)."""
    config = current_app.config
    limit = config["BUNDLE_MAX_BYTES"]
    if len(data) > limit:
        raise BundleError("too_large", limit=limit // (1024 * 1024))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        if sorted(zf.namelist()) != sorted(ENTRIES):
            raise BundleError("entries")
        manifest_bytes = _read_entry(zf, "manifest.json", 1024 * 1024)
        signature = _read_entry(zf, "signature", 1024)
        body = _read_entry(zf, "records.jsonl", config["BUNDLE_MAX_UNCOMPRESSED"])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise BundleError("not_a_bundle") from exc
    try:
        manifest = json.loads(manifest_bytes)
        ok = manifest.get("format") == FORMAT and manifest.get("version") == VERSION
        public_key = bytes.fromhex(manifest["public_key"])
        exported_at = datetime.fromisoformat(manifest["exported_at"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BundleError("format") from exc
    if not ok:
        raise BundleError("format")
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            bytes.fromhex(signature.decode()), manifest_bytes
        )
    except (InvalidSignature, ValueError, UnicodeDecodeError) as exc:
        raise BundleError("signature") from exc
    laptop = db.session.scalar(
        select(Laptop).where(Laptop.public_key == public_key.hex(), Laptop.active.is_(True))
    )
    if laptop is None or laptop.instance_id != manifest.get("instance_id"):
        raise BundleError("unknown_laptop")
    meta = manifest.get("records") or {}
    if hashlib.sha256(body).hexdigest() != meta.get("sha256") or len(body) != meta.get("bytes"):
        raise BundleError("checksum")
    checksum = hashlib.sha256(manifest_bytes).hexdigest()
    if db.session.scalar(select(BundleImport.id).where(BundleImport.checksum == checksum)) is not None:
        return Bundle(manifest, [], checksum, laptop, exported_at)  # imported already: nothing to parse
    rows = []
    for line_no, line in enumerate(body.splitlines(), 1):
        try:
            row = json.loads(line)
            kind = row["kind"]
            if not isinstance(row.get("uuid"), str) or len(row["uuid"]) != 36:
                raise ValueError("uuid")
            if any(not isinstance(row.get(k), (str, int, float)) for k in REQUIRED[kind]):
                raise ValueError("field")
            if kind in ("pair", "visit"):
                _check_cohort_record(kind, row)
        except (ValueError, KeyError, TypeError) as exc:
            raise BundleError("malformed", line=line_no) from exc
        rows.append(row)
    return Bundle(manifest, rows, checksum, laptop, exported_at)


def _check_cohort_record(kind: str, row: dict) -> None:
    """Raise ValueError for a pair or visit this server could not store (read before any write)."""
    _values(kind, row, {})
    if kind == "pair":
        if row["baby_sex"] not in SEXES or not str(row["mother_name"]).strip():
            raise ValueError("baby_sex or mother_name")
        for key in ("puskesmas", "desa", "posyandu"):
            if not isinstance(row[key], str) or not row[key].strip() or len(row[key].strip()) > 120:
                raise ValueError(key)
    elif not isinstance(row.get("recall_24h", []), list) or not isinstance(row.get("problems", []), list):
        raise ValueError("lists")


# --- importing --------------------------------------------------------------------------------


@dataclass
class ImportReport:
    already: BundleImport | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    conflicts: list[BundleConflict] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        per = self.counts.setdefault(kind, {})
        per[outcome] = per.get(outcome, 0) + 1

    def total(self, outcome: str) -> int:
        return sum(per.get(outcome, 0) for per in self.counts.values())

    @property
    def changed_nothing(self) -> bool:
        return self.already is not None or (
            self.total("new") == 0 and self.total("updated") == 0 and not self.conflicts
        )


def _existing_uuids(kind: str, uuids: list[str]) -> set[str]:
    model = MODELS[kind]
    found: set[str] = set()
    for where in _in_chunks(model.uuid, uuids):
        found.update(db.session.scalars(select(model.uuid).where(where)))
    return found


def _local_ids(kind: str, uuids: list[str]) -> dict[str, int]:
    model = MODELS[kind]
    out: dict[str, int] = {}
    for where in _in_chunks(model.uuid, uuids):
        out.update(db.session.execute(select(model.uuid, model.id).where(where)).tuples().all())
    return out


def import_bundle(data: bytes, *, actor_id: int | None = None) -> ImportReport:
    """Import a bundle exactly once (see the module's docstring); refuses it whole with BundleError."""
    bundle = read_bundle(data)
    report = ImportReport()
    already = db.session.scalar(select(BundleImport).where(BundleImport.checksum == bundle.checksum))
    if already is not None:
        report.already = already
        return report
    laptop = bundle.laptop
    by_kind: dict[str, list[dict]] = {k: [] for k in KINDS}
    for row in bundle.records:
        by_kind[row["kind"]].append(row)
    quiz_ids = dict(db.session.execute(select(QuizVersion.content_hash, QuizVersion.id)).tuples().all())
    for row in (*by_kind["session"], *by_kind["attempt"]):
        for key in ("quiz", "post_quiz"):
            if row.get(key) and row[key] not in quiz_ids:
                raise BundleError("unknown_quiz")
    # What is here now: the sessions' records as this server would export them.
    session_uuids = [r["uuid"] for r in by_kind["session"]]
    local_sessions: list[CounselingSession] = []
    for where in _in_chunks(CounselingSession.uuid, session_uuids):
        local_sessions.extend(db.session.scalars(select(CounselingSession).where(where)))
    local_pairs: list[CohortPair] = []
    for where in _in_chunks(CohortPair.uuid, [r["uuid"] for r in by_kind["pair"]]):
        local_pairs.extend(db.session.scalars(select(CohortPair).where(where)))
    local = (
        {r["uuid"]: r for r in records(local_sessions, identified=True, pairs=local_pairs)}
        if local_sessions or local_pairs
        else {}
    )
    all_uuids = [r["uuid"] for r in bundle.records]
    bases: dict[str, SyncedRecord] = {}
    for where in _in_chunks(SyncedRecord.uuid, all_uuids):
        bases.update((b.uuid, b) for b in db.session.scalars(select(SyncedRecord).where(where)))
    # Every reference resolves: to a record of the bundle, or to one here.
    known = {k: {r["uuid"] for r in by_kind[k]} for k in KINDS}
    for kind, (parent_kind, key) in PARENT.items():
        refs = sorted({r[key] for r in by_kind[kind]} - known[parent_kind])
        missing = set(refs) - _existing_uuids(parent_kind, refs) - set(bases)
        if missing:
            raise BundleError("dangling", what=f"{kind} → {parent_kind}")
    questions = _question_keys(
        {r["quiz"] for r in by_kind["attempt"]} | _local_attempt_quizzes(by_kind, known)
    )
    attempt_quiz = {r["uuid"]: r["quiz"] for r in by_kind["attempt"]}
    attempt_quiz |= _local_attempt_quiz_hashes(
        sorted({r["attempt"] for r in by_kind["answer"]} - known["attempt"])
    )
    for r in by_kind["answer"]:
        keys = questions.get(attempt_quiz.get(r["attempt"], ""), {}).get(r["question"])
        if keys is None or r["option"] not in keys[1] or (r.get("previous_option") not in (None, *keys[1])):
            raise BundleError("dangling", what=f"answer → {r['question']}/{r['option']}")

    entry = BundleImport(checksum=bundle.checksum, laptop_id=laptop.id, exported_at=bundle.exported_at)
    db.session.add(entry)
    db.session.flush()
    skipped: set[str] = set()  # records not added (deleted here): their children are not added either
    for kind in KINDS:
        rows = by_kind[kind]
        elsewhere = _existing_uuids(kind, [r["uuid"] for r in rows if r["uuid"] not in local])
        new, changed = [], []
        for r in rows:
            uuid, incoming = r["uuid"], record_hash(r)
            base, here = bases.get(uuid), local.get(uuid)
            if kind in PARENT and r[PARENT[kind][1]] in skipped:
                skipped.add(uuid)
                report.count(kind, "deleted_here")
            elif here is None and uuid not in elsewhere:
                if base is not None:
                    skipped.add(uuid)
                    report.count(kind, "deleted_here")
                else:
                    new.append(r)
            elif here is not None and record_hash(here) == incoming:
                report.count(kind, "unchanged")
            elif base is not None and (
                base.exported_at > bundle.exported_at or base.content_hash == incoming
            ):
                report.count(kind, "unchanged")  # older than what came before, or only changed here
            elif here is not None and base is not None and base.content_hash == record_hash(here):
                changed.append(r)
            else:
                conflict = BundleConflict(import_id=entry.id, kind=kind, uuid=uuid, theirs=r)
                db.session.add(conflict)
                report.conflicts.append(conflict)
                report.count(kind, "conflict")
        _insert(kind, new, laptop, quiz_ids)
        for r in changed:
            _update(kind, r, quiz_ids)
        for r in (*new, *changed):
            _set_base(r, bases, laptop, bundle.exported_at)
        for _ in new:
            report.count(kind, "new")
        for _ in changed:
            report.count(kind, "updated")
        db.session.flush()
    entry.summary = {"counts": report.counts, "conflicts": len(report.conflicts)}
    audit.record(
        "bundle.import",
        None,
        actor_id=actor_id,
        laptop=laptop.id,
        new=report.total("new"),
        updated=report.total("updated"),
        conflicts=len(report.conflicts),
    )
    db.session.flush()
    return report


def _local_attempt_quizzes(by_kind: dict[str, list[dict]], known: dict[str, set[str]]) -> set[str]:
    return set(
        _local_attempt_quiz_hashes(
            sorted({r["attempt"] for r in by_kind["answer"]} - known["attempt"])
        ).values()
    )


def _local_attempt_quiz_hashes(uuids: list[str]) -> dict[str, str]:
    out: dict[Any, str] = {}
    for where in _in_chunks(Attempt.uuid, uuids):
        out.update(
            db.session.execute(select(Attempt.uuid, QuizVersion.content_hash).join(QuizVersion).where(where))
            .tuples()
            .all()
        )
    return out


def _question_keys(hashes: set[str]) -> dict[str, dict[str, tuple[int, dict[str, int]]]]:
    """For each quiz version (by hash): question key → (question id, option key → option id)."""
    out: dict[str, dict[str, tuple[int, dict[str, int]]]] = {}
    if not hashes:
        return out
    rows = db.session.execute(
        select(QuizVersion.content_hash, Question.key, Question.id, Option.key, Option.id)
        .join(Question, Question.quiz_version_id == QuizVersion.id)
        .join(Option, Option.question_id == Question.id)
        .where(QuizVersion.content_hash.in_(sorted(hashes)))
    )
    for digest, qkey, qid, okey, oid in rows:
        out.setdefault(digest, {}).setdefault(qkey, (qid, {}))[1][okey] = oid
    return out


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _values(kind: str, r: dict, quiz_ids: dict[str, int]) -> dict:
    """The columns of a record (references by global id are resolved by the caller)."""
    if kind == "session":
        return {
            "title": r["title"][:200],
            "place": r["place"][:200],
            "held_on": date.fromisoformat(r["held_on"]),
            "team": r.get("team", "")[:300],
            "institution": r.get("institution", "")[:200],
            "quiz_version_id": quiz_ids[r["quiz"]],
            "post_quiz_version_id": quiz_ids[r["post_quiz"]] if r.get("post_quiz") else None,
            "phase": Phase(r["phase"]),
            "post_only": bool(r.get("post_only")),
            "consent_text_id": r.get("consent_text_id", ""),
            "consent_text_en": r.get("consent_text_en", ""),
            "characteristics": list(r.get("characteristics") or []),
            "created_at": _dt(r.get("created_at")) or utcnow(),
            "phase_changed_at": _dt(r.get("phase_changed_at")) or utcnow(),
        }
    if kind == "participant":
        return {
            "name": r["name"][:80],
            "characteristics": dict(r.get("characteristics") or {}),
            "consent_at": _dt(r["consent_at"]),
            "lang": r.get("lang", "id")[:2],
            "created_at": _dt(r.get("created_at")) or utcnow(),
        }
    if kind == "attempt":
        return {
            "kind": r["attempt_kind"][:4],
            "quiz_version_id": quiz_ids[r["quiz"]],
            "started_at": _dt(r["started_at"]),
            "submitted_at": _dt(r.get("submitted_at")),
            "submit_key": r.get("submit_key"),
            "n_correct": r.get("n_correct"),
            "n_scored": r.get("n_scored"),
            "score": r.get("score"),
            "attitude_score": r.get("attitude_score"),
        }
    if kind == "answer":
        return {
            "client_key": r["client_key"][:64],
            "seq": int(r["seq"]),
            "chosen_at": _dt(r["chosen_at"]),
            "received_at": _dt(r.get("received_at")) or utcnow(),
            "changes": int(r.get("changes") or 0),
        }
    if kind == "certificate":
        return {"code": r["code"][:32], "number": int(r["number"]), "issued_at": _dt(r["issued_at"])}
    if kind == "pair":
        weight = r.get("birth_weight_g")
        return {
            "mother_name": str(r["mother_name"])[:80],
            "mother_phone": str(r.get("mother_phone") or "")[:20],
            "rt_rw": str(r.get("rt_rw") or "")[:16],
            "baby_name": str(r.get("baby_name") or "")[:80],
            "baby_sex": str(r["baby_sex"])[:1],
            "birth_date": date.fromisoformat(r["birth_date"]),
            "birth_weight_g": int(weight) if weight is not None else None,
            "preterm": _bool(r.get("preterm")),
            "early_initiation": _bool(r.get("early_initiation")),
            "rooming_in": _bool(r.get("rooming_in")),
            "birth_place": str(r.get("birth_place") or "")[:16],
            "consent_followup_at": _dt(r["consent_followup_at"]),
            "consent_whatsapp_at": _dt(r.get("consent_whatsapp_at")),
            "created_at": _dt(r.get("created_at")) or utcnow(),
        }
    if kind == "visit":
        return {
            "client_key": str(r["client_key"])[:64],
            "visit_date": date.fromisoformat(r["visit_date"]),
            "place": str(r.get("place") or "")[:16],
            "came": bool(r.get("came", True)),
            "other_since_last": _bool(r.get("other_since_last")),
            "breastfed_24h": _bool(r.get("breastfed_24h")),
            "recall_24h": [str(x)[:32] for x in r.get("recall_24h") or []],
            "status": str(r["status"])[:16],
            "problems": [str(x)[:32] for x in r.get("problems") or []],
            "counseling": str(r.get("counseling") or "")[:500],
            "referral_to": str(r.get("referral_to") or "")[:120],
            "referral_outcome": str(r.get("referral_outcome") or "")[:300],
            "next_visit_on": date.fromisoformat(r["next_visit_on"]) if r.get("next_visit_on") else None,
            "recorded_at": _dt(r.get("recorded_at")) or utcnow(),
        }
    return {
        "at": _dt(r["at"]),
        "action": r["action"][:64],
        "actor_id": None,
        "detail": {**(r.get("detail") or {}), "origin_actor": r.get("actor")},
    }


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _pair_refs(rows: list[dict]) -> dict[str, dict]:
    """Each pair's posyandu here, by the names of its places (the missing ones are created)."""
    found: dict[tuple[str, str, str], int] = {}
    out = {}
    for r in rows:
        names = (r["puskesmas"], r["desa"], r["posyandu"])
        if names not in found:
            found[names] = cohort_service.place_for(*names).id
        out[r["uuid"]] = {"posyandu_id": found[names]}
    return out


def _answer_refs(rows: list[dict]) -> dict[str, dict]:
    """Each answer's attempt, question and option ids here."""
    attempts = _local_ids("attempt", sorted({r["attempt"] for r in rows}))
    quiz_of = _local_attempt_quiz_hashes(sorted({r["attempt"] for r in rows}))
    keys = _question_keys(set(quiz_of.values()))
    out = {}
    for r in rows:
        qid, options = keys[quiz_of[r["attempt"]]][r["question"]]
        prev = r.get("previous_option")
        out[r["uuid"]] = {
            "attempt_id": attempts[r["attempt"]],
            "question_id": qid,
            "option_id": options[r["option"]],
            "previous_option_id": options[prev] if prev else None,
        }
    return out


def _refs(kind: str, rows: list[dict]) -> dict[str, dict]:
    if not rows:
        return {}
    if kind == "answer":
        return _answer_refs(rows)
    if kind == "session":
        return {r["uuid"]: {} for r in rows}
    if kind == "pair":
        return _pair_refs(rows)
    parent_kind, key = PARENT[kind]
    ids = _local_ids(parent_kind, sorted({r[key] for r in rows}))
    column = {"participant": "session_id", "attempt": "participant_id", "certificate": "participant_id"}
    column["visit"] = "pair_id"
    return {r["uuid"]: {column.get(kind, "session_id"): ids[r[key]]} for r in rows}


def _insert(kind: str, rows: list[dict], laptop: Laptop, quiz_ids: dict[str, int]) -> None:
    if not rows:
        return
    refs = _refs(kind, rows)
    values = []
    for r in rows:
        v = {"uuid": r["uuid"], **_values(kind, r, quiz_ids), **refs[r["uuid"]]}
        if kind == "session":
            v |= {
                "educator_id": laptop.owner_id,
                "origin_laptop_id": laptop.id,
                "join_code": codes.unique_code(codes.JOIN_CODE_LENGTH, CounselingSession.join_code),
            }
        elif kind == "participant":
            v["personal_code"] = codes.unique_code(codes.PERSONAL_CODE_LENGTH, Participant.personal_code)
        values.append(v)
    if kind == "session":
        for v in values:
            db.session.add(CounselingSession(**v))
        db.session.flush()
        return
    for start in range(0, len(values), CHUNK):
        db.session.execute(insert(MODELS[kind]), values[start : start + CHUNK])


def _update(kind: str, r: dict, quiz_ids: dict[str, int]) -> None:
    model = MODELS[kind]
    values = _values(kind, r, quiz_ids)
    if kind == "answer":
        values |= {k: v for k, v in _answer_refs([r])[r["uuid"]].items() if k != "attempt_id"}
    if kind == "pair":
        values |= _pair_refs([r])[r["uuid"]]
    db.session.execute(update(model).where(model.uuid == r["uuid"]).values(**values))


def _set_base(r: dict, bases: dict[str, SyncedRecord], laptop: Laptop, exported_at: datetime) -> None:
    base = bases.get(r["uuid"])
    if base is None:
        base = bases[r["uuid"]] = SyncedRecord(uuid=r["uuid"], kind=r["kind"], laptop_id=laptop.id)
        db.session.add(base)
    base.content_hash = record_hash(r)
    base.exported_at = exported_at


def resolve(conflict: BundleConflict, choice: str, actor_id: int | None) -> None:
    """An admin's choice for a conflict: keep this server's record ("mine") or take the laptop's ("theirs")."""
    if conflict.status != "open" or choice not in ("mine", "theirs"):
        raise ValueError(choice)
    entry = conflict.bundle_import
    r = conflict.theirs
    if choice == "theirs":
        quiz_ids = dict(db.session.execute(select(QuizVersion.content_hash, QuizVersion.id)).tuples().all())
        _update(conflict.kind, r, quiz_ids)
    base = db.session.get(SyncedRecord, conflict.uuid)
    bases = {base.uuid: base} if base else {}
    laptop = db.session.get(Laptop, entry.laptop_id)
    assert laptop is not None
    _set_base(r, bases, laptop, entry.exported_at)
    conflict.status = choice
    conflict.resolved_at = utcnow()
    conflict.resolved_by_id = actor_id
    audit.record(
        "bundle.conflict." + choice, None, actor_id=actor_id, conflict=conflict.id, kind=conflict.kind
    )
    db.session.flush()


def open_conflicts() -> list[BundleConflict]:
    return list(
        db.session.scalars(
            select(BundleConflict).where(BundleConflict.status == "open").order_by(BundleConflict.id)
        )
    )


# --- push -------------------------------------------------------------------------------------


class PushError(Exception):
    """The server did not answer (after a few tries)."""


def _send_https(url: str, data: bytes, timeout: float) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/zip"})  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - the configured server
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def push(data: bytes, attempts: int = 3) -> dict:
    """Send a bundle to SYNC_SERVER_URL's API; the whole bundle again on a dropped connection.

    Resuming is whole-bundle and idempotent: the server imports a bundle in one transaction and
    knows it by its checksum afterwards, so a bundle sent again after a lost answer changes
    nothing, and one lost before the commit is imported then. Bundles are a few MB (100
    sessions, 100,000 answers: see bench/bench_bundle.py), so chunking would buy little.
    SYNC_TRANSPORT (tests) replaces the HTTPS call: a callable (url, data) -> (status, body).
    """
    url = current_app.config["SYNC_SERVER_URL"].rstrip("/") + "/api/bundles"
    send = current_app.config.get("SYNC_TRANSPORT") or (lambda u, d: _send_https(u, d, 120))
    for _attempt in range(attempts):
        try:
            status, body = send(url, data)
        except OSError:
            continue
        if status >= 500:
            continue
        try:
            return json.loads(body)
        except ValueError:
            continue
    raise PushError(url)


# --- laptops ----------------------------------------------------------------------------------


class LaptopError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def register_laptop(*, instance_id: str, public_key: str, name: str, owner: Educator) -> Laptop:
    """Register (or re-key) a laptop whose bundles this server accepts; its sessions belong to `owner`."""
    public_key = public_key.strip().lower()
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
    except ValueError as exc:
        raise LaptopError("bad_key") from exc
    laptop = db.session.scalar(select(Laptop).where(Laptop.instance_id == instance_id.strip()))
    if laptop is None:
        laptop = Laptop(instance_id=instance_id.strip(), name=name, public_key=public_key, owner_id=owner.id)
        db.session.add(laptop)
    else:
        laptop.public_key, laptop.name, laptop.owner_id, laptop.active = public_key, name, owner.id, True
    audit.record("laptop.register", None, instance=instance_id.strip())
    db.session.flush()
    return laptop


def origins(session_ids: Sequence[int]) -> dict[int, str]:
    """For the pooled report: the laptop each imported session came from, by session id."""
    if not session_ids:
        return {}
    rows = db.session.execute(
        select(CounselingSession.id, Laptop.name)
        .join(Laptop, and_(Laptop.id == CounselingSession.origin_laptop_id))
        .where(CounselingSession.id.in_(list(session_ids)))
    )
    return dict(rows.tuples().all())
