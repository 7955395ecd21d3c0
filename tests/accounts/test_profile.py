import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanshelf.accounts.models import Profile, ProfileLink
from fanshelf.accounts.profile import edit_profile
from fanshelf.accounts.pseuds import create_pseud
from fanshelf.accounts.selectors import pseud_summaries
from fanshelf.bookmarks.services import bookmark
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db


def counts(owner, viewer):
    return {
        s.pseud.name: (s.works, s.bookmarks) for s in pseud_summaries(owner=owner, viewer=viewer)
    }


def test_counts_never_include_anonymous_hidden_or_draft_works(author, reader, make_work):
    from django.contrib.auth.models import AnonymousUser

    hux = create_pseud(user=author, name="Hux")
    make_work(title="Public", pseud=hux)
    make_work(title="Anonymous", pseud=hux, anonymous=True)
    make_work(title="Restricted", pseud=hux, restricted=True)
    make_work(title="Draft", pseud=hux, state=Work.State.DRAFT)
    bookmark(user=author, work=make_work(user=reader, title="Rec"), pseud=hux)
    bookmark(user=author, work=make_work(user=reader, title="Mine"), pseud=hux, private=True)

    assert counts(author, AnonymousUser())["Hux"] == (1, 1)
    assert counts(author, reader)["Hux"] == (2, 1)
    # The owner sees their drafts counted, never their anonymous works.
    assert counts(author, author)["Hux"] == (3, 2)
    assert counts(author, reader)["smolhux"] == (0, 0)


def test_profile_page_shows_about_links_pseuds_and_join_date(client, author, make_work):
    hux = create_pseud(user=author, name="Hux")
    make_work(pseud=hux)
    edit_profile(
        user=author,
        owner=author,
        about='<p>Kylux forever <img src=x onerror="alert(1)"></p>',
        links=[("tumblr", "@smol-hux"), ("website", "https://example.org/"), ("discord", "hux")],
    )
    response = client.get(reverse("users:profile", args=["SmolHux"]))
    assert response.status_code == 200
    assert "Kylux forever" in response.text and "onerror" not in response.text
    assert (
        '<a href="https://smol-hux.tumblr.com/" rel="me nofollow noopener ugc">@smol-hux</a>'
        in response.text
    )
    assert 'href="https://example.org/" rel="me nofollow noopener ugc"' in response.text
    assert '<span class="handle">hux</span>' in response.text
    assert f"joined {author.date_joined:%Y-%m-%d}" in response.text
    assert reverse("users:pseud_works", args=["smolhux", "Hux"]) in response.text
    assert "1 work" in response.text
    assert reverse("bookmarks:user", args=["smolhux"]) in response.text


def test_profile_of_someone_who_never_edited_it_still_works(client, author):
    response = client.get(reverse("users:profile", args=["smolhux"]))
    assert response.status_code == 200
    assert f"joined {author.date_joined:%Y-%m-%d}" in response.text


def test_unknown_user_profile_is_404(client):
    assert client.get(reverse("users:profile", args=["nobody"])).status_code == 404


def test_only_the_owner_edits_the_profile(client, author, reader):
    with pytest.raises(PermissionDenied):
        edit_profile(user=reader, owner=author, about="pwned", links=[])
    client.force_login(reader)
    url = reverse("users:profile_edit", args=["smolhux"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"about": "pwned"}).status_code == 403
    assert not Profile.objects.filter(user=author).exists()


def link_rows(*rows, total=None):
    data = {"links-TOTAL_FORMS": str(total or len(rows)), "links-INITIAL_FORMS": "0"}
    for number, (site, value) in enumerate(rows):
        data[f"links-{number}-site"] = site
        data[f"links-{number}-handle_or_url"] = value
    return data


def test_owner_edits_about_and_links_through_the_form(client, author):
    client.force_login(author)
    url = reverse("users:profile_edit", args=["smolhux"])
    assert client.get(url).status_code == 200
    data = {"about": "Hi!", **link_rows(("tumblr", "@smol-hux"), ("ao3", ""), ("ko-fi", "hux"))}
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(ProfileLink.objects.values_list("site", "handle_or_url", "position")) == [
        ("tumblr", "smol-hux", 0),
        ("ko-fi", "hux", 1),
    ]
    assert Profile.objects.get(user=author).created == author.date_joined


@pytest.mark.parametrize(
    ("site", "typed"),
    [("website", "javascript:alert(1)"), ("tumblr", "smol hux"), ("website", "https://a:b@x.org")],
)
def test_a_bad_link_keeps_what_was_typed_and_says_why(client, author, site, typed):
    client.force_login(author)
    url = reverse("users:profile_edit", args=["smolhux"])
    response = client.post(url, {"about": "Keep this", **link_rows((site, typed))})
    assert response.status_code == 200
    assert "Keep this" in response.text
    assert re.search(r'class="error"', response.text)
    assert f'value="{typed}"'.replace("&", "&amp;") in response.text
    assert not ProfileLink.objects.exists()


def test_at_most_ten_links(author):
    with pytest.raises(ValidationError) as caught:
        edit_profile(
            user=author, owner=author, about="", links=[("ao3", f"hux{n}") for n in range(11)]
        )
    assert "at most 10" in caught.value.message_dict["links"][0]


def test_profile_page_query_count_is_bounded(
    client, author, reader, make_work, django_assert_max_num_queries
):
    for number in range(5):
        pseud = create_pseud(user=author, name=f"Pseud {number}")
        make_work(title=f"Work {number}", pseud=pseud)
    edit_profile(user=author, owner=author, about="Hi", links=[("ao3", "hux"), ("tumblr", "hux")])
    client.force_login(reader)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("users:profile", args=["smolhux"])).status_code == 200
