"""Banned users' sessions end; everyone's sanction is read once per request."""

from django.contrib.auth import logout

from fanshelf.moderation.standing import active_sanction


class EndBannedSessionsMiddleware:
    """Logs out a signed-in user who is banned, on their next request.

    The sanction read here is kept on the request for the banner
    (``context_processors.moderation``), so a signed-in page pays one query for both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            sanction = active_sanction(request.user)
            if sanction is not None and sanction.is_ban:
                logout(request)
                sanction = None
            request.moderation_sanction = sanction
        return self.get_response(request)
