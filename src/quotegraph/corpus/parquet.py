"""The corpus as partitioned Parquet: one folder per table, one file per partition.

    DIR/articles/part-000000.parquet   one row per article (its extraction as JSON included)
    DIR/quotes/part-000000.parquet     one row per statement
    DIR/occurrences/part-000000.parquet one row per report of a statement in an article
    DIR/people/part-000000.parquet     one row per person or organisation

Two writers share this layout: a Dask ingest writes each extracted partition here before the
store merges it (a statement and a person are then per article: ``quote`` is ``ARTICLE:qN`` and
``person`` is ``ARTICLE:eN``; ``error`` holds the reason an article failed), and
``quotegraph export --format parquet --out DIR`` writes the merged store (a statement with all its
occurrences, one person across articles; keys are the store's). DuckDB
(``read_parquet('DIR/occurrences/*.parquet')``), pandas/pyarrow (``pd.read_parquet('DIR/quotes')``),
Spark and Dask read either directly.  Files are written under a temporary name and renamed, so a
reader (or a crashed run) never sees half a file.
"""

from __future__ import annotations

import json
import posixpath
import uuid
import zlib
from collections.abc import Iterable, Iterator

from ..models import Article
from .occurrences import RECORD_FIELDS, record_fields

TABLES = ("articles", "quotes", "occurrences", "people")
ROWS_PER_FILE = 50_000  # export: rows per partition file

_S, _I, _F, _L = "string", "int64", "float64", "list<string>"
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (("article", _S), ("source", _S), ("given_id", _S), ("url", _S), ("outlet", _S), ("published", _S),
                 ("crawled", _S), ("title", _S), ("format", _S), ("n_quotes", _I), ("text", _S), ("extraction", _S),
                 ("error", _S)),
    "quotes": (("quote", _S), ("text", _S), ("kind", _S), ("speaker_name", _S), ("speaker_person", _S),
               ("n_occurrences", _I), ("first_article", _S), ("first_published", _S)),
    "occurrences": (("quote", _S), ("article", _S), ("qid", _S), ("kind", _S), ("text", _S), ("start", _I), ("end", _I),
                    ("speaker_text", _S), ("speaker_name", _S), ("speaker_kind", _S), ("speaker_person", _S),
                    ("addressee_text", _S), ("addressee_person", _S), ("cue", _S), ("via", _S), ("nested_in", _S),
                    ("confidence", _F), ("outlet", _S), ("published", _S), *((k, _S) for k in RECORD_FIELDS)),
    "people": (("person", _S), ("name", _S), ("kind", _S), ("first_article", _S), ("aliases", _L), ("roles", _L)),
}


def require_pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("Parquet needs pyarrow: pip install 'quotegraph[parquet]'") from None
    return pa, pq


def schema(table: str):
    pa, _ = require_pyarrow()
    types = {_S: pa.string(), _I: pa.int64(), _F: pa.float64(), _L: pa.list_(pa.string())}
    return pa.schema([(name, types[t]) for name, t in COLUMNS[table]])


def _fs(root: str):
    """An fsspec filesystem and the path in it (local folders, or s3://, gs://, ... when installed)."""
    import fsspec

    fs, path = fsspec.core.url_to_fs(root)
    return fs, path


def write_table(root: str, table: str, name: str, rows: list[dict]) -> str:
    """Write ``rows`` as ``ROOT/TABLE/NAME.parquet`` (atomically: a temporary name, then a rename)."""
    pa, pq = require_pyarrow()
    fs, base = _fs(root)
    folder = posixpath.join(base, table)
    fs.makedirs(folder, exist_ok=True)
    final = posixpath.join(folder, f"{name}.parquet")
    tmp = posixpath.join(folder, f".{name}.{uuid.uuid4().hex[:8]}.tmp")
    data = pa.Table.from_pylist(rows, schema=schema(table))
    with fs.open(tmp, "wb") as fh:
        pq.write_table(data, fh)
    fs.mv(tmp, final)
    return final


def read_table(root: str, table: str, name: str, columns: list[str] | None = None) -> list[dict]:
    _, pq = require_pyarrow()
    fs, base = _fs(root)
    with fs.open(posixpath.join(base, table, f"{name}.parquet"), "rb") as fh:
        return pq.read_table(fh, columns=columns).to_pylist()


def clear(root: str) -> None:
    """Remove the partition files of this layout under ``root`` (nothing else there)."""
    fs, base = _fs(root)
    for table in TABLES:
        for f in fs.glob(posixpath.join(base, table, "*.parquet")) + fs.glob(posixpath.join(base, table, ".*.tmp")):
            fs.rm(f)


# ------------------------------------------------------------------ one extracted partition


def extraction_rows(items: list[dict], results: list[Article | str]) -> dict[str, list[dict]]:
    """The four tables of one partition: ``items`` (the input's key, source, given_id, url,
    outlet, published, crawled) with their extraction (an Article, or the reason it failed)."""
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    for it, r in zip(items, results, strict=False):
        key = it["key"]
        row = {k: it.get(k) for k in ("source", "given_id", "url", "outlet", "published", "crawled")}
        row["article"] = key
        if not isinstance(r, Article):
            out["articles"].append({**row, "error": str(r), "n_quotes": 0})
            continue
        out["articles"].append({**row, "url": row["url"] or r.url, "outlet": row["outlet"] or r.publisher,
                                "published": row["published"] or r.date, "title": r.title, "format": r.format,
                                "n_quotes": len(r.quotes), "text": r.text,
                                "extraction": r.model_dump_json(exclude_none=True)})

        def person(entity: str | None) -> str | None:
            return f"{key}:{entity}" if entity else None  # noqa: B023 - called within this iteration

        for q in r.quotes:
            sp, ad = q.speaker, q.addressee
            qkey = f"{key}:{q.id}"
            out["quotes"].append({"quote": qkey, "text": q.text, "kind": q.kind, "speaker_name": sp.name if sp else None,
                                  "speaker_person": person(sp.entity) if sp else None, "n_occurrences": 1,
                                  "first_article": key, "first_published": row["published"] or r.date})
            out["occurrences"].append({
                "quote": qkey, "article": key, "qid": q.id, "kind": q.kind, "text": q.text, "start": q.span[0],
                "end": q.span[1], "speaker_text": sp.text if sp else None, "speaker_name": sp.name if sp else None,
                "speaker_kind": sp.kind if sp else None, "speaker_person": person(sp.entity) if sp else None,
                "addressee_text": ad.text if ad else None, "addressee_person": person(ad.entity) if ad else None,
                "cue": q.cue.text if q.cue else None,
                "via": json.dumps([{"text": v.text, "kind": v.kind} for v in q.via], ensure_ascii=False) if q.via else None,
                "nested_in": q.nested_in, "confidence": q.confidence, "outlet": row["outlet"] or r.publisher,
                "published": row["published"] or r.date, **record_fields(q),
            })
        for e in r.entities:
            out["people"].append({"person": f"{key}:{e.id}", "name": e.name, "kind": e.kind, "first_article": key,
                                  "aliases": list(e.aliases), "roles": list(e.roles)})
    return out


def write_partition(root: str, name: str, tables: dict[str, list[dict]]) -> None:
    """Every table of one partition; the articles file last (its presence says the partition is whole)."""
    for table in TABLES[1:]:
        write_table(root, table, name, tables[table])
    write_table(root, "articles", name, tables["articles"])


def read_results(root: str, name: str) -> dict[str, Article | str]:
    """A partition's extractions back, by article key: an Article, or the reason it failed."""
    out: dict[str, Article | str] = {}
    for row in read_table(root, "articles", name, columns=["article", "extraction", "error"]):
        out[row["article"]] = row["error"] if row["error"] is not None else Article.model_validate_json(row["extraction"])
    return out


# ------------------------------------------------------------------ the merged store


def _chunks(rows: Iterable[dict], n: int) -> Iterator[list[dict]]:
    buf: list[dict] = []
    for r in rows:
        buf.append(r)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf


def export_store(con, root: str, rows_per_file: int = ROWS_PER_FILE) -> dict[str, int]:
    """Write a corpus store (an open SQLite connection with row factory ``sqlite3.Row``) in this
    layout under ``root``; returns the rows written per table."""
    clear(root)
    counts: dict[str, int] = {}
    for table in TABLES:
        n = 0
        for i, rows in enumerate(_chunks(_store_rows(con, table), rows_per_file)):
            write_table(root, table, f"part-{i:06d}", rows)
            n += len(rows)
        if n == 0:
            write_table(root, table, "part-000000", [])
        counts[table] = n
    return counts


def _store_rows(con, table: str) -> Iterator[dict]:
    if table == "articles":
        for r in con.execute("SELECT key, source, given_id, url, outlet, published, crawled, title, format, n_quotes, doc"
                             " FROM articles ORDER BY id"):
            ext = zlib.decompress(r["doc"]).decode("utf-8") if r["doc"] is not None else None
            text = json.loads(ext)["text"] if ext else None
            yield {"article": r["key"], "source": r["source"], "given_id": r["given_id"], "url": r["url"], "outlet": r["outlet"],
                   "published": r["published"], "crawled": r["crawled"], "title": r["title"], "format": r["format"],
                   "n_quotes": r["n_quotes"], "text": text, "extraction": ext, "error": None}
    elif table == "quotes":
        for r in con.execute("SELECT q.key, q.text, q.kind, q.speaker_name, p.key AS pkey, q.n_occurrences, a.key AS akey,"
                             " q.first_published FROM quotes q JOIN articles a ON a.id=q.first_article"
                             " LEFT JOIN people p ON p.id=q.speaker_id ORDER BY q.id"):
            yield {"quote": r["key"], "text": r["text"], "kind": r["kind"], "speaker_name": r["speaker_name"],
                   "speaker_person": r["pkey"], "n_occurrences": r["n_occurrences"], "first_article": r["akey"],
                   "first_published": r["first_published"]}
    elif table == "occurrences":
        for r in con.execute(
                'SELECT q.key AS qkey, a.key AS akey, o.qid, o.kind, o.text, o.start, o."end", o.speaker_text, o.speaker_name,'
                " o.speaker_kind, sp.key AS spkey, o.addressee_text, ad.key AS adkey, o.cue, o.via, o.nested_in, o.confidence,"
                " o.outlet, o.published, " + ", ".join(f"o.{k}" for k in RECORD_FIELDS) + " FROM occurrences o JOIN quotes q ON q.id=o.quote_id JOIN articles a ON a.id=o.article_id"
                " LEFT JOIN people sp ON sp.id=o.speaker_id LEFT JOIN people ad ON ad.id=o.addressee_id ORDER BY o.id"):
            yield {"quote": r["qkey"], "article": r["akey"], "qid": r["qid"], "kind": r["kind"], "text": r["text"],
                   "start": r["start"], "end": r["end"], "speaker_text": r["speaker_text"], "speaker_name": r["speaker_name"],
                   "speaker_kind": r["speaker_kind"], "speaker_person": r["spkey"], "addressee_text": r["addressee_text"],
                   "addressee_person": r["adkey"], "cue": r["cue"], "via": r["via"], "nested_in": r["nested_in"],
                   "confidence": r["confidence"], "outlet": r["outlet"], "published": r["published"],
                   **{k: r[k] for k in RECORD_FIELDS}}
    else:
        aliases: dict[int, list[str]] = {}
        for pid, alias in con.execute("SELECT person_id, alias FROM person_aliases ORDER BY person_id, alias"):
            aliases.setdefault(pid, []).append(alias)
        roles: dict[int, list[str]] = {}
        for pid, role in con.execute("SELECT DISTINCT person_id, role FROM person_roles ORDER BY person_id, role"):
            roles.setdefault(pid, []).append(role)
        for r in con.execute("SELECT p.id, p.key, p.name, p.kind, a.key AS akey FROM people p"
                             " LEFT JOIN articles a ON a.id=p.first_article ORDER BY p.id"):
            yield {"person": r["key"], "name": r["name"], "kind": r["kind"], "first_article": r["akey"],
                   "aliases": aliases.get(r["id"], []), "roles": roles.get(r["id"], [])}
