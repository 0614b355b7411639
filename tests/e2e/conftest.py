"""Browser tests: the real app served on 127.0.0.1, driven by headless Chromium through Playwright.

The server is the `base_app` of tests/conftest.py (schema built by migrations, quiz bank loaded),
served by werkzeug in a background thread, so these tests run on SQLite and, when
TEST_DATABASE_URL is set, on PostgreSQL too. A missing Chromium or axe-core fails the run:
CI must never pass by skipping the browser.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import delete_test_data, new_educator

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A 7-10" Android tablet and a phone, portrait.
DEVICES = {
    "tablet": {"width": 800, "height": 1280},
    "phone": {"width": 390, "height": 844},
}
#: Where screenshots go; E2E_SCREENSHOTS=dir keeps them for a person to look at.
SCREENSHOT_DIR = os.environ.get("E2E_SCREENSHOTS")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "postgres_too: a browser test whose database checks also run on PostgreSQL (TEST_DATABASE_URL)",
    )


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL run only the browser tests that check the database; the screen checks do not
    depend on the engine and would double the run (kept under about three minutes)."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("base_app") == "postgresql"
        in_e2e = HERE in Path(str(item.path)).parents
        if in_e2e and on_postgres and item.get_closest_marker("postgres_too") is None:
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from Debian's package (`make system-deps` installs it)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make system-deps` (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm ci --prefix tests/e2e` (make test does).")
    return AXE_JS


class LiveServer:
    """The app on a free port of 127.0.0.1, in a daemon thread."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(base_app):
    with LiveServer(base_app) as server:
        yield server


@pytest.fixture
def live(live_server, base_app):
    """The running server; what a test wrote is deleted afterwards (the quiz bank stays)."""
    yield live_server
    with base_app.app_context():
        delete_test_data()


@pytest.fixture
def educator_account(base_app, live):
    with base_app.app_context():
        new_educator()
    return ("bidan", "rahasia-123")


@pytest.fixture
def shot(tmp_path):
    """Save a full-page screenshot named after the screen, device and language."""
    folder = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = folder / (re.sub(r"[^a-z0-9_.-]+", "-", name.lower()) + ".png")
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
