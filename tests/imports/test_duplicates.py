"""Near-duplicate detection: edited copies of works in the archive are found, with the
right original; unrelated texts are not."""

import random
import re
import textwrap
from html import escape

import pytest

from fanshelf.core.benchmarks.vocabulary import ProseWriter
from fanshelf.imports import duplicates
from fanshelf.imports.duplicates import (
    Similar,
    duplicate_pairs,
    ensure_fingerprints,
    imported_text,
    signature_of,
    similar_works,
    update_fingerprint,
    words_of,
)
from fanshelf.imports.models import FingerprintBand, WorkFingerprint
from fanshelf.imports.readers.base import ImportedChapter, ImportedWork
from fanshelf.text import html_to_text, text_to_html
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, add_chapter, publish_work, update_chapter

pytestmark = pytest.mark.django_db

NAMES = ["Rey", "Finn", "Poe", "Rose"]
END_NOTE = (
    "I wrote this on tumblr but modified it for here. Thank you for reading, it means "
    "the world to me and I hope you liked it as much as I liked writing it. Tell me what "
    "you think!!! Come chat with me on tumblr, @smol-hux"
)
_writer = ProseWriter()


def story_html(number: int, words: int = 700) -> str:
    """A generated story of about ``words`` words as <p> paragraphs, one per number."""
    return _writer.chapter_html(random.Random(number), words, NAMES)


def imported(*bodies: str, title: str = "Imported") -> ImportedWork:
    return ImportedWork(title=title, chapters=[ImportedChapter(body_html=b) for b in bodies])


def paragraphs(html: str) -> list[str]:
    return html_to_text(html).split("\n\n")


# Edited copies: each takes the original's HTML and gives an ImportedWork.


def typos_fixed(html: str, rng: random.Random, share: float = 0.02) -> ImportedWork:
    """About ``share`` of the words changed (two letters swapped), same paragraphs: the
    difference between a draft with typos and the fixed text, either way round."""
    text = html_to_text(html)
    words = list(re.finditer(r"[A-Za-z]{3,}", text))
    chosen = sorted(
        rng.sample(words, max(1, round(len(text.split()) * share))), key=lambda m: m.start()
    )
    pieces, last = [], 0
    for match in chosen:
        word = match.group()
        pieces += [text[last : match.start()], word[1] + word[0] + word[2:]]
        last = match.end()
    pieces.append(text[last:])
    return imported(text_to_html("".join(pieces)))


def rewrapped_plain_text(html: str, rng=None) -> ImportedWork:
    """Plain text, hard-wrapped at 50 columns (single newlines become <br>)."""
    wrapped = "\n\n".join(textwrap.fill(p, 50) for p in paragraphs(html))
    return imported(text_to_html(wrapped))


def flattened_straight_quotes(html: str, rng=None) -> ImportedWork:
    """One line with no paragraph breaks, straight quotes and apostrophes, as the seed
    arrived."""
    text = " ".join(paragraphs(html))
    for curly, straight in (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'")):
        text = text.replace(curly, straight)
    return imported(text_to_html(text))


def curly_quotes_in_html(html: str, rng=None) -> ImportedWork:
    """Different HTML: curly quotes and apostrophes, <div>s, emphasis, entities."""
    text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", html_to_text(html)).replace("'", "\u2019")
    blocks = [
        "<div>"
        + re.sub(r"(\w+)([.!?])", r"<em>\1</em>\2", p).replace("\u201c", "&ldquo;")
        + "</div>"
        for p in text.split("\n\n")
    ]
    return imported("\n".join(blocks))


def split_in_two_chapters(html: str, rng=None) -> ImportedWork:
    parts = [f"<p>{escape(p)}</p>" for p in paragraphs(html)]
    middle = len(parts) // 2
    return imported("".join(parts[:middle]), "".join(parts[middle:]))


def new_end_note(html: str, rng=None) -> ImportedWork:
    return imported(html + f"<p>{END_NOTE}</p>")


def all_but_the_words(html: str, rng=None) -> ImportedWork:
    """The same words rewrapped as plain text with straight quotes, split in two
    chapters, with a new end note ("I wrote this on tumblr but modified it for here")."""
    text = html_to_text(html).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    wrapped = [textwrap.fill(p, 60) for p in text.split("\n\n")] + [END_NOTE]
    middle = len(wrapped) // 2
    return imported(
        text_to_html("\n\n".join(wrapped[:middle])), text_to_html("\n\n".join(wrapped[middle:]))
    )


EDITS = [
    typos_fixed,
    rewrapped_plain_text,
    flattened_straight_quotes,
    curly_quotes_in_html,
    split_in_two_chapters,
    new_end_note,
    all_but_the_words,
]


@pytest.fixture
def originals(make_work, seed_text):
    """The seed and eight generated stories, posted: (work, its HTML) pairs."""
    bodies = [text_to_html(seed_text)] + [story_html(n, 500 + 100 * n) for n in range(1, 9)]
    return [(make_work(title=f"Original {n}", chapters=[b]), b) for n, b in enumerate(bodies)]


def test_words_are_normalised_for_case_punctuation_and_quotes():
    assert words_of("\u201cDon\u2019t,\u201d she SAID\u2014softly\u2026") == words_of(
        '"Don\'t," she said - softly...'
    )
    assert words_of("Hux\u2019s arm-rest") == ["huxs", "arm", "rest"]
    assert words_of("我爱你 Ｆｕｌｌ") == ["我", "爱", "你", "full"]


def test_a_text_shorter_than_a_shingle_still_gets_a_signature(make_work):
    short = signature_of("Goodbye, Hux.")
    assert short.jaccard(signature_of("goodbye hux")) == 1.0
    assert short.jaccard(signature_of("Hello, Kylo.")) < 0.2
    work = make_work(chapters=["<p>Goodbye, Hux.</p>"])
    assert [s.work for s in similar_works("GOODBYE hux!")] == [work]


def test_a_text_without_words_matches_nothing(make_work):
    make_work(chapters=["<p>* * *</p>"])
    assert FingerprintBand.objects.count() == 0
    assert similar_works("...") == []


def test_signatures_survive_the_database(originals):
    work, html = originals[1]
    stored = WorkFingerprint.objects.get(work=work)
    assert stored.revised_at == work.revised_at and stored.word_count == work.word_count
    again = similar_works(html_to_text(html))
    assert again[0] == Similar(work=work, similarity=1.0)
    assert FingerprintBand.objects.filter(work=work).count() == duplicates.BANDS


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_each_kind_of_edited_copy_is_found_with_its_original(originals, edit):
    for number, (work, html) in enumerate(originals):
        copy = edit(html, random.Random(number))
        found = similar_works(imported_text(copy))
        assert [s.work for s in found] == [work], (edit.__name__, number, found)
        assert found[0].similarity >= 0.8


def test_precision_and_recall_on_edited_copies_and_unrelated_texts(originals):
    copies = [
        (work, edit(html, random.Random(1000 * number + kind)))
        for number, (work, html) in enumerate(originals)
        for kind, edit in enumerate(EDITS)
    ]
    unrelated = [html_to_text(story_html(n, 400 + 7 * n)) for n in range(100, 140)]
    # Texts that open like an original (its first paragraphs), then tell another story.
    unrelated += [
        "\n\n".join(paragraphs(html)[:2]) + "\n\n" + html_to_text(story_html(200 + number))
        for number, (_, html) in enumerate(originals)
    ]
    assert len(copies) >= 40 and len(unrelated) >= 40

    found_right = wrong = 0
    for original, copy in copies:
        found = [s.work for s in similar_works(imported_text(copy))]
        found_right += original in found
        wrong += sum(work != original for work in found)
    wrong += sum(len(similar_works(text)) for text in unrelated)

    precision = found_right / (found_right + wrong)
    recall = found_right / len(copies)
    assert precision == 1.0
    assert recall >= 0.95


def test_a_text_sharing_only_the_opening_is_not_found(originals):
    work, html = originals[0]  # the seed
    opening = " ".join(html_to_text(html).split()[:120])
    assert similar_works(opening + " " + html_to_text(story_html(300))) == []


def test_works_sharing_only_tags_are_not_found(make_work):
    tags = {
        "rating": "Teen And Up Audiences",
        "warning": ["No Archive Warnings Apply"],
        "fandom": ["Star Wars"],
        "freeform": ["Fluff", "One Shot"],
    }
    first = make_work(title="Same Tags", tags=tags, chapters=[story_html(1)])
    make_work(title="Same Tags", tags=tags, chapters=[story_html(2)])
    assert [s.work for s in similar_works(html_to_text(story_html(1)))] == [first]
    assert list(duplicate_pairs()) == []


def test_threshold_limit_and_exclude(originals):
    work, html = originals[2]
    # Typos in 5% of the words: a Jaccard of about 0.75, a candidate 96% of the time.
    copy = imported_text(typos_fixed(html, random.Random(5), share=0.05))
    [found] = similar_works(copy, threshold=0.5)
    assert found.work == work and 0.5 <= found.similarity < 1.0
    assert similar_works(copy, threshold=found.similarity) == [found]
    assert similar_works(copy, threshold=found.similarity + 0.01) == []
    text = html_to_text(html)
    assert similar_works(text, exclude=[work.pk]) == []
    assert similar_works(text, limit=0) == []
    for bad in (0, -0.5, 1.5):
        with pytest.raises(ValueError):
            similar_works(text, threshold=bad)


def test_best_match_comes_first(make_work):
    html = story_html(7)
    exact = make_work(title="Exact", chapters=[html])
    close = make_work(
        title="Close", chapters=[typos_fixed(html, random.Random(1)).chapters[0].body_html]
    )
    found = similar_works(html_to_text(html))
    assert [s.work for s in found] == [exact, close]
    assert found[0].similarity == 1.0 > found[1].similarity >= 0.8


def test_similar_works_uses_a_fixed_number_of_queries(make_work, django_assert_max_num_queries):
    for number in range(12):
        make_work(title=f"Story {number}", chapters=[story_html(number)])
    text = html_to_text(story_html(3))
    with django_assert_max_num_queries(2):
        found = similar_works(text)
    assert [s.work.title for s in found] == ["Story 3"]


def test_drafts_are_not_in_the_archive_until_posted(make_work, author):
    html = story_html(11)
    draft = make_work(chapters=[html], state=Work.State.DRAFT)
    assert not WorkFingerprint.objects.filter(work=draft).exists()
    assert similar_works(html_to_text(html)) == []
    publish_work(user=author, work=draft)
    assert [s.work for s in similar_works(html_to_text(html))] == [draft]


def test_hidden_works_still_count(make_work):
    html = story_html(12)
    work = make_work(chapters=[html])
    Work.objects.filter(pk=work.pk).update(state=Work.State.HIDDEN)
    assert [s.work for s in similar_works(html_to_text(html))] == [work]


def test_posting_a_chapter_refreshes_the_fingerprint(make_work, author):
    first, second = story_html(21, 400), story_html(22, 400)
    work = make_work(chapters=[first], expected_chapters=None)
    add_chapter(user=author, work=work, chapter=ChapterText(body=second, title=""))
    work.refresh_from_db()
    fingerprint = WorkFingerprint.objects.get(work=work)
    assert fingerprint.revised_at == work.revised_at
    assert fingerprint.word_count == work.word_count
    both = html_to_text(first) + "\n\n" + html_to_text(second)
    assert similar_works(both)[0] == Similar(work=work, similarity=1.0)
    assert similar_works(html_to_text(first)) == []  # half the work is not a copy of it


def test_ensure_fingerprints_repairs_missing_and_stale_ones(make_work, author):
    works = [make_work(title=f"W{n}", chapters=[story_html(30 + n)]) for n in range(3)]
    WorkFingerprint.objects.filter(work=works[0]).delete()
    FingerprintBand.objects.filter(work=works[0]).delete()
    chapter = works[1].chapters.get()
    new_text = story_html(40)
    update_chapter(user=author, chapter=chapter, changes=ChapterText(body=new_text, title=""))
    assert ensure_fingerprints() == 2
    assert ensure_fingerprints() == 0
    assert similar_works(html_to_text(new_text))[0].work == works[1]
    assert similar_works(html_to_text(story_html(31))) == []
    assert similar_works(html_to_text(story_html(30)))[0].work == works[0]
    assert ensure_fingerprints(refresh=True) == 3


def test_fingerprints_of_works_that_left_the_archive_are_dropped(make_work):
    work = make_work(chapters=[story_html(50)])
    Work.objects.filter(pk=work.pk).update(state=Work.State.DRAFT)
    assert similar_works(html_to_text(story_html(50))) == []
    ensure_fingerprints()
    assert not WorkFingerprint.objects.filter(work=work).exists()
    assert not FingerprintBand.objects.filter(work=work).exists()
    work.refresh_from_db()
    assert update_fingerprint(work) is None


def test_similar_works_fingerprints_works_posted_without_the_receivers(make_work):
    html = story_html(60)
    work = make_work(chapters=[html])
    WorkFingerprint.objects.all().delete()
    FingerprintBand.objects.all().delete()
    assert [s.work for s in similar_works(html_to_text(html))] == [work]


def test_duplicate_pairs_finds_a_planted_pair_once(make_work, make_user, seed_text):
    original = make_work(title="Perfect", chapters=[text_to_html(seed_text)])
    for number in range(5):
        make_work(title=f"Unrelated {number}", chapters=[story_html(70 + number)])
    repost = make_work(
        make_user("reposter"),
        title="Perfect (repost)",
        chapters=[
            text_to_html(imported_text(typos_fixed(text_to_html(seed_text), random.Random(3))))
        ],
    )
    pairs = list(duplicate_pairs())
    assert [(left, right) for left, right, _ in pairs] == [(original, repost)]
    assert 0.8 <= pairs[0][2] < 1.0
    assert list(duplicate_pairs(threshold=0.99)) == []
    with pytest.raises(ValueError):
        list(duplicate_pairs(threshold=0))


def test_duplicate_pairs_lists_each_pair_of_three_copies(make_work):
    html = story_html(80)
    works = [make_work(title=f"Copy {n}", chapters=[html]) for n in range(3)]
    pairs = [(left.pk, right.pk, similarity) for left, right, similarity in duplicate_pairs()]
    a, b, c = (work.pk for work in works)
    assert sorted(pairs) == [(a, b, 1.0), (a, c, 1.0), (b, c, 1.0)]


def test_an_import_stores_the_fingerprint_it_looked_up_with_in_the_works_transaction(
    author, seed_text, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from fanshelf.imports import signals
    from fanshelf.imports.readers import read_bytes
    from fanshelf.imports.services import import_work

    (imported,) = read_bytes(seed_text.encode(), name="seed.txt")
    fingerprint = duplicates.fingerprint_of(duplicates.imported_text(imported))
    computed = []
    monkeypatch.setattr(signals, "update_fingerprint", lambda work: computed.append(work.pk))
    # Callbacks wait for the commit here, as they do in production (the suite's
    # autouse fixture runs them at once, before the import's own writes).
    monkeypatch.setattr(
        transaction,
        "on_commit",
        lambda func, using=None, robust=False: transaction.get_connection(using).on_commit(
            func, robust
        ),
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        work, created = import_work(imported, user=author, fingerprint=fingerprint)
    assert callbacks  # work_posted was sent after the commit
    assert computed == []  # the receiver found it fresh and did not compute it again
    stored = WorkFingerprint.objects.get(work=work)
    assert created and bytes(stored.signature) == duplicates._to_bytes(fingerprint.signature)
    assert FingerprintBand.objects.filter(work=work).count() == duplicates.BANDS
    assert not duplicates.works_needing_fingerprints([work])  # fresh: nothing recomputes
    copy = duplicates.similar_works(duplicates.work_text(work))
    assert [similar.work for similar in copy] == [work]
