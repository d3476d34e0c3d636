"""The metadata given with an input, besides what quotegraph reads from the article itself.

Three places give it, the first that has a field wins:

1. **the input's own fields**: a JSON Lines record's fields, or the *sidecar* of a ``.txt`` or
   ``.html`` file: ``article.meta.json`` or ``article.json`` next to ``article.txt`` (one JSON
   object with the same fields as a JSON Lines record; when both exist, ``.meta.json`` is read);
2. **the options** ``--outlet`` and ``--date`` of ``ingest`` and ``extract``, for every input of
   the run (a folder of one outlet's articles);
3. what quotegraph reads from the article (a page's metadata, the domain of its URL).

The fields (the first of the names given that is set):

- ``url``, ``link``;
- the outlet: ``outlet``, ``publisher``, ``source``, ``site_name``;
- the date: ``published``, ``date``, ``published_at``, ``datePublished`` (absolute dates only,
  ``htmlmeta.read_date``);
- the title: ``title``, ``headline``;
- the authors: ``authors``, ``author`` (a list of names, or one string; names in one string are
  separated by ``;``);
- ``id`` (JSON Lines only: the record's own id).

A field that is not what it should be (an object as an outlet, a date that is not one, a sidecar
that is not a JSON object) is left out with a warning naming the input and the field; the
article is kept.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..read.htmlmeta import json_kind, read_date

URL_FIELDS = ("url", "link")
OUTLET_FIELDS = ("outlet", "publisher", "source", "site_name")
DATE_FIELDS = ("published", "date", "published_at", "datePublished")
TITLE_FIELDS = ("title", "headline")
AUTHOR_FIELDS = ("authors", "author")
SIDECAR_SUFFIXES = (".meta.json", ".json")
MAX_SIDECAR_BYTES = 1 << 20


class Fields:
    """The metadata fields of a JSON object (a JSON Lines record, a sidecar), read with a warning
    for each one that is not what it should be: the field is dropped, the article kept."""

    def __init__(self, obj: dict, where: str = ""):
        self.obj = obj
        self.where = where  # put before a warning's field name ("sidecar a.json: ")
        self.warnings: list[str] = []

    def _first(self, keys: tuple[str, ...]) -> tuple[str, Any]:
        return next(((k, self.obj[k]) for k in keys if self.obj.get(k) not in (None, "")), (keys[0], None))

    def text(self, *keys: str) -> str | None:
        """The first of ``keys`` that is set, as text (a number is written out); else None."""
        key, v = self._first(keys)
        if v is None:
            return None
        if isinstance(v, str):
            return v.strip() or None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(v)
        self.warnings.append(f'{self.where}"{key}" is {json_kind(v)}, not a text: ignored')
        return None

    def date(self, *keys: str) -> str | None:
        key, v = self._first(keys)
        return checked_date(f'{self.where}"{key}"', v, self.warnings)

    def names(self, *keys: str) -> list[str]:
        """A list of names: a JSON list of strings, or one string (names separated by ``;``)."""
        key, v = self._first(keys)
        if v is None:
            return []
        if isinstance(v, str):
            v = v.split(";")
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            return [n for n in (" ".join(x.split()) for x in v) if n]
        self.warnings.append(f'{self.where}"{key}" is {json_kind(v)}, not a name or a list of names: ignored')
        return []


def checked_date(what: str, value, warnings: list[str]) -> str | None:
    """``value`` as a stored date (``htmlmeta.read_date``), or None and a warning saying why not."""
    got = read_date(value)
    if got.problem:
        shown = f" {value[:40] + ('...' if len(value) > 40 else '')!r}" if isinstance(value, str) else ""
        warnings.append(f"{what}{shown}: {got.problem}; stored without a date")
    return got.iso


@dataclass
class GivenMeta:
    """Metadata given with an input (None, or empty: not given)."""

    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, f: Fields) -> GivenMeta:
        meta = cls(url=f.text(*URL_FIELDS), outlet=f.text(*OUTLET_FIELDS), published=f.date(*DATE_FIELDS),
                   title=f.text(*TITLE_FIELDS), authors=f.names(*AUTHOR_FIELDS))
        meta.warnings = f.warnings
        return meta

    def over(self, default: GivenMeta) -> GivenMeta:
        """These fields, with ``default``'s where these are not given."""
        return replace(self, **{f.name: getattr(self, f.name) or getattr(default, f.name)
                                for f in fields(self) if f.name != "warnings"})

    def apply(self, article) -> None:
        """Set the given fields on an extracted ``Article`` (or a long one's ``head``)."""
        art = getattr(article, "head", article)
        art.url = self.url or art.url
        art.publisher = self.outlet or art.publisher
        art.date = self.published or art.date
        art.title = self.title or art.title
        art.authors = self.authors or art.authors


def option_meta(outlet: str | None = None, date: str | None = None) -> GivenMeta:
    """The metadata of the ``--outlet`` and ``--date`` options; ``ValueError`` (one line, naming
    the option) when the date is not an absolute date."""
    published = None
    if date is not None and date.strip():
        got = read_date(date)
        if got.problem or got.iso is None:
            raise ValueError(f"--date {date!r}: {got.problem or 'not a date'} (give an absolute date: 2024-03-14)")
        published = got.iso
    return GivenMeta(outlet=(outlet or "").strip() or None, published=published)


def sidecar_path(path: str) -> str | None:
    """The sidecar of the article file ``path`` (see the module's doc), or None."""
    stem = os.path.splitext(path)[0]
    return next((stem + s for s in SIDECAR_SUFFIXES if os.path.isfile(stem + s)), None)


def read_sidecar(path: str) -> GivenMeta:
    """The metadata of the sidecar of the article file ``path`` (nothing given when it has none)."""
    side = sidecar_path(path)
    if side is None:
        return GivenMeta()
    name = os.path.basename(side)
    try:
        with open(side, "rb") as fh:
            raw = fh.read(MAX_SIDECAR_BYTES + 1)
        if len(raw) > MAX_SIDECAR_BYTES:
            return GivenMeta(warnings=[f"sidecar {name}: larger than {MAX_SIDECAR_BYTES:,} bytes: ignored"])
        obj = json.loads(raw)
    except OSError as e:
        return GivenMeta(warnings=[f"sidecar {name}: cannot read ({e.strerror or e}): ignored"])
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return GivenMeta(warnings=[f"sidecar {name}: invalid JSON ({getattr(e, 'msg', e)}): ignored"])
    except RecursionError:
        return GivenMeta(warnings=[f"sidecar {name}: invalid JSON (nested too deeply): ignored"])
    if not isinstance(obj, dict):
        return GivenMeta(warnings=[f"sidecar {name}: {json_kind(obj)}, not a JSON object: ignored"])
    return GivenMeta.of(Fields(obj, f"sidecar {name}: "))
