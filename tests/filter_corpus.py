"""An invented corpus with known answers for the filter tests (issue 25): three articles of two
outlets over two years, records of every kind, several acts, five source types, confidences
from 0.4 to 0.95, and speakers whose gender is set by hand (as ``people.gender`` holds it).

Every record's words are unique, so a test names the records it expects by a short tag."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quotegraph.corpus import Store
from quotegraph.corpus.store import ItemMeta
from quotegraph.models import Article, Entity, Paragraph, Quote, Speaker

# tag: (article, kind, act, speaker as written, speaker kind, source type, confidence, words)
RECORDS = {
    "dredge": ("harbour", "direct", "statement", "Ana Ruiz", "person", "named_person", 0.9,
               "We will dredge the harbour this spring"),
    "costly": ("harbour", "indirect", "statement", "Tom Berg", "person", "named_person", 0.6,
               "the harbour plan was too costly for the town"),
    "flood": ("harbour", "indirect", "belief", "Ana Ruiz", "person", "named_person", 0.8,
              "the old quay could flood in winter"),
    "shortfall": ("budget", "mixed", "statement", "a city official", "anonymous", "anonymous", 0.7,
                  "a shortfall of two million that nobody saw coming"),
    "tariffs": ("budget", "direct", "statement", "The Port Authority", "organization", "named_organization", 0.95,
                "Tariffs for ferries stay the same next year"),
    "ferries": ("budget", "direct", "statement", "Ana Ruiz", "person", "named_person", 0.4,
                "The ferries must keep running at night"),
    "cracks": ("bridge", "indirect", "statement", "Lena Okafor", "person", "named_person", 0.85,
               "the cracks in the bridge were found in December"),
    "rust": ("bridge", "direct", "statement", "the audit report", "document", "document", 0.75,
             "Rust has weakened two of the main cables"),
    "ledger": ("bridge", "direct", "statement", "Sam Hale", "person", "named_person", 0.5,
               "The ledger was never audited"),
}
ARTICLES = {  # key: (title, outlet, date)
    "harbour": ("Harbour plan splits the council", "Valley Post", "2024-03-05"),
    "budget": ("Budget gap at the port", "Hill Gazette", "2024-06-10"),
    "bridge": ("Bridge repairs delayed", "Valley Post", "2025-01-20"),
}
GENDERS = {"Ana Ruiz": "female", "Lena Okafor": "female", "Tom Berg": "male"}  # Sam Hale: unknown
ALL = set(RECORDS)
STATEMENTS = {t for t, r in RECORDS.items() if r[2] == "statement"}


def tag_of(text: str) -> str:
    """The tag of a record by its words."""
    return next(t for t, r in RECORDS.items() if r[7] == text)


def article(key: str) -> Article:
    title = ARTICLES[key][0]
    text = title + "\n\n"
    quotes, entities = [], {}
    for art, kind, act, speaker, sp_kind, sp_type, conf, words in RECORDS.values():
        if art != key:
            continue
        q0 = len(text) + 1
        text += f'"{words}," said {speaker}. '
        s0 = text.rindex(speaker)
        ent = None
        if sp_kind in ("person", "organization"):
            ent = entities.setdefault(speaker, Entity(id=f"e{len(entities) + 1}", name=speaker, kind=sp_kind))
            ent.mentions.append((s0, s0 + len(speaker)))
        c0 = text.rindex("said")
        quotes.append(Quote(
            id=f"q{len(quotes) + 1}", kind=kind, act=act, text=words, span=(q0, q0 + len(words)),
            spans=[(q0, q0 + len(words))], confidence=conf,
            cue={"text": "said", "span": (c0, c0 + 4)},
            speaker=Speaker(text=speaker, span=(s0, s0 + len(speaker)), name=speaker if ent else None,
                            entity=ent.id if ent else None, kind=sp_kind, type=sp_type)))
    text = text.rstrip() + "\n"
    paragraphs = [Paragraph(span=(0, len(title)), role="title"), Paragraph(span=(len(title) + 2, len(text) - 1))]
    return Article(id=key, text=text, title=title, quotes=quotes, entities=list(entities.values()),
                   paragraphs=paragraphs)


def build(db: Path) -> Path:
    """The store of the three articles, with the speakers' genders set."""
    with Store(db) as st:
        for key, (_, outlet, date) in ARTICLES.items():
            st.add_article(ItemMeta(key=key, source=f"{key}.txt", outlet=outlet, published=date), article(key))
    con = sqlite3.connect(db)
    with con:
        for name, gender in GENDERS.items():
            con.execute("UPDATE people SET gender=? WHERE name=?", (gender, name))
    con.close()
    return db
