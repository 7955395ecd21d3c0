from django.db import migrations, models
from django.db.models.functions import Lower, Trim


def lower_case_languages(apps, schema_editor):
    """Language codes in lower case, as Work.save now stores them."""
    Work = apps.get_model("works", "Work")
    Work.objects.exclude(language=Lower(Trim("language"))).update(language=Lower(Trim("language")))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("tags", "0007_normalized_name_code_point_order"),
        ("works", "0004_crossover_and_listing_indexes"),
    ]

    operations = [
        migrations.RunPython(lower_case_languages, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="work",
            index=models.Index(
                fields=["language", "state", "-revised_at"], name="works_work_languag_d61944_idx"
            ),
        ),
    ]
