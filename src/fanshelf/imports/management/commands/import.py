from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fanshelf.accounts.models import User
from fanshelf.imports.readers import ImportProblem
from fanshelf.imports.services import ImportDefaults, files_in, import_file
from fanshelf.tags.suggestions import suggest_tags
from fanshelf.works.services import tags_by_type


class Command(BaseCommand):
    help = (
        "Import works from .txt, .md, .html files and `fanshelf export` JSON. "
        "Prints one line per work, then indented lines with the canonical tags its text "
        "suggests (never added); a bad file gets one line with the reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--user", required=True, help="The account that will own the works.")
        parser.add_argument("--pseud", help="Post under this pseud (default: the user's default).")
        parser.add_argument("--as-drafts", action="store_true", help="Save as drafts, not posted.")
        parser.add_argument(
            "--fandom", action="append", default=[], help="Fandom for files that name none."
        )
        parser.add_argument("--rating", default="", help="Rating for files that give none.")

    def handle(self, *args, **options):
        user = User.objects.filter(username__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"No user called {options['user']!r}.")
        if options["pseud"] and not user.pseuds.filter(name__iexact=options["pseud"]).exists():
            raise CommandError(f"{user.username} has no pseud called {options['pseud']!r}.")
        defaults = ImportDefaults(fandoms=tuple(options["fandom"]), rating=options["rating"])
        failures = 0
        for path in files_in(options["paths"]):
            try:
                works = import_file(
                    path,
                    user=user,
                    pseud=options["pseud"],
                    as_draft=options["as_drafts"],
                    defaults=defaults,
                )
            except ImportProblem as problem:
                failures += 1
                self.stderr.write(f"{path}: {problem}")
                continue
            for work in works:
                url = settings.SITE_URL + work.get_absolute_url()
                state = "" if work.is_posted else " (draft)"
                self.stdout.write(f"{work.pk}\t{url}\t{work.title}{state}")
                self.write_suggestions(work)
        if failures:
            raise CommandError(f"{failures} file(s) could not be imported.", returncode=1)

    def write_suggestions(self, work) -> None:
        """Indented lines naming the tags the work's text suggests; nothing is added."""
        tags = tags_by_type(work)
        text = "\n".join([work.summary, *work.chapters.values_list("body", flat=True)])
        tagged = [name for names in tags.values() for name in names]
        suggested = suggest_tags(text=text, fandoms=tags["fandom"], tagged=tagged)
        labels = {"fandom": "fandoms", "character": "characters", "relationship": "relationships"}
        for tag_type, names in suggested.as_dict().items():
            if names:
                self.stdout.write(f"  suggested {labels[tag_type]}: {', '.join(names)}")
