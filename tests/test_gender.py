"""People's gender as the article tells it (quotegraph.people.gender), and across a store: the
store, the API and the exports carry it, and articles that disagree are reported (invented text)."""

from __future__ import annotations

import csv
import io

import pytest

from quotegraph.corpus import Store
from quotegraph.corpus.exporting import iter_occurrence_rows, write_csv
from quotegraph.corpus.linking import gender_conflicts
from quotegraph.corpus.persons import person_summary
from quotegraph.corpus.store import ItemMeta
from quotegraph.models import Article, Entity, Gender, Quote, Speaker
from quotegraph.people.gender import assign_genders


def mentions(text: str, word: str) -> list[tuple[int, int]]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append((i, i + len(word)))
        i = text.find(word, i + 1)
    return out


def article(text: str, people: list[tuple[str, str]], kind: str = "person", roles: dict[str, list[str]] | None = None,
            said: list[tuple[str, str, str]] = ()) -> Article:
    """people: (entity id, name), mentioned wherever its surname is written; said: (quote text,
    speaker as written after it, entity id)."""
    ents = [Entity(id=eid, name=name, kind=kind, roles=(roles or {}).get(eid, []), mentions=mentions(text, name.split()[-1]))
            for eid, name in people]
    names = {e.id: e.name for e in ents}
    quotes = []
    for i, (quote, written, eid) in enumerate(said, 1):
        s = text.index(quote)
        m = text.index(written, s + len(quote))
        quotes.append(Quote(id=f"q{i}", kind="direct", text=quote, span=(s, s + len(quote)), spans=[(s, s + len(quote))],
                            speaker=Speaker(text=written, span=(m, m + len(written)), name=names[eid], entity=eid, kind=kind),
                            confidence=0.9))
    art = Article(id="a", text=text, entities=ents, quotes=quotes)
    assign_genders(art)
    return art


def gender(art: Article, eid: str = "e1") -> tuple[str, str]:
    e = art.entity(eid)
    return e.gender.value, e.gender_evidence


# ------------------------------------------------------------------ one article


def test_a_pronoun_after_the_only_person_named_gives_the_gender():
    art = article("Zorblat Quennick opened the meeting at the town hall. She said the budget was late.",
                  [("e1", "Zorblat Quennick")])
    assert gender(art) == ("female", "pronoun")


def test_the_pronoun_the_resolution_gave_a_speaker_counts():
    text = 'Zorblat Quennick runs the depot. "We are ready," he said on Monday.'
    art = article(text, [("e1", "Zorblat Quennick")], said=[("We are ready,", "he", "e1")])
    assert gender(art) == ("male", "pronoun")


def test_a_pronoun_with_two_people_before_it_tells_neither():
    art = article("Zorblat Quennick met Morvan Tessily at the depot. She said the trucks were late.",
                  [("e1", "Zorblat Quennick"), ("e2", "Morvan Tessily")])
    assert gender(art, "e1") == ("unknown", "none")
    assert gender(art, "e2") == ("unknown", "none")


def test_a_pronoun_inside_a_quotation_is_another_speakers():
    art = article('Zorblat Quennick spoke last: "She will win the seat."', [("e1", "Zorblat Quennick")])
    assert gender(art) == ("unknown", "none")


def test_a_pronoun_after_a_gendered_noun_may_be_that_persons():
    art = article("Zorblat Quennick came with his wife. She said the road was closed.", [("e1", "Zorblat Quennick")])
    assert gender(art) == ("male", "pronoun")  # 'his' comes first; 'she' (the wife) is not counted


def test_an_honorific_before_a_mention_gives_the_gender():
    art = article("Zorblat Quennick chairs the board. Ms. Quennick voted against the plan.", [("e1", "Zorblat Quennick")])
    assert gender(art) == ("female", "honorific")


def test_a_gendered_role_gives_the_gender_but_chairman_does_not():
    text = "Zorblat Quennick and Morvan Tessily were at the hearing."
    art = article(text, [("e1", "Zorblat Quennick"), ("e2", "Morvan Tessily")],
                  roles={"e1": ["the congresswoman"], "e2": ["the committee chairman"]})
    assert gender(art, "e1") == ("female", "honorific")
    assert gender(art, "e2") == ("unknown", "none")


def test_an_honorific_outweighs_one_stray_pronoun():
    art = article("Mr. Quennick arrived. Zorblat Quennick took the stand; she said nothing.", [("e1", "Zorblat Quennick")])
    assert gender(art) == ("male", "honorific")


def test_the_given_name_decides_only_when_the_article_is_silent_and_the_name_is_clear():
    art = article("Sandra Haro and Keith Ondrey opened a bar. Jordan Blake and Kim Pardo came.",
                  [("e1", "Sandra Haro"), ("e2", "Keith Ondrey"), ("e3", "Jordan Blake"), ("e4", "Kim Pardo")])
    assert gender(art, "e1") == ("female", "name")
    assert gender(art, "e2") == ("male", "name")
    assert gender(art, "e3") == ("unknown", "none")  # Jordan: both
    assert gender(art, "e4") == ("unknown", "none")


def test_a_surname_alone_gets_no_gender_from_the_name_table():
    art = article("Haro spoke to the council on Monday.", [("e1", "Haro")])
    assert gender(art) == ("unknown", "none")


def test_an_organisation_never_gets_a_gender():
    text = "Sandra Holdings announced a merger. She said the deal was done. Mrs. Holdings was not there."
    art = article(text, [("e1", "Sandra Holdings")], kind="organization")
    assert gender(art) == ("unknown", "none")


def test_the_schema_has_the_gender_fields():
    props = Article.model_json_schema()["$defs"]["Entity"]["properties"]
    assert "gender" in props and "gender_evidence" in props
    e = Entity(id="e1", name="X")
    assert e.gender == Gender.UNKNOWN and e.gender_evidence == "none"


def test_the_extractor_gives_each_person_a_gender():
    from quotegraph import Extractor

    text = ('Zorblat Quennick, a nurse at the county clinic, spoke on Monday. "The ward is full," she said.\n\n'
            'Sandra Haro, who runs the clinic, agreed. The Clinic Trust said it would add beds.')
    art = Extractor().extract(text)
    by_name = {e.name: e for e in art.entities}
    assert by_name["Zorblat Quennick"].gender == Gender.FEMALE
    assert by_name["Zorblat Quennick"].gender_evidence == "pronoun"
    assert by_name["Sandra Haro"].gender == Gender.FEMALE
    assert all(e.gender == Gender.UNKNOWN for e in art.entities if e.kind != "person")


# ------------------------------------------------------------------ across a store


def said_by(name: str, pronoun: str | None = None, honorific: str | None = None, quote: str = "We are ready") -> Article:
    """An article quoting ``name``, with a pronoun or an honorific that tells the gender, or neither."""
    last = name.split()[-1]
    text = f"{name} spoke at the depot on Monday."
    if pronoun:
        text += f" {pronoun.capitalize()} said the trucks were late."
    if honorific:
        text += f" {honorific} {last} left early."
    text += f' "{quote}," {last} said.'
    return article(text, [("e1", name)], said=[(f"{quote},", last, "e1")])


def add(store: Store, key: str, art: Article) -> None:
    store.add_article(ItemMeta(key=key, source=f"{key}.txt"), art)


def stored(store: Store, name: str) -> tuple[str, str | None]:
    row = store.con.execute("SELECT gender, gender_evidence FROM people WHERE name=?", (name,)).fetchone()
    return row[0], row[1]


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "c.db")
    yield s
    s.close()


def test_the_store_keeps_the_gender_and_its_own_evidence_beats_the_name(store):
    add(store, "a1", said_by("Keith Ondrey", quote="One"))  # the name alone says male
    assert stored(store, "Keith Ondrey") == ("male", "name")
    add(store, "a2", said_by("Keith Ondrey", honorific="Ms.", quote="Two"))
    assert stored(store, "Keith Ondrey") == ("female", "honorific")


def test_articles_that_disagree_are_reported_and_the_majority_is_stored(store):
    add(store, "a1", said_by("Zorblat Quennick", pronoun="she", quote="One"))
    add(store, "a2", said_by("Zorblat Quennick", pronoun="she", quote="Two"))
    add(store, "a3", said_by("Zorblat Quennick", pronoun="he", quote="Three"))
    assert stored(store, "Zorblat Quennick") == ("female", "pronoun")
    conflicts = gender_conflicts(store.con)
    assert [(c["name"], c["articles_female"], c["articles_male"], c["gender"]) for c in conflicts] == \
        [("Zorblat Quennick", 2, 1, "female")]
    assert store.totals().extra["gender_conflicts"] == 1


def test_a_tie_of_strong_evidence_is_unknown(store):
    add(store, "a1", said_by("Zorblat Quennick", pronoun="she", quote="One"))
    add(store, "a2", said_by("Zorblat Quennick", pronoun="he", quote="Two"))
    assert stored(store, "Zorblat Quennick") == ("unknown", None)


def test_a_correction_is_never_overwritten_by_a_later_ingest(store):
    add(store, "a1", said_by("Zorblat Quennick", pronoun="she", quote="One"))
    store.con.execute("UPDATE people SET gender='male', gender_evidence='correction' WHERE name='Zorblat Quennick'")
    add(store, "a2", said_by("Zorblat Quennick", pronoun="she", quote="Two"))
    assert stored(store, "Zorblat Quennick") == ("male", "correction")


def test_the_person_answers_and_the_exports_carry_the_gender(store):
    add(store, "a1", said_by("Zorblat Quennick", pronoun="she"))
    pid = store.con.execute("SELECT id FROM people WHERE name='Zorblat Quennick'").fetchone()[0]
    store.con.row_factory = __import__("sqlite3").Row
    try:
        summary = person_summary(store.con, pid)
        rows = list(iter_occurrence_rows(store.con))
    finally:
        store.con.row_factory = None
    assert (summary["gender"], summary["gender_evidence"]) == ("female", "pronoun")
    assert [r["speaker_gender"] for r in rows] == ["female"]
    buf = io.StringIO()
    write_csv(buf, iter(rows))
    assert next(csv.DictReader(io.StringIO(buf.getvalue())))["speaker_gender"] == "female"


def test_the_api_gives_the_gender_of_people_and_speakers(tmp_path):
    from fastapi.testclient import TestClient

    from quotegraph.web.app import create_app

    db = tmp_path / "c.db"
    with Store(db) as s:
        add(s, "a1", said_by("Zorblat Quennick", pronoun="she"))
    client = TestClient(create_app(str(db)))
    people = client.get("/api/people").json()["items"]
    assert [(p["name"], p["gender"], p["gender_evidence"]) for p in people] == [("Zorblat Quennick", "female", "pronoun")]
    one = client.get(f"/api/people/{people[0]['id']}").json()
    assert one["gender"] == "female"
    said = client.get(f"/api/people/{people[0]['id']}/quotes").json()["items"]
    assert said[0]["speaker"]["gender"] == "female"


def test_quotegraph_check_lists_the_people_whose_articles_disagree(tmp_path):
    from typer.testing import CliRunner

    from quotegraph.cli import app

    db = tmp_path / "c.db"
    with Store(db) as s:
        add(s, "a1", said_by("Zorblat Quennick", pronoun="she", quote="One"))
        add(s, "a2", said_by("Zorblat Quennick", pronoun="he", quote="Two"))
        add(s, "a3", said_by("Zorblat Quennick", pronoun="he", quote="Three"))
    res = CliRunner().invoke(app, ["check", "--db", str(db)])
    assert res.exit_code == 0
    assert "gender conflict: Zorblat Quennick (id 1): 1 articles say female, 2 male; stored male" in res.output
