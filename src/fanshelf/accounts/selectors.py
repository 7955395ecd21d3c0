"""Read paths for profiles and pseuds: what a viewer may see of a user."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from fanshelf.accounts.links import ProfileLinkView, link_view
from fanshelf.accounts.models import Profile, Pseud, User


def active_user(username: str) -> User:
    """The active user called ``username`` (any case), or 404."""
    return get_object_or_404(User, username__iexact=username, is_active=True)


def pseud_of(owner: User, name: str) -> Pseud:
    """``owner``'s pseud called ``name`` (any case), or 404."""
    return get_object_or_404(Pseud.objects.select_related("user"), user=owner, name__iexact=name)


def works_by_pseud(*, pseud: Pseud, viewer) -> QuerySet:
    """A pseud's works as ``viewer`` may see them; anonymous ones only for the owner.

    The user's works page narrowed to one pseud, so the rules stay in one place.
    """
    from fanshelf.works.models import Creatorship
    from fanshelf.works.selectors import works_by_user

    credited = Creatorship.objects.filter(pseud=pseud).values("work_id")
    return works_by_user(owner=pseud.user, viewer=viewer).filter(pk__in=credited)


def bookmarks_by_pseud(*, pseud: Pseud, viewer, filters=None) -> QuerySet:
    """The bookmarks made under ``pseud`` that ``viewer`` may see, filtered and sorted."""
    from fanshelf.bookmarks.selectors import bookmarks_by_user

    return bookmarks_by_user(owner=pseud.user, viewer=viewer, filters=filters).filter(pseud=pseud)


@dataclass
class PseudSummary:
    pseud: Pseud
    works: int
    bookmarks: int


def pseud_summaries(*, owner: User, viewer) -> list[PseudSummary]:
    """Each pseud of ``owner`` with how many works and bookmarks ``viewer`` may see under it.

    Anonymous works are never counted (a count would give them away), nor works the
    viewer may not read: restricted ones for guests, drafts for anyone but the owner.
    """
    from fanshelf.bookmarks.selectors import visible_bookmarks
    from fanshelf.works.models import Creatorship
    from fanshelf.works.selectors import visible_works

    works = visible_works(viewer).filter(anonymous=False).values("pk")
    work_counts = dict(
        Creatorship.objects.filter(pseud__user=owner, work_id__in=works)
        .values_list("pseud_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    bookmark_counts = dict(
        visible_bookmarks(viewer)
        .filter(user=owner)
        .values_list("pseud_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        PseudSummary(pseud, work_counts.get(pseud.pk, 0), bookmark_counts.get(pseud.pk, 0))
        for pseud in owner.pseuds.all()
    ]


def profile_of(user: User) -> Profile | None:
    """The user's profile, or None if they never wrote one."""
    return Profile.objects.filter(user=user).first()


def profile_links(user: User) -> list[ProfileLinkView]:
    """The user's links elsewhere, in their order, ready to show."""
    return [link_view(link.site, link.handle_or_url) for link in user.profile_links.all()]


def series_by_user(*, owner: User, viewer) -> list:
    """Series with a work by ``owner`` that ``viewer`` may read and that names them."""
    from fanshelf.works.models import Creatorship, Series
    from fanshelf.works.selectors import visible_works

    credited = Creatorship.objects.filter(pseud__user=owner).values("work_id")
    works = visible_works(viewer).filter(anonymous=False, pk__in=credited).values("series_id")
    return list(Series.objects.filter(pk__in=works).order_by("title", "pk"))
