"""``/sitemap.xml``: the works search engines may list (posted, open to guests).

Built on ``django.contrib.sitemaps`` without the sites framework: the domain comes
from the request. Restricted, draft, scheduled and hidden works are never listed;
anonymous works are, since a sitemap names no creators.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from fanshelf.works.models import Work
from fanshelf.works.selectors import visible_works


class WorkSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        # What a guest may read, and posted: never restricted or unposted works.
        works = visible_works(AnonymousUser()).filter(state=Work.State.POSTED, restricted=False)
        return works.only("pk", "revised_at").order_by("pk")

    def lastmod(self, work: Work):
        return work.revised_at


SITEMAPS = {"works": WorkSitemap}
