"""HTTP GET with limits: one client for feeds and images, built on requests.

requests (with urllib3) gives connection reuse, streaming, gzip and redirects;
this module adds what a feed's URLs need on top:

- the address rule of ``addresses``, applied where the socket connects: the name
  is resolved once, every address is checked, and the socket connects to an
  address that passed (no second lookup, so no DNS rebinding in between); each
  redirect opens its connection through the same check;
- a total deadline per fetch: a server that sends a byte every few seconds never
  trips a per-read timeout, so a watchdog shuts the client's sockets down when
  the deadline passes;
- a size cap on the decoded body (a gzip bomb is counted after inflating),
  a cap on URL length and on redirects, http(s) only, no proxies or netrc from
  the environment (a proxy would resolve names where the rule cannot see them).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.parse
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from .. import __version__
from .addresses import AddressPolicy
from .urls import is_http_url

USER_AGENT = f"feedbook/{__version__} (+https://github.com/feedbook/feedbook)"
DEADLINE_SECONDS = 120.0
READ_TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
MAX_URL_LENGTH = 8192
_CHUNK = 1 << 16


class FetchError(Exception):
    """A fetch that did not give a whole answer; the message is one line saying why.

    ``unanswered``: the server gave no answer in time or refused the connection (as opposed
    to an answer feedbook turned down, such as a 404 or a body over the size cap).
    """

    def __init__(
        self,
        message: str,
        *,
        unanswered: bool = False,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> None:
        super().__init__(message)
        self.unanswered = unanswered
        self.status = status  # the HTTP status of an answer turned down, if it was one
        self.headers = headers or {}  # its headers (lower-case names): Retry-After, for one
        self.body = body  # its first bytes: an API's error code is in the body


class RefusedAddress(NewConnectionError):
    """A connection the address rule refused (raised before any socket is opened)."""

    def __init__(self, connection: HTTPConnection, why: str) -> None:
        super().__init__(connection, why)
        self.why = why


@dataclass(frozen=True)
class Fetched:
    data: bytes
    content_type: str
    url: str  # after redirects
    status: int = 200  # 304 (with no data) when a conditional GET found nothing changed
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names


class _Guard:
    """What the client's connections share: the address rule and the open sockets."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self.sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()

    def connect(self, connection: HTTPConnection) -> socket.socket:
        host, port = connection.host, connection.port
        try:
            found = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise NameResolutionError(host, connection, error) from error  # type: ignore[arg-type]
        refusals = [self.policy.refusal(host, port, str(address[4][0])) for address in found]
        allowed = [address for address, refusal in zip(found, refusals, strict=True) if not refusal]
        if not allowed:
            reasons = "; ".join(dict.fromkeys(refusals)) or "no address"
            raise RefusedAddress(connection, f"refused: {reasons}, which a feed's URLs may not reach")
        last: OSError | None = None
        for family, kind, protocol, _name, address in allowed:
            sock = socket.socket(family, kind, protocol)
            try:
                for option in connection.socket_options or ():
                    sock.setsockopt(*option)
                sock.settimeout(connection.timeout if isinstance(connection.timeout, int | float) else None)
                self.remember(sock)
                sock.connect(address)
            except TimeoutError as error:
                sock.close()
                raise ConnectTimeoutError(connection, f"connecting to {host} timed out") from error
            except OSError as error:
                sock.close()
                last = error
                continue
            return sock
        raise NewConnectionError(connection, f"cannot connect: {last}")

    def remember(self, sock: socket.socket | None) -> None:
        if sock is not None:
            self.sockets.add(sock)

    def shut_down(self) -> None:
        """Unblock every read in progress (an idle pooled connection is simply reopened later)."""
        for sock in list(self.sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _pool_classes(guard: _Guard) -> dict[str, type[HTTPConnectionPool]]:
    """urllib3 pools whose connections open their sockets through ``guard``."""

    class GuardedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return guard.connect(self)

        def connect(self) -> None:
            super().connect()
            guard.remember(self.sock)

    class GuardedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return guard.connect(self)

        def connect(self) -> None:
            super().connect()
            guard.remember(self.sock)  # the TLS socket, which reads go through

    class GuardedHTTPPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    return {"http": GuardedHTTPPool, "https": GuardedHTTPSPool}


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, guard: _Guard) -> None:
        self.guard = guard
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self.guard)


class HttpClient:
    """GETs one URL at a time under the address rule, a deadline and a size cap."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        deadline: float = DEADLINE_SECONDS,
        read_timeout: float = READ_TIMEOUT_SECONDS,
    ) -> None:
        self.policy = policy
        self.deadline = deadline
        self.read_timeout = read_timeout
        self._guard = _Guard(policy)
        self._lock = threading.Lock()  # one fetch at a time: the watchdog shuts down every socket
        session = requests.Session()
        session.trust_env = False
        session.max_redirects = MAX_REDIRECTS
        session.headers["User-Agent"] = USER_AGENT
        adapter = _GuardedAdapter(self._guard)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        self.session = session

    def get(
        self,
        url: str,
        *,
        limit: int,
        headers: dict[str, str] | None = None,
        may_redirect: Callable[[str], bool] | None = None,
    ) -> Fetched:
        """The whole body of ``url``, or FetchError saying why not; ``headers`` are sent with the
        request (a conditional GET's If-None-Match, say); a redirect to a URL ``may_redirect``
        refuses is not followed."""
        if not is_http_url(url):
            raise FetchError("not an http(s) URL")
        if len(url) > MAX_URL_LENGTH:
            raise FetchError(f"URL longer than {MAX_URL_LENGTH:,} characters")
        with self._lock:
            expired = threading.Event()

            def expire() -> None:
                expired.set()
                self._guard.shut_down()

            watchdog = threading.Timer(self.deadline, expire)
            watchdog.daemon = True
            watchdog.start()
            try:
                fetched = self._get(url, limit, expired, headers or {}, may_redirect)
            except requests.RequestException as error:
                if expired.is_set():
                    raise self._late() from None
                unanswered = isinstance(error, requests.ConnectionError | requests.Timeout)
                refused = _find(error, RefusedAddress) is not None
                raise FetchError(_reason(error), unanswered=unanswered and not refused) from None
            finally:
                watchdog.cancel()
            if expired.is_set():
                raise self._late()
            return fetched

    def _late(self) -> FetchError:
        return FetchError(f"no complete answer within {self.deadline:g} s", unanswered=True)

    def _get(
        self,
        url: str,
        limit: int,
        expired: threading.Event,
        headers: dict[str, str],
        may_redirect: Callable[[str], bool] | None,
    ) -> Fetched:
        timeout = (min(self.read_timeout, self.deadline), self.read_timeout)

        def check_redirect(response: requests.Response, *args: Any, **kwargs: Any) -> None:
            # Called on every answer, before requests follows a redirect it names.
            if may_redirect is not None and response.is_redirect:
                target = urllib.parse.urljoin(response.url, response.headers.get("Location", ""))
                if not may_redirect(target):
                    response.close()
                    raise FetchError(f"redirected to {target}, which this fetch may not follow")

        hooks = {"response": [check_redirect]}
        with self.session.get(url, stream=True, timeout=timeout, headers=headers, hooks=hooks) as response:
            answer = {name.lower(): value for name, value in response.headers.items()}
            if response.status_code >= 400:
                raise FetchError(
                    f"HTTP {response.status_code} {response.reason or ''}".strip(),
                    status=response.status_code,
                    headers=answer,
                    body=_first_bytes(response),
                )
            if response.status_code == 304:
                return Fetched(b"", "", response.url, status=304, headers=answer)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(f"larger than {_megabytes(limit)}")
            chunks: list[bytes] = []
            size = 0
            started = time.monotonic()
            for chunk in response.iter_content(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"larger than {_megabytes(limit)}")
                if expired.is_set() or time.monotonic() - started > self.deadline:
                    raise self._late()
                chunks.append(chunk)
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return Fetched(b"".join(chunks), content_type, response.url, response.status_code, answer)


def _first_bytes(response: requests.Response, size: int = _CHUNK) -> bytes:
    """The start of an error answer's body (where an API says why), never more than ``size``."""
    try:
        return next(response.iter_content(size), b"")[:size]
    except requests.RequestException:
        return b""


def _megabytes(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB"


def _reason(error: BaseException) -> str:
    """Why a request failed, on one line: the innermost cause that says something."""
    refused = _find(error, RefusedAddress)
    if refused is not None:
        return str(getattr(refused, "why", refused))
    if isinstance(error, requests.TooManyRedirects):
        return f"more than {MAX_REDIRECTS} redirects"
    if isinstance(error, requests.exceptions.InvalidSchema | requests.exceptions.MissingSchema):
        return "redirected to a URL that is not http(s)"
    if isinstance(error, requests.Timeout):
        return "timed out"
    resolution = _find(error, NameResolutionError)
    if resolution is not None:
        return "the host name does not resolve"
    text = str(error) or type(error).__name__
    return " ".join(text.split())[:300]


def _find(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    """``kind`` among the exceptions that ``error`` wraps (requests and urllib3 nest them in args)."""
    seen: set[int] = set()
    stack: list[object] = [error]
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, kind):
            return item
        stack.extend([*item.args, getattr(item, "reason", None), item.__cause__, item.__context__])
    return None
