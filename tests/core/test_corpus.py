"""The benchmark corpus and the discovery benchmark, on a small archive.

These check what is built and what is printed; they never assert on time.
"""

import random
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from fanshelf.core.benchmarks import corpus, discovery
from fanshelf.core.benchmarks.tagset import build_tagset
from fanshelf.core.benchmarks.vocabulary import PHRASES, ProseWriter
from fanshelf.tags.models import Tag
from fanshelf.works.models import Chapter, FilterTagging, Work

pytestmark = pytest.mark.django_db

SMALL = 200


@pytest.fixture
def small_corpus():
    return corpus.build_corpus(works=SMALL, seed=7)


def tag_names(work: Work, tag_type: str) -> list[str]:
    return [tag.name for tag in work.tags.all() if tag.type == tag_type]


def test_a_small_corpus_has_every_row_a_listing_needs(small_corpus):
    assert small_corpus.works == SMALL == Work.objects.count()
    assert small_corpus.chapters == Chapter.objects.count()
    works = Work.objects.prefetch_related("tags").annotate(
        rows=Count("chapters", distinct=True), creators=Count("creatorships", distinct=True)
    )
    for work in works:
        assert work.rows == work.chapter_count >= 1
        assert work.creators >= 1
        assert len(tag_names(work, "rating")) == 1
        assert tag_names(work, "warning") and tag_names(work, "category")
        assert 1 <= len(tag_names(work, "fandom")) <= 2
        assert 100 <= work.word_count <= 200_000
        if work.expected_chapters is not None:
            assert work.expected_chapters >= work.chapter_count
        if work.state == Work.State.POSTED:
            assert work.published_at <= work.revised_at <= corpus.END


def test_filter_tags_match_the_tag_graph_and_usage_counts_the_taggings(small_corpus):
    from fanshelf.tags import graph

    work_ids = list(Work.objects.values_list("pk", flat=True)[:50])
    wanted = graph.wanted_filter_tags(work_ids)
    stored: dict[int, set[int]] = {pk: set() for pk in work_ids}
    for work_id, tag_id in FilterTagging.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "tag_id"
    ):
        stored[work_id].add(tag_id)
    assert stored == wanted
    used = Counter(Work.tags.through.objects.values_list("tag_id", flat=True))
    for tag in Tag.objects.all():
        assert tag.usage_count == used.get(tag.pk, 0), tag.name


def test_works_sometimes_carry_a_synonym_and_are_found_under_its_canonical(small_corpus):
    synonym_used = Work.tags.through.objects.filter(tag__synonym_of__isnull=False)
    assert synonym_used.exists()
    tagging = synonym_used.select_related("tag").first()
    assert FilterTagging.objects.filter(
        work_id=tagging.work_id, tag_id=tagging.tag.synonym_of_id
    ).exists()


def test_chapter_text_is_capped_while_word_counts_stay_nominal():
    corpus.build_corpus(works=40, seed=3, body_words=50)
    for chapter in Chapter.objects.all():
        stored = len(re.sub(r"<[^>]+>", " ", chapter.body).split())
        # Sentences are whole (up to 22 words) and an inserted line may be added.
        assert stored <= 50 + 22 + 12
        assert chapter.word_count >= min(stored, chapter.word_count)
    assert Work.objects.filter(word_count__gt=1000).exists()


def test_the_same_seed_builds_the_same_works():
    def snapshot():
        return [
            (work.title, work.word_count, work.kudos_count, sorted(t.name for t in work.tags.all()))
            for work in Work.objects.order_by("pk").prefetch_related("tags")
        ]

    corpus.build_corpus(works=25, seed=11)
    first = snapshot()
    bodies = list(Chapter.objects.order_by("pk").values_list("body", flat=True))
    Work.objects.all().delete()
    corpus.build_corpus(works=25, seed=11)
    assert snapshot() == first
    assert list(Chapter.objects.order_by("pk").values_list("body", flat=True)) == bodies


def test_shares_of_ratings_warnings_and_categories_are_ao3_like():
    rng = random.Random("shares")
    tagset = build_tagset(rng, 1000)
    planner = corpus.Planner(seed=1, tagset=tagset, pseud_ids=[1, 2, 3], chapters_max=40)
    names = {pk: name for name, pk in tagset.ids.items()}
    counts: Counter = Counter()
    plans = [planner.plan(index, 10) for index in range(3000)]
    for plan in plans:
        counts.update(names[tag_id] for tag_id in plan.tag_ids)
    share = {name: count / len(plans) for name, count in counts.items()}
    assert share["General Audiences"] == pytest.approx(0.30, abs=0.03)
    assert share["Explicit"] == pytest.approx(0.20, abs=0.03)
    assert share["No Archive Warnings Apply"] == pytest.approx(0.50, abs=0.03)
    assert share["M/M"] == pytest.approx(0.45 * 1.04, abs=0.04)
    wip = sum(plan.work.expected_chapters != plan.work.chapter_count for plan in plans)
    assert wip / len(plans) == pytest.approx(0.15, abs=0.03)
    crossovers = sum(plan.work.crossover for plan in plans)
    assert 0.02 < crossovers / len(plans) < 0.06


def test_inserted_phrases_appear_at_about_their_rate():
    prose, rng = ProseWriter(), random.Random(5)
    chapters = [prose.chapter_html(rng, 20, ["Mira"]) for _ in range(20_000)]
    hits = sum("Come find me" in chapter for chapter in chapters)
    assert hits / len(chapters) == pytest.approx(PHRASES["come find me"], rel=0.3)


def test_corpus_command_refuses_an_archive_that_has_works_unless_appending(make_work):
    make_work()
    with pytest.raises(CommandError, match="already has 1 works"):
        call_command("bench", "corpus", "--works", "5", stdout=StringIO(), stderr=StringIO())
    assert Work.objects.count() == 1
    out = StringIO()
    call_command(
        "bench", "corpus", "--works", "5", "--append", "--no-bodies", stdout=out, stderr=StringIO()
    )
    assert Work.objects.count() == 6
    assert re.search(
        r"Built 5 works \(\d+ chapters, .*\) in [\d.]+ s: [\d,]+ works/s\.", out.getvalue()
    )
    assert "Search index: " in out.getvalue()


def test_discovery_bench_prints_a_row_per_query_and_the_setting():
    corpus.build_corpus(works=SMALL, seed=7)
    out = StringIO()
    call_command(
        "bench", "discovery", "--iterations", "2", "--warmup", "0", "--markdown", stdout=out
    )
    text = out.getvalue()
    assert f"Archive: {SMALL} works" in text
    assert re.search(r"Engine: (sqlite|postgresql) \d", text)
    assert re.search(r"Machine: \d+ cores", text)
    row = r"\s+2\s+[\d,]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+$"
    unready = discovery.search_ready()
    shapes = [s for s in discovery.SHAPES if not s.text or not unready]
    for shape in shapes:
        for key in (shape.key, shape.key + "+facets"):
            assert re.search(rf"^{re.escape(key)}{row}", text, re.M), key
            assert f"| {shape.key} |" in text
    assert re.search(r"^overall\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+$", text, re.M)
    assert "note:" not in text
    if unready:
        assert "Skipped text queries" in text


def test_discovery_bench_skips_text_queries_when_the_index_is_empty():
    corpus.build_corpus(works=30, seed=7, search_index=False)
    out = StringIO()
    call_command("bench", "discovery", "--iterations", "1", "--warmup", "0", stdout=out)
    assert "Skipped text queries: the search index is empty" in out.getvalue()
    assert not re.search(r"^q-", out.getvalue(), re.M)
    assert re.search(r"^listing\s+1\s", out.getvalue(), re.M)


def test_discovery_bench_explains_the_statements_of_a_query():
    corpus.build_corpus(works=30, seed=7)
    out = StringIO()
    call_command(
        "bench", "discovery", "--iterations", "1", "--warmup", "0", "--only", "listing",
        "--explain", "listing+facets", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "Statements of {'sort': 'updated'} (facets: yes)" in text
    assert re.search(r"^-- [\d.]+ ms$", text, re.M)
    assert "SELECT" in text
