"""The web as input: a polite HTTP client (``client``), what a fetched document is and the links
a feed or sitemap lists (``discover``), and the walk from a URL to its article pages (``walk``).
docs/fetching.md."""

from ..readers import is_url
from .client import USER_AGENT, Fetcher, FetchOptions, Response
from .discover import Link, parse_date
from .walk import Cache, Kept, Page, Walker, WalkStats, page_source

__all__ = ["USER_AGENT", "Cache", "FetchOptions", "Fetcher", "Kept", "Link", "Page", "Response", "WalkStats", "Walker",
           "is_url", "page_source", "parse_date"]
