"""Fixtures shared by the app tests.

Every database test runs on SQLite and, when TEST_DATABASE_URL is set, on
PostgreSQL too (the `app` fixture is parametrized by backend). The schema is
built by the Alembic migrations, never by create_all. A PostgreSQL server
that is configured but unreachable fails the run: it is never skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db, dispose_engines, limiter
from tests.cohort import COHORT_TABLES

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
#: Tables emptied after each test; the quiz bank (quiz_version, question, option) is loaded once and kept.
DATA_TABLES = [
    *COHORT_TABLES,
    "bundle_conflict",
    "bundle_import",
    "synced_record",
    "answer",
    "certificate",
    "attempt",
    "participant",
    "session_access",
    "counseling_session",
    "laptop",
    "audit_log",
    "educator",
]


#: Memory-backed directory for the tests' files, when this machine has one (Linux).
MEMORY_TEMP_ROOT = Path("/dev/shm")


def commits_without_waiting_for_the_disk(config) -> None:
    """The tests' databases wait for no fsync; the SQL, the app and its settings stay as shipped.

    The app opens SQLite with synchronous=FULL and PostgreSQL commits synchronously: every commit
    waits for the disk (5-7 ms each on the CI machine), and a run makes tens of thousands of commits
    (each request, each test's clean-up). No test checks what survives a power cut, so:

    - every `tmp_path` (the SQLite test databases among them) lives under /dev/shm, a tmpfs, where
      fsync returns at once (PYTEST_DEBUG_TEMPROOT, pytest's own setting; `--basetemp` or a
      PYTEST_DEBUG_TEMPROOT already set win; no /dev/shm, no change);
    - PostgreSQL connections get ``synchronous_commit=off`` (PGOPTIONS, read by libpq): a commit is
      visible to every other connection at once, as before; only a crash of the PostgreSQL server
      itself could lose the last ones. A URL that sets its own ``options`` keeps the default: the
      load tests' servers (tests/load, bench/_server.py) still wait for the disk as in production.
    """
    if (
        config.option.basetemp is None
        and "PYTEST_DEBUG_TEMPROOT" not in os.environ
        and MEMORY_TEMP_ROOT.is_dir()
        and os.access(MEMORY_TEMP_ROOT, os.W_OK)
        and shutil.disk_usage(MEMORY_TEMP_ROOT).free > 2 * 1024**3
    ):
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(MEMORY_TEMP_ROOT)
    if "synchronous_commit" not in os.environ.get("PGOPTIONS", ""):
        os.environ["PGOPTIONS"] = (os.environ.get("PGOPTIONS", "") + " -c synchronous_commit=off").strip()


def pytest_configure(config):
    """Under pytest-xdist each worker gets its own PostgreSQL database (``<name>_gw0``, ...), created
    on the server of TEST_DATABASE_URL, so the workers never reset each other's schema."""
    commits_without_waiting_for_the_disk(config)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("TEST_DATABASE_URL")
    if not worker or not url:
        return
    from sqlalchemy.engine import make_url

    base = make_url(pg_url())
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    plain = base.set(drivername="postgresql", database=name)
    os.environ["TEST_DATABASE_URL"] = plain.render_as_string(hide_password=False)


def pg_url() -> str:
    url = os.environ["TEST_DATABASE_URL"]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    return url


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(backend: str, tmp_dir: Path, **extra):
    if backend == "sqlite":
        url = "sqlite:///" + str(tmp_dir / "test.sqlite3")
    else:
        url = pg_url()
        reset_postgres(url)
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "QUIZ_DIR": str(ROOT / "quizzes"),
        "WTF_CSRF_ENABLED": True,
        "SERVER_NAME": None,
    }
    config.update(extra)
    return create_app(config)


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The tests keep an app context open to read the database; without this, requests would
    share that context's `g` (and so one browser's CSRF token) and its database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()  # the test's own session must see what the request wrote
        return response


@pytest.fixture(scope="session", params=BACKENDS)
def base_app(request, tmp_path_factory):
    """One app per backend, its schema built by `flask db upgrade` and the quiz bank loaded."""
    application = make_app(request.param, tmp_path_factory.mktemp(request.param))
    application.config["BACKEND"] = request.param
    yield from prepared(application)


def prepared(application):
    """Build `application`'s schema by `flask db upgrade`, load the quiz bank and give it isolated
    test clients; yield it; release its connections afterwards. The body of a session-scoped app
    fixture (this one, the bundles' laptop)."""
    from app.schema import upgrade
    from app.services import quizbank

    application.test_client_class = IsolatedClient
    with application.app_context():
        upgrade()
        _, problems = quizbank.import_bank(application.config["QUIZ_DIR"])
        assert not problems, problems
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        dispose_engines()


def delete_test_data() -> None:
    """Empty the tables a test writes (DATA_TABLES; the quiz bank stays), in the open app context,
    after rolling back what the test left unflushed."""
    db.session.rollback()
    db.session.remove()
    with db.engine.begin() as conn:
        for table in DATA_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(autouse=True)
def _limiter_left_as_found():
    """Every app a test builds shares the one Flask-Limiter object, and `init_app` sets its
    `enabled` from that app's settings: a production app built by one test (rate limits on)
    would otherwise throttle every later test of the same worker with 429s."""
    enabled = limiter.enabled
    yield
    limiter.enabled = enabled


@pytest.fixture
def app(base_app):
    """The app inside an app context; data written by the test is deleted afterwards."""
    with base_app.app_context():
        yield base_app
        delete_test_data()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def post_from(client, page: str, path: str, data: dict, expect: int):
    """Open `page` and send its form: POST `data` to `path` with the page's CSRF token; the answer
    must have status `expect`."""
    shown = client.get(page)
    response = client.post(path, data={**data, "csrf_token": csrf_from(shown.text)})
    assert response.status_code == expect, response.text
    return response


def new_educator(
    username="bidan",
    password="rahasia-123",
    role="educator",
    full_name="Bidan Sari",
    institution="Puskesmas Contoh",
):
    """An account made through the accounts service and committed, in the open app context
    (the test educator 'bidan' unless told otherwise)."""
    from app.services.accounts import create_account

    user = create_account(
        None, username=username, full_name=full_name, password=password, role=role, institution=institution
    )
    db.session.commit()
    return user


@pytest.fixture
def make_educator(app):
    return new_educator


@pytest.fixture
def educator(make_educator):
    return make_educator()


class EducatorActions:
    """Drive the educator pages through a test client, with real CSRF tokens."""

    def __init__(self, client, username="bidan", password="rahasia-123"):
        self.client = client
        self.username = username
        self.password = password

    def login(self):
        credentials = {"username": self.username, "password": self.password}
        return post_from(self.client, "/auth/login", "/auth/login", credentials, 302)

    def create_session(
        self,
        quiz_key="produksi-asi",
        post_quiz_key=None,
        post_only=False,
        characteristics=("age", "education", "occupation", "parity", "status", "baby_age_months"),
        title="Edukasi Produksi ASI",
        place="Posyandu Melati",
    ):
        from sqlalchemy import select

        from app.models import QuizVersion

        page = self.client.get("/educator/sessions/new")
        assert page.status_code == 200
        quiz = db.session.scalar(
            select(QuizVersion).where(QuizVersion.quiz_key == quiz_key).order_by(QuizVersion.id.desc())
        )
        post_quiz = None
        if post_quiz_key:
            post_quiz = db.session.scalar(
                select(QuizVersion)
                .where(QuizVersion.quiz_key == post_quiz_key)
                .order_by(QuizVersion.id.desc())
            )
        data = {
            "csrf_token": csrf_from(page.text),
            "title": title,
            "place": place,
            "held_on": "2026-11-20",
            "quiz": str(quiz.id),
            "post_quiz": str(post_quiz.id) if post_quiz else "0",
            "characteristics": list(characteristics),
        }
        if post_only:
            data["post_only"] = "y"
        response = self.client.post("/educator/sessions/new", data=data)
        assert response.status_code == 302, response.text
        return int(response.headers["Location"].rstrip("/").split("/")[-1])

    def move(self, session_id: int, target: str, expect: int = 302):
        return post_from(
            self.client,
            f"/educator/sessions/{session_id}",
            f"/educator/sessions/{session_id}/phase",
            {"target": target},
            expect,
        )

    def open_pre_test(self, **session) -> tuple[int, str]:
        """A new session (`create_session`'s arguments) with its pre-test open: its id and join code."""
        from app.models import CounselingSession

        sid = self.create_session(**session)
        join_code = db.session.get(CounselingSession, sid).join_code
        self.move(sid, "pre_open")
        return sid, join_code


class Tablet:
    """One browser on a (shared) tablet, driven through its own test client."""

    def __init__(self, app):
        self.client = app.test_client()

    def register(self, join_code: str, name: str, characteristics: dict | None = None, expect: int = 302):
        """Consent and registration are one screen: "I agree and start" sends agree=y with the answers."""
        page = self.client.get(f"/s/{join_code}/consent")
        assert page.status_code == 200, page.text
        data = {"agree": "y", "name": name, "csrf_token": csrf_from(page.text)}
        data.update(
            characteristics
            or {
                "age": "27",
                "education": "sma",
                "occupation": "housewife",
                "parity": "1",
                "status": "breastfeeding",
                "baby_age_months": "2",
            }
        )
        response = self.client.post(f"/s/{join_code}/consent", data=data)
        assert response.status_code == expect, response.text
        return response

    def personal_code(self) -> str:
        page = self.client.get("/me/code")
        match = re.search(r'class="personal-code"[^>]*>([A-Z0-9-]+)<', page.text)
        assert match, page.text
        return match.group(1).replace("-", "")

    def resume(self, join_code: str, personal_code: str, expect: int = 302):
        self.client = self.client.application.test_client()  # a fresh browser on another tablet
        return post_from(
            self.client, f"/s/{join_code}", f"/s/{join_code}/resume", {"personal_code": personal_code}, expect
        )

    def question_page(self, kind: str, n: int):
        return self.client.get(f"/quiz/{kind}/{n}")

    def answer_form(self, kind: str, n: int, option: str, direction: str = "next", expect: int = 302):
        page = self.question_page(kind, n)
        assert page.status_code == 200, page.text
        response = self.client.post(
            f"/quiz/{kind}/{n}",
            data={
                "option": option,
                "direction": direction,
                "csrf_token": csrf_from(page.text),
                "client_key": uuid.uuid4().hex,
            },
        )
        assert response.status_code == expect, response.text
        return response

    def answer_json(
        self,
        kind: str,
        question: str,
        option: str,
        key: str | None = None,
        chosen_at: str | None = None,
        csrf: str | None = None,
        seq: int | None = None,
    ):
        if csrf is None:
            csrf = self.csrf_token(kind)
        body = {"kind": kind, "question": question, "option": option, "key": key or uuid.uuid4().hex}
        if chosen_at:
            body["chosen_at"] = chosen_at
        if seq is not None:
            body["seq"] = seq
        return self.client.post("/api/answer", json=body, headers={"X-CSRFToken": csrf})

    def csrf_token(self, kind: str = "pre") -> str:
        page = self.client.get(f"/quiz/{kind}/1")
        match = re.search(r'data-csrf="([^"]+)"', page.text)
        if match:
            return match.group(1)
        return csrf_from(self.client.get("/").text)

    def submit(self, kind: str, submit_key: str | None = None, expect: int = 302):
        page = self.client.get(f"/quiz/{kind}/review")
        assert page.status_code == 200, page.text
        token = csrf_from(page.text)
        key = submit_key or re.search(r'name="submit_key" type="hidden" value="([^"]+)"', page.text).group(1)
        response = self.client.post(f"/quiz/{kind}/submit", data={"submit_key": key, "csrf_token": token})
        assert response.status_code == expect, response.text
        return response, key, token


def one_tablet_in(app, educator_client, name: str, **session) -> tuple[int, str, Tablet]:
    """A new session with its pre-test open and one tablet registered in it as `name`: the
    session's id, its join code and the tablet."""
    sid, join_code = educator_client.open_pre_test(**session)
    tablet = Tablet(app)
    tablet.register(join_code, name)
    return sid, join_code, tablet


@pytest.fixture
def educator_client(app, educator):
    actions = EducatorActions(app.test_client())
    actions.login()
    return actions


@pytest.fixture
def tablet(app):
    return lambda: Tablet(app)
