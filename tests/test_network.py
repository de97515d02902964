"""The network as an attacker's feed would use it: requests to this machine, private networks,
redirects, servers that never finish, bombs.

Every server here listens on 127.0.0.1 and counts what reaches it; the addresses that must never
be reached (private networks, link-local, multicast) are tested in-process with socket's connect
replaced, so that nothing is ever sent beyond 127.0.0.0/8.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from feedbook.net.addresses import AddressPolicy, why_not_public
from feedbook.net.client import FetchError, HttpClient

from helpers import PNG, FeedEntry, LocalServer, Response, error_lines, local_server, run_feedbook, write_atom


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with local_server() as running:
        running.add("/x.png", Response(200, PNG, {"Content-Type": "image/png"}))
        yield running


def image_feed(tmp_path: Path, *urls: str) -> Path:
    content = "".join(f'<p>picture {index} <img src="{url}" alt="alt {index}"></p>' for index, url in enumerate(urls))
    return write_atom(tmp_path / "feed.xml", [FeedEntry("urn:test:net", "Net", "", content=content)])


def init(tmp_path: Path, *args: str) -> tuple[int, str]:
    done = run_feedbook("init", "book", *args, cwd=tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stderr


# --- this machine, in every spelling -----------------------------------------------------------

LOOPBACK_SPELLINGS = [
    "127.0.0.1",
    "localhost",
    "2130706433",  # decimal
    "0x7f000001",  # hex
    "0x7f.1",
    "127.1",  # short form
    "0177.0.0.1",  # octal
    "127.0.0.2",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[::1]",
]


def test_images_on_this_machine_are_never_fetched(tmp_path: Path, server: LocalServer) -> None:
    port = server.httpd.server_address[1]
    feed = image_feed(tmp_path, *(f"http://{host}:{port}/x.png" for host in LOOPBACK_SPELLINGS))

    status, stderr = init(tmp_path, "--feed", feed.name)

    assert status == 0, stderr
    assert server.total_requests == 0
    refused = [line for line in stderr.splitlines() if "not included: refused" in line]
    assert len(refused) == len(LOOPBACK_SPELLINGS), stderr
    assert all("urn:test:net" in line for line in refused)
    chapter = next((tmp_path / "book" / "posts").glob("*.md")).read_text(encoding="utf-8")
    assert not (tmp_path / "book" / "posts" / "images").exists()
    for index in range(len(LOOPBACK_SPELLINGS)):
        assert f"[Image: alt {index}](http://" in chapter  # the alt text and the link stay


PRIVATE = [
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "[fe80::1]",
    "[fc00::1]",
    "[::]",
    "[ff02::1]",
    "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
    "[2002:a00:1::1]",  # 6to4 of 10.0.0.1
    "[::ffff:10.0.0.1]",
    "167772161",  # 10.0.0.1 in decimal
]


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """socket's connect replaced by a recorder that refuses: nothing leaves this machine."""
    attempts: list[object] = []

    def connect(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise ConnectionRefusedError("the test allows no connection")

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


@pytest.mark.parametrize("host", PRIVATE)
def test_private_and_reserved_addresses_are_refused_before_connecting(host: str, no_connections: list[object]) -> None:
    client = HttpClient(AddressPolicy())
    with pytest.raises(FetchError, match=r"refused: .* is an? "):
        client.get(f"http://{host}/latest/meta-data/", limit=1000)
    assert no_connections == []


def test_public_addresses_pass_the_rule() -> None:
    assert why_not_public("93.184.216.34") == ""
    assert why_not_public("2606:2800:220:1:248:1893:25c8:1946") == ""
    assert why_not_public("::ffff:10.0.0.1") == "a private address"
    assert why_not_public("fe80::1%eth0") == "a link-local address"


def test_the_address_checked_is_the_address_connected(
    monkeypatch: pytest.MonkeyPatch, no_connections: list[object]
) -> None:
    """DNS rebinding: a name that answers a public address, then 127.0.0.1. It is resolved once."""
    answers = ["93.184.216.34", "127.0.0.1", "127.0.0.1"]
    lookups: list[str] = []

    def getaddrinfo(host: str, port: int, *args: object) -> list[tuple[object, ...]]:
        lookups.append(host)
        address = answers[min(len(lookups) - 1, len(answers) - 1)]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    client = HttpClient(AddressPolicy())
    with pytest.raises(FetchError):
        client.get("http://rebind.example/x.png", limit=1000)
    assert lookups == ["rebind.example"]
    assert no_connections == [("93.184.216.34", 80)]


def test_the_feed_url_the_user_named_may_be_on_this_machine(tmp_path: Path, server: LocalServer) -> None:
    """A blog served from this machine: its feed and its own images (same host and port) are fetched;
    an image on another port of the same machine is not."""
    with local_server() as other:
        other.add("/y.png", Response(200, PNG, {"Content-Type": "image/png"}))
        content = (
            f'<p>one <img src="{server.url("/x.png")}" alt="own"> two <img src="{other.url("/y.png")}" alt="x"></p>'
        )
        server.add("/feed.xml", Response(200, _atom(content), {"Content-Type": "application/atom+xml"}))

        status, stderr = init(tmp_path, "--feed", server.url("/feed.xml"))

        assert status == 0, stderr
        assert server.requests["/x.png"] == 1
        assert other.total_requests == 0
        assert "refused: 127.0.0.1 is a loopback address" in stderr


def _atom(content: str) -> bytes:
    from helpers import atom_feed

    return atom_feed([FeedEntry("urn:test:net", "Net", "", content=content)])


def test_redirects_are_checked_at_every_hop(tmp_path: Path, server: LocalServer) -> None:
    with local_server() as other:
        other.add("/feed.xml", Response(200, _atom("<p>words</p>"), {"Content-Type": "application/atom+xml"}))
        other.add("/y.png", Response(200, PNG, {"Content-Type": "image/png"}))
        server.add("/feed.xml", Response(302, b"", {"Location": other.url("/feed.xml")}))
        server.add("/img.png", Response(302, b"", {"Location": other.url("/y.png")}))

        status, stderr = init(tmp_path, "--feed", server.url("/feed.xml"))

        assert status == 1
        (line,) = error_lines(stderr)
        assert server.url("/feed.xml") in line and "refused: 127.0.0.1 is a loopback address" in line
        assert other.total_requests == 0

        # An image on the trusted feed host that redirects elsewhere on this machine.
        content = f'<p>one <img src="{server.url("/img.png")}" alt="moved"></p>'
        server.add("/feed.xml", Response(200, _atom(content), {"Content-Type": "application/atom+xml"}))
        server.requests.clear()
        status, stderr = init(tmp_path, "--feed", server.url("/feed.xml"))
        assert status == 0, stderr
        assert server.requests["/img.png"] == 1
        assert other.total_requests == 0
        assert "not included: refused: 127.0.0.1 is a loopback address" in stderr


# --- servers that never finish, bombs, long URLs -------------------------------------------------


class _Drip(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture(params=["body", "headers"])
def drip_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """Answers at once, then sends one byte a second, forever (in the body, or in the headers)."""
    stop = threading.Event()
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/atom+xml\r\n"

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(65536)
            self.request.sendall(head + (b"\r\n<feed" if request.param == "body" else b"X-Slow: "))
            while not stop.wait(1.0):
                try:
                    self.request.sendall(b"a")
                except OSError:
                    return

    server = _Drip(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    stop.set()
    server.shutdown()
    server.server_close()


def test_a_server_that_never_finishes_meets_the_deadline(tmp_path: Path, drip_server: str) -> None:
    started = time.monotonic()
    status, stderr = init(tmp_path, "--feed", drip_server, "--timeout", "3")
    elapsed = time.monotonic() - started

    assert status == 1
    (line,) = error_lines(stderr)
    assert line == f"feedbook: error: {drip_server}: cannot fetch the feed: no complete answer within 3 s"
    assert elapsed < 15, elapsed
    assert not (tmp_path / "book").exists()


def test_slow_image_hosts_are_given_up_after_three_tries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Twenty images on a host that never answers: three tries, not twenty deadlines."""
    stop = threading.Event()
    accepted: list[int] = []

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            accepted.append(1)
            stop.wait(30)

    server = _Drip(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("FEEDBOOK_ALLOW_HOSTS", host)
    try:
        feed = image_feed(tmp_path, *(f"http://{host}/{index}.png" for index in range(20)))
        started = time.monotonic()
        status, stderr = init(tmp_path, "--feed", feed.name, "--timeout", "1")
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    assert status == 0, stderr
    assert len(accepted) == 3
    assert stderr.count("no complete answer within 1 s") == 3
    assert stderr.count("did not answer 3 earlier image requests") == 17
    assert elapsed < 20, elapsed


def test_a_gzip_bomb_is_cut_at_the_size_cap(
    tmp_path: Path, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = gzip.compress(PNG + b"\0" * (21 * 1024 * 1024), 9)
    assert len(bomb) < 100_000
    server.add("/bomb.png", Response(200, bomb, {"Content-Type": "image/png", "Content-Encoding": "gzip"}))
    monkeypatch.setenv("FEEDBOOK_ALLOW_HOSTS", server.hostport)
    feed = image_feed(tmp_path, server.url("/bomb.png"))

    status, stderr = init(tmp_path, "--feed", feed.name)

    assert status == 0, stderr
    assert "not included: larger than 20 MB" in stderr
    assert not (tmp_path / "book" / "posts" / "images").exists()


def test_a_very_long_url_is_not_fetched(tmp_path: Path, server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDBOOK_ALLOW_HOSTS", server.hostport)
    long_url = server.url("/x.png?" + "a" * 10_000)
    feed = image_feed(tmp_path, long_url, server.url("/x.png"))

    status, stderr = init(tmp_path, "--feed", feed.name)

    assert status == 0, stderr
    assert "URL longer than 8,192 characters" in stderr
    assert server.requests["/x.png"] == 1 and server.total_requests == 1
