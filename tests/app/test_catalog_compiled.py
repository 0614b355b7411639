"""However the app is started, an Indonesian page is Indonesian: the catalog is compiled at start.

Each test points the app at a copy of the translations holding only the .po (as a fresh clone
has it: the .mo is not committed) and reads a page, which must be in Bahasa Indonesia. A tree
that cannot be written gets its catalogs compiled into the instance folder; when neither can
be written the app refuses to start with a message that says what to run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app import EduAsi, create_app, i18n

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(autouse=True)
def no_cached_catalogs():
    """Flask-Babel keeps loaded catalogs per process (one app in production): each test starts and ends without."""
    from app.extensions import babel

    def clear() -> None:
        domain = vars(babel).get("domain_instance")  # a cached_property, made on first use
        if domain is not None:
            domain.cache.clear()

    clear()
    yield
    clear()


@pytest.fixture
def fresh_clone(tmp_path) -> Path:
    """A translations folder with the Indonesian .po and no .mo."""
    target = tmp_path / "translations" / "id" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy2(PO, target / "messages.po")
    return tmp_path / "translations"


def app_on(translations: Path, tmp_path: Path, **extra):
    config = {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "t.sqlite3"),
        "BABEL_TRANSLATION_DIRECTORIES": str(translations),
        "SECURITY_HEADERS": False,
    }
    config.update(extra)
    return create_app(config)


def indonesian_login_page(app) -> str:
    page = app.test_client().get("/auth/login")
    assert page.status_code == 200
    return page.text


def test_a_missing_mo_is_compiled_at_start(fresh_clone, tmp_path):
    app = app_on(fresh_clone, tmp_path)
    assert (fresh_clone / "id" / "LC_MESSAGES" / "messages.mo").exists()
    text = indonesian_login_page(app)
    assert "Nama pengguna" in text and "Username" not in text


def test_a_mo_older_than_its_po_is_compiled_again(fresh_clone, tmp_path):
    po = fresh_clone / "id" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    app_on(fresh_clone, tmp_path)
    # A new entry appended to the .po (as the house rule says) after the last compile.
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "Nama pengguna"', 'msgstr "Nama pengguna baru"'),
        encoding="utf-8",
    )
    old = po.stat().st_mtime - 60
    os.utime(mo, (old, old))
    text = indonesian_login_page(app_on(fresh_clone, tmp_path))
    assert "Nama pengguna baru" in text


def test_a_read_only_tree_is_compiled_into_the_instance_folder(fresh_clone, tmp_path, monkeypatch):
    real = i18n._compile

    def refuse_the_tree(po: Path, mo: Path) -> None:
        if fresh_clone in mo.parents:
            raise PermissionError(13, "Permission denied", str(mo))
        real(po, mo)

    monkeypatch.setattr(i18n, "_compile", refuse_the_tree)
    instance = tmp_path / "instance"
    monkeypatch.setattr(EduAsi, "auto_find_instance_path", lambda self: str(instance))
    app = app_on(fresh_clone, tmp_path)
    assert (instance / "translations" / "id" / "LC_MESSAGES" / "messages.mo").exists()
    assert not (fresh_clone / "id" / "LC_MESSAGES" / "messages.mo").exists()
    text = indonesian_login_page(app)
    assert "Nama pengguna" in text and "Username" not in text


def test_no_catalog_to_be_had_refuses_to_start_and_says_why(fresh_clone, tmp_path, monkeypatch):
    def refuse(po: Path, mo: Path) -> None:
        raise PermissionError(13, "Permission denied", str(mo))

    monkeypatch.setattr(i18n, "_compile", refuse)
    monkeypatch.setattr(EduAsi, "auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    with pytest.raises(i18n.CatalogError, match="make translations"):
        app_on(fresh_clone, tmp_path)


def test_no_po_at_all_refuses_to_start(tmp_path):
    with pytest.raises(i18n.CatalogError, match="No translation catalog"):
        app_on(tmp_path / "nowhere", tmp_path)
