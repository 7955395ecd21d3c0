"""The demo archive that `make run` shows: a demo author, a demo reader, the seed works."""

import os
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from fanshelf.accounts.models import User
from fanshelf.accounts.services import create_user
from fanshelf.imports.readers import read_bytes
from fanshelf.imports.services import create_work
from fanshelf.works.models import Work

DEMO_AUTHOR = ("demo-author", "demo-author@example.org", "read-me-a-story")
DEMO_READER = ("demo-reader", "demo-reader@example.org", "kudos-for-everyone")

# What the seed files cannot say about themselves: their tags, as their author tagged
# them when cross-posting. Files not listed here are imported with AO3's defaults.
SEED_TAGS = {
    "000_761434c73575d7c8.txt": {
        "rating": ["Teen And Up Audiences"],
        "warning": ["No Archive Warnings Apply"],
        "category": ["M/M"],
        "fandom": ["Star Wars Sequel Trilogy"],
        "relationship": ["Armitage Hux/Kylo Ren"],
        "character": ["Kylo Ren", "Armitage Hux", "Brendol Hux"],
        "freeform": ["One Shot", "Kylux", "Protective Kylo Ren", "Hux Has Daddy Issues"],
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


def _account(username: str, email: str, password: str) -> User:
    user = User.objects.filter(username=username).first()
    return user or create_user(username=username, email=email, password=password)


@transaction.atomic
def load_demo(seeds_dir: Path | None = None) -> DemoResult:
    """Create the demo accounts and import the seed works once; safe to run again."""
    seeds_dir = seeds_dir or default_seeds_dir()
    author = _account(*DEMO_AUTHOR)
    _account(*DEMO_READER)
    created, skipped = [], []
    seeds = sorted(seeds_dir.glob("*.txt")) if seeds_dir.is_dir() else []
    for path in seeds:
        if Work.objects.filter(source=path.name, creatorships__pseud__user=author).exists():
            skipped.append(path.name)
            continue
        for imported in read_bytes(path.read_bytes(), name=path.name):
            imported.tags = {**SEED_TAGS.get(path.name, {}), **imported.tags}
            created.append(create_work(imported, user=author))
    logins = [(DEMO_AUTHOR[0], DEMO_AUTHOR[2]), (DEMO_READER[0], DEMO_READER[2])]
    return DemoResult(logins=logins, created=created, skipped=skipped, seeds_dir=seeds_dir)
