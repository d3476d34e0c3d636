"""A news site on 127.0.0.1 for the fetching tests: invented articles, an RSS feed, sitemaps, and
the ways a server goes wrong (404, a timeout, a redirect loop, a huge body, a PDF, robots.txt).

``Site()`` starts ``http.server`` in a thread on a free port; ``site.url(path)``; ``site.log``
holds ``(path, status, request headers)`` of every request, so a test can tell what was fetched
and what answered 304.  Nothing here touches the network beyond the loopback interface.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def article_page(title: str, paragraphs: list[str], *, site: str = "The Harbour Gazette", author: str = "Nadia Okafor",
                 date: str = "2026-03-05", canonical: str | None = None) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}"><meta property="og:title" content="{title}">
<meta name="author" content="{author}"><meta property="article:published_time" content="{date}T08:00:00Z">{link}
</head><body><header><nav><a href="/">Home</a> <a href="/news/">News</a></nav></header>
<article><h1>{title}</h1><p class="byline">By {author}</p>
{body}
</article><footer>Copyright {site}</footer></body></html>"""


FERRY = article_page("Ferry service to resume after storm repairs", [
    "The island ferry will run again on Monday after three weeks of repairs to the storm-damaged pier, the harbour authority said on Thursday.",
    "\u201cWe have rebuilt the landing stage and tested every mooring twice,\u201d said Tomas Lindqvist, the authority's chief engineer. \u201cThe crossings will be safe.\u201d",
    "Residents of the island had relied on a water taxi since the storm, which cost many of them their daily commute to the mainland.",
    "Councillor Amira Haddad told reporters that the council would review the pier's maintenance budget before the winter.",
    "\u201cThis cannot happen again next year,\u201d Haddad said. \u201cPeople lost weeks of work because one pier failed.\u201d",
], date="2026-03-05")

LIBRARY = article_page("Town library to open on Sundays", [
    "The central library will open on Sundays from next month, the town council announced, after a petition signed by four thousand residents.",
    "\u201cStudents told us they had nowhere quiet to work at weekends,\u201d said Grace Mbeki, the head librarian. \u201cNow they will.\u201d",
    "The extra day will be staffed by volunteers for the first six months while the council looks for permanent funding for the service.",
    "Peter Novak, who organised the petition, said he was delighted that the council had listened to the people who use the library most.",
], date="2026-03-02", author="Liam Brennan")

MARKET = article_page("Farmers market moves to the old railway yard", [
    "The weekly farmers market will move to the old railway yard in April, giving its forty stalls room to grow, organisers said.",
    "\u201cWe were turning away new growers every week because the square was full,\u201d said Rosa Castillo, who chairs the market committee.",
    "The railway yard has space for seventy stalls and a covered area for wet days, and it is a short walk from the bus station.",
    "Some traders worried that shoppers would not follow the market, but Castillo said the move had been planned with them for a year.",
], date="2026-01-20", author="Hana Sato")

SCHOOL = article_page("New school bus route for the hill villages", [
    "A new school bus route will serve the three hill villages from September, the education office said in a statement on Friday.",
    "\u201cNo child should walk two miles on a road without a pavement to catch a bus,\u201d said Daniel Osei, the county's transport officer.",
    "Parents had campaigned for the route for two years, collecting evidence of near misses on the narrow lanes above the valley.",
    "The bus will run twice each morning and twice each afternoon, and its timetable will be published in August after a consultation.",
], date="2026-03-06", author="Ines Duarte")

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>The Harbour Gazette</title><link>{base}/</link>
<item><title>Ferry service to resume</title><link>{base}/news/ferry.html</link><pubDate>Thu, 05 Mar 2026 08:00:00 GMT</pubDate></item>
<item><title>Library on Sundays</title><link>/news/library.html</link><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>
<item><title>Market moves</title><link>{base}/news/market.html</link><pubDate>Tue, 20 Jan 2026 08:00:00 GMT</pubDate></item>
</channel></rss>"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sitemap-pages.xml</loc><lastmod>2026-03-06</lastmod></sitemap>
<sitemap><loc>{base}/sitemap-news.xml</loc><lastmod>2026-03-06</lastmod></sitemap>
</sitemapindex>"""

SITEMAP_PAGES = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/ferry.html</loc><lastmod>2026-03-05</lastmod></url>
<url><loc>{base}/news/library.html</loc><lastmod>2026-03-02</lastmod></url>
</urlset>"""

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/news/school.html</loc>
<news:news><news:publication><news:name>The Harbour Gazette</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2026-03-06T07:30:00+00:00</news:publication_date><news:title>New school bus route</news:title></news:news></url>
</urlset>"""


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # a client that hung up (a timeout, a cut-off body)
        pass


@dataclass
class Route:
    body: bytes | Callable[[BaseHTTPRequestHandler], None]
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Site:
    def __init__(self, *, robots: str = "User-agent: *\nDisallow: /private/\n"):
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, int, dict[str, str]]] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.serve(self)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.add("/robots.txt", robots, "text/plain")
        self.add_news()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: str | bytes | Callable, content_type: str = "text/html; charset=utf-8", **kw) -> None:
        if isinstance(body, str):
            body = body.replace("{base}", self.base).encode("utf-8")
        self.routes[path] = Route(body, content_type, **kw)

    def add_news(self) -> None:
        for name, page in (("ferry", FERRY), ("library", LIBRARY), ("market", MARKET), ("school", SCHOOL)):
            self.add(f"/news/{name}.html", page, etag=f'"{name}-v1"', last_modified="Thu, 05 Mar 2026 09:00:00 GMT")
        self.add("/private/memo.html", FERRY)
        self.add("/feed.xml", RSS, "application/rss+xml", etag='"feed-v1"')
        self.add("/sitemap_index.xml", SITEMAP_INDEX, "application/xml", last_modified="Fri, 06 Mar 2026 09:00:00 GMT")
        self.add("/sitemap-pages.xml", SITEMAP_PAGES, "application/xml", etag='"pages-v1"')
        self.add("/sitemap-news.xml", NEWS_SITEMAP, "text/xml", etag='"news-v1"')
        self.add("/report.pdf", b"%PDF-1.4 not an article", "application/pdf")
        self.add("/loop-a", b"", status=302, headers={"Location": "/loop-b"})
        self.add("/loop-b", b"", status=301, headers={"Location": "/loop-a"})
        self.add("/moved.html", b"", status=301, headers={"Location": "/news/library.html"})
        self.add("/slow.html", _slow(3.0))
        self.add("/huge.html", _huge(8 * 1024 * 1024))

    def requests(self, path: str) -> list[tuple[int, dict[str, str]]]:
        with self.lock:
            return [(status, h) for p, status, h in self.log if p == path]

    def serve(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        route = self.routes.get(path)
        headers = {k.lower(): v for k, v in h.headers.items()}
        if route is None:
            status, body, extra, ctype = 404, b"<html><body><p>Not found</p></body></html>", {}, "text/html"
        elif callable(route.body):
            with self.lock:
                self.log.append((path, 200, headers))
            route.body(h)
            return
        elif (route.etag and headers.get("if-none-match") == route.etag) or (
                route.last_modified and headers.get("if-modified-since") == route.last_modified):
            status, body, extra, ctype = 304, b"", {}, route.content_type
        else:
            status, body, ctype = route.status, route.body, route.content_type
            extra = dict(route.headers)
            if route.etag:
                extra["ETag"] = route.etag
            if route.last_modified:
                extra["Last-Modified"] = route.last_modified
        with self.lock:
            self.log.append((path, status, headers))
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        for k, v in extra.items():
            h.send_header(k, v)
        if status != 304:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if status != 304:
            h.wfile.write(body)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _slow(seconds: float) -> Callable[[BaseHTTPRequestHandler], None]:
    def answer(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        try:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "2")
            h.end_headers()
            h.wfile.write(b"ok")
        except OSError:
            pass

    return answer


def _huge(size: int) -> Callable[[BaseHTTPRequestHandler], None]:
    """A page of ``size`` bytes sent without a Content-Length (so only counting the body finds it too large)."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.protocol_version = "HTTP/1.0"
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        chunk = b"<p>" + b"word " * 2000 + b"</p>\n"
        sent = 0
        try:
            while sent < size:
                h.wfile.write(chunk)
                sent += len(chunk)
        except OSError:  # the client stopped reading at its limit
            pass
        h.close_connection = True

    return answer
