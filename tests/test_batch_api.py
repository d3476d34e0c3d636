"""The library's entry points on hand-written inputs: ``extract`` (id, path, format),
``extract_path``, ``extract_source``, ``extract_many`` (item forms, order, batches, errors)."""

from __future__ import annotations

import hashlib

import pytest

from quotegraph import Extractor, Options
from quotegraph.errors import InputError, QuotegraphError
from quotegraph.pipeline.nlp import load_model
from quotegraph.read.readers import read_string

GOOD = "\u201cWe will win the vote on Tuesday,\u201d Senator Maria Okafor said."
GOOD_QUOTE = "We will win the vote on Tuesday,"
HTML = "<html><body><p>\u201cThe vote is on Tuesday,\u201d Okafor said.</p></body></html>"
# 15 words, no speaker anywhere: reported only while min_unattributed_words <= 15
PULL = "The depot is empty.\n\n\u201cWe will not allow this city to be sold off one block at a time.\u201d\n"


@pytest.fixture(scope="module")
def nlp():
    return load_model()


@pytest.fixture  # per test, so that mutmut credits each test with Extractor.__init__
def ex(nlp):
    return Extractor(Options(acts="all"), nlp=nlp)  # PULL below is a quotation with no source


class _Recorder:
    """The real parser, recording the texts of each batch it is handed."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.batches: list[list[str]] = []

    def pipe(self, texts, batch_size=64):
        texts = list(texts)
        self.batches.append(texts)
        return [self.nlp(t) for t in texts]


def test_extract_takes_the_given_id_and_path(ex):
    art = ex.extract(GOOD, path="notes/okafor.txt", id="okafor-1")
    assert (art.id, art.path, art.format) == ("okafor-1", "notes/okafor.txt", "text")
    assert [q.text for q in art.quotes] == [GOOD_QUOTE]


def test_without_an_id_the_article_id_is_the_content_hash(ex):
    art = ex.extract(GOOD)
    assert art.id == hashlib.sha256(GOOD.encode("utf-8")).hexdigest()[:16]
    assert art.path is None  # a string has no path
    assert ex.extract(GOOD + " ").id != art.id


def test_format_is_sniffed_given_by_the_path_or_forced(ex):
    assert ex.extract(HTML).format == "html"
    assert [q.text for q in ex.extract(HTML).quotes] == ["The vote is on Tuesday,"]
    forced = ex.extract(HTML, format="text")
    assert forced.format == "text" and forced.text == HTML  # kept verbatim, tags and all
    with pytest.raises(InputError, match=r"^page\.html: no article text found"):
        ex.extract("just some words", path="page.html")  # the extension says HTML


def test_extract_path_reads_the_file_and_names_it(ex, tmp_path):
    f = tmp_path / "okafor.txt"
    f.write_text(GOOD, encoding="utf-8")
    art = ex.extract_path(str(f))
    assert art.path == str(f) and art.text == GOOD and [q.text for q in art.quotes] == [GOOD_QUOTE]
    h = tmp_path / "okafor.html"
    h.write_text(HTML, encoding="utf-8")
    assert ex.extract_path(str(h)).format == "html"


def test_extract_path_refuses_a_file_over_max_bytes_naming_it(nlp, tmp_path):
    f = tmp_path / "big.txt"
    f.write_text(GOOD, encoding="utf-8")
    small = Extractor(Options(max_bytes=20), nlp=nlp)
    with pytest.raises(InputError, match=r"big\.txt: too large \(\d+ bytes; the limit is 20"):
        small.extract_path(str(f))
    with pytest.raises(InputError, match="is a directory"):
        small.extract_path(str(tmp_path))


def test_extract_source_keeps_the_source_name_and_the_given_id(ex):
    art = ex.extract_source(read_string(GOOD, name="wire/okafor.txt"), id="w1")
    assert (art.id, art.path, [q.text for q in art.quotes]) == ("w1", "wire/okafor.txt", [GOOD_QUOTE])


def test_extract_many_takes_texts_pairs_and_sources_in_input_order(ex):
    out = list(ex.extract_many([read_string(GOOD, name="a.txt"), (GOOD, "b.txt"), GOOD, ("   ", "blank.txt"), HTML]))
    assert [type(o).__name__ for o in out] == ["Article", "Article", "Article", "InputError", "Article"]
    assert [o.path for o in out if not isinstance(o, Exception)] == ["a.txt", "b.txt", None, None]
    assert str(out[3]) == "blank.txt: empty input"
    assert [[q.text for q in o.quotes] for o in (out[0], out[1], out[2])] == [[GOOD_QUOTE]] * 3
    assert out[4].format == "html" and [q.text for q in out[4].quotes] == ["The vote is on Tuesday,"]


def test_extract_many_gives_what_extract_gives(ex):
    texts = [GOOD, PULL, HTML]
    assert list(ex.extract_many(texts)) == [ex.extract(t) for t in texts]


@pytest.mark.parametrize("per_batch,sizes", [(None, [5]), (2, [2, 2, 1]), (1, [1, 1, 1, 1, 1]), (5, [5])])
def test_extract_many_parses_in_batches_of_the_given_number_of_articles(nlp, per_batch, sizes):
    rec = _Recorder(nlp)
    texts = [f"\u201cWe will win vote {i},\u201d Senator Maria Okafor said." for i in range(5)]
    out = list(Extractor(Options(), nlp=rec).extract_many(texts, batch_articles=per_batch))
    assert [len(b) for b in rec.batches] == sizes  # one paragraph each: the batch's articles
    assert [o.quotes[0].text for o in out] == [f"We will win vote {i}," for i in range(5)]


def test_extract_many_of_nothing_yields_nothing(ex):
    assert list(ex.extract_many([])) == []


def test_a_bad_item_in_a_batch_leaves_the_others_parsed_together(nlp):
    rec = _Recorder(nlp)
    out = list(Extractor(Options(acts="all"), nlp=rec).extract_many(["", GOOD, ("\x00\x00", "nul.txt"), PULL]))  # PULL: a quotation with no source
    assert isinstance(out[0], InputError) and str(out[0]) == "<string>: empty input"
    assert isinstance(out[2], QuotegraphError) and str(out[2]).startswith("nul.txt: ")
    assert [q.text for q in out[1].quotes] == [GOOD_QUOTE] and len(out[3].quotes) == 1
    assert len(rec.batches) == 1  # the good ones in one parse, no fallback


def test_the_module_extract_honours_options_id_and_path():
    from quotegraph import extract

    pull = "We will not allow this city to be sold off one block at a time."
    art = extract(PULL, path="pull.txt", id="p1", options=Options(acts="all"))  # PULL: a quotation with no source
    assert (art.id, art.path, [q.text for q in art.quotes]) == ("p1", "pull.txt", [pull])
    art = extract(PULL, path="pull.txt", id="p2", options=Options(acts="all", min_unattributed_words=16))
    assert (art.id, art.path, art.quotes) == ("p2", "pull.txt", [])
    # the default options again: statements from a source only
    assert extract(PULL).quotes == [] and [q.text for q in extract(GOOD).quotes] == [GOOD_QUOTE]


def test_min_confidence_drops_the_attributions_scored_below_it(nlp):
    text = GOOD + "\n\n" + PULL
    default = Extractor(Options(acts="all"), nlp=nlp).extract(text)  # PULL: a quotation with no source
    assert [q.text for q in default.quotes] == [GOOD_QUOTE, "We will not allow this city to be sold off one block at a time."]
    assert all(0 < q.confidence < 1 and round(q.confidence, 3) == q.confidence for q in default.quotes)
    assert Extractor(Options(acts="all", min_confidence=1.01), nlp=nlp).extract(text).quotes == []
    keep_all = Extractor(Options(acts="all", min_confidence=0), nlp=nlp).extract(text)
    assert [q.text for q in keep_all.quotes] == [q.text for q in default.quotes]
    lowest = min(q.confidence for q in default.quotes)
    just_above = Extractor(Options(acts="all", min_confidence=lowest + 0.001), nlp=nlp).extract(text)
    assert [q.confidence for q in just_above.quotes] == [q.confidence for q in default.quotes if q.confidence > lowest]


def test_extract_many_in_two_processes_with_the_default_batches():
    # the records are written here by hand (not compared with the one-process run), so that the
    # test runs only Extractor's own process plumbing in this process
    ex = Extractor(n_process=2)
    try:
        out = list(ex.extract_many([GOOD, ("   ", "blank.txt"), (HTML, "page.html")]))
    finally:
        ex.close()
    assert [type(o).__name__ for o in out] == ["Article", "InputError", "Article"]
    assert [(q.text, q.speaker.name) for q in out[0].quotes] == [(GOOD_QUOTE, "Maria Okafor")]
    assert str(out[1]) == "blank.txt: empty input"
    assert (out[2].path, out[2].format, [q.text for q in out[2].quotes]) == ("page.html", "html", ["The vote is on Tuesday,"])


def test_an_html_page_gives_its_title_publisher_authors_date_and_url(ex):
    page = ('<html><head><title>Depot sold</title><meta name="author" content="Sarah Kline">'
            '<meta property="og:site_name" content="Riverton Herald"><meta property="article:published_time" content="2024-03-12">'
            '<link rel="canonical" href="https://herald.example/depot-sold"></head><body><article><h1>Depot sold</h1>'
            '<p>The board voted on Monday to sell the Harbour Street depot to a housing trust for two million.</p>'
            '<p>\u201cWe will not let the depot rot,\u201d said board chair Nora Quist on Monday.</p></article></body></html>')
    art = ex.extract(page, path="herald/depot.html")
    assert (art.title, art.publisher, art.authors, art.date, art.url, art.format, art.path) == (
        "Depot sold", "Riverton Herald", ["Sarah Kline"], "2024-03-12", "https://herald.example/depot-sold", "html", "herald/depot.html")
    q = art.quotes[0]
    assert (q.text, q.speaker.name, q.speaker.phrase.text, q.cue.text, q.cue.phrase) == (
        "We will not let the depot rot,", "Nora Quist", "board chair Nora Quist", "said", None)
    assert art.text[slice(*q.speaker.phrase.span)] == "board chair Nora Quist"
