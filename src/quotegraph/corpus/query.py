"""Read-only queries over a corpus store: the Python API the CLI (and the web app) use.

    from quotegraph.corpus import Corpus
    with Corpus("quotegraph.db") as c:
        hits = c.search("take away children", speaker="Sessions", since="2018-01-01")
        who = c.person("Jeff Sessions")
        per_outlet = c.sources()
        c.export("jsonl", "quotes.jsonl")

Every method returns plain JSON-ready dicts and lists.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import sys
import unicodedata
import zlib
from pathlib import Path
from typing import IO, Any, Iterator, Optional

from ..models import Article
from . import textnorm as tn
from .store import connect

KINDS = ("direct", "indirect", "mixed")

# words too common to narrow a full-text search (dropped from a query that has other words)
STOPWORDS = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been being it its this that"
    " these those he she they we i you his her their our my your not no do does did will would can could"
    " should has have had said says".split()
)

_FTS_WORD = re.compile(r"\w+", re.UNICODE)

# Limits on what a search may ask (so that no query costs much more than a typical one).
MAX_LIMIT = 50  # hits per page (-n/--limit): fetching a hit costs more than finding it; 50 cost <= 10x a default 20-hit search
MAX_OFFSET = 100_000
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 12  # distinct words and phrases; repeated ones count once


def check_limit(value: int, name: str = "limit", lo: int = 1, hi: int = MAX_LIMIT) -> int:
    """``value`` if it is a whole number in [lo, hi]; else a ValueError that says the range."""
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(f"{name} must be a whole number from {lo} to {hi:,} (got {value!r})")
    return value


def like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE ? ESCAPE '\\'``, with the user's ``%``, ``_`` and ``\\`` taken literally."""
    t = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{t}%"


def search_key(text: str) -> str:
    """A query or filter as the index sees text: NFKC (ligatures like "\ufb01" become "fi", full-width
    letters ASCII), stripped."""
    t = _UNSEARCHABLE.sub("", text)  # NUL would end the string in SQLite; a lone surrogate cannot be encoded
    return unicodedata.normalize("NFKC", t).strip()


_UNSEARCHABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")

# A person's answer lists this many of the places they are called by one name alone (least certain first)
SHORT_NAMES_SHOWN = 100

# Up to this many matching wordings, hits are ranked by BM25; past it, newest first (ranking every
# match of a very common word would take longer than a search should).
RANK_LIMIT = 5000


class AmbiguousName(LookupError):
    """A name that fits several people; ``candidates`` lists them. (``Corpus.person`` no longer
    raises it: it answers the most quoted fit and lists the others in ``others``.)"""

    def __init__(self, name: str, candidates: list[dict]):
        self.name = name
        self.candidates = candidates
        super().__init__(f"{name!r} fits {len(candidates)} people: " + "; ".join(c["name"] for c in candidates))


def fts_query(query: str) -> Optional[str]:
    """A safe FTS5 expression for a user's query: words AND-ed ("quoted phrase" kept as phrase),
    each word or phrase once; a ValueError for a query too long or with too many terms."""
    query = search_key(query)
    if len(query) > MAX_QUERY_CHARS:
        raise ValueError(f"the query is too long ({len(query):,} characters; at most {MAX_QUERY_CHARS:,})")
    parts: list[str] = []
    for i, chunk in enumerate(query.split('"')):
        words = [w.lower() for w in _FTS_WORD.findall(chunk)]
        if not words:
            continue
        if i % 2 == 1:  # inside quotation marks: a phrase
            parts.append('"' + " ".join(words) + '"')
        else:
            parts.extend(f'"{w}"' for w in words)
    parts = list(dict.fromkeys(parts))  # a word asked twice is asked once
    if not parts:
        return None
    if len(parts) > MAX_QUERY_TERMS:
        raise ValueError(f"the query has {len(parts)} different words or phrases; at most {MAX_QUERY_TERMS}")
    content = [p for p in parts if p.strip('"') not in STOPWORDS]
    return " ".join(content or parts)


def _date_bound(value: Optional[str], upper: bool = False) -> Optional[str]:
    if not value:
        return None
    d = tn.norm_date(value)
    if d is None:
        raise ValueError(f"cannot read the date {value!r} (use YYYY-MM-DD)")
    if upper and len(d) == 10:
        d += "T99"  # the whole day: '2024-03-05T10:00' <= '2024-03-05T99'
    return d


def occurrence_row(r: sqlite3.Row, with_quote: bool = False) -> dict:
    """One occurrence row (of a select over occurrences joined with their article and quote) as
    the JSON-ready dict ``Corpus.search``/``person`` give; ``with_quote``: with its quote's id and
    report count."""
    d = {
        "article": r["akey"], "source": r["source"], "url": r["url"], "outlet": r["outlet"],
        "published": r["published"], "qid": r["qid"], "kind": r["kind"], "text": r["text"],
        "span": [r["start"], r["end"]],
        "speaker": {"text": r["speaker_text"], "name": r["speaker_name"], "kind": r["speaker_kind"],
                    "person": r["speaker_id"]},
        "addressee": ({"text": r["addressee_text"], "person": r["addressee_id"]}
                      if r["addressee_text"] else None),
        "cue": r["cue"],
        "via": json.loads(r["via"]) if r["via"] else [],
        "source_class": r["source_class"],
        "first": r["is_first"] == 1,
        "speaker_variant": bool(r["speaker_variant"]), "word_variant": bool(r["word_variant"]),
        "containment": r["containment"], "confidence": r["confidence"],
    }
    if with_quote:
        d["quote"] = r["quote_id"]
        d["n_occurrences"] = r["n_occurrences"]
    return d


class Corpus:
    """A corpus store opened for reading."""

    def __init__(self, path: str | Path = "quotegraph.db"):
        self.path = str(path)
        self.con: sqlite3.Connection = connect(self.path, readonly=True)
        self.con.row_factory = sqlite3.Row

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ people

    def _person_ids(self, name: str) -> list[int]:
        """People a name may refer to, most quoted first (a full name that is a person's key first):
        the full name, an alias as written in an article ("Mr. Trump", "Sen. Kaine"), or one word
        that is somebody's surname or first name ("Trump", "Hillary")."""
        if name.strip().isdigit():
            return [int(name)]
        key = tn.name_key(name)
        if not key:
            return []
        c = self.con
        exact = [r[0] for r in c.execute("SELECT id FROM people WHERE key IN (?, ?) ORDER BY id",
                                         ("p:" + key, "o:" + tn.org_key(name)))]
        found = set(exact)
        found.update(r[0] for r in c.execute("SELECT DISTINCT person_id FROM person_aliases WHERE akey=?", (key,)))
        if " " not in key:  # one word: everyone with it as surname or first name
            try:
                found.update(r[0] for r in c.execute("SELECT person_id FROM person_names WHERE token=?", (key,)))
            except sqlite3.OperationalError:  # a version-2 store not yet opened for writing: by key
                found.update(r[0] for r in c.execute(
                    "SELECT id FROM people WHERE scope IS NULL AND (key LIKE ? OR key LIKE ?)",
                    ("p:% " + key, "p:" + key + " %")))
            found.update(r[0] for r in c.execute("SELECT id FROM people WHERE key LIKE ?", (f"p:{key}@%",)))
        if not found:
            return []
        ids = sorted(found)
        quotes = dict(c.execute(
            f"SELECT speaker_id, count(*) FROM occurrences WHERE speaker_id IN ({','.join('?' * len(ids))})"
            " GROUP BY speaker_id", ids).fetchall())
        # a full name written out is who was asked for; one word is whoever is most quoted with it
        first = set(exact) if " " in key else set()
        return sorted(ids, key=lambda i: (i not in first, -quotes.get(i, 0), i))

    def people(self, name: str = "", limit: int = 50) -> list[dict]:
        """People whose name fits ``name`` (all people, most quoted first, when it is empty)."""
        check_limit(limit)
        if name:
            ids = self._person_ids(name)
            if not ids:
                ids = [r[0] for r in self.con.execute(
                    "SELECT id FROM people WHERE name LIKE ? ESCAPE '\\' LIMIT ?", (like_pattern(search_key(name)), limit))]
        else:
            ids = [r[0] for r in self.con.execute(
                "SELECT speaker_id FROM occurrences WHERE speaker_id IS NOT NULL GROUP BY speaker_id"
                " ORDER BY count(*) DESC LIMIT ?", (limit,))]
        return [self._person_summary(i) for i in ids[:limit]]

    def _person_summary(self, pid: int) -> dict:
        c = self.con
        row = c.execute("SELECT id, key, name, kind, scope FROM people WHERE id=?", (pid,)).fetchone()
        if row is None:
            raise LookupError(f"no person with id {pid}")
        n = c.execute("SELECT count(*) FROM occurrences WHERE speaker_id=?", (pid,)).fetchone()[0]
        roles = [dict(role=r["role"], date=r["published"], outlet=r["outlet"], article=r["akey"]) for r in c.execute(
            "SELECT r.role, a.published, a.outlet, a.key AS akey FROM person_roles r JOIN articles a ON a.id=r.article_id"
            " WHERE r.person_id=? ORDER BY coalesce(a.published, a.crawled), a.id", (pid,))]
        aliases = sorted({r[0] for r in c.execute("SELECT alias FROM person_aliases WHERE person_id=?", (pid,))})
        articles = c.execute("SELECT count(DISTINCT article_id) FROM person_articles WHERE person_id=?", (pid,)).fetchone()[0]
        return {"id": row["id"], "name": row["name"], "kind": row["kind"], "key": row["key"],
                "local_to_article": row["scope"], "aliases": aliases, "roles": roles,
                "articles": articles, "quotes": n}

    def _short_names(self, pid: int, limit: int) -> list[dict]:
        """Articles where this person is a surname or first name alone, least certain first: how
        that was linked ('article': the article names them in full; 'first': by first name in the
        article; 'store': the store's most likely holder; 'alone': nobody likely enough named in
        full yet), with the confidence and the other people it may be."""
        c = self.con
        out = []
        for r in c.execute("SELECT l.article_id, l.entity, l.written, l.confidence, l.method, a.key AS akey"
                           " FROM person_links l JOIN articles a ON a.id=l.article_id WHERE l.person_id=?"
                           " ORDER BY l.confidence, l.article_id, l.entity LIMIT ?", (pid, limit)).fetchall():
            alts = [{"person": x["person_id"], "name": x["name"], "confidence": x["confidence"]} for x in c.execute(
                "SELECT t.person_id, p.name, t.confidence FROM person_alternatives t JOIN people p ON p.id=t.person_id"
                " WHERE t.article_id=? AND t.entity=? ORDER BY t.confidence DESC, t.person_id",
                (r["article_id"], r["entity"]))]
            out.append({"article": r["akey"], "written": r["written"], "method": r["method"],
                        "confidence": r["confidence"], "alternatives": alts})
        return out

    def person(self, name: str, limit: Optional[int] = None) -> dict:
        """Everything a person said, in time order, with addressees and sources.

        ``name`` may be a full name, an alias, a surname or a first name: the person it fits with
        the most quotes is answered (a full name that is somebody's own first), and ``others`` lists everyone else
        it fits (summaries, most quoted first).  Raises ``LookupError`` when nobody fits.
        """
        ids = self._person_ids(name)
        if not ids:
            raise LookupError(f"no person named {name!r} in {self.path}")
        pid = ids[0]
        out = self._person_summary(pid)
        out["others"] = [self._person_summary(i) for i in ids[1:]]
        try:
            out["n_short_names"] = self.con.execute("SELECT count(*) FROM person_links WHERE person_id=?",
                                                    (pid,)).fetchone()[0]
            out["short_names"] = self._short_names(pid, SHORT_NAMES_SHOWN)
        except sqlite3.OperationalError:  # a version-2 store: no links recorded
            out["n_short_names"], out["short_names"] = 0, []
        sql = (_OCC_SELECT + " WHERE o.speaker_id=? ORDER BY coalesce(o.published, a.crawled) IS NULL,"
               " coalesce(o.published, a.crawled), a.id, o.start")
        rows = self.con.execute(sql + (" LIMIT ?" if limit else ""), (pid, limit) if limit else (pid,)).fetchall()
        out["said"] = [self._occ(r, with_quote=True) for r in rows]
        out["addressed"] = [self._occ(r, with_quote=True) for r in self.con.execute(
            _OCC_SELECT + " WHERE o.addressee_id=? ORDER BY coalesce(o.published, a.crawled), a.id, o.start", (pid,))]
        return out

    # ------------------------------------------------------------------ quotes

    def search(self, query: str = "", speaker: Optional[str] = None, outlet: Optional[str] = None,
               since: Optional[str] = None, until: Optional[str] = None, kind: Optional[str] = None,
               limit: int = 20, offset: int = 0, occurrences: bool | int = 20) -> list[dict]:
        """Quotes whose reported wording matches ``query`` (all words; "a phrase" in quotation
        marks), filtered by speaker (name, alias or surname), outlet, date range and kind, with
        the filters applying to the occurrences; best match first (newest first without a query).

        Each hit is one quote with up to ``occurrences`` of its occurrences (True: all of them,
        False/0: none; ``n_occurrences`` always gives the total; ``quote(id)`` gives them all)."""
        check_limit(limit)
        check_limit(offset, "offset", 0, MAX_OFFSET)
        where, args, speaker_ids = self._filters(speaker, outlet, since, until, kind)
        fq = fts_query(query) if query else None
        if query and fq is None:
            return []
        c = self.con
        if fq:
            n_match = c.execute("SELECT count(*) FROM quote_fts WHERE quote_fts MATCH ?", (fq,)).fetchone()[0]
        if fq and speaker_ids:
            # A speaker's quotes are few: those with a matching wording, newest first.
            matching = {r[0] for r in c.execute("SELECT rowid FROM quote_fts WHERE quote_fts MATCH ?", (fq,))}
            rows = c.execute(
                "SELECT f.id AS fid, f.quote_id AS qid, max(o.published) AS d FROM occurrences o"
                " JOIN forms f ON f.quote_id=o.quote_id WHERE " + " AND ".join(where) +
                " GROUP BY f.id ORDER BY d IS NULL, d DESC, f.quote_id DESC", args).fetchall()
            seen: set[int] = set()
            scored = []
            for r in rows:
                if r["fid"] in matching and r["qid"] not in seen:
                    seen.add(r["qid"])
                    scored.append((r["qid"], None))
            scored = scored[offset : offset + limit]
        elif fq and n_match > RANK_LIMIT:
            # Too many wordings match to rank them all within a web request: newest first.
            scored = self._newest_fts(fq, where, args, limit + offset)[offset:]
        elif fq and not where:
            scored = self._rank_fts(fq, limit + offset)[offset:]
        elif fq:
            restrict = f"EXISTS (SELECT 1 FROM occurrences o WHERE o.quote_id=f.quote_id AND {' AND '.join(where)})"
            sql = ("WITH m AS MATERIALIZED (SELECT rowid AS fid, rank AS score FROM quote_fts WHERE quote_fts MATCH ?)"
                   " SELECT f.quote_id AS qid, min(m.score) AS score FROM m JOIN forms f ON f.id=m.fid"
                   f" WHERE {restrict} GROUP BY f.quote_id ORDER BY score, qid LIMIT ? OFFSET ?")
            rows = c.execute(sql, [fq, *args, limit, offset]).fetchall()
            scored = [(r["qid"], -r["score"]) for r in rows]
        else:
            sql = ("SELECT o.quote_id AS qid, max(o.published) AS d FROM occurrences o"
                   + (" WHERE " + " AND ".join(where) if where else "") +
                   " GROUP BY o.quote_id ORDER BY d IS NULL, d DESC, o.quote_id DESC LIMIT ? OFFSET ?")
            rows = c.execute(sql, [*args, limit, offset]).fetchall()
            scored = [(r["qid"], None) for r in rows]
        return [self.quote(qid, score=score, occurrences=occurrences) for qid, score in scored]

    def _filters(self, speaker: Optional[str], outlet: Optional[str], since: Optional[str], until: Optional[str],
                 kind: Optional[str]) -> tuple[list[str], list[Any], list[int]]:
        """SQL conditions on occurrences (``o``) and their arguments, for search's filters; every
        value bound, LIKE patterns escaped."""
        where: list[str] = []
        args: list[Any] = []
        speaker_ids: list[int] = []
        speaker = search_key(speaker) if speaker else speaker
        outlet = search_key(outlet) if outlet else outlet
        if speaker:
            speaker_ids = self._person_ids(speaker)
            if speaker_ids:
                where.append(f"o.speaker_id IN ({','.join('?' * len(speaker_ids))})")
                args.extend(speaker_ids)
            else:  # nobody of that name among the people: the speaker as written
                where.append("o.speaker_name LIKE ? ESCAPE '\\'")
                args.append(like_pattern(speaker))
        if outlet:
            where.append("o.outlet LIKE ? ESCAPE '\\'")
            args.append(like_pattern(outlet))
        lo, hi = _date_bound(since), _date_bound(until, upper=True)
        if lo:
            where.append("o.published >= ?")
            args.append(lo)
        if hi:
            where.append("o.published <= ?")
            args.append(hi)
        if kind:
            if kind not in KINDS:
                raise ValueError(f"kind must be one of {', '.join(KINDS)}")
            where.append("o.kind = ?")
            args.append(kind)
        return where, args, speaker_ids

    def _newest_fts(self, fq: str, where: list[str], args: list, n: int) -> list[tuple[int, None]]:
        """The n newest quotes with a matching wording (and occurrences passing the filters), reading
        the full-text matches from the newest in pages: no ranking of every match."""
        cond = (" AND EXISTS (SELECT 1 FROM occurrences o WHERE o.quote_id=f.quote_id AND " + " AND ".join(where) + ")"
                if where else "")
        out: list[tuple[int, None]] = []
        seen: set[int] = set()
        below = None
        page = 1000
        while len(out) < n:
            rows = self.con.execute(
                "SELECT m.fid, f.quote_id FROM (SELECT rowid AS fid FROM quote_fts WHERE quote_fts MATCH ?"
                + (" AND rowid < ?" if below is not None else "") + " ORDER BY rowid DESC LIMIT ?) m"
                " JOIN forms f ON f.id=m.fid" + cond + " ORDER BY m.fid DESC",
                [fq, *([below] if below is not None else []), page, *args]).fetchall()
            last = self.con.execute(
                "SELECT min(fid), count(*) FROM (SELECT rowid AS fid FROM quote_fts WHERE quote_fts MATCH ?"
                + (" AND rowid < ?" if below is not None else "") + " ORDER BY rowid DESC LIMIT ?)",
                [fq, *([below] if below is not None else []), page]).fetchone()
            for _, qid in rows:
                if qid not in seen:
                    seen.add(qid)
                    out.append((qid, None))
            if last[1] < page:
                break
            below = last[0]
        return out[:n]

    def _rank_fts(self, fq: str, n: int) -> list[tuple[int, float]]:
        """The n best quotes for an FTS expression (FTS5's own ORDER BY rank LIMIT, deduplicated)."""
        want = max(n, 1) * 2
        while True:
            rows = self.con.execute(
                "SELECT f.quote_id, m.score FROM (SELECT rowid AS fid, rank AS score FROM quote_fts"
                " WHERE quote_fts MATCH ? ORDER BY rank LIMIT ?) m JOIN forms f ON f.id=m.fid ORDER BY m.score, f.quote_id",
                (fq, want)).fetchall()
            out: list[tuple[int, float]] = []
            seen: set[int] = set()
            for qid, score in rows:
                if qid not in seen:
                    seen.add(qid)
                    out.append((qid, -score))
            if len(out) >= n or len(rows) < want:
                return out[:n]
            want *= 4

    def quote(self, quote_id: int, score: Optional[float] = None, occurrences: bool | int = True) -> dict:
        c = self.con
        q = c.execute("SELECT q.*, a.key AS akey, a.outlet AS a_outlet FROM quotes q JOIN articles a ON a.id=q.first_article"
                      " WHERE q.id=?", (quote_id,)).fetchone()
        if q is None:
            raise LookupError(f"no quote {quote_id}")
        out: dict[str, Any] = {
            "id": q["id"], "key": q["key"], "text": q["text"], "kind": q["kind"],
            "speaker": {"name": q["speaker_name"], "person": q["speaker_id"]},
            "first_published": q["first_published"], "last_published": q["last_published"],
            "n_occurrences": q["n_occurrences"],
            "variants": {"speaker": q["speaker_variants"], "words": q["word_variants"]},
        }
        if score is not None:
            out["score"] = round(score, 4)
        if occurrences:
            lim = -1 if occurrences is True else int(occurrences)
            rows = c.execute(_OCC_SELECT + " WHERE o.quote_id=? ORDER BY o.id LIMIT ?", (quote_id, lim)).fetchall()
            out["occurrences"] = [self._occ(r) for r in rows]
        return out

    _occ = staticmethod(occurrence_row)

    def article(self, key: str) -> Article:
        """The stored extraction of an article (by content key or given id)."""
        row = self.con.execute("SELECT doc FROM articles WHERE key=? OR given_id=?", (key, key)).fetchone()
        if row is None or row[0] is None:
            raise LookupError(f"no stored article {key!r}")
        return Article.model_validate_json(zlib.decompress(row[0]))

    # ------------------------------------------------------------------ outlets

    def sources(self) -> list[dict]:
        """Per outlet: articles, quote occurrences, and how they are sourced (named people or
        organisations, anonymous sources, documents, unknown), plus attributions made via a document."""
        c = self.con
        arts = {r[0]: r[1] for r in c.execute("SELECT coalesce(outlet, ''), count(*) FROM articles GROUP BY 1")}
        rows = c.execute(
            "SELECT coalesce(o.outlet, '') AS outlet, count(*) AS n,"
            " sum(o.source_class='named') AS named, sum(o.source_class='anonymous') AS anonymous,"
            " sum(o.source_class='document') AS document, sum(o.source_class='unknown') AS unknown,"
            " sum(o.via LIKE '%\"kind\": \"document\"%') AS via_document,"
            " sum(o.kind='direct') AS direct, sum(o.kind='indirect') AS indirect, sum(o.kind='mixed') AS mixed"
            " FROM occurrences o GROUP BY 1").fetchall()
        out = []
        seen = set()
        for r in rows:
            n = r["n"] or 0
            d = {"outlet": r["outlet"] or None, "articles": arts.get(r["outlet"], 0), "quotes": n}
            for k in ("named", "anonymous", "document", "unknown", "via_document", "direct", "indirect", "mixed"):
                d[k] = r[k] or 0
            d["anonymous_share"] = round(d["anonymous"] / n, 4) if n else 0.0
            out.append(d)
            seen.add(r["outlet"])
        for o, n in arts.items():
            if o not in seen:
                out.append({"outlet": o or None, "articles": n, "quotes": 0, **{k: 0 for k in (
                    "named", "anonymous", "document", "unknown", "via_document", "direct", "indirect", "mixed")},
                    "anonymous_share": 0.0})
        out.sort(key=lambda d: (-d["quotes"], d["outlet"] or ""))
        return out

    def stats(self) -> dict:
        one = lambda sql: self.con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "quotes": one("SELECT count(*) FROM quotes"),
            "occurrences": one("SELECT count(*) FROM occurrences"),
            "people": one("SELECT count(*) FROM people WHERE kind='person'"),
            "organizations": one("SELECT count(*) FROM people WHERE kind!='person'"),
            "failures": one("SELECT count(*) FROM failures"),
        }

    def failures(self, limit: int = 100) -> list[dict]:
        return [dict(r) for r in self.con.execute(
            "SELECT source, stage, reason, at FROM failures ORDER BY at, source LIMIT ?", (limit,))]

    # ------------------------------------------------------------------ export

    EXPORT_FIELDS = (
        "quote_id", "quote_key", "quote_text", "n_occurrences", "article", "given_id", "source", "url", "outlet",
        "published", "qid", "kind", "text", "start", "end", "speaker_text", "speaker_name", "speaker_kind",
        "speaker_person", "addressee_text", "addressee_person", "cue", "via", "source_class", "first",
        "speaker_variant", "word_variant", "containment", "confidence",
    )

    def iter_occurrence_rows(self) -> Iterator[dict]:
        for r in self.con.execute(_OCC_SELECT + " ORDER BY o.quote_id, o.id"):
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

    def iter_quotes(self) -> Iterator[dict]:
        """One dict per quote with its occurrences nested (one pass over the occurrences)."""
        cur: Optional[dict] = None
        for row in self.iter_occurrence_rows():
            if cur is None or cur["id"] != row["quote_id"]:
                if cur is not None:
                    yield cur
                cur = {"id": row["quote_id"], "key": row["quote_key"], "text": row["quote_text"],
                       "n_occurrences": row["n_occurrences"], "occurrences": []}
            occ = {k: row[k] for k in self.EXPORT_FIELDS if k not in ("quote_id", "quote_key", "quote_text", "n_occurrences")}
            occ["via"] = json.loads(occ["via"]) if occ["via"] else []
            cur["occurrences"].append(occ)
        if cur is not None:
            yield cur

    def export(self, fmt: str, out: str | Path | IO | None = None) -> int:
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

                return export_store(self.con, str(out))["occurrences"]
            rows = list(self.iter_occurrence_rows())
            table = pa.Table.from_pylist(rows, schema=_arrow_schema(pa)) if rows else _arrow_schema(pa).empty_table()
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
                for q in self.iter_quotes():
                    fh.write(json.dumps(q, ensure_ascii=False) + "\n")
                    n += 1
            else:
                w = csv.DictWriter(fh, fieldnames=list(self.EXPORT_FIELDS))
                w.writeheader()
                for row in self.iter_occurrence_rows():
                    w.writerow(row)
                    n += 1
        finally:
            if close:
                fh.close()
        return n


def _arrow_schema(pa):
    s, i, b, f = pa.string(), pa.int64(), pa.bool_(), pa.float64()
    types = {"quote_id": i, "n_occurrences": i, "start": i, "end": i, "first": b, "speaker_variant": b,
             "word_variant": b, "containment": f, "confidence": f}
    return pa.schema([(k, types.get(k, s)) for k in Corpus.EXPORT_FIELDS])


_OCC_SELECT = (
    "SELECT o.*, a.key AS akey, a.source, a.url, a.given_id, a.crawled, q.key AS quote_key, q.text AS quote_text,"
    " q.n_occurrences, (q.key = a.key || ':' || o.qid) AS is_first,"
    " sp.name AS speaker_person_name, ad.name AS addressee_person_name"
    " FROM occurrences o JOIN articles a ON a.id=o.article_id JOIN quotes q ON q.id=o.quote_id"
    " LEFT JOIN people sp ON sp.id=o.speaker_id LEFT JOIN people ad ON ad.id=o.addressee_id"
)
