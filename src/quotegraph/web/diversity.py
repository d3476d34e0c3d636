"""What the sources page charts about who gets quoted: women's share of the people quoted per
outlet and over time, source types per outlet, the most quoted people of each gender. The counts
are ``Corpus.source_groups`` and ``Corpus.most_quoted`` (``quotegraph sources --by``'s query);
every segment links to ``/search`` with the filters that list the quotes behind it."""

from __future__ import annotations

import calendar
from collections import defaultdict
from urllib.parse import urlencode

from markupsafe import Markup

from ..corpus.diversity import GENDERS
from ..corpus.reader import Corpus
from .charts import Bar, Segment, stacked_bars

GENDER_WORDS = {"female": "women", "male": "men", "unknown": "gender unknown"}
TYPE_WORDS = {"named_person": "named person", "named_organization": "named organisation", "document": "document",
              "anonymous": "anonymous", "unnamed_person": "unnamed person", "unnamed_group": "unnamed group"}
MAX_MONTHS = 36  # past this many months, the chart over time counts years
TOP_PEOPLE = 8


def search_url(**params: str | int | None) -> str:
    """``/search`` with these filters (the names its form uses)."""
    return "/search?" + urlencode({k: v for k, v in params.items() if v is not None})


def women_share(counts: dict[str | None, int]) -> str:
    """"40% women": women among the people whose gender is known."""
    known = counts.get("female", 0) + counts.get("male", 0)
    return f"{100 * counts.get('female', 0) / known:.0f}% women" if known else "no gender known"


def _gender_bar(label: str, href: str | None, counts: dict[str | None, int], **filters: str | None) -> Bar:
    segs = [Segment(g, GENDER_WORDS[g], counts.get(g, 0), search_url(gender=g, **filters)) for g in GENDERS]
    return Bar(label, segs, href, women_share(counts))


def _by(rows: list[dict], outer: str, inner: str) -> dict[str | None, dict[str | None, int]]:
    out: dict[str | None, dict[str | None, int]] = defaultdict(dict)
    for r in rows:
        out[r[outer]][r[inner]] = r["people"] if inner == "gender" else r["quotes"]
    return out


def gender_per_outlet(c: Corpus, outlets: list[str | None]) -> Markup:
    people = _by(c.source_groups(["outlet", "gender"]), "outlet", "gender")
    bars = [_gender_bar(o, search_url(outlet=o), people.get(o, {}), outlet=o) for o in outlets if o]
    return stacked_bars("Women’s share of the people quoted, per outlet", bars, _gender_keys(), "people", "gender")


def gender_over_time(c: Corpus) -> Markup:
    rows = c.source_groups(["month", "gender"])
    unit = "month"
    if len({r["month"] for r in rows if r["month"]}) > MAX_MONTHS:
        rows, unit = c.source_groups(["year", "gender"]), "year"
    people = _by(rows, unit, "gender")
    bars = [_gender_bar(when, None, counts, since=first_day(when), until=last_day(when))
            for when, counts in sorted((k, v) for k, v in people.items() if k)]
    return stacked_bars(f"Women’s share of the people quoted, per {unit}", bars, _gender_keys(), "people", "gender",
                        empty="No dated quotes to chart.")


def types_per_outlet(c: Corpus, outlets: list[str | None]) -> Markup:
    quotes = _by(c.source_groups(["outlet", "type"]), "outlet", "type")
    bars = []
    for o in outlets:
        if not o:
            continue
        counts = quotes.get(o, {})
        segs = [Segment(t, w, counts.get(t, 0), search_url(outlet=o, type=t)) for t, w in TYPE_WORDS.items()]
        segs.append(Segment("none", "no type", counts.get(None, 0), None))
        bars.append(Bar(o, segs, search_url(outlet=o)))
    keys = [*TYPE_WORDS.items(), ("none", "no type")]
    return stacked_bars("Source types of the quotes, per outlet", bars, keys, "quotes", "types")


def most_quoted(c: Corpus) -> Markup:
    lists = {g: c.most_quoted(g, TOP_PEOPLE) for g in GENDERS}
    top = max((p["quotes"] for people in lists.values() for p in people), default=0)
    parts = [Markup('<div class="top-people">')]
    for g, people in lists.items():
        bars = [Bar(p["name"], [Segment(g, "quotes", p["quotes"], search_url(speaker=p["id"]))], f"/people/{p['id']}")
                for p in people]
        parts.append(stacked_bars(f"Most quoted: {GENDER_WORDS[g]}", bars, [], "quotes", "people", whole=top,
                                  empty="Nobody yet."))
    parts.append(Markup("</div>"))
    return Markup("").join(parts)


def _gender_keys() -> list[tuple[str, str]]:
    return list(GENDER_WORDS.items())


def first_day(when: str) -> str:
    """The first day of a month (YYYY-MM) or a year (YYYY)."""
    return f"{when}-01" if len(when) == 7 else f"{when}-01-01"


def last_day(when: str) -> str:
    if len(when) == 4:
        return f"{when}-12-31"
    y, m = int(when[:4]), int(when[5:7])
    return f"{when}-{calendar.monthrange(y, m)[1]:02d}"
