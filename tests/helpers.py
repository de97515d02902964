"""Shared test helpers: small Atom feeds, a tiny PNG, folder snapshots, a local HTTP server, the CLI."""

from __future__ import annotations

import collections
import functools
import http.server
import os
import struct
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ATOM_NS = "http://www.w3.org/2005/Atom"
# An old, fixed mtime: a file rewritten by a run (even with the same bytes) gets a different one.
OLD_MTIME_NS = 1_000_000_000 * 1_000_000_000


# --- feeds ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    """One Atom entry; ``content`` is HTML. Empty ``link``/``published`` leave the element out."""

    id: str
    title: str
    link: str = ""
    published: str = "2024-01-15T10:00:00Z"
    content: str = "<p>Some text.</p>"


def atom_feed(entries: Sequence[FeedEntry], *, title: str = "Test Blog", author: str = "Ann Author") -> bytes:
    """A small Atom 1.0 document (no feed-level link, so entries without a link have no base URL)."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    root = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(root, "title", title)
    sub(root, "id", "urn:test:feed")
    sub(root, "updated", "2024-12-31T00:00:00Z")
    sub(sub(root, "author"), "name", author)
    for entry in entries:
        element = sub(root, "entry")
        sub(element, "id", entry.id)
        sub(element, "title", entry.title)
        if entry.link:
            sub(element, "link", href=entry.link, rel="alternate")
        if entry.published:
            sub(element, "published", entry.published)
            sub(element, "updated", entry.published)
        sub(element, "content", entry.content, type="html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_atom(path: Path, entries: Sequence[FeedEntry], **metadata: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(atom_feed(entries, **metadata))
    return path


HTML_PAGE = b"""<!DOCTYPE html>
<html><head><title>Not a feed</title></head>
<body><h1>Welcome</h1><p>This is a web page, not a feed.<br></p></body></html>
"""


# --- images --------------------------------------------------------------------------------------


def make_png(width: int = 1, height: int = 1, rgba: tuple[int, int, int, int] = (255, 0, 0, 255)) -> bytes:
    """A valid RGBA PNG, built by hand."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgba) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG = make_png()


# --- folders -------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: relative path -> (bytes, st_mtime_ns)."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def age(folder: Path) -> None:
    """Set every file's mtime to an old fixed value, so any later write shows in st_mtime_ns."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))


# --- a local HTTP server -------------------------------------------------------------------------


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Send Content-Length (False: the body ends when the connection closes).
    length: bool = True


Route = Response | Callable[["LocalServer"], Response]


class LocalServer:
    """Routes by path; counts requests per path (``requests``)."""

    def __init__(self, httpd: http.server.ThreadingHTTPServer) -> None:
        self.httpd = httpd
        self.routes: dict[str, Route] = {}
        self.requests: collections.Counter[str] = collections.Counter()
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def hostport(self) -> str:
        """``127.0.0.1:PORT``, as FEEDBOOK_ALLOW_HOSTS takes it (the tests' opt-in to a local image server)."""
        host, port = self.httpd.server_address[:2]
        return f"{host}:{port}"

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    @property
    def total_requests(self) -> int:
        with self.lock:
            return sum(self.requests.values())


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        local = self.server.local
        with local.lock:
            local.requests[self.path] += 1
        route = local.routes.get(self.path)
        if route is None:
            response = Response(404, b"not found", {"Content-Type": "text/plain"})
        else:
            response = route(local) if callable(route) else route
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.length and "Content-Length" not in response.headers:
                self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            view = memoryview(response.body)
            for start in range(0, len(view), 1 << 16):
                self.wfile.write(view[start : start + (1 << 16)])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (a size limit): expected

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    local: LocalServer


@contextmanager
def local_server() -> Iterator[LocalServer]:
    """A ThreadingHTTPServer on 127.0.0.1, port 0, served from a background thread."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.local = LocalServer(httpd)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd.local
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


# --- a browser ---------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
# The flags that work as root in this project's sandboxed machines (no GPU, no background traffic).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (which never downloads a browser of its own)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), "Debian's chromium is needed (.ci/run installs it: apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """A folder served over HTTP on 127.0.0.1 (port 0); yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- the command line ----------------------------------------------------------------------------


def run_feedbook(
    *args: str | Path, cwd: Path, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m feedbook ARGS`` in ``cwd`` with ``env`` added to the environment; never through a proxy."""
    return _run_python(["-m", "feedbook", *map(str, args)], cwd, timeout, env or {})


# The process's own peak resident size, printed last on stderr: what RUSAGE_CHILDREN cannot give
# (it holds the largest child the test process ever ran, so an earlier one could hide this one).
_MEASURED = (
    "import resource, sys; from feedbook.cli import main; status = main(sys.argv[1:]); "
    "print(f'peak-kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}', file=sys.stderr); sys.exit(status)"
)


def run_feedbook_measured(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """As run_feedbook, with ``peak-kb=N`` (the feedbook process's peak RSS, in KB) ending stderr."""
    return _run_python(["-c", _MEASURED, *map(str, args)], cwd, timeout, {})


def _run_python(argv: list[str], cwd: Path, timeout: float, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_PROXY": "*", "no_proxy": "*", "PYTHONDONTWRITEBYTECODE": "1", **extra}
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def read_terminal(primary: int) -> bytes:
    """Everything written to a pseudo-terminal until its other end closes (the process is done)."""
    import os

    output = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        output += chunk
    return output


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("feedbook: error:")]
