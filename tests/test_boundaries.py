"""The boundary stage: candidate edges, features without text, the choice a model makes, and the
trainer (on the hand-written brat fixture; never on PolNeAR)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.lang.en.stop_words import STOP_WORDS

from quotegraph.find import boundaries
from quotegraph.pipeline import Extractor, Options, Prepared, find_candidates
from quotegraph.read.readers import read_string
from quotegraph.training import boundaries as training

CHECKOUT = Path(__file__).parent / "fixtures" / "brat" / "polnear"


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def _cands(extractor, text: str):
    prep: Prepared = extractor.prepare(read_string(text, name="<t>", format="text"))
    extractor.parse([prep])
    return prep, find_candidates(prep, Options())


def _one(extractor, text: str, cue: str):
    prep, cands = _cands(extractor, text)
    found = [c for c in cands if c.cue_token is not None and c.cue_token.text == cue]
    assert len(found) == 1, [(c.how, c.content) for c in cands]
    c = found[0]
    return prep.ctxs[c.para], c


TEXT = "The council met on Monday.\n\nMayor Ruth Okafor said on Monday that the bridge would reopen in May, adding that tolls would stay."


def test_candidates_stay_off_the_cue_and_the_source(extractor):
    ctx, c = _one(extractor, TEXT, "said")
    assert boundaries.refinable(c)
    st = boundaries.setting(ctx, c)
    words = {ctx.doc[i].text for i in boundaries.start_candidates(st)}
    assert {"that", "the", "on"} <= words  # the complementiser and the cue's adjunct are choices
    assert not words & {"Mayor", "Ruth", "Okafor", "said"}  # the source phrase and the cue are not
    ends = [ctx.doc[j].text for j in boundaries.end_candidates(st)]
    assert "May" in ends
    assert "stay" not in ends and "adding" not in ends  # an end never crosses another reporting verb
    assert all(not ctx.doc[j].is_punct for j in boundaries.end_candidates(st))


def test_features_hold_no_open_class_word(extractor):
    ctx, c = _one(extractor, TEXT, "said")
    st = boundaries.setting(ctx, c)
    feats = {f for i in boundaries.start_candidates(st) for f in boundaries.start_features(st, i)}
    feats |= {f for j in boundaries.end_candidates(st) for f in boundaries.end_features(st, j)}
    text_words = {w.strip(".,").lower() for w in TEXT.split()}
    for f in feats:
        for part in f.split("=", 1)[-1].split("|"):
            assert part not in text_words - STOP_WORDS, f


def _model(start: dict[str, float], end: dict[str, float]) -> boundaries.BoundaryModel:
    return boundaries.BoundaryModel(start, end, "hand-made")


def test_a_model_moves_the_edges_to_its_best_candidates(extractor):
    ctx, c = _one(extractor, TEXT, "said")
    before = ctx.text[c.content[0][0] : c.content[-1][1]]
    # a model that wants contents to start at 'on' and to end at the first sentence-internal comma
    m = _model({"w=on": 5.0}, {"nw=,": 5.0})
    assert boundaries.refine(ctx, c, m)
    after = ctx.text[c.content[0][0] : c.content[-1][1]]
    assert after == "on Monday that the bridge would reopen in May" != before
    assert c.kind == "indirect"
    # a model that prefers the finder's own edges leaves them be
    ctx, c = _one(extractor, TEXT, "said")
    assert not boundaries.refine(ctx, c, _model({"rule=Trueia": 9.0}, {"rule=Trueia": 9.0}))


def test_a_partial_quotation_may_take_the_words_before_it(extractor):
    text = 'Okafor said the bridge was "in better shape than anyone expected" after the repairs.'
    prep, cands = _cands(extractor, text)
    ctx = prep.ctxs[0]
    c = next(c for c in cands if c.cue_token is not None and c.cue_token.text == "said")
    m = _model({"w=the": 3.0, "pv=True": 2.0}, {})
    boundaries.refine(ctx, c, m)
    got = ctx.text[c.content[0][0] : c.content[-1][1]]
    assert got.startswith('the bridge was "in better shape')
    assert c.kind == "mixed" and len(c.quotes) == 1
    # whatever the model, a content never cuts a quotation in two
    for q in c.quotes:
        assert c.content[0][0] <= q.open_pos and q.end <= c.content[-1][1]


def test_the_stage_is_off_without_the_learned_stages(extractor):
    art_on = Extractor(Options()).extract(TEXT)
    art_off = Extractor(Options(learned=False)).extract(TEXT)
    assert all(q.text == art_on.text[q.span[0] : q.span[1]] for q in art_on.quotes)
    assert art_off.quotes  # the rules alone still find the report


def test_trainer_on_the_fixture_is_deterministic_and_keeps_no_text(tmp_path):
    a = training.learn(str(CHECKOUT), "train")
    assert a.start and a.end and a.pair, "the fixture yields examples"
    p1 = training.save(a, tmp_path / "a.json.gz")
    p2 = training.save(training.learn(str(CHECKOUT), "train"), tmp_path / "b.json.gz")
    assert p1.read_bytes() == p2.read_bytes()
    d = json.loads(gzip.decompress(p1.read_bytes()))
    assert set(d) == {"about", "meta", "start", "end", "pair"}
    assert d["meta"]["kind"] == "boundaries" and d["meta"]["data"] == "PolNeAR train split, 2 articles"
    fixture_words = set()
    for f in (CHECKOUT / "data" / "train" / "text").glob("*.txt"):
        fixture_words |= {w.strip(".,\"'").lower() for w in f.read_text(encoding="utf-8").split()}
    assert fixture_words - STOP_WORDS
    for k in list(d["start"]) + list(d["end"]) + list(d["pair"]):
        for part in k.split("=", 1)[-1].split("|"):
            assert part not in fixture_words - STOP_WORDS, k
    loaded = boundaries.load(str(p1))
    assert loaded is not None and loaded.start == d["start"] and loaded.end == d["end"] and loaded.pair == d["pair"]


def test_trainer_gives_the_same_bytes_under_any_hash_seed(tmp_path):
    """Set and dict orders of strings change with PYTHONHASHSEED: the model file must not."""
    code = ("import sys; from pathlib import Path; from quotegraph.training import boundaries as t; "
            "t.save(t.learn(sys.argv[1], 'train'), Path(sys.argv[2]))")
    outs = []
    for seed in ("0", "4242"):
        out = tmp_path / f"m{seed}.json.gz"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", code, str(CHECKOUT), str(out)], check=True, env=env)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0] == training.save(training.learn(str(CHECKOUT), "train"), tmp_path / "here.json.gz").read_bytes()


def test_trainer_refuses_the_test_split():
    with pytest.raises(ValueError, match="held out"):
        training.learn(str(CHECKOUT), "test")
