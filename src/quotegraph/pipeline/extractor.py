"""``Extractor``: the public API over the stages (``stages.py``), the read and parse stages, and ``extract``."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..attribute.attribution import ParaCtx
from ..attribute.records import Prepared
from ..errors import QuotegraphError
from ..find.quotemarks import find_quotes
from ..models import Article
from ..read.html import html_to_layout
from ..read.layout import layout_plain_text
from ..read.normalize import TextView
from ..read.readers import Source, read_path, read_string
from .nlp import load_model, pipe
from .options import Options
from .stages import finish, load_models

if TYPE_CHECKING:
    from .parallel import ProcessExtractor

log = logging.getLogger("quotegraph.pipeline")


class Extractor:
    """Extract attributed quotes from articles. Load once, call many times."""

    def __init__(self, options: Options | None = None, nlp=None, n_process: int = 1):
        self.options = options or Options()
        self._nlp = nlp
        # n_process > 1: extract_many runs in that many processes, each loading the model once
        self.n_process = max(1, n_process)
        self._procs: ProcessExtractor | None = None

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_model(self.options.model)
        return self._nlp

    def load(self) -> None:
        """Load the spaCy pipeline and the shipped models the options use now, rather than on the
        first article: a missing or incompatible one is then one clear ModelError up front."""
        self.nlp  # noqa: B018 - loads it
        load_models(self.options)

    # ------------------------------------------------------------------ public API

    def extract(self, source: str, path: str | None = None, id: str | None = None, format: str | None = None) -> Article:
        """Extract from a string of plain text or HTML (sniffed, or by ``path``'s extension)."""
        src = read_string(source, name=path or "<string>", format=format)
        return self._run([src], [id])[0]

    def extract_path(self, path: str) -> Article:
        src = read_path(path, max_bytes=self.options.max_bytes)
        art = self._run([src], [None])[0]
        return art

    def extract_many(self, items: Iterable[str | tuple[str, str | None] | Source], batch_articles: int | None = None) -> Iterator[Article | Exception]:
        """Extract many articles (a text, a ``(text, name)`` pair or a read ``Source`` each),
        parsing them in batches; yields an Article, or the exception raised for that item, in
        input order (one bad input never stops the others).  With ``n_process`` > 1 the batches
        (of 8 articles unless told) go to that many processes; the output is the same."""
        if self.n_process > 1:
            if self._procs is None:
                from .parallel import ProcessExtractor

                self._procs = ProcessExtractor(self.options, self.n_process)
            yield from self._procs.map(items, batch_articles or 8)
            return
        batch_articles = batch_articles or 32
        batch: list[tuple[str, str | None] | Source] = []
        for it in items:
            batch.append(it if isinstance(it, (tuple, Source)) else (it, None))
            if len(batch) >= batch_articles:
                yield from self._run_safe(batch)
                batch = []
        if batch:
            yield from self._run_safe(batch)

    def close(self) -> None:
        """Stop the extraction processes (``n_process`` > 1), if any were started."""
        if self._procs is not None:
            self._procs.close()
            self._procs = None

    def _run_safe(self, batch: list[tuple[str, str | None] | Source]) -> Iterator[Article | Exception]:
        srcs: list[Source | None] = []
        errs: list[Exception | None] = []
        for item in batch:
            if isinstance(item, Source):
                srcs.append(item)
                errs.append(None)
                continue
            text, path = item
            try:
                srcs.append(read_string(text, name=path or "<string>"))
                errs.append(None)
            except QuotegraphError as e:  # bad input: reported for this item
                srcs.append(None)
                errs.append(e)
        good = [s for s in srcs if s is not None]
        try:
            arts = iter(self._run(good, [None] * len(good)))
            results: list[Article | Exception] = []
            for s, err in zip(srcs, errs, strict=False):
                results.append(next(arts) if s is not None else _error(err))
        except Exception:  # noqa: BLE001 - not reported: the items are redone one by one, where it is
            results = [_error(err) if s is None else self._run_one(s) for s, err in zip(srcs, errs, strict=False)]
        yield from results

    def _run_one(self, src: Source) -> Article | Exception:
        """One article, or its exception: bad input as raised, anything else logged as a bug."""
        try:
            return self._run([src], [None])[0]
        except QuotegraphError as e:
            return e
        except Exception as e:  # noqa: BLE001 - a bug in quotegraph: logged with its traceback, the batch goes on
            log.exception("quotegraph bug while extracting %s", src.name)
            return e

    def extract_source(self, src: Source, id: str | None = None) -> Article:
        return self._run([src], [id])[0]

    # ------------------------------------------------------------------ stages

    def _run(self, srcs: list[Source], ids: list[str | None]) -> list[Article]:
        load_models(self.options)
        prepared = [self.prepare(s) for s in srcs]
        self.parse(prepared)
        return [self.finish(p, i) for p, i in zip(prepared, ids, strict=False)]

    def prepare(self, src: Source) -> Prepared:
        """read → clean: the layout (paragraphs, roles, repeats) and the normalised view."""
        if src.format == "html":
            layout = html_to_layout(src.content, src.name, url=src.url)
        else:
            layout = layout_plain_text(src.content)
        return Prepared(source=src, layout=layout, view=TextView.of(layout.text))

    def parse(self, prepared: list[Prepared]) -> None:
        """Parse every distinct paragraph once (repeats share the parse)."""
        texts: dict[str, int] = {}
        order: list[str] = []
        for p in prepared:
            for para in p.layout.paragraphs:
                t = p.view.text[para.start : para.end]
                if t not in texts:
                    texts[t] = len(order)
                    order.append(t)
        docs = list(pipe(self.nlp, order, batch_size=self.options.batch_size)) if order else []
        for p in prepared:
            paras = p.layout.paragraphs
            raw_quotes = [find_quotes(p.layout.text[pa.start : pa.end]) for pa in paras]
            for i, para in enumerate(paras):
                quotes = raw_quotes[i]
                # an unclosed quotation only stands if the next paragraph re-opens one
                nxt_opens = False
                if i + 1 < len(paras):
                    nq = raw_quotes[i + 1]
                    nxt_opens = bool(nq) and nq[0].depth == 0 and not p.layout.text[paras[i + 1].start : paras[i + 1].start + nq[0].open_pos].strip()
                quotes = [q for q in quotes if q.close_pos is not None or (nxt_opens and q.depth == 0)]
                doc = docs[texts[p.view.text[para.start : para.end]]]
                p.ctxs.append(ParaCtx(index=i, offset=para.start, text=p.layout.text[para.start : para.end], role=para.role, doc=doc, quotes=quotes))

    def finish(self, p: Prepared, id: str | None) -> Article:
        return finish(p, id, self.options)


_default: Extractor | None = None


def extract(source: str, path: str | None = None, id: str | None = None, options: Options | None = None) -> Article:
    """Extract the attributed quotes of one article given as a string of text or HTML."""
    global _default
    if options is not None:
        return Extractor(options).extract(source, path=path, id=id)
    if _default is None:
        _default = Extractor()
    return _default.extract(source, path=path, id=id)


def _error(err: Exception | None) -> Exception:
    """The error of an item that could not be read (``_run_safe`` records one for each such item)."""
    assert err is not None
    return err
