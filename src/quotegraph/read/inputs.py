"""The inputs of ``quotegraph extract``: paths (files, ``-``) and http(s) URLs of pages, feeds and
sitemaps, each read into a ``Source`` or the ``InputError`` that says why not, in the order given
(a feed's or sitemap's pages in its order)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InputError, QuotegraphError
from .readers import Source, is_url, read_path


@dataclass
class Inputs:
    """``Inputs(paths, max_bytes).read()`` yields ``(name, Source or error)``; ``listed`` tells
    afterwards whether a URL was a feed or sitemap (so one input gave a list of articles)."""

    paths: list[str]
    max_bytes: int
    fetch: object | None = None  # read.fetch.FetchOptions for the URLs (default: its defaults)
    listed: bool = False

    def read(self) -> Iterator[tuple[str, Source | QuotegraphError]]:
        walker = None
        try:
            for path in self.paths:
                if not is_url(path):
                    try:
                        yield path, read_path(path, max_bytes=self.max_bytes)
                    except QuotegraphError as e:
                        yield path, e
                    continue
                if walker is None:
                    walker = self._walker()
                yield from self._pages(walker, path)
        finally:
            if walker is not None:
                walker.fetcher.close()

    def _walker(self):
        from .fetch import Fetcher, FetchOptions, Walker

        opts = self.fetch if isinstance(self.fetch, FetchOptions) else FetchOptions(max_bytes=self.max_bytes)
        return Walker(Fetcher(opts))

    def _pages(self, walker, url: str) -> Iterator[tuple[str, Source | QuotegraphError]]:
        from .fetch import page_source

        for page in walker.pages(url):
            self.listed = self.listed or page.listed_in is not None
            if page.error is not None:
                yield page.url, InputError(page.url, page.error)
                continue
            try:
                yield page.name, page_source(page, self.max_bytes)
            except InputError as e:
                yield page.url, e
