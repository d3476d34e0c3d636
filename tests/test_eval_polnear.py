"""PolNeAR loading, scoring with a stand-in extractor, reports and the ``eval polnear`` command.

Uses the hand-written fixture checkout in tests/fixtures/brat/polnear (invented text).
"""

import json
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

import typer  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from quotegraph.evaluation import polnear  # noqa: E402
from quotegraph.evaluation.cli import check_report_path, register  # noqa: E402
from quotegraph.models import Article, Cue, Quote, Speaker  # noqa: E402

CHECKOUT = Path(__file__).resolve().parent / "fixtures" / "brat" / "polnear"


def span_of(text, s, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(s, i + 1)
    return (i, i + len(s))


def quote(text, qid, kind, content, cue=None, speaker=None):
    pieces = [span_of(text, *c) if isinstance(c, tuple) else span_of(text, c) for c in content]
    span = (pieces[0][0], pieces[-1][1])
    q = dict(id=qid, kind=kind, text=text[span[0] : span[1]], span=span, spans=pieces)
    if cue:
        cs = span_of(text, *cue)
        q["cue"] = Cue(text=text[cs[0] : cs[1]], span=cs)
    if speaker:
        ss = span_of(text, *speaker) if isinstance(speaker, tuple) else span_of(text, speaker)
        q["speaker"] = Speaker(text=text[ss[0] : ss[1]], span=ss, kind="person")
    return Quote(**q)


class FakeExtractor:
    """Hand-made predictions for the alpha fixture; raises on beta (to count failures)."""

    def __init__(self, options=None):
        pass

    def extract(self, text, path=None):
        if "forecaster" in text:
            raise RuntimeError("boom")
        quotes = []
        if "council" in text:
            quotes = [
                quote(text, "q1", "direct", ["We need more time to read the numbers"], ("said",), "Ana Ruiz"),
                quote(text, "q2", "indirect", ["the budget would be balanced by spring"], ("said", 1), "The mayor"),
                quote(text, "q3", "indirect", ["the plan"], ("called",), ("Ruiz", 1)),
            ]
        return Article(id=path or "x", text=text, quotes=quotes)


# ---------------------------------------------------------------- loading


def test_load_dev_chooses_first_listed_annotator():
    warns = []
    arts = polnear.load_split(CHECKOUT, "dev", warnings=warns)
    assert [a.name for a in arts] == ["alpha_council-vote", "beta_storm-warning"]
    assert [a.annotator for a in arts] == ["aaaa", "bbbb"]  # beta: metadata lists bbbb first
    assert len(arts[1].attributions) == 2 and warns == []
    assert [g.type for g in arts[0].gold_items()] == ["direct", "indirect", "indirect", "mixed"]


def test_choose_annotation_falls_back_to_first_file():
    c = {"zz": Path("a_zz.ann"), "bb": Path("a_bb.ann")}
    assert polnear.choose_annotation(c, ["qq", "zz"]) == ("zz", Path("a_zz.ann"))
    assert polnear.choose_annotation(c, []) == ("bb", Path("a_bb.ann"))
    assert polnear.choose_annotation({}, ["zz"]) == (None, None)


def test_load_train_warns_and_skips():
    warns = []
    arts = polnear.load_split(CHECKOUT / "data", "train", warnings=warns)  # data/ itself works too
    assert [a.name for a in arts] == ["delta_bridge", "gamma_library"]
    joined = "\n".join(warns)
    assert "epsilon_orphan_*.ann: no matching text file" in joined
    assert "zeta_no-annotation.txt: no .ann file" in joined
    assert "gamma_library_cccc.ann: line 14" in joined


def test_limit_and_held_out_split():
    assert len(polnear.load_split(CHECKOUT, "dev", limit=1)) == 1
    with pytest.raises(ValueError, match="held out"):
        polnear.load_split(CHECKOUT, "test")
    with pytest.raises(FileNotFoundError):
        polnear.load_split(CHECKOUT, "nosuchsplit")


# ---------------------------------------------------------------- evaluation


def test_evaluate_with_stand_in_extractor():
    ev = polnear.evaluate(CHECKOUT, "dev", extractor=FakeExtractor())
    assert [r.article.name for r in ev.failed] == ["beta_storm-warning"]
    s = ev.totals.scores
    # gold: 4 (alpha) + 2 (beta, scored with no predictions); predicted: 3
    assert (s["content_lenient30"].gold["all"], s["content_lenient30"].pred["all"]) == (6, 3)
    assert s["content_lenient30"].precision() == pytest.approx(2 / 3)
    assert s["content_lenient30"].recall() == pytest.approx(2 / 6)
    assert s["content_exact"].tp == 1
    assert s["cue_exact"].precision() == pytest.approx(1.0) and s["cue_exact"].recall() == pytest.approx(3 / 6)
    assert s["source_exact"].recall() == pytest.approx(2 / 5)  # 5 gold sources (beta E2 has none)
    assert ev.totals.speaker.value == pytest.approx(1.0)
    fig = ev.figures()
    assert fig["indirect_lenient30_recall"] == pytest.approx(100 * 1 / 3)  # alpha E2 of alpha E2, E3, beta E2
    d = ev.to_dict()
    assert d["articles"] == 2 and d["articles_failed"] == 1
    assert d["gold_by_type"] == {"direct": 2, "mixed": 1, "indirect": 3}
    assert d["metrics"]["content_lenient30"]["all"]["precision"] == 66.67
    assert d["headline"]["end_to_end"] == pytest.approx(100 * 2 * (2 / 3) * (2 / 6) / (2 / 3 + 2 / 6), abs=0.01)


def test_error_report_marks_misses_and_false_positives():
    ev = polnear.evaluate(CHECKOUT, "dev", extractor=FakeExtractor())
    md = polnear.error_report(ev)
    assert "## alpha_council-vote" in md and "## beta_storm-warning" in md
    assert "*miss* (indirect): <the treasurer>, ⟦the city has enough reserves for two years⟧." in md.replace("{According to} ", "")
    assert "*false positive* (indirect): <Ruiz> {called} ⟦the plan⟧ “a reckless gamble” and promised to vote against it." in md
    assert "*boundary* gold:" in md
    assert "  (indirect: starts late)" in md  # the complementiser left out
    assert "| starts late | 0 | 0 | 1 | 1 |" in md  # the summary counts, by gold type
    assert "**extractor error**: RuntimeError: boom" in md


# ---------------------------------------------------------------- command line


@pytest.fixture
def app(monkeypatch):
    import quotegraph

    monkeypatch.setattr(quotegraph, "Extractor", FakeExtractor, raising=False)
    app = typer.Typer()

    @app.callback()
    def main():
        """throwaway root"""

    register(app)
    return app


def test_cli_polnear(app, tmp_path):
    out_json = tmp_path / "figures.json"
    out_md = tmp_path / "errors.md"
    res = CliRunner().invoke(app, ["eval", "polnear", str(CHECKOUT), "--split", "dev", "--json", str(out_json), "--errors", str(out_md)])
    assert res.exit_code == 0, res.output
    assert "content lenient 30%" in res.output and "66.7" in res.output
    assert "extractor errors: 1" in res.output
    data = json.loads(out_json.read_text())
    assert data["split"] == "dev" and data["metrics"]["cue_exact"]["all"]["recall"] == 50.0
    assert out_md.read_text().startswith("# PolNeAR dev: errors")


def test_cli_limit_and_refusals(app, tmp_path):
    res = CliRunner().invoke(app, ["eval", "polnear", str(CHECKOUT), "--limit", "1"])
    assert res.exit_code == 0, res.output
    assert "1 articles" in res.output
    res = CliRunner().invoke(app, ["eval", "polnear", str(CHECKOUT), "--split", "test"])
    assert res.exit_code != 0 and "held out" in res.output
    inside = Path(__file__).resolve().parent / "polnear-errors.md"
    res = CliRunner().invoke(app, ["eval", "polnear", str(CHECKOUT), "--errors", str(inside)])
    assert res.exit_code != 0 and not inside.exists()


def test_report_path_guard(tmp_path):
    check_report_path(tmp_path / "ok.md")
    with pytest.raises(typer.BadParameter):
        check_report_path(Path(__file__).resolve().parents[1] / "docs" / "errors.md")
