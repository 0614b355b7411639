"""What travels to a tablet: static files kept by the browser for a year, pages and files compressed.

A tablet on a weak hotspot should fetch the style sheet and the scripts once and never ask
again. Every `url_for('static', ...)` gets `?v=` and the first characters of the file's
SHA-256, so a changed file has a new address; a request that carries the current `v` is
answered `Cache-Control: public, max-age=31536000, immutable` and the browser asks no more
(no revalidation on the next page). A request with no or an old `v` is answered as before
(`no-cache`: the browser checks again each time), so nothing stale is kept a year.

Pages, style sheets, scripts, SVG and JSON above 500 bytes are compressed (Flask-Compress), with
gzip or brotli (browsers offer brotli only over HTTPS, so on the laptop's Wi-Fi it is gzip). A
static file (a few KB) is read into memory first, so it is compressed whole like a page and its
file is closed when the response is (Flask-Compress's streaming path would leave it to the GC).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, request
from flask.wrappers import Response
from flask_compress import Compress

ONE_YEAR = 31536000

compress = Compress()


def register(app: Flask) -> None:
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],
    )
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    compress.init_app(app)
    folders: dict[str, StaticVersions] = {}

    def versions_of(endpoint: str | None) -> StaticVersions | None:
        """The versions of the app's static folder ("static") or a blueprint's ("cohort.static")."""
        if endpoint is None or not (endpoint == "static" or endpoint.endswith(".static")):
            return None
        if endpoint not in folders:
            owner = app if endpoint == "static" else app.blueprints.get(endpoint.rsplit(".", 1)[0])
            folder = getattr(owner, "static_folder", None)
            if folder is None:
                return None
            folders[endpoint] = StaticVersions(Path(folder))
        return folders[endpoint]

    @app.url_defaults
    def version_static_urls(endpoint: str, values: dict) -> None:
        versions = versions_of(endpoint)
        if versions is not None and "v" not in values and "filename" in values:
            version = versions.of(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def cache_versioned_static(response: Response) -> Response:
        versions = versions_of(request.endpoint)
        if versions is not None and response.status_code == 200:
            response.direct_passthrough = False
            response.make_sequence()  # read whole; the file is closed when the response is
            filename = (request.view_args or {}).get("filename", "")
            wanted = request.args.get("v")
            if wanted and wanted == versions.of(filename):
                response.cache_control.public = True
                response.cache_control.max_age = ONE_YEAR
                response.cache_control.immutable = True
                response.cache_control.no_cache = None
        return response


class StaticVersions:
    """The version (first 12 hex digits of the SHA-256) of each static file, recomputed when it changes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self._known: dict[str, tuple[int, int, str]] = {}

    def of(self, filename: str) -> str | None:
        path = (self.folder / filename).resolve()
        if not path.is_relative_to(self.folder):
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        known = self._known.get(filename)
        if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
            return known[2]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        self._known[filename] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest
