"""The act of every record (statement, belief, intention, knowledge), whether it happened
(asserted, negated, hypothetical), and the default output: asserted statements from a source
(issue #23). Invented, hand-written text throughout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quotegraph import Extractor, ModelError, Options
from quotegraph.corpus import Corpus, Store
from quotegraph.corpus.filtering import QuoteFilter
from quotegraph.corpus.store import ItemMeta
from quotegraph.decide.acts import factuality, keep_acts
from quotegraph.learned import acts as act_model
from quotegraph.learned import store
from quotegraph.pipeline.nlp import load_model
from quotegraph.training.acts import read_labels
from quotegraph.web.article_view import shown_records

SRC = Path(__file__).resolve().parent.parent / "src"

# one record per line of the text: (the start of its content, its act, its factuality)
ARTICLE = """\
The harbour master, Ana Ruiz, said the new pier would open in May.

"We are on schedule and on budget," Ruiz told reporters on Monday.

According to a report by the port authority, the dredging cost 4 million dollars.

Council member Tom Reyes believes the repairs will cost more than planned.

Reyes fears the ferry company will raise its prices.

The ferry company wants the council to lower the harbour fees.

The fishermen hope the pier will bring more visitors to the town.

The harbour master knows that two of the old piles have rotted through.

The mayor did not say whether the old pier would be torn down.

The contractor declined to comment on the delays.

If she were asked, the harbour master would say the pier is the safest on the coast.
"""

EXPECTED = [
    ("the new pier would open in May", "statement", "asserted"),
    ("We are on schedule", "statement", "asserted"),
    ("the dredging cost", "statement", "asserted"),
    ("the repairs will cost more", "belief", "asserted"),
    ("the ferry company will raise", "belief", "asserted"),
    ("the council to lower", "intention", "asserted"),
    ("the pier will bring more visitors", "intention", "asserted"),
    ("that two of the old piles", "knowledge", "asserted"),
    ("whether the old pier would be torn down", "statement", "negated"),
    ("the delays", "statement", "negated"),
    ("the pier is the safest", "statement", "hypothetical"),
]


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _records(nlp, acts: str, text: str = ARTICLE):
    return Extractor(Options(acts=acts), nlp=nlp).extract(text, format="text").quotes


def _find(quotes, start: str):
    found = [q for q in quotes if q.text.lstrip("\"“ ").startswith(start)]
    assert len(found) == 1, (start, [q.text for q in quotes])
    return found[0]


@pytest.mark.parametrize("start,act,fact", EXPECTED, ids=[f"{a}-{f}:{s[:16]}" for s, a, f in EXPECTED])
def test_every_record_has_its_act_and_factuality(nlp, start, act, fact):
    q = _find(_records(nlp, "all"), start)
    assert (q.act, q.factuality) == (act, fact), (q.text, q.cue)


def test_default_output_holds_asserted_statements_from_a_source_only(nlp):
    quotes = _records(nlp, "statements")
    assert quotes, "the statements of the article are kept"
    assert {q.act for q in quotes} == {"statement"}
    assert {q.factuality for q in quotes} == {"asserted"}
    assert all(q.speaker is not None for q in quotes)
    kept = {start for start, act, fact in EXPECTED if act == "statement" and fact == "asserted"}
    for start in kept:
        _find(quotes, start)
    # and by default, with no options at all: no belief, intention or knowledge records
    default = Extractor(nlp=nlp).extract(ARTICLE, format="text").quotes
    assert not [q for q in default if q.act in ("belief", "intention", "knowledge")]
    assert [q.text for q in default] == [q.text for q in quotes]


def test_all_keeps_what_statements_drops(nlp):
    every = _records(nlp, "all")
    assert {q.act for q in every} == {"statement", "belief", "intention", "knowledge"}
    assert {q.factuality for q in every} == {"asserted", "negated", "hypothetical"}
    assert len(every) > len(_records(nlp, "statements"))


def test_a_direct_quotation_is_a_statement_whatever_verb_frames_it(nlp):
    """The words in quotation marks are the source's own: said, whatever the verb before the
    colon; the same verb with a clause of the writer's is still the act the model gives."""
    text = ('Dr. Ana Silva runs the night ward, and she resents it: "We turn people away every night."\n\n'
            'The porter fears: "One night the roof will fall in on all of us."\n\n'
            'The porter fears that the boiler will fail before the winter.\n')
    every = _records(nlp, "all", text)
    for start in ("We turn people away", "One night the roof"):
        q = _find(every, start)
        assert (q.kind, q.act, q.factuality) == ("direct", "statement", "asserted"), (q.text, q.cue)
    assert _find(every, "that the boiler will fail").act == "belief"
    default = _records(nlp, "statements", text)
    assert {q.text for q in default} == {"We turn people away every night.", "One night the roof will fall in on all of us."}


def test_store_web_and_extraction_show_the_same_records(nlp, tmp_path):
    """One meaning of "statements": an article extracted with every act and stored shows, by
    default, in the store's search and on the web's article page, exactly the records extraction
    keeps by default (no negated nor hypothetical statement)."""
    every = Extractor(Options(acts="all"), nlp=nlp).extract(ARTICLE, format="text", id="a1")
    default = {q.text for q in _records(nlp, "statements")}
    assert {q.text for q in every.quotes if q.factuality != "asserted" and q.act == "statement"}, "the article has some"
    db = tmp_path / "acts.db"
    with Store(db) as s:
        s.add_article(ItemMeta(key="a1", source="a1.txt"), every)
    with Corpus(db) as c:
        stored = {o["text"] for h in c.search("", limit=50) for o in h["occurrences"]}
        stored_all = {o["text"] for h in c.search("", limit=50, acts="all") for o in h["occurrences"]}
    assert stored == default
    assert stored_all == {q.text for q in every.quotes}
    assert {q.text for q in shown_records(every, QuoteFilter()).quotes} == default


def test_a_quotation_without_a_source_is_not_in_the_default_output(nlp):
    text = ('The meeting ran late into the night.\n\n'
            '"Nobody here wants another year of closures and detours on the coast road," read a banner by the door.\n\n'
            '"We will keep the school open whatever it costs this town in the end, and that is a promise to every parent."\n')
    every = _records(nlp, "all", text)
    unsourced = [q for q in every if q.speaker is None]
    assert unsourced, [q.text for q in every]
    default = _records(nlp, "statements", text)
    assert all(q.speaker is not None for q in default)


@pytest.mark.parametrize("sentence,expected", [
    ("The mayor did not say when the pier would open.", "negated"),
    ("The mayor never said the pier would open in May.", "negated"),
    ("Nobody said the pier would open in May.", "negated"),
    ("The mayor refused to say when the pier would open.", "negated"),
    ("The mayor would not say when the pier would open.", "negated"),
    ("The mayor might not say that the pier is late.", "hypothetical"),
    ("The mayor would say that the pier is late.", "hypothetical"),
    ("The mayor may argue that the pier is late.", "hypothetical"),
    ("If the mayor says the pier is late, the council will meet.", "hypothetical"),
    ("The mayor would only say that the pier is late.", "asserted"),
    ("The mayor not only said that the pier is late but also blamed the builders.", "asserted"),
    ("The mayor has said that the pier is late.", "asserted"),
])
def test_factuality_is_grammar(nlp, sentence, expected):
    doc = nlp(sentence)
    cue = next(t for t in doc if t.lemma_ in ("say", "argue"))
    assert factuality(cue) == expected


def test_keep_acts_refuses_an_unknown_mode():
    with pytest.raises(ValueError, match="statements, all"):
        keep_acts([], "beliefs")


def test_act_model_is_checked_on_load(tmp_path, monkeypatch):
    monkeypatch.setenv(store.MODEL_DIR_ENV, str(tmp_path))
    with pytest.raises(ModelError, match=r"act_model\.json: the acts model file is missing; rebuild it with `quotegraph train acts"):
        act_model.load.__wrapped__()
    (tmp_path / "act_model.json").write_text('{"meta": {"kind": "speakers", "features": 1, "what": "", "data": "", '
                                             '"command": "", "inputs_sha256": ""}, "weights": {}, "groups": []}')
    with pytest.raises(ModelError, match="a speakers model where the acts model belongs"):
        act_model.load.__wrapped__()


def test_shipped_act_model_says_how_it_was_chosen():
    model = act_model.load()
    assert model.meta is not None and model.meta.kind == "acts"
    assert set(model.groups) <= set(act_model.GROUPS) and "lemma" in model.groups
    assert set(model.cv["per_act"]) == set(act_model.ACTS)
    assert model.cv["accuracy"] > 0.8  # 5-fold CV on the hand labels (training.acts)


def test_labels_hold_offsets_and_labels_only():
    labels = read_labels()
    assert len(labels) >= 400
    assert {lab.act for lab in labels} == set(act_model.ACTS)
    raw = (Path(__file__).resolve().parent.parent / "eval" / "acts" / "polnear-train.jsonl").read_text(encoding="utf-8")
    assert all(set(json.loads(line)) == {"doc", "cue", "act", "factuality"} for line in raw.splitlines())


def test_read_labels_names_a_bad_line(tmp_path):
    f = tmp_path / "labels.jsonl"
    f.write_text('{"doc": "a", "cue": [[1, 4]], "act": "statement", "factuality": "asserted"}\n{"doc": "b"}\n')
    with pytest.raises(ValueError, match=r"labels\.jsonl:2: not a label"):
        read_labels(f)
    f.write_text('{"doc": "a", "cue": [[1, 4]], "act": "opinion", "factuality": "asserted"}\n')
    with pytest.raises(ValueError, match="unknown act"):
        read_labels(f)


def test_cli_extract_acts(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Council member Tom Reyes believes the repairs will cost more than planned.\n\n"
                 "The harbour master said the new pier would open in May.\n", encoding="utf-8")

    def run(*extra: str) -> list[tuple[str, str]]:
        proc = subprocess.run([sys.executable, "-m", "quotegraph.cli", "extract", str(f), "--format", "jsonl", *extra],
                              capture_output=True, text=True, timeout=600, env={"PYTHONPATH": str(SRC), "PATH": ""})
        assert proc.returncode == 0, proc.stderr
        return [(q["text"], q["act"]) for q in json.loads(proc.stdout)["quotes"]]

    assert run() == [("the new pier would open in May", "statement")]
    assert run("--acts", "all") == [("the repairs will cost more than planned", "belief"),
                                     ("the new pier would open in May", "statement")]
    proc = subprocess.run([sys.executable, "-m", "quotegraph.cli", "extract", str(f), "--acts", "beliefs"],
                          capture_output=True, text=True, timeout=600, env={"PYTHONPATH": str(SRC), "PATH": ""})
    assert proc.returncode == 2 and "--acts" in proc.stderr
