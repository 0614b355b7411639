"""A whole counseling session through the Flask test client: educator, 30 participants on six tablets."""

from __future__ import annotations

import random

import pytest
import yaml
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, Attempt, CounselingSession, Participant, Phase
from tests.conftest import ROOT, Tablet, one_tablet_in


def quiz_from_file(quiz_id: str) -> list[dict]:
    """The questions as written in the YAML file, read independently of the app's loader."""
    data = yaml.safe_load((ROOT / "quizzes" / f"{quiz_id}.yaml").read_text(encoding="utf-8"))
    questions = []
    for q in data["questions"]:
        if q["type"] == "single_choice":
            options, correct = [o["key"] for o in q["options"]], q["answer"]
        elif q["type"] == "true_false":
            options, correct = ["true", "false"], "true" if q["answer"] else "false"
        else:
            continue
        questions.append({"key": q["key"], "options": options, "correct": correct})
    return questions


def choose(questions, rng: random.Random, p_correct: float) -> list[str]:
    picks = []
    for q in questions:
        if rng.random() < p_correct:
            picks.append(q["correct"])
        else:
            picks.append(rng.choice([o for o in q["options"] if o != q["correct"]]))
    return picks


def expected_score(questions, picks) -> float:
    return 100.0 * sum(p == q["correct"] for p, q in zip(picks, questions, strict=False)) / len(questions)


def test_whole_session_thirty_mothers_six_tablets(app, educator_client):
    """Pre-test on six shared tablets, post-test on any free tablet by personal code, with dropouts."""
    rng = random.Random(20240707)
    questions = quiz_from_file("produksi-asi")
    assert len(questions) >= 15

    sid, join_code = educator_client.open_pre_test()

    tablets = [Tablet(app) for _ in range(6)]
    people = []  # (name, personal code, pre picks, post picks)
    for i in range(30):
        tab = tablets[i % 6]
        tab.client = app.test_client()  # the tablet is handed to the next mother: a fresh browser state
        tab.register(join_code, f"Ibu {i + 1:02d}")
        code = tab.personal_code()
        pre = choose(questions, rng, 0.45)
        drop_pre = i in (3, 17)  # two mothers leave before finishing the pre-test
        for n, pick in enumerate(pre, start=1):
            if n % 2:
                tab.answer_form("pre", n, pick)
            else:
                assert tab.answer_json("pre", questions[n - 1]["key"], pick).status_code == 200
        if drop_pre:
            people.append((f"Ibu {i + 1:02d}", code, None, None))
            continue
        tab.submit("pre")
        people.append((f"Ibu {i + 1:02d}", code, pre, None))

    educator_client.move(sid, "pre_closed")
    educator_client.move(sid, "post_open")

    for i, (name, code, pre, _) in enumerate(people):
        if i in (5, 21, 29):  # three mothers go home before the post-test
            continue
        tab = tablets[(i + 2) % 6]  # any free tablet
        tab.resume(join_code, code)
        post = choose(questions, rng, 0.8)
        for n, pick in enumerate(post, start=1):
            tab.answer_form("post", n, pick)
        tab.submit("post")
        people[i] = (name, code, pre, post)

    educator_client.move(sid, "closed")

    # Every stored answer and score equals what each mother chose.
    participants = {
        p.personal_code: p
        for p in db.session.scalars(select(Participant).where(Participant.session_id == sid))
    }
    assert len(participants) == 30
    for name, code, pre, post in people:
        p = participants[code]
        assert p.name == name
        for kind, picks in (("pre", pre), ("post", post)):
            attempt = p.attempt(kind)
            if picks is None:
                assert attempt is None or not attempt.submitted
                continue
            stored = {a.question.key: a.option.key for a in attempt.answers}
            assert stored == {q["key"]: pick for q, pick in zip(questions, picks, strict=False)}
            assert attempt.submitted
            assert attempt.n_scored == len(questions)
            assert attempt.score == pytest.approx(expected_score(questions, picks))

    # The educator's table shows pre, post and gain with the group means.
    page = educator_client.client.get(f"/educator/sessions/{sid}")
    assert page.status_code == 200
    live = educator_client.client.get(f"/educator/sessions/{sid}/live.json").get_json()
    rows = {r["personal_code"]: r for r in live["rows"]}
    complete = [(pre, post) for _, _, pre, post in people if pre is not None and post is not None]
    assert len(complete) == 30 - 2 - 3  # 3 and 17 left the pre-test; 5, 21 and 29 left before the post-test
    for _, code, pre, post in people:
        row = rows[code]
        if pre is not None and post is not None:
            assert row["gain"] == pytest.approx(
                expected_score(questions, post) - expected_score(questions, pre)
            )
    pre_scores = [expected_score(questions, pre) for _, _, pre, _ in people if pre is not None]
    post_scores = [expected_score(questions, post) for _, _, _, post in people if post is not None]
    assert live["mean_pre"] == pytest.approx(sum(pre_scores) / len(pre_scores))
    assert live["mean_post"] == pytest.approx(sum(post_scores) / len(post_scores))
    expected_counts = {"joined": 30, "pre_started": 30, "pre_done": 28, "post_started": 27, "post_done": 27}
    assert {k: live["counts"][k] for k in expected_counts} == expected_counts


def test_answer_and_submit_sent_twice_are_stored_once(app, educator_client):
    _sid, _code, tab = one_tablet_in(app, educator_client, "Siti")
    questions = quiz_from_file("produksi-asi")
    csrf = tab.csrf_token("pre")
    key = "k" * 32
    first = tab.answer_json("pre", questions[0]["key"], questions[0]["correct"], key=key, csrf=csrf)
    again = tab.answer_json("pre", questions[0]["key"], questions[0]["correct"], key=key, csrf=csrf)
    assert first.get_json()["status"] == "stored"
    assert again.get_json()["status"] == "duplicate"
    _response, submit_key, token = tab.submit("pre")
    replay = tab.client.post("/quiz/pre/submit", data={"submit_key": submit_key, "csrf_token": token})
    assert replay.status_code == 302  # the same submit again: recognised, nothing changes
    other = tab.client.post(
        "/quiz/pre/submit", data={"submit_key": "another-submit-key", "csrf_token": token}
    )
    assert other.status_code == 409
    assert "sudah mengirim" in other.text.lower()
    assert db.session.scalar(select(func.count(Answer.id))) == 1
    assert db.session.scalar(select(func.count(Attempt.id)).where(Attempt.submitted_at.is_not(None))) == 1


def test_latest_choice_on_the_tablet_wins_in_any_order(app, educator_client):
    """The tablet numbers its choices; the higher number wins whichever arrives first."""
    _sid, _code, tab = one_tablet_in(app, educator_client, "Ani")
    q = quiz_from_file("produksi-asi")[0]
    wrong = next(o for o in q["options"] if o != q["correct"])
    csrf = tab.csrf_token("pre")
    later = tab.answer_json("pre", q["key"], q["correct"], seq=2, csrf=csrf)
    earlier = tab.answer_json("pre", q["key"], wrong, seq=1, csrf=csrf)
    assert later.get_json()["status"] == "stored"
    assert earlier.get_json() == {
        "ok": True,
        "status": "superseded",
        "question": q["key"],
        "option": q["correct"],
        "seq": 2,
    }
    stored = db.session.scalars(select(Answer)).one()
    assert stored.option.key == q["correct"]


def test_reload_and_back_keep_answers(app, educator_client):
    _sid, _code, tab = one_tablet_in(app, educator_client, "Dewi")
    questions = quiz_from_file("produksi-asi")
    tab.answer_form("pre", 1, questions[0]["correct"])
    tab.answer_form("pre", 2, questions[1]["correct"], direction="back")
    page = tab.question_page("pre", 1)  # back to question 1, as after a reload
    assert f'value="{questions[0]["correct"]}" checked' in page.text or "checked" in page.text
    page2 = tab.question_page("pre", 2)
    assert "checked" in page2.text


def test_post_only_session(app, educator_client):
    """Seed 004: a session with a post-test only."""
    sid = educator_client.create_session(post_only=True)
    session = db.session.get(CounselingSession, sid)
    educator_client.move(sid, "pre_open", expect=409)
    educator_client.move(sid, "post_open")
    tab = Tablet(app)
    tab.register(session.join_code, "Rina")
    assert tab.client.get("/me").headers["Location"].endswith("/quiz/post/1")
    for n, q in enumerate(quiz_from_file("produksi-asi"), start=1):
        tab.answer_form("post", n, q["correct"])
    tab.submit("post")
    result = tab.client.get("/result")
    assert "100" in result.text
    p = db.session.scalars(select(Participant)).one()
    assert p.attempt("pre") is None
    assert p.attempt("post").score == 100.0


def test_parallel_form_for_the_post_test(app, educator_client):
    sid, _code, tab = one_tablet_in(app, educator_client, "Lia", post_quiz_key="produksi-asi-b")
    tab.submit("pre")
    educator_client.move(sid, "pre_closed")
    educator_client.move(sid, "post_open")
    b = quiz_from_file("produksi-asi-b")
    for n, q in enumerate(b, start=1):
        tab.answer_form("post", n, q["correct"])
    tab.submit("post")
    attempt = db.session.scalars(select(Attempt).where(Attempt.kind == "post")).one()
    assert attempt.quiz_version.quiz_key == "produksi-asi-b"
    assert attempt.score == 100.0
    assert db.session.get(CounselingSession, sid).phase == Phase.POST_OPEN
