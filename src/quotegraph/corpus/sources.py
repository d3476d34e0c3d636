"""Inputs of an ingest: files and folders of .txt/.html, JSON Lines, WARC; http(s) URLs of pages,
feeds and sitemaps (``webpages.py``).

``iter_items(paths)`` yields ``Item``s in a deterministic order (paths as given, folders walked in
sorted order, lines and records in file order), so an interrupted ingest, run again, meets the
articles in the same order as an uninterrupted one.  An input that cannot be read yields an
``Item`` with ``error`` set instead of raising: the ingest records it and goes on.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..errors import InputError
from ..read.readers import HTML_EXTENSIONS, MAX_BYTES_DEFAULT, charset_of, is_url, read_bytes, read_path, read_string
from .given import Fields, GivenMeta, read_sidecar
from .given import checked_date as checked_date  # re-exported: its old home

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
    text: str | None = None
    format: str = "text"
    key: str | None = None
    given_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    crawled: str | None = None
    title: str | None = None  # given with the input (corpus/given.py): beats the article's own
    authors: list[str] = field(default_factory=list)
    error: str | None = None  # set when the input could not be read
    warnings: list[str] = field(default_factory=list)  # read, but not cleanly (bytes replaced, ...)
    pos: int = 0  # bytes of input consumed up to and including this item (for progress)

    @property
    def failure_key(self) -> str:
        return self.key or "src:" + self.source

    def checked(self) -> tuple[str, str]:
        """``(key, text)`` of an item that was read (``error`` is None: both are set)."""
        if self.key is None or self.text is None:
            raise ValueError(f"{self.source}: was not read ({self.error})")
        return self.key, self.text


def kind_of(path: str) -> str:
    low = path.lower()
    if low.endswith(WARC_SUFFIXES):
        return "warc"
    if low.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return "article"


def expand(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, str | None]]:
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
        elif is_url(p) or os.path.exists(p):
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


def iter_items(paths: Iterable[str | os.PathLike], *, max_bytes: int = MAX_BYTES_DEFAULT,
               given: GivenMeta | None = None, web=None) -> Iterator[Item]:
    """Every input of ``paths`` in order; an article (a file, a line, a record) over ``max_bytes``
    is a failure. ``given``: metadata for every input (``--outlet``, ``--date``), where the input
    gives none of its own (corpus/given.py). ``web``: the ``webpages.WebReader`` that reads the
    URLs among them (default: one per URL, with the default options)."""
    if given is not None:
        yield from (_with_defaults(it, given) for it in iter_items(paths, max_bytes=max_bytes, web=web))
        return
    base = 0
    for path, err in expand(paths):
        if err:
            yield Item(source=path, error=err, pos=base)
            continue
        if is_url(path):
            yield from _web_items(path, base, max_bytes, web)
            continue
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        kind = kind_of(path)
        if kind == "jsonl":
            yield from _jsonl(path, base, max_bytes)
        elif kind == "warc":
            yield from _warc(path, base, max_bytes)
        else:
            yield _article_file(path, base + size, max_bytes)
        base += size


def _with_defaults(it: Item, given: GivenMeta) -> Item:
    it.outlet, it.published = it.outlet or given.outlet, it.published or given.published
    return it


def _web_items(url: str, pos: int, max_bytes: int, web) -> Iterator[Item]:
    from .webpages import WebReader

    reader = web if web is not None else WebReader(max_bytes=max_bytes)
    try:
        yield from reader.items(url, pos)
    finally:
        if web is None:
            reader.close()


def _article_file(path: str, pos: int, max_bytes: int) -> Item:
    try:
        src = read_path(path, max_bytes=max_bytes)
    except InputError as e:
        return Item(source=path, error=e.reason, pos=pos)
    side = read_sidecar(path)
    return Item(source=path, text=src.content, format=src.format, key=content_key(src.content), pos=pos,
                warnings=src.warnings + side.warnings, url=side.url, outlet=side.outlet, published=side.published,
                title=side.title, authors=side.authors)


def _jsonl(path: str, base: int, max_bytes: int) -> Iterator[Item]:
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        fh = opener(path, "rb")
    except OSError as e:
        yield Item(source=path, error=f"cannot read ({e.strerror or e})", pos=base)
        return
    compressed = path.lower().endswith(".gz")
    raw_fh = getattr(fh, "fileobj", None) if compressed else None
    # a line holds one article, JSON-escaped (up to 6 bytes a character), and its metadata
    max_line = 6 * max_bytes + (1 << 20)
    with fh:
        lineno = 0
        consumed = 0
        while True:
            try:
                line = fh.readline(max_line)
                long_line = len(line) == max_line and not line.endswith(b"\n")
                skipped = _skip_line(fh, max_line) if long_line else 0
            except (OSError, EOFError, zlib.error) as e:
                yield Item(source=f"{path}:{lineno + 1}", error=f"cannot read ({e})", pos=base + consumed)
                return
            if not line:
                break
            lineno += 1
            if long_line:
                consumed += len(line) + skipped
                yield Item(source=f"{path}:{lineno}", pos=base + consumed,
                           error=f"line too long ({len(line) + skipped:,} bytes; articles are limited to {max_bytes:,}; see --max-bytes)")
                continue
            if raw_fh is not None:
                try:
                    consumed = raw_fh.tell()
                except (OSError, ValueError):
                    pass
            else:
                consumed += len(line)
            if not line.strip():
                continue
            yield _jsonl_item(line, f"{path}:{lineno}", base + consumed, max_bytes)


def _skip_line(fh, chunk: int) -> int:
    """Read to the end of the current line; the number of bytes skipped."""
    n = 0
    while True:
        part = fh.readline(chunk)
        n += len(part)
        if not part or part.endswith(b"\n"):
            return n


def _jsonl_item(line: bytes, source: str, pos: int, max_bytes: int) -> Item:
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return Item(source=source, error=f"invalid JSON ({getattr(e, 'msg', e)})", pos=pos)
    except RecursionError:  # "[[[[...": the line alone fails
        return Item(source=source, error="invalid JSON (nested too deeply: a record is one flat object)", pos=pos)
    if not isinstance(obj, dict):
        return Item(source=source, error="not a JSON object", pos=pos)
    html, text = obj.get("html"), obj.get("text")
    content, fmt = (html, "html") if isinstance(html, str) and html.strip() else (text, None)
    if not isinstance(content, str):
        return Item(source=source, error='no "text" or "html" string', pos=pos)
    try:
        src = read_string(content, source, format=fmt, max_bytes=max_bytes)
    except InputError as e:
        return Item(source=source, error=e.reason, pos=pos)
    f = Fields(obj)
    given_id = f.text("id")
    meta = GivenMeta.of(f)
    return Item(
        source=source, text=src.content, format=src.format, key=content_key(src.content),
        warnings=src.warnings + meta.warnings, given_id=given_id, url=meta.url, outlet=meta.outlet,
        published=meta.published, title=meta.title, authors=meta.authors, pos=pos,
    )


class _CountingReader(io.RawIOBase):
    """Counts the bytes read from the underlying file, for progress."""

    def __init__(self, fh):
        self.fh = fh
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = self.fh.readinto(b)
        self.count += n or 0
        return n


@dataclass
class _Member:
    offset: int  # where the gzip member starts in the file
    end: int  # where it ends (the file's end when it is cut short)
    data: bytes | None  # its content; None when it is incomplete or too large
    error: str | None = None


_GZIP_READ = 1 << 16


def gzip_members(fh, max_member: int) -> Iterator[_Member]:
    """The gzip members of a file, one at a time (a .warc.gz holds one record per member).

    A member cut short by the end of the file is yielded with ``error`` set and ends the
    iteration; a corrupt one is yielded with ``error`` set and reading goes on at the next gzip
    header after it; a member whose content passes ``max_member`` bytes is read through (so the
    next one is found) but not kept. ``fh`` must be seekable."""
    pos = 0  # file offset of the first byte of ``pending``
    pending = b""
    at_eof = False
    while True:
        if not pending:
            pending = fh.read(_GZIP_READ)
            if not pending:
                return
        lead = len(pending) - len(pending.lstrip(b"\x00\r\n\t "))  # padding between or after members
        if lead:
            pos += lead
            pending = pending[lead:]
            continue
        start = pos
        d = zlib.decompressobj(wbits=31)
        parts: list[bytes] = []
        size = 0
        too_large = False
        while True:
            try:
                out = d.decompress(pending)
            except zlib.error as e:
                yield _Member(start, pos, None, f"corrupt gzip data in the record at byte {start:,} ({e})")
                nxt = _next_gzip_header(fh, start + 1)
                if nxt is None:
                    return
                pos, pending, at_eof = nxt, b"", False
                fh.seek(nxt)
                break
            size += len(out)
            if size > max_member:
                too_large = True
                parts = []
            elif out:
                parts.append(out)
            if d.eof:
                used = len(pending) - len(d.unused_data)
                pos += used
                pending = d.unused_data
                break
            pos += len(pending)
            pending = b"" if at_eof else fh.read(_GZIP_READ)
            if not pending:
                at_eof = True
                yield _Member(start, pos, None, f"truncated: the file ends at byte {pos:,}, inside the record at byte {start:,}")
                return
        if not d.eof:
            continue  # corrupt: reported, and reading goes on at the next header
        if too_large:
            yield _Member(start, pos, None, f"record too large ({size:,} bytes uncompressed; the limit is {max_member:,})")
        else:
            yield _Member(start, pos, b"".join(parts))


_GZIP_HEADER = b"\x1f\x8b\x08"


def _next_gzip_header(fh, at: int) -> int | None:
    """The offset of the next gzip header at or after ``at``, or None."""
    fh.seek(at)
    carry = b""
    base = at
    while True:
        chunk = fh.read(_GZIP_READ)
        if not chunk:
            return None
        buf = carry + chunk
        i = buf.find(_GZIP_HEADER)
        if i >= 0:
            return base - len(carry) + i
        carry = buf[-2:]
        base += len(chunk)


def _warc(path: str, base: int, max_bytes: int) -> Iterator[Item]:
    try:
        from warcio.archiveiterator import ArchiveIterator  # noqa: F401
    except ImportError:  # pragma: no cover
        yield Item(source=path, error="reading WARC files needs warcio (pip install warcio)", pos=base)
        return
    try:
        raw = open(path, "rb")
    except OSError as e:
        yield Item(source=path, error=f"cannot read ({e.strerror or e})", pos=base)
        return
    with raw:
        head = raw.read(_HEADER_MAX)
        raw.seek(0)
        if not head.strip():  # reported as an empty text file is (a file of padding counts as empty)
            if not raw.read().strip():
                yield Item(source=path, error="empty input (an empty WARC file)", pos=base)
                return
            raw.seek(0)
        if head[:2] == b"\x1f\x8b":
            yield from _warc_gz(raw, path, base, max_bytes)
        else:
            counter = _CountingReader(raw)
            stream = io.BufferedReader(counter, buffer_size=1 << 16)
            yield from _warc_records(stream, path, base, max_bytes, lambda: counter.count, 0, os.fstat(raw.fileno()).st_size)


def _warc_gz(raw, path: str, base: int, max_bytes: int) -> Iterator[Item]:
    """A .warc.gz member by member: every whole record is read, a cut or corrupt one is a failure
    naming its offset (and ends the file: nothing after it can be trusted)."""
    # a record holds HTTP headers besides the page: allow some room over the page limit
    empty = True
    for m in gzip_members(raw, max_bytes + (1 << 20)):
        empty = empty and m.data is not None and not m.data.strip()
        if m.data is None:
            yield Item(source=f"{path}@{m.offset}", error=m.error, pos=base + m.end)
            continue
        yield from _warc_records(io.BytesIO(m.data), path, base, max_bytes, functools.partial(getattr, m, "end"), m.offset,
                                 len(m.data), member=True)
    if empty:
        yield Item(source=path, error="empty input (the WARC file holds no records)", pos=base)


def _warc_records(stream, path: str, base: int, max_bytes: int, consumed: Callable[[], int], offset0: int,
                  total: int, member: bool = False) -> Iterator[Item]:
    """The article records of an (uncompressed) WARC stream; ``offset0``: where it starts in the file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    it = ArchiveIterator(stream, arc2warc=True)
    where = offset0
    records = 0
    try:
        for rec in it:
            records += 1
            where = offset0 if member else it.offset
            source = f"{path}@{where}"
            item: Item | None
            if not (rec.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                item = Item(source=source, error="truncated or corrupt WARC record header (no Content-Length)")
            else:
                try:
                    item = _warc_item(rec, source, max_bytes)
                except (OSError, EOFError, ValueError, UnicodeError) as e:  # a broken record: record it, go on
                    item = Item(source=source, error=f"bad WARC record ({type(e).__name__}: {e})")
                missing = _unread(rec)
                if missing and (item is None or item.error is None):
                    item = Item(source=source, error=f"truncated WARC record ({missing:,} bytes of it missing)")
            if item is not None:
                item.pos = base + consumed()
                yield item
    except ArchiveLoadFailed as e:
        msg = " ".join(str(e).split()) or "unknown format"
        at = offset0 if member else it.offset  # where the record that could not be read starts
        what = "truncated or corrupt WARC record" if records else "not a WARC file"
        yield Item(source=f"{path}@{at}", error=f"{what} ({msg})", pos=base + consumed())
    except (OSError, EOFError, ValueError, AttributeError, IndexError, KeyError) as e:
        # warcio meets the cut-off header of a record (AttributeError, ...): the file is corrupt here
        at = offset0 if member else it.offset
        head = stream.getvalue()[:_HEADER_MAX] if member else _read_at(path, at, _HEADER_MAX)
        yield Item(source=f"{path}@{at}", error=_header_problem(head, e), pos=base + consumed())
    else:
        if not records and total > 0:
            head = stream.getvalue()[:_HEADER_MAX] if member else _read_at(path, offset0, _HEADER_MAX)
            error = _header_problem(head, EOFError()) if head.startswith(b"WARC/") else "not a WARC file (no WARC records in it)"
            yield Item(source=f"{path}@{offset0}", error=error, pos=base + consumed())
        elif records and it.offset < total:  # bytes after the last whole record: a record cut off in its header
            at = offset0 if member else it.offset
            yield Item(source=f"{path}@{at}", error=f"truncated WARC record header ({total - it.offset:,} bytes at the end)",
                       pos=base + consumed())


_HEADER_MAX = 1 << 16  # a WARC record's header is a few hundred bytes


def _read_at(path: str, at: int, n: int) -> bytes:
    try:
        with open(path, "rb") as fh:
            fh.seek(at)
            return fh.read(n)
    except OSError:
        return b""


def _header_problem(head: bytes, e: BaseException) -> str:
    """What is wrong with a record whose header warcio could not read (``head``: its first bytes)."""
    if b"\r\n\r\n" not in head and b"\n\n" not in head:
        if len(head) < _HEADER_MAX:
            return (f"truncated WARC record header: the file ends {len(head):,} bytes into the record, "
                    "before the blank line that ends its header")
        return f"corrupt WARC record: no blank line ends its header in the first {_HEADER_MAX:,} bytes"
    if isinstance(e, (OSError, EOFError)):
        return f"truncated WARC record ({type(e).__name__}: {e})"
    return "corrupt WARC record header: a line of it is not a WARC or HTTP header (a name, a colon, a value)"


def _unread(rec) -> int:
    """Read the rest of a record; the bytes its Content-Length promised that the file lacks."""
    stream = rec.raw_stream
    while stream.read(1 << 16):
        pass
    return max(0, getattr(stream, "limit", 0))


def _warc_item(rec, source: str, max_bytes: int) -> Item | None:
    if rec.rec_type not in ("response", "resource"):
        return None
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
    data = rec.content_stream().read(max_bytes + 1)
    if not data.strip():
        return None
    charset = charset_of(ctype)
    try:
        src = None
        if charset:
            try:
                src = read_string(data.decode(charset), source, format="html", max_bytes=max_bytes)
            except (LookupError, UnicodeDecodeError):
                src = None
        if src is None:
            src = read_bytes(data, source, format="html", max_bytes=max_bytes)
    except InputError as e:
        return Item(source=source, error=e.reason)
    url = rec.rec_headers.get_header("WARC-Target-URI")
    warnings = list(src.warnings)
    crawled = checked_date("WARC-Date", rec.rec_headers.get_header("WARC-Date"), warnings)
    return Item(
        source=source, text=src.content, format="html", key=content_key(src.content), url=url,
        crawled=crawled, warnings=warnings,
    )
