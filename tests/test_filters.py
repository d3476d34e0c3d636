"""The filter of non-attributions (quotegraph.decide.filters): each kind on hand-written text, with a
real attribution beside it that must stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotegraph.decide import filters
from quotegraph.pipeline import Extractor, Options, attributions
from quotegraph.read.readers import read_string

SEED = Path(__file__).parent.parent / "examples" / "seed-article.txt"


@pytest.fixture(scope="module")
def extractor():
    """PARC's full set (``acts="all"``): the rules here are those applied in every mode."""
    return Extractor(Options(acts="all"))


def proposals(extractor, text: str) -> list[tuple[str, str, str | None]]:
    """(content, kind, the filter's verdict) of every attribution proposed before the filters."""
    p = extractor.prepare(read_string(text, name="<test>", format="text"))
    extractor.parse([p])
    found, _ = attributions(p, extractor.options)
    ctxs = {c.index: c for c in p.ctxs}
    t = p.layout.text
    return [(t[r.spans[0][0] : r.spans[-1][1]], r.kind, filters.why_not(r, ctxs[r.para], t)) for r in found]


def verdict(props, start: str) -> str | None:
    hits = [w for content, _k, w in props if content.startswith(start)]
    assert hits, f"no proposal starting {start!r} in {props}"
    return hits[0]


def contents(extractor, text: str) -> list[str]:
    return [q.text for q in extractor.extract(text, format="text").quotes]


def test_headline_is_no_attribution(extractor):
    text = ("Surveyors Confirm Old Mill as Best Site for New School\n\n"
            "Surveyors confirmed on Tuesday that the old mill was the best site for the new school.\n")
    props = proposals(extractor, text)
    assert verdict(props, "Old Mill as Best Site") == "heading"
    assert verdict(props, "that the old mill was the best site") is None
    got = contents(extractor, text)
    assert not any(c.startswith("Old Mill as Best Site") for c in got)
    assert any(c.startswith("that the old mill was the best site") for c in got)


def test_reporters_question_is_no_attribution(extractor):
    text = ("Asked if the fire was connected to an earlier blaze in the same street, Chief Ana Ruiz said "
            "investigators were still working through the evidence.\n")
    props = proposals(extractor, text)
    # the finders stop it first (attribution.asked_of); where one proposes it, the filter drops it
    if any(c.startswith("if the fire was connected") for c, _, _ in props):
        assert verdict(props, "if the fire was connected") == "question"
    got = contents(extractor, text)
    assert not any(c.startswith("if the fire") for c in got)
    assert any(c.startswith("investigators were still working") for c in got)


def test_document_topic_is_no_content(extractor):
    text = ("The auditor's report about the housing scheme was released on Friday, and it found that "
            "officials had ignored tenants.\n")
    props = proposals(extractor, text)
    assert verdict(props, "the housing scheme") == "topic"
    got = contents(extractor, text)
    assert "the housing scheme" not in got
    assert any(c.startswith("that officials had ignored tenants") for c in got)


def test_handed_over_document_is_no_content(extractor):
    text = ("The review cited more than 30 interviews with staff, emails and other records. "
            "The company's lawyer submitted a 40-page response to the review on Monday, "
            "and he said the company would appeal.\n")
    props = proposals(extractor, text)
    assert verdict(props, "more than 30 interviews") == "handled"
    assert verdict(props, "a 40-page response") == "handled"
    got = contents(extractor, text)
    assert not any(c.startswith(("more than 30 interviews", "a 40-page response")) for c in got)
    assert any(c.startswith("the company would appeal") for c in got)


def test_speech_verbs_with_a_document_object_stay(extractor):
    # 'cite' is an attribution when a person cites something; only a document's citing of its
    # sources is dropped
    text = "The senator cited the rising cost of rent as the main reason for her vote against the bill.\n"
    props = proposals(extractor, text)
    assert all(w is None for _c, _k, w in props)


def test_title_of_a_work_is_no_quote(extractor):
    text = ("Her new book, \u201cThe Quiet Harbour: How Small Towns Rebuilt Their Economies After the Storm\u201d, "
            "goes on sale in May.\n\n"
            "\u201cWe wrote it for the people who stayed behind and did the rebuilding themselves,\u201d "
            "she told the audience.\n")
    props = proposals(extractor, text)
    assert verdict(props, "The Quiet Harbour") == "title"
    got = contents(extractor, text)
    assert not any(c.startswith("The Quiet Harbour") for c in got)
    assert any(c.startswith("We wrote it for the people") for c in got)


def test_title_cased():
    assert filters.title_cased("The Quiet Harbour: How Small Towns Rebuilt Their Economies")
    assert not filters.title_cased("We wrote it for the people who stayed behind")
    assert not filters.title_cased("Go Home. Then Come Back Tomorrow Morning")  # two sentences
    assert not filters.title_cased("Two Words")


def test_layout_label_is_no_speaker(extractor):
    text = ("Header Image: Fishermen haul their nets at dawn on the north shore of the island.\n\n"
            "Ruiz: The bridge will reopen in May once the last repairs are finished.\n")
    props = proposals(extractor, text)
    assert verdict(props, "Fishermen haul their nets") == "layout"
    assert verdict(props, "The bridge will reopen") is None
    got = contents(extractor, text)
    assert not any(c.startswith("Fishermen") for c in got)
    assert any(c.startswith("The bridge will reopen") for c in got)


def test_example_article_has_only_attributions(extractor):
    text = SEED.read_text(encoding="utf-8")
    got = contents(extractor, text)
    for not_one in ("Trump\u2019s separation policy", "the policy", "more than 45 interviews", "a 64-page response"):
        assert not any(c.startswith(not_one) for c in got), not_one
    assert any(c.startswith("that it didn\u2019t matter how young") for c in got)


def test_dropping_a_parent_detaches_its_nested_attribution(extractor):
    text = ("The ministry's report about the new rules was published on Friday. "
            "Minister Lena Ortiz said that inspectors would visit every school by June.\n")
    art = extractor.extract(text, format="text")
    ids = {q.id for q in art.quotes}
    assert [q.id for q in art.quotes] == [f"q{i + 1}" for i in range(len(art.quotes))]
    assert all(q.nested_in is None or q.nested_in in ids for q in art.quotes)


def test_passive_cue_without_source_is_dropped(extractor):
    text = ("Residents were told to stay indoors until the smoke had cleared from the valley. "
            "The fire chief said the smoke would clear by the evening.\n")
    props = proposals(extractor, text)
    assert verdict(props, "to stay indoors") == "sourceless"
    got = contents(extractor, text)
    assert not any(c.startswith("to stay indoors") for c in got)
    assert any(c.startswith("the smoke would clear") for c in got)


def test_actions_are_no_cues(extractor):
    # 'tried', 'buy', 'use': what someone does, not what someone says (lexicon.NOT_CUES)
    text = ("The company tried to buy the stadium in 2019, and its owner said the deal would have saved the club.\n")
    got = contents(extractor, text)
    assert not any(c.startswith("to buy") for c in got)
    assert any(c.startswith("the deal would have saved") for c in got)


STATEMENT_CASES = [
    ("We found that the groups with more members were slower to agree on a plan.", "that the groups with more members", "writer"),
    ("You might think the city has too many parks.", "the city has too many parks", "reader"),
    ("The city plans to use the grant to repair its oldest bridges.", "to use the grant", "intention"),
    ("The spike suggested that the outage was hitting users in many countries.", "that the outage was hitting", "thing"),
    ("The authors do not say how many patients took part in the trial.", "how many patients", "negated"),
    ("The spokesman declined to comment on the lawsuit.", "the lawsuit", "negated"),
    ("Police officers found a wallet lying on the pavement near the station.", "a wallet lying", "perception"),
    ("The minister explained those choices at length on Monday.", "those choices", "pointing"),
    ("The senator criticised the closings of two rural schools in her district.", "the closings of two rural schools", "no-proposition"),
    ("The senator criticised the closings of schools which served the poorest families.", "the closings of schools which served", "no-proposition"),
    ("Two teachers, who asked not to be named because they feared for their jobs, described the meeting.", "not to be named", "anonymity"),
]


@pytest.mark.parametrize("sentence,content,kind", STATEMENT_CASES, ids=[c[2] + ":" + c[1][:12] for c in STATEMENT_CASES])
def test_statement_kinds(extractor, sentence, content, kind):
    """Kinds PolNeAR's annotators mostly count but a reader of "who said what" does not: kept with
    ``acts="all"``, dropped in the default output; a plain report beside them stays in both."""
    text = sentence + " The mayor said the new bridge would open in May.\n"
    p = extractor.prepare(read_string(text, name="<test>", format="text"))
    extractor.parse([p])
    found, _ = attributions(p, extractor.options)
    ctx = p.ctxs[0]
    verdicts = {p.layout.text[r.spans[0][0] : r.spans[-1][1]]: filters.why_not(r, ctx, p.layout.text, filters.RULES + filters.STATEMENT_RULES) for r in found}
    assert [v for c, v in verdicts.items() if c.startswith(content)] == [kind], verdicts
    default = contents(extractor, text)
    strict = [q.text for q in Extractor(Options(), nlp=extractor.nlp).extract(text, format="text").quotes]
    assert any(c.startswith(content) for c in default)
    assert not any(c.startswith(content) for c in strict)
    assert any(c.startswith("the new bridge would open") for c in strict)


def test_speakers_that_speak_pass_the_statement_rules(extractor):
    text = ("The study suggested that the outage was hitting users in many countries. "
            "Officials hope the line will reopen by June. "
            "Her lawyers found that the contract had been signed twice.\n")
    p = extractor.prepare(read_string(text, name="<test>", format="text"))
    extractor.parse([p])
    found, _ = attributions(p, extractor.options)
    ctx, t = p.ctxs[0], p.layout.text
    verdicts = {t[r.spans[0][0] : r.spans[-1][1]]: filters.why_not(r, ctx, t, filters.RULES + filters.STATEMENT_RULES) for r in found}
    assert [v for c, v in verdicts.items() if c.startswith("that the outage was hitting")] == [None], verdicts
    assert [v for c, v in verdicts.items() if c.startswith("that the contract had been signed")] == [None], verdicts


def test_a_content_with_a_verb_or_after_according_to_is_a_proposition(extractor):
    text = ("Users reported that the app was crashing on older phones. "
            "According to the fire chief, two engines were sent to the warehouse.\n")
    p = extractor.prepare(read_string(text, name="<test>", format="text"))
    extractor.parse([p])
    found, _ = attributions(p, extractor.options)
    ctx, t = p.ctxs[0], p.layout.text
    assert found
    for r in found:
        assert not filters.no_proposition(r, ctx, t), t[r.spans[0][0] : r.spans[-1][1]]


def test_headline_with_a_speaker_label_stays(extractor):
    text = ("Ruiz: The Harbour Bridge Will Reopen in May After Repairs\n\n"
            "The mayor, Ana Ruiz, said on Monday that the bridge would reopen in May.\n")
    props = proposals(extractor, text)
    assert verdict(props, "The Harbour Bridge Will Reopen") is None


def test_cli_acts_flag(tmp_path):
    import json
    import subprocess
    import sys

    f = tmp_path / "a.txt"
    f.write_text("We found that the groups with more members were slower to agree.\n\n"
                 "The mayor said the bridge would open in May.\n", encoding="utf-8")

    def run(*extra):
        proc = subprocess.run([sys.executable, "-m", "quotegraph.cli", "extract", str(f), "--format", "jsonl", *extra],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        return [q["text"] for q in json.loads(proc.stdout)["quotes"]]

    assert any(t.startswith("that the groups") for t in run("--acts", "all"))
    assert run() == ["the bridge would open in May"]
