"""People across articles: full names, surnames and first names linked, re-linked, kept idempotent
and crash-safe (hand-built Article objects: no model needed)."""

from __future__ import annotations

import sqlite3

import pytest

from quotegraph.corpus import Corpus, Store, snapshot
from quotegraph.corpus.linking import PeopleLinker
from quotegraph.corpus.relinking import Relinker
from quotegraph.corpus.store import ItemMeta
from quotegraph.models import Article, Entity, Quote, Speaker


def art(text: str, said: list[tuple[str, str, str]], people: list[tuple[str, str, list[str]]] = ()) -> Article:
    """said: (quote text, speaker as written, entity id); people: (entity id, name, roles) of kind person,
    or (entity id, "org:NAME", roles) for an organisation. Mentions: every place the name is written."""
    ents = []
    for eid, name, roles in people:
        kind = "person"
        if name.startswith("org:"):
            kind, name = "organization", name[4:]
        last = name.split()[-1]
        mentions = []
        i = text.find(last)
        while i >= 0:
            mentions.append((i, i + len(last)))
            i = text.find(last, i + 1)
        ents.append(Entity(id=eid, name=name, kind=kind, roles=roles, mentions=mentions))
    kinds = {e.id: e.kind for e in ents}
    names = {e.id: e.name for e in ents}
    qs = []
    for i, (quote, speaker, eid) in enumerate(said, 1):
        s = text.index(quote)
        m = text.index(speaker, s + len(quote)) if speaker in text[s + len(quote):] else text.index(speaker)
        sp = Speaker(text=speaker, span=(m, m + len(speaker)), name=names.get(eid), entity=eid,
                     kind=kinds.get(eid, "person"))
        qs.append(Quote(id=f"q{i}", kind="direct", text=quote, span=(s, s + len(quote)), spans=[(s, s + len(quote))],
                        speaker=sp, confidence=0.9))
    return Article(id="x", text=text, quotes=qs, entities=ents)


def bare(quote: str, written: str = "Okafor", roles=()) -> Article:
    """An article that calls its speaker by one name only."""
    return art(f'"{quote}," {written} said on Tuesday.', [(quote, written, "e1")], [("e1", written, list(roles))])


def full(quote: str, name: str = "Grace Okafor") -> Article:
    """An article that names its speaker in full, then by surname."""
    last = name.split()[-1]
    return art(f'{name} spoke first. "{quote}," {last} said.', [(quote, last, "e1")], [("e1", name, [])])


def add(store: Store, key: str, article: Article, published: str | None = None):
    return store.add_article(ItemMeta(key=key, source=f"{key}.txt", published=published), article)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "c.db"


@pytest.fixture
def store(db):
    s = Store(db)
    yield s
    s.close()


def speakers(db) -> dict[str, str]:
    """quote text -> the key of the person its occurrence is stored on."""
    return {o[3]: o[7] for o in snapshot(db)["occurrences"]}


def test_name_keys_for_people_across_articles():
    from quotegraph.corpus import textnorm as tn
    from quotegraph.corpus.linking import gender_of, short_token

    assert tn.name_key("a Mitt Romney") == tn.name_key("Mitt Romney") == "mitt romney"
    assert tn.display_name("a Mitt Romney") == "Mitt Romney"
    assert tn.name_key("Donald Trump's") == "donald trump"
    # one word, or a surname with its particles, is a short name; a first name + surname is not
    assert [short_token(n) for n in ("Mr. Trump", "Sen. Kaine", "Trump’s", "de Blasio", "De Blasio", "bin Laden")] == [
        "trump", "kaine", "trump", "blasio", "blasio", "laden"]
    assert [short_token(n) for n in ("Van Jones", "Al Gore", "Bill de Blasio", "I", "he")] == [None] * 5
    assert tn.is_title("judge") and not tn.is_title("okafor")
    text = "Mrs. Clinton met Mr. Obama and MS. Lee"
    assert [gender_of([], text, [(text.index(w), 0)]) for w in ("Clinton", "Obama", "Lee")] == ["f", "m", "f"]
    assert gender_of(["Mr. Okafor", "Mrs. Okafor"]) is None and gender_of(["Okafor"]) is None


def test_one_full_name_is_one_person_in_every_article(store, db):
    add(store, "a1", full("The port will reopen in May"))
    add(store, "a2", art('"Tolls stay as they are," said Gov. Grace Okafor.', [("Tolls stay as they are,", "Gov. Grace Okafor", "e1")],
                         [("e1", "Gov. Grace Okafor", ["Governor"])]))
    add(store, "a3", art('"No new taxes," GRACE OKAFOR told the crowd.', [("No new taxes,", "GRACE OKAFOR", "e1")],
                         [("e1", "GRACE OKAFOR", [])]))
    people = {p[0]: p for p in snapshot(db)["people"]}
    assert set(people) == {"p:grace okafor"}
    assert people["p:grace okafor"][4] == 3  # named in full in three articles
    assert set(speakers(db).values()) == {"p:grace okafor"}


def test_one_word_answers_the_most_quoted_fit_even_over_a_surname_only_entry(store, db):
    # two Lindqvists named once each: a bare "Lindqvist" is neither likely enough, and stays itself
    add(store, "k1", art('Karin Lindqvist opened the hall. "Welcome," Karin said. "Sit down," she said. '
                         '"Enjoy it," said Karin.',
                         [("Welcome,", "Karin", "e1"), ("Sit down,", "Karin", "e1"), ("Enjoy it,", "Karin", "e1")],
                         [("e1", "Karin Lindqvist", [])]))
    add(store, "a1", full("The lecture is full", "Anders Lindqvist"))
    add(store, "x1", bare("Nobody knows me yet", "Lindqvist"))
    add(store, "x2", bare("Nobody knows me still", "Lindqvist"))
    assert "p:lindqvist" in {p[0] for p in snapshot(db)["people"]}
    with Corpus(db) as c:
        p = c.person("Lindqvist")  # the entry keyed "lindqvist" has 2 quotes, Karin Lindqvist 3
        assert (p["name"], p["quotes"]) == ("Karin Lindqvist", 3)
        assert [(o["key"], o["quotes"]) for o in p["others"]] == [("p:lindqvist", 2), ("p:anders lindqvist", 1)]
        assert c.person("Anders Lindqvist")["name"] == "Anders Lindqvist"  # a full name: that person


def test_a_surname_beside_its_full_name_in_the_article_is_that_person(store, db):
    # the article's resolution left "Okafor" as an entity of its own: its full name is in the text
    a = art('Grace Okafor opened the port. "It is a new start," Okafor said. Okafor smiled.',
            [("It is a new start,", "Okafor", "e2")], [("e1", "Grace Okafor", []), ("e2", "Okafor", [])])
    add(store, "a1", a)
    snap = snapshot(db)
    assert {p[0] for p in snap["people"]} == {"p:grace okafor"}
    assert snap["person_links"] == {("a1", "e2", "Okafor", "okafor", "p:grace okafor", 0.95, "article")}
    assert speakers(db) == {"It is a new start,": "p:grace okafor"}


def test_surname_alone_is_merged_into_the_full_name_when_a_later_article_gives_it(store, db):
    add(store, "a1", bare("We will need more ferries", "Okafor", roles=["harbour master"]), "2024-01-01")
    add(store, "a2", bare("The ferries are late again", "Sen. Okafor"), "2024-01-02")
    snap = snapshot(db)
    # before anybody is named in full: one surname-only person for both articles
    assert {p[0] for p in snap["people"]} == {"p:okafor"}
    assert {(l[0], l[4], l[6]) for l in snap["person_links"]} == {("a1", "p:okafor", "alone"), ("a2", "p:okafor", "alone")}
    add(store, "a3", full("The port will reopen in May"), "2024-02-01")
    snap = snapshot(db)
    assert {p[0] for p in snap["people"]} == {"p:grace okafor"}  # merged: the surname-only entry is gone
    assert {(l[0], l[4], l[6]) for l in snap["person_links"]} == {("a1", "p:grace okafor", "store"),
                                                                    ("a2", "p:grace okafor", "store")}
    assert set(speakers(db).values()) == {"p:grace okafor"}
    grace = next(p for p in snap["people"] if p[0] == "p:grace okafor")
    assert {"Okafor", "Sen. Okafor", "Grace Okafor"} <= grace[5]  # aliases came along
    assert ("a1", "harbour master") in grace[6]  # and the roles, with their article
    with Corpus(db) as c:
        g = c.person("Okafor")
        assert g["name"] == "Grace Okafor" and g["others"] == []
        assert [o["text"] for o in g["said"]] == ["We will need more ferries", "The ferries are late again",
                                                  "The port will reopen in May"]
        assert {(s["article"], s["method"]) for s in g["short_names"]} == {("a1", "store"), ("a2", "store")}
        [hit] = c.search("ferries late")
        assert hit["speaker"]["person"] == g["id"]  # the quote's own speaker moved too


def test_an_ambiguous_surname_goes_to_the_likelier_holder_and_moves_when_the_balance_turns(store, db):
    add(store, "g1", full("The port will reopen in May"))
    add(store, "g2", full("The tolls stay"))
    add(store, "d1", full("The league needs a new stadium", "Daniel Okafor"))
    add(store, "b1", bare("We were robbed by the referee"))
    snap = snapshot(db)
    # Grace is named in full in two articles, Daniel in one; one share is left for an Okafor the
    # store does not know
    assert snap["person_links"] == {("b1", "e1", "Okafor", "okafor", "p:grace okafor", 0.5, "store")}
    assert snap["person_alternatives"] == {("b1", "e1", "p:daniel okafor", 0.25)}
    add(store, "d2", full("The stadium will be ready", "Daniel Okafor"))
    assert {l[4] for l in snapshot(db)["person_links"]} == {"p:grace okafor"}  # a tie: stays where it is
    add(store, "d3", full("We play at home in June", "Daniel Okafor"))
    snap = snapshot(db)
    assert snap["person_links"] == {("b1", "e1", "Okafor", "okafor", "p:daniel okafor", 0.5, "store")}
    assert snap["person_alternatives"] == {("b1", "e1", "p:grace okafor", 0.3333)}
    assert speakers(db)["We were robbed by the referee"] == "p:daniel okafor"
    with Corpus(db) as c:
        d = c.person("Okafor")  # the Okafor with most quotes answers; the other is listed
        assert d["name"] == "Daniel Okafor" and [o["name"] for o in d["others"]] == ["Grace Okafor"]
        [link] = d["short_names"]
        assert link["alternatives"] == [{"person": d["others"][0]["id"], "name": "Grace Okafor", "confidence": 0.3333}]


def test_one_name_of_an_article_moves_without_its_others(store, db):
    add(store, "g1", full("The port will reopen in May"))
    add(store, "g2", full("The tolls stay"))
    # no full name here: "Okafor" and "Grace" both go to Grace Okafor through the store
    a = art('"The ferries are back," Okafor said. "I will run again," Grace said.',
            [("The ferries are back,", "Okafor", "e1"), ("I will run again,", "Grace", "e2")],
            [("e1", "Okafor", []), ("e2", "Grace", [])])
    add(store, "b1", a)
    assert set(speakers(db).values()) == {"p:grace okafor"}
    for i in range(3):  # Daniel Okafor becomes the likelier Okafor; Grace stays the likelier Grace
        add(store, f"d{i}", full(f"Match {i} is at home", "Daniel Okafor"))
    sp = speakers(db)
    assert sp["The ferries are back,"] == "p:daniel okafor" and sp["I will run again,"] == "p:grace okafor"
    links = {(l[1], l[4]) for l in snapshot(db)["person_links"] if l[0] == "b1"}
    assert links == {("e1", "p:daniel okafor"), ("e2", "p:grace okafor")}


def titled(quote: str, name: str, title: str) -> Article:
    """An article naming its speaker in full, then by title + surname."""
    last = name.split()[-1]
    a = art(f'{name} spoke first. "{quote}," {title} {last} said.', [(quote, f"{title} {last}", "e1")],
            [("e1", name, [])])
    a.entities[0].aliases = [f"{title} {last}"]
    return a


def test_a_gendered_title_goes_to_the_holder_of_that_title(store, db):
    for i in range(3):
        add(store, f"d{i}", titled(f"Match {i} is at home", "Daniel Okafor", "Mr."))
    add(store, "g1", titled("The port will reopen in May", "Grace Okafor", "Mrs."))
    add(store, "g2", titled("The tolls stay", "Grace Okafor", "Mrs."))
    add(store, "b1", bare("The ferries are late again", "Mrs. Okafor"))
    add(store, "b2", bare("We were robbed by the referee", "Mr. Okafor"))
    add(store, "b3", bare("No comment on the transfer"))
    sp = speakers(db)
    assert sp["The ferries are late again"] == "p:grace okafor"  # though Daniel is named more often
    assert sp["We were robbed by the referee"] == "p:daniel okafor"
    assert sp["No comment on the transfer"] == "p:daniel okafor"
    assert snapshot(db)["person_link_genders"] == {("b1", "e1", "f"), ("b2", "e1", "m")}
    # and a "Mrs." that came before anyone was known as "Mrs." moves when one is
    add(store, "b4", bare("The harbour needs dredging", "Ms. Lindqvist"))
    for i in range(2):
        add(store, f"l{i}", titled(f"Lecture {i} is full", "Anders Lindqvist", "Mr."))
    assert speakers(db)["The harbour needs dredging"] == "p:lindqvist"  # only a Mr. Lindqvist is known
    add(store, "k1", titled("The archive opens", "Karin Lindqvist", "Ms."))
    assert speakers(db)["The harbour needs dredging"] == "p:lindqvist"  # one article: not yet likely enough
    add(store, "k2", titled("The archive closes", "Karin Lindqvist", "Ms."))
    assert speakers(db)["The harbour needs dredging"] == "p:karin lindqvist"


def test_two_holders_in_one_article_the_one_it_mentions_most(store, db):
    a = art('Grace Okafor and Daniel Okafor met. Grace Okafor spoke for Grace Okafor alone. '
            '"We agree on the port," Okafor said.',
            [("We agree on the port,", "Okafor", "e3")],
            [("e1", "Grace Okafor", []), ("e2", "Daniel Okafor", []), ("e3", "Okafor", [])])
    a.entities[1].mentions = a.entities[1].mentions[:1]
    add(store, "a1", a)
    snap = snapshot(db)
    [(_, _, _, _, who, conf, method)] = snap["person_links"]
    assert (who, method) == ("p:grace okafor", "article") and 0.5 < conf < 0.95
    [(_, _, alt, alt_conf)] = snap["person_alternatives"]
    assert alt == "p:daniel okafor" and alt_conf < conf


def test_a_titled_surname_goes_to_the_namesake_an_article_gave_the_title(store, db):
    # Grace Okafor is named more often, in this article and in the store; Daniel Okafor is the
    # one an article called mayor: 'Mayor Okafor' and its alias are his
    for i in range(3):
        add(store, f"g{i}", full(f"The port {i} will reopen in May"))
    add(store, "m1", art("Mayor Daniel Okafor opened the bridge.", [], [("e1", "Daniel Okafor", ["Mayor"])]))
    a = art('Grace Okafor and Daniel Okafor met. Grace Okafor spoke for Grace Okafor alone. '
            '"We agree on the port," Mayor Okafor said.',
            [("We agree on the port,", "Mayor Okafor", "e3")],
            [("e1", "Grace Okafor", []), ("e2", "Daniel Okafor", []), ("e3", "Okafor", ["Mayor"])])
    a.entities[2].aliases = ["Mayor Okafor"]
    add(store, "a1", a)
    assert speakers(db)["We agree on the port,"] == "p:daniel okafor"
    with sqlite3.connect(db) as con:
        owners = [r[0] for r in con.execute("SELECT p.key FROM person_aliases a JOIN people p ON p.id=a.person_id"
                                            " WHERE a.alias='Mayor Okafor'")]
    assert owners == ["p:daniel okafor"]


def test_first_name_alone_and_a_headline_that_starts_with_a_surname(store, db):
    add(store, "g1", full("The port will reopen in May"))
    add(store, "g2", full("The tolls stay"))
    # a first name is weaker evidence than a surname: two articles naming her make her the likely Grace
    add(store, "h1", bare("I will run again", "Grace"))
    # a headline taken for a full name ("Okafor Says") must not capture the surname "Okafor"
    a = art('Okafor Says Port Will Reopen\n\n"The ferries are back," Okafor said.',
            [("The ferries are back,", "Okafor", "e2")], [("e1", "Okafor Says", []), ("e2", "Okafor", [])])
    add(store, "h2", a)
    sp = speakers(db)
    assert sp["I will run again"] == "p:grace okafor"
    assert sp["The ferries are back,"] == "p:grace okafor"
    with Corpus(db) as c:
        assert c.person("Grace")["name"] == "Grace Okafor"


def test_a_headline_seen_before_the_surname_is_known_is_corrected_later(store, db):
    # first the headline article: "Okafor" can only be the first name of "Okafor Says" for now
    a = art('Okafor Says Port Will Reopen\n\n"The ferries are back," Okafor said.',
            [("The ferries are back,", "Okafor", "e2")], [("e1", "Okafor Says", []), ("e2", "Okafor", [])])
    add(store, "h1", a)
    assert {(l[4], l[6]) for l in snapshot(db)["person_links"]} == {("p:okafor says", "first")}
    add(store, "g1", full("The port will reopen in May"))
    add(store, "g2", full("The tolls stay"))  # now the store knows Okafor mostly as a surname
    assert {(l[4], l[6]) for l in snapshot(db)["person_links"]} == {("p:grace okafor", "store")}
    assert speakers(db)["The ferries are back,"] == "p:grace okafor"
    # while a first name that is nobody's surname stays with the article's full name
    add(store, "m1", art('Mira Lindgren opened the port. "It is ours again," Mira said.',
                         [("It is ours again,", "Mira", "e2")], [("e1", "Mira Lindgren", []), ("e2", "Mira", [])]))
    add(store, "m2", full("We sail at dawn", "Tomas Mira"))
    assert speakers(db)["It is ours again,"] == "p:mira lindgren"


def test_a_one_word_organisation_named_after_the_articles_person_is_that_person(store, db):
    a = art('Grace Okafor spoke at the docks. "We start on Monday," Okafor said. '
            '"We will bid," said Acme.',
            [("We start on Monday,", "Okafor", "e2"), ("We will bid,", "Acme", "e3")],
            [("e1", "Grace Okafor", []), ("e2", "org:Okafor", []), ("e3", "org:Acme", [])])
    add(store, "a1", a)
    snap = snapshot(db)
    assert {(p[0], p[2]) for p in snap["people"]} == {("p:grace okafor", "person"), ("o:acme", "organization")}
    sp = speakers(db)
    assert sp == {"We start on Monday,": "p:grace okafor", "We will bid,": "o:acme"}


def test_pronouns_and_lone_titles_taken_for_names_are_nobody(store, db):
    a = art('"I was there," I said. "Order," the Judge said.',
            [("I was there,", "I", "e1"), ("Order,", "Judge", "e2")], [("e1", "I", []), ("e2", "Judge", [])])
    add(store, "a1", a)
    snap = snapshot(db)
    assert snap["people"] == frozenset() and snap["person_links"] == frozenset()
    # but a title word that is the surname of the article's full name is that person
    b = art('Ellen Judge chaired the hearing. "Silence, please," Judge said.',
            [("Silence, please,", "Judge", "e2")], [("e1", "Ellen Judge", []), ("e2", "Judge", [])])
    add(store, "b1", b)
    assert speakers(db)["Silence, please,"] == "p:ellen judge"


SEQUENCE = [
    ("b1", bare("We will need more ferries")),
    ("b2", bare("The ferries are late again", "Mr. Okafor")),
    ("g1", full("The port will reopen in May")),
    ("d1", full("The league needs a new stadium", "Daniel Okafor")),
    ("b3", bare("We were robbed by the referee")),
    ("d2", full("The stadium will be ready", "Daniel Okafor")),
    ("d3", full("We play at home in June", "Daniel Okafor")),
]


def test_reingesting_after_relinking_adds_nothing(store, db):
    for key, a in SEQUENCE:
        add(store, key, a)
    snap = snapshot(db)
    assert {l[4] for l in snap["person_links"]} == {"p:daniel okafor"}  # everything moved at least once
    for key, a in SEQUENCE:
        assert not add(store, key, a).added
    assert snapshot(db) == snap


def test_a_failure_in_the_middle_of_relinking_leaves_the_store_as_it_was(db, monkeypatch):
    with Store(db) as s:
        for key, a in SEQUENCE[:2]:
            add(s, key, a)
    before = snapshot(db)
    calls = []
    real_move = Relinker.move

    def move_then_die(self, aid, old, new, entity=None):
        real_move(self, aid, old, new, entity)
        calls.append(aid)
        if len(calls) == 2:  # after the first move, during the second
            raise KeyboardInterrupt
    monkeypatch.setattr(Relinker, "move", move_then_die)
    with Store(db) as s:
        with pytest.raises(KeyboardInterrupt):
            add(s, "g1", SEQUENCE[2][1])
    assert calls and snapshot(db) == before
    monkeypatch.undo()
    with Store(db) as s:
        for key, a in SEQUENCE[2:]:
            add(s, key, a)
    fresh = db.with_name("fresh.db")
    with Store(fresh) as s:
        for key, a in SEQUENCE:
            add(s, key, a)
    assert snapshot(db) == snapshot(fresh)


def test_a_version_2_store_is_migrated(db):
    with Store(db) as s:
        add(s, "g1", full("The port will reopen in May"))
        add(s, "b1", bare("We will need more ferries"))
        add(s, "x1", bare("Nobody knows me", "Lindqvist"))
    # what version 2 wrote: no name or link tables, each bare surname a person of its article
    con = sqlite3.connect(db)
    for t in ("person_names", "person_links", "person_alternatives"):
        con.execute(f"DROP TABLE {t}")
    for col in ("n_named", "n_male", "n_female"):
        con.execute(f"ALTER TABLE people DROP COLUMN {col}")
    con.execute("UPDATE people SET key='p:lindqvist@x1', scope='x1' WHERE key='p:lindqvist'")
    b1 = con.execute("SELECT id FROM articles WHERE key='b1'").fetchone()[0]
    grace = con.execute("SELECT id FROM people WHERE key='p:grace okafor'").fetchone()[0]
    scoped = con.execute("INSERT INTO people(key, name, kind, scope) VALUES('p:okafor@b1', 'Okafor', 'person', 'b1')"
                         ).lastrowid
    con.execute("UPDATE occurrences SET speaker_id=? WHERE article_id=?", (scoped, b1))
    con.execute("UPDATE quotes SET speaker_id=? WHERE first_article=?", (scoped, b1))
    con.execute("UPDATE person_articles SET person_id=? WHERE article_id=? AND person_id=?", (scoped, b1, grace))
    con.execute("UPDATE meta SET value='2' WHERE key='schema'")
    con.commit()
    con.close()
    with Store(db) as s:
        add(s, "b2", bare("The ferries are late again"))
    snap = snapshot(db)
    people = {p[0]: p for p in snap["people"]}
    assert set(people) == {"p:grace okafor", "p:lindqvist"} and people["p:grace okafor"][4] == 1
    assert {(l[0], l[4], l[6]) for l in snap["person_links"]} == {
        ("b1", "p:grace okafor", "store"), ("b2", "p:grace okafor", "store"), ("x1", "p:lindqvist", "alone")}
    assert speakers(db) == {"The port will reopen in May": "p:grace okafor", "We will need more ferries": "p:grace okafor",
                            "The ferries are late again": "p:grace okafor", "Nobody knows me": "p:lindqvist"}
    assert {q[8] for q in snap["quotes"]} == {"p:grace okafor", "p:lindqvist"}


# ---------------------------------------------------------------- properties over ingest orders

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from quotegraph.corpus.linking import MIN_STORE  # noqa: E402

POOL = [
    lambda i: bare(f"Statement {i} on the harbour"),
    lambda i: bare(f"Statement {i} on the ferries", "Mr. Okafor"),
    lambda i: bare(f"Statement {i} on the canal", "Mrs. Okafor"),
    lambda i: titled(f"Statement {i} on the quay", "Grace Okafor", "Mrs."),
    lambda i: bare(f"Statement {i} on the league", "Grace"),
    lambda i: full(f"Statement {i} on the port"),
    lambda i: full(f"Statement {i} on the stadium", "Daniel Okafor"),
    lambda i: art(f'Okafor Says Port Will Reopen\n\n"Statement {i} on tolls," Okafor said.',
                  [(f"Statement {i} on tolls,", "Okafor", "e2")], [("e1", "Okafor Says", []), ("e2", "Okafor", [])]),
    lambda i: art(f'"Statement {i} on fares," Okafor said. "Statement {i} on dues," Grace said.',
                  [(f"Statement {i} on fares,", "Okafor", "e1"), (f"Statement {i} on dues,", "Grace", "e2")],
                  [("e1", "Okafor", []), ("e2", "Grace", [])]),
    lambda i: art(f'Grace Okafor and Daniel Okafor met. "Statement {i} on both," Okafor said.',
                  [(f"Statement {i} on both,", "Okafor", "e3")],
                  [("e1", "Grace Okafor", []), ("e2", "Daniel Okafor", []), ("e3", "Okafor", [])]),
]


def check_invariants(db, articles: dict[str, Article]) -> None:
    con = sqlite3.connect(db)
    try:
        ids = {r[0] for r in con.execute("SELECT id FROM people")}
        for table, col in (("occurrences", "speaker_id"), ("occurrences", "addressee_id"), ("quotes", "speaker_id"),
                           ("person_links", "person_id"), ("person_alternatives", "person_id"),
                           ("person_articles", "person_id"), ("person_aliases", "person_id"),
                           ("person_roles", "person_id"), ("person_names", "person_id")):
            refs = {r[0] for r in con.execute(f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL")}
            assert refs <= ids, (table, col)
        # nobody is left that nothing refers to
        for (pid,) in con.execute("SELECT id FROM people"):
            assert con.execute("SELECT 1 FROM person_articles WHERE person_id=?", (pid,)).fetchone(), pid
        # no link through the store is stale: it is on a most likely holder whenever one is likely enough
        linker = PeopleLinker(con)
        for token, pid, method, gender in con.execute(
                "SELECT token, person_id, method, gender FROM person_links WHERE method IN ('store', 'alone')").fetchall():
            hs = linker.holders(token, gender)
            if hs and hs[0][1] >= MIN_STORE:
                assert dict(hs).get(pid, 0.0) == hs[0][1], (token, method)
        # every occurrence is on the person its entity is linked to
        links = {(a, e): p for a, e, p in con.execute(
            "SELECT a.key, l.entity, l.person_id FROM person_links l JOIN articles a ON a.id=l.article_id")}
        for akey, qid, sp in con.execute(
                "SELECT a.key, o.qid, o.speaker_id FROM occurrences o JOIN articles a ON a.id=o.article_id"):
            q = next(x for x in articles[akey].quotes if x.id == qid)
            if (akey, q.speaker.entity) in links:
                assert sp == links[(akey, q.speaker.entity)]
    finally:
        con.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=9), crash_at=st.integers(0, 8))
def test_any_order_keeps_the_store_consistent_idempotent_and_crash_safe(tmp_path_factory, order, crash_at):
    d = tmp_path_factory.mktemp("order")
    seq = [(f"a{i}", POOL[k](i)) for i, k in enumerate(order)]
    arts = dict(seq)
    with Store(d / "once.db") as s:
        for key, a in seq:
            add(s, key, a)
    check_invariants(d / "once.db", arts)
    snap = snapshot(d / "once.db")
    with Store(d / "once.db") as s:
        assert not any(add(s, key, a).added for key, a in seq)
    assert snapshot(d / "once.db") == snap
    # the same ingest, one article of it failing half-way (after its re-linking) and added again
    crash_at %= len(seq)
    with Store(d / "crash.db") as s:
        for i, (key, a) in enumerate(seq):
            if i == crash_at:
                real = s.relinker.relink

                def relink_then_fail(tokens):
                    real(tokens)  # noqa: B023 - called within this iteration
                    raise RuntimeError("killed")
                s.relinker.relink = relink_then_fail
                with pytest.raises(RuntimeError):
                    add(s, key, a)
                s.relinker.relink = real
            add(s, key, a)
    assert snapshot(d / "crash.db") == snap
