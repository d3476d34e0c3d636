"""A corpus store written out: JSON lines (one quote per line, occurrences nested), CSV or Parquet
(one row per occurrence), or the partitioned Parquet tables of ``parquet.py``."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path
from typing import IO, Iterator, Optional

from .query import OCC_SELECT

# the columns of an occurrence row, in order
EXPORT_FIELDS = (
    "quote_id", "quote_key", "quote_text", "n_occurrences", "article", "given_id", "source", "url", "outlet",
    "published", "qid", "kind", "text", "start", "end", "speaker_text", "speaker_name", "speaker_kind",
    "speaker_person", "addressee_text", "addressee_person", "cue", "via", "source_class", "first",
    "speaker_variant", "word_variant", "containment", "confidence",
)


def iter_occurrence_rows(con: sqlite3.Connection) -> Iterator[dict]:
    """Every occurrence as one flat row (EXPORT_FIELDS), by quote then occurrence."""
    for r in con.execute(OCC_SELECT + " ORDER BY o.quote_id, o.id"):
        yield {
            "quote_id": r["quote_id"], "quote_key": r["quote_key"], "quote_text": r["quote_text"],
            "n_occurrences": r["n_occurrences"], "article": r["akey"], "given_id": r["given_id"],
            "source": r["source"], "url": r["url"], "outlet": r["outlet"], "published": r["published"],
            "qid": r["qid"], "kind": r["kind"], "text": r["text"], "start": r["start"], "end": r["end"],
            "speaker_text": r["speaker_text"], "speaker_name": r["speaker_name"],
            "speaker_kind": r["speaker_kind"], "speaker_person": r["speaker_person_name"],
            "addressee_text": r["addressee_text"], "addressee_person": r["addressee_person_name"],
            "cue": r["cue"], "via": r["via"] or "", "source_class": r["source_class"],
            "first": bool(r["is_first"]), "speaker_variant": bool(r["speaker_variant"]),
            "word_variant": bool(r["word_variant"]), "containment": r["containment"],
            "confidence": r["confidence"],
        }


def iter_quotes(con: sqlite3.Connection) -> Iterator[dict]:
    """One dict per quote with its occurrences nested (one pass over the occurrences)."""
    cur: Optional[dict] = None
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


def export(con: sqlite3.Connection, fmt: str, out: str | Path | IO | None = None) -> int:
    """Write the corpus: ``jsonl`` (one quote per line, occurrences nested), ``csv`` or
    ``parquet`` (one row per occurrence; to a folder: the articles, quotes, occurrences and
    people tables of ``corpus/parquet.py``).  ``out``: a path, a file object, or None/'-' for
    standard output (not for parquet).  Returns the number of records written."""
    fmt = fmt.lower()
    if fmt not in ("jsonl", "csv", "parquet"):
        raise ValueError("export format must be jsonl, csv or parquet")
    if fmt == "parquet":
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
        pq.write_table(table, str(out))
        return len(rows)
    close = False
    if out is None or out == "-":
        fh: IO = sys.stdout
    elif isinstance(out, (str, Path)):
        fh = open(out, "w", encoding="utf-8", newline="")
        close = True
    else:
        fh = out
    n = 0
    try:
        if fmt == "jsonl":
            for q in iter_quotes(con):
                fh.write(json.dumps(q, ensure_ascii=False) + "\n")
                n += 1
        else:
            w = csv.DictWriter(fh, fieldnames=list(EXPORT_FIELDS))
            w.writeheader()
            for row in iter_occurrence_rows(con):
                w.writerow(row)
                n += 1
    finally:
        if close:
            fh.close()
    return n


def arrow_schema(pa):
    """The Parquet schema of an occurrence row."""
    s, i, b, f = pa.string(), pa.int64(), pa.bool_(), pa.float64()
    types = {"quote_id": i, "n_occurrences": i, "start": i, "end": i, "first": b, "speaker_variant": b,
             "word_variant": b, "containment": f, "confidence": f}
    return pa.schema([(k, types.get(k, s)) for k in EXPORT_FIELDS])
