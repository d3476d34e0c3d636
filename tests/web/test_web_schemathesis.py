"""The API against its own OpenAPI schema: schemathesis generates requests (valid and invalid)
for every operation; no server error, and every response as documented (status code, content
type, body schema). A short budget here (QUOTEGRAPH_FUZZ_EXAMPLES raises it)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from quotegraph.web import create_app

EXAMPLES = int(os.environ.get("QUOTEGRAPH_FUZZ_EXAMPLES", "12"))
# the operations, known without a store (the schema does not depend on one)
OPERATIONS = [(m.upper(), p) for p, ms in create_app(None).openapi()["paths"].items() for m in ms]


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


@pytest.fixture(scope="module")
def writing_schema(store, tmp_path_factory):
    """The corrections (POST /api/people/{id}/...) write to the store: they are fuzzed on a copy
    of it, so that the other tests' store stays as built."""
    import sqlite3

    from quotegraph.web import Settings

    copy = tmp_path_factory.mktemp("fuzz") / "store.db"
    with sqlite3.connect(store) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(copy, settings=Settings(rate_limit=0)))


@pytest.mark.parametrize("method,path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_conforms_to_its_schema(request, method, path):
    writes = method == "POST" and path.startswith("/api/people/")
    op = request.getfixturevalue("writing_schema" if writes else "api_schema")[path][method]
    # /api/extract refuses, with a documented 422, text that the readers find is not text (NUL,
    # control or private-use characters): a content check no JSON Schema can state, so "schema-
    # valid input is accepted" is not asked of it. Every other check still runs on it.
    # A correction's arguments are names and articles of the store: a schema-valid one may name
    # nobody (a documented 404) or be one that cannot be made (a documented 400), likewise.
    excluded = [schemathesis.checks.positive_data_acceptance] if path == "/api/extract" or writes else []

    @given(case=op.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(excluded_checks=excluded)

    check()


def test_every_operation_is_fuzzed():
    assert {p for _, p in OPERATIONS} >= {"/api/extract", "/api/articles", "/api/articles/{key}", "/api/quotes",
                                          "/api/people", "/api/search", "/api/sources"}
