"""An Atom feed per canonical tag: the newest works a guest can read under it."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from fanshelf.tags import selectors
from fanshelf.tags.models import Tag


class TagFeed(Feed):
    feed_type = Atom1Feed
    description_template = "tags/feed_item.html"

    def get_object(self, request, name: str) -> Tag:
        tag = selectors.tag_named_or_none(name)
        if tag is None or not tag.canonical:
            raise Http404(_("Only canonical tags have a feed."))
        return tag

    def title(self, tag: Tag) -> str:
        return _("%(tag)s — Fanshelf") % {"tag": tag.name}

    def subtitle(self, tag: Tag) -> str:
        return _("The newest works found under “%(tag)s”.") % {"tag": tag.name}

    def link(self, tag: Tag) -> str:
        return reverse("tags:works", args=[tag.name])

    def feed_url(self, tag: Tag) -> str:
        return reverse("tags:feed", args=[tag.name])

    def items(self, tag: Tag):
        return selectors.feed_works(tag)

    def item_title(self, work) -> str:
        return work.title

    def item_author_name(self, work) -> str:
        if work.anonymous:
            return _("Anonymous")
        return ", ".join(str(creatorship.pseud) for creatorship in work.creatorships.all())

    def item_pubdate(self, work):
        return work.published_at

    def item_updateddate(self, work):
        return work.revised_at

    def item_categories(self, work) -> list[str]:
        return [tag.name for tag in work.tags.all()]
