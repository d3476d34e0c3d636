"""The parse stand-ins (quotegraph.pipeline.nlp.pipe): exactly spaCy's annotations, faster."""

from __future__ import annotations

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, TAG

from quotegraph.pipeline.nlp import load_model, pipe, stand_ins

TEXTS = [
    "\u201cWe\u2019re gonna rebuild it,\u201d Mayor Ana Ruiz told reporters. There is no money, y\u2019all know that.",
    "Ain't nobody waiting, she said. Let's go! C'mon, there are two more bridges to fix, and there were three.",
    "The council's finance director, Tom Reyes, warned that costs had risen; he'd been saying so for months.",
    "   ",
    "Oui.",
    "According to the report, 43% of the ferries were late in 2025 \u2014 the worst year since records began.",
]
ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]


def test_stand_ins_give_spacys_annotations_token_for_token():
    nlp = load_model()
    names = [type(p).__name__ for _, p, _ in stand_ins(nlp)]
    assert "CachedLemmatizer" in names and "CachedAttributeRuler" in names
    for _ in range(2):  # the second pass runs from the caches
        ours = list(pipe(nlp, TEXTS * 3, batch_size=4))
        ref = list(nlp.pipe(TEXTS * 3, batch_size=4))
        assert [d.text for d in ours] == [d.text for d in ref]
        for a, b in zip(ours, ref, strict=False):
            assert np.array_equal(a.to_array(ATTRS), b.to_array(ATTRS)), a.text
    lemmas = {t.text.lower(): t.lemma_ for t in ours[1]}
    assert lemmas["ai"] == "be" and lemmas["c'm"] == "come"  # rules spanning two tokens still apply
    there = [t for t in ours[1] if t.dep_ == "expl"]
    assert there and all(t.head.pos_ == "VERB" for t in there)
