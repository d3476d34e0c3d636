"""The cue lexicon learner, on the hand-written brat fixture (never on PolNeAR)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotegraph.training.cues import learn, save

CHECKOUT = Path(__file__).parent / "fixtures" / "brat" / "polnear"


def test_learn_counts_cue_lemmas_and_frames(tmp_path):
    table = learn(str(CHECKOUT), "train", min_gold=1)
    cues = table["cues"]
    # "said" twice (the engineer, officials) and "added" once are gold cues in the fixture
    assert cues["say/VERB"]["gold"] == 2
    assert cues["say/VERB"]["total"] == 2  # the article without an annotation file is skipped
    assert cues["add/VERB"]["gold"] == 1
    assert cues["say/VERB"]["frames"]["ccomp"][0] == 2
    out = save(table, tmp_path / "cues.json")
    data = json.loads(out.read_text())
    assert data["split"] == "train" and data["articles"] == 2
    dumped = json.dumps(data)
    for sentence in ("the bridge is safe", "the library will close", "staff would be paid"):
        assert sentence not in dumped  # counts only, never corpus text


def test_learning_from_the_test_split_is_refused():
    with pytest.raises(ValueError, match="held out"):
        learn(str(CHECKOUT), "test")
