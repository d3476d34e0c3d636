"""Page metadata against hand-checked labels: authors, title, publisher, date, URL and language.

The labels (``eval/metadata/gold.json``, keyed by the page's file name) were written by reading
each page: the authors are the people of the byline, in order (an organisation's byline is no
author), the title is the headline the page shows, the date the publication date it gives (the
publisher's own calendar day). ``eval/metadata/README.md`` says how each field was chosen.

A field is right when it equals the label after ``normalise_field``: case, white space and
typographic quote marks and dashes never count; a publisher is compared without a leading "The",
its domain ending and punctuation ("The Hill" = "TheHill", "NJ.com" = "nj"); a URL without its
scheme and final slash. The pages are split once, by a hash of the key, into a tuning half (rules
are chosen on it) and a reporting half (``split_of``).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELDS = ("authors", "title", "publisher", "date", "url", "language")
#: fields the gold file holds as a hash of their normalised value (``<field>_sha1``), never as
#: text: a headline and a URL's slug are text of the page, which the project does not commit
HASHED = ("title", "url")
SPLITS = ("tune", "report")

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-",
                         "…": "...", "\u00a0": " "})
_TLD = re.compile(r"\.(?:com|net|org|info|co\.uk|co|ca|ie|in|uk|jm|gov|edu)$")


def split_of(key: str) -> str:
    """"tune" or "report": the half a page belongs to (the first 32 bits of the SHA-256 of its key, even or odd)."""
    return "tune" if int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 2 == 0 else "report"


def _text(s: str) -> str:
    s = unicodedata.normalize("NFC", s).translate(_QUOTES)
    return re.sub(r"\s+", " ", s).strip().casefold()


def _publisher(s: str) -> str:
    s = re.sub(r"[\W_]+", "", _TLD.sub("", _text(s)))
    return s.removeprefix("the")


def _url(s: str) -> str:
    return re.sub(r"^https?://", "", s.strip()).rstrip("/").casefold()


def normalise_field(name: str, value: Any) -> Any:
    """The comparable form of one field's value (None and empty stay None)."""
    if value is None or value == "" or value == []:
        return [] if name == "authors" else None
    if name == "authors":
        return [_text(a) for a in value]
    if name == "publisher":
        return _publisher(value)
    if name == "url":
        return _url(value)
    if name == "language":
        return _text(value).replace("_", "-").split("-")[0]
    return _text(str(value))


def digest(name: str, value: Any) -> str | None:
    """The hash the gold keeps of a field's value (16 hex of the SHA-1 of its normalised form)."""
    v = normalise_field(name, value)
    return None if v is None else hashlib.sha1(str(v).encode("utf-8")).hexdigest()[:16]


def matches(name: str, predicted: Any, labels: dict) -> bool:
    """Whether ``predicted`` is the gold's value of field ``name`` (by its hash when the gold
    holds one)."""
    if f"{name}_sha1" in labels:
        return digest(name, predicted) == labels[f"{name}_sha1"]
    return normalise_field(name, predicted) == normalise_field(name, labels.get(name))


def hash_labels(labels: dict) -> dict:
    """``labels`` with the fields of ``HASHED`` replaced by their hashes (how the gold is kept)."""
    out = {k: v for k, v in labels.items() if k not in HASHED}
    for name in HASHED:
        if name in labels:
            out[f"{name}_sha1"] = digest(name, labels[name])
    return out


@dataclass
class FieldScore:
    right: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)  # the keys of the pages it got wrong

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class MetadataScores:
    """Per split ("tune", "report", "all") and field: pages right out of pages scored."""

    by_split: dict[str, dict[str, FieldScore]]

    def rate(self, split: str, name: str) -> float:
        return self.by_split[split][name].rate


def score(gold: dict[str, dict], predicted: dict[str, dict | None], fields: Iterable[str] = FIELDS) -> MetadataScores:
    """Each gold page's fields against ``predicted[key]`` (None or missing: the page was lost, every field wrong)."""
    fields = tuple(fields)
    by_split = {s: {f: FieldScore() for f in fields} for s in (*SPLITS, "all")}
    for key, labels in sorted(gold.items()):
        pred = predicted.get(key) or {}
        for name in fields:
            ok = matches(name, pred.get(name), labels)
            for s in (split_of(key), "all"):
                fs = by_split[s][name]
                fs.total += 1
                fs.right += ok
                if not ok:
                    fs.wrong.append(key)
    return MetadataScores(by_split)


def load_gold(path: Path) -> dict[str, dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a JSON object of pages")
    return data


def page_files(gold: dict[str, dict], dirs: Iterable[Path]) -> dict[str, Path]:
    """The file of each gold page found in ``dirs`` (a folder of pages, or one with an ``html/`` folder)."""
    found: dict[str, Path] = {}
    for d in dirs:
        for folder in (d, d / "html"):
            for key in gold:
                p = folder / key
                if key not in found and p.is_file():
                    found[key] = p
    return found


def read_page(path: Path) -> str:
    import gzip

    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def quotegraph_metadata(html: str, name: str) -> dict:
    """The metadata quotegraph's reading stage gives a page read from a file (no URL given); the
    Article's fields are these, copied as they are (pipeline/serialise.py)."""
    from ..read.html import html_to_layout

    lay = html_to_layout(html, name)
    return {"authors": lay.authors, "title": lay.title, "publisher": lay.publisher, "date": lay.date,
            "url": lay.url, "language": lay.language}


def trafilatura_metadata(html: str, name: str) -> dict:
    """trafilatura's own metadata of the page (``extract_metadata``), its authors split on ";"."""
    from trafilatura.metadata import extract_metadata

    doc = extract_metadata(html)
    return {"authors": [a.strip() for a in (doc.author or "").split(";") if a.strip()], "title": doc.title,
            "publisher": doc.sitename, "date": doc.date, "url": doc.url, "language": doc.language}


def run(gold: dict[str, dict], files: dict[str, Path], reader: Callable[[str, str], dict]) -> dict[str, dict | None]:
    """``reader``'s metadata of every page found; a page it fails on counts as lost (None)."""
    out: dict[str, dict | None] = {}
    for key, path in files.items():
        try:
            out[key] = reader(read_page(path), key)
        except Exception:  # noqa: BLE001 - a failed page is scored as lost, the run goes on
            out[key] = None
    return out
