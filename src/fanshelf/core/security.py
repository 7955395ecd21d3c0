"""The Content-Security-Policy header on every response.

Django 5.2 has no CSP support of its own (it arrives in 6.0), and the policy here is
one fixed string with no nonces, so a twenty-line middleware does the work of a
dependency. The other security headers (``X-Frame-Options``, ``Referrer-Policy``,
``X-Content-Type-Options``, ``Cross-Origin-Opener-Policy``, HSTS) come from Django's
own ``SecurityMiddleware`` and ``XFrameOptionsMiddleware``, driven by settings.

The policy forbids inline scripts, inline event handlers and ``style`` attributes:
every script and stylesheet is a file under ``static/``. Images may come from any
http(s) address or ``data:``, and an image never runs code: authors embed pictures
from image hosts in their works, and the sanitiser keeps ``http:`` image addresses of
older (imported) works, which Chromium and Firefox upgrade to https on an https page.
"""

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "http:", "https:", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def policy_header(policy: dict[str, list[str]]) -> str:
    """Join ``{"directive": [sources]}`` into a header value, in the dict's order."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


HEADER = policy_header(POLICY)


class ContentSecurityPolicyMiddleware:
    """Add the archive's Content-Security-Policy to every response.

    It sits before WhiteNoise, so static files carry it too (an SVG opened on its
    own is a page). A view that needs another policy sets the header itself; it is
    left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", HEADER)
        return response
