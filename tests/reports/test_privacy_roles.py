"""What each role sees of the participants matches what it may export, and no pseudonymised file
holds a personal code (which, with the join code, opens the participant's test).

Roles: the session's educator and an admin see names and personal codes; a lecturer with read
access sees P01, P02, ... on the session page, in live.json and in every file she downloads.
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CounselingSession, Participant
from app.services import sessions as ssvc
from tests.conftest import EducatorActions


@pytest.fixture
def people(app, build_session):
    built = build_session(5, names=["Ibu Melati", "Ibu Kenanga"])
    participants = db.session.scalars(
        select(Participant).where(Participant.session_id == built.session_id).order_by(Participant.id)
    ).all()
    return {
        "sid": built.session_id,
        "names": [p.name for p in participants],
        "codes": [p.personal_code for p in participants],
    }


@pytest.fixture
def roles(app, people, make_educator):
    """Logged-in clients: the session's educator, an admin, a lecturer with read access."""
    make_educator("admin", "rahasia-000", role="admin")
    lecturer = make_educator("dosen", "rahasia-789", role="lecturer")
    ssvc.grant_read(db.session.get(CounselingSession, people["sid"]), lecturer)
    db.session.commit()
    clients = {}
    for role, (username, password) in {
        "owner": ("bidan", "rahasia-123"),
        "admin": ("admin", "rahasia-000"),
        "lecturer": ("dosen", "rahasia-789"),
    }.items():
        actions = EducatorActions(app.test_client(), username, password)
        actions.login()
        clients[role] = actions.client
    return clients


def code_forms(code: str) -> list[str]:
    """A personal code as stored and as shown (KXM-7P3)."""
    return [code, "-".join(code[i : i + 3] for i in range(0, len(code), 3))]


def holds_any_code(text: str, people) -> bool:
    return any(form in text for code in people["codes"] for form in code_forms(code))


def holds_any_name(text: str, people) -> bool:
    return any(name in text for name in people["names"])


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_the_educator_and_an_admin_see_names_and_codes(app, people, roles, role):
    client = roles[role]
    page = client.get(f"/educator/sessions/{people['sid']}").text
    assert holds_any_name(page, people) and holds_any_code(page, people)
    live = client.get(f"/educator/sessions/{people['sid']}/live.json").json
    assert [r["name"] for r in live["rows"]] == people["names"]
    assert [r["code"].replace("-", "") for r in live["rows"]] == people["codes"]


def test_a_lecturer_sees_pseudonyms_and_no_code_on_the_page_and_in_live_json(app, people, roles):
    client = roles["lecturer"]
    response = client.get(f"/educator/sessions/{people['sid']}")
    assert response.status_code == 200
    page = response.text
    assert not holds_any_name(page, people) and not holds_any_code(page, people)
    assert "P01" in page and "P05" in page
    live = client.get(f"/educator/sessions/{people['sid']}/live.json")
    assert live.status_code == 200
    assert not holds_any_name(live.text, people) and not holds_any_code(live.text, people)
    rows = live.json["rows"]
    assert [r["name"] for r in rows] == ["P01", "P02", "P03", "P04", "P05"]
    assert all("code" not in r and "personal_code" not in r for r in rows)


def csv_participants(content: bytes) -> list[str]:
    return [row["participant"] for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))]


def test_the_lecturers_pseudonyms_are_those_of_her_exports(app, people, roles):
    client = roles["lecturer"]
    shown = [r["name"] for r in client.get(f"/educator/sessions/{people['sid']}/live.json").json["rows"]]
    exported = csv_participants(client.get(f"/reports/sessions/{people['sid']}/download/csv?sep=comma").data)
    assert shown == exported


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )


def sav_text(content: bytes, tmp_path) -> tuple[str, list[str]]:
    import pyreadstat

    path = tmp_path / "f.sav"
    path.write_bytes(content)
    frame, _meta = pyreadstat.read_sav(str(path))
    return frame.to_csv(), list(frame.columns)


@pytest.mark.parametrize("role", ["owner", "admin", "lecturer"])
@pytest.mark.parametrize("fmt", ["xlsx", "sav", "sav-long", "csv"])
def test_pseudonymised_files_hold_no_personal_code(app, people, roles, role, fmt, tmp_path):
    response = roles[role].get(f"/reports/sessions/{people['sid']}/download/{fmt}")
    assert response.status_code == 200
    if fmt == "xlsx":
        text = xlsx_text(response.data)
    elif fmt.startswith("sav"):
        text, columns = sav_text(response.data, tmp_path)
        assert "code" not in columns and "name" not in columns
    else:
        text = response.data.decode("utf-8-sig")
    assert "P01" in text
    assert not holds_any_code(text, people)
    assert not holds_any_name(text, people)


@pytest.mark.parametrize("fmt", ["xlsx", "sav"])
def test_files_with_names_for_the_educator_keep_names_and_codes(app, people, roles, fmt, tmp_path):
    response = roles["owner"].get(f"/reports/sessions/{people['sid']}/download/{fmt}?names=1")
    text = xlsx_text(response.data) if fmt == "xlsx" else sav_text(response.data, tmp_path)[0]
    assert holds_any_name(text, people) and holds_any_code(text, people)


@pytest.mark.parametrize("fmt", ["xlsx", "sav"])
def test_a_lecturer_asking_for_names_still_gets_no_name_and_no_code(app, people, roles, fmt, tmp_path):
    response = roles["lecturer"].get(f"/reports/sessions/{people['sid']}/download/{fmt}?names=1")
    text = xlsx_text(response.data) if fmt == "xlsx" else sav_text(response.data, tmp_path)[0]
    assert not holds_any_name(text, people) and not holds_any_code(text, people)
