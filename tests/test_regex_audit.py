"""Every compiled regular expression of the package against adversarial input (issue 21, item 1).

The patterns are found, not listed: every module of ``quotegraph`` is imported and every
``re.Pattern`` among its globals (and inside its module-level tuples, lists, dicts and classes) is
audited, so a pattern added later is covered too.  Each runs ``search`` and ``findall`` over a
family of long strings (50 kB) made of the characters it cares about: its own literals and
literal runs, and runs known to trip backtracking engines (repeated comments, tags, quotation
marks of every kind, "a.", "Mr. ", "--", blank lines, alternating letters and spaces).

A pattern with nested or adjacent unbounded quantifiers takes exponential, cubic or quadratic
time on such strings; a linear one takes milliseconds.  Each (pattern, string) pair gets a
generous budget (1 s; a 2-core machine under load runs a linear pattern over 50 kB in well under
0.1 s).  Python's regex engine cannot be interrupted, so each pattern runs in a forked child that
is killed when it overruns.
"""

from __future__ import annotations

import importlib
import multiprocessing
import pkgutil
import re
import time
from collections.abc import Iterator

import pytest

import quotegraph

try:
    from re import _parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

SIZE = 50_000
BUDGET = 1.0  # seconds per pattern and string

# runs known to trip backtracking: comments, tags, quotation marks of all kinds, abbreviations,
# dashes, blank lines, alternating letters and spaces, e-mail and URL pieces
GENERIC_UNITS = (
    "<!-- a -->  ", "<!---->", "<!--", "-->", "<p ", "<p", "<a>", " ", "\t ", "\n", "\n\n", "\n \n", "a ", "a",
    "aB", "A ", "Ab ", "a.", "A.", "Mr. ", "Mr ", "Dr.", ". ", "...", ". . ", "\u2026", "--", "- ", " - ", "\u2014",
    "\"", "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e", "\"a\" ", "\u201ca\u201d ",
    "a'", "a'a", "a-", "1", "1 ", "1-", "19", "a@", "@a", "a@a.", "http://", "www.", "a/", "&#", "&a",
    "[", "[a", "(", "(a", "a:", "A: ", "Aa ", "and ", "by ", "the ", ", ", ";", "|", "T1\t", "1 1;", "\u00a0",
)


def _modules() -> list[str]:
    names = [quotegraph.__name__]
    for info in pkgutil.walk_packages(quotegraph.__path__, quotegraph.__name__ + "."):
        if info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return names


def _patterns_in(obj, depth: int = 0) -> Iterator[re.Pattern]:
    if isinstance(obj, re.Pattern):
        yield obj
    elif depth < 2 and isinstance(obj, (tuple, list, frozenset, set)):
        for v in obj:
            yield from _patterns_in(v, depth + 1)
    elif depth < 2 and isinstance(obj, dict):
        for v in obj.values():
            yield from _patterns_in(v, depth + 1)
    elif depth < 1 and isinstance(obj, type):
        for v in vars(obj).values():
            yield from _patterns_in(v, depth + 1)


def _all_patterns() -> dict[str, re.Pattern]:
    found: dict[tuple, tuple[str, re.Pattern]] = {}
    for name in _modules():
        try:
            mod = importlib.import_module(name)
        except ImportError:  # an optional dependency is missing: its patterns cannot run anyway
            continue
        for attr, value in list(vars(mod).items()):
            for p in _patterns_in(value):
                if getattr(p, "__module__", None) is None and attr.startswith("__"):
                    continue
                found.setdefault((p.pattern, p.flags), (f"{name}.{attr}", p))
    return {label: p for label, p in found.values()}


PATTERNS = _all_patterns()


def _walk(parsed, chars: set[int], runs: list[list[int]]) -> None:
    """The literal code points of a parsed pattern, and its runs of consecutive literals."""
    run: list[int] = []
    for op, av in parsed:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL"):
            chars.add(av)
            run.append(av)
            continue
        if run:
            runs.append(run)
            run = []
        if name == "IN":
            for sop, sav in av:
                if str(sop) == "LITERAL":
                    chars.add(sav)
                elif str(sop) == "RANGE":
                    chars.update({sav[0], sav[1]})
                elif str(sop) == "CATEGORY":
                    chars.update(_CATEGORY_SAMPLES.get(str(sav), ()))
        elif name == "CATEGORY":
            chars.update(_CATEGORY_SAMPLES.get(str(av), ()))
        else:
            for sub in _subpatterns(av):
                _walk(sub, chars, runs)
    if run:
        runs.append(run)


_CATEGORY_SAMPLES = {
    "CATEGORY_DIGIT": (ord("1"),), "CATEGORY_NOT_DIGIT": (ord("a"),), "CATEGORY_SPACE": (ord(" "), ord("\n")),
    "CATEGORY_NOT_SPACE": (ord("a"), ord(".")), "CATEGORY_WORD": (ord("a"), ord("A"), ord("1")),
    "CATEGORY_NOT_WORD": (ord(" "), ord("."), ord("-")),
}


def _subpatterns(av) -> Iterator:
    if isinstance(av, sre_parse.SubPattern):
        yield av
    elif isinstance(av, (tuple, list)):
        for v in av:
            yield from _subpatterns(v)


def _own_units(p: re.Pattern) -> list[str]:
    """Strings built from the pattern's own literal characters and literal runs."""
    chars: set[int] = set()
    runs: list[list[int]] = []
    try:
        _walk(sre_parse.parse(p.pattern, p.flags), chars, runs)
    except Exception:  # noqa: BLE001 - an unparsable pattern would not have compiled
        return []
    as_str = (lambda cs: bytes(c for c in cs if c < 256).decode("latin-1")) if isinstance(p.pattern, bytes) \
        else (lambda cs: "".join(map(chr, cs)))
    ordered = sorted(chars)
    units = [as_str([c]) for c in ordered[:40]]
    units += [as_str(ordered[:40]), as_str(ordered[:40]) + " "]
    words = [as_str(r) for r in runs if r]
    units += words[:20] + [w + " " for w in words[:20]] + [w + "a" for w in words[:10]]
    if words:
        units.append(" ".join(words[:12]) + " ")
    return [u for u in dict.fromkeys(units) if u]


def adversarial_strings(p: re.Pattern) -> list[str]:
    units = list(dict.fromkeys(list(GENERIC_UNITS) + _own_units(p)))
    # each ends with a character no pattern expects, which forces the failing (backtracking) paths
    return [(u * (SIZE // len(u) + 1))[:SIZE] + "\x00" for u in units]


def _encode(p: re.Pattern, s: str):
    return s.encode("utf-8", "surrogatepass") if isinstance(p.pattern, bytes) else s


def _child(p: re.Pattern, texts: list[str], conn) -> None:
    for k, s in enumerate(texts):
        s = _encode(p, s)
        t = time.perf_counter()
        p.search(s)
        p.findall(s)
        conn.send((k, time.perf_counter() - t))
    conn.send(None)


def _audit(p: re.Pattern) -> list[str]:
    """The strings of ``adversarial_strings`` on which ``p`` overruns ``BUDGET`` (a description each)."""
    texts = adversarial_strings(p)
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(p, texts, child), daemon=True)
    proc.start()
    child.close()
    slow: list[str] = []
    done = 0
    try:
        while True:
            if not parent.poll(BUDGET * 3):
                s = texts[done]
                slow.append(f"still running after {BUDGET * 3:.0f} s on {s[:24]!r} x {len(s):,} chars (killed)")
                break
            msg = parent.recv()
            if msg is None:
                break
            k, dt = msg
            done = k + 1
            if dt > BUDGET:
                slow.append(f"{dt:.2f} s on {texts[k][:24]!r} x {len(texts[k]):,} chars")
    except EOFError:
        slow.append("the child died")
    finally:
        proc.kill()
        proc.join()
    return slow


def test_the_package_patterns_are_found():
    # the audit sees the patterns of every sub-package, including those compiled in corpus/ and web/
    labels = " ".join(PATTERNS)
    assert len(PATTERNS) >= 40
    for where in ("quotegraph.read.readers.", "quotegraph.corpus.", "quotegraph.read.htmlmeta.", "quotegraph.evaluation."):
        assert where in labels, where


@pytest.mark.parametrize("label", sorted(PATTERNS))
def test_pattern_is_linear_on_adversarial_input(label):
    p = PATTERNS[label]
    slow = _audit(p)
    assert not slow, f"{label} ({p.pattern!r}) is too slow: " + "; ".join(slow[:3])


def test_the_audit_catches_a_backtracking_pattern():
    # the sniffer's old pattern (issue 21): nested quantifiers, exponential on repeated comments
    old_sniff = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|article|div|p|meta|title)\b",
                           re.I | re.S)
    assert _audit(old_sniff)


# ---------------------------------------------------------------- the HTML sniffer (issue 21, item 1)


def _seconds(fn, *args, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t)
    return best


@pytest.mark.parametrize("unit", ["<!-- a -->  ", "<!---->", "<!-- <p> -->\n", "<p <p ", " \t\n"])
def test_sniffing_repeated_comments_is_linear(unit):
    from quotegraph.read.readers import looks_like_html, read_string

    # the repros: 480 bytes of comments hung extract and ingest, 168 bytes took 2 s
    for n in (26, 40, 24):
        assert looks_like_html((unit * n).encode()) in (False, True)
    assert read_string("<!-- a -->  " * 40 + "\u201cWe will,\u201d she said.").format == "text"
    # growth: a 4x longer input at most 6x the time (both sniff well under a millisecond)
    small, large = unit * 2_000, unit * 8_000
    t_small = _seconds(looks_like_html, small.encode())
    t_large = _seconds(looks_like_html, large.encode())
    assert t_large <= 6 * t_small + 0.002, (t_small, t_large)


def test_the_sniffer_still_knows_html():
    from quotegraph.read.readers import looks_like_html

    assert looks_like_html(b"  <!-- generated -->\n<!-- again --><!DOCTYPE html><html><body>")
    assert looks_like_html(b"<!---->\n<HTML lang=en>")
    assert looks_like_html("<!doctype  HTML>\n<title>x</title>")
    assert looks_like_html(b"<p>One</p>")
    assert not looks_like_html(b"<pre>not one of the opening tags</pre>")
    assert not looks_like_html(b"<!-- a comment that never ends <html>")
    assert not looks_like_html(b"<titles>")
    assert not looks_like_html(b"He wrote <p> once.")
    assert looks_like_html(b"Some text <p>one</p> <div class=x>two</div> <br>")  # three tags
