"""The real-web gold scored as the product reports (issue #23): sourced statements, source type
and name, direct speakers, confidence, the tuning/reporting split and ``eval web --half``.

All text here is invented.  The last tests read the committed gold (offsets and hashes only).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("typer")

from quotegraph.evaluation import webgold, webgold_sourced  # noqa: E402
from quotegraph.evaluation.webgold_convert import GoldError, convert_page, sha256  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "webgold"
REAL_GOLD = ROOT / "eval" / "webgold"
SPLIT = ROOT / "eval" / "webgold-split.json"

TEXT = (
    "Harbour tolls to rise\n\n"
    "The port authority said the tolls would rise in May. "
    '"We have no choice," said Ana Ruiz, the harbour master. '
    "Ruiz believes the ferries will cope. "
    "A spokesperson for Tidewell Shipping said the company would not object. "
    "Fishermen fear the rise will hurt them. "
    "According to a report by the Office of the City Auditor, tolls have not risen since 2009."
)
REPORT = "a report by the Office of the City Auditor"


def _attr(content, cue, speaker, entity, kind, act, source_type, name=None, org=None, quote="indirect") -> dict:
    a = {"kind": quote, "content": [content], "cue": cue, "speaker": speaker, "speaker_entity": entity,
         "speaker_kind": kind, "act": act, "factuality": "asserted", "source_type": source_type}
    if name:
        a["source_name"] = name
    if org:
        a["source_org"] = org
    return a


SCRATCH = {
    "page": "tolls.html",
    "text_sha256": sha256(TEXT),
    "attributions": [
        _attr("the tolls would rise in May", "said", "The port authority", "The port authority", "organization", "statement", "named_organization", "The port authority"),
        _attr("We have no choice,", "said", "Ana Ruiz", "Ana Ruiz", "person", "statement", "named_person", "Ana Ruiz", quote="direct"),
        _attr("the ferries will cope", "believes", "Ruiz", "Ana Ruiz", "person", "belief", "named_person", "Ruiz"),
        _attr("the company would not object", "said", "A spokesperson for Tidewell Shipping", "A spokesperson for Tidewell Shipping", "person", "statement", "unnamed_person", org="Tidewell Shipping"),
        _attr("the rise will hurt them", "fear", "Fishermen", "Fishermen", "anonymous", "belief", "unnamed_group"),
        _attr("tolls have not risen since 2009", "According to", REPORT, REPORT, "document", "statement", "document", REPORT),
    ],
    "not_quotes": [],
}


@pytest.fixture(scope="module")
def gold() -> webgold.GoldPage:
    return webgold.align(convert_page(SCRATCH, TEXT, "tolls"), TEXT)


def _rec(rid: str, content: str, speaker: str | None, kind: str | None, source_type: str | None = None,
         org: str | None = None, confidence: float = 0.5, quote: str = "indirect") -> webgold.Record:
    s = TEXT.index(content)
    return webgold.Record(rid, quote, [[(s, s + len(content))]], speaker, kind, source_type=source_type, organization=org, confidence=confidence)


def test_converter_places_the_labels(gold):
    raw = convert_page(SCRATCH, TEXT, "tolls")
    a = raw["attributions"]
    assert [x["act"] for x in a] == ["statement", "statement", "belief", "statement", "belief", "statement"]
    s, e = a[3]["source_org"]
    assert TEXT[s:e] == "Tidewell Shipping" and a[3]["source_name"] is None
    s, e = a[2]["source_name"]
    assert TEXT[s:e] == "Ruiz" and s > TEXT.index("Ana Ruiz") + 4  # the copy at its cue, not the first
    assert "Tidewell" not in json.dumps(raw)  # offsets and hashes only
    assert [g.sourced_statement for g in gold.attributions] == [True, True, False, True, False, True]
    assert gold.attributions[3].source_org == "Tidewell Shipping" and gold.attributions[5].source_name == REPORT


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("act", "opinion", "act 'opinion'"), ("factuality", "maybe", "factuality 'maybe'"), ("source_type", "person", "source_type 'person'")],
)
def test_converter_rejects_bad_labels(field, value, message):
    bad = json.loads(json.dumps(SCRATCH))
    bad["attributions"][0][field] = value
    with pytest.raises(GoldError, match=message):
        convert_page(bad, TEXT, "tolls")


def test_a_named_source_needs_its_name():
    bad = json.loads(json.dumps(SCRATCH))
    del bad["attributions"][1]["source_name"]
    with pytest.raises(GoldError, match="needs a source_name"):
        convert_page(bad, TEXT, "tolls")


def test_sourced_statement_figures(gold):
    recs = [
        _rec("r1", "the tolls would rise in May", "port authority", "organization"),  # type from its kind
        _rec("r2", "We have no choice", "Ana Ruiz", "person", "named_person", confidence=0.95, quote="direct"),
        _rec("r3", "the ferries will cope", "Ruiz", "person", "named_person", confidence=0.92),  # a belief: not reported by default
        _rec("r4", "the company would not object", "A spokesperson", "person", "unnamed_person", org="Tidewell Shipping"),
        _rec("r5", "Harbour tolls to rise", None, None),  # the headline
    ]
    f = webgold_sourced.SourcedFigures()
    f.add(webgold_sourced.score_sourced(TEXT, gold, recs))
    assert (f.precision.hit, f.precision.n) == (3, 5)
    assert (f.recall.hit, f.recall.n) == (3, 4)  # the auditor's report is missed
    assert (f.source_type.hit, f.source_type.n) == (3, 3)
    assert (f.source_name.hit, f.source_name.n) == (3, 3)  # the spokesperson's through its organisation
    assert (f.direct_speaker.hit, f.direct_speaker.n) == (1, 1)
    assert (f.confident_share.hit, f.confident_share.n) == (2, 5)
    assert (f.confident_right.hit, f.confident_right.n) == (1, 2)  # the confident belief is wrong
    d = f.to_dict()
    assert d["precision"]["value"] == 0.6 and "Ruiz" not in json.dumps(d)


def test_wrong_types_names_and_speakers_are_counted(gold):
    recs = [
        _rec("r1", "the tolls would rise in May", "port authority", "organization", "unnamed_group"),
        _rec("r2", "We have no choice", "Ruiz", "organization", quote="direct"),  # a surname taken as an organisation
        _rec("r4", "the company would not object", "A spokesperson", "person", "unnamed_person"),  # no organisation given
        _rec("r6", "tolls have not risen since 2009", None, None),
    ]
    f = webgold_sourced.SourcedFigures()
    f.add(webgold_sourced.score_sourced(TEXT, gold, recs))
    assert (f.precision.hit, f.recall.hit) == (4, 4)
    assert (f.source_type.hit, f.source_type.n) == (1, 4)
    assert f.to_dict()["type_confusions"] == {"document as none": 1, "named_organization as unnamed_group": 1, "named_person as named_organization": 1}
    assert (f.source_name.hit, f.source_name.n) == (1, 4)  # only the port authority
    assert (f.direct_speaker.hit, f.direct_speaker.n) == (0, 1)


def test_predicted_type_prefers_the_speaker_type():
    r = webgold.Record("q", "direct", [[(0, 1)]], "Ana Ruiz", "person", source_type="anonymous")
    assert webgold_sourced.predicted_type(r) == "anonymous"
    r.source_type = None
    assert webgold_sourced.predicted_type(r) == "named_person"
    r.speaker = None
    assert webgold_sourced.predicted_type(r) is None


# ------------------------------------------------------------------ split


def _raw(page: str, n: int) -> dict:
    return {"page": page, "attributions": [{"act": "statement", "factuality": "asserted", "source_type": "named_person"}] * n}


def test_split_is_deterministic_balanced_and_stable():
    raws = [_raw(f"page{i}.html", 3 + i % 7) for i in range(30)]
    a = webgold_sourced.make_split(raws)
    assert a == webgold_sourced.make_split(list(reversed(raws)))
    assert sorted(a["tuning"] + a["reporting"]) == sorted(r["page"] for r in raws)
    load = {h: sum(3 + int(p[4:-5]) % 7 for p in a[h]) for h in webgold_sourced.HALVES}
    assert abs(load["tuning"] - load["reporting"]) <= webgold_sourced.BALANCE * sum(load.values())
    # a page added later goes to its own hash's half; no page moves
    b = webgold_sourced.make_split([*raws, _raw("late.html", 40)], seed=a["seed"])
    assert set(a["tuning"]) <= set(b["tuning"]) and set(a["reporting"]) <= set(b["reporting"])


def test_committed_split_covers_the_gold_by_its_rule():
    raws = webgold.load_gold_dir(REAL_GOLD)
    split = webgold_sourced.load_split(SPLIT)
    seed = webgold_sourced.load_seed(SPLIT)
    assert sorted(split["tuning"] + split["reporting"]) == sorted(r["page"] for r in raws)
    for half in webgold_sourced.HALVES:
        assert all(webgold_sourced.half_of(p, seed) == half for p in split[half])
    assert SPLIT.read_text(encoding="utf-8") == webgold_sourced.dump_split(webgold_sourced.make_split(raws, seed))


def test_split_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such split file"):
        webgold_sourced.load_split(tmp_path / "nope.json")
    (tmp_path / "s.json").write_text('{"tuning": []}', encoding="utf-8")
    with pytest.raises(ValueError, match="'tuning' and 'reporting'"):
        webgold_sourced.load_split(tmp_path / "s.json")
    with pytest.raises(ValueError, match="half 'test'"):
        webgold_sourced.pages_of({"tuning": [], "reporting": []}, "test")


# ------------------------------------------------------------------ eval web: halves, several folders


def test_cli_halves_and_absent_pages(tmp_path):
    from typer.testing import CliRunner

    from quotegraph.cli import app

    split = tmp_path / "split.json"
    split.write_text(json.dumps({"seed": 0, "tuning": [], "reporting": ["harbour.html"]}), encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "harbour.json").write_text((FIX / "gold" / "harbour.json").read_text(encoding="utf-8"), encoding="utf-8")
    (gold / "elsewhere.json").write_text(json.dumps({"page": "elsewhere.html.gz", "text_sha256": "", "attributions": []}), encoding="utf-8")
    out = tmp_path / "web.json"
    args = ["eval", "web", str(FIX / "pages"), str(tmp_path), "--gold", str(gold), "--split", str(split), "--json", str(out)]
    res = CliRunner().invoke(app, [*args, "--half", "reporting"])
    assert res.exit_code == 0, res.output
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["half"] == "reporting" and d["pages"] == 1 and d["pages_skipped"] == []
    assert "sourced statements" in res.output.lower()
    res = CliRunner().invoke(app, args)  # all pages: the gzipped one is in neither folder
    assert res.exit_code == 0, res.output
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["pages_skipped"] == ["elsewhere.html.gz"] and set(d["sourced_statements_by_half"]) == {"all", "tuning", "reporting"}
    res = CliRunner().invoke(app, ["eval", "web", str(tmp_path / "absent"), "--gold", str(gold), "--split", str(split)])
    assert res.exit_code == 2 and "no such pages directory" in " ".join(res.output.split())
    res = CliRunner().invoke(app, [*args, "--acts", "some"])
    assert res.exit_code == 2 and "--acts" in res.output
