"""Read an input (file, bytes or stdin) into a ``Source``: decoded text and what kind it is.

Every failure is an ``InputError`` whose message names the input, so a batch can report it on
one line and carry on with the other inputs.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

MAX_BYTES_DEFAULT = 20 * 1024 * 1024
HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
# the tags an HTML document may open with (after white space and comments), lower-cased
_OPENING_TAGS = (b"html", b"head", b"body", b"article", b"div", b"p", b"meta", b"title")
_ASCII_WS = b" \t\n\r\f\v"
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
# no "<" inside a tag: each match attempt stops at the next "<", so a run of "<p" costs linear time
_HTML_TAGS = re.compile(rb"<(p|div|br|span|a|article|section|figure|h[1-6])\b[^<>]*>", re.I)


@dataclass
class Source:
    name: str  # the path as given, or "-" / "<string>"
    content: str
    format: str  # "text" | "html"
    warnings: list[str] = field(default_factory=list)  # read, but not cleanly (bytes replaced, ...)

    @property
    def url(self) -> str | None:
        """The address of a source read from the web (which is named by it: ``read.fetch``), else None."""
        return self.name if is_url(self.name) else None


def is_url(s: str) -> bool:
    """Whether ``s`` is an http(s) URL (what ``extract`` and ``ingest`` fetch instead of opening)."""
    return s[:8].lower().startswith(("http://", "https://")) and len(s) > 8 and s[8:9] not in ("", "/")


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter of an HTTP Content-Type (``text/html; charset=utf-8``), else None."""
    for part in content_type.split(";")[1:]:
        k, _, v = part.partition("=")
        if k.strip().lower() == "charset" and v.strip():
            return v.strip().strip("\"'")
    return None


def looks_like_html(data: bytes | str, name: str = "") -> bool:
    if not is_url(name) and Path(name).suffix.lower() in HTML_EXTENSIONS:
        return True
    raw = data[:4096].encode("utf-8", "replace") if isinstance(data, str) else data
    head = raw[:4096]
    if _opens_like_html(head):
        return True
    return len(_HTML_TAGS.findall(head)) >= 3


def _skip_ws(low: bytes, i: int) -> int:
    while i < len(low) and low[i] in _ASCII_WS:
        i += 1
    return i


def _opens_like_html(head: bytes) -> bool:
    """``head`` opens (after white space and ``<!-- ... -->`` comments) with ``<!doctype html``
    or one of ``_OPENING_TAGS``. A linear scan: no regex backtracking on hostile input."""
    low = head.lower()
    i = _skip_ws(low, 0)
    while low.startswith(b"<!--", i):
        end = low.find(b"-->", i + 4)
        if end < 0:
            return False
        i = _skip_ws(low, end + 3)
    if not low.startswith(b"<", i):
        return False
    i += 1
    if low.startswith(b"!doctype", i):
        j = _skip_ws(low, i + 8)
        names: tuple[bytes, ...] = (b"html",) if j > i + 8 else ()
        i = j
    else:
        names = _OPENING_TAGS
    return any(low.startswith(t, i) and (i + len(t) == len(low) or low[i + len(t)] not in _WORD_BYTES)
               for t in names)


# Bytes that are not UTF-8 in a file that otherwise is: up to this share of its non-ASCII bytes
# (and always a handful) are replaced with U+FFFD and reported; more, and the file is refused.
MAX_BAD_UTF8_SHARE = 0.1
MIN_BAD_UTF8_ALLOWED = 8
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Decoded:
    text: str
    warnings: list[str] = field(default_factory=list)


_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}")


def _utf8_damage(data: bytes) -> tuple[int, int, int]:
    """(invalid bytes, valid multi-byte characters, non-ASCII bytes) of ``data`` read as UTF-8."""
    high = len(data) - len(data.translate(None, bytes(range(0x80, 0x100))))
    multi = covered = 0
    for m in _UTF8_MULTI.finditer(data):
        multi += 1
        covered += m.end() - m.start()
    return high - covered, multi, high


def decode_bytes(data: bytes, name: str) -> Decoded:
    """Decode bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-8 with a few bad bytes
    replaced (and a warning), a single-byte Western code page, else detected."""
    if not data or not data.strip():
        raise InputError(name, "empty input")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(enc))
            except UnicodeDecodeError as e:
                raise InputError(name, f"invalid {enc} ({e.reason} at byte {e.start + len(bom)})") from None
    nul = data.find(b"\x00")
    if nul >= 0:  # anywhere in the input, not only at its start
        raise InputError(name, _utf16_advice(data) or f"binary data (a NUL byte at byte {nul:,}), not a text or HTML article")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    bad, multi, high = _utf8_damage(data)
    if multi and multi * 10 >= bad:
        # UTF-8 characters in it (more than a code page's chance pairs): a UTF-8 file, damaged. A few bad bytes are replaced; many mean
        # it is not text in any one encoding (binary data, or files of two encodings glued).
        if bad <= max(MIN_BAD_UTF8_ALLOWED, MAX_BAD_UTF8_SHARE * high):
            text = data.decode("utf-8", "replace")
            return Decoded(text, [f"{bad:,} byte{'s' if bad != 1 else ''} not valid UTF-8, replaced with U+FFFD"])
        raise InputError(name, f"not valid UTF-8 ({bad:,} of {high:,} non-ASCII bytes are invalid) "
                               "and not in a single encoding: binary data? (convert it to UTF-8)")
    if high <= 0.2 * len(data):
        # mostly ASCII with a few accented letters or typographic marks: a Western code page
        try:
            return Decoded(data.decode("cp1252"))
        except UnicodeDecodeError:
            return Decoded(data.decode("latin-1"))
    from charset_normalizer import from_bytes  # a declared dependency

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        text = str(best)
        if _printable_ratio(text) > 0.95:
            return Decoded(text)
    raise InputError(name, "cannot detect the text encoding (binary data?)")


def _utf16_advice(data: bytes) -> str | None:
    """What to say when ``data`` looks like UTF-16 without a byte-order mark (text whose every
    other byte is NUL: ASCII characters as two bytes), else None."""
    sample = data[:65536]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0:2 * pairs:2].count(0), sample[1:2 * pairs:2].count(0)
    for nuls, other, enc in ((odd, even, "UTF-16LE"), (even, odd, "UTF-16BE")):
        # most characters of an English or European text are ASCII: one NUL in (almost) every pair
        if nuls >= 0.5 * pairs and other <= 0.05 * pairs:
            return (f"looks like {enc} text without a byte-order mark, not UTF-8: convert it first "
                    f"(iconv -f {enc} -t UTF-8 FILE > FILE.utf8.txt)")
    return None


def decode(data: bytes, name: str) -> str:
    """The text of ``data`` (see ``decode_bytes``; its warnings are dropped)."""
    return decode_bytes(data, name).text


def _printable_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    good = sum(1 for c in sample if c.isprintable() or c in "\n\r\t")
    return good / len(sample)


def check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(name, "empty input")
    nul = text.find("\x00")
    if nul >= 0:  # anywhere in the text, not only at its start
        raise InputError(name, f"binary data (a NUL character at character {nul:,}), not a text or HTML article")
    if _printable_ratio(text) < 0.85:
        raise InputError(name, "does not look like text (too many control characters)")
    return text


def clean_surrogates(text: str) -> tuple[str, int]:
    """Lone surrogates (from JSON "\\ud83d" or a Python string) replaced with U+FFFD, one for one,
    so offsets are unchanged and the text can be encoded; and how many there were."""
    n = len(_LONE_SURROGATE.findall(text))
    return (_LONE_SURROGATE.sub("\ufffd", text), n) if n else (text, 0)


def _too_large(name: str, size: int, max_bytes: int) -> InputError:
    return InputError(name, f"too large ({size:,} bytes; the limit is {max_bytes:,}; see --max-bytes)")


def read_bytes(data: bytes, name: str, *, max_bytes: int = MAX_BYTES_DEFAULT, format: str | None = None) -> Source:
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    d = decode_bytes(data, name)
    text = check_text(d.text, name)
    fmt = format or ("html" if looks_like_html(data, name) else "text")
    return Source(name=name, content=text, format=fmt, warnings=d.warnings)


def read_path(path: str | Path, *, max_bytes: int = MAX_BYTES_DEFAULT, format: str | None = None) -> Source:
    """Read one input: a file path, or ``-`` for standard input."""
    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return read_bytes(data, "-", max_bytes=max_bytes, format=format)
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(name, "is a directory")
        size = p.stat().st_size
        if size > max_bytes:
            raise _too_large(name, size, max_bytes)
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except OSError as e:
        raise InputError(name, f"cannot read ({e.strerror or e})") from None
    return read_bytes(data, name, max_bytes=max_bytes, format=format)


def read_string(content: str, name: str = "<string>", *, format: str | None = None,
                max_bytes: int | None = None) -> Source:
    """A string as a ``Source``; lone surrogates become U+FFFD (one for one: offsets hold)."""
    if max_bytes is not None and len(content) > max_bytes // 4:
        size = len(content.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise _too_large(name, size, max_bytes)
    content, n = clean_surrogates(content)
    text = check_text(content, name)
    warnings = [f"{n:,} lone surrogate{'s' if n != 1 else ''} (half a UTF-16 pair) replaced with U+FFFD"] if n else []
    fmt = format or ("html" if looks_like_html(text, name) else "text")
    return Source(name=name, content=text, format=fmt, warnings=warnings)
