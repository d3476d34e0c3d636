"""A corpus store written out: JSON lines (one quote per line, occurrences nested), CSV or Parquet
(one row per occurrence), or the partitioned Parquet tables of ``parquet.py``."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .occurrences import RECORD_FIELDS
from .query import OCC_SELECT

# the columns of an occurrence row, in order
EXPORT_FIELDS = (
    "quote_id", "quote_key", "quote_text", "n_occurrences", "article", "given_id", "source", "url", "outlet",
    "published", "qid", "kind", "text", "start", "end", "speaker_text", "speaker_name", "speaker_kind",
    "speaker_person", "speaker_gender", "addressee_text", "addressee_person", "cue", "via", "source_class", "first",
    "speaker_variant", "word_variant", "containment", "confidence", *RECORD_FIELDS,
)


def iter_occurrence_rows(con: sqlite3.Connection) -> Iterator[dict]:
    """Every occurrence as one flat row (EXPORT_FIELDS), by quote then occurrence: every act (a
    statement, belief, intention or knowledge), with its factuality and its source's type, role and
    organisation (``occurrences.RECORD_FIELDS``)."""
    for r in con.execute(OCC_SELECT + " ORDER BY o.quote_id, o.id"):
        yield {
            "quote_id": r["quote_id"], "quote_key": r["quote_key"], "quote_text": r["quote_text"],
            "n_occurrences": r["n_occurrences"], "article": r["akey"], "given_id": r["given_id"],
            "source": r["source"], "url": r["url"], "outlet": r["outlet"], "published": r["published"],
            "qid": r["qid"], "kind": r["kind"], "text": r["text"], "start": r["start"], "end": r["end"],
            "speaker_text": r["speaker_text"], "speaker_name": r["speaker_name"],
            "speaker_kind": r["speaker_kind"], "speaker_person": r["speaker_person_name"],
            "speaker_gender": r["speaker_gender"],
            "addressee_text": r["addressee_text"], "addressee_person": r["addressee_person_name"],
            "cue": r["cue"], "via": r["via"] or "", "source_class": r["source_class"],
            "first": bool(r["is_first"]), "speaker_variant": bool(r["speaker_variant"]),
            "word_variant": bool(r["word_variant"]), "containment": r["containment"],
            "confidence": r["confidence"], **{k: r[k] for k in RECORD_FIELDS},
        }


def iter_quotes(con: sqlite3.Connection) -> Iterator[dict]:
    """One dict per quote with its occurrences nested (one pass over the occurrences)."""
    cur: dict | None = None
    for row in iter_occurrence_rows(con):
        if cur is None or cur["id"] != row["quote_id"]:
            if cur is not None:
                yield cur
            cur = {"id": row["quote_id"], "key": row["quote_key"], "text": row["quote_text"],
                   "n_occurrences": row["n_occurrences"], "occurrences": []}
        occ = {k: row[k] for k in EXPORT_FIELDS if k not in ("quote_id", "quote_key", "quote_text", "n_occurrences")}
        occ["via"] = json.loads(occ["via"]) if occ["via"] else []
        cur["occurrences"].append(occ)
    if cur is not None:
        yield cur


# A spreadsheet may read a cell that begins with one of these as a formula (OWASP, "CSV Injection";
# ASVS 5.0 V1.2.10 adds NUL).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def spreadsheet_cell(value):
    """A CSV cell that spreadsheets show as the text it is: a text beginning with ``=``, ``+``,
    ``-``, ``@``, a tab, a carriage return or NUL gets a leading ``'`` (OWASP's advice; the JSON
    lines and Parquet exports keep every text as it is).  Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(fh: IO, rows: Iterator[dict], fields: tuple[str, ...] = EXPORT_FIELDS, *, bom: bool = False) -> int:
    """Rows as CSV for spreadsheets: every text cell quoted (so that no separator a spreadsheet
    might split on, ``;`` or tab, starts a cell inside one) and neutralised (``spreadsheet_cell``);
    ``bom``: a UTF-8 byte order mark first, so that Excel reads the file as UTF-8."""
    if bom:
        fh.write("\ufeff")
    csv.writer(fh).writerow(fields)  # the header as before: plain names
    w = csv.DictWriter(fh, fieldnames=list(fields), quoting=csv.QUOTE_NONNUMERIC)
    n = 0
    for row in rows:
        w.writerow({k: spreadsheet_cell(v) for k, v in row.items()})
        n += 1
    return n


def export(con: sqlite3.Connection, fmt: str, out: str | Path | IO | None = None, *, bom: bool = False) -> int:
    """Write the corpus: ``jsonl`` (one quote per line, occurrences nested), ``csv`` or
    ``parquet`` (one row per occurrence; to a folder: the articles, quotes, occurrences and
    people tables of ``corpus/parquet.py``).  ``out``: a path, a file object, or None/'-' for
    standard output (not for parquet); a file appears whole or not at all (written beside it, then
    renamed).  ``bom``: CSV only, a byte order mark for spreadsheets.  Returns the number of
    records written."""
    fmt = fmt.lower()
    if fmt not in ("jsonl", "csv", "parquet"):
        raise ValueError("export format must be jsonl, csv or parquet")
    if bom and fmt != "csv":
        raise ValueError("a byte order mark (--bom) goes with --format csv")
    if fmt == "parquet":
        return _export_parquet(con, out)
    if out is None or out == "-":
        return _write(con, fmt, sys.stdout, bom)
    if not isinstance(out, (str, Path)):
        return _write(con, fmt, out, bom)
    with _replacing(Path(out)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        return _write(con, fmt, fh, bom)


def _write(con: sqlite3.Connection, fmt: str, fh: IO, bom: bool) -> int:
    if fmt == "csv":
        return write_csv(fh, iter_occurrence_rows(con), bom=bom)
    n = 0
    for q in iter_quotes(con):
        fh.write(json.dumps(q, ensure_ascii=False) + "\n")
        n += 1
    return n


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """Where to write what ends up at ``path``: a file beside it that replaces it when the block
    ends without an error and is removed when it fails (no half-written export under the asked
    name).  A path that exists and is no regular file (``/dev/null``, a pipe, a link) is written as is."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        yield path
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _export_parquet(con: sqlite3.Connection, out) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("export --format parquet needs pyarrow: pip install pyarrow") from None
    if out is None or out == "-" or not isinstance(out, (str, Path)):
        raise ValueError("export --format parquet needs an output file (--out FILE.parquet) or folder (--out DIR)")
    if not str(out).lower().endswith(".parquet"):  # a folder: the partitioned layout (corpus/parquet.py)
        from .parquet import export_store

        return export_store(con, str(out))["occurrences"]
    rows = list(iter_occurrence_rows(con))
    table = pa.Table.from_pylist(rows, schema=arrow_schema(pa)) if rows else arrow_schema(pa).empty_table()
    with _replacing(Path(out)) as tmp:
        pq.write_table(table, str(tmp))
    return len(rows)


def arrow_schema(pa):
    """The Parquet schema of an occurrence row."""
    s, i, b, f = pa.string(), pa.int64(), pa.bool_(), pa.float64()
    types = {"quote_id": i, "n_occurrences": i, "start": i, "end": i, "first": b, "speaker_variant": b,
             "word_variant": b, "containment": f, "confidence": f}
    return pa.schema([(k, types.get(k, s)) for k in EXPORT_FIELDS])
