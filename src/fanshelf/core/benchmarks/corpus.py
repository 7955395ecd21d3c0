"""A synthetic archive for benchmarks: ``fanshelf bench corpus --works N``.

Deterministic for a seed. What it holds, with AO3-like shares:

- authors: one account per 20 works (at least 10), a tenth with a second pseud;
  authors are Zipf-prolific; 5% of works have two creators;
- tags from ``tagset``: Zipf-popular fandoms (5% crossovers of two), their
  characters and relationships, AO3's common additional tags, unwrangled one-offs,
  and synonyms works sometimes use instead of the canonical name;
- ratings General 30% / Teen 30% / Mature 15% / Explicit 20% / Not Rated 5%;
  warnings "No Archive Warnings Apply" 50%, "Creator Chose Not To Use" 35%, the
  rest one or more of the others; categories M/M 45%, F/M 25%, Gen 20%, F/F 7%,
  Multi 2%, Other 1%, and a second category on 8% of works;
- word counts log-normal (median 3,000) from 100 to 200,000, split into up to
  ``chapters_max`` chapters; 15% works in progress; 5% restricted, 1% anonymous,
  0.5% drafts; 88% English; hits, kudos, comments and bookmarks correlated and
  heavy-tailed; publication dates over the ten years before ``END``.

Chapter text is generated prose (``vocabulary.ProseWriter``), **capped** at
``body_words`` stored words per chapter while ``word_count`` keeps the nominal
count: the text search works on real prose, and 100,000 works fit in a few GB.

Rows are written with ``bulk_create`` and ``executemany`` in batches of
``BATCH_SIZE`` works per transaction, with filter tags computed from the tag graph
once per tag, not once per work; usage counts are set at the end in one UPDATE.
"""

import datetime
import importlib
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from fanshelf.accounts.models import Pseud, User
from fanshelf.core.benchmarks.tagset import CHUNK, TagSet, build_tagset
from fanshelf.core.benchmarks.vocabulary import ProseWriter, invented_name, zipf_cum_weights
from fanshelf.tags.models import Tag
from fanshelf.works.models import Chapter, Creatorship, FilterTagging, Work

DEFAULT_SEED = 2026
BATCH_SIZE = 2000
END = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
SPAN = datetime.timedelta(days=3652)

RATINGS = {
    "General Audiences": 30,
    "Teen And Up Audiences": 30,
    "Mature": 15,
    "Explicit": 20,
    "Not Rated": 5,
}
CATEGORIES = {"M/M": 45, "F/M": 25, "Gen": 20, "F/F": 7, "Multi": 2, "Other": 1}
# Chance of each when a work carries warnings other than the two general ones.
OTHER_WARNINGS = {
    "Graphic Depictions Of Violence": 0.6,
    "Major Character Death": 0.35,
    "Rape/Non-Con": 0.12,
    "Underage Sex": 0.06,
}
LANGUAGES = {
    "en": 88, "es": 2.5, "zh": 2, "ru": 1.5, "fr": 1.5, "de": 1, "pt-br": 1, "it": 0.7,
    "ja": 0.6, "pl": 0.5, "id": 0.4, "ko": 0.3, "nl": 0.2, "sv": 0.2, "tr": 0.1,
}  # fmt: skip


class CorpusError(Exception):
    """The corpus cannot be built here (for instance, the archive already has works)."""


@dataclass
class PlannedWork:
    work: Work
    chapters: list[tuple[int, int, datetime.datetime]]  # nominal words, stored words, date
    pseud_ids: list[int]
    tag_ids: list[int]
    names: list[str]
    rng: random.Random


@dataclass
class CorpusResult:
    works: int = 0
    chapters: int = 0
    authors: int = 0
    tags: int = 0
    seconds: float = 0.0
    search: str = ""
    fandoms: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.works / self.seconds if self.seconds else 0.0


def _weighted(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _zipf_sample(rng: random.Random, items: list, cum: list[float], k: int) -> list:
    return list(dict.fromkeys(rng.choices(items, cum_weights=cum, k=k)))


class Planner:
    """Decides each work's fields, tags and chapters; the same index gives the same work."""

    def __init__(self, *, seed: int, tagset: TagSet, pseud_ids: list[int], chapters_max: int):
        self.seed = seed
        self.tags = tagset
        self.pseud_ids = pseud_ids
        self.pseud_cum = zipf_cum_weights(len(pseud_ids), 0.8)
        self.chapters_max = chapters_max
        self.fandom_cum = zipf_cum_weights(len(tagset.fandoms), 1.0)
        self.freeform_cum = zipf_cum_weights(len(tagset.freeforms), 0.9)
        self.adult_cum = zipf_cum_weights(len(tagset.adult_freeforms), 0.9)
        self.cast_cum = {
            fandom.name: (
                zipf_cum_weights(len(fandom.characters)),
                zipf_cum_weights(len(fandom.relationships)),
            )
            for fandom in tagset.fandoms
        }
        self.rank = {fandom.name: rank for rank, fandom in enumerate(tagset.fandoms)}
        # A crossover has fandoms under two or more different roots (see tags.graph).
        self.root = {}
        for fandom in tagset.fandoms:
            tag_id = tagset.ids[fandom.name]
            above = tagset.filter_tags[tag_id] - {tag_id}
            self.root[fandom.name] = min(above) if above else tag_id
        self.prose = ProseWriter()

    def _maybe_synonym(self, rng: random.Random, name: str) -> str:
        synonyms = self.tags.synonyms.get(name)
        return rng.choice(synonyms) if synonyms and rng.random() < 0.15 else name

    def _tags(self, rng: random.Random, rating: str) -> tuple[list[str], list[str], bool, int]:
        """Tag names, the characters for the prose, crossover or not, the top fandom's rank."""
        r = rng.random()
        if r < 0.5:
            warnings = ["No Archive Warnings Apply"]
        elif r < 0.85:
            warnings = ["Creator Chose Not To Use Archive Warnings"]
        else:
            warnings = [w for w, p in OTHER_WARNINGS.items() if rng.random() < p]
            warnings = warnings or ["Graphic Depictions Of Violence"]
        categories = [_weighted(rng, CATEGORIES)]
        if rng.random() < 0.08:
            categories = list(dict.fromkeys(categories + [_weighted(rng, CATEGORIES)]))
        fandoms = _zipf_sample(
            rng, self.tags.fandoms, self.fandom_cum, 2 if rng.random() < 0.05 else 1
        )
        characters, relationships = [], []
        for fandom in fandoms:
            char_cum, rel_cum = self.cast_cum[fandom.name]
            cast = min(1 + int(rng.expovariate(1 / 1.5)), 8)
            if fandom.characters:
                characters += _zipf_sample(rng, fandom.characters, char_cum, cast)
            ships = 0 if "Gen" in categories and rng.random() < 0.7 else 1
            ships += (rng.random() < 0.3) + (rng.random() < 0.1)
            if fandom.relationships:
                for ship, a, b in _zipf_sample(rng, fandom.relationships, rel_cum, ships):
                    relationships.append(ship)
                    characters += [a, b]
        characters = list(dict.fromkeys(characters))
        freeforms = _zipf_sample(
            rng, self.tags.freeforms, self.freeform_cum, min(int(rng.expovariate(1 / 5)), 40)
        )
        if rating in ("Mature", "Explicit"):
            adult = rng.choice((0, 1, 1, 2, 3))
            freeforms += _zipf_sample(rng, self.tags.adult_freeforms, self.adult_cum, adult)
        if self.tags.unwrangled and rng.random() < 0.3:
            freeforms += rng.sample(self.tags.unwrangled, rng.choice((1, 1, 2)))
        free = [fandom.name for fandom in fandoms] + characters + relationships + freeforms
        names = [rating, *warnings, *categories]
        names += [self._maybe_synonym(rng, name) for name in free]
        crossover = len({self.root[fandom.name] for fandom in fandoms}) > 1
        top = min(self.rank[fandom.name] for fandom in fandoms)
        return list(dict.fromkeys(names)), characters, crossover, top

    def _chapters(self, rng: random.Random, words: int, body_words: int, published):
        """(nominal words, stored words, date) per chapter, a dozen days apart on average."""
        if words < 4000 and rng.random() < 0.85:
            count = 1
        else:
            count = round(words / rng.lognormvariate(math.log(3500), 0.5))
            count = max(1, min(count, self.chapters_max, words // 100))
        shares = [rng.uniform(0.5, 1.5) for _ in range(count)]
        nominal = [max(1, int(words * share / sum(shares))) for share in shares]
        nominal[-1] += words - sum(nominal)
        chapters, date = [], published
        for n in nominal:
            chapters.append((n, min(n, body_words), min(date, END)))
            date += datetime.timedelta(days=rng.expovariate(1 / 12))
        return chapters

    def plan(self, index: int, body_words: int) -> PlannedWork:
        rng = random.Random(f"fanshelf-corpus:{self.seed}:{index}")
        rating = _weighted(rng, RATINGS)
        tag_names, characters, crossover, top_rank = self._tags(rng, rating)
        words = int(min(max(rng.lognormvariate(math.log(3000), 1.4), 100), 200_000))
        published = END - SPAN * rng.random()
        chapters = self._chapters(rng, words, body_words, published)
        revised = chapters[-1][2]
        count = len(chapters)
        expected = count
        if rng.random() < 0.15:
            expected = None if rng.random() < 0.6 else count + rng.randint(1, 12)
        draft = rng.random() < 0.005
        age = (END - published).days / 365 + 0.1
        fandom_boost = 1 + 4 / (top_rank + 1) ** 0.5
        hits = int(
            40
            * rng.lognormvariate(0, 1.3)
            * fandom_boost
            * (1 + age) ** 0.7
            * (words / 1000) ** 0.35
            * count**0.3
        )
        kudos = int(hits * rng.betavariate(2, 22))
        authors = 2 if rng.random() < 0.05 else 1
        work = Work(
            title=self.prose.title(rng),
            summary=self.prose.summary(rng, characters[:4]),
            notes=self.prose.summary(rng, []) if rng.random() < 0.3 else "",
            language=_weighted(rng, LANGUAGES),
            state=Work.State.DRAFT if draft else Work.State.POSTED,
            expected_chapters=expected,
            restricted=rng.random() < 0.05,
            anonymous=rng.random() < 0.01,
            published_at=None if draft else published,
            revised_at=None if draft else revised,
            crossover=crossover,
            word_count=words,
            chapter_count=count,
            hit_count=0 if draft else hits,
            kudos_count=0 if draft else kudos,
            comment_count=0 if draft else int(kudos * rng.betavariate(1.2, 10) * count**0.5),
            bookmark_count=0 if draft else int(kudos * rng.betavariate(2, 12)),
        )
        pseuds = _zipf_sample(rng, self.pseud_ids, self.pseud_cum, authors)
        tag_ids = [self.tags.ids[name] for name in tag_names]
        return PlannedWork(work, chapters, pseuds, tag_ids, characters, rng)


def ensure_authors(rng: random.Random, count: int) -> list[int]:
    """Pseud ids of ``count`` generated accounts, most prolific first (reused if present)."""
    usernames = [f"{invented_name(rng, rng.randint(2, 3)).lower()}{i}" for i in range(count)]
    unusable = make_password(None)  # nobody logs in as a generated author
    User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@example.invalid", password=unusable)
            for name in usernames
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    user_ids = {}
    for start in range(0, count, CHUNK):
        chunk = usernames[start : start + CHUNK]
        user_ids.update(User.objects.filter(username__in=chunk).values_list("username", "pk"))
    pseuds = [Pseud(user_id=user_ids[name], name=name, is_default=True) for name in usernames]
    pseuds += [
        Pseud(user_id=user_ids[name], name=invented_name(rng, 3), is_default=False)
        for name in usernames
        if rng.random() < 0.1
    ]
    Pseud.objects.bulk_create(pseuds, batch_size=500, ignore_conflicts=True)
    by_user: dict[int, list[int]] = {}
    ids = list(user_ids.values())
    for start in range(0, len(ids), CHUNK):
        rows = Pseud.objects.filter(user_id__in=ids[start : start + CHUNK])
        for user_id, pk in rows.order_by("-is_default", "pk").values_list("user_id", "pk"):
            by_user.setdefault(user_id, []).append(pk)
    return [pk for name in usernames for pk in by_user[user_ids[name]]]


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Many rows in one ``executemany``: several times faster than ``bulk_create``."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(column).column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def search_backend():
    """The full-text search backend if the discovery app provides one yet, else None."""
    try:
        module = importlib.import_module("fanshelf.discovery.search")
    except ImportError:
        return None
    return module.backend() if hasattr(module, "backend") else None


def write_batch(
    plans: list[PlannedWork], tagset: TagSet, prose: ProseWriter, *, bodies: bool, search
) -> int:
    """Write one batch of planned works in one transaction; returns the chapters written."""
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic():
        works = Work.objects.bulk_create([plan.work for plan in plans], batch_size=500)
        creators, taggings, filters, chapters = [], [], [], []
        now = adapt(datetime.datetime.now(tz=datetime.UTC))
        for plan, work in zip(plans, works, strict=True):
            creators += [(work.pk, pseud, n) for n, pseud in enumerate(plan.pseud_ids)]
            taggings += [(work.pk, tag_id) for tag_id in plan.tag_ids]
            found = set().union(*(tagset.filter_tags.get(t, ()) for t in plan.tag_ids))
            filters += [(work.pk, tag_id) for tag_id in found]
            posted = work.state == Work.State.POSTED
            for position, (nominal, stored, date) in enumerate(plan.chapters, 1):
                if bodies:
                    body = prose.chapter_html(plan.rng, stored, plan.names)
                else:
                    body = prose.summary(plan.rng, plan.names[:1])
                state = Chapter.State.POSTED if posted else Chapter.State.DRAFT
                chapters.append(
                    (work.pk, position, "", "", "", "", body, nominal, state, now,
                     adapt(date) if posted else None, now)
                )  # fmt: skip
        _insert(Creatorship, ["work", "pseud", "position"], creators)
        _insert(Work.tags.through, ["work", "tag"], taggings)
        _insert(FilterTagging, ["work", "tag"], filters)
        _insert(
            Chapter,
            ["work", "position", "title", "summary", "notes", "end_notes", "body",
             "word_count", "state", "created_at", "published_at", "updated_at"],
            chapters,
        )  # fmt: skip
        if search is not None:
            search.index_works([work.pk for work in works])
    return len(chapters)


def refresh_usage_counts() -> None:
    """Every tag's usage count from the taggings, in one UPDATE."""
    through = Work.tags.through.objects.filter(tag_id=OuterRef("pk"))
    used = through.order_by().values("tag_id").annotate(n=Count("*")).values("n")
    Tag.objects.update(usage_count=Coalesce(Subquery(used, output_field=IntegerField()), Value(0)))


def build_corpus(
    *,
    works: int,
    seed: int = DEFAULT_SEED,
    chapters_max: int = 40,
    body_words: int = 300,
    bodies: bool = True,
    append: bool = False,
    search_index: bool = True,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> CorpusResult:
    """Add ``works`` synthetic works (and their authors and tags) to the archive."""
    existing = Work.objects.count()
    if existing and not append:
        raise CorpusError(
            f"This archive already has {existing:,} works; the corpus is meant for an "
            "archive of its own (set FANSHELF_DATA_DIR to an empty folder), or pass "
            "--append to add to it."
        )
    started = time.perf_counter()
    rng = random.Random(f"fanshelf-corpus:{seed}")
    with transaction.atomic():
        tagset = build_tagset(rng, works)
        pseud_ids = ensure_authors(rng, max(10, works // 20))
    planner = Planner(seed=seed, tagset=tagset, pseud_ids=pseud_ids, chapters_max=chapters_max)
    search = search_backend() if search_index else None
    result = CorpusResult(authors=max(10, works // 20))
    for start in range(existing, existing + works, batch_size):
        stop = min(start + batch_size, existing + works)
        plans = [planner.plan(index, body_words) for index in range(start, stop)]
        result.chapters += write_batch(plans, tagset, planner.prose, bodies=bodies, search=search)
        result.works += len(plans)
        if progress:
            progress(len(plans))
    refresh_usage_counts()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result.seconds = time.perf_counter() - started
    result.tags = len(tagset.ids)
    result.fandoms = [fandom.name for fandom in tagset.fandoms[:3]]
    if not search_index:
        result.search = "not built (as asked); `fanshelf reindex` builds it"
    elif search is None:
        result.search = "not built: fanshelf.discovery.search has no backend() yet"
    else:
        result.search = f"built with {type(search).__name__}"
    return result
