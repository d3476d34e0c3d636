"""The HTML reader on the real pages in ../shared/datasets/webpages (skipped when absent).

Only counts and generic properties are asserted; nothing from the pages is kept here."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotegraph.read.html import html_to_layout
from quotegraph.read.readers import read_path

PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "webpages"
pytestmark = pytest.mark.skipif(not PAGES.is_dir(), reason="../shared/datasets/webpages not present")


@pytest.fixture(scope="module")
def layouts():
    return {p.name: html_to_layout(read_path(str(p)).content, str(p)) for p in sorted(PAGES.glob("*.html"))}


def test_every_page_gives_text_and_most_give_authors_date_publisher(layouts):
    n = len(layouts)
    assert n >= 30
    assert all(lay.text.strip() for lay in layouts.values())
    # measured: 26 of 33 with authors (the others name only "Staff ..." or an organisation, as the
    # hand-checked labels of eval/metadata/gold.json have it: tests/test_eval_metadata.py), 33 with a
    # date, 33 with a publisher
    assert sum(bool(lay.authors) for lay in layouts.values()) >= n - 8
    assert sum(bool(lay.date) for lay in layouts.values()) >= n - 1
    assert sum(bool(lay.publisher) for lay in layouts.values()) >= n - 1


def test_no_script_code_roles_or_urls_in_the_metadata_and_text(layouts):
    for name, lay in layouts.items():
        assert "<script" not in lay.text and '"@context"' not in lay.text, name
        for a in lay.authors:
            assert "http" not in a and "@" not in a and not any(c.isdigit() for c in a), (name, a)
            assert a.split()[-1].casefold() not in {"writer", "reporter", "staff", "reports", "desk"}, (name, a)
        assert lay.publisher is None or not lay.publisher.startswith("http"), name
        if lay.title and lay.publisher:
            assert not lay.title.endswith(" " + lay.publisher), name
