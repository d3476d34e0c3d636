"""The store, linking and queries on hand-built Article objects (no model needed)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from quotegraph.corpus import Corpus, Store, snapshot
from quotegraph.corpus.query import fts_query
from quotegraph.corpus.store import ItemMeta
from quotegraph.models import Addressee, Article, Entity, Quote, Speaker, Via


def make_article(text: str, quotes: list[dict], people: list[dict] = (), **kw) -> Article:
    """quotes: dicts with text, speaker (mention as written), name, kind, addressee, via, qkind."""
    ents = []
    ids = {}
    for i, p in enumerate(people, 1):
        ents.append(Entity(id=f"e{i}", name=p["name"], kind=p.get("kind", "person"), aliases=p.get("aliases", []),
                           roles=p.get("roles", [])))
        ids[p["name"]] = f"e{i}"
    qs = []
    for i, q in enumerate(quotes, 1):
        s = text.index(q["text"])
        span = (s, s + len(q["text"]))
        sp = None
        if q.get("speaker"):
            m = text.index(q["speaker"])
            sp = Speaker(text=q["speaker"], span=(m, m + len(q["speaker"])), name=q.get("name"),
                         entity=ids.get(q.get("name")), kind=q.get("kind", "person"))
        ad = None
        if q.get("addressee"):
            m = text.index(q["addressee"])
            ad = Addressee(text=q["addressee"], span=(m, m + len(q["addressee"])), entity=ids.get(q["addressee"]))
        via = []
        for v, vk in q.get("via", []):
            m = text.index(v)
            via.append(Via(text=v, span=(m, m + len(v)), kind=vk))
        qs.append(Quote(id=f"q{i}", kind=q.get("qkind", "direct"), text=q["text"], span=span, spans=[span],
                        speaker=sp, addressee=ad, via=via, confidence=0.9))
    return Article(id="x", text=text, quotes=qs, entities=ents, **kw)


def add(store: Store, key: str, art: Article, outlet=None, published=None):
    return store.add_article(ItemMeta(key=key, source=f"{key}.txt", outlet=outlet, published=published), art)


FULL = ("We will not back down. We will protect every family in this state, whatever it costs, "
        "and we will rebuild every levee the river has taken.")
ELLIPSIS = "We will not back down. We will protect every family in this state ... and we will rebuild every levee the river has taken."
BRACKET = "[The state] will protect every family in this state, whatever it costs, and we will rebuild every levee the river has taken."
SHOUTED = "WE WILL NOT BACK DOWN -- we will protect every family in this state whatever it costs and we will rebuild every levee the river has taken!"
DELGADO = [{"name": "Maria Delgado", "aliases": ["Delgado", "Governor Maria Delgado"], "roles": ["Governor"]}]


def delgado(quote: str, speaker="Delgado", name="Maria Delgado", people=DELGADO) -> Article:
    return make_article(f'"{quote}" {speaker} said on Monday.', [{"text": quote, "speaker": speaker, "name": name}],
                        people=people)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "c.db")
    yield s
    s.close()


def test_one_quote_three_reports(store, tmp_path):
    add(store, "a1", delgado(ELLIPSIS), outlet="Riverton Herald", published="2024-03-12")
    add(store, "a2", delgado(BRACKET), outlet="Valley Post", published="2024-03-13")
    add(store, "a3", delgado(SHOUTED, "Gov. Maria Delgado"), outlet="Capital Wire", published="2024-03-14")
    t = store.totals()
    assert (t.articles, t.quotes, t.occurrences, t.people) == (3, 1, 3, 1)
    with Corpus(tmp_path / "c.db") as c:
        [hit] = c.search("rebuild every levee")
        assert hit["text"] == ELLIPSIS  # the first occurrence is kept
        assert hit["n_occurrences"] == 3
        assert [o["outlet"] for o in hit["occurrences"]] == ["Riverton Herald", "Valley Post", "Capital Wire"]
        assert [o["first"] for o in hit["occurrences"]] == [True, False, False]
        assert hit["variants"] == {"speaker": 0, "words": 0}
        assert hit["first_published"] == "2024-03-12" and hit["last_published"] == "2024-03-14"


def test_variants_are_flagged(store, tmp_path):
    add(store, "a1", delgado(FULL))
    # the same words attributed to someone else
    reyes = [{"name": "Tom Reyes", "roles": ["Lieutenant Governor"]}]
    add(store, "a2", delgado(FULL, speaker="Tom Reyes", name="Tom Reyes", people=reyes))
    # changed words
    add(store, "a3", delgado(FULL.replace("every family", "every household")))
    t = store.totals()
    assert (t.quotes, t.occurrences) == (1, 3)
    with Corpus(tmp_path / "c.db") as c:
        [hit] = c.search("levee")
        occ = {o["article"]: o for o in hit["occurrences"]}
        assert occ["a2"]["speaker_variant"] and not occ["a2"]["word_variant"]
        assert occ["a3"]["word_variant"] and not occ["a3"]["speaker_variant"]
        assert hit["variants"] == {"speaker": 1, "words": 1}


def test_different_statements_stay_apart(store):
    add(store, "a1", delgado(FULL))
    add(store, "a2", delgado("We will raise the levy on every family in this state to pay for the new levees."))
    assert store.totals().quotes == 2


def test_short_quotes_merge_only_for_the_same_speaker(store):
    smith = [{"name": "Anna Smith"}]
    jones = [{"name": "Lee Jones"}]
    add(store, "a1", make_article('"No comment," Smith said.', [{"text": "No comment,", "speaker": "Smith", "name": "Anna Smith"}], smith))
    add(store, "a2", make_article('"No comment!" Jones said.', [{"text": "No comment!", "speaker": "Jones", "name": "Lee Jones"}], jones))
    add(store, "a3", make_article('"no comment" Smith said.', [{"text": "no comment", "speaker": "Smith", "name": "Anna Smith"}], smith))
    assert (store.totals().quotes, store.totals().occurrences) == (2, 3)


def test_people_merge_on_full_name_not_on_surname(store, tmp_path):
    anna = make_article(
        'Senator Anna Smith said the bill "abandons the people who need public transport the most." '
        '"It is a disgrace and a betrayal of rural voters," Smith added.',
        [{"text": "abandons the people who need public transport the most.", "speaker": "Anna Smith", "name": "Anna Smith"},
         {"text": "It is a disgrace and a betrayal of rural voters,", "speaker": "Smith", "name": "Anna Smith"}],
        people=[{"name": "Anna Smith", "aliases": ["Senator Anna Smith", "Smith"], "roles": ["Senator"]}])
    robert = make_article(
        '"I gave this club everything I had and I am proud of these players," Smith told supporters.',
        [{"text": "I gave this club everything I had and I am proud of these players,", "speaker": "Smith",
          "name": "Robert Smith", "addressee": "supporters"}],
        people=[{"name": "Robert Smith", "aliases": ["Coach Robert Smith", "Smith"], "roles": ["Coach"]}])
    anna_again = make_article(
        '"Rural voters deserve a bus that actually comes," said Sen. Anna Smith.',
        [{"text": "Rural voters deserve a bus that actually comes,", "speaker": "Sen. Anna Smith", "name": "Sen. Anna Smith"}],
        people=[{"name": "Sen. Anna Smith", "roles": ["Senator for the Northern District"]}])
    nameless = make_article(  # the extractor could not find a full name: the store's most likely Smith
        '"We were robbed by the referee," Smith said.',
        [{"text": "We were robbed by the referee,", "speaker": "Smith", "name": "Smith"}],
        people=[{"name": "Smith"}])
    add(store, "anna1", anna, published="2024-01-10")
    add(store, "robert", robert, published="2024-02-01")
    add(store, "anna2", anna_again, published="2024-05-01")
    add(store, "bare", nameless, published="2024-06-01")
    snap = snapshot(tmp_path / "c.db")
    keys = {p[0] for p in snap["people"]}
    assert keys == {"p:anna smith", "p:robert smith"}
    # two articles name Anna Smith in full, one Robert Smith: the bare surname is Anna's, with
    # Robert kept as the alternative (and the chance of a Smith the store does not know)
    assert snap["person_links"] == {("bare", "e1", "Smith", "smith", "p:anna smith", 0.5, "store")}
    assert snap["person_alternatives"] == {("bare", "e1", "p:robert smith", 0.25)}
    with Corpus(tmp_path / "c.db") as c:
        anna_p = c.person("Anna Smith")
        assert [o["text"] for o in anna_p["said"]] == [
            "abandons the people who need public transport the most.",
            "It is a disgrace and a betrayal of rural voters,",
            "Rural voters deserve a bus that actually comes,",
            "We were robbed by the referee,",
        ]
        assert [(r["role"], r["date"]) for r in anna_p["roles"]] == [
            ("Senator", "2024-01-10"), ("Senator for the Northern District", "2024-05-01")]
        [short] = anna_p["short_names"]
        assert (short["article"], short["method"], short["confidence"]) == ("bare", "store", 0.5)
        assert [(a["name"], a["confidence"]) for a in short["alternatives"]] == [("Robert Smith", 0.25)]
        rob = c.person("Coach Robert Smith")
        assert rob["name"] == "Robert Smith" and rob["said"][0]["addressee"]["text"] == "supporters"
        assert rob["others"] == []
        smith = c.person("Smith")  # the Smith with most quotes, and the others it fits
        assert smith["name"] == "Anna Smith" and [o["name"] for o in smith["others"]] == ["Robert Smith"]
        with pytest.raises(LookupError):
            c.person("Nobody Here")
        assert len(c.search("", speaker="Anna Smith")) == 4
        assert len(c.search("", speaker="Robert Smith")) == 1
        assert len(c.search("", speaker="Smith")) == 5  # by surname: everyone called Smith


def test_sources_per_outlet(store, tmp_path):
    art = make_article(
        '"The cuts are final," a senior official said, according to a memo seen by the Post. '
        'The report found that "levees failed in six places." "We are angry," Delgado said.',
        [{"text": "The cuts are final,", "speaker": "a senior official", "kind": "anonymous",
          "via": [("a memo", "document")]},
         {"text": "levees failed in six places.", "speaker": "The report", "kind": "document", "qkind": "mixed"},
         {"text": "We are angry,", "speaker": "Delgado", "name": "Maria Delgado"}],
        people=DELGADO)
    add(store, "a1", art, outlet="Valley Post")
    with Corpus(tmp_path / "c.db") as c:
        [row] = c.sources()
        assert row["outlet"] == "Valley Post"
        assert (row["quotes"], row["named"], row["anonymous"], row["document"], row["via_document"]) == (3, 1, 1, 1, 1)
        [hit] = c.search("cuts final")
        assert hit["occurrences"][0]["via"] == [{"text": "a memo", "kind": "document"}]


def test_search_filters(store, tmp_path):
    add(store, "a1", delgado(FULL), outlet="Valley Post", published="2024-03-12T08:00:00Z")
    add(store, "a2", delgado("The river has taken enough from this valley and its farmers."), outlet="Capital Wire",
        published="2024-04-01")
    with Corpus(tmp_path / "c.db") as c:
        assert len(c.search("river")) == 2
        assert len(c.search("river", outlet="capital")) == 1
        assert len(c.search("river", since="2024-03-13")) == 1
        assert len(c.search("river", until="2024-03-12")) == 1
        assert len(c.search("river", kind="indirect")) == 0
        assert len(c.search('"river has taken"')) == 2
        assert len(c.search('"taken river"')) == 0
        assert len(c.search("river", speaker="Delgado")) == 2
        assert c.search("the") and c.search("@@@") == []
        with pytest.raises(ValueError):
            c.search("river", since="yesterday-ish")


def test_fts_query_is_safe():
    assert fts_query('levee AND "river has" NEAR(x') == '"levee" "river has" "near" "x"'
    assert fts_query("the river") == '"river"'
    assert fts_query("the") == '"the"'


def test_idempotent_and_failures(store, tmp_path):
    assert add(store, "a1", delgado(FULL)).added
    assert not add(store, "a1", delgado(FULL)).added
    assert store.add_failure("k", "bad.txt", "read", "empty input")
    assert not store.add_failure("k", "bad.txt", "read", "empty input")
    t = store.totals()
    assert (t.articles, t.occurrences, t.failures) == (1, 1, 1)


def test_failed_article_in_a_batch_is_undone_alone(store):
    store.begin()
    add(store, "a1", delgado(FULL))
    bad = delgado("We will raise the levy on every family in this state to pay for the new levees.")
    bad.quotes.append(bad.quotes[0])  # a duplicate quote id: the insert fails half-way
    with pytest.raises(sqlite3.IntegrityError):
        add(store, "a2", bad)
    add(store, "a3", delgado("The river has taken enough from this valley and its farmers."))
    store.commit()
    t = store.totals()
    assert (t.articles, t.quotes, t.occurrences) == (2, 2, 2)
    assert not store.has_article("a2")


def test_export_formats(store, tmp_path):
    add(store, "a1", delgado(ELLIPSIS), outlet="Riverton Herald")
    add(store, "a2", delgado(BRACKET), outlet="Valley Post")
    with Corpus(tmp_path / "c.db") as c:
        assert c.export("jsonl", tmp_path / "q.jsonl") == 1
        [q] = [json.loads(line) for line in (tmp_path / "q.jsonl").read_text().splitlines()]
        assert len(q["occurrences"]) == 2 and q["occurrences"][1]["outlet"] == "Valley Post"
        assert c.export("csv", tmp_path / "q.csv") == 2
        lines = (tmp_path / "q.csv").read_text().splitlines()
        assert lines[0].startswith("quote_id,quote_key,quote_text") and len(lines) == 3
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            with pytest.raises(RuntimeError, match="pip install pyarrow"):
                c.export("parquet", tmp_path / "q.parquet")
        else:
            assert c.export("parquet", tmp_path / "q.parquet") == 2
        with pytest.raises(ValueError):
            c.export("xml", tmp_path / "q.xml")
        art = c.article("a1")
        assert art.quotes[0].text == ELLIPSIS
