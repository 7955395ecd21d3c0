import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from fanshelf.discovery import search
from fanshelf.discovery.models import SearchChapter
from fanshelf.discovery.search.query import SearchQuery, Term
from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag
from fanshelf.works import services
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only"
)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the tsvector index exists on PostgreSQL only"
)

# Text like the seed work's, which ends by asking readers to come and chat.
SEED_LIKE = (
    "<p>Kylo had always seen Hux as perfect. He never told him, because that would be "
    "admitting defeat.</p><p>“If you want me,” Hux said at the gala, “come find me.”</p>"
)


def found(text, works=None):
    works = Work.objects.all() if works is None else works
    matches = search.backend().filter(works, search.parse(text))
    return [work.title for work in matches.order_by("-search_rank", "pk")]


@pytest.fixture
def filler(make_work):
    """A few unrelated works, so that word frequencies look like an archive's."""
    for number in range(4):
        make_work(
            title=f"Filler {number}", chapters=[f"<p>Rain on the window, number {number}.</p>"]
        )


def test_a_phrase_finds_its_words_in_order_only(make_work):
    make_work(title="Perfect", chapters=[SEED_LIKE])
    assert found('"come find me"') == ["Perfect"]
    assert found('"find come me"') == []
    assert found("find come me") == ["Perfect"]


def test_leaving_out_a_word_drops_works_tagged_with_it_or_containing_it(make_work):
    make_work(title="Tagged", chapters=["<p>A story.</p>"], tags={
        "rating": "General Audiences", "warning": ["No Archive Warnings Apply"],
        "fandom": ["Star Wars"], "freeform": ["Angst"]})  # fmt: skip
    make_work(title="Told", chapters=["<p>A story full of angst.</p>"])
    make_work(title="Fluffy", chapters=["<p>A story full of fluff.</p>"])
    assert found("story -angst") == ["Fluffy"]
    assert found('-"full of angst"') == ["Tagged", "Fluffy"]


def test_a_word_in_any_chapter_leaves_the_whole_work_out(make_work):
    make_work(title="Two", chapters=["<p>Calm story.</p>", "<p>Then came the angst.</p>"])
    assert found("calm") == ["Two"]
    assert found("calm -angst") == []


def test_field_prefixes_search_one_field(make_work, make_user):
    make_work(title="Lighthouse", chapters=["<p>A keeper.</p>"], summary="Sea and salt.")
    make_work(title="Keeper", chapters=["<p>The lighthouse.</p>"], summary="Lighthouse life.")
    make_work(make_user("seawriter"), title="Salt", chapters=["<p>Waves.</p>"])
    assert found("title:lighthouse") == ["Lighthouse"]
    assert found("summary:lighthouse") == ["Keeper"]
    assert found('summary:"sea and salt"') == ["Lighthouse"]
    assert found("creator:seawriter") == ["Salt"]
    assert sorted(found("creator:smolhux")) == ["Keeper", "Lighthouse"]
    assert found("-title:lighthouse keeper") == ["Keeper"]


def test_anonymous_works_never_show_or_match_their_creators(make_work, author):
    work = make_work(title="Unsigned", chapters=["<p>Who wrote this?</p>"], anonymous=True)
    make_work(title="Signed", chapters=["<p>I did.</p>"])
    assert found("creator:smolhux") == ["Signed"]
    assert found("smolhux") == ["Signed"]
    assert SearchChapter.objects.get(work=work).creators == ""


def test_tags_are_searched_as_text(make_work):
    make_work(title="Perfect", chapters=["<p>Gala.</p>"])
    assert found("Hux/Kylo") == ["Perfect"]
    assert found('tags:"one shot"') == ["Perfect"]
    assert found("tags:gala") == []


def test_chapter_text_matches_and_the_snippet_comes_from_that_chapter(make_work):
    work = make_work(
        title="Long",
        chapters=[
            "<p>The first chapter is about the weather.</p>",
            "<p>In the second one, " + "quiet words " * 40 + "the lighthouse keeper "
            "finally spoke, " + "and more words " * 40 + "</p>",
        ],
    )
    assert found("lighthouse keeper") == ["Long"]
    snippet = search.backend().snippets([work.pk], search.parse("lighthouse keeper"))[work.pk]
    second = work.chapters.get(position=2)
    assert (snippet.chapter_id, snippet.chapter_position) == (second.pk, 2)
    assert "<mark>lighthouse</mark> <mark>keeper</mark>" in snippet.html
    assert len(snippet.html.split()) < 50
    assert "…" in snippet.html


def test_snippets_escape_everything_but_the_marks(make_work):
    work = make_work(
        title="Careful",
        chapters=["<p>He typed &lt;script&gt;alert(1)&lt;/script&gt; &amp; smiled.</p>"],
    )
    assert "<script>" in SearchChapter.objects.get(work=work).body
    snippet = search.backend().snippets([work.pk], search.parse("alert smiled"))[work.pk]
    assert "<script" not in snippet.html
    assert "&lt;script&gt;" in snippet.html
    assert snippet.html.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "<mark>smiled</mark>" in snippet.html


def test_a_title_hit_ranks_above_a_hit_in_the_text(make_work, filler):
    make_work(title="Quiet", chapters=["<p>A lighthouse on the hill.</p>"])
    make_work(title="Lighthouse", chapters=["<p>A house on the hill.</p>"])
    assert found("lighthouse") == ["Lighthouse", "Quiet"]
    ranks = search.backend().filter(Work.objects.all(), search.parse("lighthouse"))
    assert all(work.search_rank > 0 for work in ranks)


def test_drafts_and_draft_chapters_are_never_indexed(make_work, author):
    draft = make_work(title="Draft", chapters=["<p>Secret lighthouse.</p>"], state="draft")
    posted = make_work(title="Posted", chapters=["<p>Open sea.</p>"])
    services.add_chapter(
        user=author, work=posted, chapter=ChapterText(body="<p>Secret plans.</p>"), state="draft"
    )
    assert found("secret") == []
    assert not SearchChapter.objects.filter(work=draft).exists()
    assert SearchChapter.objects.filter(work=posted).count() == 1

    services.publish_work(user=author, work=draft)
    services.post_chapter(user=author, chapter=posted.chapters.get(position=2))
    assert sorted(found("secret")) == ["Draft", "Posted"]


def test_filter_keeps_the_callers_restrictions(make_work):
    make_work(title="Open", chapters=["<p>Lighthouse.</p>"])
    make_work(title="Members only", chapters=["<p>Lighthouse.</p>"], restricted=True)
    assert sorted(found("lighthouse")) == ["Members only", "Open"]
    assert found("lighthouse", Work.objects.filter(restricted=False)) == ["Open"]
    assert found("-nothing", Work.objects.filter(restricted=False)) == ["Open"]


def test_editing_a_work_updates_the_index_in_the_same_transaction(make_work, author):
    work = make_work(title="Sunset", chapters=["<p>Old words.</p>"])
    with transaction.atomic():
        services.update_work(user=author, work=work, title="Sunrise", summary="Fresh summary.")
        services.update_chapter(
            user=author, chapter=work.chapters.get(), changes=ChapterText(body="<p>New text.</p>")
        )
        assert found("title:sunrise") == ["Sunrise"]
        assert found("fresh") == ["Sunrise"]
        assert found("new text") == ["Sunrise"]
        assert found("old") == []
        assert found("title:sunset") == []


def test_adding_reordering_and_deleting_chapters_keeps_positions(make_work, author):
    work = make_work(title="Chapters", chapters=["<p>Alpha.</p>", "<p>Beta.</p>"])
    third = services.add_chapter(user=author, work=work, chapter=ChapterText(body="<p>Gamma.</p>"))
    first, second = work.chapters.order_by("position")[:2]
    services.reorder_chapters(user=author, work=work, chapter_ids=[third.pk, first.pk, second.pk])
    snippet = search.backend().snippets([work.pk], search.parse("gamma"))[work.pk]
    assert (snippet.chapter_id, snippet.chapter_position) == (third.pk, 1)

    services.delete_chapter(user=author, chapter=third)
    assert found("gamma") == []
    snippet = search.backend().snippets([work.pk], search.parse("beta"))[work.pk]
    assert (snippet.chapter_id, snippet.chapter_position) == (second.pk, 2)
    assert SearchChapter.objects.filter(work=work).count() == 2


def test_deleting_a_work_removes_its_rows(make_work, author):
    work = make_work(title="Gone", chapters=["<p>Lighthouse.</p>", "<p>Sea.</p>"])
    services.delete_work(user=author, work=work)
    assert not SearchChapter.objects.exists()
    assert found("lighthouse") == []


def test_renaming_a_tag_reindexes_its_works(make_work, make_user):
    make_work(title="Perfect", chapters=["<p>Gala.</p>"])
    wrangler = make_user(role="wrangler")
    tag = Tag.objects.get(name="One Shot")
    wrangling.rename(user=wrangler, tag=tag, name="Oneshot Story")
    assert found('tags:"oneshot story"') == ["Perfect"]
    assert found('tags:"one shot"') == []


def test_renaming_a_tag_of_many_works_reindexes_them_in_a_task(make_work, make_user, monkeypatch):
    monkeypatch.setattr(search, "INLINE_REINDEX_LIMIT", 1)
    make_work(title="First", chapters=["<p>Gala.</p>"])
    make_work(title="Second", chapters=["<p>Ball.</p>"])
    wrangling.rename(user=make_user(role="wrangler"), tag=Tag.objects.get(name="One Shot"),
                     name="Oneshot Story")  # fmt: skip
    assert sorted(found('tags:"oneshot story"')) == ["First", "Second"]


def test_the_result_is_a_queryset_to_count_sort_slice_and_nest(make_work, filler):
    for number in range(3):
        make_work(title=f"Sea {number}", chapters=[f"<p>The sea, the sea {number}.</p>"])
    matches = search.backend().filter(
        Work.objects.filter(state=Work.State.POSTED), search.parse("sea")
    )
    assert matches.count() == 3
    assert len(matches.order_by("-search_rank", "-kudos_count")[:2]) == 2
    assert Work.objects.filter(pk__in=matches.values("pk")).count() == 3
    assert matches.filter(title="Sea 1").get().search_rank > 0
    assert len(list(matches.values_list("pk", flat=True)[:10])) == 3


def test_only_queries_that_use_the_rank_pay_for_ranking(make_work, filler):
    for number in range(3):
        make_work(title=f"Sea {number}", chapters=[f"<p>The sea, the sea {number}.</p>"])
    matches = search.backend().filter(Work.objects.all(), search.parse("sea"))
    ranking = "bm25" if connection.vendor == "sqlite" else "ts_rank_cd"
    with CaptureQueriesContext(connection) as queries:
        assert matches.count() == 3
        assert Work.objects.filter(pk__in=matches.values("pk")).count() == 3
        assert len(matches.order_by("-kudos_count")[:2]) == 2
        by_rank = list(matches.order_by("-search_rank", "pk").values_list("pk", flat=True))
        ranked = list(matches.order_by(F("search_rank").desc(), "pk"))
    count, nested, unsorted, sorted_ids, sorted_works = (q["sql"] for q in queries)
    assert ranking not in count and ranking not in nested
    assert ranking in unsorted  # search_rank is selected with the works
    assert ranking in sorted_ids and ranking in sorted_works
    assert by_rank == [work.pk for work in ranked]


def test_stems_find_other_forms_of_a_word(make_work):
    make_work(title="Kisses", chapters=["<p>They kissed under the mistletoe.</p>"])
    assert found("kissing") == ["Kisses"]


def test_han_characters_are_found_inside_a_sentence(make_work):
    work = make_work(title="猫", chapters=["<p>我爱你，我的猫。</p>"])
    assert found("爱你") == ["猫"]
    assert found("你爱") == []
    snippet = search.backend().snippets([work.pk], search.parse("爱你"))[work.pk]
    assert snippet.html.startswith("我<mark>")
    assert snippet.html.replace("<mark>", "").replace("</mark>", "").startswith("我爱你，我的猫")


MALFORMED = [
    '"unbalanced',
    "NEAR(",
    "NEAR(hux kylo, 2)",
    "*",
    "hux*",
    "^title",
    "title:",
    "-",
    "--",
    "AND OR NOT",
    "NOT",
    "(hux OR kylo)",
    'title:"',
    "http://example.org",
    "x" * 10_000,
    "hux " * 3_000,
    "\x00\x02 hux \x03",
    "'",
    '"""',
    "\u0301",
]
INJECTION = [
    "'); DROP TABLE works_work; --",
    '"); DROP TABLE works_work; --',
    'hux" OR 1=1 --',
    "title:'; DELETE FROM discovery_searchchapter; --",
]


@pytest.mark.parametrize("text", MALFORMED + INJECTION)
def test_malformed_and_hostile_searches_return_sensibly(make_work, text):
    work = make_work(title="Perfect", chapters=[SEED_LIKE])
    query = search.parse(text)
    if not query.is_empty:
        results = list(search.backend().filter(Work.objects.all(), query))
        snippets = search.backend().snippets([work.pk], query)
        assert len(results) <= 1
        assert set(snippets) <= {work.pk}
    assert Work.objects.count() == 1
    assert SearchChapter.objects.count() == 1


def test_terms_the_parser_never_makes_still_never_break_a_query(make_work):
    make_work(title="Perfect", chapters=[SEED_LIKE])
    odd = SearchQuery(terms=(Term(('a"b',)), Term(("NEAR(",)), Term(("*",), field="title")))
    assert list(search.backend().filter(Work.objects.all(), odd)) == []


@sqlite_only
def test_sqlite_index_agrees_with_its_rows_after_every_kind_of_write(make_work, author):
    work = make_work(title="Checked", chapters=["<p>One.</p>", "<p>Two.</p>"])
    services.update_work(user=author, work=work, title="Checked again")
    services.delete_chapter(user=author, chapter=work.chapters.get(position=1))
    make_work(title="Other", chapters=["<p>Three.</p>"])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO discovery_searchchapter_fts(discovery_searchchapter_fts, rank) "
            "VALUES ('integrity-check', 1)"
        )


@sqlite_only
def test_sqlite_folds_accents(make_work):
    make_work(title="Café", chapters=["<p>Crème brûlée.</p>"])
    assert found("cafe creme brulee") == ["Café"]


@postgres_only
def test_postgres_keeps_a_generated_weighted_document_with_a_gin_index(make_work):
    work = make_work(title="Lighthouse", chapters=["<p>Sea.</p>"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document::text FROM discovery_searchchapter WHERE work_id = %s", [work.pk]
        )
        document = cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'discovery_searchchapter'"
        )
        indexes = [row[0] for row in cursor.fetchall()]
    assert "'lighthous':1A" in document
    assert any("gin (document)" in index for index in indexes)


@postgres_only
def test_postgres_skips_stop_words_inside_phrases(make_work):
    make_work(title="Perfect", chapters=[SEED_LIKE])
    assert found('"come find me" hux') == ["Perfect"]
    assert found('"the gala" perfect') == ["Perfect"]
