"""Static files cached for a year under versioned URLs, and compressed pages and files (app/responses.py)."""

from __future__ import annotations

import gzip
import re

from app.responses import StaticVersions


def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def fetch(client, url, **kwargs):
    """GET a file and close the response (as a WSGI server does), so its file is closed."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def test_pages_link_static_files_by_content_version_and_those_are_cached_a_year(client):
    page = client.get("/")
    urls = static_urls(page.text)
    assert any(u.startswith("/static/css/app.css?v=") for u in urls), urls
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        response = fetch(client, url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_static_url_without_or_with_an_old_version_is_revalidated_not_kept(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = fetch(client, url)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        assert "no-cache" in response.headers["Cache-Control"]


def test_pages_and_static_files_are_compressed_for_a_browser_that_accepts_it(client):
    plain = client.get("/auth/login")
    packed = client.get("/auth/login", headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert len(packed.data) < len(plain.data) / 2
    assert "Accept-Encoding" in packed.headers["Vary"]
    # the same page once unpacked (the CSRF token differs from one request to the next)
    assert re.sub(r'value="[^"]+"', "", gzip.decompress(packed.data).decode()) == re.sub(
        r'value="[^"]+"', "", plain.text
    )
    css_url = next(u for u in static_urls(plain.text) if "app.css" in u)
    css = fetch(client, css_url, headers={"Accept-Encoding": "gzip, deflate"})
    assert css.headers["Content-Encoding"] == "gzip"
    as_is = fetch(client, css_url)
    assert gzip.decompress(css.get_data()) == as_is.get_data()
    assert int(css.headers["Content-Length"]) == len(css.get_data()) < len(as_is.get_data()) / 2
    assert "Content-Encoding" not in as_is.headers  # no Accept-Encoding: sent as it is


def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "app.css").write_text("body { color: black }")
    versions = StaticVersions(tmp_path)
    first = versions.of("app.css")
    assert first == versions.of("app.css")
    (tmp_path / "app.css").write_text("body { color: navy }")
    second = versions.of("app.css")
    assert second and second != first
    assert versions.of("missing.css") is None
    assert versions.of("../outside.css") is None
