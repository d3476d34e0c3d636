"""The speaker stage: candidates, features, the packaged model's second look at the rules'
choice, and its trainer (on the hand-written brat fixture; never on PolNeAR)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from quotegraph.attribute import speakers
from quotegraph.pipeline import Extractor, Options, stages
from quotegraph.training import speakers as training

CHECKOUT = Path(__file__).parent / "fixtures" / "brat" / "polnear"


@pytest.fixture(scope="module")
def extractor():
    # PARC's full set: some records here ('limits that bar most rentals') are no statement
    return Extractor(Options(acts="all"))


def _speakers(extractor, text: str, model_on: bool, monkeypatch) -> list[tuple[str, str]]:
    real = stages.choose_speakers
    monkeypatch.setattr(stages, "choose_speakers", real if model_on else (lambda p, cands, model: None))
    try:
        art = extractor.extract(text)
    finally:
        monkeypatch.setattr(stages, "choose_speakers", real)
    return [(q.text, q.speaker.text if q.speaker else "") for q in art.quotes]


def test_model_prefers_the_named_subject_over_a_possessive(extractor, monkeypatch):
    text = "In a speech in Dayton on Friday, Governor Alma Reyes laid out her proposals to expand rail service across the state."
    assert _speakers(extractor, text, False, monkeypatch) == [("to expand rail service across the state", "her")]
    assert _speakers(extractor, text, True, monkeypatch) == [("to expand rail service across the state", "Alma Reyes")]


def test_model_prefers_the_antecedent_over_a_relative_pronoun(extractor, monkeypatch):
    text = "After a vote in March, the city council imposed sweeping new limits that bar most short-term rentals in the old town."
    assert _speakers(extractor, text, False, monkeypatch) == [("most short-term rentals in the old town", "that")]
    assert _speakers(extractor, text, True, monkeypatch) == [("most short-term rentals in the old town", "city council")]


def test_object_of_a_control_verb_speaks(extractor):
    text = "Senator Ann Lowe forced Peter Stumpf, the bank's chief, to admit that no executives had been fired."
    q = extractor.extract(text).quotes
    assert [(x.text, x.speaker.text, x.cue.text) for x in q] == [("that no executives had been fired", "Peter Stumpf", "admit")]


def test_a_company_in_apposition_keeps_its_name(extractor):
    text = "PITTSBURGH — Loomis Robotics, the warehouse-automation company, said on Thursday it would cut 300 jobs."
    q = extractor.extract(text).quotes
    assert len(q) == 1
    assert q[0].speaker.text == "Loomis Robotics"
    assert q[0].speaker.phrase.text == "Loomis Robotics, the warehouse-automation company"


def test_candidates_skip_the_dateline_and_the_content(extractor):
    from quotegraph.attribute.attribution import ParaCtx
    from quotegraph.find.quotemarks import find_quotes

    text = "WASHINGTON — The senator said the vote would pass easily."
    ctx = ParaCtx(index=0, offset=0, text=text, role="body", doc=extractor.nlp(text), quotes=find_quotes(text))
    cue = next(t for t in ctx.doc if t.lemma_ == "say")
    content = [(text.index("the vote"), len(text) - 1)]
    names = [t.text for t in speakers.candidates(ctx, cue, content)]
    assert names == ["senator"]


def test_dep_path_between_a_cue_and_its_subject(extractor):
    doc = extractor.nlp("The senator said the vote would pass, arguing that it was overdue.")
    said, senator, arguing = doc[2], doc[1], doc[8]
    assert (said.text, senator.text, arguing.text) == ("said", "senator", "arguing")
    assert speakers.dep_path(said, senator) == ">nsubj"
    assert speakers.dep_path(senator, said) == "^nsubj"
    path = speakers.dep_path(arguing, senator)
    assert path is not None and path.startswith("^") and path.endswith(">nsubj"), path
    assert speakers.dep_path(arguing, senator, limit=1) is None


def test_trainer_on_the_fixture_is_deterministic(tmp_path):
    a = training.learn(str(CHECKOUT), "train")
    b = training.learn(str(CHECKOUT), "dev")
    p1 = speakers.save(a, tmp_path / "a.json.gz")
    p2 = speakers.save(training.learn(str(CHECKOUT), "train"), tmp_path / "b.json.gz")
    assert p1.read_bytes() == p2.read_bytes()
    d = json.loads(gzip.decompress(p1.read_bytes()))
    assert d["weights"], "the fixture yields examples"
    assert "bias" in d["weights"]
    # weights are keyed by labels and dictionary words only: no names from the text
    assert not any(ch.isupper() for k in d["weights"] for ch in k.split("=", 1)[-1] if k.startswith("N="))
    assert b.about != a.about
    loaded = speakers.load(str(p1))
    assert loaded is not None and loaded.weights == {k: v for k, v in d["weights"].items()}


def test_trainer_refuses_the_test_split():
    with pytest.raises(ValueError, match="held out"):
        training.learn(str(CHECKOUT), "test")


def test_source_phrase_of_a_conjunct_is_the_coordination(extractor):
    # PolNeAR's sources are the coordination as written ('Regulators and environmental groups'),
    # whichever conjunct the speaker choice lands on; the first conjunct's phrase was already whole
    from quotegraph.attribute.attribution import source_phrase

    text = "Regulators and environmental groups warned that the spill would spread."
    doc = extractor.nlp(text)
    first, second = doc[0], doc[3]
    assert (first.dep_, second.dep_) == ("nsubj", "conj")
    for head in (first, second):
        s, e = source_phrase(doc, head, doc[4])
        assert text[s:e] == "Regulators and environmental groups"
