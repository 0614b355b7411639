"""Compiled templates are kept in instance/jinja and read by the next start; without a folder to write, none."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from app import create_app, templating


def _page(app) -> str:
    """The join page, its CSRF token (new in each session) left out."""
    html = app.test_client().get("/").get_data(as_text=True)
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", html)


def _app(instance: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app.instance_path = instance
    app.jinja_env.bytecode_cache = templating.bytecode_cache(app)
    return app


def test_a_page_is_compiled_once_and_the_next_start_reads_it(tmp_path):
    first = _app(str(tmp_path))
    assert isinstance(first.jinja_env.bytecode_cache, FileSystemBytecodeCache)
    page = _page(first)
    assert "<form" in page
    kept = sorted(p.name for p in (tmp_path / "jinja").iterdir())
    assert kept, "nothing was kept"

    again = _app(str(tmp_path))
    loaded = []
    cache = again.jinja_env.bytecode_cache
    load = cache.load_bytecode

    def counting(bucket):
        load(bucket)
        loaded.append(bucket.code is not None)

    cache.load_bytecode = counting  # type: ignore[method-assign]
    assert _page(again) == page
    assert loaded and all(loaded), "the second start compiled again"
    assert sorted(p.name for p in (tmp_path / "jinja").iterdir()) == kept


def test_an_instance_folder_that_cannot_be_written_means_no_cache_and_the_pages_still_work(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    app = _app(str(blocked))
    assert app.jinja_env.bytecode_cache is None
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert "<form" in response.get_data(as_text=True)


def test_the_app_keeps_its_templates_in_its_instance_folder():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    cache = app.jinja_env.bytecode_cache
    assert isinstance(cache, FileSystemBytecodeCache)
    assert cache.directory == str(Path(app.instance_path, "jinja"))
