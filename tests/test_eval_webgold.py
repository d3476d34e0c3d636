"""Real-web dev gold: converter, re-alignment, speaker matching, scoring and ``eval web``.

The fixture (tests/fixtures/webgold) is a hand-written page with invented text, its
hand-written scratch gold and the converted gold.  The last tests run on the real pages
in ../shared/datasets/webpages and skip when they are absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("typer")

from quotegraph.evaluation import webgold  # noqa: E402
from quotegraph.evaluation.webgold_convert import (  # noqa: E402
    ACTS,
    FACTUALITIES,
    SOURCE_TYPES,
    GoldError,
    convert_file,
    convert_page,
    gold_stem,
    page_text,
    sha1_12,
    sha256,
)
from quotegraph.models import Article, Quote, Speaker  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "webgold"
PAGES = FIX / "pages"
REAL_PAGES = ROOT.parent / "shared" / "datasets" / "webpages"
REAL_BODIES = ROOT.parent / "shared" / "datasets" / "article-bodies" / "html"
REAL_GOLD = ROOT / "eval" / "webgold"


@pytest.fixture(scope="module")
def text() -> str:
    return page_text(PAGES / "harbour.html")


def span_text(text: str, span) -> str:
    return text[span[0] : span[1]]


# ------------------------------------------------------------------ converter


def test_converter_reproduces_committed_fixture_gold(tmp_path, text):
    out = convert_file(FIX / "scratch" / "harbour.json", PAGES, tmp_path)
    assert out.read_text(encoding="utf-8") == (FIX / "gold" / "harbour.json").read_text(encoding="utf-8")
    gold = json.loads(out.read_text(encoding="utf-8"))
    a = gold["attributions"]
    assert [x["kind"] for x in a] == ["indirect", "direct", "indirect", "mixed", "indirect", "direct"]
    # offsets, not text: the spans point at the right words
    assert span_text(text, a[1]["content"][0]).startswith("We cannot keep a boat")
    assert span_text(text, a[1]["content"][1]) == "The money is better spent on the day service."  # "head@@tail" elision
    assert span_text(text, a[1]["speaker"]) == "Maria Okonkwo"
    assert span_text(text, a[2]["speaker"]) == "Okonkwo" and a[2]["speaker"][0] > a[1]["speaker"][1]  # the one at its cue
    assert span_text(text, a[2]["speaker_entity"]) == "Maria Okonkwo"
    assert span_text(text, a[4]["cue"]) == "said" and a[4]["cue"][0] > a[3]["cue"][0]
    assert span_text(text, gold["not_quotes"][0]) == "Lights on the Water"
    for x in a:
        assert x["content_sha1"] == [sha1_12(span_text(text, s)) for s in x["content"]]
    assert "Okonkwo" not in json.dumps(gold)  # no page text in the committed file


def _scratch(text: str, **attr) -> dict:
    base = {"kind": "indirect", "content": ["x"], "cue": None, "speaker": None, "speaker_entity": None, "speaker_kind": "unknown"}
    base.update(attr)
    return {"page": "p.html", "text_sha256": sha256(text), "attributions": [base], "not_quotes": []}


def test_converter_fails_loudly_on_missing_and_ambiguous_strings():
    t = "Ann said it rained. Bo said it rained. Ann said so."
    with pytest.raises(GoldError, match="not found"):
        convert_page(_scratch(t, content=["it snowed"]), t, "p.json")
    first = convert_page(_scratch(t, content=["it rained"]), t, "p.json")["attributions"][0]
    assert first["content"] == [[9, 18]]  # occurrence defaults to the first copy
    g = convert_page(_scratch(t, content=["it rained"], occurrence=2, cue="said", speaker="Bo", speaker_entity="Bo", speaker_kind="person"), t, "p.json")
    a = g["attributions"][0]
    assert a["content"] == [[28, 37]] and span_text(t, a["speaker"]) == "Bo" and a["cue"] == [23, 27]
    assert "also_at" not in a  # repeats are only recorded for contents of 20+ characters
    with pytest.raises(GoldError, match="occurrence 3"):
        convert_page(_scratch(t, content=["it rained"], occurrence=3), t, "p.json")
    with pytest.raises(GoldError, match="speaker_entity"):
        convert_page(_scratch(t, content=["so"], speaker_entity="Carla"), t, "p.json")
    with pytest.raises(GoldError, match="text_sha256"):
        convert_page({**_scratch(t, content=["so"]), "text_sha256": "0" * 64}, t, "p.json")
    far = "Ann said: “One.” " + "x" * 1200 + " “Two.”"
    with pytest.raises(GoldError, match="characters after"):
        convert_page(_scratch(far, content=["One.", "Two."]), far, "p.json")
    with pytest.raises(GoldError, match="kind"):
        convert_page(_scratch(t, kind="quote", content=["so"]), t, "p.json")


def test_cue_and_speaker_stay_in_the_content_paragraph():
    t = "Ann Lo said.\n\n“Rain is coming,” she said.\n\nShe said more."
    a = convert_page(_scratch(t, kind="direct", content=["Rain is coming,"], cue="said", speaker="she", speaker_entity="Ann Lo", speaker_kind="person"), t, "p.json")["attributions"][0]
    assert a["cue"] == [36, 40] and a["speaker"] == [32, 35]  # not "Ann Lo said." one line above
    t2 = "Later he added that fares rise.\n\nHe added that boats age."
    b = convert_page(_scratch(t2, content=["fares rise"], cue="added", speaker="he", speaker_entity="he", speaker_kind="anonymous"), t2, "p.json")["attributions"][0]
    assert b["cue"] == [9, 14] and b["speaker"] == [6, 8]  # not the next paragraph's


def test_converter_attributions_must_come_in_text_order():
    t = "First, Ann said the bridge is shut. Then Bo said the road is open."
    s = _scratch(t, content=["the road is open"])
    s["attributions"].append({**s["attributions"][0], "content": ["the bridge is shut"]})
    with pytest.raises(GoldError, match="out of text order"):
        convert_page(s, t, "p.json")


def test_repeated_paragraph_becomes_also_at():
    t = "The mayor said the market will reopen in May.\n\nThe mayor said the market will reopen in May."
    g = convert_page(_scratch(t, content=["the market will reopen in May"], occurrence=1), t, "p.json")
    assert g["attributions"][0]["content"] == [[15, 44]] and g["attributions"][0]["also_at"] == [[62, 91]]


# ------------------------------------------------------------------ re-alignment


def test_realign_by_hash_when_the_text_changed(text):
    raw = json.loads((FIX / "gold" / "harbour.json").read_text(encoding="utf-8"))
    shifted = "Menu | Sign in\n\n" + text.replace("on Tuesday", "on Tue")
    page = webgold.align(raw, shifted)
    assert page.realigned and not page.lost and len(page.attributions) == 6
    a2 = page.attributions[1]
    assert shifted[a2.places[0][0][0] : a2.places[0][0][1]].startswith("We cannot keep a boat")
    assert a2.entity == "Maria Okonkwo"
    # the first attribution's content itself changed: it cannot be re-found and is reported lost
    raw["attributions"][0]["content_sha1"] = ["000000000000"]
    assert webgold.align(raw, shifted).lost == ["a1"]


def test_refind_picks_the_nearest_copy():
    t = "abc said. xx abc said. abc said."
    assert webgold.refind(t, (14, 17), sha1_12("abc")) == (13, 16)
    assert webgold.refind(t, (25, 28), sha1_12("abc")) == (23, 26)
    assert webgold.refind(t, (0, 3), sha1_12("zzz")) is None


# ------------------------------------------------------------------ speakers


@pytest.mark.parametrize(
    "pred,pkind,gold,gkind,ok",
    [
        ("Tim Lee", "person", "Tim Lee", "person", True),
        ("Lee", "person", "Tim Lee", "person", True),
        ("Mr. Scott", "person", "Gary Scott", "person", True),
        ("T. Lee", None, "Tim Lee", "person", True),
        ("Thomas Malone", "person", "Thomas W. Malone", "person", True),
        ("Richards Goffe", "person", "Jo-Ann Richards Goffe", "person", True),
        ("Velazquez", "person", "Marjorie Velázquez", "person", True),
        ("Dr Holohan's", "person", "Dr Tony Holohan", "person", True),
        ("Supt Peters", "person", "Audley Peters", "person", True),
        ("Justice Secretary Humza Yousaf", "person", "Humza Yousaf", "person", True),
        ("Kim Lee", "person", "Tim Lee", "person", False),  # another bearer of the surname
        ("Sandra", "person", "Sandra Haro", "person", False),  # first name left unresolved
        ("he", "unknown", "Tim Lee", "person", False),  # an unresolved pronoun
        ("Officer", "person", "Gary Scott", "person", False),
        ("Leyen", "organization", "Ursula von der Leyen", "person", False),  # wrong kind
        (None, None, "Tim Lee", "person", False),  # missing speaker
        ("The hospital", "organization", "Cork University Hospital", "organization", True),
        ("NPHET", "organization", "National Public Health Emergency Team", "organization", True),
        ("The Briar", "person", "The Briar", "organization", False),  # a pub taken as a person
        ("Recovery teams", "organization", "Recovery teams", "anonymous", True),
        ("spokeswoman", "person", "a spokeswoman", "anonymous", True),
        ("Ireland", "organization", "the letter from the harbour master to the ports minister", "document", False),
        ("The letter", "document", "the letter from the harbour master to the ports minister", "document", True),
    ],
)
def test_same_speaker(pred, pkind, gold, gkind, ok):
    assert webgold.same_speaker(pred, pkind, gold, gkind) is ok


# ------------------------------------------------------------------ scoring


def _quote(text: str, qid: str, kind: str, pieces: list[str], speaker=None, name=None, skind="person", also=()) -> Quote:
    spans = []
    for p in pieces:
        s = text.index(p)
        spans.append((s, s + len(p)))
    sp = None
    if speaker is not None:
        s = text.index(speaker)
        sp = Speaker(text=speaker, span=(s, s + len(speaker)), name=name, kind=skind)
    lo, hi = spans[0][0], spans[-1][1]
    return Quote(id=qid, kind=kind, text=text[lo:hi], span=(lo, hi), spans=spans, speaker=sp, also_at=list(also))


def _article(text: str, quotes: list[Quote]) -> Article:
    return Article(id="harbour", text=text, format="html", quotes=quotes)


def _stand_in(text: str) -> Article:
    return _article(
        text,
        [
            # the council's indirect quote, exact
            _quote(text, "q1", "indirect", ["The night ferry across Wrenmouth harbour will stop running in March"], "the town council", None, "organization"),
            # Okonkwo's two direct pieces as two records: both match the one gold attribution
            _quote(text, "q2", "direct", ["We cannot keep a boat running empty at two in the morning,"], "Maria Okonkwo", "Maria Okonkwo"),
            _quote(text, "q3", "direct", ["The money is better spent on the day service."], "Maria Okonkwo", "Maria Okonkwo"),
            # a wrong speaker
            _quote(text, "q4", "indirect", ["the crossing would be reviewed again in the autumn"], "Okonkwo", "Dennis Barrow"),
            # the film title taken as a quote: a not-quote false positive
            _quote(text, "q5", "direct", ["Lights on the Water"], "Ferry workers", None, "anonymous"),
            # the headline taken as an indirect quote: a plain false positive
            _quote(text, "q6", "indirect", ["Harbour ferry to stop at night"], None),
            # the ferryman's quote with no speaker
            _quote(text, "q7", "direct", ["People think nobody uses it."], None),
        ],
    )


class StandIn:
    def extract_path(self, path):
        return _stand_in(page_text(Path(path)))


def test_scores_with_a_stand_in_extractor():
    ev = webgold.evaluate(PAGES, FIX / "gold", extractor=StandIn())
    assert [p.error for p in ev.pages] == [None]
    # precision: q1 q2 q3 q4 q7 match a gold attribution, q5 q6 do not
    assert (ev.precision().hit, ev.precision().n) == (5, 7)
    assert (ev.precision("direct").hit, ev.precision("direct").n) == (3, 4)
    assert (ev.precision("indirect").hit, ev.precision("indirect").n) == (2, 3)
    # recall: a1 a2 a3 a6 found; a4 (mixed) and a5 missed
    assert (ev.recall().hit, ev.recall().n) == (4, 6)
    assert (ev.recall("mixed").hit, ev.recall("mixed").n) == (0, 1)
    assert (ev.recall("direct").hit, ev.recall("direct").n) == (2, 2)
    # exact: q1 and q4 equal their gold after trimming; q2, q3, q7 are pieces only
    assert (ev.precision(exact=True).hit, ev.recall(exact=True).hit) == (2, 2)
    # speakers: q1 q2 q3 right, q4 wrong (another person), q7 wrong (missing)
    assert (ev.speaker().hit, ev.speaker().n) == (3, 5)
    assert (ev.speaker("direct").hit, ev.speaker("direct").n) == (2, 3)
    assert ev.not_quote_fp() == 1
    d = ev.to_dict()
    assert d["speaker_errors"] == {"missing": 1, "other name": 1}
    assert d["lenient30"]["all"]["precision"]["hit"] == 5 and d["per_page"][0]["not_quote_fp"] == 1
    assert "Okonkwo" not in json.dumps(d)  # figures only, no page text
    lines = list(webgold.error_lines(ev, lambda page: page_text(PAGES / page)))
    assert sum("MISSED" in x for x in lines) == 2 and sum("NOT-QUOTE" in x for x in lines) == 1
    assert any("SPEAKER (other name) 'Dennis Barrow'" in x for x in lines)


def test_exact_ignores_a_leading_that():
    t = "Okonkwo said that the crossing would be reviewed."
    assert webgold.exact_key(t, [(13, 49)]) == webgold.exact_key(t, [(18, 49)]) == (18, 48)
    assert webgold.exact_key(t, [(0, 7)]) == (0, 7)


def test_a_repeat_counts_through_also_at():
    t = "The mayor said the market will reopen in May.\n\nThe mayor said the market will reopen in May."
    g = convert_page(_scratch(t, content=["the market will reopen in May"], occurrence=1, speaker="The mayor", speaker_entity="The mayor", speaker_kind="anonymous"), t, "p.json")
    g["page"] = "p.html"
    page = webgold.align(g, t)
    # the extractor kept the second copy only
    rec = webgold.Record("q1", "indirect", [[(62, 91)]], "The mayor", "anonymous")
    res = webgold.score_page(t, page, [rec])
    assert res.gold_found == [True] and res.best["q1"] == 0 and res.speaker_ok["q1"] is True


def test_an_attribution_inside_a_matched_quotation_is_not_scored_against_it():
    t = "The minister said: \u201cThe new figures show that we must act now, and we will act.\u201d"
    g = convert_page(_scratch(t, kind="direct", content=["The new figures show that we must act now, and we will act."],
                              speaker="The minister", speaker_entity="The minister", speaker_kind="anonymous"), t, "p.json")
    g["page"] = "p.html"
    page = webgold.align(g, t)
    inner = t.index("we must act now")
    outer = webgold.Record("q1", "direct", [[(19, len(t))]], "The minister", "anonymous")
    nested = webgold.Record("q2", "indirect", [[(inner, inner + len("we must act now"))]], "The new figures", "document")
    res = webgold.score_page(t, page, [outer, nested])
    # both match the gold attribution (precision), but the nested one's speaker is its own source
    assert res.best == {"q1": 0, "q2": 0}
    assert res.speaker_ok == {"q1": True, "q2": None} and res.nested == ["q2"] and res.speaker_errors == {}
    # with the outer quote wrong, it is still scored wrong
    res = webgold.score_page(t, page, [webgold.Record("q1", "direct", [[(19, len(t))]], None, None), nested])
    assert res.speaker_ok == {"q1": False, "q2": None}
    # a nested record with no outer record on that gold is scored as before
    res = webgold.score_page(t, page, [nested])
    assert res.speaker_ok == {"q2": False} and res.nested == []


def test_bad_gold_and_missing_page_are_reported(tmp_path):
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json"):
        webgold.load_gold_dir(tmp_path)
    (tmp_path / "bad.json").write_text(json.dumps({"page": "nowhere.html", "text_sha256": "", "attributions": []}), encoding="utf-8")
    # a gold page in none of the folders is skipped and listed; none found at all is an error
    with pytest.raises(FileNotFoundError, match="none of the 1 gold pages"):
        webgold.evaluate(PAGES, tmp_path, extractor=StandIn())
    (tmp_path / "harbour.json").write_text((FIX / "gold" / "harbour.json").read_text(encoding="utf-8"), encoding="utf-8")
    ev = webgold.evaluate([PAGES, tmp_path], tmp_path, extractor=StandIn())
    assert ev.skipped == ["nowhere.html"] and [p.page for p in ev.pages] == ["harbour.html"]
    assert ev.to_dict()["pages_skipped"] == ["nowhere.html"]
    with pytest.raises(FileNotFoundError, match="no such pages directory"):
        webgold.evaluate([PAGES, tmp_path / "absent"], tmp_path, extractor=StandIn())
    with pytest.raises(FileNotFoundError):
        webgold.load_gold_dir(tmp_path / "nope")


# ------------------------------------------------------------------ CLI, real extractor


def test_cli_eval_web_on_the_fixture(tmp_path):
    from typer.testing import CliRunner

    from quotegraph.cli import app

    out = tmp_path / "web.json"
    res = CliRunner().invoke(app, ["eval", "web", str(PAGES), "--gold", str(FIX / "gold"), "--json", str(out)])
    assert res.exit_code == 0, res.output
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["pages"] == 1 and not d["pages_failed"]
    # the plain "…," said Maria Okonkwo and Dennis Barrow, said: "…" quotes are found, with their speakers
    assert d["lenient30"]["direct"]["recall"] == {"n": 2, "hit": 2, "value": 1.0}
    assert d["speaker_accuracy"]["direct"]["hit"] >= 2
    assert "Per page" in res.output


# ------------------------------------------------------------------ the real gold


def test_committed_gold_files_are_well_formed():
    files = sorted(REAL_GOLD.glob("*.json"))
    assert len(files) >= 41 and sum(len(json.loads(f.read_text(encoding="utf-8"))["attributions"]) for f in files) >= 400
    for f in files:
        g = json.loads(f.read_text(encoding="utf-8"))
        assert f.stem == gold_stem(g["page"]) and len(g["text_sha256"]) == 64
        assert len(g["not_quotes"]) == len(g["not_quotes_sha1"])
        ids = [a["id"] for a in g["attributions"]]
        assert len(ids) == len(set(ids))
        for a in g["attributions"]:
            assert a["kind"] in webgold.KINDS and a["content"] and len(a["content"]) == len(a["content_sha1"])
            assert all(s < e for s, e in a["content"])
            assert a["speaker_kind"] in ("person", "organization", "outlet", "document", "anonymous", "unknown")
            # the issue-#23 labels: every attribution has them; a named source has its name
            assert a["act"] in ACTS and a["factuality"] in FACTUALITIES and a["source_type"] in (*SOURCE_TYPES, None), (f, a["id"])
            if a["source_type"] in ("named_person", "named_organization", "document"):
                assert a["source_name"] and len(a["source_name_sha1"]) == 12, (f, a["id"])
            for key in ("source_name", "source_org"):
                assert (a[key] is None) == (a[f"{key}_sha1"] is None), (f, a["id"])
        assert all(len(h) == 12 for a in g["attributions"] for h in a["content_sha1"]), f  # hashes only
        assert set(g) - {"dataset"} == {"page", "text_sha256", "attributions", "not_quotes", "not_quotes_sha1"}  # no text field


@pytest.mark.skipif(not REAL_PAGES.is_dir(), reason="../shared/datasets/webpages absent")
def test_committed_gold_matches_the_real_pages():
    checked = 0
    for f in sorted(REAL_GOLD.glob("*.json")):
        g = json.loads(f.read_text(encoding="utf-8"))
        path = webgold.find_page(g["page"], [REAL_PAGES, REAL_BODIES])
        if path is None:  # a page of a dataset that is absent here
            continue
        text = page_text(path)
        page = webgold.align(g, text)
        checked += 1
        assert not page.lost, f"{f.name}: gold attributions {page.lost} not found in the extracted text"
        named = [a for a in page.attributions if a.source_type in ("named_person", "named_organization", "document")]
        assert all(a.source_name for a in named), f"{f.name}: a source name not found in the extracted text"
        if not page.realigned:
            for a in g["attributions"]:
                for (s, e), h in zip(a["content"], a["content_sha1"], strict=False):
                    assert sha1_12(text[s:e]) == h
    assert checked >= 33


@pytest.mark.skipif(not REAL_PAGES.is_dir(), reason="../shared/datasets/webpages absent")
def test_eval_web_runs_on_the_real_pages():
    ev = webgold.evaluate(REAL_PAGES, REAL_GOLD)
    assert all(p.error is None for p in ev.pages), [p.error for p in ev.pages if p.error]
    assert ev.recall().n >= 150 and ev.precision().n > 0
    assert 0.0 < ev.speaker().value <= 1.0


# ------------------------------------------------------------------ agreement between annotators


def test_agreement_of_two_golds(text):
    raw = json.loads((FIX / "gold" / "harbour.json").read_text(encoding="utf-8"))
    ga = webgold.align(raw, text)
    same = webgold.agree_page(text, ga, webgold.align(raw, text)).to_dict()
    assert same["f1"] == 1.0 and same["exact"] == 6 and same["speaker_agreement"] == 1.0
    other = json.loads(json.dumps(raw))
    del other["attributions"][4]  # B missed the workers' indirect quote
    other["attributions"][2]["kind"] = "direct"  # B typed Okonkwo's indirect one differently
    ferry = other["attributions"][4]  # (now the ferryman's quote) and gave it to Okonkwo
    ferry["speaker_entity"] = other["attributions"][1]["speaker_entity"]
    ferry["speaker_entity_sha1"] = other["attributions"][1]["speaker_entity_sha1"]
    d = webgold.agree_page(text, ga, webgold.align(other, text)).to_dict()
    assert (d["a"], d["b"], d["a_in_b"], d["b_in_a"]) == (6, 5, 5, 5)
    assert (d["same_kind"], d["pairs"]) == (4, 5) and (d["same_speaker"], d["speaker_pairs"]) == (4, 5)


@pytest.mark.skipif(not REAL_PAGES.is_dir(), reason="../shared/datasets/webpages absent")
def test_second_annotation_aligns_with_the_real_pages():
    second = ROOT / "eval" / "webgold-second"
    ag = webgold.agreement(REAL_PAGES, second, REAL_GOLD).to_dict()
    assert ag["a"] == sum(len(json.loads(f.read_text(encoding="utf-8"))["attributions"]) for f in second.glob("*.json"))
    assert ag["pairs"] > 0
