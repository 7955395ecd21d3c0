from django.db import migrations


def backfill(apps, schema_editor):
    """Before wrangling existed only canonical tags a work carries could be filters."""
    Work = apps.get_model("works", "Work")
    FilterTagging = apps.get_model("works", "FilterTagging")
    rows = Work.tags.through.objects.filter(tag__canonical=True).values_list("work_id", "tag_id")
    FilterTagging.objects.bulk_create(
        [FilterTagging(work_id=work_id, tag_id=tag_id) for work_id, tag_id in rows],
        ignore_conflicts=True,
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("works", "0002_filtertagging_work_filter_tags_and_more")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
