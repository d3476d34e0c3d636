"""Running the app: ``serve(db, host, port)`` (uvicorn) and the demo store of ``serve --demo``."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .state import Settings

# Fictional outlets and dates for the demo store, so its person and sources pages have something
# to chart; the articles themselves are the example article and the hand-written test articles.
DEMO_OUTLETS = ("Riverton Herald", "Valley Post", "Capital Wire")


def checkout_root() -> Path | None:
    """The source checkout this package runs from (the demo's articles live there), if any."""
    here = Path(__file__).resolve()
    for p in here.parents:
        if (p / "examples" / "seed-article.txt").exists() and (p / "tests" / "articles").is_dir():
            return p
    return None


def demo_inputs(root: Path) -> list[Path]:
    arts = sorted(p for p in (root / "tests" / "articles").iterdir() if p.suffix in (".txt", ".html"))
    return [root / "examples" / "seed-article.txt", *arts]


def build_demo(db: str | Path, root: Path | None = None, jobs: int = 0, quiet: bool = False,
               inputs: list[Path] | None = None) -> Path:
    """A store of the example article and the hand-written articles (or ``inputs``), each given
    an outlet and a date, at ``db``. Returns its path."""
    from ..corpus import ingest

    if inputs is None:
        root = root or checkout_root()
        if root is None:
            raise FileNotFoundError("the demo store is built from examples/ and tests/articles/ of a source checkout; "
                                    "run it from one (make serve), or give --db FILE")
        inputs = demo_inputs(root)
    db = Path(db)
    lines = []
    for i, path in enumerate(inputs):
        content = path.read_text(encoding="utf-8")
        kind = "html" if path.suffix == ".html" else "text"
        lines.append(json.dumps({"id": path.stem, kind: content, "outlet": DEMO_OUTLETS[i % len(DEMO_OUTLETS)],
                                 "published": f"2018-{1 + (i * 5) % 12:02d}-{1 + (i * 7) % 28:02d}"}))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "demo.jsonl"
        src.write_text("\n".join(lines) + "\n", encoding="utf-8")
        rep = ingest([str(src)], str(db), jobs=jobs)
    if rep.failed:
        raise RuntimeError(f"the demo store could not take {rep.failed} articles: {rep.failures[:3]}")
    if not quiet:
        print(f"demo store {db}: {rep.added} articles added, {rep.failed} failed")
    return db


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, token: str | None) -> None:
    """Listening beyond loopback needs an API token (``RuntimeError`` with what to do else)."""
    if not is_loopback(host) and not token:
        raise RuntimeError(f"--host {host} listens beyond this machine: set an API token (QUOTEGRAPH_API_TOKEN, or "
                           "--token) that extractions and writes will require, or listen on 127.0.0.1")


def serve(db: str | None, host: str = "127.0.0.1", port: int = 8000, *, demo: bool = False,
          log_level: str = "info", settings: Settings | None = None) -> None:
    """``settings``: the app's (``api_token``, ``extract_timeout``, ``rate_limit``...); the store
    is ``db``. Refuses a host beyond loopback without a token (``check_exposure``)."""
    from .app import create_app
    from .state import Settings

    settings = settings or Settings()
    check_exposure(host, settings.api_token)
    tmp = None
    if demo:
        tmp = tempfile.TemporaryDirectory(prefix="quotegraph-demo-")
        db = str(build_demo(Path(tmp.name) / "demo.db"))
    try:
        app = create_app(db, settings=settings)
        guarded = " (writes and extractions need the API token)" if settings.api_token else ""
        print(f"quotegraph: serving {db} on http://{host}:{port}/{guarded} (Ctrl-C to stop)", flush=True)
        run_uvicorn(app, host, port, log_level)
    finally:
        if tmp is not None:
            tmp.cleanup()


STOP_GRACE_SECONDS = 5  # after SIGTERM, requests still running past this are cancelled


def run_uvicorn(app, host: str, port: int, log_level: str) -> None:
    """uvicorn, stopping promptly: on SIGTERM/Ctrl-C the running extraction is killed and the
    waiting ones answer 503 at once (they would otherwise all run first), and whatever is still
    running after ``STOP_GRACE_SECONDS`` is cancelled."""
    import uvicorn

    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None) -> None:
            app.state.extract.stop()
            await super().shutdown(sockets)

    # keep-alive past the clients' think time, so an idle connection is not closed just as it is reused
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False, timeout_keep_alive=30,
                            timeout_graceful_shutdown=STOP_GRACE_SECONDS)
    Server(config).run()
