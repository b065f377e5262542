"""A real HTTP server on 127.0.0.1 with one route per fault the fetcher must survive.

Every request is logged with its start and end times and headers, so tests
assert delays, attempts and conditional requests from the server's own point
of view. Stateful routes (fail N times, then succeed) count hits per ``t``
token, which each test draws fresh, so tests never see each other's state.

Also a fake Wayback Machine: CDX and availability APIs, and ``/web/<ts>id_/``
replays of invented legacy pages (ISO-8859-1, original headers as
``X-Archive-Orig-*``), redirecting a partial or inexact timestamp to the
nearest capture as the real archive does.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import brotli

PAGE_HTML = (
    b"<html><head><title>IOM Helps Flood Victims</title></head><body>"
    b"<h1>IOM Helps Flood Victims</h1><p>Geneva - IOM is delivering shelter kits to "
    b"families displaced by the floods, a spokesperson said on Tuesday.</p></body></html>"
)
LATIN1_HTML = (
    "<html><head><title>Réunion à Genève</title></head><body><h1>Réunion à Genève</h1>"
    "<p>Les délégués se sont réunis à Genève pour préparer l'appel humanitaire.</p>"
    "</body></html>"
).encode("iso-8859-1")
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
CAPTURES = ("20090101120000", "20100315093000", "20120601000000")
"""Every archived path has these captures; paths with `never-archived` have none."""
LAST_MODIFIED = "Tue, 15 Mar 2011 10:00:00 GMT"
BOMB_SIZE = 20_000_000
"""Decompressed size of the bombs: far past the tests' max_bytes, tiny on the wire."""


@dataclass
class LoggedRequest:
    """One request as the server saw it."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    started: float
    finished: float = 0.0
    status: int = 0

    def header(self, name: str) -> str | None:
        """A request header, whatever its case."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass
class ServerState:
    """The log and the per-token counters shared by the handler threads."""

    log: list[LoggedRequest] = field(default_factory=list)
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    bombs: dict[str, bytes] = field(default_factory=dict)
    robots: bytes = ROBOTS_TXT

    def count_hit(self, route: str, token: str) -> int:
        """Count a hit on a stateful route; returns how many hits came before this one."""
        with self.lock:
            before = self.hits[(route, token)]
            self.hits[(route, token)] += 1
            return before

    def requests(self, path: str, token: str | None = None) -> list[LoggedRequest]:
        """Logged requests to ``path`` (and with ``t=token`` when given), in order."""
        with self.lock:
            found = [r for r in self.log if r.path == path or r.path.startswith(path + "/")]
        return [r for r in found if token is None or token in (r.query.get("t"), r.path)]

    def requests_containing(self, fragment: str) -> list[LoggedRequest]:
        """Logged requests whose path or query mentions ``fragment``."""
        with self.lock:
            return [r for r in self.log if fragment in r.path or fragment in json.dumps(r.query)]


def make_bombs() -> dict[str, bytes]:
    """Small bodies that inflate to BOMB_SIZE bytes of zeros."""
    zeros = bytes(BOMB_SIZE)
    return {
        "gzip": gzip.compress(zeros, compresslevel=9),
        "deflate": zlib.compress(zeros, 9),
        "br": brotli.compress(zeros, quality=5),
    }


def nearest_capture(wanted: str) -> str:
    """The capture closest to a (possibly partial) timestamp."""
    padded = int(wanted + "00000101000000"[len(wanted) :])
    return min(CAPTURES, key=lambda ts: abs(int(ts) - padded))


def archived_page(original: str, timestamp: str) -> bytes:
    """An invented legacy page as the archive stored it (ISO-8859-1, no charset in meta)."""
    return (
        f"<html><head><title>Archived Genève {timestamp}</title></head><body>"
        f"<h1>Archived Genève {timestamp}</h1><p>Capture of {original}: the delegates met "
        f"in Genève to prepare the humanitarian appeal.</p>"
        f'<p><img src="/jahia/webdav/shared/shared/mainsite/media/photos/pbn/ch{timestamp[:8]}_1.jpg"'
        f' alt="Delegates"> See the <a href="/jahia/Jahia/appeals">appeal</a>.</p></body></html>'
    ).encode("iso-8859-1")


class FaultHandler(BaseHTTPRequestHandler):
    """Dispatches each path to the fault it simulates."""

    protocol_version = "HTTP/1.1"
    server: FaultServer

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    # -- plumbing -------------------------------------------------------------------------

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        entry = LoggedRequest(parts.path, query, dict(self.headers.items()), time.monotonic())
        with self.server.state.lock:
            self.server.state.log.append(entry)
        self._entry = entry
        self.query = query
        try:
            self.route(parts.path)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose (body too large, timeout)
        finally:
            entry.finished = time.monotonic()

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self._entry.status = status
        self.send_response(status)
        merged = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        for name, value in merged.items():
            self.send_header(name, value)
        if "Content-Length" not in merged:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def token(self) -> str:
        return self.query.get("t", "")

    def number(self, name: str, default: float) -> float:
        return float(self.query.get(name, default))

    # -- routes ---------------------------------------------------------------------------

    def route(self, path: str) -> None:
        routes = {
            "/robots.txt": lambda: self.reply(
                200, self.server.state.robots, {"Content-Type": "text/plain"}
            ),
            "/page": lambda: self.reply(200, PAGE_HTML),
            "/latin1": lambda: self.reply(
                200, LATIN1_HTML, {"Content-Type": "text/html; charset=ISO-8859-1"}
            ),
            "/slow": self.slow,
            "/trickle": self.trickle,
            "/flaky": self.flaky,
            "/retry-after": self.retry_after,
            "/status": lambda: self.reply(int(self.number("code", 500)), b"error page"),
            "/truncated": self.truncated,
            "/big": lambda: self.reply(200, b"x" * int(self.number("size", 1000))),
            "/endless": self.endless,
            "/bomb": self.bomb,
            "/compressed": self.compressed,
            "/redirect": self.redirect_chain,
            "/loop-a": lambda: self.reply(302, b"", {"Location": "/loop-b"}),
            "/loop-b": lambda: self.reply(302, b"", {"Location": "/loop-a"}),
            "/to": lambda: self.reply(302, b"", {"Location": self.query["location"]}),
            "/etag": self.etag,
            "/lastmod": self.last_modified,
            "/fresh": lambda: self.reply(200, PAGE_HTML, {"Cache-Control": "max-age=600"}),
            "/nostore": lambda: self.reply(200, PAGE_HTML, {"Cache-Control": "no-store"}),
            "/cdx/search/cdx": self.cdx,
            "/wayback/available": self.availability,
        }
        if path in routes:
            routes[path]()
        elif path.startswith("/web/"):
            self.replay(path)
        elif path.startswith("/private/"):
            self.reply(200, b"secret")
        else:
            self.reply(404, b"not found")

    def slow(self) -> None:
        time.sleep(self.number("delay", 1.0))
        self.reply(200, PAGE_HTML)

    def trickle(self) -> None:
        """A body sent a few bytes at a time: no read timeout fires, a total timeout must."""
        chunks, every = int(self.number("chunks", 30)), self.number("every", 0.1)
        self._entry.status = 200
        self.send_response(200)
        self.send_header("Content-Length", str(chunks))
        self.end_headers()
        for _ in range(chunks):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(every)

    def flaky(self) -> None:
        """``status`` for the first ``fail`` hits of a token, then the page."""
        before = self.server.state.count_hit("flaky", self.token())
        if before < self.number("fail", 1):
            self.reply(int(self.number("status", 500)), b"try again")
        else:
            self.reply(200, PAGE_HTML)

    def retry_after(self) -> None:
        """429 (or ``status``) with Retry-After in seconds or as an HTTP-date, ``fail`` times."""
        before = self.server.state.count_hit("retry-after", self.token())
        if before >= self.number("fail", 1):
            self.reply(200, PAGE_HTML)
            return
        after = self.number("after", 1)
        if self.query.get("form") == "date":
            value = email.utils.formatdate(time.time() + after, usegmt=True)
        else:
            value = str(int(after))
        self.reply(int(self.number("status", 429)), b"slow down", {"Retry-After": value})

    def truncated(self) -> None:
        """Announce 5000 bytes, send 100, hang up."""
        self._entry.status = 200
        self.send_response(200)
        self.send_header("Content-Length", "5000")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"y" * 100)
        self.wfile.flush()
        self.close_connection = True

    def endless(self) -> None:
        """A chunked body with no announced length that goes on for 200 MB."""
        self._entry.status = 200
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"z" * 65536
        for _ in range(3200):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    def bomb(self) -> None:
        encoding = self.query.get("enc", "gzip")
        self.reply(200, self.server.state.bombs[encoding], {"Content-Encoding": encoding})

    def compressed(self) -> None:
        encoding = self.query.get("enc", "gzip")
        bodies = {
            "gzip": gzip.compress(PAGE_HTML),
            "deflate": zlib.compress(PAGE_HTML),
            "br": brotli.compress(PAGE_HTML),
        }
        self.reply(200, bodies[encoding], {"Content-Encoding": encoding})

    def redirect_chain(self) -> None:
        """``/redirect?n=3`` -> ``n=2`` -> ``n=1`` -> /page."""
        hops = int(self.number("n", 1))
        target = "/page" if hops <= 1 else f"/redirect?n={hops - 1}&t={self.token()}"
        self.reply(302, b"", {"Location": target})

    def etag(self) -> None:
        tag = f'"v1-{self.token()}"'
        if self.headers.get("If-None-Match") == tag:
            self.reply(304, b"", {"ETag": tag, "Content-Length": "0"})
        else:
            self.reply(200, PAGE_HTML, {"ETag": tag})

    def last_modified(self) -> None:
        if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            self.reply(304, b"", {"Last-Modified": LAST_MODIFIED, "Content-Length": "0"})
        else:
            self.reply(200, PAGE_HTML, {"Last-Modified": LAST_MODIFIED})

    # -- the fake Wayback Machine ------------------------------------------------------

    def lookup_fault(self, api: str) -> bool:
        """Simulate the archive's bad days, chosen by a marker in the looked-up URL."""
        url = self.query.get("url", "")
        if "lookup-429" in url and self.server.state.count_hit(f"{api}-429", url) < 1:
            self.reply(429, b"Too Many Requests", {"Retry-After": "1"})
            return True
        if "apis-down" in url or (api == "cdx" and "cdx-down" in url):
            self.reply(500, b"internal error")
            return True
        return False

    def closest_for(self, url: str, wanted: str | None) -> str | None:
        if "never-archived" in url:
            return None
        return nearest_capture(wanted) if wanted else CAPTURES[-1]

    def cdx(self) -> None:
        if self.lookup_fault("cdx"):
            return
        url = self.query.get("url", "")
        found = self.closest_for(url, self.query.get("closest"))
        header = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
        rows = [header, ["x", found, url, "text/html", "200", "D", "100"]] if found else []
        self.reply(200, json.dumps(rows).encode(), {"Content-Type": "application/json"})

    def availability(self) -> None:
        if self.lookup_fault("available"):
            return
        url = self.query.get("url", "")
        found = self.closest_for(url, self.query.get("timestamp"))
        closest = {"available": True, "status": "200", "timestamp": found, "url": url}
        answer = {"url": url, "archived_snapshots": {"closest": closest} if found else {}}
        self.reply(200, json.dumps(answer).encode(), {"Content-Type": "application/json"})

    def replay(self, path: str) -> None:
        """``/web/<ts>id_/<original>``: the raw capture, or a redirect to the nearest one."""
        stamp, _, original = path[len("/web/") :].partition("/")
        timestamp = stamp.removesuffix("id_")
        original = original + (f"?{urlsplit(self.path).query}" if urlsplit(self.path).query else "")
        if "never-archived" in original or not timestamp.isdigit():
            self.reply(404, b"not in archive")
            return
        nearest = nearest_capture(timestamp)
        if nearest != timestamp:
            self.reply(302, b"", {"Location": f"/web/{nearest}id_/{quote(original, safe=':/?=&')}"})
            return
        headers = {
            "Content-Type": "text/html",
            "X-Archive-Orig-Content-Type": "text/html; charset=ISO-8859-1",
            "X-Archive-Orig-Server": "Apache-Coyote/1.1",
            "Memento-Datetime": "Mon, 15 Mar 2010 09:30:00 GMT",
        }
        self.reply(200, archived_page(original, timestamp), headers)


class FaultServer(ThreadingHTTPServer):
    """The threaded server, carrying the shared state."""

    daemon_threads = True
    state: ServerState

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def start_server(robots: bytes = ROBOTS_TXT) -> tuple[FaultServer, threading.Thread]:
    """Start a fault server on a free loopback port."""
    server = FaultServer(("127.0.0.1", 0), FaultHandler)
    server.state = ServerState(bombs=make_bombs(), robots=robots)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
