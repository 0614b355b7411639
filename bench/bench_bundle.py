"""Benchmark: export and import of a 100-session bundle (3,000 participants, 100,000 answers).

A laptop app (SQLite) gets 100 closed sessions of 30 participants each, a pre- and a post-test
each, 100,000 answers in all (kader-konseling, 20 questions), written straight into its tables
(not timed). Timed, with the peak of Python's allocations (tracemalloc): `export_bundle` on the
laptop, `import_bundle` on the server (a second SQLite file, or BENCH_SERVER_URL, e.g. a
PostgreSQL database), and the same bundle imported a second time, which must change nothing.

Run: .venv/bin/python bench/bench_bundle.py [--sessions 100] [--participants 30] [--answers 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select

from app import create_app
from app.extensions import db
from app.models import Answer, Attempt, Certificate, CounselingSession, Educator, Participant, QuizVersion
from app.models.identity import new_uuid
from app.schema import upgrade
from app.services import accounts, bundles, quizbank

ROOT = Path(__file__).resolve().parents[1]


def make_app(url: str, key_file: Path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "QUIZ_DIR": str(ROOT / "quizzes"),
            "BUNDLE_KEY_FILE": str(key_file),
            "SECRET_KEY": "bench",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        upgrade()
        quizbank.import_bank(app.config["QUIZ_DIR"])
        accounts.create_account(
            None, username="bidan", full_name="Bidan", password="rahasia-123", role="educator", institution=""
        )
        db.session.commit()
    return app


def fill(n_sessions: int, per_session: int, n_answers: int) -> None:
    rng = random.Random(20261202)
    quiz = db.session.scalars(
        select(QuizVersion).where(QuizVersion.quiz_key == "kader-konseling").order_by(QuizVersion.id.desc())
    ).first()
    assert quiz is not None
    questions = [(q.id, [o.id for o in q.options]) for q in quiz.questions]
    educator = db.session.scalar(select(Educator))
    assert educator is not None
    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    left = n_answers
    for s in range(n_sessions):
        session = CounselingSession(
            educator_id=educator.id,
            title=f"Sesi {s + 1}",
            place=f"Posyandu {s % 17}",
            held_on=date(2026, 11, 1) + timedelta(days=s % 28),
            quiz_version_id=quiz.id,
            join_code=f"B{s:05d}",
            phase="closed",
            characteristics=["age"],
        )
        db.session.add(session)
        db.session.flush()
        participants = [
            {
                "uuid": new_uuid(),
                "session_id": session.id,
                "personal_code": f"P{s:03d}{i:02d}",
                "name": f"Ibu {s}-{i}",
                "characteristics": {"age": str(20 + i % 20)},
                "consent_at": now,
                "lang": "id",
                "created_at": now,
            }
            for i in range(per_session)
        ]
        db.session.execute(insert(Participant), participants)
        pids = list(db.session.scalars(select(Participant.id).where(Participant.session_id == session.id)))
        attempts = []
        for pid in pids:
            for kind in ("pre", "post"):
                attempts.append(
                    {
                        "uuid": new_uuid(),
                        "participant_id": pid,
                        "kind": kind,
                        "quiz_version_id": quiz.id,
                        "started_at": now,
                        "submitted_at": now,
                        "n_correct": rng.randint(5, 20),
                        "n_scored": 20,
                        "score": rng.randint(25, 100) * 1.0,
                    }
                )
        db.session.execute(insert(Attempt), attempts)
        aids = list(
            db.session.scalars(
                select(Attempt.id).join(Participant).where(Participant.session_id == session.id)
            )
        )
        sessions_left = n_sessions - s
        budget = left // sessions_left
        rows = []
        for aid in aids:
            for qid, options in questions:
                if len(rows) >= budget:
                    break
                rows.append(
                    {
                        "uuid": new_uuid(),
                        "attempt_id": aid,
                        "question_id": qid,
                        "option_id": rng.choice(options),
                        "client_key": new_uuid().replace("-", ""),
                        "seq": 1,
                        "chosen_at": now,
                        "received_at": now,
                    }
                )
        left -= len(rows)
        db.session.execute(insert(Answer), rows)
        db.session.execute(
            insert(Certificate),
            [
                {
                    "uuid": new_uuid(),
                    "participant_id": pid,
                    "code": f"C{s:03d}{n:03d}X",
                    "number": n + 1,
                    "issued_at": now,
                }
                for n, pid in enumerate(pids)
            ],
        )
    db.session.commit()


def timed(label: str, fn):
    tracemalloc.start()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:34} {elapsed:7.2f} s   peak {peak / 2**20:7.1f} MB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--answers", type=int, default=100_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    laptop = make_app("sqlite:///" + str(tmp / "laptop.sqlite3"), tmp / "laptop-key.json")
    server = make_app(
        os.environ.get("BENCH_SERVER_URL") or "sqlite:///" + str(tmp / "server.sqlite3"), tmp / "s.json"
    )
    with laptop.app_context():
        fill(args.sessions, args.participants, args.answers)
        n = db.session.scalar(select(func.count()).select_from(Answer))
        sessions = list(db.session.scalars(select(CounselingSession).order_by(CounselingSession.id)))
        print(
            f"laptop: {len(sessions)} sessions, {args.sessions * args.participants} participants, {n} answers"
        )
        data = timed("export_bundle", lambda: bundles.export_bundle(sessions, identified=False))
        db.session.commit()
        key = bundles.local_key()
    print(f"bundle: {len(data) / 2**20:.1f} MB")
    with server.app_context():
        owner = db.session.scalar(select(Educator))
        bundles.register_laptop(
            instance_id=key.instance_id, public_key=key.public_key_hex, name="Bench", owner=owner
        )
        db.session.commit()
        first = timed("import_bundle (first)", lambda: bundles.import_bundle(data))
        db.session.commit()
        imported = db.session.scalar(select(func.count()).select_from(Answer))
        print(f"  added {first.total('new')} records, {imported} answers on the server")
        assert imported == n, (imported, n)
        second = timed("import_bundle (same bundle again)", lambda: bundles.import_bundle(data))
        db.session.commit()
        assert second.already is not None and db.session.scalar(select(func.count()).select_from(Answer)) == n
        print("  second import: already imported, nothing changed (no-op)")


if __name__ == "__main__":
    main()
