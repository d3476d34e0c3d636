"""The rules' vocabulary, in one place: every word list a stage reads (reporting verbs, source
nouns, outlets, titles, pronouns, gendered words, ...), and the learned cue tables' accessors.

The first part holds the lists several stages share; after it, one section per stage module
holds the lists only that module reads (moved here from the stages, names unchanged). A new list
goes here, after a look for one that already says it."""

from __future__ import annotations

from functools import lru_cache

from .learned import store

# Lemmas of verbs that report speech, writing or findings.
CUE_VERBS: frozenset[str] = frozenset(
    """
    say tell add continue state claim argue insist report note explain warn write announce declare
    deny acknowledge admit assert allege testify confirm reply respond answer ask urge recall remark
    comment complain concede contend predict promise vow pledge suggest stress emphasize emphasise
    reiterate repeat maintain observe point indicate reveal disclose mention caution advise recommend
    propose boast joke quip exclaim shout scream whisper murmur mutter tweet post blog find conclude
    detail describe estimate instruct order demand acknowledge agree disagree counter retort lament
    recount conclude determine show announce affirm charge accuse speculate tout brief inform assure
    remind signal hint opine posit proclaim profess plead lament wonder ask question dispute reject
    """.split()
)

# Cues that are only attributions with a clause complement (they are too common otherwise).
WEAK_CUES: frozenset[str] = frozenset(
    "show determine detail describe question wonder charge post signal find conclude order".split()
)

# Cues that take the addressee as their object (tell X that ...).
ADDRESSEE_VERBS: frozenset[str] = frozenset(
    "tell inform assure warn remind brief advise promise instruct urge ask notify caution email text write".split()
)

#: the phrases that name a source the way 'according to' does, as lower-cased words ('per X' is
#: grammar: ``attribute.vias._according_phrase``)
ACCORDING_PHRASES: tuple[tuple[str, ...], ...] = (("according", "to"), ("in", "the", "words", "of"))

# Heads of noun phrases that denote documents or records.
DOCUMENT_NOUNS: frozenset[str] = frozenset(
    """
    report draft notes note memo memorandum email e-mail letter statement filing study survey document
    census tracker database dataset tally timetable schedule
    documents records record transcript analysis audit review poll complaint lawsuit indictment ruling
    opinion order affidavit testimony minutes release paper book data figures findings investigation
    inquiry probe assessment summary dossier brief motion petition warrant contract agreement plan
    proposal bill legislation law text message messages post tweet website guidance policy budget
    estimate estimates forecast projection charter manifesto speech announcement notice
    """.split()
)

# Heads of noun phrases for unnamed people.
ANONYMOUS_NOUNS: frozenset[str] = frozenset(
    """
    person people source sources official officials aide aides insider insiders adviser advisers advisor
    advisors individual individuals staffer staffers member members employee employees witness witnesses
    diplomat diplomats lawmaker lawmakers investigator investigators executive executives observer observers
    analyst analysts expert experts resident residents someone somebody one friend friends associate
    associates ally allies confidant confidants spokesperson spokesman spokeswoman representative
    representatives officer officers agent agents
    """.split()
)

# Head nouns of organisations, matched one token (lemma) at a time: a name of several words
# ("White House") is matched by its head ("house"), never split into words of its own.
ORGANIZATION_NOUNS: frozenset[str] = frozenset(
    """
    department agency ministry government administration company firm campaign committee council
    court police office commission board union party group organization organisation association
    team club school university hospital bank army military congress senate house parliament
    pentagon kremlin
    """.split()
)

# News outlets (lower case, without a leading "the").
OUTLETS: frozenset[str] = frozenset(
    """
    new york times|times|washington post|post|wall street journal|journal|associated press|ap|reuters|
    afp|agence france-presse|bloomberg|bloomberg news|cnn|bbc|bbc news|npr|fox news|fox|msnbc|cbs|cbs news|
    nbc|nbc news|abc|abc news|politico|axios|the hill|hill|guardian|the guardian|daily mail|mail|telegraph|
    financial times|ft|economist|los angeles times|la times|chicago tribune|boston globe|usa today|
    huffington post|huffpost|buzzfeed|buzzfeed news|vox|slate|atlantic|the atlantic|new yorker|time|
    newsweek|propublica|breitbart|breitbart news|daily beast|intercept|the intercept|vice|vice news|
    sky news|al jazeera|der spiegel|le monde|el pais|chronicle|san francisco chronicle|houston chronicle|
    gazette|herald|tribune|observer|independent|the independent|mirror|sun|the sun|express|
    washington times|new york post|daily news|new york daily news|miami herald|dallas morning news|
    seattle times|denver post|star tribune|politifact|mcclatchy|gannett|xinhua|tass|ria novosti|
    yonhap|kyodo|dpa|efe|ansa|cbc|ctv|globe and mail|toronto star|abc australia|sydney morning herald
    """.replace("\n", "").split("|")
)
OUTLETS = frozenset(o.strip() for o in OUTLETS if o.strip())

OUTLET_SUFFIXES: tuple[str, ...] = (
    "times", "post", "journal", "news", "herald", "tribune", "chronicle", "gazette", "guardian",
    "telegraph", "press", "reuters", "bulletin", "inquirer", "observer", "globe", "star", "daily",
    "magazine", "radio", "television", "tv", "network", "wire", "courier", "sentinel", "examiner",
    "dispatch", "monitor", "register", "ledger", "courant", "beacon", "reporter", "bulletin", "review",
    "standard", "mercury", "gazette", "telegram", "enquirer", "record", "express", "today",
)

# Title words that may stand before a name ("Former Attorney General Jeff Sessions").
TITLE_WORDS: frozenset[str] = frozenset(
    """
    mr mrs ms miss dr prof professor sir dame lord lady president vice prime minister secretary senator
    sen rep representative congressman congresswoman governor gov mayor judge justice chief attorney
    general commissioner chairman chairwoman chair director deputy assistant ambassador former then
    acting interim sheriff officer detective sergeant captain lieutenant colonel major admiral coach
    chancellor king queen prince princess pope bishop rev reverend father sister speaker leader
    councilman councilwoman councillor councilor inspector spokesman spokeswoman minister premier
    superintendent commander agent guard forward center centre striker midfielder defender goalkeeper
    quarterback pitcher catcher shortstop linebacker receiver manager owner ceo cfo coo chief executive
    analyst economist professor researcher doctor nurse lawyer attorney prosecutor
    """.split()
)

PRONOUNS_PERSON: frozenset[str] = frozenset("he she him her".split())

# Words that make a named entity an organisation rather than a person.
ORG_WORDS: frozenset[str] = frozenset(
    """
    inc inc. corp corp. corporation co co. ltd ltd. llc plc group company companies department ministry agency
    office council committee commission board party union university college school institute
    foundation association bank fund trust authority service services police court administration
    motors airlines airways industries holdings partners securities capital systems technologies
    labs laboratories hospital church club team federation league network news times post
    power energy electric electricity gas oil petroleum utilities utility robotics foods food pharma
    pharmaceuticals health healthcare media entertainment solutions logistics software bancorp insurance
    financial investments realty properties construction engineering steel mining chemicals telecom
    communications wireless airline air rail railways railroad transit shipping motor automotive
    brands stores retail markets apparel records studios pictures games semiconductor devices
    therapeutics biosciences bio sciences resources water aerospace defense defence dynamics electronics
    """.split()
)


@lru_cache(maxsize=1)
def learned_cues() -> dict[str, dict]:
    """Cue lemmas learned from an annotated corpus (``quotegraph train cues``): counts only. Read
    once per process, on first use; a missing or incompatible table raises ModelError."""
    return store.read_json(store.CUES, None, lambda table, _meta: dict(table["cues"]))


CONTENT_RELATIONS = ("ccomp", "xcomp", "dobj", "oprd", "prep")


# Learned cues that report an action, not a statement, belief or judgement: never cues here
# ("the parliament approved a subsidy", "Sessions refused to be interviewed").
NOT_CUES: frozenset[str] = frozenset(
    """
    accept adopt allow appoint approve authorize bill cast celebrate dedicate design devote display draw
    enjoy establish experience file fire impose introduce launch lay lean list mark name nominate opt pass
    present publish read release restrict sign spot sue title unveil veto withdraw wave shoot rule
    negotiate decline refuse consider attempt strive aim count email issue deliver broadcast retweete
    contemplate identify learn discover notice remember forget experience press push lobby single vote
    try cover use arise represent include turn end move spend put let pronounce elect target open line
    fight reserve differ reverse arrange rely pitch buy hire earn walk jump dig pump lock grow expand enter win
    """.split()
)


def broad_cues(min_ratio: float = 0.2, min_gold: int = 5) -> dict[str, tuple[str, ...]]:
    """Verb lemmas that are a cue often enough, with the relations that lead to their content."""
    out: dict[str, tuple[str, ...]] = {}
    for key, row in learned_cues().items():
        lemma, _, pos = key.partition("/")
        if lemma in NOT_CUES:
            continue
        if pos != "VERB" or row["gold"] < min_gold or row["gold"] / max(1, row["total"]) < min_ratio:
            continue
        deps = {k: v for k, v in row["deps"].items() if k in CONTENT_RELATIONS}
        n = sum(deps.values())
        rels = tuple(k for k, v in deps.items() if n and v / n >= 0.15)
        if rels:
            out[lemma] = rels
    return out


@lru_cache(maxsize=1)
def broad_cue_table() -> dict[str, tuple[str, ...]]:
    """The verbs the finders take for cues from the learned table (``broad_cues(0.1, 3)``)."""
    return broad_cues(0.1, 3)


def frame_cues(min_ratio: float = 0.15, min_gold: int = 3) -> dict[tuple[str, str], float]:
    """(verb lemma, complement frame) pairs that are a cue often enough: 'think' with a clause is
    an attribution far more often than 'think' alone."""
    out: dict[tuple[str, str], float] = {}
    for key, row in learned_cues().items():
        lemma, _, pos = key.partition("/")
        if pos != "VERB" or lemma in NOT_CUES:
            continue
        for frame, (g, t) in row.get("frames", {}).items():
            if frame != "none" and g >= min_gold and t and g / t >= min_ratio:
                out[(lemma, frame)] = g / t
    return out


@lru_cache(maxsize=1)
def frame_cue_table() -> dict[tuple[str, str], float]:
    """The (verb, frame) pairs the finders take for cues from the learned table (``frame_cues(0.3, 3)``)."""
    return frame_cues(0.3, 3)

# ---------------------------------------------------------------- read by attribute.attribution

# verbs whose object is the subject of their infinitive: "forced the chief to admit", "led her to fear"
OBJECT_CONTROL = frozenset("ask tell urge force allow lead push press persuade cause prompt encourage invite pressure require compel convince get inspire".split())

XCOMP_CUES = frozenset("promise vow pledge threaten urge ask tell instruct order warn advise claim".split())

FOCUS_WORDS = frozenset({"even", "only", "also", "both", "either", "neither", "just", "especially", "particularly"})

LIGHT_VERBS = frozenset("be have do make get go take give mean ensure seem appear hope wish feel".split())

# ---------------------------------------------------------------- read by attribute.resolution

FIRST_PERSON = frozenset({"i", "we", "me", "us"})

# ---------------------------------------------------------------- read by attribute.speakers

REFERS = frozenset({"he", "she", "they", "him", "her", "them", "i", "we", "it", "who", "which", "that", "you"})

# ---------------------------------------------------------------- read by attribute.source_types

# what marks a source kept anonymous on purpose, in its phrase or its reporting clause
ANONYMITY_PHRASES: tuple[str, ...] = (
    "anonymity", "anonymously", "anonymous", "unnamed", "unidentified", "not to be named", "not be named",
    "not to be identified", "not be identified", "without being named", "without being identified",
    "declined to be named", "declined to be identified", "refused to be named", "not authorized to",
    "not authorised to", "not permitted to", "not allowed to", "familiar with", "close to the",
    "knowledgeable about", "briefed on", "with knowledge of", "with direct knowledge", "on background",
    "insisted on anonymity", "requested anonymity",
)

# heads of an unnamed source that are anonymous by themselves ('a source said')
ANONYMOUS_HEADS = frozenset("source insider".split())

# determiners of a group ('some residents', 'several officials', 'both lawmakers')
GROUP_DETERMINERS = frozenset("some several many most few both all various numerous".split())

# ---------------------------------------------------------------- read by decide.filters

# the writer speaking for the article ("we found that", "we know") outside quotation marks
FIRST_PLURAL = frozenset("we us".split())

THING_NOUNS = frozenset("""
incident event crash outage surge rise fall increase decrease drop spike growth trend change shift move
line lines image picture photo graph chart map life death plan plans scheme condition conditions bias
failure failures land lands result results measure solution solutions action question answer basis
information system systems device devices program programme factor factors approach strategy effort
efforts decision decisions process step steps idea ideas way ways thing things problem problems issue
issues case cases crisis war fight battle race game season
""".split())

# ... but these speak: organisations, documents, evidence
SPEAKING_NOUNS = frozenset("""
administration organization organisation association federation foundation institution commission coalition
delegation opposition government department management parliament committee agency ministry congregation
research data study studies evidence poll polls survey surveys finding findings figures statistics analysis
report reports investigation publication documentation
""".split())

POINTING = frozenset("this that these those his her its their our my your it them him".split())

INTENT_VERBS = frozenset("""
want plan decide try seek hope intend expect fight strive attempt aim prefer like love need use rely
choose begin start continue stand prove seem appear tend manage fail struggle work move wish dare
look pitch arrange
""".split())

PERCEPTION = frozenset("see watch look find know notice hear meet use include cover represent require offer support back view".split())

TOPIC_PREPS = frozenset("about of on regarding over".split())

# verbs that hand over, produce or rely on a document or a thing: what follows is that thing
HANDLING = frozenset("submit send file release publish issue deliver produce provide hand distribute circulate draft prepare compile".split())

# a document citing, listing or drawing on its sources
DOCUMENT_USES = frozenset("cite draw base rely use include list".split())

LAYOUT_WORDS = frozenset("image images photo photos picture gallery header video more related read watch credit caption file view".split())

# ---------------------------------------------------------------- read by find.across

# reporting verbs of speech after which a quotation in the next paragraph goes on with the speaker
SPEECH_CUES = frozenset("say add tell explain continue note state argue insist warn reply respond answer stress".split())

# ---------------------------------------------------------------- read by find.quote_finders and find.interview

# heads of a page's label and header lines ('Headline:', 'Date:', 'Byline:', 'Update:') and of an
# interview's turns ('Q:', 'A:'): never a speaker, and the colon after them never a cue
NOT_SPEAKER_LABELS: frozenset[str] = frozenset({
    "update", "note", "editor's note", "photo", "source", "watch", "read more", "related", "video",
    "correction", "clarification", "disclosure", "q", "a", "warning", "spoiler", "follow", "sign up",
    "listen", "subscribe", "advertisement", "credit", "caption", "image", "getty images", "file",
    "headline", "title", "subtitle", "subhead", "dek", "kicker", "date", "dateline", "byline", "by", "author",
    "authors", "published", "updated", "posted", "modified", "section", "category", "categories", "tags",
    "topics", "keywords", "summary", "description", "abstract", "lede", "url", "link", "location", "place",
    "length", "words", "word count", "language", "publication", "publisher", "outlet", "edition", "page",
    "question", "answer", "interviewer", "interviewee", "transcript", "text", "body", "story", "article",
})

# ---------------------------------------------------------------- read by find.verb_finders

NOUN_CUES = frozenset("""
claim claims statement assertion allegation allegations argument warning promise pledge comment comments
remark remarks suggestion insistence belief view criticism call demand demands accusation accusations
charge contention prediction vow threat announcement admission denial assurance insinuation
""".split())

# ---------------------------------------------------------------- read by learned.attributions

FORECAST_VERBS = frozenset("expect schedule set slate poise due plan project forecast".split())

# ---------------------------------------------------------------- read by people.names

# lower-case particles inside surnames: 'Ursula von der Leyen', 'Laurence des Cars'
PARTICLES = frozenset("von van der den de des del della di da du dos le la bin ibn al el ter ten".split())

MALE_WORDS = frozenset("mr sir lord king prince father congressman councilman chairman spokesman businessman "
                       "husband son brother uncle grandfather boy man".split())

FEMALE_WORDS = frozenset("ms mrs miss dame lady queen princess sister congresswoman councilwoman chairwoman "
                         "spokeswoman businesswoman wife daughter mother aunt grandmother girl woman".split())

# last words of names of places and firms that the recogniser takes for people
VENUE_WORDS = frozenset("inn bar pub hotel restaurant cafe café club hall hospital clinic centre center pool "
                        "museum gallery theatre theater stadium arena school college university academy church "
                        "cathedral mosque temple station airport market store shop mall".split())

NOT_ROLES = frozenset("note words stakes times time events event statement report letter order number member "
                      "matter paper water corner border power chapter quarter weather center centre "
                      "week year month day hour minute".split())

TITLE_CASE_LOWER = frozenset("with from into onto over than that this about after before under upon when while".split())

# ---------------------------------------------------------------- read by people.registry

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"})

ROLE_PREPOSITIONS = frozenset("for of at in with to from on by".split())

# ---------------------------------------------------------------- read by learned.acts

# Verb classes of general English for what a source did, after VerbNet's classes (numbers as in
# VerbNet 3.x) and FrameNet's frames: features of the act model (``learned.acts``), never its
# decision. Written from the classes' definitions and members, not from any corpus.
ACT_CLASSES: dict[str, frozenset[str]] = {
    # communication (VerbNet 37.x)
    "say": frozenset("""say state announce declare report mention remark note add explain claim assert
        allege affirm aver contend maintain insist reiterate repeat stress emphasize emphasise
        acknowledge admit concede confess deny disclose reveal confirm proclaim profess testify
        observe comment recount relate narrate quip joke exclaim retort counter reply respond answer
        write tweet post blog publish recall predict estimate conclude suggest hint imply signal
        propose recommend describe detail outline cite quote list read""".split()),
    "tell": frozenset("tell inform notify brief assure reassure remind apprise update advise".split()),
    "ask": frozenset("ask inquire enquire question query request demand beg plead petition interrogate".split()),
    "complain": frozenset("complain boast brag grumble moan gripe whine object protest lament rail carp".split()),
    "advise": frozenset("warn caution urge counsel instruct alert order command direct call encourage implore exhort".split()),
    "manner_speaking": frozenset("""shout scream yell whisper mutter murmur mumble chant cry bellow holler
        groan sigh snap stammer thunder roar""".split()),
    "talk": frozenset("talk speak chat discuss debate argue converse negotiate address lecture preach testify refer allude".split()),
    "promise": frozenset("promise vow pledge guarantee swear commit threaten offer".split()),
    "judgment": frozenset("""praise criticize criticise accuse blame condemn denounce thank congratulate
        applaud commend hail fault chide scold rebuke slam blast attack mock ridicule dismiss reject
        defend endorse back laud decry lambaste excoriate""".split()),
    "dub": frozenset("call name dub label brand term nickname christen characterize characterise portray depict cast".split()),
    # mental states (VerbNet 29.x, 31.x, 32.x)
    "conjecture": frozenset("""think believe suppose suspect guess assume presume feel figure doubt imagine
        reckon speculate surmise trust expect anticipate fear worry bet wonder""".split()),
    "consider": frozenset("consider deem regard view see judge rate count reckon".split()),
    "admire": frozenset("like love admire respect appreciate value cherish prefer favor favour support oppose dislike hate resent".split()),
    "want": frozenset("want wish desire need crave covet".split()),
    "long": frozenset("hope yearn long aspire dream pray".split()),
    "intend": frozenset("""intend plan mean aim seek try attempt strive endeavor endeavour decide resolve
        choose refuse decline determine prepare""".split()),
    # perception and knowledge (VerbNet 30.x, 14, 84)
    "see": frozenset("see hear notice observe perceive witness watch sense detect spot glimpse look".split()),
    "learn": frozenset("""know learn find discover realize realise understand recognize recognise remember
        forget determine establish ascertain uncover""".split()),
    # evidence (VerbNet indicate-78): what a document or a fact shows
    "indicate": frozenset("show indicate demonstrate prove reveal suggest imply confirm point".split()),
    # appearance (VerbNet seem-109)
    "seem": frozenset("seem appear sound look".split()),
}

# Words of a verb group that put the act in doubt ("would say", "may think", "if asked").
MODAL_WORDS = frozenset("would could might may can should must will shall 'd 'll wo ca".split())
# Verbs whose infinitive did not happen ("declined to comment", "refused to say", "failed to mention").
REFUSAL_VERBS = frozenset("decline refuse fail".split())
# Subjects that deny the act ("nobody said", "neither man spoke", "no one asked").
NEGATIVE_SUBJECTS = frozenset("nobody none neither nothing no-one noone".split())
