"""A small asyncio HTTP/1.1 client with keep-alive and a cookie jar: many simulated phones in one thread."""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
    r'|data-csrf="([^"]+)"'
)
SUBMIT_KEY_RE = re.compile(r'name="submit_key" type="hidden" value="([^"]+)"')


class ConnectionLost(Exception):
    """No (complete) answer came back: the request may or may not have been processed."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


@dataclass
class Phone:
    """One browser: its own connection and cookies."""

    port: int
    timeout: float = 30.0
    #: False: a new connection for each request (as a tablet whose participant reads for a while).
    keepalive: bool = True
    cookies: dict[str, str] = field(default_factory=dict)
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None

    async def _connect(self):
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", self.port, limit=2**20), self.timeout
        )

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except (OSError, ConnectionError):
                pass
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, *, form: dict | None = None, json_body=None, headers: dict | None = None
    ) -> Response:
        body = b""
        head = {
            "Host": f"127.0.0.1:{self.port}",
            "Connection": "keep-alive" if self.keepalive else "close",
            "Accept": "text/html",
        }
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            head["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            head["Content-Type"] = "application/json"
            head["Accept"] = "application/json"
        head["Content-Length"] = str(len(body))
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        head.update(headers or {})
        raw = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()) + "\r\n"
        started = time.perf_counter()
        try:
            if self.writer is None:
                await self._connect()
            self.writer.write(raw.encode("latin-1") + body)
            await self.writer.drain()
            response = await asyncio.wait_for(self._read(), self.timeout)
        except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            await self.close()
            raise ConnectionLost(f"{method} {path}: {exc!r}") from exc
        response.seconds = time.perf_counter() - started
        if not self.keepalive or response.headers.get("connection", "").lower() == "close":
            await self.close()
        return response

    async def _read(self) -> Response:
        status_line = await self.reader.readuntil(b"\r\n")
        if not status_line:
            raise ConnectionLost("closed")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie = value.split(";", 1)[0]
                k, _, v = cookie.partition("=")
                if v and "expires=thu, 01 jan 1970" not in value.lower():
                    self.cookies[k] = v
                else:
                    self.cookies.pop(k, None)
            headers[name] = value
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            body = await self.reader.read()
            await self.close()
        return Response(status, headers, body, 0.0)


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    if not match:
        raise ValueError("no CSRF token on the page")
    return next(g for g in match.groups() if g)


def run_async(coro):
    """asyncio.run, also from a thread whose event loop is already running.

    The browser tests' Playwright (sync API) keeps an event loop running in the test
    process's main thread; asyncio.run refuses to start there, so the load client
    then gets a thread and a loop of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
