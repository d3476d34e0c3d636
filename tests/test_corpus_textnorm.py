"""Normalisation used to match quotes and people across articles."""

from quotegraph.corpus import textnorm as tn

FULL = "We will not back down. We will protect every family in this state, whatever it costs."


def cmp(a: str, b: str):
    return tn.compare(tn.quote_tokens(a), tn.quote_tokens(b))


def test_tokens_lowercase_words_and_markers():
    assert tn.quote_tokens("“We’ll NOT back down…” [sic]") == ["we'll", "not", "back", "down", tn.EDIT]
    assert tn.quote_tokens("We will ... win") == ["we", "will", tn.ELLIPSIS, "win"]
    assert tn.quote_tokens("We will [...] win") == ["we", "will", tn.ELLIPSIS, "win"]
    assert tn.quote_tokens("[W]e will win") == ["we", "will", "win"]  # a case change is no edit
    assert tn.quote_tokens("[The mayor] will win") == [tn.EDIT, "will", "win"]


def test_abridged_edited_and_repunctuated_reports_match_without_changes():
    for other in (
        "We will not back down ... whatever it costs.",
        "[The governor] will protect every family in this state, whatever it costs",
        "WE WILL NOT BACK DOWN -- we will protect every family in this state whatever it costs!",
        "protect every family in this state",  # a partial quote
    ):
        c = cmp(other, FULL)
        assert c.containment == 1.0, other
        assert not c.changed, other


def test_changed_words_are_flagged():
    c = cmp("We will not back down. We will protect every household in this state, whatever it costs.", FULL)
    assert c.containment >= 0.8 and c.changed
    c = cmp("We will absolutely not back down. We will protect every family in this state, whatever it costs.", FULL)
    assert c.changed


def test_different_statements_do_not_contain_each_other():
    c = cmp("We will raise taxes on every family in this state next year.", FULL)
    assert c.containment < 0.8


def test_shingles_do_not_cross_ellipses():
    a = tn.shingles(tn.quote_tokens("one two three ... four five six"))
    b = tn.shingles(tn.quote_tokens("one two three four five six"))
    assert a < b and len(a) == 2


def test_name_keys():
    assert tn.name_key("Attorney General Jeff Sessions") == "jeff sessions"
    assert tn.name_key("Jeff B. Sessions Jr.") == "jeff sessions"
    assert tn.name_key("Sen. Anna Smith") == tn.name_key("Anna Smith") != tn.name_key("Robert Smith")
    assert tn.name_key("José Álvarez") == "jose alvarez"
    assert tn.name_key("Sessions") == "sessions"


def test_dates_sort_as_strings():
    assert tn.norm_date("2024-03-14T09:30:00Z") == "2024-03-14T09:30:00"
    assert tn.norm_date("2024-03-14T11:30:00+02:00") == "2024-03-14T09:30:00"
    assert tn.norm_date("2024-03-14") == "2024-03-14"
    assert tn.norm_date("14 March 2024") == "2024-03-14"
    assert tn.norm_date("not a date") is None
    assert tn.outlet_from_url("https://www.example.com/a/b") == "example.com"
