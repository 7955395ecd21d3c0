"""Keeps the works' kudos counts exact when an account and its kudos are deleted."""

from django.db.models import F

from fanshelf.works.models import Work


def forget_kudos_of_deleted_user(sender, instance, **kwargs) -> None:
    """Before an account goes (its kudos go with it), take its kudos off the counts."""
    Work.objects.filter(kudos__user=instance, kudos_count__gt=0).update(
        kudos_count=F("kudos_count") - 1
    )
