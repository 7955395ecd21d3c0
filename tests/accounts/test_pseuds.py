from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanshelf.accounts.models import Pseud
from fanshelf.accounts.pseuds import create_pseud, delete_pseud, edit_pseud, make_default
from fanshelf.bookmarks.models import Bookmark
from fanshelf.bookmarks.services import bookmark
from fanshelf.discovery.models import SearchChapter
from fanshelf.feedback.services import post_comment
from fanshelf.works.models import Creatorship

pytestmark = pytest.mark.django_db


def indexed_creators(work) -> str:
    return " ".join(SearchChapter.objects.filter(work=work).values_list("creators", flat=True))


# Services


def test_a_user_makes_pseuds_up_to_the_limit(author, settings):
    settings.FANSHELF_MAX_PSEUDS = 3
    create_pseud(user=author, name="Grand Marshal", description="<p>Hi<script>x</script></p>")
    create_pseud(user=author, name="Hux")
    with pytest.raises(ValidationError) as caught:
        create_pseud(user=author, name="One Too Many")
    assert "at most 3" in caught.value.message_dict["name"][0]
    assert Pseud.objects.get(name="Grand Marshal").description == "<p>Hi</p>"


@pytest.mark.parametrize("name", ["", "   ", "x" * 41, "SMOLHUX", "a/b", "..", "a\x00b"])
def test_pseud_names_are_1_to_40_characters_unique_per_user_in_any_case(author, name):
    with pytest.raises(ValidationError) as caught:
        create_pseud(user=author, name=name)
    assert "name" in caught.value.message_dict


def test_two_users_may_share_a_pseud_name(author, reader):
    create_pseud(user=author, name="Hux")
    assert create_pseud(user=reader, name="hux").name == "hux"


def test_nobody_changes_someone_elses_pseud(author, reader):
    pseud = create_pseud(user=author, name="Hux")
    for change in (
        lambda: edit_pseud(user=reader, pseud=pseud, name="Mine now"),
        lambda: make_default(user=reader, pseud=pseud),
        lambda: delete_pseud(user=reader, pseud=pseud),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert Pseud.objects.filter(pk=pseud.pk, name="Hux", user=author).exists()


def test_make_default_moves_the_default(author):
    pseud = create_pseud(user=author, name="Hux")
    make_default(user=author, pseud=pseud)
    assert author.default_pseud == pseud
    assert list(author.pseuds.filter(is_default=True)) == [pseud]


def test_the_default_pseud_cannot_be_deleted(author):
    with pytest.raises(ValidationError):
        delete_pseud(user=author, pseud=author.default_pseud)


def test_deleting_a_pseud_moves_works_bookmarks_comments_and_reindexes(author, reader, make_work):
    hux = create_pseud(user=author, name="General Hux")
    work = make_work(pseud=hux)
    both = make_work(title="Both", pseud=hux)
    Creatorship.objects.create(work=both, pseud=author.default_pseud, position=1)
    other = make_work(user=reader, title="Theirs")
    saved, _created = bookmark(user=author, work=other, pseud=hux)
    comment = post_comment(work=other, user=author, pseud=hux, body="Lovely!")
    assert "General Hux" in indexed_creators(work)

    default = delete_pseud(user=author, pseud=hux)

    assert default == author.default_pseud
    assert [c.pseud for c in work.creatorships.all()] == [default]
    assert [c.pseud for c in both.creatorships.all()] == [default]
    assert Bookmark.objects.get(pk=saved.pk).pseud == default
    comment.refresh_from_db()
    assert comment.pseud == default
    assert "General Hux" not in indexed_creators(work)
    assert "smolhux" in indexed_creators(work)


def test_renaming_a_pseud_reindexes_its_works(author, make_work):
    hux = create_pseud(user=author, name="General Hux")
    work = make_work(pseud=hux)
    edit_pseud(user=author, pseud=hux, name="Grand Marshal Hux")
    assert "Grand Marshal Hux" in indexed_creators(work)


# Pages


def test_pseud_list_is_public_and_owner_gets_the_buttons(client, author):
    create_pseud(user=author, name="Hux")
    response = client.get(reverse("users:pseuds", args=["smolhux"]))
    assert response.status_code == 200
    assert "Hux" in response.text and "Make a new pseud" not in response.text
    client.force_login(author)
    response = client.get(reverse("users:pseuds", args=["smolhux"]))
    assert "Make a new pseud" in response.text and "Make Hux the default" in response.text


def test_owner_creates_a_pseud_through_the_form(client, author):
    client.force_login(author)
    url = reverse("users:pseud_new", args=["smolhux"])
    response = client.post(url, {"name": "Kylo Ren", "description": "Dark side."})
    assert response.status_code == 302
    assert author.pseuds.filter(name="Kylo Ren").exists()


def test_a_bad_pseud_form_keeps_what_was_typed(client, author):
    client.force_login(author)
    url = reverse("users:pseud_new", args=["smolhux"])
    response = client.post(url, {"name": "SmolHux", "description": "Keep me please"})
    assert response.status_code == 400
    assert "You already have a pseud called" in response.text
    assert "Keep me please" in response.text


def test_someone_else_gets_403_and_a_missing_pseud_404(client, author, reader):
    create_pseud(user=author, name="Hux")
    client.force_login(reader)
    assert client.get(reverse("users:pseud_new", args=["smolhux"])).status_code == 403
    assert client.get(reverse("users:pseud_edit", args=["smolhux", "Hux"])).status_code == 403
    delete_url = reverse("users:pseud_delete", args=["smolhux", "Hux"])
    assert client.post(delete_url).status_code == 403
    default_url = reverse("users:pseud_make_default", args=["smolhux", "Hux"])
    assert client.post(default_url).status_code == 403
    assert client.get(reverse("users:pseud_edit", args=["smolhux", "Nope"])).status_code == 404
    assert Pseud.objects.filter(user=author, name="Hux", is_default=False).exists()


def test_guests_are_sent_to_log_in(client, author):
    response = client.get(reverse("users:pseud_new", args=["smolhux"]))
    assert response.status_code == 302 and "login" in response.url


def test_owner_deletes_a_pseud_after_confirming(client, author, make_work):
    hux = create_pseud(user=author, name="Hux")
    work = make_work(pseud=hux)
    client.force_login(author)
    url = reverse("users:pseud_delete", args=["smolhux", "Hux"])
    assert "Delete Hux" in client.get(url).text
    assert client.post(url).status_code == 302
    assert not Pseud.objects.filter(pk=hux.pk).exists()
    assert work.creatorships.get().pseud == author.default_pseud


def test_posting_as_another_users_pseud_is_a_form_error(client, author, reader):
    from tests.works.test_views import FORM

    create_pseud(user=reader, name="Reader Pseud")
    client.force_login(author)
    response = client.post(
        reverse("works:new"), {**FORM, "pseud": "Reader Pseud", "action": "post"}
    )
    assert response.status_code in (200, 400)
    assert "Select a valid choice" in response.text
    assert not Creatorship.objects.filter(pseud__name="Reader Pseud").exists()


# Works and bookmarks per pseud


def test_pseud_works_lists_only_that_pseuds_visible_works(client, author, make_work):
    name = "Général Hux ✨"
    hux = create_pseud(user=author, name=name)
    make_work(title="Under the pseud", pseud=hux)
    make_work(title="Secret author", pseud=hux, anonymous=True)
    make_work(title="Members only", pseud=hux, restricted=True)
    make_work(title="Under the default")
    url = reverse("users:pseud_works", args=["smolhux", name])
    assert quote(name) in url
    response = client.get(url)
    assert response.status_code == 200
    assert "Under the pseud" in response.text
    for hidden in ("Secret author", "Members only", "Under the default"):
        assert hidden not in response.text
    client.force_login(author)
    assert "Secret author" in client.get(url).text


def test_pseud_bookmarks_lists_only_that_pseuds_bookmarks(client, author, reader, make_work):
    hux = create_pseud(user=author, name="Hux")
    bookmark(user=author, work=make_work(user=reader, title="Kept as Hux"), pseud=hux)
    bookmark(user=author, work=make_work(user=reader, title="Kept as smolhux"))
    bookmark(user=author, work=make_work(user=reader, title="Private one"), pseud=hux, private=True)
    response = client.get(reverse("users:pseud_bookmarks", args=["smolhux", "hux"]))
    assert response.status_code == 200
    assert "Kept as Hux" in response.text
    assert "Kept as smolhux" not in response.text and "Private one" not in response.text


def test_pseud_listings_have_a_bounded_query_count(
    client, author, reader, make_work, django_assert_max_num_queries
):
    hux = create_pseud(user=author, name="Hux")
    for number in range(6):
        work = make_work(title=f"Work {number}", pseud=hux)
        bookmark(user=author, work=make_work(user=reader, title=f"Theirs {number}"), pseud=hux)
        assert work
    client.force_login(reader)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("users:pseud_works", args=["smolhux", "Hux"])).status_code == 200
    with django_assert_max_num_queries(16):
        url = reverse("users:pseud_bookmarks", args=["smolhux", "Hux"])
        assert client.get(url).status_code == 200


def test_a_reader_who_mutes_the_user_sees_none_of_the_pseuds_works_or_bookmarks(
    client, author, reader, make_user, make_work
):
    from fanshelf.muting.services import mute

    hux = create_pseud(user=author, name="Hux")
    make_work(title="Muted work", pseud=hux)
    bookmark(user=author, work=make_work(user=make_user("other"), title="Muted rec"), pseud=hux)
    mute(user=reader, target=author)
    client.force_login(reader)
    works = client.get(reverse("users:pseud_works", args=["smolhux", "Hux"]))
    bookmarks = client.get(reverse("users:pseud_bookmarks", args=["smolhux", "Hux"]))
    assert "Muted work" not in works.text
    assert "Muted rec" not in bookmarks.text
