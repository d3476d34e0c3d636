"""Inputs of an ingest: files and folders of .txt/.html, JSON Lines, WARC.

``iter_items(paths)`` yields ``Item``s in a deterministic order (paths as given, folders walked in
sorted order, lines and records in file order), so an interrupted ingest, run again, meets the
articles in the same order as an uninterrupted one.  An input that cannot be read yields an
``Item`` with ``error`` set instead of raising: the ingest records it and goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from ..errors import InputError
from ..readers import HTML_EXTENSIONS, read_bytes, read_path, read_string

TEXT_EXTENSIONS = {".txt", ".text"}
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
ARTICLE_SUFFIXES = tuple(sorted(TEXT_EXTENSIONS | HTML_EXTENSIONS))


def content_key(text: str) -> str:
    """The identity of an article: a hash of its content (text or HTML as read)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass
class Item:
    source: str  # where it came from: a path, "path:LINE" (JSON Lines) or "path@OFFSET" (WARC)
    text: Optional[str] = None
    format: str = "text"
    key: Optional[str] = None
    given_id: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    crawled: Optional[str] = None
    error: Optional[str] = None  # set when the input could not be read
    pos: int = 0  # bytes of input consumed up to and including this item (for progress)

    @property
    def failure_key(self) -> str:
        return self.key or "src:" + self.source


def kind_of(path: str) -> str:
    low = path.lower()
    if low.endswith(WARC_SUFFIXES):
        return "warc"
    if low.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return "article"


def expand(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, Optional[str]]]:
    """(file, error) for every input file: folders are walked (sorted), keeping known extensions."""
    for p in paths:
        p = str(p)
        if os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if f.startswith("."):
                        continue
                    low = f.lower()
                    if low.endswith(ARTICLE_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES):
                        found.append(os.path.join(root, f))
            yield from ((f, None) for f in found)
        elif os.path.exists(p):
            yield p, None
        else:
            yield p, "no such file or directory"


def total_bytes(files: list[str]) -> int:
    n = 0
    for f in files:
        try:
            n += os.path.getsize(f)
        except OSError:
            pass
    return n


def iter_items(paths: Iterable[str | os.PathLike]) -> Iterator[Item]:
    base = 0
    for path, err in expand(paths):
        if err:
            yield Item(source=path, error=err, pos=base)
            continue
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        kind = kind_of(path)
        if kind == "jsonl":
            yield from _jsonl(path, base)
        elif kind == "warc":
            yield from _warc(path, base)
        else:
            yield _article_file(path, base + size)
        base += size


def _article_file(path: str, pos: int) -> Item:
    try:
        src = read_path(path)
    except InputError as e:
        return Item(source=path, error=e.reason, pos=pos)
    return Item(source=path, text=src.content, format=src.format, key=content_key(src.content), pos=pos)


def _str_or_none(v) -> Optional[str]:
    if v is None:
        return None
    return str(v)


def _jsonl(path: str, base: int) -> Iterator[Item]:
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        fh = opener(path, "rb")
    except OSError as e:
        yield Item(source=path, error=f"cannot read ({e.strerror or e})", pos=base)
        return
    compressed = path.lower().endswith(".gz")
    raw_fh = getattr(fh, "fileobj", None) if compressed else None
    with fh:
        lineno = 0
        consumed = 0
        while True:
            try:
                line = fh.readline()
            except (OSError, EOFError) as e:
                yield Item(source=f"{path}:{lineno + 1}", error=f"cannot read ({e})", pos=base + consumed)
                return
            if not line:
                break
            lineno += 1
            if raw_fh is not None:
                try:
                    consumed = raw_fh.tell()
                except (OSError, ValueError):
                    pass
            else:
                consumed += len(line)
            if not line.strip():
                continue
            yield _jsonl_item(line, f"{path}:{lineno}", base + consumed)


def _jsonl_item(line: bytes, source: str, pos: int) -> Item:
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return Item(source=source, error=f"invalid JSON ({getattr(e, 'msg', e)})", pos=pos)
    if not isinstance(obj, dict):
        return Item(source=source, error="not a JSON object", pos=pos)
    html, text = obj.get("html"), obj.get("text")
    content, fmt = (html, "html") if isinstance(html, str) and html.strip() else (text, None)
    if not isinstance(content, str):
        return Item(source=source, error='no "text" or "html" string', pos=pos)
    try:
        src = read_string(content, source, format=fmt)
    except InputError as e:
        return Item(source=source, error=e.reason, pos=pos)
    return Item(
        source=source, text=src.content, format=src.format, key=content_key(src.content),
        given_id=_str_or_none(obj.get("id")), url=_str_or_none(obj.get("url")),
        outlet=_str_or_none(obj.get("outlet") or obj.get("publisher")),
        published=_str_or_none(obj.get("published") or obj.get("date")), pos=pos,
    )


class _CountingReader(io.RawIOBase):
    """Counts the bytes read from the underlying (compressed) file, for progress."""

    def __init__(self, fh):
        self.fh = fh
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = self.fh.readinto(b)
        self.count += n or 0
        return n


def _charset(content_type: str) -> Optional[str]:
    for part in content_type.split(";")[1:]:
        k, _, v = part.partition("=")
        if k.strip().lower() == "charset" and v.strip():
            return v.strip().strip("\"'")
    return None


def _warc(path: str, base: int) -> Iterator[Item]:
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:  # pragma: no cover
        yield Item(source=path, error="reading WARC files needs warcio (pip install warcio)", pos=base)
        return
    try:
        raw = open(path, "rb")
    except OSError as e:
        yield Item(source=path, error=f"cannot read ({e.strerror or e})", pos=base)
        return
    counter = _CountingReader(raw)
    stream = io.BufferedReader(counter, buffer_size=1 << 16)
    try:
        it = ArchiveIterator(stream, arc2warc=True)
        for rec in it:
            try:
                item = _warc_item(rec, path, it)
            except Exception as e:  # a broken record: record it, go on with the next
                item = Item(source=f"{path}@{it.offset}", error=f"bad WARC record ({e})")
            if item is not None:
                item.pos = base + counter.count
                yield item
    except ArchiveLoadFailed as e:
        yield Item(source=path, error=f"not a WARC file ({e})", pos=base + counter.count)
    except (OSError, EOFError, ValueError) as e:
        yield Item(source=path, error=f"truncated or corrupt WARC ({e})", pos=base + counter.count)
    finally:
        raw.close()


def _warc_item(rec, path: str, it) -> Optional[Item]:
    if rec.rec_type not in ("response", "resource"):
        return None
    source = f"{path}@{it.offset}"
    if rec.rec_type == "response":
        if rec.http_headers is None:
            return None
        status = rec.http_headers.get_statuscode()
        if status and not status.startswith("2"):
            return None
        ctype = rec.http_headers.get_header("Content-Type") or ""
    else:
        ctype = rec.rec_headers.get_header("Content-Type") or ""
    low = ctype.lower()
    if low and "html" not in low and "xml" not in low:
        return None
    data = rec.content_stream().read()
    if not data.strip():
        return None
    charset = _charset(ctype)
    try:
        if charset:
            try:
                text = data.decode(charset)
                src = read_string(text, source, format="html")
            except (LookupError, UnicodeDecodeError):
                src = read_bytes(data, source, format="html")
        else:
            src = read_bytes(data, source, format="html")
    except InputError as e:
        return Item(source=source, error=e.reason)
    url = rec.rec_headers.get_header("WARC-Target-URI")
    return Item(
        source=source, text=src.content, format="html", key=content_key(src.content), url=url,
        crawled=rec.rec_headers.get_header("WARC-Date"),
    )
