"""The paste page's URL: the server fetches one page for the person at the form.

A server that fetches the URLs it is given can be made to reach what only it can reach (SSRF):
the admin page of a router, a cloud's metadata service at 169.254.169.254, a database's HTTP
port.  So it is a setting (``Settings.fetch_urls``, ``serve --fetch-urls``): ``off`` (the default
of an app listening beyond loopback), ``public`` (only hosts whose every address is public, checked
at each redirect hop), ``all`` (the default of ``serve`` on loopback, where the person at the form
is on the machine and could fetch the URL themselves).  The fetch has the command line's limits:
robots.txt, timeouts, a size limit, HTML only.  docs/fetching.md.
"""

from __future__ import annotations

from ..errors import InputError, QuotegraphError
from ..read.fetch import Fetcher, FetchOptions, Walker, page_source
from ..read.fetch.client import HTML_TYPES
from ..read.readers import Source, is_url

FETCH_MODES = ("off", "public", "all")
FETCH_TIMEOUT = 10.0  # seconds; a paste waits for its page


class FetchRefused(QuotegraphError):
    """The server does not fetch this URL (fetching is off, or the URL is not http(s))."""


def fetch_page(url: str, mode: str, max_bytes: int) -> Source:
    """The page at ``url``, read (``InputError`` naming it when it cannot be fetched or read)."""
    if mode not in ("public", "all"):
        raise FetchRefused("This server does not fetch URLs (start it with `quotegraph serve --fetch-urls public`); "
                           "paste the page's text or upload it instead.")
    if not is_url(url):
        raise FetchRefused(f"{url[:200]}: not an http(s) URL")
    opts = FetchOptions(timeout=FETCH_TIMEOUT, retries=1, delay=0.0, max_bytes=max_bytes, destinations=mode)
    with Fetcher(opts) as f:
        [page] = Walker(f).pages(url, HTML_TYPES)  # a page only: no feed or sitemap is walked
    if page.error is not None:
        raise InputError(url, page.error)
    return page_source(page, max_bytes)
