"""Names and kinds of mentions (quotegraph.people.names) and the given-name table's build."""

from __future__ import annotations

import gzip

import pytest

from quotegraph.people import names
from quotegraph.pipeline.nlp import load_model


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def test_packaged_given_names_are_clear_and_lower_case():
    g = names.given_names()
    assert len(g) > 10_000
    assert g["sandra"] == "f" and g["keith"] == "m" and g["ursula"] == "f"
    assert "kim" not in g  # no clear gender: left out
    assert all(k == k.lower() and v in ("m", "f") for k, v in list(g.items())[:500])


def test_gender_of_name_needs_a_given_name():
    assert names.gender_of_name(["Sandra", "Haro"]) == "f"
    assert names.gender_of_name(["Haro"]) is None  # a surname alone says nothing
    assert names.gender_of_name(["J.", "Haro"]) is None


def test_gender_of_words():
    assert names.gender_of_words(["the", "spokeswoman"]) == "f"
    assert names.gender_of_words(["Mr."]) == "m"
    assert names.gender_of_words(["the", "minister"]) is None


def test_name_bounds_drop_headline_words_and_keep_particles(nlp):
    doc = nlp("Obama Says He Will Veto the Bill")
    s, e = names.name_bounds(doc, 0, 2)
    assert doc[s:e].text == "Obama"
    doc = nlp("The plan was set out by Ursula von der Leyen on Wednesday.")
    leyen = next(t for t in doc if t.text == "Leyen")
    s, e = names.name_bounds(doc, leyen.i, leyen.i + 1)
    assert doc[s:e].text == "Ursula von der Leyen"


def test_venues_and_firms_are_not_person_names(nlp):
    doc = nlp("The Rathcormac Inn said it would close.")
    assert not names.is_person_name(doc, 1, 3)
    doc = nlp("Sandra Haro said she would stay open.")
    assert names.is_person_name(doc, 0, 2)


def test_roles_describe_people(nlp):
    def role(text):
        return names.is_role(list(nlp(text)))

    assert role("the deputy attorney general")
    assert role("a spokeswoman for the agency")
    assert not role("EDT")
    assert not role("all times")
    assert not role("the words")
    assert not role("events")
    assert not role("Monday")


def test_given_name_table_keeps_frequent_clear_names():
    data = {"anna": [30, 90000, 0.99], "kim": [30, 90000, 0.6], "rarename": [2, 10, 0.0], "bob": [30, 5000, 0.01],
            "x1": [30, 9999, 0.0]}
    assert names.given_name_table(data) == [("anna", "f", 0.99), ("bob", "m", 0.01)]


def test_female_share_of_a_table_name():
    assert names.female_share("Keith") is not None and names.female_share("Keith") < 0.1
    assert names.female_share("sandra") is not None and names.female_share("sandra") > 0.9
    assert names.female_share("kim") is None  # not clear: not in the table


def test_train_names_builds_the_packaged_table(tmp_path):
    pytest.importorskip("nomquamgender", reason="pip install 'quotegraph[train]'")
    from quotegraph.training.names import build

    out, n = build(tmp_path / "g.tsv.gz")
    assert out.read_bytes() == names.GIVEN_NAMES_FILE.read_bytes(), "the shipped table is the one the command makes"
    assert n == len(names.given_names())
    head, _, body = gzip.decompress(out.read_bytes()).decode().partition("\n")
    assert head.startswith("# meta {") and '"kind": "names"' in head  # then one name a line
    assert body.count("\n") == n and all(line.count("\t") == 2 for line in body.splitlines())  # name, gender, share of women


def test_a_spokeswoman_for_someone_is_not_that_someone(nlp):
    doc = nlp("A spokeswoman for Maria Delgado says the council has not decided.")
    assert names.speaker_kind(doc, doc[1], "A spokeswoman for Maria Delgado") == "anonymous"
    doc = nlp("A spokeswoman, Maria Delgado, says the council has not decided.")
    assert names.speaker_kind(doc, doc[1], "A spokeswoman, Maria Delgado") != "anonymous"


def test_first_names_alike_allows_one_slip_between_names_not_in_the_table():
    assert names.first_names_alike("donand", "donald")  # 'donand' is no given name: a slip
    assert names.first_names_alike("stephen", "stephn")
    assert not names.first_names_alike("mark", "mary")  # too short to tell
    assert not names.first_names_alike("karen", "karin")  # two names of the table
    assert not names.first_names_alike("donald", "ronaldo")


def test_epithets_and_headline_lines():
    assert names.epithet_before_name(["Crooked", "Hillary", "Clinton"])
    assert names.epithet_before_name(["Sleepy", "Keith"])
    assert not names.epithet_before_name(["Hillary", "Clinton"])
    assert not names.epithet_before_name(["Sandra", "Keith", "Haro"])  # a given name first
    assert names.title_cased_line("FULL SPEECH: Governor Lindqvist Remarks at Harbour Trust Gala".split())
    assert not names.title_cased_line("Governor Lindqvist spoke at the Harbour Trust gala dinner".split())
    assert not names.title_cased_line("Sandra Haro".split())


def test_title_cased_lines_and_epithets_make_no_people():
    from pathlib import Path

    from quotegraph import extract

    text = (Path(__file__).parent / "articles" / "30_sources_named_before.txt").read_text(encoding="utf-8")
    art = extract(text)
    assert sorted(e.name for e in art.entities if e.kind == "person") == ["Dan Ruiz", "Ruth Kane"]
    kane = next(e for e in art.entities if e.name == "Ruth Kane")
    assert any(text[s:e] == "Crooked Ruth Kane" for s, e in kane.mentions)
    assert "Crooked Ruth Kane" not in kane.aliases  # an epithet is not a name she goes by
