import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanshelf.works.export import work_to_dict
from fanshelf.works.models import Work


class Command(BaseCommand):
    help = "Write a work in a download format: `fanshelf export WORK_ID --format json [-o PATH]`."

    def add_arguments(self, parser):
        parser.add_argument("work_id", type=int)
        parser.add_argument("--format", default="json", choices=["json"])
        parser.add_argument("-o", "--output", type=Path, help="Write to this file, not stdout.")

    def handle(self, *args, **options):
        work = (
            Work.objects.filter(pk=options["work_id"])
            .prefetch_related("tags", "creatorships__pseud__user")
            .first()
        )
        if work is None:
            raise CommandError(f"No work with id {options['work_id']}.")
        # The command line is the archive operator's: the full record, creators included.
        document = json.dumps(
            work_to_dict(work, reveal_anonymous=True), ensure_ascii=False, indent=2
        )
        if options["output"]:
            try:
                options["output"].write_text(document + "\n", encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{options['output']}: {error.strerror}") from None
            self.stdout.write(f"Wrote {options['output']}")
        else:
            self.stdout.write(document)
