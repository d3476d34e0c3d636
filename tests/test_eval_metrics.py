"""Scorer tests on hand-built gold and predictions (invented sentences, figures worked out by hand)."""

import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from quotegraph.evaluation.metrics import (  # noqa: E402
    GoldItem,
    PredItem,
    Totals,
    classify_content,
    exact_key,
    match_exact,
    match_greedy,
    overlap,
    score_document,
    trim_span,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "brat" / "polnear" / "data"
ALPHA = (FIXTURES / "dev" / "text" / "alpha_council-vote.txt").read_text(encoding="utf-8")
BETA = (FIXTURES / "dev" / "text" / "beta_storm-warning.txt").read_text(encoding="utf-8")


def span_of(text, s, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(s, i + 1)
    return (i, i + len(s))


# ---------------------------------------------------------------- trimming & keys


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("\u201cWe will win,\u201d", "We will win"),
        ("  that it is over. ", "that it is over"),
        ("\u2018Fine\u2019", "Fine"),
        ('"Done."', "Done"),
        ("\u00abOui\u00bb;", "Oui"),
        ("the plan \u201ca gamble\u201d", "the plan \u201ca gamble"),
        ("Yes?\u201d", "Yes?"),
        ("\u201c,\u201d", ""),
        ("''We will win,''", "We will win"),
    ],
)
def test_trim_span(raw, expected):
    text = "xx " + raw + " yy"
    a, b = trim_span(text, (3, 3 + len(raw)))
    assert text[a:b] == expected


def test_exact_key_uses_extent_of_pieces():
    text = "\u201cGo,\u201d he said, \u201cnow.\u201d"
    pieces = [span_of(text, "\u201cGo,\u201d"), span_of(text, "\u201cnow.\u201d")]
    a, b = exact_key(text, pieces)
    assert text[a:b] == "Go,\u201d he said, \u201cnow"
    assert exact_key(text, [(0, len(text))]) == (a, b)
    assert exact_key(text, [(0, 1)]) == (0, 1)  # only punctuation: kept as it is
    assert exact_key("a : b", [(1, 4)]) == (2, 3)  # a colon cue
    assert exact_key("a   b", [(1, 4)]) is None


@pytest.mark.parametrize(
    "content, kind",
    [
        ("\u201cWe will win,\u201d", "direct"),
        ('"We will win."', "direct"),
        ("\u2018We will win\u2019", "direct"),
        ("\u201cWe said \u2018no\u2019 twice.\u201d", "direct"),
        ("the plan \u201ca reckless gamble\u201d", "mixed"),
        ("that it was \u201cover,\u201d and final", "mixed"),
        ("it was \u2018over\u2019", "mixed"),
        ("that the budget would be balanced", "indirect"),
        ("the candidates\u2019 plans don\u2019t add up", "indirect"),
        ("''We will win,''", "direct"),
        ("the plan was ''a disaster''", "mixed"),
        ("the voters' choice", "indirect"),
    ],
)
def test_classify_content(content, kind):
    text = "He said " + content + " today."
    assert classify_content(text, [span_of(text, content)]) == kind


def test_classify_discontinuous_direct():
    text = "\u201cGo,\u201d he said, \u201cnow.\u201d"
    pieces = [span_of(text, "\u201cGo,\u201d"), span_of(text, "\u201cnow.\u201d")]
    assert classify_content(text, pieces) == "direct"
    # the same extent as one piece contains unquoted words
    assert classify_content(text, [(0, len(text))]) == "mixed"


def test_overlap_of_piece_lists():
    assert overlap([(0, 10)], [(5, 20)]) == 5
    assert overlap([(0, 4), (10, 14)], [(2, 12)]) == 4
    assert overlap([(0, 4)], [(4, 8)]) == 0


def test_match_exact_is_one_to_one():
    assert match_exact([(1, 2), (1, 2), (3, 4)], [(1, 2), (5, 6)]) == [(0, 0)]
    assert match_exact([None, (1, 2)], [None, (1, 2)]) == [(1, 1)]


def test_match_greedy_threshold_is_strict_and_relative_to_gold():
    gold = [[(0, 10)]]
    assert match_greedy(gold, [[(0, 3)]], 0.3) == []  # exactly 30%: not more than
    assert match_greedy(gold, [[(0, 4)]], 0.3) == [(0, 0)]
    assert match_greedy(gold, [[(0, 100)]], 0.8) == [(0, 0)]  # long prediction still covers gold
    assert match_greedy(gold, [[(0, 8)]], 0.8) == []
    assert match_greedy(gold, [[(0, 9)]], 0.8) == [(0, 0)]


def test_match_greedy_prefers_best_coverage_one_to_one():
    gold = [[(0, 10)], [(20, 30)]]
    pred = [[(0, 25)], [(0, 10)]]
    # pred 1 covers gold 0 fully and tightly; pred 0 then goes to gold 1 (50%)
    assert match_greedy(gold, pred, 0.3) == [(0, 1), (1, 0)]
    assert match_greedy(gold, pred, 0.8) == [(0, 1)]


# ---------------------------------------------------------------- whole documents


def alpha_gold():
    t = ALPHA
    return [
        GoldItem.build(t, [span_of(t, "\u201cWe need more time to read the numbers,\u201d")], [span_of(t, "said")], [span_of(t, "council member Ana Ruiz")], "E1"),
        GoldItem.build(t, [span_of(t, "that the budget would be balanced by spring")], [span_of(t, "said", 1)], [span_of(t, "The mayor")], "E2"),
        GoldItem.build(t, [span_of(t, "the city has enough reserves for two years")], [span_of(t, "According to")], [span_of(t, "the treasurer")], "E3"),
        GoldItem.build(t, [span_of(t, "the plan \u201ca reckless gamble\u201d")], [span_of(t, "called")], [span_of(t, "Ruiz")], "E4"),
    ]


def alpha_pred():
    t = ALPHA
    return [
        # exact after trimming quotes/comma; speaker only overlaps the gold source
        PredItem([span_of(t, "We need more time to read the numbers")], "direct", span_of(t, "said"), span_of(t, "Ana Ruiz"), "P1"),
        # leaves out "that": 38/43 = 88% of gold, not exact
        PredItem([span_of(t, "the budget would be balanced by spring")], "indirect", span_of(t, "said", 1), span_of(t, "The mayor"), "P2"),
        # "the plan" = 8 of the 27 trimmed gold characters (29.6%): no match
        PredItem([span_of(t, "the plan")], "indirect", span_of(t, "called"), span_of(t, "Ruiz"), "P3"),
    ]


def test_gold_types():
    assert [g.type for g in alpha_gold()] == ["direct", "indirect", "indirect", "mixed"]


def close(x, y):
    return x == pytest.approx(y, abs=1e-9)


def test_alpha_scores_worked_out_by_hand():
    res = score_document(ALPHA, alpha_gold(), alpha_pred())
    s = res.scores
    # content exact: P1 only -> P 1/3, R 1/4
    assert close(s["content_exact"].precision(), 1 / 3) and close(s["content_exact"].recall(), 1 / 4)
    assert close(s["content_exact"].f1(), 2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))
    # lenient 30 and 80: P1, P2 -> P 2/3, R 2/4
    for m in ("content_lenient30", "content_lenient80"):
        assert close(s[m].precision(), 2 / 3) and close(s[m].recall(), 1 / 2), m
    # cues: 3 predicted, all exact; 4 gold
    assert close(s["cue_exact"].precision(), 1.0) and close(s["cue_exact"].recall(), 3 / 4)
    # sources exact: "The mayor", "Ruiz" (not "Ana Ruiz" vs "council member Ana Ruiz")
    assert close(s["source_exact"].precision(), 2 / 3) and close(s["source_exact"].recall(), 2 / 4)
    # source overlap: all three predicted speakers overlap a gold source
    assert close(s["source_overlap"].precision(), 1.0) and close(s["source_overlap"].recall(), 3 / 4)
    # end to end: the two lenient pairs both have overlapping speakers
    assert close(s["end_to_end"].precision(), 2 / 3) and close(s["end_to_end"].recall(), 1 / 2)
    assert (res.speaker.correct, res.speaker.total) == (2, 2)
    assert res.missed == [2, 3] and res.spurious == [2]


def test_alpha_scores_by_type():
    s = score_document(ALPHA, alpha_gold(), alpha_pred()).scores["content_lenient30"]
    # gold types: direct 1 (hit), indirect 2 (1 hit), mixed 1 (missed)
    assert (s.gold["direct"], s.gold_hit["direct"]) == (1, 1)
    assert (s.gold["indirect"], s.gold_hit["indirect"]) == (2, 1)
    assert (s.gold["mixed"], s.gold_hit["mixed"]) == (1, 0)
    # predicted kinds: direct 1 (hit), indirect 2 (1 hit)
    assert close(s.precision("direct"), 1.0) and close(s.recall("direct"), 1.0)
    assert close(s.precision("indirect"), 1 / 2) and close(s.recall("indirect"), 1 / 2)
    assert close(s.f1("indirect"), 1 / 2)
    assert s.precision("mixed") == 0.0 and s.recall("mixed") == 0.0 and s.f1("mixed") == 0.0
    exact = score_document(ALPHA, alpha_gold(), alpha_pred()).scores["content_exact"]
    assert close(exact.recall("direct"), 1.0) and close(exact.recall("indirect"), 0.0)


def test_three_gold_three_predicted_two_match():
    t = ALPHA
    gold = alpha_gold()[:3]
    pred = [
        PredItem([span_of(t, "\u201cWe need more time to read the numbers,\u201d")], "direct", span_of(t, "said"), span_of(t, "Ana Ruiz")),
        PredItem([span_of(t, "that the budget would be balanced by spring.")], "indirect", span_of(t, "said", 1), span_of(t, "City council")),
        PredItem([span_of(t, "promised to vote against it")], "indirect", None, None),
    ]
    res = score_document(t, gold, pred)
    for m in ("content_exact", "content_lenient30", "content_lenient80"):
        sc = res.scores[m]
        assert close(sc.precision(), 2 / 3) and close(sc.recall(), 2 / 3) and close(sc.f1(), 2 / 3), m
    # cues: 2 predicted, both right; 3 gold
    assert close(res.scores["cue_exact"].precision(), 1.0) and close(res.scores["cue_exact"].recall(), 2 / 3)
    # end to end: the second pair has a speaker in the headline -> only one
    assert close(res.scores["end_to_end"].precision(), 1 / 3) and close(res.scores["end_to_end"].recall(), 1 / 3)
    assert (res.speaker.correct, res.speaker.total) == (1, 2)


def beta_gold():
    t = BETA
    return [
        GoldItem.build(t, [span_of(t, "\u201cStay indoors,\u201d"), span_of(t, "\u201cand keep your phones charged.\u201d")], [span_of(t, "said")], [span_of(t, "the forecaster")]),
        GoldItem.build(t, [span_of(t, "that the storm will weaken overnight")], [span_of(t, "believed")], []),
    ]


def test_discontinuous_and_sourceless():
    t = BETA
    gold = beta_gold()
    assert [g.type for g in gold] == ["direct", "indirect"]
    pred = [
        # two pieces without the quotation marks: same trimmed extent as the gold
        PredItem([span_of(t, "Stay indoors"), span_of(t, "and keep your phones charged")], "direct", span_of(t, "said"), span_of(t, "coast")),
        # no speaker predicted for a source-less attribution: end-to-end correct
        PredItem([span_of(t, "the storm will weaken overnight")], "indirect", span_of(t, "believed"), None),
    ]
    res = score_document(t, gold, pred)
    s = res.scores
    assert s["content_exact"].tp == 1  # the discontinuous direct quote
    assert s["content_lenient80"].tp == 2  # 31/36 = 86% of the indirect one
    assert s["cue_exact"].tp == 2
    # only one gold and one predicted source; they do not overlap
    assert (s["source_overlap"].gold["all"], s["source_overlap"].pred["all"], s["source_overlap"].tp) == (1, 1, 0)
    assert s["end_to_end"].tp == 1  # the source-less one
    assert (res.speaker.correct, res.speaker.total) == (0, 1)  # source-less pairs are not counted


def test_totals_are_micro_averaged():
    tot = Totals()
    tot.add(score_document(ALPHA, alpha_gold(), alpha_pred()))
    tot.add(score_document(BETA, beta_gold(), []))
    s = tot.scores["content_lenient30"]
    assert (s.gold["all"], s.pred["all"], s.tp) == (6, 3, 2)
    assert close(s.recall(), 2 / 6) and close(s.precision(), 2 / 3)
    d = tot.to_dict()
    assert d["content_lenient30"]["all"]["recall"] == 33.33
    assert d["speaker_accuracy"] == {"accuracy": 100.0, "correct": 2, "total": 2}


def test_empty_inputs():
    res = score_document("nothing here", [], [])
    assert all(s.f1() == 0.0 for s in res.scores.values())
    assert res.speaker.value == 0.0


# --------------------------------------------------------------------------- boundary errors

REPORT = 'Mayor Ruth Okafor said on Monday that the bridge "will reopen in May" and that tolls stay.'


def _s(sub, nth=0):
    return span_of(REPORT, sub, nth)


def test_boundary_error_kinds_by_edge():
    from quotegraph.evaluation.metrics import boundary_errors

    gold = [(_s("that the bridge")[0], _s("tolls stay")[1])]
    whole = gold[0]
    assert boundary_errors(REPORT, gold, [whole]) == []
    # the complementiser left out: starts late; the quotation marks and the final stop never count
    late = [(_s("the bridge")[0], whole[1] + 1)]
    assert boundary_errors(REPORT, gold, late) == ["starts_late"]
    # the cue's adjunct taken in, the coordinated report left out
    early_short = [(_s("on Monday")[0], _s('May"')[1] + 1)]
    assert boundary_errors(REPORT, gold, early_short) == ["starts_early", "ends_early"]
    # the same extent in two pieces where the gold has one: a fragment too many
    two = [(whole[0], _s("bridge")[1]), (_s("will reopen")[0], whole[1])]
    assert boundary_errors(REPORT, gold, two) == ["fragment_extra"]
    assert boundary_errors(REPORT, two, [whole]) == ["fragment_missing"]


def test_boundary_errors_are_counted_for_lenient_matches_that_are_not_exact():
    gold = [GoldItem.build(REPORT, [(_s("that the bridge")[0], _s("tolls stay")[1])], [_s("said")], [_s("Mayor Ruth Okafor")])]
    pred = [PredItem([(_s("the bridge")[0], _s('May"')[1])], "mixed", _s("said"), _s("Mayor Ruth Okafor"))]
    res = score_document(REPORT, gold, pred)
    assert res.scores["content_exact"].tp == 0 and res.scores["content_lenient30"].tp == 1
    assert res.boundary == {("mixed", "any"): 1, ("mixed", "starts_late"): 1, ("mixed", "ends_early"): 1}
    tot = Totals()
    tot.add(res)
    tot.add(score_document(REPORT, gold, [PredItem([gold[0].content[0]], "mixed")]))  # exact: no boundary error
    table = tot.boundary_table()
    assert table["any"] == {"direct": 0, "mixed": 1, "indirect": 0, "all": 1}
    assert table["starts_late"]["all"] == 1 and table["ends_late"]["all"] == 0
    assert tot.to_dict()["boundary_errors"]["ends_early"]["mixed"] == 1
