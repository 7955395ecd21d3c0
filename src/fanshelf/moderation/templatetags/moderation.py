"""``{% work_moderation work %}``: the Report link, the hidden notice, moderators' links."""

from django import template
from django.utils.translation import gettext as _

from fanshelf.moderation.roles import is_moderator
from fanshelf.moderation.selectors import hidden_work_notice
from fanshelf.works.models import Work

register = template.Library()


@register.inclusion_tag("moderation/_work_moderation.html", takes_context=True)
def work_moderation(context, work):
    """Below a work: "Report" and the moderators' links (the hidden notice is at the top)."""
    user = context["request"].user
    hidden = work.state == Work.State.HIDDEN
    return {
        "work": work,
        "hidden": hidden,
        "moderator": is_moderator(user),
    }


@register.simple_tag
def hidden_work_message(work) -> str:
    """At the top of a hidden work (seen by its creators and moderators): why it is hidden."""
    return _("Hidden by a moderator: %(message)s") % {"message": hidden_work_notice(work)}


@register.simple_tag
def report_url(kind: str, pk: int) -> str:
    from django.urls import reverse

    return reverse("moderation:report_target", args=[kind, pk])
