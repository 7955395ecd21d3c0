"""``{% work_moderation work %}``: the Report link, the hidden notice, moderators' links."""

from django import template

from fanshelf.moderation.roles import is_moderator
from fanshelf.moderation.selectors import hidden_work_notice
from fanshelf.works.models import Work

register = template.Library()


@register.inclusion_tag("moderation/_work_moderation.html", takes_context=True)
def work_moderation(context, work):
    """Below a work: "Report", the moderator's message on a hidden work, moderation links."""
    user = context["request"].user
    hidden = work.state == Work.State.HIDDEN
    return {
        "work": work,
        "hidden": hidden,
        "notice": hidden_work_notice(work) if hidden else "",
        "moderator": is_moderator(user),
    }


@register.simple_tag
def report_url(kind: str, pk: int) -> str:
    from django.urls import reverse

    return reverse("moderation:report_target", args=[kind, pk])
