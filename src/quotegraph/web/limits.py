"""What the server refuses before it does any work: bodies past the size limit (413, with or
without a Content-Length), writes without the API token (401), extractions past a client's rate
(429 with Retry-After, sent after a pause: a client that posts as fast as it is answered is slowed
to about one request a second, as nginx's ``limit_req`` delays, at no CPU cost to the server); and validation errors are answered in a bounded size (the first 20, at
most 64 kB), however many a request has."""

from __future__ import annotations

import base64
import hmac
import json
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import anyio
from fastapi.responses import HTMLResponse, JSONResponse
from markupsafe import escape
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .state import MAX_DELAYED_REFUSALS, Settings, kb, too_large_message

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
RATE_LIMITED = ("/api/extract", "/paste")  # POST: the requests that cost an extraction
MAX_ERRORS = 20  # validation errors listed in a 422
MAX_ERROR_BYTES = 64 * 1024


def problem(scope: Scope, status: int, title: str, msg: str, headers: dict | None = None) -> Response:
    """The JSON ``{"detail": msg}`` of the API, or an HTML page for the others."""
    if scope["path"].startswith("/api/") or scope["path"] == "/api":
        return JSONResponse({"detail": msg}, status_code=status, headers=headers)
    return HTMLResponse(f"<!doctype html><title>{title}</title><link rel=stylesheet href=/static/style.css>"
                        f"<main><h1>{title}</h1><p class=error>{escape(msg)}</p>"
                        f"<p><a href=/paste>Back to the paste page</a></p></main>", status_code=status, headers=headers)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


class BodyLimit:
    """Refuses request bodies past ``limit`` bytes (413) before they are read into memory: by
    Content-Length, or by counting what arrives (a chunked body). The app's own answer to a body
    cut short (a parse error) is replaced by the 413."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        for k, v in scope.get("headers", []):
            if k == b"content-length" and v.isdigit() and int(v) > self.limit:
                await self._refuse(scope, send, int(v), exact=True)
                return
        seen = 0
        over = False
        started = False

        async def counted() -> Message:
            nonlocal seen, over
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise _TooBig()
            return msg

        async def send_unless_over(message: Message) -> None:
            nonlocal started
            if over and not started:
                return
            started = True
            await send(message)

        try:
            await self.app(scope, counted, send_unless_over)
        except _TooBig:
            pass
        if over and not started:  # (uvicorn skips the rest of the body: the client reads the answer)
            await self._refuse(scope, send, seen, exact=False)

    async def _refuse(self, scope: Scope, send: Send, size: int, exact: bool) -> None:
        msg = too_large_message("request", size, self.limit, exact)
        await problem(scope, 413, "Too large", msg)({"type": "http"}, _no_body, send)


class _TooBig(Exception):
    pass


class RateLimiter:
    """A token bucket per client: ``per_minute`` requests a minute on average, ``burst`` at once.
    At most ``max_clients`` buckets are kept (the full ones are forgotten first)."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = 10_000):
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> float:
        """0 when ``client`` may go on (a token is spent), else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        now = self.clock()
        tokens, last = self._buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            self._forget(now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1 - tokens) / self.rate

    def _forget(self, now: float) -> None:
        if len(self._buckets) <= self.max_clients:
            return
        full = self.burst / self.rate
        self._buckets = {c: v for c, v in self._buckets.items() if now - v[1] < full}
        if len(self._buckets) > self.max_clients:  # all active: keep the most recent half
            recent = sorted(self._buckets.items(), key=lambda kv: kv[1][1])[len(self._buckets) // 2:]
            self._buckets = dict(recent)


def token_given(scope: Scope, token: str) -> bool:
    """Whether the request carries ``token``: ``Authorization: Bearer TOKEN``, or HTTP Basic
    auth with the token as the password (what a browser asks for on the paste page)."""
    for k, v in scope.get("headers", []):
        if k != b"authorization":
            continue
        scheme, _, cred = v.decode("latin-1").partition(" ")
        cred = cred.strip()
        if scheme.lower() == "basic":
            try:
                cred = base64.b64decode(cred, validate=True).decode("utf-8").partition(":")[2]
            except (ValueError, UnicodeDecodeError):
                return False
        elif scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(cred.encode("utf-8", "surrogatepass"), token.encode("utf-8"))
    return False


class Guard:
    """Before a body is read: the API token on every write, when the server has one (401), and
    the per-client rate of the requests that extract (429, with Retry-After)."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.token = settings.api_token or None
        self.limit = settings.max_request_bytes
        self.rates = RateLimiter(settings.rate_limit, settings.rate_burst)
        self.refusal_delay = settings.refusal_delay
        self.delayed = 0  # refusals waiting now

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        refusal, delay = None, 0.0
        if self.token is not None and not token_given(scope, self.token):
            api = scope["path"].startswith("/api/")
            refusal = problem(scope, 401, "Token needed",
                              "this server needs its API token for writes and extractions: send "
                              "`Authorization: Bearer TOKEN`" + ("" if api else " (or give it as the password)"),
                              {"WWW-Authenticate": "Bearer" if api else 'Basic realm="quotegraph"'})
        elif scope["path"] in RATE_LIMITED:
            client = (scope.get("client") or ("?",))[0]
            wait = self.rates.take(client)
            if wait > 0:
                after = max(1, math.ceil(wait))
                refusal = problem(scope, 429, "Too many requests",
                                  f"too many extractions from {client}: try again in {after} s", {"Retry-After": str(after)})
                delay = min(wait, self.refusal_delay)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        # the body is never read: close the connection rather than take in the rest of it (a
        # client posting megabytes in a loop would otherwise cost the server the reading)
        refusal.headers["Connection"] = "close"
        if delay > 0 and self.delayed < MAX_DELAYED_REFUSALS:
            self.delayed += 1
            try:
                await anyio.sleep(delay)
            finally:
                self.delayed -= 1
        await refusal({"type": "http"}, _no_body, send)


def _short(x: object, n: int = 200) -> object:
    if isinstance(x, str) and len(x) > n:
        return x[: n - 1] + "…"
    return x


def capped_errors(errors: Sequence[Any], total: int | None = None) -> dict:
    """The 422 body: the first ``MAX_ERRORS`` errors (without their input; long names and
    messages cut), in at most ``MAX_ERROR_BYTES``, and how many there were."""
    from fastapi.encoders import jsonable_encoder

    out: list = []
    size = 0
    for e in errors[:MAX_ERRORS]:
        e = {k: v for k, v in dict(e).items() if k not in ("ctx", "input", "url")}
        e["loc"] = [_short(x) for x in e.get("loc", ())]
        e["msg"] = _short(e.get("msg", ""), 500)
        e = jsonable_encoder(e)
        size += len(json.dumps(e))
        if size > MAX_ERROR_BYTES - 1024:
            break
        out.append(e)
    total = len(errors) if total is None else total
    body: dict = {"detail": out, "errors": total}
    if total > len(out):
        body["note"] = f"the first {len(out)} of {total:,} errors"
    return body


__all__ = ["BodyLimit", "Guard", "RateLimiter", "capped_errors", "kb", "token_given"]
