"""Issue 25, filters everywhere, on the command line: `search`, `person` and `export` filter by
kind, acts, speaker, outlet, date range, gender, source type and confidence (one shared filter);
results show each record's article title, outlet and date; a search can be exported; long
lists are paged. The corpus is invented (filter_corpus.py), so every answer is known exactly."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from filter_corpus import ALL, RECORDS, STATEMENTS, build, tag_of
from typer.testing import CliRunner

from quotegraph.cli import app
from quotegraph.corpus import Corpus
from quotegraph.corpus.filtering import FilterError, QuoteFilter


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("filters") / "c.db")


def invoke(db: Path, *args: str):
    return CliRunner().invoke(app, [*args, "--db", str(db)], env={"COLUMNS": "250"})


def searched(db: Path, *args: str) -> set[str]:
    """The tags of the records `search --format json` shows (every shown occurrence of every hit)."""
    res = invoke(db, "search", "--format", "json", "--limit", "50", *args)
    assert res.exit_code == 0, res.output
    return {tag_of(o["text"]) for h in json.loads(res.stdout) for o in h["occurrences"]}


def by(**want) -> set[str]:
    """The tags of the statements whose fields (by RECORDS' position) have these values."""
    pos = {"article": 0, "kind": 1, "act": 2, "speaker": 3, "type": 5}
    return {t for t in STATEMENTS if all(RECORDS[t][pos[k]] in v for k, v in want.items())}


@pytest.mark.parametrize(("args", "expected"), [
    ((), STATEMENTS),
    (("--kind", "direct"), {"dredge", "tariffs", "ferries", "rust", "ledger"}),
    (("--kind", "indirect"), {"costly", "cracks"}),
    (("--kind", "mixed,direct"), {"shortfall", "dredge", "tariffs", "ferries", "rust", "ledger"}),
    (("--acts", "all"), ALL),
    (("--acts", "belief"), {"flood"}),
    (("--acts", "belief,statement"), ALL),
    (("--speaker", "Ana Ruiz"), {"dredge", "ferries"}),
    (("--speaker", "Ruiz", "--acts", "all"), {"dredge", "ferries", "flood"}),
    (("--outlet", "Hill Gazette"), {"shortfall", "tariffs", "ferries"}),
    (("--outlet", "valley"), {"dredge", "costly", "cracks", "rust", "ledger"}),
    (("--since", "2024-06-10"), {"shortfall", "tariffs", "ferries", "cracks", "rust", "ledger"}),
    (("--until", "2024-06-10"), {"dredge", "costly", "shortfall", "tariffs", "ferries"}),
    (("--since", "2024-06-01", "--until", "2024-12-31"), {"shortfall", "tariffs", "ferries"}),
    (("--gender", "female"), {"dredge", "ferries", "cracks"}),
    (("--gender", "male"), {"costly"}),
    (("--gender", "unknown"), {"ledger"}),
    (("--gender", "female", "--acts", "all"), {"dredge", "ferries", "cracks", "flood"}),
    (("--type", "anonymous"), {"shortfall"}),
    (("--type", "document,named_organization"), {"rust", "tariffs"}),
    (("--type", "named_person", "--gender", "male"), {"costly"}),
    (("--min-confidence", "0.8"), {"dredge", "tariffs", "cracks"}),
    (("--min-confidence", "0.8", "--acts", "all"), {"dredge", "tariffs", "cracks", "flood"}),
    (("ferries",), {"tariffs", "ferries"}),
    (("ferries", "--gender", "female"), {"ferries"}),
    (("ferries", "--type", "named_organization"), {"tariffs"}),
])
def test_cli_search_filters(db, args, expected):
    assert searched(db, *args) == expected


def test_the_expected_sets_are_those_of_the_records():
    # the hand-written answers above agree with the corpus's own table (a slip in either shows)
    assert by(kind=("direct",)) == {"dredge", "tariffs", "ferries", "rust", "ledger"}
    assert by(article=("budget",)) == {"shortfall", "tariffs", "ferries"}
    assert by(type=("anonymous",)) == {"shortfall"}


@pytest.mark.parametrize(("args", "message"), [
    (("--kind", "quoted"), "--kind must be one of direct, indirect, mixed"),
    (("--acts", "beliefs"), "--acts must be one of statements, all, statement, belief, intention, knowledge"),
    (("--acts", "all,belief"), "--acts must be one of"),
    (("--gender", "f"), "--gender must be one of female, male, unknown"),
    (("--type", "person"), "--type must be one of named_person, named_organization, document, anonymous"),
    (("--since", "soon"), "--since: cannot read the date 'soon' (use YYYY-MM-DD)"),
    (("--since", "2025-01-01", "--until", "2024-01-01"), "--since (2025-01-01) is after until (2024-01-01)"),
])
def test_cli_search_refuses_a_bad_filter_in_one_line(db, args, message):
    res = invoke(db, "search", *args)
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], res.stderr


def test_the_filter_object_is_the_same_for_every_caller():
    f = QuoteFilter.parse(kind="direct, mixed", gender="FEMALE", type="anonymous", since="2024-01-01",
                          min_confidence="0.5")
    assert (f.kinds, f.genders, f.types, f.min_confidence) == (("direct", "mixed"), ("female",), ("anonymous",), 0.5)
    assert f.params() == {"kind": "direct,mixed", "gender": "female", "type": "anonymous", "since": "2024-01-01",
                          "min_confidence": "0.5"}
    assert QuoteFilter.parse(**f.params()) == f  # a link made of it reads back the same
    with pytest.raises(FilterError, match="min_confidence must be a number from 0 to 1"):
        QuoteFilter.parse(min_confidence="high")


def test_search_table_shows_article_title_outlet_and_date(db):
    res = invoke(db, "search", "cables")
    assert res.exit_code == 0, res.output
    assert "Bridge repairs delayed · Valley Post · 2025-01-20" in res.stdout


def test_search_pages_with_limit_and_offset(db):
    pages = []
    for offset in range(0, 10, 3):
        res = invoke(db, "search", "--format", "json", "--limit", "3", "--offset", str(offset))
        assert res.exit_code == 0, res.output
        pages.append([tag_of(h["text"]) for h in json.loads(res.stdout)])
    flat = [t for p in pages for t in p]
    assert len(STATEMENTS) == 8 and [len(p) for p in pages] == [3, 3, 2, 0]
    assert set(flat) == STATEMENTS and len(flat) == len(STATEMENTS)  # every statement once
    # newest first: the 2025 article's three records lead
    assert set(pages[0]) == {"cracks", "rust", "ledger"}
    assert "more: --offset 3" in invoke(db, "search", "--limit", "3").stdout


def test_search_exports_its_hits_as_csv_and_jsonl(db):
    res = invoke(db, "search", "--format", "csv", "--gender", "female")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {tag_of(r["text"]) for r in rows} == {"dredge", "ferries", "cracks"}
    assert {r["outlet"] for r in rows} == {"Valley Post", "Hill Gazette"}
    res = invoke(db, "search", "ferries", "--format", "jsonl", "--type", "named_organization")
    assert [tag_of(json.loads(line)["text"]) for line in res.stdout.splitlines()] == ["tariffs"]


@pytest.mark.parametrize(("args", "expected"), [
    ((), ALL),  # an export holds every act unless asked
    (("--acts", "statements"), STATEMENTS),
    (("--kind", "mixed"), {"shortfall"}),
    (("--speaker", "Okafor"), {"cracks"}),
    (("--outlet", "Hill Gazette"), {"shortfall", "tariffs", "ferries"}),
    (("--since", "2025-01-01"), {"cracks", "rust", "ledger"}),
    (("--until", "2024-03-05"), {"dredge", "costly", "flood"}),
    (("--gender", "female"), {"dredge", "ferries", "cracks", "flood"}),
    (("--type", "document"), {"rust"}),
    (("--min-confidence", "0.9"), {"dredge", "tariffs"}),
    (("--query", "ferries"), {"tariffs", "ferries"}),
    (("--query", "ferries", "--gender", "female"), {"ferries"}),
])
def test_cli_export_takes_the_same_filters(db, args, expected):
    res = invoke(db, "export", "--format", "csv", *args)
    assert res.exit_code == 0, res.output
    assert {tag_of(r["text"]) for r in csv.DictReader(io.StringIO(res.stdout))} == expected
    res = invoke(db, "export", "--format", "jsonl", *args)
    assert {tag_of(o["text"]) for line in res.stdout.splitlines() for o in json.loads(line)["occurrences"]} == expected


def test_cli_export_refuses_a_bad_filter(db, tmp_path):
    res = invoke(db, "export", "--gender", "women", "--out", str(tmp_path / "x.jsonl"))
    assert res.exit_code == 2 and "--gender must be one of female, male, unknown" in res.stderr
    assert not (tmp_path / "x.jsonl").exists()


def person_said(db: Path, *args: str) -> list[str]:
    res = invoke(db, "person", "Ana Ruiz", "--format", "json", *args)
    assert res.exit_code == 0, res.output
    return [tag_of(o["text"]) for o in json.loads(res.stdout)["said"]]


@pytest.mark.parametrize(("args", "expected"), [
    ((), ["dredge", "flood", "ferries"]),  # every act, in time order
    (("--kind", "direct"), ["dredge", "ferries"]),
    (("--acts", "statements"), ["dredge", "ferries"]),
    (("--acts", "belief"), ["flood"]),
    (("--outlet", "Hill"), ["ferries"]),
    (("--since", "2024-06-01"), ["ferries"]),
    (("--until", "2024-03-31"), ["dredge", "flood"]),
    (("--type", "anonymous"), []),
    (("--type", "named_person"), ["dredge", "flood", "ferries"]),
    (("--min-confidence", "0.5"), ["dredge", "flood"]),
    (("--limit", "1", "--offset", "1"), ["flood"]),
    (("--kind", "direct", "--offset", "1"), ["ferries"]),
])
def test_cli_person_filters_and_pages(db, args, expected):
    assert person_said(db, *args) == expected


def test_person_table_shows_article_title_outlet_and_date_and_what_is_shown(db):
    res = invoke(db, "person", "Ana Ruiz", "--kind", "direct")
    assert res.exit_code == 0, res.output
    assert "Budget gap at the port · Hill Gazette · 2024-06-10" in res.stdout
    assert "shown: 2 of 2 (kind direct)" in res.stdout
    res = invoke(db, "person", "Ana Ruiz", "--gender", "female")
    assert res.exit_code == 2  # a person's own page has no gender or speaker filter: the person is the speaker


def test_corpus_api_takes_gender_and_type(db):
    with Corpus(db) as c:
        hits = c.search("", gender="male", type="named_person")
        assert [tag_of(h["text"]) for h in hits] == ["costly"]
        assert hits[0]["occurrences"][0]["title"] == "Harbour plan splits the council"
        p = c.person("Ana Ruiz", where=QuoteFilter.parse(kind="direct"), limit=1)
        assert [tag_of(o["text"]) for o in p["said"]] == ["dredge"] and p["shown"] == 2
