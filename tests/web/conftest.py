"""Fixtures of the web tests (helpers in web_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_support import ARTIFACTS, CHROMIUM_ARGS, LiveServer, build_store, chromium_or_skip, quiet_app


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "store.db")


@pytest.fixture(scope="session")
def app(store):
    return quiet_app(store)  # the whole suite posts through this one app


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def seed_key(store) -> str:
    from quotegraph.corpus import Corpus
    from quotegraph.corpus.views import Views

    with Corpus(store) as c:
        return Views(c).article_meta("seed-article")["key"]


@pytest.fixture(scope="session")
def live(app):
    with LiveServer(app) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser():
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
