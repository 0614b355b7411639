"""How Edu-ASI is served: one waitress process, on Windows, macOS and Linux alike.

waitress is pure Python. Its main thread reads every connection (an asyncore loop) and hands
a request to a worker thread only once the whole request, body included, has arrived. A phone
that drops off the wifi halfway through an upload, or a device that sends headers and then
holds, costs one buffered connection and no thread: the room's answers go on being
acknowledged (tests/load/test_slowloris.py). It is one process with threads, so Flask-Limiter's
`memory://` counters are shared by every request and the stated rate limits hold exactly; a
server of several processes shares them through RATELIMIT_STORAGE_URI (Redis).

`serve()` is what `python run.py` ends with; `python -m app.server` serves an already
prepared database (a district server, the benchmarks).
"""

from __future__ import annotations

import argparse
import logging
import os
import select
import signal
import socket
import sys
from collections.abc import Callable, Iterable

from app.urls import lan_addresses, url_for_address

#: Worker threads. The answers of a room are short requests that mostly wait on the database;
#: 8 threads keep both cores of a laptop busy (bench/README.md). More buys nothing under the GIL.
THREADS = 8

#: How long a thread may hold Python's GIL while another waits for it (seconds; Python's default
#: is 0.005). waitress's main thread walks every open connection on each turn of its loop: with
#: a room's worth of tablets queued it holds the GIL for long stretches, and each worker thread,
#: which lets go of the GIL at every database call, then waits up to the whole interval to take
#: it back, while it may hold SQLite's one write lock. With 0.5 ms, 300 participants all starting
#: at once (bench/load_burst.py) were served in 75 s instead of 136 s and the closed-loop autosave
#: rose from 127 to 332 answers a second on SQLite; a paced room of 1,000 tablets kept its p99
#: well under 250 ms either way (46-59 ms against 39-42 ms; bench/README.md).
SWITCH_INTERVAL = 0.0005

#: Open connections at once. A tablet keeps one open (keep-alive) while its participant reads;
#: 300 tablets and 50 half-sent uploads fit with room to spare. On Windows, CPython's select()
#: watches at most 512 sockets, so waitress can hold no more there.
CONNECTION_LIMIT = 1500 if hasattr(select, "poll") else 480

#: A connection on which nothing arrives for this long is closed (checked every CLEANUP_INTERVAL
#: seconds). A tablet whose participant is reading reconnects for her next answer.
CHANNEL_TIMEOUT = 30

#: The host values that mean "every address of this computer" (the room's tablets reach it over the LAN).
EVERY_ADDRESS = ("0.0.0.0", "", "*")  # noqa: S104
CLEANUP_INTERVAL = 10


def waitress_settings(max_body: int) -> dict:
    """The settings of the shipped server (waitress's Adjustments)."""
    return {
        "threads": THREADS,
        "connection_limit": CONNECTION_LIMIT,
        "channel_timeout": CHANNEL_TIMEOUT,
        "cleanup_interval": CLEANUP_INTERVAL,
        # A body larger than the app accepts is refused by waitress (413) before it is read on.
        "max_request_body_size": max_body,
        # Bodies above 1 MB wait in a temporary file instead of memory (the quiz-bank upload).
        "inbuf_overflow": 1024 * 1024,
        # poll() has no 1,024-descriptor ceiling; Windows has only select().
        "asyncore_use_poll": hasattr(select, "poll"),
        "backlog": 2048,
        "ident": "Edu-ASI",
        "expose_tracebacks": False,
    }


def raise_open_files_limit(wanted: int) -> None:
    """Let the process open enough sockets for CONNECTION_LIMIT (macOS allows 256 by default)."""
    try:
        import resource
    except ImportError:  # Windows: no such limit on sockets
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass


def listen_spec(host: str, port: int) -> str:
    """waitress's `listen`: 0.0.0.0 means every IPv4 and IPv6 address of this computer."""
    if host in EVERY_ADDRESS:
        return f"0.0.0.0:{port} [::]:{port}" if _has_ipv6() else f"0.0.0.0:{port}"
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _has_ipv6() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def print_addresses(port: int, addresses: Iterable[str], echo: Callable[[str], None] | None = None) -> None:
    echo = echo or (lambda line: print(line, flush=True))
    addresses = list(addresses)
    echo("")
    if addresses:
        echo("Edu-ASI is running. On a tablet or phone on the same Wi-Fi, open:")
        for address in addresses:
            echo("    " + url_for_address(address, port))
    else:
        echo("Edu-ASI is running, but this laptop is on no network: tablets cannot reach it yet.")
        echo("Join a Wi-Fi or turn on a phone hotspot, then start Edu-ASI again.")
    echo(
        f"On this laptop itself, open http://127.0.0.1:{port}/ (that address works only here, not on a tablet)."
    )
    echo("Educators log in at /auth/login. Stop with Ctrl+C.")
    echo("")


def serve(
    app,
    host: str = "0.0.0.0",  # noqa: S104 - the room's tablets reach the laptop over the LAN
    port: int = 5000,
    *,
    announce: bool = True,
    on_ready: Callable[[object], None] | None = None,
    **overrides,
) -> None:
    """Serve `app` with waitress until Ctrl+C (or SIGTERM); then close every connection and return.

    `on_ready(server)` is called once the sockets listen (the tests use it to learn the port).
    """
    from waitress.server import create_server

    max_body = int(getattr(app, "config", {}).get("MAX_CONTENT_LENGTH") or 8 * 1024 * 1024) + 64 * 1024
    settings = {**waitress_settings(max_body), **overrides}
    raise_open_files_limit(settings["connection_limit"] + 200)
    logging.getLogger("waitress").setLevel(logging.INFO)
    # "Task queue depth is N" comes with every burst of taps (thousands of lines in a session):
    # it would bury the login and addresses in the midwife's window.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s %(message)s")
    server = create_server(app, listen=listen_spec(host, port), **settings)
    actual_port = _first_port(server, port)
    if announce:
        print_addresses(actual_port, lan_addresses() if host in EVERY_ADDRESS else [host])
    if on_ready is not None:
        on_ready(server)

    def stop(signum, frame):
        raise SystemExit(0)

    previous = None
    if _in_main_thread():
        # Ctrl+C stops the server even when the process was started with SIGINT ignored (a
        # background job of a shell); SIGTERM (a service manager, `kill`) stops it the same way.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if hasattr(signal, "SIGTERM"):
            previous = signal.signal(signal.SIGTERM, stop)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        server.run()  # stops the worker threads on Ctrl+C or SystemExit, then returns
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        _close(server)
        sys.setswitchinterval(interval)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        _dispose_database(app)
        if announce:
            print("Edu-ASI stopped.", flush=True)


def _close(server) -> None:
    """Close the listening sockets and every open connection."""
    from waitress import wasyncore

    server.task_dispatcher.shutdown()
    channels = getattr(server, "map", None)
    if channels is None:
        channels = server._map
    wasyncore.close_all(channels)


def _first_port(server, default: int) -> int:
    effective = getattr(server, "effective_port", None)
    if effective is None and hasattr(server, "effective_listen"):
        effective = server.effective_listen[0][1]
    return int(effective or default)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _dispose_database(app) -> None:
    if not hasattr(app, "app_context"):
        return
    from app.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def load_app(spec: str):
    """`module:attribute`, as wsgi:app."""
    import importlib

    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute or "app")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.server",
        description="Serve an already migrated database with the shipped waitress settings.",
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))  # noqa: S104 - see serve()
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    parser.add_argument("--app", default="wsgi:app", help="WSGI app as module:attribute (default wsgi:app)")
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--quiet", action="store_true", help="print no addresses")
    args = parser.parse_args(argv)
    serve(load_app(args.app), args.host, args.port, announce=not args.quiet, threads=args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
