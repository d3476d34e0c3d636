"""Boilerplate lines left in an article body: teasers of related articles, "more on this" links,
newsletter and promotion headings, section headings of the page around the article.

The body passes (``read.body``) take whole containers from trafilatura, merged with more
complete readings; what a container holds besides the article stays. A body line goes when two
readings agree that it is not article text:

- the page shows it as **link text or a heading**: the element whose whole text it is has at
  least ``LINK_SHARE`` of its text in links, or is an ``<h1>``-``<h6>``; and
- **trafilatura's precision mode** (``favor_precision``), run on the same page, leaves it out.

Either alone drops article text (a subheading, a linked name, a short line the precision mode
misses); together they are teasers, "Related:" lines and the headings of sign-up boxes. The
rule and ``LINK_SHARE`` were chosen on the tuning half of scrapinghub's article-extraction
benchmark pages, the held-out half reported (docs/benchmarks.md). A dropped line leaves the
body: the text is built from the kept lines, so every offset still gives back its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .body import line_key, trafilatura_lines

LINK_SHARE = 0.6  # an element with this share of its text in links is link text
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ELEMENTS = ("p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption", "div", "section", "span", "a", "strong",
             "em", "b", *_HEADINGS)
_MAX_KEY = 2000  # longer elements are containers, not lines


@dataclass
class PageView:
    """What the rule reads from the page: link shares and headings, by the key of their text."""

    link_share: dict[str, float]  # element text key -> share of it that is link text (the first such element)
    headings: set[str]  # keys of heading texts

    def marked(self, line: str) -> bool:
        """The page shows ``line`` as link text or a heading."""
        key = line_key(line)
        return key in self.headings or self.link_share.get(key, 0.0) >= LINK_SHARE


def page_view(tree) -> PageView:
    """The ``PageView`` of ``tree``."""
    shares: dict[str, float] = {}
    headings: set[str] = set()
    for el in tree.iter(*_ELEMENTS):
        key = line_key(el.text_content())
        if not key or len(key) > _MAX_KEY:
            continue
        if el.tag in _HEADINGS:
            headings.add(key)
        if key not in shares:
            links = sum(len(line_key(a.text_content())) for a in el.iter("a"))
            shares[key] = min(1.0, links / len(key))
    return PageView(shares, headings)


def drop_boilerplate(lines: list[str], tree, url: str | None = None) -> list[str]:
    """``lines`` without the boilerplate (see the module's doc); ``tree``: the page they were
    read from (scripts dropped). The precision mode runs only when some line is marked."""
    if not lines:
        return lines
    view = page_view(tree)
    marked = [view.marked(ln) for ln in lines]
    if not any(marked):
        return lines
    precise = {line_key(x) for x in trafilatura_lines(tree, url, favor_precision=True)[0]}
    kept = [ln for ln, m in zip(lines, marked, strict=True) if not m or line_key(ln) in precise]
    return kept or lines
