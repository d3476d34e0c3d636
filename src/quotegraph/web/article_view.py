"""What an article page shows beside its text: a details card per attribution and the list of
the article's people with their quotes. Shared by the article page (a stored article, with links
into the corpus) and the paste page (a fresh extraction, no links)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..corpus.query import is_shown
from ..models import Article, Entity, Quote
from .highlight import ParagraphView, colours, paragraph_of, paragraphs, speaker_key


@dataclass
class Repeat:
    span: tuple[int, int]
    paragraph: int | None
    role: str
    text: str


@dataclass
class Card:
    quote: Quote
    colour: str
    speaker_person: int | None = None
    addressee_person: int | None = None
    corpus_quote: int | None = None
    nested: list[str] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)
    entity: Entity | None = None

    @property
    def via_chain(self) -> str:
        return " ← ".join(v.text for v in self.quote.via)

    @property
    def who(self) -> str | None:
        sp = self.quote.speaker
        return (sp.name or sp.text) if sp else None


@dataclass
class PersonEntry:
    name: str
    kind: str
    roles: list[str]
    person: int | None
    quotes: list[Quote]
    colour: str


@dataclass
class ArticleView:
    article: Article
    paragraphs: list[ParagraphView]
    cards: list[Card]
    people: list[PersonEntry]
    unattributed: list[Quote]

    def card(self, qid: str) -> Card:
        return next(c for c in self.cards if c.quote.id == qid)


def shown_records(article: Article, acts: str = "statements", min_confidence: float | None = None) -> Article:
    """The article with the records the acts shown and the lowest confidence let through
    (``corpus.query.is_shown``: the store's queries ask the same); a record reported inside one
    left out is no longer said to be."""
    keep = [q for q in article.quotes if is_shown(q.act, q.factuality, q.speaker is not None, q.confidence, acts, min_confidence)]
    if len(keep) == len(article.quotes):
        return article
    ids = {q.id for q in keep}
    keep = [q if q.nested_in is None or q.nested_in in ids else q.model_copy(update={"nested_in": None}) for q in keep]
    return article.model_copy(update={"quotes": keep})


def build(article: Article, links: dict | None = None) -> ArticleView:
    """``links`` (from ``Views.article_links``): corpus quote and person ids for the article's
    quotes and entities; None for an article that is not stored."""
    links = links or {"quotes": {}, "speakers": {}, "addressees": {}, "entities": {}}
    colour = colours(article)
    ents = {e.id: e for e in article.entities}
    nested: dict[str, list[str]] = {}
    for q in article.quotes:
        if q.nested_in:
            nested.setdefault(q.nested_in, []).append(q.id)
    cards = []
    for q in article.quotes:
        sp, ad = q.speaker, q.addressee
        sp_person = links["speakers"].get(q.id)
        if sp_person is None and sp is not None and sp.entity:
            sp_person = links["entities"].get(sp.entity)
        ad_person = links["addressees"].get(q.id)
        if ad_person is None and ad is not None and ad.entity:
            ad_person = links["entities"].get(ad.entity)
        reps = []
        for s, e in q.also_at:
            i = paragraph_of(article, s)
            reps.append(Repeat((s, e), i, article.paragraphs[i].role if i is not None else "body", article.text[s:e]))
        cards.append(Card(q, colour[q.id], sp_person, ad_person, links["quotes"].get(q.id), nested.get(q.id, []),
                          reps, ents.get(sp.entity) if sp is not None and sp.entity else None))
    # people: entities that speak or are spoken to first, then other named sources, in text order
    by_speaker: dict[str, list[Quote]] = {}
    first_at: dict[str, int] = {}
    unattributed = []
    for q in sorted(article.quotes, key=lambda q: q.span[0]):
        k = speaker_key(q)
        if k is None:
            unattributed.append(q)
            continue
        by_speaker.setdefault(k, []).append(q)
        first_at.setdefault(k, q.span[0])
    people = []
    for k in sorted(by_speaker, key=first_at.__getitem__):
        qs = by_speaker[k]
        sp = qs[0].speaker
        assert sp is not None
        ent = ents.get(sp.entity) if sp.entity else None
        people.append(PersonEntry(
            name=ent.name if ent else (sp.name or sp.text), kind=ent.kind if ent else sp.kind,
            roles=list(ent.roles) if ent else [],
            person=(links["entities"].get(ent.id) if ent else None) or links["speakers"].get(qs[0].id),
            quotes=qs, colour=colour[qs[0].id]))
    return ArticleView(article, paragraphs(article), cards, people, unattributed)
