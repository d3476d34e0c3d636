"""Bylines: the people who wrote an article, from the strings pages give for them.

Author strings come from JSON-LD, meta tags, byline markup and "By ..." lines of the body. Pages
put more than names there: "By" and "Written by", roles ("Staff Writer"), dates and weekdays,
credentials ("MA", "PhD"), section words ("Games"), e-mail addresses and handles, the outlet's
own name, wire services ("Reuters"), placeholders ("Username", "No Author"). ``clean_authors``
keeps the person names, in order; an organisation's byline gives no author (the organisation is
the publisher). ``choose_authors`` picks among the sources.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable

_URL = re.compile(r"^(?:https?:)?//|^www\.|^[\w.-]+\.[a-z]{2,}/", re.I)
# (the same matches as r"\S+@\S+\.\w+", found in linear time: a match starts where a run of
# non-space does, and the first "@" of the run serves whenever a later one would)
_EMAIL = re.compile(r"(?<!\S)\S[^\s@]*@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
          r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
# where the name ends and the date/time or a "Published ..." note begins
_DATE_TAIL = re.compile(
    rf"(?:(?<![\s,|·•–—-])[\s,|·•–—-]+|^)(?:{_WEEKDAY}\s*,?\s*)?(?:{_MONTH}(?:\s+\d|\s*$|,)|\d{{1,2}}\s+{_MONTH}|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}"
    r"|\d{1,2}:\d{2}|(?:updated|published|posted|last updated|modified)\b).*$", re.I)
_BY_PREFIX = re.compile(r"^\s*(?:(?:written|posted|reported|words|story|text|published|compiled|article|photos?)\s+by|by|authors?|reporter|from)\b\s*:?\s*", re.I)
# words that name a job or a desk, not a person
_ROLE_WORDS = {
    "staff", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors",
    "contributor", "contributors", "contributing", "columnist", "columnists", "senior", "chief", "associate",
    "assistant", "deputy", "managing", "executive", "political", "national", "international", "foreign",
    "business", "sports", "science", "health", "tech", "technology", "desk", "news", "service", "services",
    "reports", "report", "wire", "wires", "team", "bureau", "freelance", "freelancer", "special", "guest",
    "digital", "online", "web", "producer", "producers", "journalist", "journalists", "photographer", "author",
    "authors", "admin", "administrator", "editorial", "board", "newsroom", "multimedia", "investigative",
    "economics", "economy", "politics", "culture", "entertainment", "lifestyle", "features", "feature", "local",
    "breaking", "content", "the", "our", "and", "of", "for", "at", "a", "an", "by", "&",
}
# the last words of a byline that only give the job: "Jane Doe Staff Writer", "Jane Doe, Correspondent"
_ROLE_HEADS = {"writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors",
               "contributor", "contributors", "columnist", "columnists", "producer", "producers", "journalist",
               "journalists", "photographer", "desk", "bureau", "staff", "team", "newsroom"}
_PLACEHOLDERS = {"name", "admin", "administrator", "author", "unknown", "anonymous", "guest", "user", "null", "none",
                 "undefined", "staff", "editor", "editors", "by", "webmaster", "root", "test", "username", "user name",
                 "no author", "no name", "author name", "your name", "unknown author", "not available", "n/a"}
# what comes after a name and is part of it
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# academic and professional credentials after a name ("Brenda Goodman, MA"): not part of the name
_CREDENTIALS = {"phd", "ph.d.", "ph.d", "md", "m.d.", "ma", "m.a.", "ms", "m.s.", "msc", "bsc", "ba", "b.a.", "mba", "mph",
                "rn", "bsn", "msn", "np", "pa-c", "do", "d.o.", "dds", "dmd", "jd", "j.d.", "cpa", "cfa", "rd", "rdn", "ld",
                "ldn", "facp", "facc", "faap", "frcp", "mrcp", "lcsw", "lmft", "psyd", "edd", "dphil", "mbbs", "pharmd",
                "cscs", "cpt", "obe", "mbe", "cbe", "esq", "esq."}
# news agencies and wire services: an organisation's byline, never an author
_AGENCIES = {"reuters", "thomson reuters", "associated press", "the associated press", "ap", "afp", "agence france-presse",
             "agence france presse", "bloomberg", "bloomberg news", "upi", "united press international", "dpa", "efe",
             "ansa", "ani", "pti", "ians", "xinhua", "tass", "anadolu", "anadolu agency", "press association", "pa",
             "pa media", "canadian press", "the canadian press", "aap", "kyodo", "yonhap", "cnn", "bbc", "cnn wire",
             "news agencies", "agencies", "wire services", "news wires", "wires"}
# the last word of an organisation's name ("BBC News", "Telegraph Sport", "Kulu Media News Desk")
_ORG_HEADS = {"news", "press", "media", "sport", "sports", "desk", "staff", "team", "weekly", "daily", "service", "services",
              "agency", "agencies", "foundation", "magazine", "network", "online", "bureau", "reports", "group",
              "institute", "university", "association", "council", "committee", "department", "ministry", "office",
              "newsroom", "wire", "wires", "editors", "editorial", "blog", "radio", "tv", "television", "channel",
              "inc", "inc.", "ltd", "ltd.", "llc", "corp", "corp.", "company", "publishing", "publications", "times",
              "herald", "gazette", "tribune", "journal", "chronicle", "observer", "review", "digest", "bulletin"}
# sections a byline names after the author ("Ben Silverman Games")
_SECTION_WORDS = {"games", "gaming", "news", "sport", "sports", "politics", "business", "tech", "technology", "science",
                  "health", "entertainment", "opinion", "world", "culture", "lifestyle", "travel", "music", "movies",
                  "film", "tv", "food", "money", "finance", "markets", "weather", "local", "national", "environment",
                  "education", "style", "fashion", "books", "arts", "video", "videos", "podcasts", "reviews", "features"}
# a weekday or "today" after the name ("Jeff Foust Monday"); a match starts where a run of separators does
_WEEKDAY_TAIL = re.compile(rf"(?<![\s,|·•–—-])[\s,|·•–—-]+(?:{_WEEKDAY}|today|yesterday)(?=[\s,.]*$)", re.I)
# a match never starts inside a run of white space (only where the run does): linear time on long runs
# "(AP)", "[Staff]" (innermost: an opening bracket ends the scan, so unclosed ones cost linear time)
_PARENTHETICAL = re.compile(r"(?!(?<=\s)\s)\s*[(\[][^()\[\]]*[)\]]")
_SPLIT = re.compile(r"(?!(?<=\s)\s)(?:\s*(?:;|\||,|/|\band\b|&|\bwith\b)\s*|\s+[-–—]\s+)", re.I)


_BYLINE = re.compile(r"^\s*(?:(?:written|posted|reported|words|story|text|article)\s+by|by)\b\s*:?\s*(?P<names>.+)$", re.I)
_PARTICLES = {"de", "van", "von", "der", "den", "da", "del", "della", "di", "du", "la", "le", "bin", "al", "el", "y", "ibn", "mc"}
_LINKERS = {"and", "with", "in", "for", "at", "of", "the", "from", "updated", "published", "posted", "on", "am", "pm",
            "a.m.", "p.m."}


def body_byline(line: str, publisher: str | None = None) -> list[str]:
    """The names of a body line that is only a byline ("By Jane Doe and John Roe, CBS News"), else [].

    Every word after "By" must be part of a name, a job, a date or a linking word, so a sentence
    that starts with "By" ("By the end of the year, ...") is not a byline."""
    m = _BYLINE.match(line)
    if not m or len(line.split()) > 16 or line.rstrip()[-1:] in "?!\"'”’":
        return []
    rest = _DATE_TAIL.sub("", _EMAIL.sub(" ", m.group("names")))
    for w in re.findall(r"[^\W\d_][\w.'’-]*", rest):
        lw = w.casefold()
        if w[:1].islower() and lw not in _PARTICLES and lw not in _LINKERS and lw.strip(".") not in _ROLE_WORDS:
            return []
    names = clean_authors([m.group("names")], publisher)
    if not names or any(len(n.split()) > 5 for n in names):
        return []
    return names


def is_byline_note(line: str) -> bool:
    """A short line that follows a byline with only the author's job or e-mail ("Staff Reporter")."""
    s = line.strip()
    if not s or len(s.split()) > 6:
        return False
    if _EMAIL.fullmatch(s) or _HANDLE.fullmatch(s):
        return True
    words = [w.strip(".,:").casefold() for w in s.split()]
    return words[-1] in _ROLE_HEADS and s[-1] not in ".!?"


def clean_authors(raw: Iterable[str], publisher: str | None = None, sites: Iterable[str] = ()) -> list[str]:
    """The people named by byline strings, in order: split on separators ("A, B and C"); "By",
    roles, dates and weekdays, credentials, trailing section words, e-mail addresses, links,
    handles and placeholders removed; organisations dropped (wire services, "... News", the
    outlet itself: ``publisher`` and the other names of the site in ``sites``); ALL-CAPS names
    title-cased; duplicates removed."""
    names = _site_keys([publisher or "", *sites])
    out: list[str] = []
    seen: set[str] = set()
    for p in _pieces(raw):
        p = _BY_PREFIX.sub("", p).strip()
        p = _strip_tail(p, names)
        if not p or not _looks_like_name(p) or is_organisation(p, names):
            continue
        if p.isupper() and len(p) > 3:
            p = " ".join(w.capitalize() if w.isalpha() else w for w in p.split())
        key = p.casefold()
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _pieces(raw: Iterable[str]) -> list[str]:
    """The byline strings cut into one piece per name (suffixes such as "Jr." kept with theirs)."""
    pieces: list[str] = []
    for r in raw:
        if not r or _URL.search(r.strip()) and " " not in r.strip():
            continue
        r = htmllib.unescape(r)
        r = _EMAIL.sub(" ", r)
        r = re.sub(r"https?://\S+", " ", r)
        r = _HANDLE.sub(" ", r)
        r = _PARENTHETICAL.sub(" ", r)  # "Jane Doe (AP)", "[Staff]"
        r = re.sub(r"\s+", " ", r).strip()
        r = _BY_PREFIX.sub("", r)
        r = _DATE_TAIL.sub("", r).strip()
        for part in _SPLIT.split(r):
            part = part.strip(" ,:;-–—|·•()[]")
            last = part.rsplit(" ", 1)[-1]
            if part.endswith(".") and (len(last) > 4 or last.casefold() in {"news.", "staff."}):
                part = part.rstrip(".")  # the end of a sentence, not of "Jr." or "J."
            if not part or part.casefold() in _CREDENTIALS or re.fullmatch(_WEEKDAY, part, re.I):
                continue
            if pieces and part.casefold() in _SUFFIXES:
                pieces[-1] += " " + part
                continue
            pieces.append(part)
    return pieces


def _site_keys(names: Iterable[str]) -> set[str]:
    """The outlet's names as compared: letters and digits only, casefolded ("NOW Grenada" -> "nowgrenada")."""
    return {k for k in (_key(n) for n in names) if len(k) >= 2}


def _key(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.casefold())


def is_organisation(name: str, sites: Iterable[str] = ()) -> bool:
    """A byline that names an organisation, not a person: a wire service ("Reuters"), a name ending
    in an organisation's word ("BBC News", "Telegraph Sport"), or the outlet itself (``sites``:
    its names as ``_site_keys`` gives them; a one-word name inside one counts: "Sky" of "Sky News")."""
    low = name.casefold().strip(" .")
    if low in _AGENCIES or low.removeprefix("the ") in _AGENCIES:
        return True
    words = low.split()
    if len(words) > 1 and words[0] == "the":  # "The Russian", "The Planetary Press": no person's name
        return True
    if len(words) > 1 and words[-1].strip(".,") in _ORG_HEADS:
        return True
    key, sites = _key(name), set(sites)
    if key in sites or ("the" + key) in sites:
        return True
    return len(words) == 1 and len(key) >= 3 and any(key in s and _word_of(name, s) for s in sites)


def _word_of(name: str, site: str) -> bool:
    # "Beachbody" of "thebeachbodyblog", "Sky" of "skynews": at the start or after "the"
    key = _key(name)
    return site.startswith(key) or site.startswith("the" + key)


def _strip_tail(p: str, sites: set[str]) -> str:
    """``p`` without what pages put after a name: the outlet's or a wire service's name ("Jane
    Doe CBS News", "Eric Tucker Associated Press"), a job ("Staff Writer"), credentials ("MD"),
    a weekday ("Jeff Foust Monday") or a section word ("Ben Silverman Games")."""
    cut = _WEEKDAY_TAIL.sub("", p).strip()
    words = (cut if " " in cut else p).split()  # a weekday after a name, not a one-word name before it
    for n in range(min(4, len(words) - 1), 0, -1):  # an organisation's name at the end
        tail = " ".join(words[-n:])
        if _key(tail) in sites or tail.casefold() in _AGENCIES:
            words = words[:-n]
            break
    while len(words) > 1 and words[-1].casefold().strip(",") in _CREDENTIALS:
        words.pop()
    if all(w.casefold().strip(".,") in _ROLE_WORDS for w in words):
        return ""
    if words and words[-1].casefold().strip(".,") in _ROLE_HEADS:  # a trailing job title
        while len(words) > 1 and words[-1].casefold().strip(".,") in _ROLE_WORDS:
            words.pop()
    while len(words) > 2 and words[-1].casefold() in _SECTION_WORDS and words[-1][:1].isupper():
        words.pop()
    return " ".join(words)


def _looks_like_name(p: str) -> bool:
    words = p.split()
    if not words or len(words) > 7 or len(p) > 80:
        return False
    if p.casefold() in _PLACEHOLDERS or re.search(r"\d", p) or not re.search(r"[^\W\d_]", p):
        return False
    if _URL.search(p) or p.endswith(":") or _is_domain(p):
        return False
    # every word of a name is capitalised (or of a script without case), but for particles ("de",
    # "van") and words with a capital inside ("d'Ancona")
    return all(not w[:1].islower() or w.casefold() in _PARTICLES or not w.islower() for w in words)


_TLDS = {"com", "net", "org", "co", "info", "io", "news", "uk", "ca", "au", "in", "ie", "de", "fr"}


def _is_domain(p: str) -> bool:
    """A bare domain name ("Cleveland.com", "news.example.co.uk"): a site, not a person."""
    labels = p.casefold().split(".")
    return len(labels) >= 2 and labels[-1] in _TLDS and all(lb and lb.replace("-", "").isalnum() for lb in labels)


def choose_authors(layers: list[list[str]], visible: str) -> list[str]:
    """The first layer (JSON-LD, meta tags, body byline, byline elements, trafilatura) whose names
    the page shows (``visible``: its text as shown, any case), else the first with any; names of
    one word that the page never shows as a word are dropped (a CMS user name: "Josh", "KWCHCIK"),
    and one word that the page shows in a "By First Last" line becomes that full name. A later
    layer that names the same people and more (a co-author the JSON-LD left out) wins."""
    low = visible.casefold()
    layers = [ly for ly in (_completed(ly, visible, low) for ly in layers) if ly]
    if not layers:
        return []
    shown = [ly for ly in layers if all(n.casefold() in low for n in ly)]
    best = (shown or layers)[0]
    keys = {n.casefold() for n in best}
    for ly in layers:
        if len(ly) > len(best) and keys <= {n.casefold() for n in ly}:
            return ly
    return best


def _completed(names: list[str], visible: str, low: str) -> list[str]:
    out: list[str] = []
    for n in names:
        if re.search(r"(?:^|\s)[A-Z]$", n) and re.search(rf"(?<!\w){re.escape(n.casefold())}\.", low):
            n += "."  # an initial at the end keeps the period the page shows ("Joe S.")
        if " " not in n.strip():
            full = _full_name(n, visible)
            if full:
                n = full
            elif not re.search(rf"(?<!\w){re.escape(n.casefold())}(?!\w)", low):
                continue
        out.append(n)
    return out


_NOT_SURNAMES = {"date", "updated", "published", "posted", "on", "in", "at", "and", "photo", "photos", "via", "for", "the",
                 "facebook", "twitter", "email", "share", "print", "comments", "follow", "view", "more", "read", "rss"}


def _full_name(first: str, visible: str) -> str | None:
    """"Todd Bates" for "Todd" when the page shows "By Todd Bates" (the next word capitalised,
    not a month, a weekday, a job or a section word)."""
    for m in re.finditer(rf"(?i:\bby):?\s+{re.escape(first)}\s+([A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*)(?![\w'’-])", visible):
        last = m.group(1)
        low = last.casefold()
        if (low in _NOT_SURNAMES or low in _ROLE_WORDS or low in _SECTION_WORDS or low in _ORG_HEADS
                or re.fullmatch(_MONTH, last, re.I) or re.fullmatch(_WEEKDAY, last, re.I)):
            continue
        return f"{first} {last}"
    return None
