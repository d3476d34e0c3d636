"""Fixtures shared by test files that do not define their own."""

from __future__ import annotations

import pytest

from quotegraph import Extractor, Options
from quotegraph.pipeline.nlp import load_model


@pytest.fixture  # per test: mutmut credits a test with the functions its own setup and call ran
def ex():
    """An extractor that keeps PARC's full set of records (``acts="all"``: beliefs, intentions,
    quotations without a source too), otherwise with the default options (the spaCy model is
    loaded once and cached). The default output's choice of records is tested in test_acts.py."""
    return Extractor(Options(acts="all"), nlp=load_model())


@pytest.fixture
def site():
    """An invented news site served on 127.0.0.1 (tests/local_site.py), for the fetching tests."""
    from local_site import Site

    s = Site()
    yield s
    s.close()
