"""brat standoff reader on hand-written fixtures."""

import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from quotegraph.evaluation.brat import parse_ann, read_ann, read_text, role_of  # noqa: E402

DATA = Path(__file__).resolve().parent / "fixtures" / "brat" / "polnear" / "data"


def test_role_names():
    assert role_of("Content") == "content"
    assert role_of("Content2") == "content"
    assert role_of("Cue") == "cue"
    assert role_of("Source") == "source"
    assert role_of("Attribution") is None
    assert role_of("Discuss") is None


def test_reads_events_in_document_order():
    text = read_text(DATA / "dev" / "text" / "alpha_council-vote.txt")
    doc = read_ann(DATA / "dev" / "attributions" / "alpha_council-vote_aaaa.ann", text=text)
    assert doc.warnings == []
    assert [a.id for a in doc.attributions] == ["E1", "E2", "E3", "E4"]
    e1 = doc.attributions[0]
    assert text[slice(*e1.content[0])] == "\u201cWe need more time to read the numbers,\u201d"
    assert text[slice(*e1.cue[0])] == "said"
    assert text[slice(*e1.source[0])] == "council member Ana Ruiz"
    # every stored span text equals the .txt slice (code-point offsets)
    for tb in doc.textbounds.values():
        assert " ".join(text[a:b] for a, b in tb.spans) == tb.text


def test_content2_and_sourceless():
    text = read_text(DATA / "dev" / "text" / "beta_storm-warning.txt")
    doc = read_ann(DATA / "dev" / "attributions" / "beta_storm-warning_bbbb.ann", text=text)
    e1, e2 = doc.attributions
    assert [text[a:b] for a, b in e1.content] == ["\u201cStay indoors,\u201d", "\u201cand keep your phones charged.\u201d"]
    assert e1.parts["content"] == ["T1", "T4"]
    assert e2.label == "Attribution-no-source" and e2.source == [] and text[slice(*e2.cue[0])] == "believed"


def test_discontinuous_fragments():
    text = read_text(DATA / "dev" / "text" / "beta_storm-warning.txt")
    doc = read_ann(DATA / "dev" / "attributions" / "beta_storm-warning_aaaa.ann", text=text)
    assert doc.warnings == []
    (e1,) = doc.attributions
    assert e1.content == [(29, 44), (66, 97)]


def test_odd_lines_are_survived_with_warnings():
    text = read_text(DATA / "train" / "text" / "gamma_library.txt")
    doc = read_ann(DATA / "train" / "attributions" / "gamma_library_cccc.ann", text=text)
    assert len(doc.attributions) == 2
    # the span text with a newline continues on the next line and is re-attached
    t7 = doc.textbounds["T7"]
    assert t7.text == "that\nstaff would be paid in full." == text[t7.spans[0][0] : t7.spans[0][1]]
    assert any("line 14: unrecognised line" in w for w in doc.warnings)
    assert any("missing T98" in w for w in doc.warnings)
    assert all(w.startswith("gamma_library_cccc.ann: ") for w in doc.warnings)
    # Discuss spans and notes are not attribution parts and raise no warning
    assert not any("Discuss" in w for w in doc.warnings)


def test_missing_file_warns_with_name(tmp_path):
    doc = read_ann(tmp_path / "nowhere_x.ann")
    assert doc.attributions == []
    assert len(doc.warnings) == 1 and doc.warnings[0].startswith("nowhere_x.ann: ")


def test_mismatching_text_and_bad_offsets_warn():
    text = "The clerk said the office is open."
    ann = "\n".join(
        [
            "T1\tSource 0 9\tThe clerk",
            "T2\tCue 10 14\tsays",  # stored text differs from the .txt
            "T3\tContent 15 34\tthe office is open.",
            "T4\tContent 30 99\tbeyond the end",
            "T5\tCue x y\tbroken",
            "E1\tAttribution Source:T1 Cue:T2 Content:T3",
            "",
        ]
    )
    doc = parse_ann(ann, name="inline.ann", text=text)
    assert [a.content for a in doc.attributions] == [[(15, 34)]]
    joined = "\n".join(doc.warnings)
    assert "T2 text differs" in joined
    assert "beyond end of text" in joined
    assert "line 5: unrecognised line" in joined


def test_fragments_written_out_of_order():
    text = "Rain, she said, is coming soon."
    doc = parse_ann("T1\tContent 16 30;0 4\tis coming soon Rain\nT2\tCue 10 14\tsaid\nE1\tAttribution Content:T1 Cue:T2\n", text=text)
    assert doc.warnings == []
    assert doc.attributions[0].content == [(0, 4), (16, 30)]


def test_relations_are_grouped():
    text = "A farmer said rain is coming. Nobody else spoke."
    ann = "\n".join(
        [
            "T1\tSource 0 8\tA farmer",
            "T2\tCue 9 13\tsaid",
            "T3\tContent 14 28\train is coming",
            "R1\tSOURCE Arg1:T2 Arg2:T1",
            "R2\tCONTENT Arg1:T2 Arg2:T3",
        ]
    )
    doc = parse_ann(ann, name="rel.ann", text=text)
    assert doc.warnings == []
    (a,) = doc.attributions
    assert (a.source, a.cue, a.content) == ([(0, 8)], [(9, 13)], [(14, 28)])


def test_crlf_text_is_read_verbatim(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"Line one.\r\nShe said yes.")
    text = read_text(p)
    assert text == "Line one.\r\nShe said yes."  # no newline translation: offsets stay brat's
    doc = parse_ann("T1\tCue 15 19\tsaid\n", text=text)
    assert not any("differs" in w for w in doc.warnings)
    assert doc.textbounds["T1"].text == text[15:19] == "said"
    assert any("in no attribution: T1" in w for w in doc.warnings)  # a cue outside any event
