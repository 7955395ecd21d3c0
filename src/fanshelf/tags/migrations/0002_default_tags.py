from django.db import migrations

from fanshelf.tags.defaults import DEFAULT_TAGS
from fanshelf.tags.models import normalize_tag_name


def add_default_tags(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for tag_type, names in DEFAULT_TAGS.items():
        for name in names:
            Tag.objects.update_or_create(
                normalized_name=normalize_tag_name(name),
                defaults={"name": name, "type": tag_type, "canonical": True},
            )


class Migration(migrations.Migration):
    dependencies = [("tags", "0001_initial")]
    operations = [migrations.RunPython(add_default_tags, migrations.RunPython.noop)]
