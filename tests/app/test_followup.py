"""The follow-up (delayed post-) test: phase moves allowed and refused, participants resuming for it, the score table."""

from __future__ import annotations

import html
import random
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Attempt, AuditLog, CounselingSession, Phase, PhaseError, QuizVersion
from app.services import participants as psvc
from app.services import sessions as ssvc
from tests.conftest import Tablet, csrf_from
from tests.security.helpers import answer_everything


def move(
    educator_client, sid: int, target: str, followup_quiz: int | None = None, expect: int = 302, lang=None
):
    page = educator_client.client.get(f"/educator/sessions/{sid}")
    data = {"target": target, "csrf_token": csrf_from(page.text)}
    if followup_quiz is not None:
        data["followup_quiz"] = str(followup_quiz)
    educator_client.client.get(f"/lang/{lang or 'id'}")  # the language the educator chose
    response = educator_client.client.post(f"/educator/sessions/{sid}/phase", data=data)
    assert response.status_code == expect, response.text
    return response


def version(quiz_key: str) -> QuizVersion:
    return db.session.scalars(
        select(QuizVersion).where(QuizVersion.quiz_key == quiz_key).order_by(QuizVersion.id.desc())
    ).first()


def closed_session(app, educator_client, n: int = 4, quiz_key: str = "produksi-asi"):
    """A session played to the end: n mothers, one misses the post-test. Returns (sid, tablets, codes)."""
    sid = educator_client.create_session(quiz_key=quiz_key)
    code = db.session.get(CounselingSession, sid).join_code
    educator_client.move(sid, "pre_open")
    rng = random.Random(3)
    tablets, personal = [], []
    for i in range(n):
        t = Tablet(app)
        t.register(code, f"Ibu {i}")
        personal.append(t.personal_code())
        answer_everything(t, sid, "pre", rng)
        t.submit("pre")
        tablets.append(t)
    educator_client.move(sid, "pre_closed")
    educator_client.move(sid, "post_open")
    for i, t in enumerate(tablets):
        if i != 1:
            answer_everything(t, sid, "post", rng)
            t.submit("post")
    educator_client.move(sid, "closed")
    return sid, code, personal


def test_the_followup_phases_and_their_moves():
    s = CounselingSession(phase=Phase.CLOSED, post_only=False)
    assert Phase.FOLLOWUP_OPEN in s.allowed_moves() and Phase.POST_OPEN in s.allowed_moves()
    s.move_to(Phase.FOLLOWUP_OPEN)
    assert s.open_kind() == "followup" and not s.joinable
    assert s.allowed_moves() == (Phase.FOLLOWUP_CLOSED,)
    with pytest.raises(PhaseError):
        s.move_to(Phase.CLOSED)
    s.move_to(Phase.FOLLOWUP_CLOSED)
    assert s.open_kind() is None and s.allowed_moves() == (Phase.FOLLOWUP_OPEN,)
    with pytest.raises(PhaseError) as refused:
        s.move_to(Phase.POST_OPEN)  # the post-test is not reopened once the follow-up began
    assert refused.value.reason is None
    for phase in (Phase.DRAFT, Phase.PRE_OPEN, Phase.PRE_CLOSED, Phase.POST_OPEN):
        with pytest.raises(PhaseError):
            CounselingSession(phase=phase, post_only=False).move_to(Phase.FOLLOWUP_OPEN)
    with pytest.raises(PhaseError) as post_only:
        CounselingSession(phase=Phase.CLOSED, post_only=True).move_to(Phase.FOLLOWUP_OPEN)
    assert post_only.value.reason == "post_only_followup"


def test_opening_the_followup_fixes_its_quiz_and_is_audited(app, educator_client):
    sid, _code, _personal = closed_session(app, educator_client, n=2)
    target = db.session.get(CounselingSession, sid)
    choices = {v.quiz_key for v in ssvc.followup_quiz_choices(target)}
    assert choices == {"produksi-asi", "produksi-asi-b"}  # the quiz and its parallel form
    page = educator_client.client.get(f"/educator/sessions/{sid}")
    assert "Open a follow-up test" in page.text or "Buka tes follow-up" in page.text
    assert 'name="followup_quiz"' in page.text
    # Another instrument is refused, in the educator's language, and nothing changes.
    other = version("asi-eksklusif")
    refused = move(educator_client, sid, "followup_open", other.id, expect=409, lang="en")
    assert "parallel form" in refused.text
    db.session.expire_all()
    assert db.session.get(CounselingSession, sid).phase == Phase.CLOSED
    assert db.session.get(CounselingSession, sid).followup_opened_at is None
    form_b = version("produksi-asi-b")
    move(educator_client, sid, "followup_open", form_b.id)
    db.session.expire_all()
    target = db.session.get(CounselingSession, sid)
    assert target.phase == Phase.FOLLOWUP_OPEN and target.has_followup
    assert target.quiz_for("followup").id == form_b.id
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "phase.followup_open")).one()
    assert entry.detail == {"before": "closed", "quiz_version": form_b.id}
    # Closing and reopening keep the quiz; choosing another one on reopening is refused.
    move(educator_client, sid, "followup_closed")
    refused = move(educator_client, sid, "followup_open", version("produksi-asi").id, expect=409)
    assert "bentuk paralel" in refused.text  # Indonesian by default
    move(educator_client, sid, "followup_open")
    db.session.expire_all()
    assert db.session.get(CounselingSession, sid).quiz_for("followup").id == form_b.id
    # From the follow-up, the session cannot go back to the post-test.
    refused = move(educator_client, sid, "post_open", expect=409, lang="en")
    assert "Follow-up test open" in refused.text and "not possible" in refused.text


def test_a_post_only_session_has_no_followup(app, educator_client):
    sid = educator_client.create_session(post_only=True)
    educator_client.move(sid, "post_open")
    educator_client.move(sid, "closed")
    refused = move(educator_client, sid, "followup_open", expect=409, lang="en")
    assert "post-test only" in refused.text
    refused = move(educator_client, sid, "followup_open", expect=409)
    assert "hanya post-test" in refused.text


def test_participants_resume_on_any_tablet_and_take_the_followup(app, educator_client):
    sid, code, personal = closed_session(app, educator_client, n=4)
    # Before the follow-up opens, a resumed participant sees her result.
    t = Tablet(app)
    t.resume(code, personal[0])
    assert t.client.get("/me").headers["Location"].endswith("/result")
    move(educator_client, sid, "followup_open")
    # Nobody new joins a follow-up.
    newcomer = Tablet(app)
    assert newcomer.client.get(f"/s/{code}/consent").status_code in (403, 409)
    rng = random.Random(9)
    for i in (0, 1, 2):  # mother 1 missed the post-test and still takes the follow-up; mother 3 does not come
        t = Tablet(app)
        t.resume(code, personal[i])
        assert t.client.get("/me").headers["Location"].endswith("/quiz/followup/1")
        page = t.question_page("followup", 1)
        assert page.status_code == 200 and ("Follow-up" in page.text or "follow-up" in page.text)
        # The correct answers of her post-test are not shown while the follow-up is open.
        result = t.client.get("/result")
        assert "answer-review" not in result.text
        picks = answer_everything(t, sid, "followup", rng)
        assert picks
        t.submit("followup")
        assert t.client.get("/me").headers["Location"].endswith("/result")
        result = t.client.get("/result")
        assert "answer-review" in result.text  # now her follow-up's correct answers
    # The same personal code on yet another tablet: already handed in.
    again = Tablet(app)
    again.resume(code, personal[0])
    assert (
        again.client.get("/quiz/followup/review").status_code == 302
    )  # handed in: back to where she belongs
    assert again.client.get("/me").headers["Location"].endswith("/result")
    attempts = db.session.scalars(select(Attempt).where(Attempt.kind == "followup")).all()
    assert len(attempts) == 3 and all(a.submitted and a.score is not None for a in attempts)
    target = db.session.get(CounselingSession, sid)
    table = ssvc.score_table(target)
    assert table.has_followup and table.n_complete == 2  # mothers 0 and 2
    assert [r.followup_status for r in table.rows] == ["done", "done", "done", "none"]
    assert table.mean_followup == pytest.approx(sum(a.score for a in attempts) / 3)
    assert table.counts().followup_done == 3
    # The live view carries the third score.
    live = educator_client.client.get(f"/educator/sessions/{sid}/live.json").get_json()
    assert live["counts"]["followup_done"] == 3 and "mean_followup" in live["means_text"]
    assert [r["followup_text"] != "–" for r in live["rows"]] == [True, True, True, False]
    page = educator_client.client.get(f"/educator/sessions/{sid}")
    assert "data-followup" in page.text
    # Closing the follow-up: answers are refused, the result stays.
    move(educator_client, sid, "followup_closed")
    late = Tablet(app)
    late.resume(code, personal[3])
    assert late.client.get("/me").headers["Location"].endswith("/result")
    assert late.answer_json("followup", "q1", "a", csrf=late.csrf_token("followup")).status_code == 409
    assert (
        psvc.next_step(db.session.get(type(attempts[0].participant), attempts[0].participant_id)) == "result"
    )


def _followup_options(page_text: str) -> list[str]:
    select_html = re.search(r'<select[^>]*name="followup_quiz".*?</select>', page_text, re.S)
    assert select_html, "the follow-up quiz select is on the page"
    return [
        html.unescape(o).strip()
        for o in re.findall(r"<option[^>]*>(.*?)</option>", select_html.group(0), re.S)
    ]


def test_the_followup_quiz_choices_name_the_form_once_in_the_page_language(app, educator_client):
    sid, _code, _personal = closed_session(app, educator_client, n=1)
    educator_client.client.get("/lang/id")
    indonesian = _followup_options(educator_client.client.get(f"/educator/sessions/{sid}").text)
    assert len(indonesian) == 2, indonesian
    form_b = [o for o in indonesian if "ASI (bentuk B)" in o]
    assert len(form_b) == 1, indonesian
    assert form_b[0].count("bentuk B") == 1 and "form B" not in form_b[0].replace("bentuk B", ""), form_b
    form_a = next(o for o in indonesian if o is not form_b[0])
    assert "(bentuk A)" in form_a and "(form" not in form_a, form_a
    educator_client.client.get("/lang/en")
    english = _followup_options(educator_client.client.get(f"/educator/sessions/{sid}").text)
    assert len(english) == 2, english
    assert sum("(form B)" in o for o in english) == 1 and all(o.count("form B") <= 1 for o in english), (
        english
    )
    assert any("(form A)" in o for o in english) and not any("bentuk" in o for o in english), english
