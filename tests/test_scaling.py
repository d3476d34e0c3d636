"""One long paragraph: the cost grows about linearly with its quotations, and a very long one is
parsed in bounded pieces with its offsets exact (issue 21, item 2).

Growth is checked as a ratio measured in the same run (CPU time, so that other jobs on the
machine count less); the speed and memory figures themselves are benchmarks (bench/bench_paragraphs.py).
"""

from __future__ import annotations

import time

from quotegraph.models import iter_spans
from quotegraph.pipeline.nlp import BATCH_CHARS, PIECE_CHARS, batches, load_model, pieces, pipe, stand_ins
from quotegraph.read.readers import read_string
from quotegraph.read.segments import PARAGRAPH_CUTS, cut_points

# invented sentences: quotations with cues and speakers, reported speech, plain narration
SENTENCES = [
    "\u201cWe will rebuild the north bridge before the winter,\u201d said Mayor Ana Ruiz on Tuesday.",
    "Her deputy, Tom Reyes, told the council that the budget was \u201cthe only way forward\u201d.",
    "The river rose by two metres in the night and closed the ferry landing.",
    "\u201cNobody here asked for a new stadium,\u201d Lena Novak, who runs the bakery on Mill Street, said.",
    "According to the harbour trust, the repairs will cost about $4 million.",
    "Residents have waited years for the project to begin.",
    "\u201cIt is not complicated. The numbers simply do not add up,\u201d the treasurer warned.",
    "Critics say the plan has been poorly explained to the public!",
    "Will the council vote again next week? Officials did not give a timetable.",
]


def long_paragraph(chars: int) -> str:
    """One paragraph of about ``chars`` characters, no two sentences alike (numbered)."""
    out, n, k = [], 0, 0
    while n < chars:
        s = SENTENCES[k % len(SENTENCES)].replace("the ", f"the {k} ", 1) if k >= len(SENTENCES) else SENTENCES[k]
        out.append(s)
        n += len(s) + 1
        k += 1
    return " ".join(out)


def assert_spans_exact(art) -> None:
    """Every span of the article is inside its text and gives back the text it names."""
    for label, t, (a, b) in iter_spans(art):
        assert 0 <= a <= b <= len(art.text), label
        assert t is None or art.text[a:b] == t, label


def many_quotes(n: int) -> str:
    return " ".join(["\u201cword\u201d said"] * n)


def test_many_quotations_in_one_paragraph_grow_about_linearly(ex):
    ex.extract(many_quotes(20))  # the model and the stages warmed up
    cpu = {}
    for n in (400, 1600):
        times = []
        for _ in range(2):  # the better of two runs: other jobs on the machine add noise
            t = time.process_time()
            art = ex.extract(many_quotes(n))
            times.append(time.process_time() - t)
        cpu[n] = min(times)
        assert len(art.paragraphs) == 1 and art.paragraphs[0].span == (0, len(art.text))
        assert_spans_exact(art)
    # before issue 21 each doubling cost about 8x (n=500: 16 s, n=1000: 115 s): 4x, about 64x
    assert cpu[1600] <= 6 * cpu[400], cpu


def test_paragraph_cuts_are_at_sentence_ends_within_the_size():
    text = long_paragraph(45_000)
    starts = cut_points(text, PIECE_CHARS, PARAGRAPH_CUTS)
    ends = starts[1:] + [len(text)]
    assert len(starts) == 3
    assert all(b - a <= PIECE_CHARS for a, b in zip(starts, ends, strict=False))
    assert "".join(text[a:b] for a, b in zip(starts, ends, strict=False)) == text
    # each cut follows a sentence end and a space, and a capital (or an opening mark) comes next
    for s in starts[1:]:
        assert text[s - 1] == " " and text[s - 2] in ".!?\u201d" and (text[s].isupper() or text[s] == "\u201c"), text[s - 5 : s + 5]


def test_paragraph_cuts_fall_back_to_white_space_then_to_the_size():
    words = " ".join(f"word{i}" for i in range(5000))  # no sentence end at all
    starts = cut_points(words, 1000, PARAGRAPH_CUTS)
    assert len(starts) > 1 and all(words[s - 1] == " " and words[s] == "w" for s in starts[1:])
    solid = "x" * 2500  # not even a space: cut at the size
    assert cut_points(solid, 1000, PARAGRAPH_CUTS) == [0, 1000, 2000]


def test_ordinary_paragraphs_are_parsed_whole_and_batches_are_bounded():
    ordinary = [long_paragraph(3000), long_paragraph(PIECE_CHARS)[:PIECE_CHARS], "Short one."]
    assert [k for k, _ in pieces(ordinary)] == [0, 1, 2]
    texts = ordinary + [long_paragraph(130_000)] + ["The end."]
    got = list(pieces(texts))
    assert "".join(p for k, p in got if k == 3) == texts[3]
    assert max(len(p) for _, p in got) <= PIECE_CHARS and sum(k == 3 for k, _ in got) >= 7
    groups = list(batches(got, 64))
    assert [item for g in groups for item in g] == got
    assert all(sum(len(p) for _, p in g) <= BATCH_CHARS for g in groups)
    assert all(len(g) <= 3 for g in list(batches(got, 3)))


def test_a_long_paragraph_is_parsed_in_pieces_into_one_doc_over_its_text():
    nlp = load_model()
    text = long_paragraph(50_000)
    seen: list[int] = []

    def record(doc):
        seen.append(len(doc.text))
        return doc

    steps = stand_ins(nlp) + (("record", record, False),)
    docs = list(pipe(nlp, ["A short paragraph first.", text, "And one after."], steps=steps))
    assert [d.text for d in docs] == ["A short paragraph first.", text, "And one after."]
    assert len(seen) >= 5 and max(seen) <= PIECE_CHARS  # the parser never saw the whole paragraph
    doc = docs[1]
    assert all(text[t.idx : t.idx + len(t.text_with_ws)] == t.text_with_ws for t in doc)
    assert all(text[e.start_char : e.end_char] == e.text for e in doc.ents)
    assert len(list(doc.sents)) > 300 and all(t.head.i < len(doc) for t in doc)


def test_a_long_paragraph_keeps_exact_offsets_through_extraction(ex):
    body = long_paragraph(45_000)
    # a web page's paragraph stays one paragraph (parsed in pieces)
    page = f"<html><head><title>Bridge</title></head><body><article><p>{body}</p></article></body></html>"
    art = ex.extract_source(read_string(page, "bridge.html"))
    assert [art.text[a:b] for a, b in (p.span for p in art.paragraphs)] == ["Bridge", body]  # the title, the body
    assert len(art.quotes) > 100
    assert_spans_exact(art)
    speakers = {q.speaker.text for q in art.quotes if q.speaker is not None}
    assert {"Ana Ruiz", "Lena Novak"} <= speakers
    # a plain text's block is cut into paragraphs of at most 20,000 characters (read/layout.py)
    text = "Riverton \u2014 " + body
    art = ex.extract(text)
    assert len(art.paragraphs) == 3 and all(b - a <= 20_000 for a, b in (p.span for p in art.paragraphs))
    assert "".join(art.text[a:b] for a, b in (p.span for p in art.paragraphs)).replace(" ", "") == text.replace(" ", "")
    assert len(art.quotes) > 100
    assert_spans_exact(art)
