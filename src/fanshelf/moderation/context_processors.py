"""The sanction banner and the moderators' open-report count in the header."""

from django.utils.functional import SimpleLazyObject

from fanshelf.moderation.roles import is_moderator


def moderation(request) -> dict:
    """``standing_notice`` for sanctioned users, ``open_reports`` for moderators.

    Both are lazy: read at most once per request, and only when a template uses
    them; guests never cost a query, and only moderators are counted for.
    """
    user = getattr(request, "user", None)

    def notice() -> str:
        from fanshelf.moderation.standing import active_sanction, standing_message

        if hasattr(request, "moderation_sanction"):
            sanction = request.moderation_sanction
        else:
            sanction = active_sanction(user)
        return standing_message(sanction) if sanction else ""

    def open_reports() -> int:
        from fanshelf.moderation.selectors import open_report_count

        return open_report_count() if is_moderator(user) else 0

    return {
        "standing_notice": SimpleLazyObject(notice),
        "open_reports": SimpleLazyObject(open_reports),
    }
