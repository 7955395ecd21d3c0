import re

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.urls import reverse

from fanshelf.accounts.deletion import delete_account, orphan_pseud
from fanshelf.accounts.models import User
from fanshelf.discovery.models import SearchChapter
from fanshelf.works.models import Creatorship, Work

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def creators(work) -> list[str]:
    return [c.pseud.name for c in Creatorship.objects.filter(work=work).select_related("pseud")]


def indexed_creators(work) -> set[str]:
    return set(SearchChapter.objects.filter(work=work).values_list("creators", flat=True))


def test_orphaning_keeps_the_works_under_the_orphan_account(author, make_work):
    work = make_work(title="Perfect")
    assert "smolhux" in indexed_creators(work).pop()
    delete_account(user=author, password=PASSWORD, works="orphan")
    assert not User.objects.filter(username="smolhux").exists()
    assert creators(Work.objects.get(pk=work.pk)) == ["orphan_account"]
    index = indexed_creators(work).pop()
    assert "orphan_account" in index and "smolhux" not in index


def test_orphan_account_is_made_once_and_cannot_log_in(make_user, make_work, client):
    first, second = make_user("first"), make_user("second")
    make_work(user=first), make_work(user=second)
    delete_account(user=first, password=PASSWORD, works="orphan")
    delete_account(user=second, password=PASSWORD, works="orphan")
    orphan = User.objects.get(username="orphan_account")
    assert orphan.pseuds.count() == 1
    assert orphan_pseud().creatorships.count() == 2
    assert not orphan.has_usable_password()
    response = client.post(reverse("login"), {"username": "orphan_account", "password": ""})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_nobody_can_sign_up_as_the_orphan_account(client):
    response = client.post(
        reverse("sign_up"),
        {
            "username": "Orphan_Account",
            "email": "o@example.org",
            "password": "a long enough secret",
            "password_again": "a long enough secret",
        },
    )
    assert "taken" in response.text


def test_deleting_works_removes_sole_works_and_keeps_shared_ones(author, make_user, make_work):
    sole = make_work(title="Mine alone")
    shared = make_work(title="Ours")
    friend = make_user("friend")
    Creatorship.objects.create(work=shared, pseud=friend.default_pseud, position=1)
    delete_account(user=author, password=PASSWORD, works="delete")
    assert not Work.objects.filter(pk=sole.pk).exists()
    assert not SearchChapter.objects.filter(work_id=sole.pk).exists()
    assert creators(shared) == ["friend"]
    assert "smolhux" not in indexed_creators(shared).pop()
    assert not User.objects.filter(username="orphan_account").exists()


def test_wrong_password_deletes_nothing(author, make_work):
    work = make_work()
    with pytest.raises(ValidationError) as caught:
        delete_account(user=author, password="wrong", works="delete")
    assert "password" in caught.value.message_dict
    assert Work.objects.filter(pk=work.pk).exists()
    assert User.objects.filter(pk=author.pk).exists()


def test_unknown_choice_is_refused(author):
    with pytest.raises(ValidationError) as caught:
        delete_account(user=author, password=PASSWORD, works="sell")
    assert "works" in caught.value.message_dict


def test_the_orphan_account_cannot_be_deleted(settings, make_user):
    keeper = make_user("keeper")
    settings.FANSHELF_ORPHAN_ACCOUNT = "keeper"
    with pytest.raises(PermissionDenied):
        delete_account(user=keeper, password=PASSWORD, works="orphan")
    # A person who owns that name is never handed other people's works.
    with pytest.raises(ImproperlyConfigured):
        orphan_pseud()


def test_delete_page_logs_out_and_says_goodbye(client, author, make_work):
    make_work()
    client.force_login(author)
    response = client.post(
        reverse("account:delete"), {"works": "orphan", "password": PASSWORD}, follow=True
    )
    assert "Your account is deleted" in response.text
    assert not response.context["user"].is_authenticated


def test_delete_page_with_wrong_password_keeps_the_choice(client, author):
    client.force_login(author)
    response = client.post(reverse("account:delete"), {"works": "delete", "password": "nope"})
    assert response.status_code == 200
    assert "That is not your password" in response.text
    assert re.search(r'value="delete"[^>]*checked', response.text)
    assert User.objects.filter(pk=author.pk).exists()
