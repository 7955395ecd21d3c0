"""The synthetic archive's tags: fandoms, characters, relationships and additional tags.

Sizes follow the corpus: one fandom per 50 works (20 to 2,000), Zipf-popular, the
most popular ones with more characters and relationships; a few fandoms have an
"All Media Types" meta tag with a second, rarer media fandom under it. Characters and
relationships are canonical with their fandom as parent; some have synonyms that
works use now and then, as on AO3. Additional tags are AO3's common ones (canonical,
Zipf-used, a few with synonyms) plus a pool of unwrangled one-off tags.

Tags are found or created by normalised name, so building on top of an archive that
already has them (``--append``) reuses them.
"""

import random
from dataclasses import dataclass, field

from fanshelf.core.benchmarks import vocabulary as words
from fanshelf.tags import graph
from fanshelf.tags.defaults import DEFAULT_TAGS
from fanshelf.tags.models import Tag, normalize_tag_name

CHUNK = 900  # ids or names per IN (...): under every SQLite build's variable limit

COMMON_FREEFORMS = """
Fluff|Angst|Hurt/Comfort|Alternate Universe|Alternate Universe - Modern Setting|
Alternate Universe - Coffee Shops & Cafés|Alternate Universe - College/University|
Alternate Universe - Soulmates|Alternate Universe - Canon Divergence|Romance|Humor|
Friendship|Found Family|Slow Burn|Enemies to Lovers|Friends to Lovers|Fluff and Angst|
Established Relationship|Canon Compliant|Canon Divergence|Post-Canon|Pre-Canon|
Missing Scene|Happy Ending|Hurt No Comfort|Whump|Pining|Mutual Pining|
Fake/Pretend Relationship|Time Travel|Drabble|One Shot|Crack|Crack Treated Seriously|
Domestic Fluff|First Kiss|Getting Together|Character Study|Grief/Mourning|
Dead Dove: Do Not Eat|Christmas|Halloween|Valentine's Day|Kissing|Cuddling & Snuggling|
Nightmares|Protectiveness|Jealousy|Secret Relationship|Love Confessions|
Tooth-Rotting Fluff|Mild Language|Violence|Blood and Injury|Minor Character Death|
Depression|Anxiety|Panic Attacks|Post-Traumatic Stress Disorder - PTSD|Trauma|Family|
Sibling Relationship|Parent-Child Relationship|Platonic Relationships|
Bisexual Character|Trans Character|Asexual Character|Coming Out|Vampires|Werewolves|
Magic|Dragons|Ghosts|Royalty|Mafia|Hospitals|High School|Road Trips|Roommates|
Bed Sharing|Sick Fic|Poetry|Fix-It|Redemption|Misunderstandings|Banter|
Emotional Hurt/Comfort|Physical Hurt/Comfort|Feelings|Recovery|Healing|Mystery|
Horror|Detectives|Science Fiction|Fantasy|Post-Apocalypse|Zombies|Historical|
Epistolary|Texting|Social Media|Rare Pairings|Polyamory|Reader-Insert|
Second Person|Not Beta Read|Songfic|Prompt Fic|Gift Fic|Slice of Life|Drama|
Tragedy|Comedy|Soft|Introspection|Canon-Typical Violence|Protective|Worldbuilding
"""
ADULT_FREEFORMS = """
Smut|Sexual Content|Explicit Sexual Content|Porn With Plot|PWP|Oral Sex|Anal Sex|
Rough Sex|Aftercare|Praise Kink|Sexual Tension|Alpha/Beta/Omega Dynamics|Omegaverse|
Dubious Consent|Self-Harm|Torture|Graphic Violence|Suicidal Thoughts
"""
FREEFORM_SYNONYMS = {
    "Hurt & Comfort": "Hurt/Comfort",
    "AU": "Alternate Universe",
    "Modern AU": "Alternate Universe - Modern Setting",
    "Coffee Shop AU": "Alternate Universe - Coffee Shops & Cafés",
    "Fluffy": "Fluff",
    "Angsty": "Angst",
    "Lots of Angst": "Angst",
    "slowburn": "Slow Burn",
    "Fake Dating": "Fake/Pretend Relationship",
    "Smut!": "Smut",
}
UNWRANGLED_TEMPLATES = [
    "{First} Needs A Hug",
    "{First} Is Bad At Feelings",
    "Protective {First}",
    "Soft {First}",
    "{adjective} {noun}",
    "the {noun} is a metaphor",
    "not beta read we die like {nouns}",
    "{First} and {Other} are idiots",
    "author regrets {noun}",
    "{First} has a {noun}",
    "{nouns} everywhere",
]


def _split(text: str) -> list[str]:
    return [name.strip() for name in text.split("|") if name.strip()]


@dataclass
class TagSpec:
    name: str
    type: str
    canonical: bool = True
    synonym_of: str | None = None
    parents: tuple[str, ...] = ()


@dataclass(eq=False)
class Fandom:
    """A fandom as works pick from it: characters and relationships by popularity."""

    name: str
    characters: list[str] = field(default_factory=list)
    relationships: list[tuple[str, str, str]] = field(default_factory=list)  # (name, a, b)


@dataclass
class TagSet:
    """Tag ids by name, and what works choose from; built by ``build_tagset``."""

    ids: dict[str, int]
    fandoms: list[Fandom]
    freeforms: list[str]
    adult_freeforms: list[str]
    unwrangled: list[str]
    synonyms: dict[str, list[str]]
    filter_tags: dict[int, set[int]]


def fandom_count(works: int) -> int:
    return max(20, min(2000, works // 50))


def plan_tags(rng: random.Random, works: int) -> tuple[list[TagSpec], list[Fandom], list[str]]:
    """Every tag the corpus uses (parents before children), and the fandoms' casts."""
    specs: list[TagSpec] = []
    fandoms: list[Fandom] = []
    seen = {normalize_tag_name(name) for names in DEFAULT_TAGS.values() for name in names}

    def add(spec: TagSpec) -> bool:
        key = normalize_tag_name(spec.name)
        if key in seen:
            return False
        seen.add(key)
        specs.append(spec)
        return True

    siblings: list[tuple[int, Fandom]] = []
    for rank in range(fandom_count(works)):
        while True:
            base = " ".join(rng.sample(words.FANDOM_WORDS, rng.choice((1, 2, 2, 3))))
            if rank < 40 and rng.random() < 0.3 or rank == 0:
                # A franchise: a meta tag above this fandom and a rarer media sibling.
                meta = f"{base} - All Media Types"
                name, sibling = f"{base} (TV)", f"{base} (Movies)"
                if all(normalize_tag_name(n) not in seen for n in (meta, name, sibling)):
                    add(TagSpec(meta, Tag.Type.FANDOM))
                    add(TagSpec(name, Tag.Type.FANDOM, parents=(meta,)))
                    add(TagSpec(sibling, Tag.Type.FANDOM, parents=(meta,)))
                    fandoms.append(Fandom(name))
                    siblings.append((rank, Fandom(sibling)))
                    break
            elif add(TagSpec(base + rng.choice(words.FANDOM_SUFFIXES), Tag.Type.FANDOM)):
                fandoms.append(Fandom(specs[-1].name))
                break

    # A media sibling is far less popular than its franchise's main fandom.
    for rank, sibling in siblings:
        fandoms.insert(min(len(fandoms), (rank + 2) * 8), sibling)
    for rank, fandom in enumerate(fandoms):
        cast_size = 3 + round(37 / (rank + 1) ** 0.5)
        for _ in range(cast_size * 2):
            if len(fandom.characters) == cast_size:
                break
            first = rng.choice(words.FIRST_NAMES)
            name = f"{first} {rng.choice(words.LAST_NAMES)}"
            if rng.random() < 0.2:
                name = f"{words.invented_name(rng, 2)} {words.invented_name(rng, 2)}"
            if not add(TagSpec(name, Tag.Type.CHARACTER, parents=(fandom.name,))):
                # Taken by another fandom: disambiguate as AO3 does, "Name (Fandom)".
                name = f"{name} ({fandom.name.split(' (')[0]})"
                if not add(TagSpec(name, Tag.Type.CHARACTER, parents=(fandom.name,))):
                    continue
            fandom.characters.append(name)
            if rng.random() < 0.1:
                add(TagSpec(name.split()[0], Tag.Type.CHARACTER, False, synonym_of=name))
        cum = words.zipf_cum_weights(len(fandom.characters))
        for _ in range(cast_size * 2):
            if len(fandom.relationships) == cast_size or len(fandom.characters) < 2:
                break
            a, b = words.zipf_pick(rng, fandom.characters, cum, k=2)
            romantic = rng.random() < 0.8
            name = f"{a}/{b}" if romantic else f"{a} & {b}"
            if a == b or not add(TagSpec(name, Tag.Type.RELATIONSHIP, parents=(fandom.name,))):
                continue
            fandom.relationships.append((name, a, b))
            if romantic and rng.random() < 0.2:
                add(TagSpec(f"{b}/{a}", Tag.Type.RELATIONSHIP, False, synonym_of=name))

    for name in _split(COMMON_FREEFORMS) + _split(ADULT_FREEFORMS):
        add(TagSpec(name, Tag.Type.FREEFORM))
    for name, canonical in FREEFORM_SYNONYMS.items():
        add(TagSpec(name, Tag.Type.FREEFORM, False, synonym_of=canonical))
    unwrangled = []
    characters = [name for fandom in fandoms for name in fandom.characters]
    for _ in range(max(50, min(20_000, works // 10)) * 2):
        if len(unwrangled) >= max(50, min(20_000, works // 10)):
            break
        noun = rng.choice(words.NOUNS)
        name = rng.choice(UNWRANGLED_TEMPLATES).format(
            First=rng.choice(characters).split()[0],
            Other=rng.choice(characters).split()[0],
            adjective=rng.choice(words.ADJECTIVES),
            noun=noun,
            nouns=noun + "s",
        )
        if add(TagSpec(name[0].upper() + name[1:], Tag.Type.FREEFORM, canonical=False)):
            unwrangled.append(specs[-1].name)
    return specs, fandoms, unwrangled


def _ids_by_key(keys: list[str]) -> dict[str, int]:
    found = {}
    for start in range(0, len(keys), CHUNK):
        found.update(
            Tag.objects.filter(normalized_name__in=keys[start : start + CHUNK]).values_list(
                "normalized_name", "pk"
            )
        )
    return found


def ensure_tags(specs: list[TagSpec]) -> dict[str, int]:
    """Create the tags that do not exist yet; returns every spec's id by name."""
    keys = {spec.name: normalize_tag_name(spec.name) for spec in specs}
    existing = _ids_by_key(list(keys.values()))
    # Canonicals and unwrangled tags first, so synonyms can point at them.
    for synonyms in (False, True):
        batch = [
            Tag(
                name=spec.name,
                normalized_name=keys[spec.name],
                type=spec.type,
                canonical=spec.canonical,
                synonym_of_id=existing[keys[spec.synonym_of]] if spec.synonym_of else None,
            )
            for spec in specs
            if keys[spec.name] not in existing and (spec.synonym_of is not None) == synonyms
        ]
        Tag.objects.bulk_create(batch, batch_size=500)
        existing = _ids_by_key(list(keys.values()))
    ids = {spec.name: existing[keys[spec.name]] for spec in specs}
    Parents = Tag.parents.through
    Parents.objects.bulk_create(
        [
            Parents(from_tag_id=ids[spec.name], to_tag_id=ids[parent])
            for spec in specs
            for parent in spec.parents
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    return ids


def build_tagset(rng: random.Random, works: int) -> TagSet:
    specs, fandoms, unwrangled = plan_tags(rng, works)
    ids = ensure_tags(specs)
    for tag_type, names in DEFAULT_TAGS.items():
        fixed = Tag.objects.filter(type=tag_type, name__in=names).values_list("name", "pk")
        ids.update(fixed)
    synonyms: dict[str, list[str]] = {}
    for spec in specs:
        if spec.synonym_of:
            synonyms.setdefault(spec.synonym_of, []).append(spec.name)
    wrangled = [ids[spec.name] for spec in specs if spec.canonical or spec.synonym_of]
    wrangled += [ids[name] for names in DEFAULT_TAGS.values() for name in names]
    filter_tags = {}
    for start in range(0, len(wrangled), CHUNK):
        filter_tags.update(graph.filter_tags_by_tag(wrangled[start : start + CHUNK]))
    return TagSet(
        ids=ids,
        fandoms=fandoms,
        freeforms=_split(COMMON_FREEFORMS),
        adult_freeforms=_split(ADULT_FREEFORMS),
        unwrangled=unwrangled,
        synonyms=synonyms,
        filter_tags=filter_tags,
    )
