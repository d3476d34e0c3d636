"""The app factory: ``create_app(store_path)`` → a FastAPI app serving the pages and ``/api/``."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from . import deps
from .limits import BodyLimit, Guard, capped_errors
from .routes import api, articles, corrections, paste, people, quotes, search, sources
from .state import ExtractService, Settings, StorePool

STATIC = Path(__file__).resolve().parent / "static"

# Only our own scripts, styles and images; no inline script or style, no framing, forms post home.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self';"
       " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every HTTP response (pages, API, static
    files, errors)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(store_path: str | Path | None = None, *, settings: Settings | None = None) -> FastAPI:
    """The web app over the corpus store at ``store_path`` (opened read-only; None: only the paste
    page and ``/api/extract`` work)."""
    settings = settings or Settings()
    if store_path is not None:
        settings.store_path = str(store_path)
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.extract.stopping = False  # an app may be served again (tests) after a stop
        yield
        app.state.extract.stop()
        if app.state.pool is not None:
            app.state.pool.close()
        app.state.extract.shutdown()

    app = FastAPI(
        lifespan=lifespan,
        title="quotegraph", version=__version__,
        description="Who said what, to whom, and according to whom: attributed quotes from news articles, "
                    "and a corpus of them across outlets. Every list is paginated with `limit` and `offset`.",
        openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
    )
    app.state.settings = settings
    app.state.pool = StorePool(settings.store_path, settings.pool_size) if settings.store_path else None
    app.state.extract = ExtractService(settings)

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for r in (articles.router, paste.router, people.router, quotes.router, search.router, sources.router):
        app.include_router(r)
    app.include_router(api.router, prefix="/api")
    app.include_router(corrections.router)  # the person page's correction forms (POST)
    app.include_router(corrections.api_router, prefix="/api")

    # where FastAPI apps keep their API page: ours is /api (Swagger UI and ReDoc load from a CDN)
    @app.get("/docs", include_in_schema=False)
    @app.get("/redoc", include_in_schema=False)
    def api_page() -> RedirectResponse:
        return RedirectResponse("/api", status_code=307)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/api"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return deps.render(request, "error.html", status_code=exc.status_code, status=exc.status_code,
                           message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        if wants_json(request):
            return JSONResponse(capped_errors(exc.errors(), getattr(exc, "total", None)), status_code=422)
        body = capped_errors(exc.errors(), getattr(exc, "total", None))
        msgs = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ())[1:])}: {e.get('msg')}" for e in body["detail"])
        return deps.render(request, "error.html", status_code=422, status=422, message=msgs + (
            f" ({body['note']})" if "note" in body else ""))

    @app.exception_handler(deps.NoStore)
    async def no_store(request: Request, exc: deps.NoStore):
        msg = "This server has no corpus store: start it with `quotegraph serve --db FILE` (or --demo)."
        if wants_json(request):
            return JSONResponse({"detail": msg}, status_code=503)
        return deps.render(request, "error.html", status_code=503, status=503, message=msg)

    deps.install_store_errors(app, wants_json)  # a damaged store: a page that says so, not a bare 500
    app.add_middleware(Guard, settings=settings)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    return app
