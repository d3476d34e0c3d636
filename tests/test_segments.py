"""Very long plain texts are extracted in segments and joined: one article over the whole text."""

from __future__ import annotations

import pytest

import quotegraph
from quotegraph.models import iter_spans
from quotegraph.read.readers import read_string
from quotegraph.read.segments import cut_points, extract_long

PARA = ("\u201cWe will rebuild the bridge number {i} before winter,\u201d said Mayor Ana Ruiz{i}. "
        "Her deputy, Tom Reyes{i}, told the council that the plan was \u201cthe only way forward\u201d.")


@pytest.fixture(scope="module")
def ex():
    return quotegraph.Extractor()


def test_cut_points_prefer_blank_lines_then_sentences():
    text = "\n\n".join(f"Paragraph {i} is here. It has two sentences." for i in range(100))
    starts = cut_points(text, 500)
    assert starts[0] == 0 and all(text[s - 2 : s] == "\n\n" for s in starts[1:])
    one = " ".join(f"Sentence {i} ends here." for i in range(100))  # no blank line at all
    starts = cut_points(one, 300)
    assert len(starts) > 1 and all(one[s - 2] == "." for s in starts[1:])
    assert all(b - a <= 300 for a, b in zip(starts, starts[1:] + [len(one)], strict=False))


def test_a_long_text_in_segments_is_one_article(ex):
    text = "\n\n".join(PARA.format(i=i) for i in range(120))
    src = read_string(text)
    art = extract_long(ex.extract_source, src, size=3000)
    assert art.text == text
    assert len(cut_points(text, 3000)) > 5
    for label, t, (s, e) in iter_spans(art):
        assert 0 <= s <= e <= len(text) and (t is None or text[s:e] == t), label
    ids = [q.id for q in art.quotes]
    assert ids == [f"q{k + 1}" for k in range(len(ids))]
    ents = {e.id for e in art.entities}
    assert len(ents) == len(art.entities)
    for q in art.quotes:
        assert q.nested_in is None or q.nested_in in ids
        assert q.speaker is None or q.speaker.entity is None or q.speaker.entity in ents
    # every paragraph's bridge quote is found, with the speaker the whole text gives it
    def bridge(a):
        return [(q.span, q.speaker.text if q.speaker else None) for q in a.quotes if "rebuild the bridge" in q.text]

    assert len(bridge(art)) == 120 and bridge(art) == bridge(ex.extract_source(src))
    assert [p.span for p in art.paragraphs] == sorted(p.span for p in art.paragraphs)


def test_a_text_within_the_size_goes_through_whole(ex):
    text = "\n\n".join(PARA.format(i=i) for i in range(3))
    src = read_string(text)
    assert extract_long(ex.extract_source, src, size=10_000) == ex.extract_source(src)


def test_a_long_text_kept_compact_writes_the_json_of_the_joined_article(ex):
    import io

    from quotegraph.read.segments import extract_long_compact

    text = "\n\n".join(PARA.format(i=i) for i in range(40)) + "\n\nThe end, \u00absaid\u00bb nobody \u2014 \u201cunclosed."
    src = read_string(text)
    long = extract_long_compact(ex.extract_source, src, size=1500)
    assert len(long.chunks) > 3
    art = long.article()
    assert art == extract_long(ex.extract_source, src, size=1500)
    assert len(art.quotes) >= 40 and art.text == text
    assert [q.id for q in long.records("quotes")] == [f"q{k + 1}" for k in range(len(art.quotes))]
    for indent in (None, 2, 4):
        out = io.StringIO()
        long.write_json(out, indent=indent)
        assert out.getvalue() == art.model_dump_json(indent=indent), indent
    long.path = "big.txt"
    out = io.StringIO()
    long.write_json(out, indent=2)
    assert out.getvalue() == art.model_copy(update={"path": "big.txt"}).model_dump_json(indent=2)


def test_a_long_text_with_no_quote_writes_empty_lists(ex):
    import io

    from quotegraph.read.segments import extract_long_compact

    text = "\n\n".join(f"Paragraph {i} has no quotation and no speaker at all." for i in range(60))
    long = extract_long_compact(ex.extract_source, read_string(text), size=800)
    art = long.article()
    assert not art.quotes and len(art.paragraphs) == 60
    for indent in (None, 2):
        out = io.StringIO()
        long.write_json(out, indent=indent)
        assert out.getvalue() == art.model_dump_json(indent=indent)


def test_extract_writes_a_huge_text_in_segments_as_the_joined_article(ex, tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    import quotegraph.read.segments as segments_mod
    from quotegraph.cli import app

    text = "\n\n".join(PARA.format(i=i) for i in range(30))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    want = extract_long(ex.extract_source, read_string(text, str(path)), size=1500)
    monkeypatch.setattr(segments_mod, "SEGMENT_CHARS", 1500)  # "huge" past 1,500 characters
    runner = CliRunner()
    for args, indent in (([], 2), (["--format", "jsonl"], None)):
        res = runner.invoke(app, ["extract", str(path), *args])
        assert res.exit_code == 0, res.output
        got = res.stdout
        assert got == want.model_copy(update={"path": str(path)}).model_dump_json(indent=indent) + "\n"
        assert len(json.loads(got)["quotes"]) == len(want.quotes) >= 30
