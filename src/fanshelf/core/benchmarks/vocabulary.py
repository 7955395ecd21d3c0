"""Words, names and phrases for the synthetic corpus, and the chapter text made of them.

The body vocabulary is about 2,200 English word forms: function words first, then
content words and their inflections, drawn with Zipf frequencies (the word at rank
*r* is drawn in proportion to 1/r), so a few words are everywhere and most are rare,
as in real prose. A few words and phrases are inserted at fixed rates, independent
of the Zipf draw, so a text query of known selectivity exists at every corpus size:
see ``PHRASES`` and ``RARE_WORDS``.
"""

import itertools
import random


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = _words(
    """
the and to a of he she was in it that his her you i had with as for on at but they
not be him me what said from this were is all there out up so we like one them into
back could would their an if my no then been about just when your down over did do
know by too or have now only more before even still some again how here who can
something through where which our while away because nothing way other us than after
why much another around off each against himself herself myself under never before
those these any every once both almost enough always maybe without until between
"""
)

# Ranked among the first thirty function words, so they are in most chapters: the
# bench's common-word query ("eyes") is one of them.
HEAD_WORDS = _words(
    """
eyes hand head face time door voice room night light way thing hands moment smile
words breath heart
"""
)

NOUNS = _words(
    """
age anger animal apple art ash audience aunt baby bakery balcony ball band bandage
bank battle beard beer bird birthday blood boot border bowl branch breakfast brick
bruise bucket cage camera camp card castle cave cellar chain chalk cheek cherry
chin church circle cliff cloud coast collar comet coin cook cousin crew curtain
dagger deck desert diary doctor dragon drawer drum dusk eagle elbow engine enemy
envelope eye fever flag flame fog fox frost fruit fur game garage gear glove grave
guard guest guitar hallway hammer harbor hat hawk heart hero hinge hood hook horn
hunter husband ink inn iron jar jewel journal judge king knight lamp lantern lawn
leaf leather ledge lesson lid lighthouse lion lock lunch machine magic mask meadow
meal medal mile milk minute mist monster moss motel nail needle nest night notebook
oak oar orchard oven owl paint palace palm pan patch pearl pen pencil pilot pillow
pine planet pond porch potion prince princess prison queen quilt rabbit radio raft
rail ribbon ring rope rug sail saint scarf scent screen seed shadow shelf shell
shield shop shovel shrine sink skull sleeve smile snake sock sofa spark spider
spoon stair stairs stage stew stick stool storm stove string suit suitcase sunset
swamp tail tale tent thread thunder ticket tide tiger toast tomb tool tooth torch
towel toy track trail tray trunk tunnel uncle valley van vase veil village violin
wagon waist wallet wave wheel whistle wife witch wood wool yard
arm arms air answer apartment armor autumn bag bar bath beach bed bedroom bell bench
blade blanket blood boat body bone book boots bottle box boy bread bridge brother
building cabin cake candle captain car cat ceiling chair chance chest child city
cliff cloak clock coat coffee cold corner couch counter country crowd crown cup
daughter dawn day desk dinner dog dream dress drink dust ear earth edge end evening
face family father feet field fight finger fingers fire floor flower forest friend
friends garden gate ghost gift girl glass gloves gold grass ground gun hair hall
heat hill home horse hospital house ice idea island jacket jaw job key kiss kitchen
knee knife lake laugh leg letter library lie life line lip lips map market memory
message metal mind mirror money moon morning mother mountain mouth music name neck
news noise nose note ocean office paper parents party past path people phone
picture piece place plan plate pocket point power promise question rain reason
river road rock roof rose rule sand scar school sea season secret ship shirt shore
shoulder shoulders side sign silence silver sister skin sky sleep smoke snow soldier
son song sound space spell star stars station steel stone storm story street
stranger summer sun sword table tea tear tears thought throat throne tongue tower
town train tree truth wall war water weapon weather wind window wine wing winter
wolf woman world wound year
"""
)

VERBS = _words(
    """
answer ask bang bend blink block blush breathe brush burn call carry catch change
check clean climb close cover crack cross cry dance drag dream drop enter explain
face fill finish fix float fold follow force glance grab guess hand hang happen
hate heal help hold hope hug hum hurt jump kick kill kiss knock laugh lean lift
like listen live lock look love mark matter miss move nod notice open pass pause
pick place plan play point pour press promise pull push reach realize remember rest
return roll rub rush scream search settle shake shift shout shrug sigh sign slam
slip smile snap sound start stare stay step stop suck swallow talk taste tell thank
touch trace trail train trust try turn twist wait wake walk want warn wash watch
whisper wish wonder work worry wrap yell
"""
)

IRREGULAR_VERBS = _words(
    """
be was were been go went gone come came see saw seen find found make made take took
taken think thought get got give gave given know knew known feel felt leave left
keep kept let begin began bring brought fall fell stand stood sit sat run ran hear
heard lose lost meet met pay paid read say said sleep slept speak spoke tear torn
throw threw win won write wrote break broke broken choose chose fight fought hide hid
hit hurt lay led lie lit mean meant rise rose send sent set shine shone shoot shot
sing sang sink sank spend spent spin spun steal stole strike struck swear swore
swim swam wear wore
"""
)
IRREGULAR_BASES = _words(
    """
go come see find make take think get give know feel leave keep begin bring fall
stand sit run hear lose meet pay read say sleep speak throw win write break choose
fight hide hold lay lead lie mean rise send shine shoot sing sink spend spin steal
strike swear swim wear
"""
)

ADJECTIVES = _words(
    """
able afraid alive alone angry ancient awake bad beautiful big bitter black blue
bold brave bright broken brown busy calm careful certain cheap clean clear close
cold cool cruel curious dark dead deep different dirty distant dry dull early easy
empty endless faint fair familiar far fast fierce fine firm flat fragile free fresh
full gentle glad golden good gray great green grim hard harsh heavy high hollow
honest hot huge hungry late light little lonely long loud low mad narrow new nice
numb old open pale perfect plain polite poor quick quiet rare ready real red rich
rough round sad safe sharp short shy sick silent simple slow small smooth soft
sore sorry steady stiff still strange strong sudden sweet tall tender thick thin
tight tired tiny true ugly useless vast warm weak wet white whole wide wild wise
wooden worn wrong young
"""
)

SHORT_ADJECTIVES = _words(
    """
bright cold dark deep fair faint fast fierce fine firm hard harsh high kind late
light long loud low near new old pale poor quick quiet rich rough sad sharp short
slow small smooth soft strong sweet tall thick thin tight warm weak wide wild young
"""
)

ADVERBS = _words(
    """
slowly quickly quietly softly finally suddenly really already almost barely nearly
simply probably perhaps instead together gently carefully exactly certainly clearly
honestly seriously tightly briefly easily hardly
"""
)

TITLE_NOUNS = _words(
    """
winter summer autumn spring stars moon sea tide storm ashes embers light shadow
crown heart home road river song silence promise glass gold silver wings wolves
bones roses thorns letters ghosts dawn midnight harbor fire snow rain echoes
"""
)

# Not in the Zipf vocabulary: inserted into chapters at a fixed rate, so the bench's
# rare-word query has about RATE x chapters hits at any size.
RARE_WORDS = {"quixotic": 0.0005}

# Inserted as a line of dialogue into this share of chapters. Every word of them is
# also common on its own, so a phrase query must check positions, not just words.
PHRASES = {
    "come find me": 0.005,
    "i never stopped": 0.003,
    "the stars were falling": 0.001,
}

SYLLABLES = _words(
    """
ar mi ta ge lo ren ka el ve ra sol in da mor ri an the o ne sa ki ya ru to ha na
ly ra bel cor vin es tel li wyn ash fen kai mar nor sev tam ul var zan bri cae dor
"""
)

FIRST_NAMES = _words(
    """
Ada Alder Ash Aurel Bram Cass Cora Dain Della Eira Elian Esme Faye Finn Gale Greta
Hale Ines Ira Jun Kael Kit Lark Lena Lio Mara Mira Nell Niko Oren Pia Quill Rhea
Rook Sable Sora Tam Teo Una Vale Vera Wren Yara Zeph Ansel Briar Calla Dario Edda
Fen Gil Hollis Isla Jory Kestrel Lux Maren Noor Odile Perrin Remy Saoirse Tove
Ulric Veda Wilder Xan Yuki Zora
"""
)

LAST_NAMES = _words(
    """
Ashdown Blackwood Caldera Dray Ember Fairweather Grey Holloway Ironside Juniper
Kestrel Lowell Marsh Northcott Oakes Pryce Quillon Rivers Stormborn Thorne Umber
Varro Whitlock Yardley Zell Achterberg Bellamy Corvin Drummond Evenstar Falk
Gallow Hart Isenwood Jarrow Kilbride Larkspur Morrow Nightingale Orlov Penhallow
Rook Sorrel Tamsin Vance Wilde
"""
)

FANDOM_WORDS = _words(
    """
Starfall Glass Kingdom Harbor Lights Iron Saints Moonrise Academy Hollow Crown Ember
Court Silent Tide Wolf Hour Paper Hearts Last Signal Velvet Empire Northern Sky Ashen
Road Seven Seas Clockwork City Lantern Keepers Quiet Planet Red Meridian Winter Line
Bright Arcana Sunken Temple Ghost Frequency Copper Throne Wildwood Orbit Station
Midnight Circus Salt Spire Dragon Pact Jade River Crimson Order Falling Leaves
"""
)

FANDOM_SUFFIXES = ["", "", "", " (TV)", " (Anime)", " (Video Game)", " (Comics)", " (Movies)"]


def _inflect(verb: str) -> list[str]:
    """A regular verb's -s, -ed and -ing forms (good enough for filler prose)."""
    if verb.endswith("e"):
        return [verb + "s", verb + "d", verb[:-1] + "ing"]
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return [verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return [verb + "es", verb + "ed", verb + "ing"]
    cvc = len(verb) <= 4 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou"
    stem = verb + verb[-1] if cvc and verb[-3] not in "aeiou" else verb
    return [verb + "s", stem + "ed", stem + "ing"]


def _adverb(adjective: str) -> str:
    if adjective.endswith("y"):
        return adjective[:-1] + "ily"
    if adjective.endswith("ll"):
        return adjective + "y"
    if adjective.endswith("le"):
        return adjective[:-1] + "y"
    return adjective + "ly"


def _compare(adjective: str) -> list[str]:
    stem = adjective[:-1] if adjective.endswith("e") else adjective
    if (
        len(stem) <= 4
        and stem[-1] not in "aeiouwxy"
        and stem[-2] in "aeiou"
        and (stem[-3] not in "aeiou")
    ):
        stem += stem[-1]
    return [stem + "er", stem + "est"]


def _plural(noun: str) -> str:
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def body_vocabulary() -> list[str]:
    """The body vocabulary in Zipf rank order (the same list for every seed)."""
    content = (
        NOUNS
        + [_plural(noun) for noun in NOUNS]
        + VERBS
        + [form for verb in VERBS for form in _inflect(verb)]
        + IRREGULAR_VERBS
        + [form for verb in IRREGULAR_BASES for form in _inflect(verb)[::2]]
        + ADJECTIVES
        + [_adverb(adjective) for adjective in ADJECTIVES]
        + [form for adjective in SHORT_ADJECTIVES for form in _compare(adjective)]
        + ADVERBS
    )
    rest = sorted(set(content) - set(FUNCTION_WORDS) - set(HEAD_WORDS))
    random.Random(0).shuffle(rest)
    ranked = FUNCTION_WORDS[:30] + HEAD_WORDS + FUNCTION_WORDS[30:] + rest
    return list(dict.fromkeys(ranked))


def zipf_cum_weights(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative weights for ``random.choices``: rank r drawn in proportion to r^-s."""
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


def zipf_pick(rng: random.Random, items: list, cum_weights: list[float], k: int = 1) -> list:
    return rng.choices(items, cum_weights=cum_weights, k=k)


def invented_name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


class ProseWriter:
    """Makes chapter HTML, summaries and titles from the vocabulary.

    Sentences of 5–22 words; a quarter of them start with one of the work's
    character names; paragraphs of 2–6 sentences. Deterministic for a given rng.

    For speed, words are drawn once into a pool of ``POOL_SIZE`` Zipf-distributed
    words, and each sentence is a slice of it at a random offset: one random
    number per sentence instead of one per word. Sentences therefore recur across
    a large corpus (the pool holds about 60,000 sentences' worth), which gives a
    search index the same words and word frequencies as independent draws.
    """

    POOL_SIZE = 1 << 20
    _pool: list[str] = []

    def __init__(self):
        self.words = body_vocabulary()
        self.cum_weights = zipf_cum_weights(len(self.words))
        if not ProseWriter._pool:
            ProseWriter._pool = random.Random(0).choices(
                self.words, cum_weights=self.cum_weights, k=self.POOL_SIZE
            )

    def sentences(self, rng: random.Random, words: int, names: list[str]) -> list[str]:
        pool, last = self._pool, self.POOL_SIZE - 22
        result = []
        written = 0
        while written < words:
            length = 5 + int(rng.random() * 18)
            offset = int(rng.random() * last)
            chunk = pool[offset : offset + length]
            written += length
            if names and rng.random() < 0.25:
                chunk[0] = rng.choice(names)
            else:
                chunk[0] = chunk[0].capitalize()
            result.append(" ".join(chunk) + ".....?!"[int(rng.random() * 7)])
        return result

    def chapter_html(self, rng: random.Random, words: int, names: list[str]) -> str:
        """About ``words`` words of prose as ``<p>`` paragraphs, with the fixed insertions."""
        sentences = self.sentences(rng, max(words, 1), names)
        for phrase, rate in PHRASES.items():
            if rng.random() < rate:
                speaker = rng.choice(names) if names else "she"
                line = f"\u201c{phrase.capitalize()},\u201d {speaker} said."
                sentences.insert(rng.randint(0, len(sentences)), line)
        for word, rate in RARE_WORDS.items():
            if rng.random() < rate:
                sentences.insert(rng.randint(0, len(sentences)), f"It was all rather {word}.")
        paragraphs = []
        while sentences:
            size = rng.randint(2, 6)
            paragraphs.append("<p>" + " ".join(sentences[:size]) + "</p>")
            sentences = sentences[size:]
        return "\n".join(paragraphs)

    def summary(self, rng: random.Random, names: list[str]) -> str:
        return "<p>" + " ".join(self.sentences(rng, rng.randint(15, 60), names)) + "</p>"

    def title(self, rng: random.Random) -> str:
        if rng.random() < 0.01:
            return rng.choice(list(PHRASES)).title()
        noun, other = rng.sample(TITLE_NOUNS, 2)
        adjective = rng.choice(ADJECTIVES)
        pattern = rng.randrange(5)
        if pattern == 0:
            return f"{adjective} {noun}".title()
        if pattern == 1:
            return f"The {noun.title()} of {other.title()}"
        if pattern == 2:
            return f"{noun.title()} and {other.title()}"
        if pattern == 3:
            verb = rng.choice(VERBS)
            return f"Where the {noun.title()} {_inflect(verb)[0].title()}"
        return f"All the {adjective.title()} {other.title()}"
