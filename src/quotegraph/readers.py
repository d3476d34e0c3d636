"""Read an input (file, bytes or stdin) into a ``Source``: decoded text and what kind it is.

Every failure is an ``InputError`` whose message names the input, so a batch can report it on
one line and carry on with the other inputs.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

MAX_BYTES_DEFAULT = 20 * 1024 * 1024
HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
_HTML_SNIFF = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|article|div|p|meta|title)\b", re.I | re.S)
_HTML_TAGS = re.compile(rb"<(p|div|br|span|a|article|section|figure|h[1-6])\b[^>]*>", re.I)


@dataclass
class Source:
    name: str  # the path as given, or "-" / "<string>"
    content: str
    format: str  # "text" | "html"


def looks_like_html(data: bytes | str, name: str = "") -> bool:
    if Path(name).suffix.lower() in HTML_EXTENSIONS:
        return True
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    head = raw[:4096]
    if _HTML_SNIFF.match(head):
        return True
    return len(_HTML_TAGS.findall(head)) >= 3


def decode(data: bytes, name: str) -> str:
    """Decode bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM, else detected."""
    if not data or not data.strip():
        raise InputError(name, "empty input")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc)
            except UnicodeDecodeError as e:
                raise InputError(name, f"invalid {enc} ({e.reason} at byte {e.start})") from None
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputError(name, "binary data (NUL bytes), not a text or HTML article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    high = sum(1 for b in sample if b >= 0x80)
    if high <= 0.2 * len(sample):
        # mostly ASCII with a few accented letters or typographic marks: a Western code page
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        from_bytes = None
    if from_bytes is not None:
        best = from_bytes(data).best()
        if best is not None and best.encoding:
            text = str(best)
            if _printable_ratio(text) > 0.95:
                return text
    raise InputError(name, "cannot detect the text encoding (binary data?)")


def _printable_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    good = sum(1 for c in sample if c.isprintable() or c in "\n\r\t")
    return good / len(sample)


def check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(name, "empty input")
    if "\x00" in text[:65536]:
        raise InputError(name, "binary data (NUL characters), not a text or HTML article")
    if _printable_ratio(text) < 0.85:
        raise InputError(name, "does not look like text (too many control characters)")
    return text


def read_bytes(data: bytes, name: str, *, max_bytes: int = MAX_BYTES_DEFAULT, format: str | None = None) -> Source:
    if len(data) > max_bytes:
        raise InputError(name, f"too large ({len(data):,} bytes; the limit is {max_bytes:,}; see --max-bytes)")
    text = check_text(decode(data, name), name)
    fmt = format or ("html" if looks_like_html(data, name) else "text")
    return Source(name=name, content=text, format=fmt)


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
            raise InputError(name, f"too large ({size:,} bytes; the limit is {max_bytes:,}; see --max-bytes)")
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


def read_string(content: str, name: str = "<string>", *, format: str | None = None) -> Source:
    text = check_text(content, name)
    fmt = format or ("html" if looks_like_html(text, name) else "text")
    return Source(name=name, content=text, format=fmt)
