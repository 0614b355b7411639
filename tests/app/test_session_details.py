"""The report details page: team, partner, funding, method, media, duration and signatories of a session."""

from __future__ import annotations

from app.extensions import db
from app.models import AuditLog, CounselingSession, Educator
from app.services import sessioninfo
from tests.conftest import EducatorActions, csrf_from

NASTY = '<b>Siti & "Ani"</b>'


def filled(csrf: str, **extra) -> dict:
    data = {
        "csrf_token": csrf,
        "leader-name": "Dr. Rina Marlina, M.Keb",
        "leader-id_kind": "NIDN",
        "leader-id_number": "0012038101",
        "members-0-name": "Budi Santoso",
        "members-0-id_kind": "NIP",
        "members-0-id_number": "19800101 200501 1 001",
        "members-1-name": NASTY,
        "partner": "Puskesmas Serpong 1",
        "funding": "LPPM Universitas Contoh",
        "methods": ["ceramah", "diskusi", "tanya_jawab"],
        "method_other": "kunjungan rumah",
        "media": ["leaflet", "slides"],
        "duration_minutes": "90",
        "signatories-0-role": "Kepala Puskesmas Serpong 1",
        "signatories-0-name": "dr. Hendra Wijaya",
        "signatories-0-id_kind": "NIP",
        "signatories-0-id_number": "197501012005011002",
        "signatories-1-role": "Ketua Pelaksana",
        "signatories-1-name": "Dr. Rina Marlina, M.Keb",
        "signatories-1-id_kind": "NIDN",
        "signatories-1-id_number": "0012038101",
        "signed_place": "Tangerang Selatan",
        "signed_on": "2026-11-21",
    }
    data.update(extra)
    return data


def test_details_are_saved_read_back_and_shown_escaped(app, educator_client):
    session_id = educator_client.create_session()
    client = educator_client.client
    page = client.get(f"/educator/sessions/{session_id}/details")
    assert page.status_code == 200 and "Ketua pelaksana" in page.text
    response = client.post(f"/educator/sessions/{session_id}/details", data=filled(csrf_from(page.text)))
    assert response.status_code == 302, response.text
    info = sessioninfo.for_session(db.session.get(CounselingSession, session_id))
    assert info.leader.with_id() == "Dr. Rina Marlina, M.Keb (NIDN 0012038101)"
    assert [m.name for m in info.members] == ["Budi Santoso", NASTY]
    assert info.methods == ("ceramah", "diskusi", "tanya_jawab") and info.method_other == "kunjungan rumah"
    assert info.duration_minutes == 90
    assert [(s.role, s.id_line) for s in info.signatories] == [
        ("Kepala Puskesmas Serpong 1", "NIP. 197501012005011002"),
        ("Ketua Pelaksana", "NIDN. 0012038101"),
    ]
    assert info.signed_on.isoformat() == "2026-11-21"
    assert db.session.query(AuditLog).filter_by(action="session.details", session_id=session_id).count() == 1
    again = client.get(f"/educator/sessions/{session_id}/details").text
    assert "&lt;b&gt;Siti &amp; &#34;Ani&#34;&lt;/b&gt;" in again and NASTY not in again
    assert 'value="197501012005011002"' in again


def test_a_bad_number_is_refused_in_indonesian_and_in_english_and_nothing_is_saved(app, educator_client):
    session_id = educator_client.create_session()
    client = educator_client.client
    page = client.get(f"/educator/sessions/{session_id}/details")
    bad = filled(
        csrf_from(page.text), **{"signatories-0-id_number": "19750101-ABC", "signatories-1-role": ""}
    )
    response = client.post(f"/educator/sessions/{session_id}/details", data=bad)
    assert response.status_code == 400
    assert "Gunakan angka saja" in response.text
    assert "Isi jabatannya, misalnya Kepala Puskesmas." in response.text
    assert db.session.get(CounselingSession, session_id).report_details == {}
    client.get("/lang/en")
    page = client.get(f"/educator/sessions/{session_id}/details")
    short = filled(csrf_from(page.text), **{"leader-id_number": "123", "duration_minutes": "0"})
    response = client.post(f"/educator/sessions/{session_id}/details", data=short)
    assert response.status_code == 400
    assert "An NIP has 18 digits, an NIDN 10" in response.text
    assert "Give the duration in minutes, from 1 to 1440." in response.text
    assert db.session.get(CounselingSession, session_id).report_details == {}


def test_a_number_without_a_name_and_an_unknown_method_are_refused(app, educator_client):
    session_id = educator_client.create_session()
    client = educator_client.client
    page = client.get(f"/educator/sessions/{session_id}/details")
    data = {
        "csrf_token": csrf_from(page.text),
        "members-2-id_number": "0012038101",
        "methods": ["ceramah", "hipnotis"],
    }
    response = client.post(f"/educator/sessions/{session_id}/details", data=data)
    assert response.status_code == 400
    assert "Isi nama pemilik nomor ini." in response.text
    assert "Metode tidak dikenal." in response.text and "not a valid choice" not in response.text


def test_saved_as_defaults_they_fill_her_next_session_but_not_the_date(app, educator_client):
    first = educator_client.create_session()
    client = educator_client.client
    page = client.get(f"/educator/sessions/{first}/details")
    client.post(f"/educator/sessions/{first}/details", data=filled(csrf_from(page.text), as_defaults="y"))
    second = educator_client.create_session(title="Edukasi Kedua")
    info = sessioninfo.for_session(db.session.get(CounselingSession, second))
    assert info.partner == "Puskesmas Serpong 1" and len(info.signatories) == 2
    assert info.signed_on is None
    owner = db.session.query(Educator).filter_by(username="bidan").one()
    assert "signed_on" not in owner.report_defaults


def test_a_lecturer_who_may_read_the_session_may_not_change_its_details(app, educator_client, make_educator):
    from app.services import sessions as ssvc

    session_id = educator_client.create_session()
    lecturer = make_educator("dosen", role="lecturer", full_name="Dosen")
    ssvc.grant_read(db.session.get(CounselingSession, session_id), lecturer)
    db.session.commit()
    other = EducatorActions(app.test_client(), username="dosen")
    other.login()
    assert other.client.get(f"/educator/sessions/{session_id}/details").status_code == 403


def test_stored_details_that_are_malformed_are_read_as_empty_parts():
    info = sessioninfo.from_json(
        {
            "leader": "x",
            "members": [{"name": ""}, 3],
            "methods": ["ceramah", "?"],
            "duration_minutes": "9",
            "signed_on": "kemarin",
        }
    )
    assert info.leader is None and info.members == () and info.methods == ("ceramah",)
    assert info.duration_minutes is None and info.signed_on is None
    assert sessioninfo.from_json(None).is_empty
