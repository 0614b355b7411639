"""Cost of one autosave inside the process: the app's WSGI callable against the bare endpoint's.

No server, no sockets, no load generator: each side is called directly with a prepared WSGI
environ in one thread, so what is measured is the work of the request itself, and the figure
moves much less with the machine's other load than throughput does. The app is measured with
its autosave fast path (app/participant/fastpath.py) and without it (AUTOSAVE_FAST_PATH off:
Flask's view). Every call must answer "stored" (a new choice, later than the last).

    .venv/bin/python bench/bench_request_cost.py [--backend postgresql --pg-url postgresql://...]

Prints the fastest of --rounds rounds of --requests calls per side, in microseconds per call.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._server import _env, new_database, prepare  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|data-csrf="([^"]+)"')


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/bench_autosave")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)

    db = new_database(args.backend, args.pg_url)
    try:
        info = prepare(db)
        os.environ.update(_env(db.url))
        from werkzeug.test import EnvironBuilder

        import bench._bare as bare
        from app.extensions import db as sqla
        from app.models import Participant
        from wsgi import app

        phone = app.test_client()
        code = info["join_code"]

        def token(response) -> str:
            match = CSRF_RE.search(response.get_data(as_text=True))
            return match.group(1) or match.group(2)

        page = phone.get(f"/s/{code}/consent")
        phone.post(f"/s/{code}/consent", data={"agree": "y", "csrf_token": token(page)})
        page = phone.get(f"/s/{code}/register")
        assert (
            phone.post(f"/s/{code}/register", data={"name": "Ibu A", "csrf_token": token(page)}).status_code
            == 302
        )
        csrf = token(phone.get("/quiz/pre/1"))
        cookie = "; ".join(f"{c.key}={c.value}" for c in phone._cookies.values())
        with app.app_context():
            from sqlalchemy import select

            pid = sqla.session.scalar(select(Participant.id))
        questions = info["questions"]
        batch = [0]

        def environs(for_bare: bool) -> list[dict]:
            batch[0] += 1
            start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=batch[0])
            out = []
            for i in range(args.requests):
                q = questions[i % len(questions)]
                body = {
                    "kind": "pre",
                    "question": q["key"],
                    "option": q["options"][i % len(q["options"])],
                    "key": f"b{batch[0]}-{i}",
                    "chosen_at": (start + timedelta(microseconds=i)).isoformat(),
                }
                if for_bare:
                    body["participant"] = pid
                out.append(
                    EnvironBuilder(
                        path="/" if for_bare else "/api/answer",
                        method="POST",
                        data=json.dumps(body),
                        headers={
                            "Content-Type": "application/json",
                            "Accept": "application/json",
                            "Cookie": cookie,
                            "X-CSRFToken": csrf,
                            "Host": "127.0.0.1",
                        },
                    ).get_environ()
                )
            return out

        def per_call(wsgi, batch_of_environs) -> float:
            status = []

            def start_response(code, headers, exc_info=None):
                status.append(code)

            started = time.perf_counter()
            for environ in batch_of_environs:
                body = b"".join(wsgi(environ, start_response))
            elapsed = time.perf_counter() - started
            assert status[-1].startswith("200") and b'"stored"' in body, (status[-1], body)
            return elapsed / len(batch_of_environs) * 1e6

        sides = {"app": [], "app, fast path off": [], "bare": []}
        for _ in range(args.rounds):
            app.config["AUTOSAVE_FAST_PATH"] = True
            sides["app"].append(per_call(app, environs(False)))
            app.config["AUTOSAVE_FAST_PATH"] = False
            sides["app, fast path off"].append(per_call(app, environs(False)))
            sides["bare"].append(per_call(bare.app, environs(True)))
        print(
            f"# {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {args.backend}; fastest of {args.rounds} rounds "
            f"x {args.requests} calls"
        )
        for side, figures in sides.items():
            print(
                f"{side:<20} {min(figures):7.0f} us per autosave   (rounds: "
                f"{', '.join(f'{f:.0f}' for f in figures)})"
            )
    finally:
        db.drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
