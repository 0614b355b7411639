"""What a session's report says about the education itself: team, partner, funding, method, media,
duration and the signatories of its approval block and certificates.

Stored as one JSON object (`CounselingSession.report_details`); the educator's usual values
(`Educator.report_defaults`, the same object without the date of signing) are copied into each
new session she creates. Only names, roles and official numbers (NIP/NIDN) of the team and the
signatories are kept: nothing about participants.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import CounselingSession, Educator
from app.services import audit

#: Education methods offered as choices (key -> label); anything else goes in the free text.
METHODS = {
    "ceramah": _l("lecture"),
    "diskusi": _l("discussion"),
    "demonstrasi": _l("demonstration"),
    "tanya_jawab": _l("question-and-answer"),
    "simulasi": _l("simulation or role play"),
    "praktik": _l("hands-on practice"),
}
#: Media offered as choices.
MEDIA = {
    "leaflet": _l("leaflet"),
    "slides": _l("slides"),
    "video": _l("video"),
    "booklet": _l("booklet"),
    "poster": _l("poster"),
    "lembar_balik": _l("flip chart"),
    "phantom": _l("breast model or doll"),
}
#: The kinds of official number printed after a name.
ID_KINDS = ("NIP", "NIDN", "NIDK", "NIK")
#: How many team members and signatories the form offers.
MAX_MEMBERS = 5
MAX_SIGNATORIES = 3


@dataclass(frozen=True)
class Member:
    """A person of the team or a signatory: name, role and official number as typed."""

    name: str
    id_kind: str = ""
    id_number: str = ""
    role: str = ""

    @property
    def id_line(self) -> str:
        """'NIP. 19800101 200501 2 001', or '' without a number."""
        if not self.id_number:
            return ""
        return f"{self.id_kind or 'NIP'}. {self.id_number}"

    def with_id(self) -> str:
        """'Dr. Ani (NIDN 0012345678)' for a sentence."""
        if not self.id_number:
            return self.name
        return f"{self.name} ({self.id_kind or 'NIP'} {self.id_number})"


@dataclass(frozen=True)
class SessionInfo:
    leader: Member | None = None
    members: tuple[Member, ...] = ()
    partner: str = ""
    funding: str = ""
    methods: tuple[str, ...] = ()
    method_other: str = ""
    media: tuple[str, ...] = ()
    media_other: str = ""
    duration_minutes: int | None = None
    signatories: tuple[Member, ...] = ()
    signed_place: str = ""
    signed_on: date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.describes_education or self.signatories)

    @property
    def describes_education(self) -> bool:
        return bool(
            self.leader
            or self.members
            or self.partner
            or self.funding
            or self.methods
            or self.method_other
            or self.media
            or self.media_other
            or self.duration_minutes
        )

    def method_names(self) -> list[str]:
        """The methods in the current language, the free text last."""
        names = [str(METHODS[k]) for k in self.methods if k in METHODS]
        return names + ([self.method_other] if self.method_other else [])

    def media_names(self) -> list[str]:
        names = [str(MEDIA[k]) for k in self.media if k in MEDIA]
        return names + ([self.media_other] if self.media_other else [])

    def certificate_signers(self) -> tuple[Member, ...]:
        """Who signs the certificates: the first two signatories."""
        return self.signatories[:2]

    def to_json(self) -> dict:
        out: dict = {}
        if self.leader:
            out["leader"] = _member_json(self.leader)
        if self.members:
            out["members"] = [_member_json(m) for m in self.members]
        for key in ("partner", "funding", "method_other", "media_other", "signed_place"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.methods:
            out["methods"] = list(self.methods)
        if self.media:
            out["media"] = list(self.media)
        if self.duration_minutes:
            out["duration_minutes"] = self.duration_minutes
        if self.signatories:
            out["signatories"] = [_member_json(m) for m in self.signatories]
        if self.signed_on:
            out["signed_on"] = self.signed_on.isoformat()
        return out


def _member_json(m: Member) -> dict:
    return {k: v for k, v in dataclasses.asdict(m).items() if v}


def _member(raw) -> Member | None:
    if not isinstance(raw, dict) or not str(raw.get("name") or "").strip():
        return None
    return Member(
        name=str(raw.get("name", "")).strip(),
        id_kind=str(raw.get("id_kind") or ""),
        id_number=str(raw.get("id_number") or ""),
        role=str(raw.get("role") or ""),
    )


def from_json(raw: dict | None) -> SessionInfo:
    """The stored object read back; unknown keys and malformed parts are left out."""
    raw = raw if isinstance(raw, dict) else {}
    signed_on = None
    if raw.get("signed_on"):
        try:
            signed_on = date.fromisoformat(str(raw["signed_on"]))
        except ValueError:
            signed_on = None
    duration = raw.get("duration_minutes")

    def members(key: str) -> tuple[Member, ...]:
        items = raw.get(key)
        return (
            tuple(m for m in (_member(r) for r in items) if m is not None) if isinstance(items, list) else ()
        )

    def keys(key: str, allowed: dict) -> tuple[str, ...]:
        items = raw.get(key)
        return tuple(k for k in items if k in allowed) if isinstance(items, list) else ()

    return SessionInfo(
        leader=_member(raw.get("leader")),
        members=members("members"),
        partner=str(raw.get("partner") or ""),
        funding=str(raw.get("funding") or ""),
        methods=keys("methods", METHODS),
        method_other=str(raw.get("method_other") or ""),
        media=keys("media", MEDIA),
        media_other=str(raw.get("media_other") or ""),
        duration_minutes=duration if isinstance(duration, int) and duration > 0 else None,
        signatories=members("signatories"),
        signed_place=str(raw.get("signed_place") or ""),
        signed_on=signed_on,
    )


def for_session(session: CounselingSession) -> SessionInfo:
    return from_json(session.report_details)


def defaults_for(educator: Educator) -> dict:
    """The object a new session of hers starts with."""
    info = from_json(educator.report_defaults)
    return dataclasses.replace(info, signed_on=None).to_json()


def update(
    session: CounselingSession, info: SessionInfo, *, actor: Educator, as_defaults: bool = False
) -> None:
    """Store the session's details; with `as_defaults` also as the actor's defaults (without the date)."""
    session.report_details = info.to_json()
    if as_defaults:
        actor.report_defaults = dataclasses.replace(info, signed_on=None).to_json()
    audit.record("session.details", session.id, actor_id=actor.id, as_defaults=as_defaults)
    db.session.flush()
