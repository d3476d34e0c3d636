"""The query language of a corpus store: limits, safe full-text and LIKE patterns, dates, the
occurrence select and its JSON row. ``reader.Corpus`` (the Python API the CLI and the web app use)
asks through ``persons``, ``quotes`` and ``exporting``, each over an open connection:

    from quotegraph.corpus import Corpus
    with Corpus("quotegraph.db") as c:
        hits = c.search("take away children", speaker="Sessions", since="2018-01-01")
        who = c.person("Jeff Sessions")
        per_outlet = c.sources()
        c.export("jsonl", "quotes.jsonl")

Every method returns plain JSON-ready dicts and lists.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata

from ..models import Acts
from . import textnorm as tn

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


# What a query shows (``--acts``, ``acts=``): ``statements`` (the default): what a source
# communicated, the records whose act is ``statement``, asserted (not negated nor hypothetical),
# and that have a source (``models.is_reported_statement``, as extraction keeps them); ``all``:
# PARC's full set (beliefs, intentions, knowledge, negated and hypothetical reports, and records
# with no source found).
ACTS: tuple[str, ...] = tuple(Acts)
STATEMENTS_SQL = "o.act = 'statement' AND o.factuality = 'asserted' AND o.speaker_text IS NOT NULL"


def check_confidence(value: float, name: str = "min_confidence") -> float:
    """``value`` if it is a number from 0 to 1; else a ValueError that says so."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a number from 0 to 1 (got {value!r})")
    return float(value)


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


def fts_query(query: str) -> str | None:
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


def date_bound(value: str | None, upper: bool = False) -> str | None:
    if not value:
        return None
    d = tn.norm_date(value, bounded=False)  # a bound of a search may lie anywhere in time
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
        "published": r["published"], "title": r["title"], "qid": r["qid"], "kind": r["kind"], "text": r["text"],
        "span": [r["start"], r["end"]],
        "speaker": {"text": r["speaker_text"], "name": r["speaker_name"], "kind": r["speaker_kind"],
                    "person": r["speaker_id"], "type": r["source_type"], "role": r["speaker_role"],
                    "organization": r["speaker_organization"], "gender": r["speaker_gender"]},
        "act": r["act"], "factuality": r["factuality"],
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


# every occurrence with its article, quote and people, for occurrence_row
OCC_SELECT = (
    "SELECT o.*, a.key AS akey, a.source, a.url, a.given_id, a.crawled, a.title, q.key AS quote_key, q.text AS quote_text,"
    " q.n_occurrences, (q.key = a.key || ':' || o.qid) AS is_first,"
    " sp.name AS speaker_person_name, sp.gender AS speaker_gender, ad.name AS addressee_person_name"
    " FROM occurrences o JOIN articles a ON a.id=o.article_id JOIN quotes q ON q.id=o.quote_id"
    " LEFT JOIN people sp ON sp.id=o.speaker_id LEFT JOIN people ad ON ad.id=o.addressee_id"
)
