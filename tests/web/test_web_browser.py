"""End to end in a real headless Chromium (Debian's, driven by Playwright; no browser download).

The store holds the example article, the hand-written test articles, three reports of one
statement in three outlets and hostile articles. Screenshots go to test-artifacts/ (or
$QUOTEGRAPH_TEST_ARTIFACTS)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from web_support import HOSTILE_KEY

from quotegraph.models import Article

SEGMENTS_JS = """() => Array.from(document.querySelectorAll('article.text a.seg')).map(a => ({
  start: +a.dataset.start, end: +a.dataset.end, text: a.textContent, href: a.getAttribute('href'),
  marks: (() => { const m = []; for (let e = a.parentElement; e && !e.matches('article'); e = e.parentElement)
    if (e.matches('span.hl')) m.unshift([e.dataset.q, e.dataset.role, getComputedStyle(e).backgroundColor]); return m; })(),
  visible: a.getBoundingClientRect().width > 0 }))"""


@pytest.fixture()
def page(browser, live):
    ctx = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=live.url)
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    yield pg
    ctx.close()


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [tuple(x) for x in out]


def check_highlights(segs: list[dict], art: Article) -> None:
    """Every highlighted segment gives back its text; each quote's content is exactly its spans."""
    assert segs, "no highlighted segments"
    for s in segs:
        assert art.text[s["start"]:s["end"]] == s["text"], s
        assert s["visible"], s
    for q in art.quotes:
        content = [(s["start"], s["end"]) for s in segs if [q.id, "content"] in [m[:2] for m in s["marks"]]]
        assert merged(content) == merged([tuple(x) for x in q.spans]), q.id
        if q.speaker is not None:
            sp = [(s["start"], s["end"]) for s in segs if [q.id, "speaker"] in [m[:2] for m in s["marks"]]]
            assert merged(sp) == [tuple(q.speaker.span)], q.id


def test_article_page_highlights_match_the_extraction(page, client, seed_key, artifacts):
    art = Article.model_validate(client.get(f"/api/articles/{seed_key}").json())
    page.goto(f"/articles/{seed_key}")
    segs = page.evaluate(SEGMENTS_JS)
    check_highlights(segs, art)
    # one colour per speaker: the outermost content mark's background is the speaker's
    colour_of: dict[str, set] = {}
    for s in segs:
        outer = next((m for m in s["marks"] if m[1] == "content"), None)
        if outer:
            q = art.quote(outer[0])
            who = q.speaker.entity or q.speaker.name if q.speaker else None
            colour_of.setdefault(who, set()).add(outer[2])
    assert all(len(c) == 1 for c in colour_of.values()), colour_of
    named = [w for w in colour_of if w]
    assert len({next(iter(colour_of[w])) for w in named}) == min(len(named), 10)
    assert not page.errors, page.errors


def test_selecting_an_attribution_shows_its_details(page, client, seed_key, artifacts):
    art = Article.model_validate(client.get(f"/api/articles/{seed_key}").json())
    q = next(q for q in art.quotes if len(q.via) >= 2)
    page.goto(f"/articles/{seed_key}")
    card = page.locator(f"#d-{q.id}")
    assert not card.is_visible()
    page.locator(f'article.text a.seg[href="#d-{q.id}"]').first.click()
    assert card.is_visible()
    assert page.locator("section.card:visible").count() == 1
    assert card.locator(".speaker-text").inner_text().startswith(q.speaker.text)
    assert q.speaker.name in card.locator(".who").inner_text()
    assert card.locator(".cue").inner_text() == (q.cue.phrase.text if q.cue.phrase else q.cue.text)
    assert card.locator(".addressee").inner_text() == q.addressee.text
    via = card.locator(".via").inner_text()
    assert re.sub(r"\s+", " ", via).count("←") == len(q.via) - 1
    for v in q.via:
        assert v.text in via
    assert card.locator(".confidence").inner_text() == f"{q.confidence:.2f}"
    if q.also_at:
        assert card.locator(".repeats li").count() == len(q.also_at)
    page.screenshot(path=str(artifacts / "article.png"))
    # the side list: the speaker links to the person's page, which lists the quote
    person = page.locator("aside .people a.person-link", has_text=q.speaker.name).first
    person.click()
    page.wait_for_url(re.compile(r"/people/\d+$"))
    assert page.locator("h1").inner_text().startswith(q.speaker.name)
    assert page.locator("svg.chart.timeline").is_visible()
    assert page.locator(".hits li").count() >= 1
    page.screenshot(path=str(artifacts / "person.png"), full_page=True)
    assert not page.errors, page.errors


def test_keyboard_reaches_and_opens_an_attribution(page, seed_key):
    page.goto(f"/articles/{seed_key}")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('a.seg')"):
            break
    else:
        pytest.fail("no highlighted passage reachable with Tab")
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    assert page.locator(href).is_visible()


def test_details_work_with_javascript_off(browser, live, seed_key, client):
    art = Article.model_validate(client.get(f"/api/articles/{seed_key}").json())
    ctx = browser.new_context(java_script_enabled=False, base_url=live.url)
    try:
        pg = ctx.new_page()
        pg.goto(f"/articles/{seed_key}")
        check_highlights(pg.evaluate(SEGMENTS_JS), art)  # evaluate still runs: only the page's scripts are off
        assert pg.evaluate("() => document.documentElement.classList.contains('js')") is False
        q = art.quotes[0]
        pg.locator(f'article.text a.seg[href="#d-{q.id}"]').first.click()
        assert pg.url.endswith(f"#d-{q.id}")
        assert pg.locator(f"#d-{q.id}").is_visible()
        assert pg.locator("section.card:visible").count() == 1
    finally:
        ctx.close()


PLACES_JS = """(id) => {
  const card = document.getElementById('d-' + id).getBoundingClientRect();
  const pieces = [...document.querySelectorAll('article.text .hl[data-q="' + CSS.escape(id) + '"]')];
  const record = Math.max(...pieces.map(e => e.getBoundingClientRect().bottom));
  return {gap: card.top - record, right: card.right, width: document.documentElement.scrollWidth,
          side: document.querySelector('aside.side').getBoundingClientRect().top - record,
          inPanel: !!document.getElementById('d-' + id).closest('.details')};
}"""


def test_on_a_phone_a_records_details_sit_next_to_it(browser, live, client, seed_key, artifacts):
    art = Article.model_validate(client.get(f"/api/articles/{seed_key}").json())
    q = sorted(art.quotes, key=lambda q: q.span[0])[len(art.quotes) // 2]  # a record in the middle of the text
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, base_url=live.url)
    try:
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.goto(f"/articles/{seed_key}")
        pg.locator(f'article.text a.seg[href="#d-{q.id}"]').first.click()
        assert pg.locator(f"#d-{q.id}").is_visible()
        at = pg.evaluate(PLACES_JS, q.id)
        assert at["side"] > 500, at  # the side panel lies far below the record on a phone ...
        assert 0 <= at["gap"] <= 40, at  # ... and the details sit right under it
        assert at["right"] <= 375 and at["width"] <= 375, at  # within the screen, no sideways scrolling
        pg.screenshot(path=str(artifacts / "article-phone.png"))
        pg.set_viewport_size({"width": 1360, "height": 900})  # a wide screen: back in the side panel
        pg.wait_for_function("(id) => !!document.getElementById('d-' + id).closest('.details')", arg=q.id)
        assert pg.evaluate(PLACES_JS, q.id)["inPanel"]
        assert not errors, errors
    finally:
        ctx.close()


def test_article_page_hides_records_by_kind_in_a_browser(page, client, seed_key):
    art = Article.model_validate(client.get(f"/api/articles/{seed_key}").json())
    kinds = {q.kind for q in art.quotes}
    assert len(kinds) >= 2
    page.goto(f"/articles/{seed_key}")
    keep = sorted(kinds)[0]
    for k in kinds - {keep}:
        page.locator(f'form.records-shown input[name="kind"][value="{k}"]').uncheck()
    page.locator("form.records-shown button[type=submit]").click()
    page.wait_for_url(re.compile(r"kind=" + keep))
    ids = set(page.eval_on_selector_all("section.card", "cs => cs.map(c => c.id.slice(2))"))
    assert ids == {q.id for q in art.quotes if q.kind == keep and q.act == "statement" and q.speaker is not None}
    assert not page.errors, page.errors


def test_paste_page_extracts_highlights_and_downloads(page, artifacts):
    text = ("Harbour board backs new ferry\n\n"
            "\u201cWe will have the new ferry running by June,\u201d harbour master Ines Calder told the board on Monday, "
            "according to the minutes.\n\n"
            "Board member Olu Adeyemi said the timetable was ambitious.\n")
    page.goto("/paste")
    page.fill("#paste-text", text)
    page.click("button[value=show]")
    page.wait_for_selector("article.text a.seg")
    with page.expect_download() as dl:
        page.click("button[value=json]")
    art = Article.model_validate(json.loads(Path(dl.value.path()).read_text(encoding="utf-8")))
    assert art.text == text and art.quotes
    check_highlights(page.evaluate(SEGMENTS_JS), art)
    q = next(q for q in art.quotes if q.kind == "direct")
    page.locator(f'article.text a.seg[href="#d-{q.id}"]').first.click()
    assert "Ines Calder" in page.locator(f"#d-{q.id} .who").inner_text()
    assert "the minutes" in page.locator(f"#d-{q.id} .via").inner_text()
    page.screenshot(path=str(artifacts / "paste.png"))
    # too large: a clear message, not a crash
    page.goto("/paste")
    page.evaluate("(n) => { document.querySelector('#paste-text').value = 'word '.repeat(n); }", 120_000)
    page.click("button[value=show]")
    err = page.locator("#paste-error")
    assert err.is_visible() and "the limit is 512 kB" in err.inner_text()


def test_search_then_a_person_then_a_quotes_occurrences(page, artifacts):
    page.goto("/search")
    page.fill("form.filters input[name=q]", "levee river")
    page.select_option("select[name=kind]", "direct")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(".hits li")
    assert "kind=direct" in page.url
    hit = page.locator(".hit", has_text="rebuild every levee").first
    assert "3 reports" in hit.inner_text()
    page.screenshot(path=str(artifacts / "search.png"))
    hit.locator("a.quote-link").click()
    page.wait_for_url(re.compile(r"/quotes/\d+$"))
    rows = page.locator("tr.occurrence")
    assert rows.count() == 3
    outlets = {rows.nth(i).locator("td").nth(1).inner_text().split("\n")[0].replace(" first seen", "") for i in range(3)}
    assert len(outlets) == 3
    assert page.locator("tr.occurrence.first").count() == 1
    assert page.locator("del.cut, ins.ellipsis").count() >= 1  # the abridged reports
    assert page.locator("tr.occurrence .flag", has_text="other speaker").count() == 1  # Tom Reyes
    page.screenshot(path=str(artifacts / "quote.png"), full_page=True)
    # back to one report in its article, the attribution selected
    rows.nth(1).locator("a", has_text="in the article").click()
    page.wait_for_url(re.compile(r"/articles/\w+#d-q\d+$"))
    qid = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#{qid}").is_visible()
    # a person from the search: the speaker filter narrows to them
    page.goto("/search?q=levee&speaker=Delgado")
    page.locator(".hit a.person-link").first.click()
    page.wait_for_url(re.compile(r"/people/\d+$"))
    assert "Maria Delgado" in page.locator("h1").inner_text()
    assert not page.errors, page.errors


def test_sources_chart(page, artifacts):
    page.goto("/sources")
    chart = page.locator("svg.chart.shares")
    assert chart.is_visible()
    assert chart.locator("rect.src-named").count() >= 3
    page.screenshot(path=str(artifacts / "sources.png"), full_page=True)


HOSTILE_PAGES = ["/", "/articles", "/people", "/sources", "/search?q=win", "/search?q=harbour",
                 "/search?q=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E", "/people?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"]


def test_hostile_content_renders_inert(page, client, artifacts):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    urls = list(HOSTILE_PAGES) + [f"/articles/{HOSTILE_KEY}"]
    for a in client.get("/api/articles", params={"limit": 100}).json()["items"]:
        if (a["source"] or "").endswith(("hostile.html", "hostile.txt")) or "hostile" in (a["given_id"] or ""):
            urls.append(f"/articles/{a['key']}")
    for name in ("Vex", "Okafor", "Whitlock"):
        for p in client.get("/api/people", params={"q": name}).json()["items"]:
            urls.append(f"/people/{p['id']}")
    for hit in client.get("/api/search", params={"q": "win"}).json()["items"]:
        urls.append(f"/quotes/{hit['id']}")
    assert len(urls) > len(HOSTILE_PAGES) + 3
    for url in urls:
        resp = page.goto(url)
        assert resp.status == 200, url
        assert "default-src 'none'" in resp.headers["content-security-policy"]
        # move over and click every highlight and link target that stays on the page
        for seg in page.locator("a.seg").all()[:20]:
            seg.hover()
            seg.click()
        state = page.evaluate("""() => ({
          pwned: window.__pwned === undefined ? null : String(window.__pwned),
          scripts: Array.from(document.scripts).map(s => s.getAttribute('src')),
          handlers: Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes).some(a => /^on/i.test(a.name))).length,
          jslinks: Array.from(document.querySelectorAll('[href],[src],[action]')).filter(e =>
            /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '')).length,
          foreign: document.querySelectorAll('article.text img, article.text svg, article.text iframe, article.text b, main img, main iframe').length,
        })""")
        assert state == {"pwned": None, "scripts": ["/static/app.js"], "handlers": 0, "jslinks": 0, "foreign": 0}, (url, state)
    page.goto(f"/articles/{HOSTILE_KEY}")
    assert "<script>" in page.locator("article.text").inner_text()  # shown as text, as published
    page.screenshot(path=str(artifacts / "hostile.png"))
    # pasted hostile HTML, rendered on the spot
    page.goto("/paste")
    page.fill("#paste-text", (Path(__file__).parent / "fixtures" / "hostile.html").read_text(encoding="utf-8"))
    page.click("button[value=show]")
    page.wait_for_selector("#result")
    for seg in page.locator("a.seg").all()[:20]:
        seg.click()
    assert page.evaluate("() => window.__pwned === undefined")
    assert not dialogs
