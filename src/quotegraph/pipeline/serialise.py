"""Serialise: the resolved records and the article's people into the one schema (``models.Article``)."""

from __future__ import annotations

import hashlib

from ..attribute.records import Prepared, Resolved
from ..models import Addressee, Article, Cue, Entity, Mention, Paragraph, Quote, Speaker, Via
from ..people.gender import assign_genders
from ..people.registry import People


def _m(text: str, span: tuple[int, int]) -> Mention:
    return Mention(text=text[span[0] : span[1]], span=span)


def serialise(p: Prepared, items: list[Resolved], people: People, article_id: str | None) -> Article:
    text = p.layout.text
    quotes: list[Quote] = []
    used_entities: set[str] = set()
    rid = {id(r): f"q{i + 1}" for i, r in enumerate(items)}  # the one place quote ids are given
    for r in items:
        s, e = r.spans[0][0], r.spans[-1][1]
        speaker = None
        if r.speaker is not None:
            speaker = Speaker(text=text[r.speaker[0] : r.speaker[1]], span=r.speaker, name=r.speaker_name,
                              entity=r.speaker_entity, kind=r.speaker_kind,  # type: ignore[arg-type]  # a kind string of the stage records, checked by pydantic against the Literal
                              phrase=_m(text, r.speaker_phrase) if r.speaker_phrase and r.speaker_phrase != r.speaker else None,
                              type=r.source_type, role=r.source_role, organization=r.source_org)  # type: ignore[arg-type]  # a type string of the stage records, checked by pydantic against the Literal
            if r.speaker_entity:
                used_entities.add(r.speaker_entity)
        quotes.append(Quote(
            id=rid[id(r)], kind=r.kind, text=text[s:e], span=(s, e), spans=r.spans,  # type: ignore[arg-type]  # a kind string of the stage records, checked by pydantic against the Literal
            cue=Cue(text=text[r.cue[0] : r.cue[1]], span=r.cue,
                    phrase=_m(text, r.cue_phrase) if r.cue_phrase and r.cue_phrase != r.cue else None) if r.cue else None,
            speaker=speaker,
            addressee=Addressee(text=text[r.addressee[0] : r.addressee[1]], span=r.addressee, entity=r.addressee_entity) if r.addressee else None,
            via=[Via(text=text[v[0] : v[1]], span=v, kind=k) for v, k in r.via],  # type: ignore[arg-type]  # a kind string of the stage records, checked by pydantic against the Literal
            nested_in=rid.get(id(r.parent)) if r.parent is not None and r.parent is not r else None,
            also_at=r.also_at,
            act=r.act,  # type: ignore[arg-type]  # an act string of the stage records, checked by pydantic against the Literal
            factuality=r.factuality,  # type: ignore[arg-type]  # checked by pydantic against the Literal
            confidence=round(r.confidence, 3),
        ))
    entities = [
        Entity(id=e.id, name=e.name, kind=e.kind, aliases=e.aliases, roles=e.roles, mentions=sorted(e.mentions))  # type: ignore[arg-type]  # a kind string of the stage records, checked by pydantic against the Literal
        for e in people.entities if e.kind == "person" or e.id in used_entities
    ]
    paragraphs = [Paragraph(span=(pa.start, pa.end), role=pa.role, duplicate_of=pa.duplicate_of) for pa in p.layout.paragraphs]  # type: ignore[arg-type]  # read.layout's role is a str, checked by pydantic
    aid = article_id or hashlib.sha256(p.source.content.encode("utf-8")).hexdigest()[:16]
    article = Article(
        id=aid, path=None if p.source.name in ("<string>",) else p.source.name, text=text, title=p.layout.title,
        publisher=p.layout.publisher, authors=p.layout.authors, date=p.layout.date, url=p.layout.url, language=p.layout.language,
        format=p.layout.format, paragraphs=paragraphs, quotes=quotes, entities=entities,
    )
    assign_genders(article)  # each person's gender, as the article tells it
    return article
