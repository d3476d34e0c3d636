"""Broken and hostile input: encodings, lone surrogates, truncated WARC files, size limits, a full
disk. Each bad input is one line naming it; the rest of the batch goes on; nothing stored is lost."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import quotegraph
from quotegraph.corpus import Corpus, ingest, snapshot
from quotegraph.corpus.store import Store, StoreFull
from quotegraph.errors import InputError
from quotegraph.models import iter_spans
from quotegraph.read.readers import decode_bytes, read_string

FIX = Path(__file__).parent / "fixtures" / "corpus"
SRC = Path(quotegraph.__file__).resolve().parent.parent

QUOTES = ("\u201cWe will rebuild the bridge before winter,\u201d said Mayor Ana Ruiz.\n\n"
          "\u201cThe money is there,\u201d Ruiz told the council on Tuesday. \u201cIt\u2019s time.\u201d\n\n"
          "Her deputy, Tom Reyes, said the plan was \u201cthe only way forward\u201d.\n")


def cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "quotegraph.cli", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def _with_bad_bytes(text: str, n: int) -> bytes:
    data = bytearray(text.encode("utf-8"))
    step = len(data) // (n + 1)
    for k in range(n):  # stray bytes between characters (never inside one)
        i = step * (k + 1)
        while data[i] & 0xC0 == 0x80:
            i += 1
        data.insert(i, 0xFF if k % 2 else 0x81)
    return bytes(data)


# ---------------------------------------------------------------- encodings


def test_a_few_bad_bytes_in_utf8_are_replaced_and_reported():
    d = decode_bytes(_with_bad_bytes(QUOTES, 4), "a.txt")
    assert d.text.count("\ufffd") == 4
    assert d.text.replace("\ufffd", "") == QUOTES  # every real character read as UTF-8, none as cp1252
    assert d.warnings == ["4 bytes not valid UTF-8, replaced with U+FFFD"]


def test_mostly_invalid_utf8_is_a_clear_error():
    data = bytearray(QUOTES.encode("utf-8"))
    for i in range(0, len(data), 3):
        if data[i] < 0x80:
            data[i] = 0xFE
    with pytest.raises(InputError) as e:
        decode_bytes(bytes(data), "garbled.txt")
    assert "garbled.txt" in str(e.value) and "not valid UTF-8" in str(e.value)


def test_a_code_page_file_is_still_read():
    text = "Se\u00f1or L\u00f3pez dijo que el alcalde \u201cminti\u00f3\u201d sobre el presupuesto.\n" * 5
    d = decode_bytes(text.encode("cp1252"), "es.txt")
    assert d.text == text and not d.warnings


def test_extract_warns_once_naming_the_file_and_the_count(tmp_path):
    f = tmp_path / "stray.txt"
    f.write_bytes(_with_bad_bytes(QUOTES, 4))
    utf16 = tmp_path / "wide.txt"
    utf16.write_bytes(QUOTES.encode("utf-16"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = cli("extract", str(f), str(utf16), str(empty), "--format", "jsonl", "--rules-only")
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1  # the empty file
    assert [ln for ln in lines if "warning" in ln] == [f"quotegraph: {f}: warning: 4 bytes not valid UTF-8, replaced with U+FFFD"]
    assert [ln for ln in lines if "warning" not in ln] == [f"quotegraph: {empty}: empty input"]
    arts = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [a["path"] for a in arts] == [str(f), str(utf16)]
    assert arts[1]["text"] == QUOTES
    assert any(q["text"].startswith("We will rebuild the bridge") for q in arts[0]["quotes"])
    assert "\u00e2\u20ac" not in arts[0]["text"]  # no cp1252 mojibake of the curly quotes


def test_too_large_names_the_option_both_commands_take(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text(QUOTES * 20)
    proc = cli("extract", str(f), "--max-bytes", "1000")
    assert proc.returncode == 1 and "too large" in proc.stderr and "--max-bytes" in proc.stderr
    db = tmp_path / "c.db"
    rep = ingest([str(f)], str(db), jobs=0, max_bytes=1000)
    assert rep.failed == 1 and "too large" in rep.failures[0][1]
    rep = ingest([str(f)], str(tmp_path / "d.db"), jobs=0, max_bytes=10**6)
    assert rep.added == 1
    jl = tmp_path / "feed.jsonl"
    jl.write_text(json.dumps({"text": QUOTES * 20}) + "\n" + json.dumps({"text": QUOTES}) + "\n")
    rep = ingest([str(jl)], str(tmp_path / "e.db"), jobs=0, max_bytes=1000)
    assert rep.added == 1 and rep.failures == [(f"{jl}:1", rep.failures[0][1])] and "too large" in rep.failures[0][1]
    # a line far past the limit is skipped without being read whole, and the next line is still read
    jl.write_text(json.dumps({"text": QUOTES * 6000}) + "\n" + json.dumps({"text": QUOTES}) + "\n")
    rep = ingest([str(jl)], str(tmp_path / "f.db"), jobs=0, max_bytes=1000)
    assert rep.added == 1 and [s for s, _ in rep.failures] == [f"{jl}:1"] and "line too long" in rep.failures[0][1]


# ---------------------------------------------------------------- lone surrogates


def test_lone_surrogates_do_not_lose_the_article():
    text = QUOTES.replace("bridge", "bridge \ud83d").replace("council", "\udc00council")
    src = read_string(text)
    assert len(src.content) == len(text) and "\ud83d" not in src.content and src.warnings
    art = quotegraph.extract(text)
    assert art.text == src.content
    assert any("bridge \ufffd before winter" in q.text for q in art.quotes)
    art.model_dump_json()  # serialisable
    for _label, t, (s, e) in iter_spans(art):
        assert 0 <= s <= e <= len(art.text) and (t is None or art.text[s:e] == t)


def test_jsonl_lone_surrogate_escape_is_ingested(tmp_path):
    jl = tmp_path / "feed.jsonl"
    jl.write_text('{"id": "s1", "text": ' + json.dumps(QUOTES).replace("bridge", "bridge \\ud83d") + "}\n"
                  "not json at all\n" + '{"id": "s2", "title": "no text"}\n')
    rep = ingest([str(jl)], str(tmp_path / "c.db"), jobs=0)
    assert rep.added == 1 and [s for s, _ in rep.failures] == [f"{jl}:2", f"{jl}:3"]
    assert rep.warnings and "surrogate" in rep.warnings[0][1]
    with Corpus(tmp_path / "c.db") as c:
        assert c.search("rebuild bridge")


# ---------------------------------------------------------------- spans on odd quote marks


MIXED = ("the that would \u300d , told \u201e Smith \u203a on \u00ab Smith agree \" according the \u300d , on "
         "\u201c the he never reporters minister told officials \u00bb Monday \u300c Smith on the reporters . to ' said "
         "officials \u201d told agree on to never Smith .")


def test_mixed_quote_marks_give_spans_in_order():
    for text in (MIXED, "\u00ab" + MIXED + "\u00bb\n\n\u2039 No. \u203a \u201e said he \u201c",
                 "Smith said:\n\n\u00ab Not closed " + "word " * 30 + "\n\n\u00ab and again \u00bb"):
        art = quotegraph.extract(text)
        for label, t, (s, e) in iter_spans(art):
            assert 0 <= s <= e <= len(art.text), (label, s, e)
            assert t is None or art.text[s:e] == t
            if label.endswith((".speaker", ".addressee", ".cue")):
                assert s < e and t.strip(), label


def test_in_quote_is_false_for_a_token_of_another_paragraph():
    from quotegraph.attribute.attribution import ParaCtx
    from quotegraph.find.quotemarks import find_quotes

    nlp = quotegraph.Extractor().nlp
    short = "\u00abNot closed yet"
    ctx = ParaCtx(index=1, offset=0, text=short, role="body", doc=nlp(short), quotes=find_quotes(short))
    assert ctx.top and ctx.top[0].close_pos is None
    other = nlp("Members of the said so.")  # "said" at index 15 == len(short): was an IndexError
    said = next(t for t in other if t.lower_ == "said")
    assert said.idx == len(short)
    assert ctx.in_quote(said) is False
    assert ctx.in_quote(ctx.doc[2]) is True  # "closed", inside the open quotation


# ---------------------------------------------------------------- truncated WARC


def _page(i: int) -> bytes:
    return (f"<html><body><article><p>\u201cPage {i} is the {i}th we wrote,\u201d said Ana Ruiz{i} on Monday.</p>"
            f"<p>The council met for {i} hours.</p></article></body></html>").encode()


def _small_warc(gz: bool) -> tuple[bytes, list[int]]:
    pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    ends = []
    for i in range(3):
        hdrs = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = w.create_warc_record(f"https://x.example/{i}", "response", payload=io.BytesIO(_page(i)), http_headers=hdrs)
        w.write_record(rec)
        rec.raw_stream.close()  # warcio buffers the record in a temporary file it leaves open
        ends.append(buf.tell())
    return buf.getvalue(), ends


@pytest.mark.parametrize("gz", [True, False])
def test_a_warc_cut_at_every_byte_keeps_the_whole_records_and_names_the_cut_one(tmp_path, gz):
    from quotegraph.corpus.sources import iter_items

    data, ends = _small_warc(gz)
    f = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    for cut in range(1, len(data)):
        f.write_bytes(data[:cut])
        items = list(iter_items([str(f)]))
        whole = [it for it in items if it.error is None]
        bad = [it for it in items if it.error is not None]
        complete = sum(1 for e in ends if e <= cut)
        # uncompressed: a cut in the blank lines after a record's block leaves the record whole
        complete_plain = sum(1 for e in ends if e - 4 <= cut)
        assert len(whole) in ((complete,) if gz else (complete, complete_plain)), cut
        for k, it in enumerate(whole):
            assert it.text == _page(k).decode(), cut
        if cut in ends or (not gz and len(whole) == complete_plain and any(e - 4 <= cut < e for e in ends)):
            assert not bad, cut
        else:
            assert len(bad) == 1, (cut, [(b.source, b.error) for b in bad])
            assert bad[0].source.startswith(f"{f}@"), cut
            offset = int(bad[0].source.rsplit("@", 1)[1])
            starts = [0] + ends[:-1]
            assert offset == starts[len(whole)], (cut, offset)


def test_truncated_warc_in_a_batch_and_strict(tmp_path):
    data, ends = _small_warc(True)
    f = tmp_path / "crawl.warc.gz"
    f.write_bytes(data[: ends[1] + 40])
    txt = tmp_path / "z.txt"
    txt.write_text(QUOTES)
    db = tmp_path / "c.db"
    proc = subprocess.run([sys.executable, "-m", "quotegraph.corpus", "ingest", str(f), str(txt), "--db", str(db),
                           "--quiet", "--jobs", "0"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    failed = [ln for ln in proc.stderr.splitlines() if "failed:" in ln]
    assert failed == [f"  failed: {f}@{ends[1]}: truncated: the file ends at byte {ends[1] + 40:,}, "
                      f"inside the record at byte {ends[1]:,}"]  # one line, however long
    with Corpus(db) as c:
        assert c.stats()["articles"] == 3  # two whole records and the text file
    strict_db = tmp_path / "s.db"
    proc = subprocess.run([sys.executable, "-m", "quotegraph.corpus", "ingest", str(f), str(txt), "--db",
                           str(strict_db), "--quiet", "--jobs", "0", "--fail-fast"], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(SRC)})
    assert proc.returncode == 1 and "stopped at the first failure" in proc.stderr
    with Corpus(strict_db) as c:
        assert c.stats()["articles"] == 2  # what came before the cut is kept; the text file is not reached


# ---------------------------------------------------------------- a full disk


class _SmallStore(Store):
    """A store whose database may not grow past a few pages: SQLite's own 'disk is full'."""

    pages = 0

    def __init__(self, path):
        super().__init__(path)
        used = self.con.execute("PRAGMA page_count").fetchone()[0]
        self.con.execute(f"PRAGMA max_page_count={used + self.pages}")


def _check_consistent(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.execute("INSERT INTO quote_fts(quote_fts) VALUES('integrity-check')")
        # every stored article is whole: its quote count matches its occurrences
        rows = con.execute("SELECT a.n_quotes, (SELECT count(*) FROM occurrences o WHERE o.article_id=a.id)"
                           " FROM articles a").fetchall()
        assert all(n >= k for n, k in rows)
        return len(rows)
    finally:
        con.close()


def _articles_dir(d: Path, n: int) -> Path:
    """``n`` invented articles (bench/synth.py), each with many quotes of its own."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("qg_bench_synth", Path(__file__).parent.parent / "bench" / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    mod.generate(str(d), n, fmt="txt", seed=3, speakers=40)
    return d


def test_a_full_disk_stops_the_ingest_cleanly_and_keeps_what_was_committed(tmp_path):
    from quotegraph.corpus.ingest import Ingestor

    src = _articles_dir(tmp_path / "in", 12)
    db = tmp_path / "c.db"
    stored = []
    for pages in (1, 6, 20):
        if db.exists():
            db.unlink()
        _SmallStore.pages = pages
        with pytest.raises(StoreFull, match="disk is full"):
            Ingestor(str(db), jobs=0, commit_every=2, store_factory=_SmallStore).run([str(src)])
        n = _check_consistent(db)
        stored.append(n)
        with Corpus(db) as c:
            assert c.stats()["articles"] == n
        # and with room again, the same command finishes the job: the store of an uninterrupted run
        rep = ingest([str(src)], str(db), jobs=0)
        assert rep.added == 12 - n
    assert stored[0] < stored[-1] < 12
    fresh = tmp_path / "fresh.db"
    ingest([str(src)], str(fresh), jobs=0)
    assert snapshot(fresh) == snapshot(db)


def test_a_real_full_disk(tmp_path):
    """A tmpfs of 600 kB (root only; skipped elsewhere)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        big = _articles_dir(tmp_path / "in", 40)
        db = mnt / "c.db"
        proc = subprocess.run([sys.executable, "-m", "quotegraph.corpus", "ingest", str(big), "--db", str(db),
                               "--quiet", "--jobs", "0", "--commit-every", "2"], capture_output=True, text=True,
                              timeout=600, env={**os.environ, "PYTHONPATH": str(SRC)})
        assert proc.returncode == 2 and "the disk is full" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
        n = _check_consistent(db)
        assert 0 < n < 40
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_a_corrupt_record_in_the_middle_of_a_warc_gz_loses_only_itself(tmp_path):
    from quotegraph.corpus.sources import iter_items

    data, ends = _small_warc(True)
    bad = bytearray(data)
    mid = (ends[0] + ends[1]) // 2
    bad[mid : mid + 8] = b"\xff" * 8  # the second record's compressed data damaged
    f = tmp_path / "damaged.warc.gz"
    f.write_bytes(bytes(bad) + b"\r\n")  # and padding at the end
    items = list(iter_items([str(f)]))
    assert [it.text for it in items if it.error is None] == [_page(0).decode(), _page(2).decode()]
    [broken] = [it for it in items if it.error is not None]
    assert broken.source == f"{f}@{ends[0]}" and "corrupt" in broken.error


def test_ingest_reads_damaged_and_wide_encodings_and_refuses_garbage(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_stray.txt").write_bytes(_with_bad_bytes(QUOTES, 3))
    (d / "b_wide.txt").write_bytes(QUOTES.replace("bridge", "tunnel").encode("utf-16"))
    garbled = bytearray(QUOTES.replace("bridge", "road").encode("utf-8"))
    for i in range(0, len(garbled), 3):
        if garbled[i] < 0x80:
            garbled[i] = 0xFE
    (d / "c_garbled.txt").write_bytes(bytes(garbled))
    rep = ingest([str(d)], str(tmp_path / "c.db"), jobs=0)
    assert rep.added == 2
    assert rep.warnings == [(str(d / "a_stray.txt"), "3 bytes not valid UTF-8, replaced with U+FFFD")]
    assert [s for s, _ in rep.failures] == [str(d / "c_garbled.txt")] and "not valid UTF-8" in rep.failures[0][1]
    with Corpus(tmp_path / "c.db") as c:
        assert c.search("rebuild tunnel") and c.search("rebuild bridge")
