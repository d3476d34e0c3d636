"""The calibrated confidence (``learned.confidence``, ``decide.confidence.calibrate``,
``training.confidence``): the shipped map, the model's reading of a record on invented text,
``Options.min_confidence``, and the trainer on invented examples (never on PolNeAR)."""

from __future__ import annotations

import json

import pytest

from quotegraph import Extractor, ModelError, Options
from quotegraph.evaluation.reliability import Bin, ece, high_share, markdown, reliability, svg
from quotegraph.learned import confidence, store
from quotegraph.pipeline.nlp import load_model
from quotegraph.training.confidence import Examples, fit

NAMED = "\u201cWe checked every bolt on the bridge,\u201d Inspector Maria Hale said on Tuesday.\n"
# the same quotation, long enough to be reported, and nobody named anywhere
UNNAMED = "The bridge opened on Tuesday.\n\n\u201cWe checked every bolt on the bridge and every cable before it opened again.\u201d\n"


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def test_the_shipped_map_is_monotone_and_a_probability():
    cal = confidence.load().calibration
    grid = [k / 1000 for k in range(1001)]
    values = [cal(x) for x in grid]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(b >= a for a, b in zip(values, values[1:], strict=False))
    assert values[-1] > values[0]  # it separates something
    assert cal(-5.0) == values[0] and cal(5.0) == values[-1]  # flat beyond its ends


def test_a_map_that_goes_down_or_leaves_zero_one_is_refused(tmp_path):
    with pytest.raises(ValueError, match="non-decreasing"):
        confidence.Calibration([0.1, 0.5, 0.9], [0.2, 0.6, 0.4])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        confidence.Calibration([0.1, 0.9], [0.2, 1.2])
    d = json.loads(store.CONFIDENCE.packaged.read_text(encoding="utf-8"))
    d["calibration"]["y"] = list(reversed(d["calibration"]["y"]))
    bad = tmp_path / "confidence_model.json"
    bad.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(ModelError, match=f"{bad}: the confidence model is damaged"):
        confidence.load(str(bad))


def test_the_interpolation_between_points():
    cal = confidence.Calibration([0.2, 0.4, 0.4, 0.8], [0.1, 0.3, 0.5, 0.9])
    assert cal(0.0) == 0.1 and cal(0.3) == pytest.approx(0.2) and cal(0.6) == pytest.approx(0.7) and cal(1.0) == 0.9


def test_a_named_speaker_makes_a_record_surer_than_none(nlp):
    ex = Extractor(Options(acts="all"), nlp=nlp)  # UNNAMED: a quotation with no source (not in the default output)
    named = ex.extract(NAMED).quotes
    unnamed = ex.extract(UNNAMED).quotes
    assert [q.speaker.text if q.speaker else None for q in named] == ["Maria Hale"]
    assert [q.speaker for q in unnamed] == [None]
    assert 0.0 <= unnamed[0].confidence < named[0].confidence <= 1.0


def test_min_confidence_drops_the_records_below_it(nlp):
    text = NAMED + "\n" + UNNAMED
    everything = Extractor(Options(acts="all"), nlp=nlp).extract(text).quotes
    assert len(everything) == 2
    low, high = sorted(q.confidence for q in everything)
    assert low < high
    kept = Extractor(Options(acts="all", min_confidence=(low + high) / 2), nlp=nlp).extract(text).quotes
    assert [(q.text, q.confidence) for q in kept] == [(q.text, q.confidence) for q in everything if q.confidence == high]
    assert Extractor(Options(acts="all", min_confidence=low), nlp=nlp).extract(text).quotes == everything
    assert Extractor(Options(acts="all", min_confidence=1.0), nlp=nlp).extract(text).quotes == [q for q in everything if q.confidence >= 1.0]


def _invented_examples() -> Examples:
    """20 articles; a record with a named speaker is right 9 times in 10, one without 3 in 10."""
    records = []
    for n in range(20):
        for k in range(10):
            records.append((n, ["bias", "spk=name:PERSON"], ["bias"], 0.7, int(k < 9)))
            records.append((n, ["bias", "spk=none"], ["bias"], 0.7, int(k < 3)))
    return Examples([(n, ["bias", "x"], n % 2) for n in range(20)], records)


def test_the_trainer_calibrates_out_of_fold():
    fitted = fit(_invented_examples())
    m = fitted.model
    named = m.prob(["bias", "spk=name:PERSON", "filter=<=0.7"])
    unnamed = m.prob(["bias", "spk=none", "filter=<=0.7"])
    # the calibrated probabilities are the shares right (isotonic regression over two groups)
    assert named == pytest.approx(0.9, abs=0.01) and unnamed == pytest.approx(0.3, abs=0.01)
    assert sorted({p for p, _ in fitted.oof}) == [pytest.approx(0.3, abs=0.01), pytest.approx(0.9, abs=0.01)]
    assert fit(_invented_examples()).model.to_json() == m.to_json()  # deterministic


def test_reliability_bins_and_ece():
    records = [(0.95, True)] * 9 + [(0.95, False)] + [(0.35, True)] * 3 + [(0.35, False)] * 7
    table = reliability(records)
    assert len(table) == 10 and [b.count for b in table] == [0, 0, 0, 10, 0, 0, 0, 0, 0, 10]
    assert table[9] == Bin(0.9, 1.0, 10, pytest.approx(0.95), 0.9)
    assert ece(table) == pytest.approx((0.05 + 0.05) / 2)
    assert high_share(records) == (0.5, 0.9, 10)
    assert "| 0.95 | 10 | 50.0% | 90.0% |" in markdown(records, "invented")
    drawn = svg([("invented", records)], "a <test>")
    assert drawn.startswith("<svg") and "a &lt;test&gt;" in drawn and drawn.count("<circle") == 2


def test_min_confidence_with_the_rules_alone_reads_their_own_scores(nlp):
    everything = Extractor(Options(acts="all", learned=False), nlp=nlp).extract(NAMED + "\n" + UNNAMED).quotes
    low, high = sorted(q.confidence for q in everything)
    assert low < high  # the rules' hand-set scores: a speaker found, or none
    kept = Extractor(Options(acts="all", learned=False, min_confidence=high), nlp=nlp).extract(NAMED + "\n" + UNNAMED).quotes
    assert [q.confidence for q in kept] == [high]
