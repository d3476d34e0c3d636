"""Hostile and careless input on the read side (issue 21): NUL bytes past the first 64 kB, UTF-16
without a byte-order mark, dates that are not dates, JSON values where text belongs, empty and cut
WARC files, and nesting deep enough to exhaust Python's stack. Each bad input (or field) is named
on one line; the rest of the batch is stored."""

from __future__ import annotations

import gzip
import json
import time

import pytest

import quotegraph
from quotegraph.corpus import Corpus, ingest
from quotegraph.corpus import textnorm as tn
from quotegraph.corpus.sources import iter_items
from quotegraph.errors import InputError
from quotegraph.read.htmlmeta import date_range, iso_date, read_date
from quotegraph.read.readers import decode_bytes, read_path, read_string

QUOTES = ("\u201cWe will rebuild the bridge before winter,\u201d said Mayor Ana Ruiz.\n\n"
          "\u201cThe money is there,\u201d Ruiz told the council. \u201cIt\u2019s time.\u201d\n")
FILLER = "The council met on a grey morning and talked about the roads for a long time.\n\n" * 1000  # ~80 kB


def _rows(path, rows: list) -> None:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")


def _articles(db) -> dict:
    with Corpus(db) as c:
        return {r["given_id"]: dict(r) for r in c.con.execute("SELECT given_id, published, outlet, url FROM articles")}


# ---------------------------------------------------------------- NUL bytes and UTF-16 (item 9)


def test_a_nul_byte_after_the_first_64_kb_is_refused_in_files_strings_and_jsonl(tmp_path):
    text = QUOTES + FILLER + "\x00 and more\n"
    assert text.index("\x00") > 65536
    f = tmp_path / "late-nul.txt"
    f.write_bytes(text.encode("utf-8"))
    with pytest.raises(InputError) as e:
        read_path(f)
    assert str(e.value).startswith(f"{f}: binary data") and f"byte {text.encode().index(0):,}" in str(e.value)
    with pytest.raises(InputError) as e:
        read_string(text, "paste")
    assert str(e.value).startswith("paste: binary data")
    jl = tmp_path / "feed.jsonl"
    _rows(jl, [{"id": "nul", "text": text}, {"id": "ok", "text": QUOTES}])
    rep = ingest([str(jl), str(f)], str(tmp_path / "c.db"), jobs=0)
    assert rep.added == 1 and sorted(s for s, _ in rep.failures) == sorted([f"{jl}:1", str(f)])
    assert all("binary data" in why for _, why in rep.failures)
    assert set(_articles(tmp_path / "c.db")) == {"ok"}


@pytest.mark.parametrize("enc,name", [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")])
def test_utf16_without_a_bom_is_named_with_the_way_to_convert_it(tmp_path, enc, name):
    with pytest.raises(InputError) as e:
        decode_bytes(QUOTES.encode(enc), "wide.txt")
    msg = str(e.value)
    assert msg.startswith("wide.txt: ") and f"looks like {name}" in msg and f"iconv -f {name} -t UTF-8" in msg
    assert "\n" not in msg
    # with its BOM it is simply read
    assert decode_bytes(QUOTES.encode("utf-16"), "bom.txt").text == QUOTES


def test_binary_data_is_not_mistaken_for_utf16():
    with pytest.raises(InputError) as e:
        decode_bytes(b"\x00\x01\x02PNG" * 100, "image.txt")
    assert "binary data" in str(e.value) and "UTF-16" not in str(e.value)


# ---------------------------------------------------------------- dates (item 10)


@pytest.mark.parametrize("value,why", [
    ("0001-01-01T00:00:00+14:00", "out of range"), ("9999-12-31T23:59:59-14:00", "out of range"),
    ("Tuesday", "not a whole date"), ("March 2024", "not a whole date"), ("yesterday", "not a date"),
    ("1" * 5000, "too long"), ("11111111", "out of range"), ("1799-12-31", "out of range"),
    ("2024-02-30", "not a date"), ({"when": "today"}, "a JSON object"), (["2024-03-14"], "a JSON array"),
    (True, "true"), (1e300, "out of range"),
])
def test_dates_not_given_absolutely_and_in_range_are_refused(value, why):
    got = read_date(value)
    assert got.iso is None and why in got.problem
    assert tn.norm_date(value) is None  # and nothing raises


@pytest.mark.parametrize("value,iso", [
    ("2024-03-14", "2024-03-14"), ("2024-03-14T11:30:00+02:00", "2024-03-14T09:30:00"),
    ("2024-03-14T09:30:00Z", "2024-03-14T09:30:00"), ("14 March 2024", "2024-03-14"),
    ("Thu, 14 Mar 2024 09:30:00 GMT", "2024-03-14T09:30:00"), ("20240314", "2024-03-14"),
    (1710408600, "2024-03-14T09:30:00"), ("1800-01-01", "1800-01-01"),
])
def test_absolute_dates_are_read(value, iso):
    assert read_date(value).iso == iso


def test_the_date_range_ends_next_year_for_pages_too():
    last = date_range()[1]
    assert iso_date(f"{last.year}-12-31T10:00:00Z") == f"{last.year}-12-31"
    assert iso_date(f"{last.year + 1}-01-01") is None and iso_date("9999-12-31") is None
    assert iso_date("2024-02-30") is None


def test_odd_dates_keep_the_article_without_a_date_and_warn_naming_the_line(tmp_path):
    jl = tmp_path / "feed.jsonl"
    odd = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "Tuesday", "1" * 5000]
    _rows(jl, [{"id": f"d{i}", "text": QUOTES + f"\n\nPart {i}.", "published": v} for i, v in enumerate(odd)]
          + [{"id": "good", "text": QUOTES, "date": "2024-03-14T11:30:00+02:00"}])
    db = tmp_path / "c.db"
    rep = ingest([str(jl)], str(db), jobs=0)
    assert rep.added == 5 and not rep.failures
    assert [s for s, _ in rep.warnings] == [f"{jl}:{i}" for i in (1, 2, 3, 4)]
    assert all("stored without a date" in w for _, w in rep.warnings)
    arts = _articles(db)
    assert {k: a["published"] for k, a in arts.items()} == {"d0": None, "d1": None, "d2": None, "d3": None,
                                                            "good": "2024-03-14T09:30:00"}


def test_an_out_of_range_date_in_a_page_is_not_a_bug(tmp_path):
    page = ("<html><head><meta property='article:published_time' content='9999-12-31T23:59:59-14:00'></head>"
            "<body><p>" + QUOTES.replace("\n", " ") + "</p></body></html>")
    jl = tmp_path / "pages.jsonl"
    _rows(jl, [{"id": "p", "html": page}])
    rep = ingest([str(jl)], str(tmp_path / "c.db"), jobs=0)
    assert rep.added == 1 and not rep.failures
    assert _articles(tmp_path / "c.db")["p"]["published"] is None


# ---------------------------------------------------------------- JSON values as text fields (item 11)


def test_an_object_or_list_as_a_text_field_is_refused_with_a_warning(tmp_path):
    jl = tmp_path / "feed.jsonl"
    _rows(jl, [{"id": "a", "text": QUOTES, "outlet": {"name": "The Daily"}, "url": ["https://x.example/a"]},
               {"id": 7, "text": QUOTES + "\n\nMore.", "publisher": "The Weekly"}])
    db = tmp_path / "c.db"
    rep = ingest([str(jl)], str(db), jobs=0)
    assert rep.added == 2 and not rep.failures
    assert sorted(rep.warnings) == [(f"{jl}:1", '"outlet" is a JSON object, not a text: ignored'),
                                    (f"{jl}:1", '"url" is a JSON array, not a text: ignored')]
    arts = _articles(db)
    assert "{" not in (arts["a"]["outlet"] or "") and arts["a"]["url"] is None
    assert arts["7"]["outlet"] == "The Weekly"


# ---------------------------------------------------------------- WARC files (item 11)


def test_empty_warc_files_are_reported_like_empty_texts(tmp_path):
    empty_gz, empty_plain, no_records = tmp_path / "a.warc.gz", tmp_path / "b.warc", tmp_path / "c.warc.gz"
    empty_gz.write_bytes(b"")
    empty_plain.write_bytes(b"\r\n")
    no_records.write_bytes(gzip.compress(b""))
    txt = tmp_path / "d.txt"
    txt.write_text(QUOTES)
    items = list(iter_items([str(empty_gz), str(empty_plain), str(no_records), str(txt)]))
    assert [(it.source, (it.error or "")[:11]) for it in items] == [
        (str(empty_gz), "empty input"), (str(empty_plain), "empty input"), (str(no_records), "empty input"),
        (str(txt), "")]
    rep = ingest([str(empty_gz), str(txt)], str(tmp_path / "c.db"), jobs=0)
    assert rep.added == 1 and [s for s, _ in rep.failures] == [str(empty_gz)]


@pytest.mark.parametrize("cut", [b"WARC/1.0\r\nWARC-Type: response", b"WARC/1.0\r\nWARC-Type: resp",
                                 b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 10\r\n"])
def test_a_cut_plain_warc_header_says_what_is_wrong(tmp_path, cut):
    f = tmp_path / "cut.warc"
    f.write_bytes(cut)
    [item] = list(iter_items([str(f)]))
    assert item.source == f"{f}@0" and "header" in item.error
    assert "Error" not in item.error and "NoneType" not in item.error, item.error


# ---------------------------------------------------------------- deep nesting (item 6)


def test_a_deeply_nested_jsonl_line_fails_alone(tmp_path):
    jl = tmp_path / "feed.jsonl"
    _rows(jl, [{"id": "before", "text": QUOTES}, "[" * 100_000 + "]" * 100_000, '{"a": ' * 50_000 + "1" + "}" * 50_000,
               {"id": "after", "text": QUOTES + "\n\nAfter."}])
    txt = tmp_path / "z.txt"
    txt.write_text(QUOTES + "\n\nThe other file.")
    db = tmp_path / "c.db"
    rep = ingest([str(jl), str(txt)], str(db), jobs=0)
    assert rep.added == 3
    assert [s for s, _ in rep.failures] == [f"{jl}:2", f"{jl}:3"]
    assert all("nested too deeply" in why and str(db) not in why for _, why in rep.failures)


def test_deep_json_ld_and_deep_html_still_give_the_quotes():
    n = 100_000
    page = ('<html><head><script type="application/ld+json">' + "[" * n + "]" * n + "</script>"
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": ' + '{"name": ' * 900 + '"x"'
            + "}" * 900 + ', "headline": ' + "[" * 900 + '"h"' + "]" * 900 + "}</script></head><body>"
            + "<div>" * 3000 + "<p>" + QUOTES.replace("\n", " ") + "</p>" + "</div>" * 3000 + "</body></html>")
    art = quotegraph.Extractor().extract(page, format="html")
    assert any(q.text.startswith("We will rebuild the bridge") for q in art.quotes)


# ---------------------------------------------------------------- growth (read side)


def _seconds(fn, *args) -> float:
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t)
    return best


def test_reading_a_hostile_jsonl_line_grows_linearly(tmp_path):
    def read(n: int) -> None:
        for it in iter_items([str(tmp_path / f"f{n}.jsonl")]):
            assert it.error

    for n in (5_000, 20_000):
        _rows(tmp_path / f"f{n}.jsonl", ["[" * n + "]" * n + "x"])  # invalid JSON after deep nesting
    small, large = _seconds(read, 5_000), _seconds(read, 20_000)
    assert large <= 6 * small + 0.01, (small, large)


def test_a_search_bound_may_lie_outside_the_stored_range():
    from quotegraph.corpus.query import date_bound

    assert date_bound("0209-12-21") == "0209-12-21" and date_bound("3000-01-01", upper=True) == "3000-01-01T99"
    with pytest.raises(ValueError):
        date_bound("Tuesday")
