import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanshelf.downloads import formats, services, storage
from fanshelf.downloads.book import posted_book
from fanshelf.works.export import work_to_dict
from fanshelf.works.models import Work


class Command(BaseCommand):
    help = (
        "Write a work as a file: `fanshelf export WORK_ID [--format json|epub|pdf|html|txt] "
        "[-o PATH]`. JSON (the default) is the full record, printed unless -o is given; the "
        "download formats write the file readers download, to -o or ./<slug>.<format>."
    )

    def add_arguments(self, parser):
        parser.add_argument("work_id", type=int)
        # Checked in handle(), so a wrong format gets one clear line and exit code 1.
        parser.add_argument("--format", default="json", help="json, epub, pdf, html or txt")
        parser.add_argument("-o", "--output", type=Path, help="Write to this file.")

    def handle(self, *args, **options):
        chosen = options["format"].lower()
        known = ["json", *services.available_extensions()]
        if chosen not in known:
            raise CommandError(
                f"Unknown format {options['format']!r}: choose one of {', '.join(known)}."
            )
        if chosen == "json":
            self._export_json(options["work_id"], options["output"])
        else:
            self._export_download(options["work_id"], chosen, options["output"])

    def _export_json(self, work_id: int, output: Path | None):
        work = (
            Work.objects.filter(pk=work_id)
            .prefetch_related("tags", "creatorships__pseud__user")
            .first()
        )
        if work is None:
            raise CommandError(f"No work with id {work_id}.")
        # The command line is the archive operator's: the full record, creators included.
        document = json.dumps(
            work_to_dict(work, reveal_anonymous=True), ensure_ascii=False, indent=2
        )
        if output:
            self._write(output, (document + "\n").encode())
        else:
            self.stdout.write(document)

    def _export_download(self, work_id: int, extension: str, output: Path | None):
        """The same file a reader downloads (from the cache, or written and cached now)."""
        try:
            book = posted_book(work_id=work_id)
        except Work.DoesNotExist:
            if Work.objects.filter(pk=work_id).exists():
                raise CommandError(
                    f"Work {work_id} is not posted (a draft?): only posted works can be exported "
                    f"as {extension}."
                ) from None
            raise CommandError(f"No work with id {work_id}.") from None
        stored = services.write_file(book=book, extension=extension)
        if stored is None:  # another process is still writing it: do not wait longer
            content = formats.render(book, extension)
        else:
            with storage.open_file(stored.name) as file:
                content = file.read()
        self._write(output or Path(f"{book.slug}.{extension}"), content)

    def _write(self, path: Path, content: bytes):
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes)")
