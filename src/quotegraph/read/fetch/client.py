"""One polite HTTP client: ``Fetcher.fetch(url)`` → ``Response``, or ``InputError`` naming the URL.

Built on httpx (not trafilatura's ``fetch_url``) so that every limit is ours and testable: an
honest user agent, robots.txt (``urllib.robotparser``) read once per host and obeyed (its
Crawl-delay too), a delay between two requests to one host, connect/read timeouts, retries with
exponential backoff on 429, 5xx and dropped connections (``Retry-After`` honoured, capped),
redirects followed one hop at a time (robots.txt checked at each; a loop or too many hops is an
error), gzip/deflate decoded by httpx while the body streams, a size limit counted on the decoded
bytes (a huge body is cut off at the limit, never read whole), the Content-Type checked before
the body is read, and conditional requests (``If-None-Match`` / ``If-Modified-Since`` → 304).
docs/fetching.md says why and how.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from ... import __version__
from ...errors import InputError

# the tool and its version, what it does, and the library under it (the project publishes no home
# page yet: add "+URL" here once it does, so that a site's operator can find who is asking)
USER_AGENT = f"quotegraph/{__version__} (a news-quote extractor; python-httpx/{httpx.__version__})"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# feeds and sitemaps: RSS, Atom, RDF and plain XML, and a gzipped sitemap (sitemap.xml.gz)
XML_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
             "application/x-gzip", "application/gzip")
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After is a failure, not a wait
MAX_CRAWL_DELAY = 30.0  # seconds: robots.txt's Crawl-delay is honoured up to this


@dataclass
class FetchOptions:
    user_agent: str = USER_AGENT
    timeout: float = 20.0  # seconds to connect, and between two reads of the body
    retries: int = 2  # further tries after a 429, a 5xx or a dropped connection
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    delay: float = 1.0  # seconds between two requests to the same host
    max_bytes: int = 20 * 1024 * 1024  # a body is cut off (and the URL failed) past this, decoded
    max_redirects: int = 5
    robots: bool = True  # read and obey robots.txt
    # who may be fetched: "all", or "public" (no loopback, private, link-local or reserved
    # address: what a server that fetches URLs for others allows; docs/fetching.md, SSRF)
    destinations: str = "all"


@dataclass
class Response:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int  # 200, or 304 (not modified: ``body`` is empty)
    content_type: str = ""
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        self.reason, self.wait = reason, wait
        super().__init__(reason)


class Robots:
    """The robots.txt of each host, read once (``get(netloc, robots_url)`` fetches it), and what it
    allows: ``check`` refuses a URL it disallows, ``crawl_delay`` is the wait it asks for."""

    def __init__(self, user_agent: str, get: Callable[[str, str], httpx.Response], lock: threading.Lock):
        self.user_agent = user_agent
        self.get = get
        self._lock = lock
        self._rules: dict[str, RobotFileParser | str | None] = {}  # host -> parser, a refusal, or None (all allowed)

    def rules(self, scheme: str, netloc: str) -> RobotFileParser | str | None:
        key = f"{scheme}://{netloc}"
        with self._lock:
            if key in self._rules:
                return self._rules[key]
        got: RobotFileParser | str | None
        robots_url = key + "/robots.txt"
        try:
            r = self.get(netloc, robots_url)
            if r.status_code >= 500:
                got = f"robots.txt answered HTTP {r.status_code}: the site asks crawlers to wait"
            elif r.status_code in (401, 403):
                got = f"robots.txt is forbidden (HTTP {r.status_code}): the site allows no crawler"
            elif r.status_code >= 400:
                got = None  # no robots.txt: everything is allowed
            else:
                rp = RobotFileParser(robots_url)
                rp.parse(r.content[: 512 * 1024].decode("utf-8", "replace").splitlines())
                got = rp
        except httpx.HTTPError:
            got = None  # unreachable robots.txt: the page's own fetch will say why
        with self._lock:
            self._rules[key] = got
        return got

    def check(self, url: str, current: str) -> None:
        """``InputError(url, ...)`` when the robots.txt of ``current``'s host disallows it."""
        parts = urlsplit(current)
        rules = self.rules(parts.scheme, parts.netloc)
        if isinstance(rules, str):
            raise InputError(url, f"not fetched: {rules}")
        if rules is not None and not rules.can_fetch(self.user_agent, current):
            raise InputError(url, f"not fetched: robots.txt of {parts.netloc} disallows {parts.path or '/'}")

    def crawl_delay(self, current: str) -> float:
        parts = urlsplit(current)
        rules = self._rules.get(f"{parts.scheme}://{parts.netloc}")
        if isinstance(rules, RobotFileParser):
            d = rules.crawl_delay(self.user_agent)
            return float(d) if d else 0.0
        return 0.0


class Fetcher:
    """Fetches URLs one at a time, politely (see the module's doc). Thread-safe: the per-host
    clock and the robots.txt cache are behind a lock. ``sleep``, ``clock`` and ``transport`` are for tests."""

    def __init__(self, options: FetchOptions | None = None, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.options = options or FetchOptions()
        o = self.options
        self.client = httpx.Client(
            headers={"User-Agent": o.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(o.timeout), follow_redirects=False, transport=transport, trust_env=False)
        self.sleep = sleep
        self.clock = clock
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}  # host -> when its last request was sent (monotonic)
        self.robots = Robots(o.user_agent, self._get_robots_txt, self._lock) if o.robots else None
        self.requests = 0  # sent, robots.txt included

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- the one public call

    def fetch(self, url: str, *, accept: Iterable[str] = HTML_TYPES + XML_TYPES, etag: str | None = None,
              last_modified: str | None = None) -> Response:
        """GET ``url`` (following redirects), or ``InputError(url, reason)``. With ``etag`` or
        ``last_modified`` (of a copy kept before) the request is conditional: a 304 comes back
        with an empty body."""
        accept = tuple(accept)
        hops: list[str] = []
        current = url
        while True:
            self._check_destination(url, current)
            if self.robots is not None:
                self.robots.check(url, current)
            resp = self._get_with_retries(url, current, etag, last_modified, accept)
            if isinstance(resp, str):  # a redirect: its target
                nxt = resp
                if nxt in hops or nxt == current:
                    chain = " → ".join([*hops, current, nxt][-4:])
                    raise InputError(url, f"redirect loop ({chain})")
                hops.append(current)
                if len(hops) > self.options.max_redirects:
                    raise InputError(url, f"too many redirects (more than {self.options.max_redirects}; last to {nxt})")
                current = nxt
                continue
            resp.url, resp.redirects = url, hops
            return resp

    # ---------------------------------------------------------------- politeness

    def _wait_turn(self, host: str, crawl_delay: float = 0.0) -> None:
        delay = max(self.options.delay, min(crawl_delay, MAX_CRAWL_DELAY))
        with self._lock:
            now = self.clock()
            at = max(now, self._last.get(host, -1e9) + delay)
            self._last[host] = at
        if at > now:
            self.sleep(at - now)

    def _check_destination(self, url: str, current: str) -> None:
        if self.options.destinations != "public":
            return
        host = urlsplit(current).hostname or ""
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError) as e:
            raise InputError(url, f"cannot resolve {host} ({e})") from None
        for info in infos:
            addr = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if not addr.is_global:
                raise InputError(url, f"refused: {host} is a local or private address ({addr}); this server fetches public addresses only")

    def _get_robots_txt(self, netloc: str, robots_url: str) -> httpx.Response:
        """robots.txt of a host, in its turn (``Robots`` asks, once per host)."""
        self._wait_turn(netloc)
        self.requests += 1
        return self.client.get(robots_url, follow_redirects=True)

    # ---------------------------------------------------------------- requests

    def _get_with_retries(self, url: str, current: str, etag: str | None, last_modified: str | None,
                          accept: tuple[str, ...]) -> Response | str:
        o = self.options
        wait = o.backoff
        for attempt in range(o.retries + 1):
            try:
                return self._get_once(url, current, etag, last_modified, accept)
            except _Retry as r:
                if attempt == o.retries:
                    tries = f" (after {o.retries + 1} tries)" if o.retries else ""
                    raise InputError(url, r.reason + tries) from None
                if r.wait is not None and r.wait > MAX_RETRY_AFTER:
                    raise InputError(url, f"{r.reason}; the server asks to wait {r.wait:.0f} s") from None
                self.sleep(r.wait if r.wait is not None else wait)
                wait *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _get_once(self, url: str, current: str, etag: str | None, last_modified: str | None,
                  accept: tuple[str, ...]) -> Response | str:
        headers = {"Accept": ", ".join(accept) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait_turn(urlsplit(current).netloc, self.robots.crawl_delay(current) if self.robots is not None else 0.0)
        self.requests += 1
        try:
            with self.client.stream("GET", current, headers=headers) as r:
                if r.is_redirect and "location" in r.headers:
                    return urljoin(current, r.headers["location"])
                if r.status_code in RETRY_STATUS:
                    raise _Retry(f"HTTP {r.status_code} {r.reason_phrase}".strip(), _retry_after(r.headers.get("retry-after")))
                if r.status_code == 304:
                    return Response(url, current, 304, r.headers.get("content-type", ""), b"",
                                    r.headers.get("etag") or etag, r.headers.get("last-modified") or last_modified)
                if not 200 <= r.status_code < 300:
                    raise InputError(url, f"HTTP {r.status_code} {r.reason_phrase}".strip())
                ctype = r.headers.get("content-type", "")
                media = ctype.split(";")[0].strip().lower()
                if media and media not in accept:
                    raise InputError(url, f"not {_wanted(accept)} (Content-Type {media})")
                body = self._read_body(url, r)
                return Response(url, current, r.status_code, ctype, body, r.headers.get("etag"), r.headers.get("last-modified"))
        except httpx.TimeoutException as e:
            raise _Retry(f"timed out (no answer within {self.options.timeout:g} s: {type(e).__name__})") from None
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as e:
            raise _Retry(f"connection failed ({_one_line(e) or type(e).__name__})") from None
        except httpx.DecodingError as e:
            raise InputError(url, f"cannot decode the body ({_one_line(e)})") from None
        except httpx.HTTPError as e:
            raise InputError(url, f"{type(e).__name__}: {_one_line(e)}") from None

    def _read_body(self, url: str, r: httpx.Response) -> bytes:
        limit = self.options.max_bytes
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit and "content-encoding" not in r.headers:
            raise InputError(url, f"too large ({int(declared):,} bytes; the limit is {limit:,}; not read)")
        parts: list[bytes] = []
        size = 0
        for chunk in r.iter_bytes(64 * 1024):  # decoded (gzip) as it streams
            size += len(chunk)
            if size > limit:
                raise InputError(url, f"too large (cut off after {limit:,} bytes, the limit)")
            parts.append(chunk)
        return b"".join(parts)


def _wanted(accept: tuple[str, ...]) -> str:
    html, xml = any(t in HTML_TYPES for t in accept), any(t in XML_TYPES for t in accept)
    return "an HTML page, feed or sitemap" if html and xml else "an HTML page" if html else "a feed or sitemap"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    v = value.strip()
    if v.isdigit():
        return float(v)
    try:
        when = parsedate_to_datetime(v)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    return max(0.0, (when - datetime.now(UTC)).total_seconds()) if when.tzinfo else None


def _one_line(e: object) -> str:
    return " ".join(str(e).split())
