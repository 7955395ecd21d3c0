"""The archive side of the load benchmark (``bench/load.py``): its work and its URLs.

``bench/load.py`` runs :func:`main` with ``fanshelf shell -c`` against the archive it
built with ``fanshelf bench corpus``; it prints one line of JSON that the benchmark
reads. :func:`ensure_reading_work` posts, through ``works.services.post_work`` as any
author would, one unrestricted, General-rated work whose first chapter holds 5,000
words of generated prose (``vocabulary.ProseWriter``) and three shorter chapters
after it, so the whole work is longer than its first chapter. Running it again finds
that work instead of posting a second one (``--reuse``).

:func:`load_targets` names what the benchmark drives: paths built with ``reverse`` and
the real query-string parameters (``reading.preferences``, ``discovery.filters``), and
the works guests may leave kudos and comments on.
"""

import json
import random
import secrets
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse

from fanshelf.accounts.models import User
from fanshelf.accounts.services import create_user
from fanshelf.core.benchmarks.vocabulary import ProseWriter
from fanshelf.tags.models import Tag
from fanshelf.works import services
from fanshelf.works.models import Work
from fanshelf.works.selectors import visible_works

USERNAME = "loadbench"
TITLE = "The Long Chapter (load benchmark)"
FIRST_CHAPTER_WORDS = 5000
OTHER_CHAPTER_WORDS = (2000, 2000, 2000)
RATING = "General Audiences"
# A phrase the corpus puts in 0.5% of chapters (bench/README.md), searched as a phrase.
SEARCH_QUERY = '"come find me"'
LISTING_SORT = "kudos"
FEEDBACK_WORKS = 500


def top_fandom() -> Tag:
    """The archive's most used canonical fandom (the one listings show most)."""
    fandoms = Tag.objects.filter(type=Tag.Type.FANDOM, canonical=True)
    fandom = fandoms.order_by("-usage_count", "name").first()
    if fandom is None:
        raise LookupError("The archive has no canonical fandom: build it with `bench corpus`.")
    return fandom


def _author() -> User:
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = create_user(
            username=USERNAME,
            email=f"{USERNAME}@example.invalid",
            password=secrets.token_urlsafe(24),
            email_confirmed=True,
        )
    return user


@transaction.atomic
def ensure_reading_work(*, seed: int = 2026) -> Work:
    """The benchmark's work: found if an earlier run posted it, else posted now."""
    author = _author()
    work = Work.objects.filter(creatorships__pseud__user=author, title=TITLE).first()
    if work is not None:
        return work
    fandom = top_fandom()
    prose, rng = ProseWriter(), random.Random(f"fanshelf-load:{seed}")
    names = ["Mira", "Tavin"]
    chapters = [
        services.ChapterText(title=f"Part {number}", body=prose.chapter_html(rng, words, names))
        for number, words in enumerate((FIRST_CHAPTER_WORDS, *OTHER_CHAPTER_WORDS), 1)
    ]
    return services.post_work(
        user=author,
        title=TITLE,
        summary="<p>One long first chapter for the load benchmark.</p>",
        chapters=chapters,
        tags={
            "rating": RATING,
            "warning": ["No Archive Warnings Apply"],
            "category": ["Gen"],
            "fandom": [fandom.name],
            "freeform": ["Fluff"],
        },
    )


def feedback_work_ids(limit: int = FEEDBACK_WORKS) -> list[int]:
    """Up to ``limit`` works a guest may leave kudos and comments on, spread over the ids."""
    works = visible_works(AnonymousUser()).filter(comment_policy=Work.CommentPolicy.OPEN)
    ids = list(works.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // limit)
    return ids[::step][:limit]


def _with_id_slot(name: str) -> str:
    """A work URL with ``{id}`` where the work's id goes, e.g. ``/works/{id}/kudos/``."""
    path = reverse(name, kwargs={"work_id": 987654321})
    return path.replace("/987654321/", "/{id}/", 1)


def load_targets(work: Work) -> dict:
    """What ``bench/load.py`` requests: the paths by target key, and the feedback works."""
    work_path = work.get_absolute_url()
    first = work.chapters.order_by("position").first()
    fandom = top_fandom()
    listing = reverse("tags:works", kwargs={"name": fandom.name})
    listing += "?" + urlencode({"rating": RATING, "sort": LISTING_SORT})
    ids = feedback_work_ids()
    return {
        "work": {
            "id": work.pk,
            "title": work.title,
            "words": work.word_count,
            "chapters": work.chapter_count,
            "first_chapter_words": first.word_count,
        },
        "fandom": fandom.name,
        "paths": {
            "work": work_path,
            "entire": work_path + "?" + urlencode({"view_full_work": "true"}),
            "listing": listing,
            "search": reverse("discovery:works") + "?" + urlencode({"q": SEARCH_QUERY}),
            "healthz": reverse("healthz"),
        },
        "kudos_path": _with_id_slot("feedback:kudos"),
        "comment_path": _with_id_slot("feedback:new_comment"),
        "feedback_ids": ids,
        "works_in_archive": Work.objects.count(),
    }


def main() -> None:
    """Post (or find) the benchmark's work and print its targets as one line of JSON."""
    print(json.dumps(load_targets(ensure_reading_work())))  # noqa: T201 - read by bench/load.py
