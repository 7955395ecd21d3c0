from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from fanshelf.accounts.views import sign_up
from fanshelf.core.health import healthz, readyz
from fanshelf.core.views import home
from fanshelf.discovery.sitemaps import SITEMAPS
from fanshelf.tags.urls import wrangling_patterns

urlpatterns = [
    path("", home, name="home"),
    path("works/", include("fanshelf.discovery.urls")),
    path("", include("fanshelf.feedback.urls")),
    path("works/", include("fanshelf.downloads.urls")),
    path("works/import/", include("fanshelf.imports.urls")),
    path("works/", include("fanshelf.works.urls")),
    path("series/", include("fanshelf.works.series_urls")),
    path("users/", include("fanshelf.accounts.urls")),
    path("", include("fanshelf.bookmarks.urls")),
    path("", include("fanshelf.notifications.urls")),
    path("", include("fanshelf.reading.urls")),
    path("muting/", include("fanshelf.muting.urls")),
    path("moderation/", include("fanshelf.moderation.urls")),
    path("tags/", include("fanshelf.tags.urls")),
    path("wrangling/", include(wrangling_patterns)),
    path("opds/", include("fanshelf.downloads.opds_urls")),
    path("claims/", include("fanshelf.imports.claims_urls")),
    path("signup/", sign_up, name="sign_up"),
    # Log in, log out, password reset (throttled): fanshelf.accounts.auth_views.
    path("", include("fanshelf.accounts.auth_views")),
    path("account/export/", include("fanshelf.portability.urls")),
    path("account/", include("fanshelf.accounts.account_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("fanshelf.api.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]
# A body over Django's upload limits gets 413 and a page naming the limit.
handler400 = "fanshelf.core.limits.bad_request"
# A database that is away, met in a middleware (the session, the user): 503, not 500.
handler500 = "fanshelf.core.unavailable.server_error"
# Uploaded media (pseud icons) in development; in production the proxy serves
# MEDIA_ROOT at /media/ (docs/deploy.md). static() adds nothing unless DEBUG.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
