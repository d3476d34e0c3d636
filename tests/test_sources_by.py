"""``quotegraph sources --by``: people and quotes per gender, source type, outlet, month and year,
on an invented corpus whose counts are known by hand."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotegraph.cli import app
from quotegraph.corpus import Corpus, Store
from quotegraph.corpus.store import ItemMeta
from quotegraph.models import Article, Entity, Quote, Speaker

runner = CliRunner()

# Each article: (key, outlet, date, text, records). A record: (quote, speaker as written, entity
# name or None, speaker kind, source type, act).
ARTICLES = [
    ("a1", "Valley Post", "2024-03-05",
     '"The levee will hold through spring," Maria Delgado said. "We have sandbags for every street," Delgado added. '
     '"The pumps are old," Tom Reyes said. "The budget was cut in secret," a senior official said.',
     [("The levee will hold through spring,", "Maria Delgado", "Maria Delgado", "person", "named_person", "statement"),
      ("We have sandbags for every street,", "Delgado", "Maria Delgado", "person", "named_person", "statement"),
      ("The pumps are old,", "Tom Reyes", "Tom Reyes", "person", "named_person", "statement"),
      ("The budget was cut in secret,", "a senior official", None, "unknown", "anonymous", "statement")]),
    ("a2", "Valley Post", "2024-04-10",
     '"Repairs start in May," Maria Delgado said. "Families were not warned," Ana Cruz said. '
     '"The pipeline is safe," Exxon said in a statement.',
     [("Repairs start in May,", "Maria Delgado", "Maria Delgado", "person", "named_person", "statement"),
      ("Families were not warned,", "Ana Cruz", "Ana Cruz", "person", "named_person", "statement"),
      ("The pipeline is safe,", "Exxon", "Exxon", "organization", "named_organization", "statement")]),
    ("a3", "Harbor Times", "2024-03-20",
     '"The harbour needs dredging," Tom Reyes said. "Ferries will run late," Lee Park said. '
     'Tom Reyes believes the council will delay the vote.',
     [("The harbour needs dredging,", "Tom Reyes", "Tom Reyes", "person", "named_person", "statement"),
      ("Ferries will run late,", "Lee Park", "Lee Park", "person", "named_person", "statement"),
      ("the council will delay the vote", "Tom Reyes", "Tom Reyes", "person", "named_person", "belief")]),
    ("a4", "Harbor Times", None,
     '"Nobody asked the fishermen," Ana Cruz said.',
     [("Nobody asked the fishermen,", "Ana Cruz", "Ana Cruz", "person", "named_person", "statement")]),
]
GENDERS = {"Maria Delgado": "female", "Ana Cruz": "female", "Tom Reyes": "male"}  # Lee Park stays unknown


def _article(text: str, records: list[tuple]) -> Article:
    names = list(dict.fromkeys(r[2] for r in records if r[2]))
    kinds = {r[2]: r[3] for r in records if r[2]}
    ents = [Entity(id=f"e{i}", name=n, kind=kinds[n]) for i, n in enumerate(names, 1)]
    ids = {n: f"e{i}" for i, n in enumerate(names, 1)}
    quotes = []
    for i, (content, said, name, kind, stype, act) in enumerate(records, 1):
        s = text.index(content)
        m = text.index(said, s + len(content)) if act == "statement" else text.index(said)
        sp = Speaker(text=said, span=(m, m + len(said)), name=name, entity=ids.get(name), kind=kind, type=stype)
        quotes.append(Quote(id=f"q{i}", kind="direct" if act == "statement" else "indirect", text=content,
                            span=(s, s + len(content)), spans=[(s, s + len(content))], speaker=sp, act=act,
                            confidence=0.9))
    return Article(id="x", text=text, quotes=quotes, entities=ents)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("by") / "c.db"
    with Store(db) as st:
        for key, outlet, date, text, records in ARTICLES:
            st.add_article(ItemMeta(key=key, source=f"{key}.txt", outlet=outlet, published=date),
                           _article(text, records))
    con = sqlite3.connect(db)
    with con:
        for name, gender in GENDERS.items():
            assert con.execute("UPDATE people SET gender=? WHERE name=?", (gender, name)).rowcount == 1
    con.close()
    return db


def _json(db: Path, *args: str) -> list[dict]:
    res = runner.invoke(app, ["sources", "--db", str(db), *args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_by_gender_json(corpus):
    assert _json(corpus, "--by", "gender") == [
        {"gender": "female", "people": 2, "quotes": 5},
        {"gender": "male", "people": 1, "quotes": 2},
        {"gender": "unknown", "people": 1, "quotes": 1},
        {"gender": None, "people": 0, "quotes": 2},  # a senior official, Exxon: not a person
    ]


def test_by_gender_and_month(corpus):
    assert _json(corpus, "--by", "gender", "--by", "month") == [
        {"gender": "female", "month": "2024-03", "people": 1, "quotes": 2},
        {"gender": "female", "month": "2024-04", "people": 2, "quotes": 2},
        {"gender": "female", "month": None, "people": 1, "quotes": 1},
        {"gender": "male", "month": "2024-03", "people": 1, "quotes": 2},
        {"gender": "unknown", "month": "2024-03", "people": 1, "quotes": 1},
        {"gender": None, "month": "2024-03", "people": 0, "quotes": 1},
        {"gender": None, "month": "2024-04", "people": 0, "quotes": 1},
    ]


def test_the_order_of_by_is_the_order_of_keys(corpus):
    rows = _json(corpus, "--by", "outlet", "--by", "gender", "--by", "outlet")
    assert [list(r) for r in rows] == [["outlet", "gender", "people", "quotes"]] * len(rows)
    assert rows[:2] == [{"outlet": "Harbor Times", "gender": "female", "people": 1, "quotes": 1},
                        {"outlet": "Harbor Times", "gender": "male", "people": 1, "quotes": 1}]


def test_by_type_outlet_and_year(corpus):
    assert _json(corpus, "--by", "type", "--by", "outlet") == [
        {"type": "anonymous", "outlet": "Valley Post", "people": 0, "quotes": 1},
        {"type": "named_organization", "outlet": "Valley Post", "people": 0, "quotes": 1},
        {"type": "named_person", "outlet": "Harbor Times", "people": 3, "quotes": 3},
        {"type": "named_person", "outlet": "Valley Post", "people": 3, "quotes": 5},
    ]
    assert _json(corpus, "--by", "year") == [{"year": "2024", "people": 4, "quotes": 9},
                                             {"year": None, "people": 1, "quotes": 1}]


def test_filters_as_search_has_them(corpus):
    # --acts all adds Tom Reyes's belief
    assert _json(corpus, "--by", "gender", "--acts", "all")[1] == {"gender": "male", "people": 1, "quotes": 3}
    assert _json(corpus, "--by", "gender", "--outlet", "Harbor") == [
        {"gender": "female", "people": 1, "quotes": 1}, {"gender": "male", "people": 1, "quotes": 1},
        {"gender": "unknown", "people": 1, "quotes": 1}]
    assert _json(corpus, "--by", "month", "--since", "2024-04-01", "--until", "2024-04-30") == [
        {"month": "2024-04", "people": 2, "quotes": 3}]
    with Corpus(corpus) as c:  # the web app and the API ask the same query
        assert c.source_groups(["gender"], outlet="Harbor") == _json(corpus, "--by", "gender", "--outlet", "Harbor")
        assert c.most_quoted("female") == [{"id": c.most_quoted("female")[0]["id"], "name": "Maria Delgado", "quotes": 3},
                                           {"id": c.most_quoted("female")[1]["id"], "name": "Ana Cruz", "quotes": 2}]
        assert [p["name"] for p in c.most_quoted("male", acts="all")] == ["Tom Reyes"]
        assert c.most_quoted("male", acts="all")[0]["quotes"] == 3


def test_csv_header_and_rows(corpus):
    res = runner.invoke(app, ["sources", "--db", str(corpus), "--by", "gender", "--by", "month", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0] == ["gender", "month", "people", "quotes"]
    assert rows[1] == ["female", "2024-03", "1", "2"]
    assert rows[-1] == ["", "2024-04", "0", "1"]
    assert len(rows) == 8
    plain = list(csv.reader(io.StringIO(runner.invoke(app, ["sources", "--db", str(corpus), "--format", "csv"]).stdout)))
    assert plain[0][:3] == ["outlet", "articles", "quotes"] and len(plain) == 3


def test_table_fits_80_columns(corpus):
    res = runner.invoke(app, ["sources", "--db", str(corpus), "--by", "outlet", "--by", "gender", "--by", "month"],
                        env={"COLUMNS": "80"}, terminal_width=80)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    row = next(line for line in lines if "Valley Post" in line and "2024-04" in line and "female" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["Valley Post", "female", "2024-04", "2", "2"]
    assert any("(not a person)" in line for line in lines)
    assert any("(undated)" in line for line in lines)


def test_without_by_the_outlet_table_stays(corpus):
    rows = _json(corpus)
    assert [(r["outlet"], r["articles"], r["quotes"]) for r in rows] == [("Valley Post", 2, 7), ("Harbor Times", 2, 4)]


def test_bad_input_is_one_line(corpus):
    res = runner.invoke(app, ["sources", "--db", str(corpus), "--by", "colour"])
    assert res.exit_code == 2 and "colour" in res.output
    res = runner.invoke(app, ["sources", "--db", str(corpus), "--by", "month", "--since", "last week"])
    assert res.exit_code == 2 and "cannot read the date 'last week'" in res.output
    res = runner.invoke(app, ["sources", "--db", str(corpus), "--since", "2024-01-01"])
    assert res.exit_code == 2 and "go with --by" in res.output
