"""One report of a quote written into the store: its speaker and addressee as stored people, the
quote it repeats (``matching``) or a new one, its wording indexed for search."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from ..models import Quote
from . import textnorm as tn
from .article_people import ArticlePeople
from .linking import ORG_KINDS, PERSON_KINDS
from .matching import QuoteMatcher, same_speaker

if TYPE_CHECKING:
    from .store import AddResult


def speaker_of(people: ArticlePeople, q: Quote, ent_person: dict[str, int], res: AddResult):
    """The speaker as written, its name, kind and stored person (new people counted in ``res``)."""
    sp = q.speaker
    if sp is None:
        return None, None, None, None
    before = people.new_people
    pid, name = people.speaker(q, ent_person)
    res.new_people += people.new_people - before
    return sp.text, name, sp.kind, pid


def source_class(q: Quote) -> str:
    """How an occurrence is sourced: named, anonymous, document or unknown."""
    sp = q.speaker
    kind = sp.kind if sp else "unknown"
    if kind == "document":
        return "document"
    if kind == "anonymous":
        return "anonymous"
    if kind in PERSON_KINDS + ORG_KINDS and sp is not None and (sp.name or sp.entity):
        return "named"
    if kind == "outlet":
        return "named"
    return "unknown"


# what an occurrence records of its act and source (issue 23), as columns of ``occurrences``
RECORD_FIELDS = ("act", "factuality", "source_type", "speaker_role", "speaker_organization")


def record_fields(q: Quote) -> dict[str, str | None]:
    """A quote's act, factuality, and its source's type, role and organisation (``RECORD_FIELDS``)."""
    sp = q.speaker
    return {"act": q.act, "factuality": q.factuality, "source_type": sp.type if sp else None,
            "speaker_role": sp.role if sp else None, "speaker_organization": sp.organization if sp else None}


def add_occurrence(con: sqlite3.Connection, matcher: QuoteMatcher, people: ArticlePeople, q: Quote, aid: int, akey: str,
                   outlet: str | None, date: str | None, ent_person: dict[str, int], res: AddResult) -> None:
    """Store one report of a quote: a new quote, or one more occurrence of the one it repeats."""
    toks = tn.quote_tokens(q.text)
    tok_s = " ".join(toks)
    sh = tn.shingles(toks)
    sp_text, sp_name, sp_kind, sp_id = speaker_of(people, q, ent_person, res)
    ad = q.addressee
    ad_id = ent_person.get(ad.entity) if ad is not None and ad.entity else None
    via = json.dumps([{"text": v.text, "kind": v.kind} for v in q.via], ensure_ascii=False) if q.via else None
    match = matcher.find(toks, sh, sp_id, sp_name, aid)
    speaker_variant = word_variant = 0
    containment = None
    if match is None:
        cur = con.execute(
            "INSERT INTO quotes(key, text, kind, tokens, exact, nsh, speaker_id, speaker_name, first_article,"
            " n_occurrences, first_published, last_published) VALUES(?,?,?,?,?,?,?,?,?,1,?,?)",
            (f"{akey}:{q.id}", q.text, q.kind, tok_s, tn.exact_hash(toks), len(sh), sp_id, sp_name, aid, date, date),
        )
        quote_id = cur.lastrowid
        res.new_quotes += 1
    else:
        quote_id, cmp = match
        containment = round(cmp.containment, 4)
        first_sid, first_sname, first_pub, last_pub = con.execute(
            "SELECT speaker_id, speaker_name, first_published, last_published FROM quotes WHERE id=?", (quote_id,)
        ).fetchone()
        same = same_speaker(sp_id, sp_name, first_sid, first_sname)
        speaker_variant = int(same is False)
        word_variant = int(cmp.changed)
        fp = min((d for d in (first_pub, date) if d), default=None)
        lp = max((d for d in (last_pub, date) if d), default=None)
        con.execute(
            "UPDATE quotes SET n_occurrences=n_occurrences+1, first_published=?, last_published=?,"
            " speaker_variants=speaker_variants+?, word_variants=word_variants+?,"
            " speaker_id=coalesce(speaker_id, ?), speaker_name=coalesce(speaker_name, ?) WHERE id=?",
            (fp, lp, speaker_variant, word_variant, sp_id, sp_name, quote_id),
        )
    cur = con.execute(
        'INSERT INTO occurrences(quote_id, article_id, qid, kind, text, start, "end", tokens, speaker_text,'
        " speaker_name, speaker_kind, speaker_id, addressee_text, addressee_id, cue, via, source_class,"
        " nested_in, confidence, outlet, published, containment, speaker_variant, word_variant, "
        + ", ".join(RECORD_FIELDS) + ") VALUES(" + ",".join("?" * (24 + len(RECORD_FIELDS))) + ")",
        (quote_id, aid, q.id, q.kind, q.text, q.span[0], q.span[1], tok_s, sp_text, sp_name, sp_kind, sp_id,
         ad.text if ad else None, ad_id, q.cue.text if q.cue else None, via, source_class(q),
         q.nested_in, q.confidence, outlet, date, containment, speaker_variant, word_variant,
         *record_fields(q).values()),
    )
    cur = con.execute("INSERT OR IGNORE INTO forms(quote_id, tokens, text) VALUES(?,?,?)", (quote_id, tok_s, q.text))
    if cur.rowcount > 0:  # a new wording: index it
        con.execute("INSERT INTO quote_fts(rowid, text) VALUES(?,?)", (cur.lastrowid, q.text))
    if sh and cur.rowcount > 0:
        con.executemany("INSERT OR IGNORE INTO shingles(h, quote_id) VALUES(?,?)", [(h, quote_id) for h in sh])
    res.occurrences += 1
