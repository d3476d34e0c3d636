"""Page metadata a reporter would write down (issue 24): clean author names, the headline, the
publisher, the URL and the language. Every page and byline here is invented."""

from __future__ import annotations

import json

from quotegraph.read.bylines import choose_authors, clean_authors, is_organisation
from quotegraph.read.html import html_to_layout

BODY = """
<p>The river authority agreed on Monday to rebuild the weir below the old mill, after two winters in which
the meadows downstream flooded and the footpath to the village was closed for weeks at a time.</p>
<p>"The weir has held for ninety years and it deserves to hold for ninety more," said Rosa Imbert, who chairs
the authority, after a meeting that ran well past midnight.</p>
<p>Work begins in the summer, when the water is lowest, and should take about four months to finish.</p>
"""


def page(head: str = "", h1: str = "Weir below the mill to be rebuilt", title: str | None = None,
         before: str = "", body: str = BODY, lang: str = "en") -> str:
    return (f"<!DOCTYPE html><html lang='{lang}'><head><title>{title or h1}</title>{head}</head><body>{before}"
            f"<article><h1>{h1}</h1>{body}</article></body></html>")


def meta(prop: str, content: str) -> str:
    return f'<meta property="{prop}" name="{prop}" content="{content}">'


def ld(obj) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


# ---------------------------------------------------------------- authors: the kinds of error


def test_by_prefixes_and_placeholders_are_no_names():
    assert clean_authors(["By Rosa Imbert"]) == ["Rosa Imbert"]
    assert clean_authors(["Written by: Rosa Imbert"]) == ["Rosa Imbert"]
    assert clean_authors(["Article by"]) == []
    assert clean_authors(["Username"]) == []
    assert clean_authors(["No Author"]) == []
    assert clean_authors(["Article by Tomas Weir"]) == ["Tomas Weir"]


def test_dates_and_weekdays_after_a_name_are_cut():
    assert clean_authors(["Lena Marsh Monday"]) == ["Lena Marsh"]
    assert clean_authors(["Lena Marsh, Tue."]) == ["Lena Marsh"]
    assert clean_authors(["Lena Marsh Thursday, 4 July 2024"]) == ["Lena Marsh"]
    assert clean_authors(["Lena Sunday"]) == ["Lena Sunday"]  # a weekday is cut only when a whole name is left


def test_credentials_are_not_a_second_author():
    assert clean_authors(["Brenna Holt, MA"]) == ["Brenna Holt"]
    assert clean_authors(["Brenna Holt, MD, PhD and Omar Vance, RN"]) == ["Brenna Holt", "Omar Vance"]
    assert clean_authors(["Brenna Holt MPH"]) == ["Brenna Holt"]
    assert clean_authors(["Perry Lamb Jr."]) == ["Perry Lamb Jr."]  # a suffix stays with its name


def test_section_words_and_the_outlets_name_after_a_name_are_cut():
    assert clean_authors(["Nils Amberg Games"]) == ["Nils Amberg"]
    assert clean_authors(["Nils Amberg, Weir Weekly"], "Weir Weekly") == ["Nils Amberg"]
    assert clean_authors(["Nils Amberg, Millbrook.com"]) == ["Nils Amberg"]
    assert clean_authors(["ODA PRUITT Associated Press"]) == ["Oda Pruitt"]


def test_organisation_bylines_give_no_author():
    assert clean_authors(["Reuters"]) == []
    assert clean_authors(["The Associated Press"]) == []
    assert clean_authors(["Valley News"]) == []
    assert clean_authors(["Meadow Sport"]) == []
    assert clean_authors(["Kestrel Media News Desk"]) == []
    assert clean_authors(["Orbit"], "Orbit Bulletin") == []  # a one-word part of the outlet's name
    assert clean_authors(["Orbit Bulletin"], sites=["Orbit Bulletin | River news"]) == []
    assert clean_authors(["The Northern and Western water boards"]) == []
    assert is_organisation("Millbrook Foundation") and not is_organisation("Rosa Imbert")


def test_several_authors_are_split_in_order():
    assert clean_authors(["By Ada Brook, Ben Carver and Cleo Dunn"]) == ["Ada Brook", "Ben Carver", "Cleo Dunn"]
    assert clean_authors(["ADA BROOK, BEN CARVER and CLEO DUNN"]) == ["Ada Brook", "Ben Carver", "Cleo Dunn"]
    assert clean_authors(["Ada Brook; Ben Carver"]) == ["Ada Brook", "Ben Carver"]


def test_one_word_user_names_the_page_never_shows_are_dropped_or_completed():
    shown = "Weir below the mill to be rebuilt By Rhea Walsh Date 5 June 2024 The river authority..."
    assert choose_authors([["Rhea"]], shown) == ["Rhea Walsh"]
    assert choose_authors([["Kwrvx"]], shown) == []
    assert choose_authors([["Walsh"]], "... by Walsh, 5 June ...") == ["Walsh"]  # shown as a word: kept
    assert choose_authors([["Ida K"]], "By : Ida K. At the weir") == ["Ida K."]  # the initial's period


def test_an_organisation_author_in_json_ld_is_the_publisher_not_an_author():
    head = ld({"@type": "NewsArticle", "headline": "Weir below the mill to be rebuilt",
               "author": {"@type": "Organization", "name": "Science Z"},
               "publisher": {"@type": "Organization", "name": "Millbrook Wire"}})
    lay = html_to_layout(page(head), "p.html")
    assert lay.authors == [] and lay.publisher == "Millbrook Wire"


def test_the_outlets_name_as_meta_author_is_no_author():
    head = meta("og:site_name", "Millbrook Courier") + meta("author", "Millbrook Courier")
    assert html_to_layout(page(head), "p.html").authors == []


def test_keywords_are_never_authors():
    head = '<meta name="keywords" content="Weir, Rosa Imbert, Flooding"><meta name="author" content="Rosa Imbert, Flooding">'
    assert html_to_layout(page(head), "p.html").authors == []


def test_related_articles_in_json_ld_never_give_the_authors():
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "Weir below the mill to be rebuilt", "relatedLink": [
            {"@type": "NewsArticle", "headline": "Footpath reopens", "author": {"@type": "Person", "name": "Gus Fenn"}}]},
        {"@type": "NewsArticle", "headline": "Weir below the mill to be rebuilt",
         "author": {"@type": "Person", "name": "Rosa Lind"}}]}
    lay = html_to_layout(page(ld(graph), before="<p>By Rosa Lind</p>"), "p.html")
    assert lay.authors == ["Rosa Lind"]


# ---------------------------------------------------------------- the headline


def test_a_section_name_is_not_the_title():
    # og:title names the section, <title> has the headline with the section and site after it
    head = meta("og:title", "Pollen Health Center") + meta("og:site_name", "Valley Health")
    lay = html_to_layout(page(head, h1="Why pollen counts rise in April",
                              title="Why pollen counts rise in April - Pollen Health Center - Valley Health"), "p.html")
    assert lay.title == "Why pollen counts rise in April"
    sections = page("", h1="Weir below the mill to be rebuilt", title="Weir below the mill to be rebuilt | Millbrook Courier",
                    before="<header><h1>Sections</h1></header>")
    assert html_to_layout(sections, "s.html").title == "Weir below the mill to be rebuilt"


def test_the_shown_headline_wins_when_a_title_source_agrees_with_it():
    # JSON-LD's headline is an SEO variant; the <h1> is confirmed by og:title
    head = (ld({"@type": "NewsArticle", "headline": "Millbrook weir rebuild approved by river authority"})
            + meta("og:title", "Weir below the mill to be rebuilt"))
    assert html_to_layout(page(head), "p.html").title == "Weir below the mill to be rebuilt"
    # a JSON-LD headline cut short: the whole <h1>
    cut = ld({"@type": "NewsArticle", "headline": "Weir below the old mill to be rebuilt after two winters of"})
    h1 = "Weir below the old mill to be rebuilt after two winters of floods"
    assert html_to_layout(page(cut, h1=h1, title="Rebuild"), "c.html").title == h1
    # a section label before the headline, in og:title or in the <h1>
    opinion = meta("og:title", "Opinion | Weir below the mill to be rebuilt")
    assert html_to_layout(page(opinion, title="x"), "o.html").title == "Weir below the mill to be rebuilt"
    kicker = meta("og:title", "Weir below the mill to be rebuilt")
    assert html_to_layout(page(kicker, h1="Politics | Weir below the mill to be rebuilt", title="x"), "k.html").title == (
        "Weir below the mill to be rebuilt")


def test_the_site_name_is_cut_from_a_title_and_a_lone_title_tag():
    head = ld({"@type": "NewsArticle", "headline": "Weir below the mill to be rebuilt | MillbrookCourier"}) + meta(
        "og:site_name", "MillbrookCourier")
    assert html_to_layout(page(head, h1="Weir to be rebuilt", title="x"), "p.html").title == "Weir below the mill to be rebuilt"
    lone = page("", h1="Millbrook Courier", title="Weir below the mill to be rebuilt - Millbrook Courier")
    assert html_to_layout(lone, "l.html").title == "Weir below the mill to be rebuilt"


# ---------------------------------------------------------------- publisher, URL, language


def test_publisher_from_site_name_title_suffix_or_domain():
    blog = ld({"@type": "BlogPosting", "headline": "Weir below the mill to be rebuilt",
               "publisher": {"@type": "Organization", "name": "Blogger"}}) + meta("og:site_name", "Millbrook Notes")
    assert html_to_layout(page(blog), "b.html").publisher == "Millbrook Notes"
    suffix = page("", title="Weir below the mill to be rebuilt - The Millbrook Times")
    assert html_to_layout(suffix, "t.html").publisher == "The Millbrook Times"
    sub = '<link rel="canonical" href="https://blog.millbrook.example/weir">'
    assert html_to_layout(page(sub), "d.html").publisher == "millbrook.example"


def test_the_canonical_link_is_the_url_before_json_ld():
    head = ld({"@type": "NewsArticle", "headline": "Weir below the mill to be rebuilt", "url": "https://millbrook.example/"})
    head += '<link rel="canonical" href="https://millbrook.example/2024/06/weir">'
    assert html_to_layout(page(head), "p.html").url == "https://millbrook.example/2024/06/weir"


def test_language_as_the_page_declares_it():
    assert html_to_layout(page(lang="en-gb"), "p.html").language == "en-GB"
    declared = '<meta http-equiv="content-language" content="de">'
    assert html_to_layout(page(declared, lang="en"), "p.html").language == "de"
    locale = meta("og:locale", "pt_BR")
    assert html_to_layout(page(locale, lang=""), "p.html").language == "pt-BR"
    # no declaration: read from the text's commonest words
    assert html_to_layout(page(lang=""), "p.html").language == "en"


def test_an_undeclared_language_is_read_from_the_text():
    from quotegraph.read.pagemeta import guess_language

    german = ("Der Flussverband hat am Montag beschlossen, das Wehr unter der alten Mühle neu zu bauen. Die Wiesen "
              "wurden in zwei Wintern überflutet, und der Weg in das Dorf war für Wochen gesperrt. Die Arbeiten "
              "beginnen im Sommer, wenn das Wasser am niedrigsten ist, und sie dauern etwa vier Monate.")
    assert guess_language(german) == "de"
    assert guess_language(BODY) == "en"
    assert guess_language("Weir rebuilt") is None  # too short to tell


def test_the_date_is_the_publishers_day_the_page_shows_not_the_utc_day():
    # 00:04 UTC on the 19th is the evening of the 18th where it was published, as the byline shows
    head = ld({"@type": "NewsArticle", "headline": "Weir below the mill to be rebuilt", "datePublished": "2024-06-19T00:04:00Z"})
    byline = "<p class='byline'>By Rosa Lind June 18, 2024 8:04 pm ET</p>"
    lay = html_to_layout(page(head, body=byline + BODY), "p.html")
    assert lay.date == "2024-06-18"
    # a date further off, or none shown, leaves the time stamp's day
    far = "<p class='byline'>By Rosa Lind June 12, 2024</p>"
    assert html_to_layout(page(head, body=far + BODY), "f.html").date == "2024-06-19"
    assert html_to_layout(page(head), "n.html").date == "2024-06-19"
