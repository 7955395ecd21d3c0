"""The demo archive that `make run` shows.

A demo author, a demo reader and a demo wrangler; a small wrangled tag set for the
seed's fandom (meta fandom, characters, a relationship with synonyms such as
"Kylux"), wrangled by the demo wrangler through the wrangling services; the seed
works, tagged as their author tagged them.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.db import transaction

from fanshelf.accounts.models import User
from fanshelf.accounts.services import create_user
from fanshelf.imports.readers import read_bytes
from fanshelf.imports.services import create_work
from fanshelf.tags import graph, wrangling
from fanshelf.tags.models import Tag
from fanshelf.tags.services import find_or_create_tag
from fanshelf.works.models import Work

DEMO_AUTHOR = ("demo-author", "demo-author@example.org", "read-me-a-story")
DEMO_READER = ("demo-reader", "demo-reader@example.org", "kudos-for-everyone")
DEMO_COMMENT = "Please continue! I need to know what happens at the gala."
DEMO_BOOKMARK_NOTES = "The ending got me. Waiting for chapter two."
DEMO_WRANGLER = ("demo-wrangler", "demo-wrangler@example.org", "synonyms-all-the-way-down")


class DemoTag(NamedTuple):
    """A canonical tag of the demo set, with its parents and its synonyms."""

    name: str
    type: str
    parents: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()


SEQUEL_TRILOGY = "Star Wars Sequel Trilogy"
# The seed's fandom as AO3 wrangles it. Parents come before their children.
DEMO_TAGS = [
    DemoTag("Star Wars - All Media Types", Tag.Type.FANDOM),
    DemoTag(SEQUEL_TRILOGY, Tag.Type.FANDOM, parents=("Star Wars - All Media Types",)),
    DemoTag("Kylo Ren", Tag.Type.CHARACTER, parents=(SEQUEL_TRILOGY,)),
    DemoTag(
        "Armitage Hux", Tag.Type.CHARACTER, parents=(SEQUEL_TRILOGY,), synonyms=("General Hux",)
    ),
    DemoTag("Brendol Hux", Tag.Type.CHARACTER, parents=(SEQUEL_TRILOGY,)),
    DemoTag("Phasma", Tag.Type.CHARACTER, parents=(SEQUEL_TRILOGY,), synonyms=("Captain Phasma",)),
    DemoTag(
        "Snoke", Tag.Type.CHARACTER, parents=(SEQUEL_TRILOGY,), synonyms=("Supreme Leader Snoke",)
    ),
    DemoTag(
        "Kylo Ren/Armitage Hux",
        Tag.Type.RELATIONSHIP,
        parents=(SEQUEL_TRILOGY,),
        synonyms=("Armitage Hux/Kylo Ren", "Kylux", "kylo x hux"),
    ),
]

# What the seed files cannot say about themselves: their tags, as their author tagged
# them when cross-posting. Files not listed here are imported with AO3's defaults.
SEED_TAGS = {
    "000_761434c73575d7c8.txt": {
        "rating": ["Teen And Up Audiences"],
        "warning": ["No Archive Warnings Apply"],
        "category": ["M/M"],
        "fandom": ["Star Wars Sequel Trilogy"],
        "relationship": ["Kylux"],
        "character": ["Kylo Ren", "Armitage Hux", "Brendol Hux"],
        "freeform": ["One Shot", "Protective Kylo Ren", "Hux Has Daddy Issues"],
    }
}


def default_seeds_dir() -> Path:
    configured = os.environ.get("FANSHELF_SEEDS_DIR")
    return Path(configured) if configured else Path.cwd().parent / "shared" / "seeds"


@dataclass
class DemoResult:
    logins: list[tuple[str, str]]
    created: list[Work]
    skipped: list[str]
    seeds_dir: Path
    wrangled: int = 0  # wrangling changes made to the demo tag set this time


def _account(username: str, email: str, password: str, role: str = User.Role.READER) -> User:
    user = User.objects.filter(username=username).first()
    return user or create_user(
        username=username, email=email, password=password, role=role, email_confirmed=True
    )


def _demo_tag(name: str, type: str) -> Tag | None:
    """The tag called ``name``, of ``type``; None if it exists, wrangled, as another type."""
    tag = find_or_create_tag(name=name, type=type)
    if tag.type != type and not tag.is_wrangled and not tag.is_fixed:
        # An archive loaded by an older demo may carry the name under another type
        # (it once tagged "Kylux" as a free tag); an unwrangled tag is simply retyped.
        tag.type = type
        tag.save(update_fields=["type"])
    return tag if tag.type == type else None


def wrangle_demo_tags(wrangler: User) -> int:
    """Create and wrangle ``DEMO_TAGS`` as ``wrangler``; returns how many changes it made."""
    changes = []
    canonical: dict[str, Tag] = {}
    for spec in DEMO_TAGS:
        tag = _demo_tag(spec.name, spec.type)
        if tag is None or tag.synonym_of_id:
            continue
        canonical[spec.name] = tag
        changes.append(wrangling.set_canonical(user=wrangler, tag=tag))
        for parent in spec.parents:
            if parent in canonical:
                changes.append(
                    wrangling.add_parent(user=wrangler, tag=tag, parent=canonical[parent])
                )
        for name in spec.synonyms:
            synonym = _demo_tag(name, spec.type)
            if synonym is not None and not synonym.canonical:
                changes.append(wrangling.make_synonym(user=wrangler, tag=synonym, canonical=tag))
    return sum(change is not None for change in changes)


def _answer_the_author(work: Work, reader: User) -> None:
    """The demo reader does what the seed's author asks: kudos, a comment, a subscription."""
    from fanshelf.bookmarks.services import bookmark
    from fanshelf.feedback.services import give_kudos, post_comment
    from fanshelf.notifications.services import subscribe

    give_kudos(work=work, user=reader)
    post_comment(work=work, user=reader, body=DEMO_COMMENT)
    bookmark(user=reader, work=work, tags=["want more"], rec=True, notes=DEMO_BOOKMARK_NOTES)
    subscribe(user=reader, work=work)


@transaction.atomic
def load_demo(seeds_dir: Path | None = None) -> DemoResult:
    """Create the demo accounts and tag set and import the seed works once; safe to rerun."""
    seeds_dir = seeds_dir or default_seeds_dir()
    author = _account(*DEMO_AUTHOR)
    reader = _account(*DEMO_READER)
    wrangler = _account(*DEMO_WRANGLER, role=User.Role.WRANGLER)
    wrangled = wrangle_demo_tags(wrangler)
    created, skipped = [], []
    seeds = sorted(seeds_dir.glob("*.txt")) if seeds_dir.is_dir() else []
    for path in seeds:
        if Work.objects.filter(source=path.name, creatorships__pseud__user=author).exists():
            skipped.append(path.name)
            continue
        for imported in read_bytes(path.read_bytes(), name=path.name):
            imported.tags = {**SEED_TAGS.get(path.name, {}), **imported.tags}
            created.append(create_work(imported, user=author))
    for work in created:
        _answer_the_author(work, reader)
    # Wrangling queues filter-tag refreshes for a worker; the demo is right without one.
    graph.refresh_filter_tags(
        Work.objects.filter(creatorships__pseud__user=author).values_list("pk", flat=True)
    )
    logins = [(username, password) for username, _, password in (DEMO_AUTHOR, DEMO_READER)]
    logins.append((DEMO_WRANGLER[0], DEMO_WRANGLER[2]))
    return DemoResult(
        logins=logins, created=created, skipped=skipped, seeds_dir=seeds_dir, wrangled=wrangled
    )
