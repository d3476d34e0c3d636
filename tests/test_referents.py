"""Who a speaker is: the referent ranker over the article's people, and the constructions of
issue #23 a reader resolves without thinking (hand-written text; the trainer on the brat fixture,
never on PolNeAR)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from quotegraph.attribute import referents
from quotegraph.errors import ModelError
from quotegraph.learned import store
from quotegraph.pipeline import Extractor
from quotegraph.training import referents as training
from quotegraph.training.attributions import parse_articles

CHECKOUT = Path(__file__).parent / "fixtures" / "brat" / "polnear"


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def _speakers(extractor, text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker.name if q.speaker else None) for q in extractor.extract(text).quotes]


def _speaker_of(extractor, text: str, quote: str) -> str | None:
    found = [name for t, name in _speakers(extractor, text) if t.startswith(quote)]
    assert len(found) == 1, _speakers(extractor, text)
    return found[0]


# ------------------------------------------------------------------ constructions


def test_as_x_told_y_the_teller_speaks(extractor):
    text = ("The council met on Tuesday to discuss the budget.\n\n"
            "As Maria Okafor told reporters after the meeting, \"We cannot keep borrowing to pay for roads.\"")
    assert _speaker_of(extractor, text, "We cannot keep borrowing") == "Maria Okafor"


def test_in_the_words_of_x(extractor):
    text = ("The museum reopened on Friday after two years of repairs.\n\n"
            "In the words of Daniel Brooks, \"This building is finally safe for visitors again.\"")
    art = extractor.extract(text)
    assert [(q.text, q.speaker.name if q.speaker else None, q.cue.text if q.cue else None) for q in art.quotes] == [
        ("This building is finally safe for visitors again.", "Daniel Brooks", "In the words of")]


SPEAKERS = {
    # the quotation after 'X noted ...' is X's
    "noted": ("Farmers in the valley lost half their crop to the flood.\n\n"
              "James Whitfield, a dairy farmer, noted that the river had risen faster than anyone expected. "
              "\"We had two hours to move the animals.\"", "We had two hours", "James Whitfield"),
    # she/he: the one of two people whose gender agrees
    "she": ("Peter Lang and Susan Ellery argued about the new bridge at the hearing on Monday.\n\n"
            "Lang said the cost was too high. \"The bridge will pay for itself within ten years,\" she said.",
            "The bridge will pay", "Susan Ellery"),
    "he": ("Susan Ellery and Peter Lang argued about the new bridge at the hearing on Monday.\n\n"
           "Ellery said the cost was fair. \"The bridge will never pay for itself,\" he said.",
           "The bridge will never", "Peter Lang"),
    # 'she' right after a sentence about a second woman is that woman, not the first one named
    "nearest": ("Gov. Patricia Hollins unveiled a plan on Monday to build new homes over the next decade.\n\n"
                "Senate Minority Leader Joan Whitcombe has opposed every major spending bill this session.\n\n"
                "\"This plan is dead on arrival,\" she said.", "This plan is dead", "Joan Whitcombe"),
    # a role the article gave a named person is that person
    "role": ("Maria Okafor, the city treasurer, presented the budget on Monday.\n\n"
             "\"The reserves are lower than we would like,\" the treasurer said.", "The reserves are lower",
             "Maria Okafor"),
}


@pytest.mark.parametrize("case", SPEAKERS)
def test_the_speaker_a_reader_understands(extractor, case):
    text, quote, speaker = SPEAKERS[case]
    assert _speaker_of(extractor, text, quote) == speaker


def test_a_role_nobody_was_given_stays_unresolved(extractor):
    text = ("Maria Okafor, the city treasurer, presented the budget on Monday.\n\n"
            "\"The reserves are lower than we would like,\" the auditor said.")
    assert _speaker_of(extractor, text, "The reserves are lower") != "Maria Okafor"


def test_we_in_a_spokesperson_quote_is_the_spokesperson(extractor):
    text = ("Harbor Foods will close its plant in Easton next month.\n\n"
            "\"We have told the union that we will keep talking,\" said Dana Cole, a spokeswoman for Harbor Foods.")
    names = {name for _, name in _speakers(extractor, text)}
    assert names == {"Dana Cole"}


# ------------------------------------------------------------------ the ranker itself


def _ranker(extractor, text: str) -> tuple[referents.Ranker, str]:
    from quotegraph.people.registry import People
    from quotegraph.read.readers import read_string

    prep = extractor.prepare(read_string(text, name="t", format="text"))
    extractor.parse([prep])
    people = People(prep.ctxs)
    return referents.Ranker(people, referents.Discourse(prep.ctxs), referents.load()), prep.layout.text


def test_the_ranker_scores_every_person_before_the_mention_and_never_a_clashing_gender(extractor):
    text = ("The bridge hearing ran late on Monday.\n\n"
            "Peter Lang sat down with Susan Ellery and Tom Reyes after the long hearing. She said the bridge would open in May.")
    ranker, full = _ranker(extractor, text)
    pos = full.index("She")
    ranked = ranker.ranked(referents.Anaphor(pos, "f"))
    assert sorted(e.name for _, e in ranked) == ["Peter Lang", "Susan Ellery", "Tom Reyes"]
    assert abs(sum(p for p, _ in ranked) - 1.0) < 1e-9
    assert ranker.choose(referents.Anaphor(pos, "f")).name == "Susan Ellery"
    assert ranker.choose(referents.Anaphor(pos, "m")).name in ("Peter Lang", "Tom Reyes")
    # nobody mentioned at or after the mention is a candidate
    assert [e.name for _, e in ranker.ranked(referents.Anaphor(full.index("Susan"), "f"))] == ["Peter Lang"]


def test_the_speaker_of_the_quotation_is_never_its_own_pronoun(extractor):
    text = ("The bridge hearing ran late on Monday.\n\n"
            "Peter Lang sat down with Susan Ellery after the long hearing. Later, Susan Ellery told reporters about her.")
    ranker, full = _ranker(extractor, text)
    ellery = next(e for e in ranker.people.entities if e.name == "Susan Ellery")
    pos = full.index("her.")
    assert ranker.choose(referents.Anaphor(pos, "f", exclude=ellery.id)) is None


# ------------------------------------------------------------------ the model file and its trainer


def test_the_trainer_learns_from_named_sources_and_is_deterministic(tmp_path):
    parsed = parse_articles(str(CHECKOUT), "train")
    a = training.learn(str(CHECKOUT), "train", parsed=parsed)
    b = training.learn(str(CHECKOUT), "train", parsed=parsed)
    assert a.weights == b.weights
    p1, p2 = referents.save(a, tmp_path / "a.json.gz"), referents.save(b, tmp_path / "b.json.gz")
    assert p1.read_bytes() == p2.read_bytes()
    data = json.loads(gzip.decompress(p1.read_bytes()))
    assert data["meta"]["kind"] == "referents"
    assert all("=" in k for k in data["weights"])  # feature names only, no text


def test_a_missing_referent_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="referent_model.json.gz: the referents model file is missing; rebuild it"):
        referents.load(str(tmp_path / "referent_model.json.gz"))


def test_the_referent_model_is_listed_before_the_models_whose_trainers_run_resolution():
    kinds = [m.kind for m in store.MODELS]
    assert kinds.index("names") < kinds.index("referents") < kinds.index("attributions")
