"""The quiz-bank pages: the list, a quiz with answers and item statistics, and copy to adapt."""

from __future__ import annotations

import re
import shutil
import uuid
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from analysis import item_quality
from analysis.format import format_number
from app.bank import service
from app.extensions import db
from app.models import Answer, Attempt, Participant, QuizVersion
from app.models._time import utcnow
from app.services import quizbank, quizfile
from app.services import sessions as svc
from app.services.quizlint import check_bank
from tests.conftest import csrf_from

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "quizzes"


def latest(quiz_key: str) -> QuizVersion:
    return db.session.scalar(
        select(QuizVersion).where(QuizVersion.quiz_key == quiz_key).order_by(QuizVersion.id.desc())
    )


def question_block(html: str, key: str) -> str:
    """The part of the quiz page about one question."""
    start = html.index(f'id="q-{key}"')
    following = html.find('<li class="card" id="q-', start + 1)
    return html[start : following if following != -1 else html.index("</ol>", start)]


def add_submitted_attempts(educator, version: QuizVersion, kind: str, rows: list[list[int | None]]) -> None:
    """Participants who submitted `kind` on `version`; each row is 1/0/None per knowledge question."""
    session = svc.create_session(
        educator,
        title="Uji statistik",
        place="Posyandu Uji",
        held_on=date(2026, 11, 20),
        quiz_version=version,
    )
    now = utcnow()
    questions = version.knowledge_questions
    for row in rows:
        participant = Participant(
            session_id=session.id, personal_code=uuid.uuid4().hex[:12].upper(), name="Peserta", consent_at=now
        )
        attempt = Attempt(kind=kind, quiz_version_id=version.id, submitted_at=now)
        participant.attempts.append(attempt)
        for q, correct in zip(questions, row, strict=False):
            if correct is None:
                continue
            option = q.correct_option if correct else next(o for o in q.options if not o.is_correct)
            attempt.answers.append(
                Answer(question_id=q.id, option_id=option.id, client_key=uuid.uuid4().hex, chosen_at=now)
            )
        db.session.add(participant)
    db.session.commit()


@pytest.fixture
def quiz_dir(app, tmp_path, monkeypatch):
    """A copy of the quiz folder as QUIZ_DIR, so copying never writes into the repository."""
    target = tmp_path / "quizzes"
    shutil.copytree(BANK, target)
    monkeypatch.setitem(app.config, "QUIZ_DIR", str(target))
    before = set(db.session.scalars(select(QuizVersion.id)))
    yield target
    db.session.rollback()
    for version in db.session.scalars(select(QuizVersion).where(QuizVersion.id.not_in(before))):
        db.session.delete(version)  # the bank is shared by the whole run: leave it as it was
    db.session.commit()


# -- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/bank/", "/bank/produksi-asi"])
def test_bank_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_an_unknown_quiz_or_version_is_404(educator_client):
    assert educator_client.client.get("/bank/tidak-ada").status_code == 404
    assert educator_client.client.get("/bank/produksi-asi?version=999999").status_code == 404


# -- the list -------------------------------------------------------------------------------------


def test_the_list_shows_every_quiz_with_its_item_counts_and_parallel_forms(educator_client):
    html = educator_client.client.get("/bank/").text
    for spec in quizfile.load_bank(BANK)[0]:
        assert f'href="/bank/{spec.id}"' in html, spec.id
    row = html[html.index('href="/bank/produksi-asi"') :]
    row = row[: row.index("</tr>")]
    assert "16" in row  # 16 knowledge questions
    assert 'href="/bank/produksi-asi-b"' in row  # its parallel form B
    kader = html[html.index('href="/bank/kader-konseling"') :]
    kader = kader[: kader.index("</tr>")]
    assert re.search(r"12\D", kader) and re.search(r"\b8\b", kader)  # 12 knowledge, 8 attitude


def test_bank_overview_counts_knowledge_and_attitude_items_apart(app):
    entries = {e.version.quiz_key: e for e in service.bank_overview()}
    assert (entries["kader-konseling"].n_knowledge, entries["kader-konseling"].n_attitude) == (12, 8)
    assert [v.quiz_key for v in entries["asi-eksklusif"].parallel] == ["asi-eksklusif-b"]
    assert entries["dukungan-keluarga"].parallel == []


# -- one quiz -------------------------------------------------------------------------------------


def test_the_quiz_page_shows_every_question_answer_explanation_and_source(educator_client):
    version = latest("tenaga-kesehatan")
    html = educator_client.client.get("/bank/tenaga-kesehatan").text
    for q in version.questions:
        block = question_block(html, q.key)
        assert q.stem_id.replace("'", "&#39;") in block
        assert q.explanation_id.replace("'", "&#39;") in block
        assert q.source.replace("'", "&#39;") in block
        correct = re.findall(r'<li class="correct">(.*?)</li>', block, re.S)
        assert len(correct) == 1 and q.correct_option.text_id in correct[0]


def test_likert_items_show_their_scale_and_reverse_scoring(educator_client):
    html = educator_client.client.get("/bank/kader-konseling").text
    reverse = question_block(html, "sikap-formula-sama-baik")
    plain = question_block(html, "sikap-yakin-ibu-mampu")
    assert 'class="reverse"' in reverse and 'class="reverse"' not in plain
    assert 'class="item-stats"' not in reverse  # attitude items have no difficulty or discrimination


def test_item_statistics_are_shown_with_n_beside_each_index(educator_client, educator):
    version = latest("produksi-asi")
    k = len(version.knowledge_questions)
    # 12 participants: participant i gets the first i+2 questions right (capped), so items differ in difficulty.
    rows = [[1 if j < min(i + 2, k) else 0 for j in range(k)] for i in range(12)]
    rows[0][0] = None  # one unanswered question: n_answered 11 for the first item
    add_submitted_attempts(educator, version, "pre", rows)
    expected = item_quality(
        [[float("nan") if c is None else c for c in r] for r in rows],
        [q.key for q in version.knowledge_questions],
    )

    html = educator_client.client.get("/bank/produksi-asi").text
    first = expected.items[0]
    block = question_block(html, first.question)
    pre_row = block[block.index('data-kind="pre"') :]
    pre_row = pre_row[: pre_row.index("</tr>")]
    assert format_number(first.difficulty, 2, "id") in pre_row
    assert "n = 11" in pre_row  # difficulty: who answered it
    assert f"n = {expected.n_complete}" in pre_row  # discrimination: who answered every question
    post_row = block[block.index('data-kind="post"') :]
    post_row = post_row[: post_row.index("</tr>")]
    assert "n = 0" in post_row and "–" in post_row  # no post-tests yet: nothing to show


def test_item_statistics_below_the_minimum_n_are_withheld(educator_client, educator, app, monkeypatch):
    monkeypatch.setitem(app.config, "ITEM_STATS_MIN_N", 10)
    version = latest("asi-eksklusif")
    k = len(version.knowledge_questions)
    add_submitted_attempts(
        educator, version, "post", [[1] * (k - 1) + [0], [0] * k, [1] * k, [1, 0] * (k // 2)]
    )
    stats = service.item_statistics(version, "post", min_n=10)
    assert stats.n_attempts == 4
    assert all(not s.difficulty.shown and s.difficulty.n == 4 for s in stats.items.values())
    html = educator_client.client.get("/bank/asi-eksklusif").text
    block = question_block(html, version.knowledge_questions[0].key)
    post_row = block[block.index('data-kind="post"') :]
    post_row = post_row[: post_row.index("</tr>")]
    assert "n = 4" in post_row and "0,75" not in post_row and "–" in post_row
    assert (
        service.item_statistics(version, "post", min_n=3)
        .items[version.knowledge_questions[0].key]
        .difficulty.shown
    )


# -- copy to adapt --------------------------------------------------------------------------------


def test_copy_writes_a_new_file_and_loads_it_as_a_new_quiz(educator_client, quiz_dir):
    original = latest("produksi-asi")
    original_hash, n_versions = (
        original.content_hash,
        db.session.scalar(
            select(func.count()).select_from(QuizVersion).where(QuizVersion.quiz_key == "produksi-asi")
        ),
    )
    page = educator_client.client.get("/bank/produksi-asi")
    response = educator_client.client.post(
        "/bank/produksi-asi/copy",
        data={
            "csrf_token": csrf_from(page.text),
            "version": str(original.id),
            "title_id": "",
            "title_en": "",
        },
    )
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith("/bank/produksi-asi-salinan-1")

    path = quiz_dir / "produksi-asi-salinan-1.yaml"
    assert path.exists()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["id"] == "produksi-asi-salinan-1" and "form" not in data and "parallel_group" not in data
    assert data["title"] == {"id": "Produksi ASI (salinan)", "en": "Breast-milk production (copy)"}
    copy = latest("produksi-asi-salinan-1")
    assert copy is not None and copy.source_file == path.name
    assert copy.content["questions"] == original.content["questions"]
    # The original is untouched: same content, no new version of it.
    db.session.refresh(original)
    assert original.content_hash == original_hash
    assert (
        db.session.scalar(
            select(func.count()).select_from(QuizVersion).where(QuizVersion.quiz_key == "produksi-asi")
        )
        == n_versions
    )
    assert (quiz_dir / "produksi-asi.yaml").read_bytes() == (BANK / "produksi-asi.yaml").read_bytes()
    # The bank with the copy still passes the linter, and the copy's page works.
    assert check_bank(quiz_dir) == []
    assert educator_client.client.get("/bank/produksi-asi-salinan-1").status_code == 200


def test_a_second_copy_gets_the_next_number_and_keeps_a_given_title(educator_client, quiz_dir):
    for expected in ("dukungan-keluarga-salinan-1", "dukungan-keluarga-salinan-2"):
        page = educator_client.client.get("/bank/dukungan-keluarga")
        response = educator_client.client.post(
            "/bank/dukungan-keluarga/copy",
            data={
                "csrf_token": csrf_from(page.text),
                "title_id": "Dukungan Ayah",
                "title_en": "Fathers' support",
            },
        )
        assert response.headers["Location"].endswith(f"/bank/{expected}")
    assert latest("dukungan-keluarga-salinan-2").title_id == "Dukungan Ayah"


def test_copy_without_a_csrf_token_is_refused_and_writes_nothing(educator_client, quiz_dir):
    files = sorted(p.name for p in quiz_dir.iterdir())
    response = educator_client.client.post("/bank/produksi-asi/copy", data={"title_id": "x"})
    assert response.status_code == 400
    assert sorted(p.name for p in quiz_dir.iterdir()) == files


def test_copy_into_a_missing_folder_is_reported_not_crashed(educator_client, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "QUIZ_DIR", str(tmp_path / "tidak-ada"))
    page = educator_client.client.get("/bank/produksi-asi")
    response = educator_client.client.post(
        "/bank/produksi-asi/copy", data={"csrf_token": csrf_from(page.text)}
    )
    assert response.status_code == 409
    assert latest("produksi-asi-salinan-1") is None


@pytest.mark.parametrize("path", sorted(BANK.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_file_written_from_stored_content_loads_as_the_same_version(tmp_path, path):
    """The copy is written from the stored canonical content; it must round-trip to the same hash."""
    spec, problems = quizfile.parse_quiz_file(path)
    assert not problems
    out = tmp_path / path.name
    out.write_text(
        yaml.safe_dump(quizfile.file_data(spec.canonical()), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    again, problems = quizfile.parse_quiz_file(out)
    assert not problems
    assert quizbank.content_hash(again) == quizbank.content_hash(spec)


# -- versions -------------------------------------------------------------------------------------


def version_row(html: str, version_id: int) -> str:
    start = html.index(f'data-version="{version_id}"')
    return html[start : html.index("</tr>", start)]


def test_a_changed_quiz_file_becomes_the_current_version_and_sessions_keep_theirs(
    educator_client, educator, quiz_dir, runner
):
    """Editing a file and loading it makes a new current version; the bank pages say which is current."""
    from app.bank.service import sessions_per_version
    from app.models import CounselingSession

    old = latest("tenaga-kesehatan")
    used_before = sessions_per_version([old.id]).get(old.id, 0)
    session = svc.create_session(
        educator, title="Sesi versi lama", place="Puskesmas Uji", held_on=date(2026, 11, 30), quiz_version=old
    )
    db.session.commit()

    path = quiz_dir / "tenaga-kesehatan.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["version"] = "1.2-uji"
    data["questions"][0]["source"] += " (diperiksa ulang)"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(args=["quizzes", "load", "--dir", str(quiz_dir)])
    assert "1 new version(s)" in result.output, result.output

    new = latest("tenaga-kesehatan")
    assert new.id != old.id and new.version_label == "1.2-uji"
    assert new.content_hash != old.content_hash
    db.session.expire_all()
    assert db.session.get(CounselingSession, session.id).quiz_version_id == old.id

    # The list shows the new version as the one in use.
    html = educator_client.client.get("/bank/").text
    row = html[html.index('href="/bank/tenaga-kesehatan"') :]
    row = row[: row.index("</tr>")]
    assert "v1.2-uji" in row and new.content_hash[:8] in row and old.content_hash[:8] not in row

    # The quiz page marks the current version, and counts the sessions on each.
    html = educator_client.client.get("/bank/tenaga-kesehatan").text
    assert 'class="tag current-version"' in html[: html.index('<section class="card">')]
    assert 'class="tag current-version"' in version_row(html, new.id)
    assert 'class="tag current-version"' not in version_row(html, old.id)
    assert f"<td>{used_before + 1}</td>" in version_row(html, old.id)
    assert "<td>0</td>" in version_row(html, new.id)
    assert "(diperiksa ulang)" in question_block(html, new.questions[0].key)

    # The old version is still there, marked as older, with its own text.
    html = educator_client.client.get(f"/bank/tenaga-kesehatan?version={old.id}").text
    assert 'class="tag current-version"' not in html[: html.index('<section class="card">')]
    assert 'href="/bank/tenaga-kesehatan"' in html  # "see the newest version"
    assert "(diperiksa ulang)" not in question_block(html, old.questions[0].key)
    db.session.delete(db.session.get(CounselingSession, session.id))
    db.session.commit()
