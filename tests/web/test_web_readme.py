"""Every address the README gives for the running app answers (`make serve`'s demo store)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = "http://127.0.0.1:8000"


def readme_app_paths() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(re.escape(APP) + r"(/[^\s<>()`'\"]*)", text)
    return sorted({p.rstrip(".,;:") or "/" for p in found})


def test_the_readme_gives_the_pages_the_api_list_and_the_schema() -> None:
    assert {"/", "/api", "/api/openapi.json"} <= set(readme_app_paths())


def test_every_address_the_readme_gives_answers(client) -> None:
    for path in readme_app_paths():
        r = client.get(path)
        assert r.status_code == 200, f"{path}: {r.status_code}"


def test_docs_and_redoc_lead_to_the_api_page(client) -> None:
    for path in ("/docs", "/redoc"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 307 and r.headers["location"] == "/api", path
        page = client.get(path)
        assert page.status_code == 200 and "/api/openapi.json" in page.text


def stated(path: str, pattern: str) -> int:
    """The number a doc states where ``pattern`` (one group) matches; its line breaks are spaces."""
    text = " ".join((ROOT / path).read_text(encoding="utf-8").split())
    m = re.search(pattern, text)
    assert m, f"{path}: no {pattern!r}"
    return int(m.group(1).replace(",", ""))


def test_the_limits_the_docs_state_are_the_codes() -> None:
    from quotegraph.corpus.query import MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, MAX_QUERY_TERMS
    from quotegraph.read.readers import MAX_BYTES_DEFAULT
    from quotegraph.read.segments import SEGMENT_CHARS
    from quotegraph.web.state import EXTRACT_TIMEOUT, MAX_PASTE_BYTES, MAX_WAITING_EXTRACTIONS, RATE_BURST, RATE_LIMIT, Settings

    assert stated("README.md", r"`--max-bytes` \(default (\d+) MB\)") * 2**20 == MAX_BYTES_DEFAULT
    assert stated("README.md", r"a plain text past (\d+) million characters") * 10**6 == SEGMENT_CHARS
    assert stated("README.md", r"Search takes `-n` from 1 to (\d+)") == MAX_LIMIT
    assert stated("README.md", r"queries of up to ([\d,]+) characters") == MAX_QUERY_CHARS
    assert stated("README.md", r"and (\d+) distinct words or phrases") == MAX_QUERY_TERMS
    assert stated("docs/web.md", r"1–(\d+) for `/api/search`") == MAX_LIMIT
    assert stated("docs/web.md", r"`offset` \(0–([\d,]+)\)") == MAX_OFFSET
    assert stated("docs/web.md", r"the CLI's: ([\d,]+)\)") == MAX_QUERY_CHARS
    assert stated("docs/web.md", r"and (\d+) distinct words") == MAX_QUERY_TERMS
    assert stated("docs/web.md", r"over (\d+) kB, a message says so") * 1024 == MAX_PASTE_BYTES
    assert stated("docs/web.md", r"past (\d+) waiting, 503") == MAX_WAITING_EXTRACTIONS
    assert stated("docs/web.md", r"a pool of read-only connections \((\d+)\)") == Settings().pool_size
    assert stated("docs/web.md", r"\| (\d+) extractions \(`POST /api/extract`") == RATE_LIMIT
    assert stated("docs/web.md", r"a minute per client address, (\d+) at once") == RATE_BURST
    assert stated("docs/web.md", r"\| (\d+) s per extraction") == EXTRACT_TIMEOUT
    assert stated("docs/web.md", r"\| waiting extractions \| (\d+) \|") == MAX_WAITING_EXTRACTIONS
    assert stated("docs/web.md", r"\| paste size \| (\d+) kB") * 1024 == MAX_PASTE_BYTES
    assert stated("docs/web.md", r"the request is more than ([\d,]+) kB") * 1024 == Settings().max_request_bytes


def test_the_page_sizes_the_docs_state_are_the_apis(client) -> None:
    schema = client.get("/api/openapi.json").json()

    def limit_max(path: str) -> int:
        params = schema["paths"][path]["get"]["parameters"]
        return next(p["schema"]["maximum"] for p in params if p["name"] == "limit")

    def query_max(path: str) -> int:
        params = schema["paths"][path]["get"]["parameters"]
        return next(p["schema"]["maxLength"] for p in params if p["name"] == "q")

    assert stated("docs/web.md", r"`limit` \(1–(\d+);") == limit_max("/api/articles") == limit_max("/api/people")
    assert stated("docs/web.md", r"1–(\d+) for `/api/search` and `/api/quotes`") == limit_max("/api/search") == limit_max("/api/quotes")
    assert stated("docs/web.md", r"A search query is at most (\d+) characters") == query_max("/api/search")
