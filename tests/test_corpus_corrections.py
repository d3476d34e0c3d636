"""Corrections of the people of a store (issue 25): merge, split, rename, set-gender, logged by
stable keys and re-applied after every ingest; the log exported and imported. Hand-built articles
(no model) for the store, and the real extractor on invented articles for the ingest round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from quotegraph.corpus import Corpus, Store, ingest, snapshot
from quotegraph.corpus.cli import register
from quotegraph.corpus.corrections import CorrectionError, entries, export_log, import_log, replay_after_ingest
from quotegraph.corpus.people_edit import PeopleEditor
from quotegraph.corpus.store import ItemMeta
from quotegraph.models import Addressee, Article, Entity, Quote, Speaker


def art(text: str, said: list[tuple[str, str, str]], people: list[tuple[str, str, list[str]]],
        to: str | None = None) -> Article:
    """said: (quote, speaker as written, entity id); people: (entity id, name, roles); ``to``: the
    entity every quote is addressed to."""
    ents = [Entity(id=eid, name=name, kind="person", roles=roles,
                   mentions=[(text.index(name), text.index(name) + len(name))]) for eid, name, roles in people]
    names = {e.id: e.name for e in ents}
    qs = []
    for i, (quote, speaker, eid) in enumerate(said, 1):
        s = text.index(quote)
        m = text.index(speaker, s + len(quote))
        addr = None
        if to:
            a = text.index(names[to])
            addr = Addressee(text=names[to], span=(a, a + len(names[to])), entity=to)
        qs.append(Quote(id=f"q{i}", kind="direct", text=quote, span=(s, s + len(quote)), spans=[(s, s + len(quote))],
                        speaker=Speaker(text=speaker, span=(m, m + len(speaker)), name=names[eid], entity=eid,
                                        kind="person"), addressee=addr, confidence=0.9))
    return Article(id="x", text=text, quotes=qs, entities=ents)


ARTICLES = {
    "a1": art('Robert Okafor met Lena Brandt at the port. "The port will reopen in May," Robert Okafor told Lena Brandt.',
              [("The port will reopen in May,", "Robert Okafor", "e1")],
              [("e1", "Robert Okafor", ["harbour master"]), ("e2", "Lena Brandt", [])], to="e2"),
    "a2": art('"Tolls will stay as they are," said Bob Okafor, speaking for the port.',
              [("Tolls will stay as they are,", "Bob Okafor", "e1")], [("e1", "Bob Okafor", ["port chief"])]),
    "a3": art('Lena Brandt chairs the council. "We will not raise the rates," said Lena Brandt.',
              [("We will not raise the rates,", "Lena Brandt", "e1")], [("e1", "Lena Brandt", ["council chair"])]),
    "a4": art('Magdalena Brandt of the west ward spoke. "The ward needs a clinic," said Magdalena Brandt.',
              [("The ward needs a clinic,", "Magdalena Brandt", "e1")], [("e1", "Magdalena Brandt", [])]),
}
LATER = {
    "b1": art('"We are hiring forty dockers," Bob Okafor said on Friday.',
              [("We are hiring forty dockers,", "Bob Okafor", "e1")], [("e1", "Bob Okafor", [])]),
    "b2": art('Magdalena Brandt visited the clinic site. "It opens in June," said Magdalena Brandt.',
              [("It opens in June,", "Magdalena Brandt", "e1")], [("e1", "Magdalena Brandt", [])]),
}


def add_all(store: Store, arts: dict[str, Article]) -> None:
    for key, a in arts.items():
        store.add_article(ItemMeta(key=key, source=f"{key}.txt"), a)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "c.db"
    with Store(path) as s:
        add_all(s, ARTICLES)
    return path


def edit(db: Path, fn):
    with Store(db) as s:
        return fn(PeopleEditor(s))


def reingest(db: Path, arts: dict[str, Article]) -> None:
    """What an ingest run does to the store: its articles (those stored already are skipped), then the log."""
    with Store(db) as s:
        with s.transaction():
            add_all(s, arts)
            replay_after_ingest(s)


def person(db: Path, name: str) -> dict:
    with Corpus(db) as c:
        return c.person(name)


def keys(db: Path) -> set[str]:
    return {p[0] for p in snapshot(db)["people"]}


def test_merge_moves_everything_and_the_others_are_gone(db):
    bob = person(db, "Bob Okafor")
    res = edit(db, lambda ed: ed.merge("Robert Okafor", ["Bob Okafor"]))
    assert res["key"] == "p:robert okafor" and "p:bob okafor" not in keys(db)
    p = person(db, "Robert Okafor")
    assert {o["text"] for o in p["said"]} == {"The port will reopen in May,", "Tolls will stay as they are,"}
    assert {"Bob Okafor", "Robert Okafor"} <= set(p["aliases"])
    assert {r["role"] for r in p["roles"]} == {"harbour master", "port chief"}
    assert p["articles"] == 2
    assert person(db, "Bob Okafor")["id"] == p["id"] == res["id"] != bob["id"]  # the old name finds the merged person
    with Corpus(db) as c:
        # the quote's speaker is the merged person (its name as the article wrote it stays)
        assert [(h["speaker"]["person"], h["speaker"]["name"]) for h in c.search("tolls")] == [(p["id"], "Bob Okafor")]
        with pytest.raises(LookupError):
            c.person(str(bob["id"]))
    [log] = edit(db, lambda ed: entries(ed.con))
    assert (log["op"], log["args"]) == ("merge", {"into": "p:robert okafor", "name": "Robert Okafor",
                                                  "others": ["p:bob okafor"]})


def test_merge_moves_addressees_too(db):
    edit(db, lambda ed: ed.merge("Magdalena Brandt", ["Lena Brandt"]))
    p = person(db, "Lena Brandt")
    assert p["key"] == "p:magdalena brandt" and "p:lena brandt" not in keys(db)
    assert [o["text"] for o in p["addressed"]] == ["The port will reopen in May,"]
    assert len(p["said"]) == 2


def test_a_merge_survives_a_reingest_and_new_mentions_join_it(db):
    edit(db, lambda ed: ed.merge("Robert Okafor", ["Bob Okafor"]))
    merged = snapshot(db)
    reingest(db, ARTICLES)  # the same articles again: nothing changes
    assert snapshot(db) == merged
    reingest(db, {**ARTICLES, **LATER})  # a new article names "Bob Okafor" in full: a new person, merged at once
    assert "p:bob okafor" not in keys(db)
    p = person(db, "Robert Okafor")
    assert "We are hiring forty dockers," in {o["text"] for o in p["said"]} and p["articles"] == 3
    again = snapshot(db)
    reingest(db, {**ARTICLES, **LATER})
    assert snapshot(db) == again  # re-applying the log is idempotent


def test_a_merge_chain_replays_in_order(db):
    edit(db, lambda ed: ed.merge("Robert Okafor", ["Bob Okafor"]))
    edit(db, lambda ed: ed.merge("Lena Brandt", ["Robert Okafor"]))  # (a wrong merge, but a chain all the same)
    reingest(db, LATER)  # "Bob Okafor" again: merged into Robert Okafor, who is no more, so into Lena Brandt
    assert not keys(db) & {"p:bob okafor", "p:robert okafor"}
    assert "We are hiring forty dockers," in {o["text"] for o in person(db, "Lena Brandt")["said"]}


def test_split_by_article_moves_its_mentions_to_a_new_person(db):
    res = edit(db, lambda ed: ed.split("Lena Brandt", into="Lena Brandt-Holm", articles=["a3"]))
    assert res["key"] == "p:lena brandt-holm"
    new, old = person(db, str(res["id"])), person(db, "Lena Brandt")
    assert [o["text"] for o in new["said"]] == ["We will not raise the rates,"]
    assert [r["role"] for r in new["roles"]] == ["council chair"]
    assert old["said"] == [] and [o["text"] for o in old["addressed"]] == ["The port will reopen in May,"]
    after = snapshot(db)
    reingest(db, ARTICLES)
    assert snapshot(db) == after


def test_split_by_alias_moves_what_is_written_so_and_takes_the_alias_off(db):
    edit(db, lambda ed: ed.merge("Lena Brandt", ["Magdalena Brandt"]))
    assert "Magdalena Brandt" in person(db, "Lena Brandt")["aliases"]
    res = edit(db, lambda ed: ed.split("Lena Brandt", into="Lena Brandt of the west ward",
                                       aliases=["Magdalena Brandt"]))
    lena = person(db, "Lena Brandt")
    assert "Magdalena Brandt" not in lena["aliases"]
    assert [o["text"] for o in person(db, str(res["id"]))["said"]] == ["The ward needs a clinic,"]
    reingest(db, LATER)  # a new "Magdalena Brandt": merged into Lena Brandt, then split off again
    moved = person(db, str(res["id"]))
    assert {o["text"] for o in moved["said"]} == {"The ward needs a clinic,", "It opens in June,"}
    assert "Magdalena Brandt" not in person(db, "Lena Brandt")["aliases"]


def test_rename_shows_the_new_name_and_keeps_the_articles_name(db):
    edit(db, lambda ed: ed.rename("Bob Okafor", "Robert 'Bob' Okafor"))
    p = person(db, "Bob Okafor")
    assert p["name"] == "Robert 'Bob' Okafor" and p["key"] == "p:bob okafor"
    assert person(db, "Robert 'Bob' Okafor")["id"] == p["id"]  # the new name finds it (an alias)
    reingest(db, LATER)  # a new article writing "Bob Okafor" lands on it, and the name stays
    p = person(db, "Bob Okafor")
    assert p["name"] == "Robert 'Bob' Okafor" and len(p["said"]) == 2
    with pytest.raises(CorrectionError, match="another person"):
        edit(db, lambda ed: ed.rename("Bob Okafor", "Lena Brandt"))


def gender(db: Path, key: str) -> tuple[str, str | None]:
    with Store(db) as s:
        return s.con.execute("SELECT gender, gender_evidence FROM people WHERE key=?", (key,)).fetchone()


def test_set_gender_survives_a_reingest_whatever_the_ingest_computed(db):
    edit(db, lambda ed: ed.set_gender("Lena Brandt", "female"))
    assert gender(db, "p:lena brandt") == ("female", "correction")
    with Store(db) as s:  # an ingest's own guess overwriting it (as a gender stage that ignored corrections would)
        with s.transaction():
            s.con.execute("UPDATE people SET gender='male', gender_evidence='name' WHERE key='p:lena brandt'")
    reingest(db, LATER)
    assert gender(db, "p:lena brandt") == ("female", "correction")
    edit(db, lambda ed: ed.merge("Magdalena Brandt", ["Lena Brandt"]))  # the merged person takes it
    assert gender(db, "p:magdalena brandt") == ("female", "correction")


def test_export_import_round_trip_into_a_fresh_store(db, tmp_path):
    edit(db, lambda ed: ed.merge("Robert Okafor", ["Bob Okafor"]))
    edit(db, lambda ed: ed.split("Lena Brandt", into="Lena Brandt-Holm", articles=["a3"]))
    edit(db, lambda ed: ed.rename("Robert Okafor", "Rob Okafor"))
    edit(db, lambda ed: ed.set_gender("Rob Okafor", "male"))
    log = tmp_path / "log.jsonl"
    with Store(db) as s:
        assert export_log(s.con, log) == 4
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert [x["op"] for x in lines] == ["merge", "split", "rename", "set-gender"]
    assert "p:" in json.dumps(lines) and not any(isinstance(v, int) for x in lines for v in x["args"].values())
    fresh = tmp_path / "fresh.db"
    with Store(fresh) as s:
        add_all(s, ARTICLES)
        res = import_log(s, log)
    assert (res.added, res.already, res.changed) == (4, 0, 4)
    assert snapshot(fresh) == snapshot(db)
    assert gender(fresh, "p:robert okafor") == ("male", "correction")
    with Store(fresh) as s:
        again = import_log(s, log)  # the same log again: nothing added, nothing changed
    assert (again.added, again.already, again.changed) == (0, 4, 0) and snapshot(fresh) == snapshot(db)


def cli(args: list[str]):
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, args)


@pytest.mark.parametrize("args, message", [
    (["merge", "Okafor", "Lena Brandt"], "'Okafor' fits 2 people (1: Robert Okafor; 3: Bob Okafor): give the full name or the id"),
    (["merge", "Robert Okafor", "Nobody Here"], "no person named 'Nobody Here' in the store"),
    (["merge", "Robert Okafor", "Robert Okafor"], "'Robert Okafor' is 'Robert Okafor' already"),
    (["merge", "Robert Okafor", "999"], "no person with id 999"),
    (["split", "Lena Brandt", "--article", "zz"], "say who the articles' mentions are"),
    (["split", "Lena Brandt", "--into", "X Y", "--article", "zz"], "no article 'zz' in the store"),
    (["split", "Lena Brandt", "--into", "X Y", "--article", "a2"], "'Lena Brandt' is not in article 'a2'"),
    (["split", "Lena Brandt", "--alias", "Bob"], "'Bob' is not a name of 'Lena Brandt'"),
    (["split", "Lena Brandt", "--into", "Lena Brandt", "--article", "a3"], "is the person split"),
    (["rename", "Lena Brandt", "   "], "the new name is empty"),
    (["rename", "Lena Brandt", "Bob Okafor"], "is the name of another person"),
    (["set-gender", "Lena Brandt", "feminine"], "feminine"),
])
def test_bad_calls_give_one_line_and_change_nothing(db, args, message):
    before = snapshot(db)
    res = cli(["people", *args, "--db", str(db)])
    assert res.exit_code in (1, 2), res.output
    assert message in " ".join(res.output.split()), res.output
    if args[0] != "set-gender":  # (Typer's own usage error for a choice is a box, not our line)
        assert len(res.output.strip().splitlines()) == 1, res.output
    assert snapshot(db) == before
    with Store(db) as s:
        assert entries(s.con) == []


def test_the_commands_on_the_command_line(db, tmp_path):
    ok = lambda args: cli(["people", *args, "--db", str(db)])  # noqa: E731
    r = ok(["merge", "Robert Okafor", "Bob Okafor"])
    assert r.exit_code == 0 and "merged 1 person into Robert Okafor" in r.output
    assert ok(["set-gender", "Robert Okafor", "male"]).exit_code == 0
    assert ok(["rename", "Robert Okafor", "Rob Okafor"]).exit_code == 0
    r = ok(["split", "Lena Brandt", "--into", "Lena Brandt-Holm", "--article", "a3"])
    assert r.exit_code == 0 and "split 1 article off p:lena brandt" in r.output, r.output
    log = tmp_path / "log.jsonl"
    assert ok(["corrections", "export", str(log)]).exit_code == 0
    assert len(log.read_text().splitlines()) == 4
    assert cli(["person", "Rob Okafor", "--db", str(db), "-f", "json"]).exit_code == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text(log.read_text() + '{"op": "merge", "args": {"into": "p:x"}}\n')
    r = ok(["corrections", "import", str(bad)])
    assert r.exit_code == 1 and f"{bad}:5: merge: 'name' is missing" in " ".join(r.output.split())
    assert cli(["people", "merge", "A B", "C D", "--db", str(tmp_path / "none.db")]).output.count("no such corpus store") == 1


# ------------------------------------------------------------------ the real ingest, end to end

OKAFOR = {
    "a1.txt": 'Robert Okafor, the harbour master, spoke to reporters on Monday.\n\n"The port will reopen in May," Okafor said.\n',
    "a2.txt": 'The toll plan was discussed at the council on Tuesday.\n\n'
              '"Tolls will stay as they are," said Bob Okafor, the harbour master.\n',
}
NEW = {"a3.txt": 'Dock work resumed on Friday after a long winter.\n\n'
                 '"We are hiring forty dockers this year," Bob Okafor told reporters.\n'}


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_acceptance_a_merge_survives_a_reingest(tmp_path, engine):
    if engine == "dask":
        pytest.importorskip("distributed")
        pytest.importorskip("pyarrow")
    db = tmp_path / "c.db"
    old, new = write(tmp_path / "old", OKAFOR), write(tmp_path / "new", NEW)
    kw = {"jobs": 0} if engine == "local" else {}

    def run(paths):
        if engine == "local":
            return ingest([str(p) for p in paths], str(db), **kw)
        from quotegraph.corpus.engine import ingestor

        ing, _ = ingestor(str(db), "dask", workers=1, processes=False)
        return ing.run([str(p) for p in paths])

    assert run([old]).added == 2
    assert {"p:robert okafor", "p:bob okafor"} <= keys(db)
    r = cli(["people", "merge", "Robert Okafor", "Bob Okafor", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert cli(["people", "set-gender", "Robert Okafor", "male", "--db", str(db)]).exit_code == 0
    rep = run([old, new])
    assert (rep.added, rep.skipped) == (1, 2) and rep.corrected == 1  # the merge, over the new article's "Bob Okafor"
    assert "p:bob okafor" not in keys(db)
    p = person(db, "Bob Okafor")
    assert p["key"] == "p:robert okafor"
    assert {o["text"] for o in p["said"]} == {"The port will reopen in May,", "Tolls will stay as they are,",
                                              "We are hiring forty dockers this year,"}
    assert gender(db, "p:robert okafor") == ("male", "correction")
