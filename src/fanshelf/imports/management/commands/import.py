"""``fanshelf import``: works from files, folders and zips, resumable, with a progress bar.

Each work is written in a transaction of its own together with its ImportRecord, so
an import stopped at any point (Ctrl-C, a kill, a power cut) leaves whole works only,
and running the same command again skips what is already in and goes on.
"""

import signal
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from fanshelf.accounts.models import User
from fanshelf.core.progress import progress
from fanshelf.imports import archive, duplicates, sources
from fanshelf.imports.models import ImportRecord
from fanshelf.imports.readers import ImportedWork, ImportProblem
from fanshelf.imports.services import ImportDefaults, import_work, problem_from
from fanshelf.tags.suggestions import suggest_tags
from fanshelf.works.services import tags_by_type

# More than a handful of files, or more than a megabyte, is worth a progress bar.
PROGRESS_SOURCES = 5
PROGRESS_BYTES = 1_000_000
INTERRUPTED_STATUS = 130  # what a shell reports for a command stopped by Ctrl-C


class Command(BaseCommand):
    help = (
        "Import works from files, folders and zips: AO3 downloads, EPUB, DOCX, tumblr "
        "exports, text, Markdown, HTML and `fanshelf export` JSON (the format is read "
        "from the content). Prints one line per work with the tags its text suggests; a "
        "bad file gets one line on stderr with the reason. Stopped with Ctrl-C, it "
        "finishes the work in hand; run the same command again to go on."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--user", required=True, help="The account that will own the works.")
        parser.add_argument("--pseud", help="Post under this pseud (default: the user's default).")
        parser.add_argument("--as-drafts", action="store_true", help="Save as drafts, not posted.")
        parser.add_argument(
            "--skip-duplicates",
            action="store_true",
            help="Leave out works nearly the same as one already in the archive.",
        )
        parser.add_argument(
            "--fandom", action="append", default=[], help="Fandom for files that name none."
        )
        parser.add_argument("--rating", default="", help="Rating for files that give none.")
        parser.add_argument(
            "--on-behalf",
            action="store_true",
            help="Archivists: keep the files' creator names for creators who are not users.",
        )
        parser.add_argument(
            "--creators", type=Path, metavar="CSV", help="With --on-behalf: name,email per line."
        )
        parser.add_argument(
            "--progress", action="store_true", help="Show progress even when not on a terminal."
        )
        parser.add_argument(
            "--quiet", action="store_true", help="Print only problems, no line per work."
        )

    def handle(self, *args, **options):
        self.user = _user(options["user"])
        if options["pseud"] and not self.user.pseuds.filter(name__iexact=options["pseud"]).exists():
            raise CommandError(f"{self.user.username} has no pseud called {options['pseud']!r}.")
        if options["creators"] and not options["on_behalf"]:
            raise CommandError("--creators goes with --on-behalf.")
        self.emails = None
        if options["creators"]:
            try:
                self.emails = archive.read_creator_emails(options["creators"])
            except ImportProblem as problem:
                raise CommandError(f"{options['creators']}: {problem}") from None
        self.options = options
        self.defaults = ImportDefaults(fandoms=tuple(options["fandom"]), rating=options["rating"])
        self.imported = self.skipped = self.failed = 0

        planned = sources.plan(options["paths"])
        total = sum(source.size for source in planned)
        with (
            _StopRequest(self.stderr.write) as stop,
            _progress_for(planned, total, options, _raw(self.stderr)) as shown,
        ):
            # A bar and the work lines on one terminal: the lines go above the bar.
            self.echo = shown.echo if self.stdout.isatty() else None
            try:
                self._run(planned, shown, stop)
            except KeyboardInterrupt:
                stop.requested = True  # a second Ctrl-C: the work in hand was rolled back
        if shown.total is not None and shown.seconds and not stop.requested:
            self.stderr.write(_summary(self, shown), style_func=_plain)
        if stop.requested:
            self.stderr.write(
                f"interrupted: {self.imported} imported, run the same command again to go on"
            )
            raise SystemExit(INTERRUPTED_STATUS)
        if self.failed:
            raise CommandError(
                f"{self.failed} problem(s), named above; everything else was imported.",
                returncode=1,
            )

    def _run(self, planned, shown, stop) -> None:
        for source in planned:
            for result in sources.read_source(source):
                before = self.imported
                if result.problem:
                    self._problem(result.name, result.problem)
                for imported in result.works:
                    if imported.source == result.name:
                        imported.source = _shown_name(result.name, source.path)
                    self._import(imported, name=result.name)
                    if stop.requested:
                        return
                shown.advance(result.size, count=self.imported - before)
                if stop.requested:
                    return

    def _import(self, imported: ImportedWork, *, name: str) -> None:
        record = (
            ImportRecord.objects.filter(user=self.user, key=imported.key())
            .select_related("work")
            .first()
        )
        if record is not None:
            self._skip(name, f"skipped, already imported: {_url(record.work)}")
            return
        text = duplicates.imported_text(imported)
        fingerprint = duplicates.fingerprint_of(text)
        similar = duplicates.similar_works(text, fingerprint=fingerprint)
        if similar and self.options["skip_duplicates"]:
            best = similar[0]
            self._skip(
                name, f"skipped, near-duplicate ({best.similarity:.2f}) of {_url(best.work)}"
            )
            return
        try:
            work, created = self._write(imported, fingerprint=fingerprint)
        except ValidationError as error:
            self._problem(name, str(problem_from(error)))
            return
        except ImportProblem as problem:
            self._problem(name, str(problem))
            return
        except PermissionDenied as error:
            raise CommandError(str(error) or "Permission denied.") from None
        if not created:
            self._skip(name, f"skipped, already imported: {_url(work)}")
            return
        self.imported += 1
        if self.options["quiet"]:
            return
        state = "" if work.is_posted else " (draft)"
        self._say(f"{work.pk}\t{_url(work)}\t{work.title}{state}")
        if similar:
            best = similar[0]
            self._say(f"  possible duplicate ({best.similarity:.2f}) of {_url(best.work)}")
        self._write_suggestions(work)

    def _write(self, imported: ImportedWork, *, fingerprint):
        options = self.options
        if options["on_behalf"]:
            return archive.archive_work(
                imported,
                archivist=self.user,
                emails=self.emails or {},
                pseud=options["pseud"],
                as_draft=options["as_drafts"],
                defaults=self.defaults,
            )
        return import_work(
            imported,
            user=self.user,
            pseud=options["pseud"],
            as_draft=options["as_drafts"],
            defaults=self.defaults,
            fingerprint=fingerprint,
        )

    def _problem(self, name: str, reason: str) -> None:
        self.failed += 1
        self.stderr.write(f"{name}: {reason}")

    def _skip(self, name: str, line: str) -> None:
        self.skipped += 1
        if not self.options["quiet"]:
            self._say(f"{name}: {line}")

    def _say(self, line: str) -> None:
        if self.echo:
            self.echo(line)
        else:
            self.stdout.write(line)

    def _write_suggestions(self, work) -> None:
        """Indented lines naming the tags the work's text suggests; nothing is added."""
        tags = tags_by_type(work)
        text = "\n".join([work.summary, *work.chapters.values_list("body", flat=True)])
        tagged = [name for names in tags.values() for name in names]
        suggested = suggest_tags(text=text, fandoms=tags["fandom"], tagged=tagged)
        labels = {"fandom": "fandoms", "character": "characters", "relationship": "relationships"}
        for tag_type, names in suggested.as_dict().items():
            if names:
                self._say(f"  suggested {labels[tag_type]}: {', '.join(names)}")


def _user(name: str) -> User:
    user = User.objects.filter(username__iexact=name).first()
    if user is None:
        raise CommandError(f"No user called {name!r}.")
    return user


def _shown_name(name: str, path: Path) -> str:
    """A file's name as readers may see it (``Work.source``): from the named file or
    folder down ("seed.txt", "fics/part1.txt", "fics.zip/part1.txt"), never the
    importer's own directories."""
    named = str(path)
    return path.name + name[len(named) :] if name.startswith(named) else Path(name).name


def _raw(wrapper):
    """The stream under a command's OutputWrapper: a progress bar writes partial lines
    and its own colours, which the wrapper would end with newlines and paint red."""
    return getattr(wrapper, "_out", wrapper)


def _plain(text: str) -> str:
    return text


def _url(work) -> str:
    return settings.SITE_URL + work.get_absolute_url()


def _progress_for(planned: list[sources.Source], total: int, options: dict, stream):
    """A bar on a terminal for more than a handful of files; lines in a log with
    --progress; nothing otherwise."""
    many = len(planned) > PROGRESS_SOURCES or total > PROGRESS_BYTES
    many = many or any(source.path.is_dir() for source in planned)
    if options["progress"]:
        mode = "bar" if stream.isatty() else "lines"
    elif many and not options["quiet"] and stream.isatty():
        mode = "bar"
    else:
        mode = "off"
    total = total if mode != "off" else None
    return progress("Importing", total=total, in_bytes=True, mode=mode, stream=stream)


def _summary(command: Command, shown) -> str:
    seconds = shown.seconds
    return (
        f"{command.imported:,} imported, {command.skipped:,} skipped, "
        f"{command.failed:,} problem(s), {shown.done / 1e6:,.1f} MB in {seconds:,.1f} s: "
        f"{command.imported / seconds:,.0f} works/s, {shown.done / 1e6 / seconds:,.2f} MB/s"
    )


class _StopRequest:
    """While the import runs, the first Ctrl-C (or SIGTERM) asks it to stop after the
    work in hand; a second one stops it at once (that work's transaction rolls back)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, say):
        self.say = say
        self.requested = False
        self.previous = {}

    def __enter__(self):
        # Python only lets the main thread handle signals (a command run from a
        # thread keeps the default: Ctrl-C stops at once, still without half works).
        if threading.current_thread() is threading.main_thread():
            self.previous = {number: signal.signal(number, self._ask) for number in self.SIGNALS}
        return self

    def _ask(self, number, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        self.say("stopping after this work (Ctrl-C again to stop at once)")

    def __exit__(self, *exc):
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        return False
