"""Loading the quiz bank: schema errors that name the file, question and field; immutable versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attempt, CounselingSession, QuizVersion
from app.services import quizfile
from tests.conftest import ROOT, Tablet

MINIMAL = {
    "id": "uji-coba",
    "version": "1",
    "title": {"id": "Uji coba", "en": "Trial"},
    "audience": "mothers",
    "questions": [
        {
            "key": "q1",
            "type": "single_choice",
            "topic": "umum",
            "stem": {"id": "Kapan IMD dilakukan?", "en": "When is early initiation done?"},
            "options": [
                {"key": "a", "text": {"id": "Satu jam pertama", "en": "First hour"}},
                {"key": "b", "text": {"id": "Hari ketiga", "en": "Third day"}},
            ],
            "answer": "a",
            "explanation": {"id": "Dalam satu jam pertama.", "en": "Within the first hour."},
            "source": "WHO/UNICEF (2018)",
        },
        {
            "key": "q2",
            "type": "true_false",
            "topic": "umum",
            "stem": {"id": "Kolostrum baik untuk bayi.", "en": "Colostrum is good for the baby."},
            "answer": True,
            "explanation": {"id": "Benar.", "en": "True."},
            "source": "WHO (2009)",
        },
        {
            "key": "s1",
            "type": "likert",
            "topic": "sikap",
            "stem": {"id": "Saya yakin bisa menyusui.", "en": "I am sure I can breastfeed."},
            "scale": 4,
            "reverse": True,
        },
    ],
}


def write(tmp_path: Path, data: dict, name: str = "uji-coba.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_bank_loads_without_problems():
    specs, problems = quizfile.load_bank(ROOT / "quizzes")
    assert problems == []
    ids = {s.id for s in specs}
    assert {"produksi-asi", "asi-eksklusif"} <= ids
    for quiz_id in ("produksi-asi", "asi-eksklusif"):
        spec = next(s for s in specs if s.id == quiz_id)
        assert sum(q.scored for q in spec.questions) >= 15


def test_minimal_file_parses_with_generated_options(tmp_path):
    spec, problems = quizfile.parse_quiz_file(write(tmp_path, MINIMAL))
    assert problems == []
    tf = spec.questions[1]
    assert [o.key for o in tf.options] == ["true", "false"]
    assert tf.answer == "true" and tf.options[0].is_correct
    likert = spec.questions[2]
    assert [o.value for o in likert.options] == [1, 2, 3, 4]
    assert not likert.scored and likert.reverse


def test_schema_error_names_file_question_and_field(tmp_path):
    broken = yaml.safe_load(yaml.safe_dump(MINIMAL))
    del broken["questions"][0]["stem"]["en"]
    broken["questions"][1]["answer"] = "maybe"
    spec, problems = quizfile.parse_quiz_file(write(tmp_path, broken))
    assert spec is None
    texts = [str(p) for p in problems]
    assert any(p.file == "uji-coba.yaml" and p.question == "q1" and p.field == "stem.en" for p in problems), (
        texts
    )
    assert any(p.question == "q2" and p.field == "answer" for p in problems), texts


def test_wrong_answer_key_and_duplicate_keys(tmp_path):
    broken = yaml.safe_load(yaml.safe_dump(MINIMAL))
    broken["questions"][0]["answer"] = "z"
    broken["questions"][2]["key"] = "q2"
    spec, problems = quizfile.parse_quiz_file(write(tmp_path, broken))
    assert spec is None
    assert any(p.question == "q1" and p.field == "answer" and "option keys" in p.message for p in problems)
    broken["questions"][0]["answer"] = "a"
    spec, problems = quizfile.parse_quiz_file(write(tmp_path, broken))
    assert [(p.question, p.field) for p in problems] == [("q2", "key")]


def test_not_yaml_and_not_utf8(tmp_path):
    bad = tmp_path / "rusak.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    _, problems = quizfile.parse_quiz_file(bad)
    assert problems and problems[0].file == "rusak.yaml" and "YAML" in problems[0].message
    bad.write_bytes(b"id: \xff\xfe")
    _, problems = quizfile.parse_quiz_file(bad)
    assert "UTF-8" in problems[0].message


def test_load_is_idempotent_and_a_changed_file_makes_a_new_version(app, runner, tmp_path):
    write(tmp_path, MINIMAL)
    first = runner.invoke(args=["quizzes", "load", "--dir", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "1 new version(s)" in first.output
    again = runner.invoke(args=["quizzes", "load", "--dir", str(tmp_path)])
    assert "0 new version(s), 1 unchanged" in again.output
    changed = yaml.safe_load(yaml.safe_dump(MINIMAL))
    changed["questions"][0]["stem"]["id"] = "Kapan sebaiknya IMD dilakukan?"
    write(tmp_path, changed)
    third = runner.invoke(args=["quizzes", "load", "--dir", str(tmp_path)])
    assert "1 new version(s)" in third.output
    versions = db.session.scalars(select(QuizVersion).where(QuizVersion.quiz_key == "uji-coba")).all()
    assert len(versions) == 2
    assert len({v.content_hash for v in versions}) == 2
    db.session.query(QuizVersion).filter(QuizVersion.quiz_key == "uji-coba").delete()
    db.session.commit()


def test_invalid_file_loads_nothing_and_exits_non_zero(app, runner, tmp_path):
    write(tmp_path, MINIMAL)
    broken = yaml.safe_load(yaml.safe_dump(MINIMAL))
    broken["id"] = "lain"
    broken["audience"] = "everyone"
    write(tmp_path, broken, "lain.yaml")
    before = db.session.scalar(select(func.count(QuizVersion.id)))
    result = runner.invoke(args=["quizzes", "load", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "lain.yaml, field audience" in result.output
    assert db.session.scalar(select(func.count(QuizVersion.id))) == before


def test_a_session_keeps_the_quiz_version_it_started_with(app, educator_client, runner, tmp_path):
    """Editing a quiz file after a session ran never changes that session's questions or scores."""
    quiz_copy = tmp_path / "produksi-asi.yaml"
    shutil.copy(ROOT / "quizzes" / "produksi-asi.yaml", quiz_copy)
    sid = educator_client.create_session()
    session = db.session.get(CounselingSession, sid)
    old_version_id = session.quiz_version_id
    educator_client.move(sid, "pre_open")
    tab = Tablet(app)
    tab.register(session.join_code, "Siti")
    tab.submit("pre")
    data = yaml.safe_load(quiz_copy.read_text(encoding="utf-8"))
    data["questions"][0]["stem"]["id"] += " (revisi)"
    data["version"] = "1.1-uji"
    quiz_copy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["quizzes", "load", "--dir", str(tmp_path)])
    assert "1 new version(s)" in result.output
    db.session.expire_all()
    session = db.session.get(CounselingSession, sid)
    assert session.quiz_version_id == old_version_id
    assert not session.quiz_version.questions[0].stem_id.endswith("(revisi)")
    attempt = db.session.scalars(select(Attempt)).one()
    assert attempt.quiz_version_id == old_version_id
    new = db.session.scalars(select(QuizVersion).where(QuizVersion.version_label == "1.1-uji")).one()
    assert new.questions[0].stem_id.endswith("(revisi)")
    db.session.delete(new)
    db.session.commit()
