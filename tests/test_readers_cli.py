"""Readers, encodings, bad input, and the command line contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quotegraph.errors import InputError
from quotegraph.read.readers import decode, looks_like_html, read_path

ARTICLE = "\u201cWe will not back down,\u201d Mayor Ana Ruiz told reporters on Monday.\n\nThe council meets again in May.\n"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quotegraph.cli", *args], input=stdin, capture_output=True, text=True, timeout=300)


def test_decode_utf8_latin1_utf16():
    assert decode("caf\u00e9 \u201cok\u201d".encode(), "a") == "caf\u00e9 \u201cok\u201d"
    assert decode("\ufeffhello".encode(), "a") == "hello"
    assert decode("Se\u00f1or L\u00f3pez dijo que el alcalde mint\u00f3 sobre el presupuesto.".encode("latin-1"), "a").startswith("Se\u00f1or")
    assert decode("\u201cHi,\u201d she said.".encode("utf-16"), "a") == "\u201cHi,\u201d she said."


@pytest.mark.parametrize("data,reason", [(b"", "empty"), (b"   \n\t ", "empty"), (b"\x00\x01\x02PK\x03\x04" * 20, "binary")])
def test_bad_bytes_are_named_errors(tmp_path, data, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    with pytest.raises(InputError) as e:
        read_path(f)
    assert str(f) in str(e.value) and reason in str(e.value)


def test_too_large_and_missing(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("word " * 1000)
    with pytest.raises(InputError, match="too large"):
        read_path(f, max_bytes=100)
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_path(tmp_path)


def test_html_sniffing():
    assert looks_like_html(b"<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert looks_like_html(b"x", "page.HTM")
    assert not looks_like_html(ARTICLE.encode())


def test_extract_json_order_errors_and_exit_code(tmp_path):
    good1 = tmp_path / "one.txt"
    good1.write_text(ARTICLE, encoding="utf-8")
    good2 = tmp_path / "two.txt"
    good2.write_text("\u201cIt is over,\u201d said coach Tom Reyes.\n", encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    proc = run("extract", str(good2), str(binary), str(good1), "--format", "json")
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(binary) in lines[0]
    data = json.loads(proc.stdout)
    assert [a["path"] for a in data] == [str(good2), str(good1)]
    assert data[1]["text"] == ARTICLE
    q = data[1]["quotes"][0]
    assert q["text"] == "We will not back down,"
    assert q["speaker"]["name"] == "Ana Ruiz" and q["addressee"]["text"] == "reporters" and q["cue"]["text"] == "told"


def test_extract_single_json_object_jsonl_table_and_stdin(tmp_path):
    f = tmp_path / "one.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    one = run("extract", str(f))
    assert one.returncode == 0 and isinstance(json.loads(one.stdout), dict)
    jl = run("extract", str(f), str(f), "--format", "jsonl")
    rows = [json.loads(x) for x in jl.stdout.splitlines()]
    assert len(rows) == 2 and rows[0]["id"] == rows[1]["id"]
    table = run("extract", str(f), "--format", "table")
    assert table.returncode == 0 and "Ana Ruiz" in table.stdout and "told" in table.stdout
    piped = run("extract", "-", stdin=ARTICLE)
    art = json.loads(piped.stdout)
    assert art["path"] == "-" and art["quotes"][0]["speaker"]["name"] == "Ana Ruiz"


def test_schema_command():
    proc = run("schema")
    schema = json.loads(proc.stdout)
    assert schema["title"] == "Article" and "quotes" in schema["properties"]


def test_html_article_keeps_captions_apart():
    html = Path(__file__).parent / "articles" / "14_html_caption.html"
    proc = run("extract", str(html))
    art = json.loads(proc.stdout)
    roles = [p["role"] for p in art["paragraphs"]]
    assert art["format"] == "html" and "caption" in roles and roles[0] == "title"
    body = [art["text"][p["span"][0]:p["span"][1]] for p in art["paragraphs"] if p["role"] == "body"]
    captions = [art["text"][p["span"][0]:p["span"][1]] for p in art["paragraphs"] if p["role"] == "caption"]
    assert not any(c in b for c in captions for b in body)


def test_a_paragraph_longer_than_the_limit_is_cut_at_sentence_ends():
    from quotegraph.read.layout import MAX_PARAGRAPH, split_paragraphs

    sentence = "The council said the budget would be balanced by June. "
    text = sentence * (3 * MAX_PARAGRAPH // len(sentence))
    paras = split_paragraphs(text)
    assert len(paras) >= 3
    assert all(p.end - p.start <= MAX_PARAGRAPH for p in paras)
    assert all(text[p.start:p.end].endswith(".") for p in paras)
    # nothing but the spaces between pieces is left out
    assert "".join(text[p.start:p.end] for p in paras).replace(" ", "") == text.replace(" ", "")


def test_a_masthead_line_is_not_a_person():
    from quotegraph import extract

    art = extract("Riverton Herald, 12 March 2024\n\nMayor Jo Park said the bridge would reopen in May.\n")
    assert [(e.name, e.roles) for e in art.entities] == [("Jo Park", ["Mayor"])]
    assert art.quotes[0].speaker.name == "Jo Park" and art.quotes[0].text == "the bridge would reopen in May"
