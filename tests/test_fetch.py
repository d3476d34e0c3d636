"""The polite client, feed and sitemap discovery and the walk, against a news site on loopback
(tests/local_site.py): no extractor, no internet."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from quotegraph.errors import InputError
from quotegraph.read.fetch import USER_AGENT, Fetcher, FetchOptions, Kept, Link, Walker, page_source, parse_date
from quotegraph.read.fetch.discover import FEED, SITEMAP, SITEMAP_INDEX, kind_of, links


@pytest.fixture
def opened():
    """``opened(fetcher)``: closed after the test (its connections)."""
    made: list[Fetcher] = []
    yield lambda f: made.append(f) or f
    for f in made:
        f.close()


def fetcher(**kw) -> Fetcher:
    kw.setdefault("delay", 0.0)
    kw.setdefault("retries", 0)
    kw.setdefault("timeout", 2.0)
    return Fetcher(FetchOptions(**kw))


def failure(f: Fetcher, url: str) -> str:
    with pytest.raises(InputError) as e:
        f.fetch(url)
    assert e.value.name == url  # the error names the URL asked for
    return e.value.reason


def test_a_page_is_fetched_with_an_honest_user_agent_and_its_validators(site):
    with fetcher() as f:
        r = f.fetch(site.url("/news/ferry.html"))
    assert r.status == 200 and r.final_url == site.url("/news/ferry.html")
    assert b"Tomas Lindqvist" in r.body and r.etag == '"ferry-v1"'
    [(_, headers)] = site.requests("/news/ferry.html")
    assert headers["user-agent"] == USER_AGENT and USER_AGENT.startswith("quotegraph/") and "news-quote extractor" in USER_AGENT
    assert "gzip" in headers["accept-encoding"]
    assert site.requests("/robots.txt"), "robots.txt is read before the first page of a host"


def test_failures_name_the_url_and_say_why(site):
    with fetcher(timeout=0.5, max_bytes=1_000_000) as f:
        assert failure(f, site.url("/missing.html")) == "HTTP 404 Not Found"
        assert failure(f, site.url("/slow.html")).startswith("timed out (no answer within 0.5 s")
        loop = failure(f, site.url("/loop-a"))
        assert loop.startswith("redirect loop (") and "/loop-b" in loop
        assert failure(f, site.url("/huge.html")) == "too large (cut off after 1,000,000 bytes, the limit)"
        assert failure(f, site.url("/report.pdf")) == "not an HTML page, feed or sitemap (Content-Type application/pdf)"
        assert failure(f, site.url("/private/memo.html")) == (
            f"not fetched: robots.txt of {site.base[7:]} disallows /private/memo.html")
    assert not site.requests("/private/memo.html"), "a path robots.txt disallows is never asked for"


def test_a_huge_body_is_not_read_whole(site):
    site.add("/declared.html", b"x" * 3_000_000)  # with its Content-Length: refused before reading
    with fetcher(max_bytes=1_000_000) as f:
        assert failure(f, site.url("/declared.html")) == "too large (3,000,000 bytes; the limit is 1,000,000; not read)"


def test_redirects_are_followed_up_to_a_limit(site):
    for i in range(4):
        site.add(f"/hop{i}", b"", status=302, headers={"Location": f"/hop{i + 1}"})
    site.add("/hop4", "<html><body><p>arrived</p></body></html>")
    with fetcher() as f:
        r = f.fetch(site.url("/hop0"))
        assert r.final_url == site.url("/hop4") and len(r.redirects) == 4
    with fetcher(max_redirects=3) as f:
        assert failure(f, site.url("/hop0")) == f"too many redirects (more than 3; last to {site.url('/hop4')})"


def test_retries_back_off_after_429_and_5xx(site, opened):
    answers = iter([503, 429, 200])

    def flaky(h):
        status = next(answers)
        body = b"<html><body><p>back again</p></body></html>" if status == 200 else b""
        h.send_response(status)
        if status == 429:
            h.send_header("Retry-After", "3")
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    site.add("/flaky.html", flaky)
    waits: list[float] = []
    f = opened(Fetcher(FetchOptions(delay=0, retries=2, backoff=0.5), sleep=waits.append))
    r = f.fetch(site.url("/flaky.html"))
    assert r.body.endswith(b"back again</p></body></html>")
    assert waits == [0.5, 3.0]  # the backoff first, then the server's Retry-After
    site.add("/down.html", b"", status=503)
    assert failure(f, site.url("/down.html")) == "HTTP 503 Service Unavailable (after 3 tries)"


class Clock:
    """A clock that the fetcher's waits move on (and a request takes no time)."""

    def __init__(self):
        self.now = 1000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.waits.append(s)
        self.now += s


def test_one_host_is_asked_at_most_once_a_delay(site):
    c = Clock()
    f = Fetcher(FetchOptions(delay=5.0, retries=0), sleep=c.sleep, clock=c)
    f.fetch(site.url("/news/ferry.html"))
    f.fetch(site.url("/news/library.html"))
    c.now += 2.0  # two seconds later: three more to wait
    f.fetch(site.url("/news/school.html"))
    f.close()
    assert c.waits == [5.0, 5.0, 3.0]  # robots.txt, then each page the delay after the request before


def test_crawl_delay_of_robots_txt_is_honoured(site):
    site.add("/robots.txt", "User-agent: *\nCrawl-delay: 7\n", "text/plain")
    c = Clock()
    f = Fetcher(FetchOptions(delay=0.0, retries=0), sleep=c.sleep, clock=c)
    f.fetch(site.url("/news/ferry.html"))
    f.fetch(site.url("/news/library.html"))
    f.close()
    assert c.waits == [7.0, 7.0]  # each page 7 s after the request before (robots.txt, then the first page)


def test_a_conditional_request_answers_304_without_a_body(site):
    with fetcher() as f:
        r = f.fetch(site.url("/news/ferry.html"), etag='"ferry-v1"')
    assert r.not_modified and r.body == b"" and r.etag == '"ferry-v1"'
    assert site.requests("/news/ferry.html")[-1][1]["if-none-match"] == '"ferry-v1"'


def test_public_only_refuses_loopback(site):
    with fetcher(destinations="public") as f:
        assert "is a local or private address (127.0.0.1)" in failure(f, site.url("/news/ferry.html"))
    assert not site.requests("/news/ferry.html")


def test_feeds_and_sitemaps_are_told_by_their_content():
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>/a</link><pubDate>Thu, 05 Mar 2026 08:00:00 GMT</pubDate></item></channel></rss>'
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="https://x.example/b"/>'
            b'<link rel="enclosure" href="https://x.example/b.mp3"/><updated>2026-03-01T10:00:00Z</updated></entry></feed>')
    index = b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://x.example/s1.xml</loc></sitemap></sitemapindex>'
    kind, root = kind_of(rss)
    assert kind == FEED and links(kind, root, "https://x.example/feed") == [
        Link("https://x.example/a", datetime(2026, 3, 5, 8, tzinfo=UTC))]
    kind, root = kind_of(atom)
    assert kind == FEED and [(x.url, x.date) for x in links(kind, root, "")] == [
        ("https://x.example/b", datetime(2026, 3, 1, 10, tzinfo=UTC))]
    kind, root = kind_of(index)
    assert kind == SITEMAP_INDEX and [x.url for x in links(kind, root, "")] == ["https://x.example/s1.xml"]
    assert kind_of(b"<!DOCTYPE html><html><body><p>a page</p></body></html>")[0] == "page"
    assert kind_of(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset>&e;</urlset>')[0] == SITEMAP


def test_dates_of_feeds_and_sitemaps():
    assert parse_date("2026-03-06") == datetime(2026, 3, 6, tzinfo=UTC)
    assert parse_date("2026-03-06T07:30:00+02:00") == datetime(2026, 3, 6, 5, 30, tzinfo=UTC)
    assert parse_date("Fri, 06 Mar 2026 07:30:00 GMT") == datetime(2026, 3, 6, 7, 30, tzinfo=UTC)
    assert parse_date("last Tuesday") is None and parse_date("") is None


def test_a_feed_gives_its_pages_in_order(site, opened):
    w = Walker(opened(fetcher()))
    pages = list(w.pages(site.url("/feed.xml")))
    assert [p.url for p in pages] == [site.url(f"/news/{n}.html") for n in ("ferry", "library", "market")]
    assert all(p.error is None and p.listed_in == site.url("/feed.xml") for p in pages)
    src = page_source(pages[1], 1 << 20)
    assert src.name == src.url == site.url("/news/library.html") and src.format == "html"
    assert (w.stats.listed, w.stats.fetched, w.stats.pages) == (3, 4, 3)


def test_a_sitemap_index_gives_the_pages_of_its_sitemaps_news_sitemaps_too(site, opened):
    w = Walker(opened(fetcher()))
    pages = list(w.pages(site.url("/sitemap_index.xml")))
    assert [p.url for p in pages] == [site.url(f"/news/{n}.html") for n in ("ferry", "library", "school")]
    assert pages[2].listed_in == site.url("/sitemap-news.xml")


def test_a_gzipped_sitemap(site, opened):
    site.add("/sitemap.xml.gz", gzip.compress(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{site.base}/news/ferry.html</loc></url></urlset>'.encode()),
        "application/x-gzip")
    pages = list(Walker(opened(fetcher())).pages(site.url("/sitemap.xml.gz")))
    assert [(p.url, p.error) for p in pages] == [(site.url("/news/ferry.html"), None)]


def test_since_skips_older_entries_unfetched(site, opened):
    w = Walker(opened(fetcher()), since=datetime(2026, 3, 1, tzinfo=UTC))
    pages = list(w.pages(site.url("/feed.xml")))
    assert [p.url for p in pages] == [site.url("/news/ferry.html"), site.url("/news/library.html")]
    assert w.stats.older == 1 and not site.requests("/news/market.html")


def test_a_failed_entry_does_not_stop_the_listing(site, opened):
    site.add("/mixed.xml", """<rss version="2.0"><channel>
<item><link>{base}/gone.html</link></item><item><link>{base}/private/memo.html</link></item>
<item><link>{base}/report.pdf</link></item><item><link>{base}/feed.xml</link></item>
<item><link>{base}/news/school.html</link></item></channel></rss>""", "application/rss+xml")
    pages = list(Walker(opened(fetcher())).pages(site.url("/mixed.xml")))
    assert [(p.url[len(site.base):], p.error) for p in pages] == [
        ("/gone.html", "HTTP 404 Not Found"),
        ("/private/memo.html", f"not fetched: robots.txt of {site.base[7:]} disallows /private/memo.html"),
        ("/report.pdf", "not an HTML page (Content-Type application/pdf)"),
        ("/feed.xml", "not an HTML page (Content-Type application/rss+xml)"),
        ("/news/school.html", None),
    ]


class DictCache:
    def __init__(self):
        self.kept: dict[str, Kept] = {}

    def get(self, url):
        return self.kept.get(url)

    def put(self, kept: Kept):
        self.kept[kept.url] = kept


def test_a_rerun_asks_conditionally_and_downloads_nothing_unchanged(site, opened):
    cache = DictCache()
    first = list(Walker(opened(fetcher()), cache=cache).pages(site.url("/feed.xml")))
    site.log.clear()
    w = Walker(opened(fetcher()), cache=cache)
    again = list(w.pages(site.url("/feed.xml")))
    assert [p.kept.body for p in again] == [p.kept.body for p in first]
    assert [p.fresh for p in again] == [False] * 3
    assert {(path, status) for path, status, _ in site.log} == {
        ("/robots.txt", 200), ("/feed.xml", 304), ("/news/ferry.html", 304), ("/news/library.html", 304),
        ("/news/market.html", 304)}
    assert (w.stats.fetched, w.stats.unchanged) == (0, 4)
    site.add("/news/ferry.html", "<html><body><p>corrected</p></body></html>", etag='"ferry-v2"')
    changed = list(Walker(opened(fetcher()), cache=cache).pages(site.url("/feed.xml")))
    assert [p.fresh for p in changed] == [True, False, False] and cache.kept[site.url("/news/ferry.html")].etag == '"ferry-v2"'


def test_offline_reads_the_kept_copies_only(site, opened):
    cache = DictCache()
    list(Walker(opened(fetcher()), cache=cache).pages(site.url("/news/ferry.html")))
    site.log.clear()
    w = Walker(opened(fetcher()), cache=cache, offline=True)
    [page] = list(w.pages(site.url("/news/ferry.html")))
    [missing] = list(w.pages(site.url("/news/school.html")))
    assert b"Lindqvist" in page.kept.body and site.log == []
    assert missing.error == "not in the store (--offline fetches nothing)"
