"""KP-ASI meeting and consultation logs: the month's numbers, and who may write them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models.cohort import KpAsiConsultation, KpAsiMeeting
from app.services import cohort
from app.services.cohort import PairData
from tests.conftest import EducatorActions, csrf_from


def login(app, username, password):
    actions = EducatorActions(app.test_client(), username, password)
    actions.login()
    return actions.client


def test_meetings_and_consultations_give_the_months_numbers(app, places):
    today = date.today()
    a = cohort.create_pair(
        places.kader1, PairData(places.melati.id, "Ibu Satu", "P", today - timedelta(days=30), True)
    )
    b = cohort.create_pair(
        places.kader1, PairData(places.melati.id, "Ibu Dua", "L", today - timedelta(days=60), True)
    )
    other = cohort.create_pair(
        places.kader2, PairData(places.anggrek.id, "Ibu Lain", "L", today - timedelta(days=60), True)
    )
    db.session.commit()
    client = login(app, "kader1", "rahasia-k1")
    token = csrf_from(client.get("/cohort/kp-asi").text)
    meeting = {
        "csrf_token": token,
        "kind": "meeting",
        "m-posyandu": str(places.melati.id),
        "m-held_on": today.isoformat(),
        "m-topic": "Cara memerah ASI",
        "m-mothers": [str(a.id), str(b.id)],
        "m-others": "3",
    }
    assert client.post("/cohort/kp-asi", data=meeting).status_code == 302
    for category, outcome in (
        ("low_milk", "answered"),
        ("low_milk", "referred"),
        ("sore_nipples", "answered"),
    ):
        data = {
            "csrf_token": token,
            "kind": "consultation",
            "c-posyandu": str(places.melati.id),
            "c-asked_on": today.isoformat(),
            "c-channel": "whatsapp_group",
            "c-category": category,
            "c-outcome": outcome,
        }
        assert client.post("/cohort/kp-asi", data=data).status_code == 302
    month = cohort.kpasi_month(places.kader1, today.year, today.month)
    assert (len(month.meetings), month.mothers_at_meetings, month.others_at_meetings) == (1, 2, 3)
    assert (len(month.consultations), month.answered, month.referred) == (3, 2, 1)
    assert month.by_category == {"low_milk": 2, "sore_nipples": 1}
    assert "Merasa ASI kurang: 2" in client.get("/cohort/kp-asi").text
    # The other cadre sees none of it, and cannot log a meeting for Melati or with Melati's mothers.
    assert cohort.kpasi_month(places.kader2, today.year, today.month).consultations == []
    intruder = login(app, "kader2", "rahasia-k2")
    token2 = csrf_from(intruder.get("/cohort/kp-asi").text)
    assert intruder.post("/cohort/kp-asi", data=dict(meeting, csrf_token=token2)).status_code == 422
    mixed = dict(
        meeting,
        csrf_token=token2,
        **{"m-posyandu": str(places.anggrek.id), "m-mothers": [str(other.id), str(a.id)]},
    )
    assert intruder.post("/cohort/kp-asi", data=mixed).status_code == 422
    future = dict(meeting, **{"m-held_on": (today + timedelta(days=3)).isoformat()})
    refused = client.post("/cohort/kp-asi", data=future)
    assert refused.status_code == 400 and "masa depan" in refused.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count(KpAsiMeeting.id))) == 1
    assert db.session.scalar(select(func.count(KpAsiConsultation.id))) == 3
