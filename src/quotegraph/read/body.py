"""The article body of an HTML page, never less complete than trafilatura's on the same page.

Passes, each giving the body as lines (one paragraph each):

1. **First pass**: trafilatura (its default balance of precision and recall; tables kept, comments
   and images not) on the page with quotegraph's page furniture pruned (``PRUNE_XPATH``: navigation,
   share bars, counters, comment threads, language menus). An element matched as furniture that
   holds the article (a page-wide ``<form>``, a "share" wrapper around the story) is never pruned:
   furniture holds less than ``FURNITURE_SHARE`` of the page's paragraph text and no
   ``<article>``/``<main>``/``articleBody``.
2. **Completeness**: trafilatura alone (same options, nothing pruned). Every line it has that the
   first pass lacks is put back at its place, unless it is text of a pruned furniture element.
3. **Short first pass**: when the body so far has fewer than ``SHORT_SHARE`` of the words of
   another reading of the page — the JSON-LD ``articleBody``, trafilatura's recall mode
   (``favor_recall``), a readability-style pass (trafilatura's port of readability) — the longest
   such reading is merged in the same way.
4. **Chunks**: an article the page splits into sibling containers (``<div class="body">`` chunks
   between ads): the containers next to the one that holds most of the body, of its tag and
   class, mostly paragraph text and little link text (``chunk_lines``), have their paragraphs
   merged in the same way.
5. When nothing has running text: paragraph-like elements outside page furniture.

The shares were chosen on the tuning half of scrapinghub's article-extraction benchmark pages
(``quotegraph.evaluation.bodies``; ``make bench-bodies``).
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
_WORD = re.compile(r"\w+")

FURNITURE_SHARE = 0.5  # an element holding this share of the page's paragraph text is not furniture
SHORT_SHARE = 0.4  # a body with fewer words than this share of another reading is short
_ARTICLE_XPATH = ".//article | .//main | .//*[@itemprop='articleBody'] | .//*[@role='main']"


def clean(s: str) -> str:
    return _WS.sub(" ", s).strip()


def line_key(s: str) -> str:
    """What two lines share when they are the same text: their words, case-folded."""
    return " ".join(_WORD.findall(s.casefold()))


def split_lines(text: str | None) -> list[str]:
    return [c for c in (clean(ln) for ln in (text or "").split("\n")) if c]


def words(lines: list[str]) -> int:
    return sum(len(_WORD.findall(ln)) for ln in lines)


@dataclass
class Pruned:
    """The page with its furniture taken out, and the furniture's text (line keys inside it)."""

    tree: object
    furniture: str  # the keys of the pruned elements' text, one per line

    def is_furniture(self, line: str) -> bool:
        key = line_key(line)
        return bool(key) and key in self.furniture


def _paragraph_chars(el) -> int:
    return sum(len(clean(p.text_content())) for p in el.iter("p"))


def prune(tree, xpaths: list[str]) -> Pruned:
    """A copy of ``tree`` without the elements ``xpaths`` match, except those that hold the
    article (see the module's docstring)."""
    pruned = copy.deepcopy(tree)
    total = _paragraph_chars(pruned) or 1
    texts: list[str] = []
    for xp in xpaths:
        for el in pruned.xpath(xp):
            if el.getparent() is None or el.xpath(_ARTICLE_XPATH) or _paragraph_chars(el) >= FURNITURE_SHARE * total:
                continue
            texts.append(line_key(el.text_content()))
            el.drop_tree()
    return Pruned(pruned, "\n".join(texts))


def merge(first: list[str], other: list[str], keep: Callable[[str], bool] = lambda _: True) -> list[str]:
    """``first`` with the lines of ``other`` it lacks (and ``keep`` accepts) put in at their place
    (after the lines of ``first`` that precede them in ``other``)."""
    ka, kb = [line_key(x) for x in first], [line_key(x) for x in other]
    seen = set(ka)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        out += first[i1:i2]
        if op in ("insert", "replace"):
            for j in range(j1, j2):
                if kb[j] and kb[j] not in seen and keep(other[j]):
                    out.append(other[j])
                    seen.add(kb[j])
    return out


def trafilatura_lines(tree, url: str | None, **options) -> tuple[list[str], object | None]:
    """trafilatura's body lines of ``tree`` (a copy is read) and its document (None on failure)."""
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(copy.deepcopy(tree), url=url, with_metadata=True, include_comments=False,
                                          include_tables=True, include_images=False, **options)
    except Exception:  # trafilatura may fail on hostile markup; the other passes stand
        return [], None
    if doc is None:
        return [], None
    text = doc.get("text") if isinstance(doc, dict) else getattr(doc, "text", None)
    return split_lines(text), doc


def readability_lines(tree) -> list[str]:
    """The paragraphs of a readability-style reading (trafilatura's port of readability.js)."""
    try:
        from trafilatura.external import try_readability

        summary = try_readability(copy.deepcopy(tree))
    except Exception:  # a safety net only
        return []
    out = []
    for el in summary.iter("p", "h2", "h3", "h4", "li", "blockquote", "pre"):
        if any(a.tag in ("p", "li", "blockquote") for a in el.iterancestors()):
            continue
        txt = clean(el.text_content())
        if txt:
            out.append(txt)
    return out


_CHUNK_LINES = ("p", "h2", "h3", "h4", "li", "blockquote", "pre")
CHUNK_LINK_SHARE = 0.3  # a sibling container with more of its text in links is no chunk of the article
CHUNK_PARAGRAPH_SHARE = 0.5  # ... nor one with less of its text in paragraphs
_CHUNK_LEVELS = 2  # the body's container and its parent are looked at


def _text_lines(el) -> list[str]:
    """The paragraph-like elements of ``el`` (outermost only), as lines."""
    out = []
    for p in el.iter(*_CHUNK_LINES):
        if not any(a.tag in ("p", "li", "blockquote") for a in p.iterancestors() if a is not el and el in a.iterancestors()):
            txt = clean(p.text_content())
            if txt:
                out.append(txt)
    return out


def _is_chunk(el) -> bool:
    text = len(line_key(el.text_content()))
    if not text:
        return False
    links = sum(len(line_key(a.text_content())) for a in el.iter("a"))
    paras = sum(len(line_key(p.text_content())) for p in el.iter("p"))
    return links < CHUNK_LINK_SHARE * text and paras >= CHUNK_PARAGRAPH_SHARE * text


def _shingles(lines: list[str], n: int = 4) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for ln in lines:
        w = line_key(ln).split()
        out.update(tuple(w[i : i + n]) for i in range(max(1, len(w) - n + 1)))
    return out


def _covered(line: str, have: set[tuple[str, ...]]) -> bool:
    """Most of ``line`` is in the body already (the same paragraph, read with more or less text)."""
    sh = _shingles([line])
    return len(sh & have) >= 0.5 * len(sh)


def chunk_lines(tree, lines: list[str]) -> list[str]:
    """The lines of the article's chunks in document order: the container holding most of the
    body's paragraphs (by words) and its siblings of the same tag and class (``_is_chunk``); at
    the container's level, else its parent's. Empty when there are no such siblings."""
    keys = {line_key(ln) for ln in lines}
    weight: dict = {}
    for p in tree.iter("p"):
        key = line_key(p.text_content())
        parent = p.getparent()
        if key in keys and parent is not None:
            weight[parent] = weight.get(parent, 0) + len(key)
    if not weight:
        return []
    el = max(weight, key=weight.__getitem__)
    for _ in range(_CHUNK_LEVELS):
        parent, cls = el.getparent(), (el.get("class") or "").strip()
        if parent is None:
            return []
        if cls:
            same = [s for s in parent if s.tag == el.tag and (s.get("class") or "").strip() == cls]
            if len(same) > 1 and any(s is not el and _is_chunk(s) for s in same):
                return [ln for s in same if s is el or _is_chunk(s) for ln in _text_lines(s)]
        el = parent
    return []


def json_ld_body(nodes: list[dict]) -> list[str]:
    """The longest ``articleBody`` of the page's JSON-LD, as lines."""
    bodies = [n.get("articleBody") for n in nodes]
    best = max((b for b in bodies if isinstance(b, str)), key=len, default="")
    return split_lines(best)


@dataclass
class BodyReading:
    lines: list[str]
    doc: object | None  # trafilatura's document of the first pass (its metadata)
    passes: list[str]  # which passes gave lines, in order ("first", "complete", "json-ld", "recall", "readability")


def read_body(tree, url: str | None, prune_xpath: list[str], ld_nodes: list[dict]) -> BodyReading:
    """The body lines of ``tree`` (scripts already dropped), by the passes of the module's docstring."""
    pruned = prune(tree, prune_xpath)
    lines, doc = trafilatura_lines(pruned.tree, url)
    passes = ["first"] if lines else []
    alone, alone_doc = trafilatura_lines(tree, url)
    doc = doc or alone_doc
    merged = merge(lines, alone, keep=lambda ln: not pruned.is_furniture(ln))
    if len(merged) > len(lines):
        passes.append("complete")
    lines = merged
    have = _shingles(lines)
    chunks = merge(lines, chunk_lines(tree, lines), keep=lambda ln: not pruned.is_furniture(ln) and not _covered(ln, have))
    if len(chunks) > len(lines):
        passes.append("chunks")
    lines = chunks
    ld = json_ld_body(ld_nodes)
    # the recall and readability readings take no more words than the page has: when the body
    # holds SHORT_SHARE of those (and of the JSON-LD body's), none could be longer by enough,
    # and the two costly passes are not run
    if words(lines) >= SHORT_SHARE * max(words([tree.text_content()]), words(ld)):
        return BodyReading(lines, doc, passes)
    others = {"json-ld": ld, "recall": trafilatura_lines(tree, url, favor_recall=True)[0],
              "readability": readability_lines(pruned.tree)}
    name, longest = max(others.items(), key=lambda kv: words(kv[1]))
    if words(lines) < SHORT_SHARE * words(longest):
        lines = merge(lines, longest, keep=lambda ln: not pruned.is_furniture(ln))
        passes.append(name)
    return BodyReading(lines, doc, passes)
