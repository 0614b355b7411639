"""Benchmark: the PDF report of a 100-participant session, and 500 certificates in one PDF.

Run: .venv/bin/python bench/bench_reports.py [--participants 100] [--certificates 500] [--repeat 7]

Builds a temporary SQLite database with the quiz bank and sessions whose answers go
through the app's services (not timed), then times, median of R runs after a warm-up:
- report: gathering the session from the database, analysis/, the report blocks and
  the reportlab PDF (what a download of /reports/sessions/<id>/download/pdf does);
- certificates: reading the certificates from the database and drawing every page
  with its QR code (what /reports/sessions/<id>/certificates.pdf does).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def populate(n: int, title: str, seed: int, dropouts: bool = True):
    """A closed session with n participants: pre-test and post-test answered (4% and 6% dropouts)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Educator, Phase, QuizVersion
    from app.services import participants as psvc
    from app.services import sessions as ssvc
    from app.services.accounts import create_account
    from bench._sessions import open_post_test, open_session, take_test

    rng = random.Random(seed)
    educator = db.session.scalar(select(Educator).where(Educator.username == "bench")) or create_account(
        None,
        username="bench",
        full_name="Bidan Bench",
        password="bench-password",
        institution="Puskesmas Bench",
    )
    quiz = db.session.scalar(select(QuizVersion).where(QuizVersion.quiz_key == "produksi-asi"))
    session = open_session(educator, quiz, title, ["age", "education", "occupation", "parity"])
    now = datetime.now(UTC)
    people = [
        psvc.register(
            session,
            name=f"Ibu Peserta {i + 1:03d}",
            consent_at=now,
            characteristics={
                "age": str(rng.randint(17, 44)),
                "education": rng.choice(["sd", "smp", "sma", "higher"]),
                "occupation": rng.choice(["housewife", "private", "self_employed"]),
                "parity": str(rng.randint(0, 5)),
            },
        )
        for i in range(n)
    ]
    for kind, p_correct, drop in (("pre", 0.5, 0.04), ("post", 0.8, 0.06)):
        if kind == "post":
            open_post_test(session)
        for p in people:
            if dropouts and rng.random() < drop:
                continue
            take_test(p, kind, quiz, rng, p_correct, now)
    ssvc.move_phase(session, Phase.CLOSED)
    db.session.commit()
    return session.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--certificates", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from app import create_app
    from app.extensions import db
    from app.models import CounselingSession
    from app.reports import build
    from app.schema import upgrade
    from app.services import quizbank
    from bench._timing import timed

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "SERVER_NAME": None})
        with app.app_context():
            upgrade()
            quizbank.import_bank(app.config["QUIZ_DIR"])
            db.session.commit()
            report_id = populate(args.participants, "Edukasi Produksi ASI", 1)
            cert_id = populate(
                args.certificates, "Kelas Ibu Menyusui", 2, dropouts=False
            )  # one certificate each

            def report():
                db.session.expire_all()
                target = db.session.get(CounselingSession, report_id)
                pdf = build.export_sessions([target], "pdf", lang="id").content
                db.session.rollback()  # the audit entry: not kept
                return pdf

            def certificates():
                db.session.expire_all()
                target = db.session.get(CounselingSession, cert_id)
                pdf, count = build.certificates_pdf(target, lambda c: "http://192.168.1.10:5000/c/" + c)
                db.session.rollback()
                return pdf, count

            pdf = report()
            cert_pdf, count = certificates()
            for _name, fn, what, limit in (
                ("report", report, f"PDF report, {args.participants} participants ({len(pdf):,} bytes)", 1.0),
                ("certificates", certificates, f"{count} certificates ({len(cert_pdf):,} bytes)", 5.0),
            ):
                times, _cpu = timed(fn, args.repeat)
                median = statistics.median(times)
                verdict = "ok" if median < limit else f"OVER the {limit:g} s budget"
                print(
                    f"{what}, median of {args.repeat} runs: {median:.3f} s "
                    f"(min {min(times):.3f} s, max {max(times):.3f} s) {verdict}"
                )


if __name__ == "__main__":
    main()
