"""Who is calling: a bearer token names a user; no token at all reads as a guest.

Only tokens are accepted, never the session cookie, so a page on another site cannot
make a signed-in browser write through the API (no CSRF check is needed).
"""

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer

from fanshelf.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer TOKEN`` with a token from ``fanshelf token NAME``."""

    def authenticate(self, request, token: str):
        return user_for_token(token.strip()) if token.strip() else None


def guest(request):
    """A caller without an Authorization header; one with a bad token gets 401 instead."""
    if "Authorization" in request.headers:
        return None
    return AnonymousUser()


bearer_token = BearerToken()

# Reads work for guests; writes need a token.
READ = [bearer_token, guest]
WRITE = bearer_token

# Tells OpenAPI that the token is optional on reads.
OPTIONAL_TOKEN = {"security": [{BearerToken.__name__: []}, {}]}
