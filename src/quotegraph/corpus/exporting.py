"""A corpus store written out: JSON lines (one quote per line, occurrences nested), CSV or Parquet
(one row per occurrence), or the partitioned Parquet tables of ``parquet.py``."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ..models import Acts
from .filtering import QuoteFilter
from .occurrences import RECORD_FIELDS
from .query import OCC_SELECT, fts_query

# the columns of an occurrence row, in order
EXPORT_FIELDS = (
    "quote_id", "quote_key", "quote_text", "n_occurrences", "article", "given_id", "source", "url", "outlet",
    "published", "qid", "kind", "text", "start", "end", "speaker_text", "speaker_name", "speaker_kind",
    "speaker_person", "speaker_gender", "addressee_text", "addressee_person", "cue", "via", "source_class", "first",
    "speaker_variant", "word_variant", "containment", "confidence", *RECORD_FIELDS,
)


def selection(con: sqlite3.Connection, where: QuoteFilter | None = None, query: str = "",
              quote_ids: Sequence[int] | None = None) -> tuple[str, list[Any]] | None:
    """The ``WHERE`` clause (with its arguments) of the occurrences an export writes: those that
    pass ``where``, of quotes with a wording that matches ``query`` (as ``search`` reads it) and,
    given ``quote_ids``, of those quotes; None when the query can match nothing."""
    conds, args, _ = where.conditions(con) if where is not None else ([], [], [])
    if query:
        fq = fts_query(query)
        if fq is None:
            return None
        conds.append("o.quote_id IN (SELECT f.quote_id FROM forms f WHERE f.id IN"
                     " (SELECT rowid FROM quote_fts WHERE quote_fts MATCH ?))")
        args.append(fq)
    if quote_ids is not None:
        conds.append(f"o.quote_id IN ({','.join('?' * len(quote_ids))})")
        args.extend(quote_ids)
    return (" WHERE " + " AND ".join(conds) if conds else ""), args


def iter_occurrence_rows(con: sqlite3.Connection, where: QuoteFilter | None = None, query: str = "",
                         quote_ids: Sequence[int] | None = None, limit: int | None = None) -> Iterator[dict]:
    """Every occurrence as one flat row (EXPORT_FIELDS), by quote then occurrence (in the order
    of ``quote_ids`` when given): every act (a statement, belief, intention or knowledge), with
    its factuality and its source's type, role and organisation (``occurrences.RECORD_FIELDS``).
    ``where``, ``query``, ``quote_ids``: only those of a search (``selection``); ``limit``: at most
    that many rows."""
    chosen = selection(con, where, query, quote_ids)
    if chosen is None:
        return
    order = " ORDER BY o.quote_id, o.id" if quote_ids is None else " ORDER BY o.id"
    rows: Iterable[sqlite3.Row] = con.execute(OCC_SELECT + chosen[0] + order + " LIMIT ?",
                                              [*chosen[1], -1 if limit is None else limit])
    if quote_ids is not None:
        rank = {q: i for i, q in enumerate(quote_ids)}
        rows = sorted(rows, key=lambda r: rank[r["quote_id"]])
    for r in rows:
        yield export_row(r)


def export_row(r: sqlite3.Row) -> dict:
    """One row of ``OCC_SELECT`` as an export row (EXPORT_FIELDS)."""
    return {
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


def iter_quotes(con: sqlite3.Connection, **chosen) -> Iterator[dict]:
    """One dict per quote with its occurrences nested (one pass over the occurrences; ``chosen``:
    the arguments of ``iter_occurrence_rows`` that choose them)."""
    cur: dict | None = None
    for row in iter_occurrence_rows(con, **chosen):
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


def export(con: sqlite3.Connection, fmt: str, out: str | Path | IO | None = None, *, bom: bool = False,
           where: QuoteFilter | None = None, query: str = "") -> int:
    """Write the corpus: ``jsonl`` (one quote per line, occurrences nested), ``csv`` or
    ``parquet`` (one row per occurrence; to a folder: the articles, quotes, occurrences and
    people tables of ``corpus/parquet.py``).  ``out``: a path, a file object, or None/'-' for
    standard output (not for parquet); a file appears whole or not at all (written beside it, then
    renamed).  ``bom``: CSV only, a byte order mark for spreadsheets.  ``where``, ``query``: only
    the occurrences that pass this filter, of quotes that match these words (not for a Parquet
    folder, which holds the whole store).  Returns the number of records written."""
    fmt = fmt.lower()
    if fmt not in ("jsonl", "csv", "parquet"):
        raise ValueError("export format must be jsonl, csv or parquet")
    if bom and fmt != "csv":
        raise ValueError("a byte order mark (--bom) goes with --format csv")
    chosen: dict[str, Any] = {"where": where, "query": query}
    if fmt == "parquet":
        return _export_parquet(con, out, chosen)
    if out is None or out == "-":
        return _write(con, fmt, sys.stdout, bom, chosen)
    if not isinstance(out, (str, Path)):
        return _write(con, fmt, out, bom, chosen)
    with _replacing(Path(out)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        return _write(con, fmt, fh, bom, chosen)


def _write(con: sqlite3.Connection, fmt: str, fh: IO, bom: bool, chosen: dict[str, Any]) -> int:
    if fmt == "csv":
        return write_csv(fh, iter_occurrence_rows(con, **chosen), bom=bom)
    n = 0
    for q in iter_quotes(con, **chosen):
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


def _export_parquet(con: sqlite3.Connection, out, chosen: dict[str, Any]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("export --format parquet needs pyarrow: pip install pyarrow") from None
    if out is None or out == "-" or not isinstance(out, (str, Path)):
        raise ValueError("export --format parquet needs an output file (--out FILE.parquet) or folder (--out DIR)")
    if not str(out).lower().endswith(".parquet"):  # a folder: the partitioned layout (corpus/parquet.py)
        from .parquet import export_store

        if chosen["where"] not in (None, QuoteFilter(acts=Acts.ALL)) or chosen["query"]:
            raise ValueError("a Parquet folder holds the whole store: export a search to one file (--out FILE.parquet)")

        return export_store(con, str(out))["occurrences"]
    rows = list(iter_occurrence_rows(con, **chosen))
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
