import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from fanshelf.accounts.models import Pseud
from fanshelf.accounts.services import change_email, change_username
from fanshelf.discovery.models import SearchChapter

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _emails_sent_on_commit(db):
    """Ask for ``db`` so the suite's conftest runs on-commit callbacks (emails) at once."""


def test_account_page_needs_a_login(client):
    response = client.get(reverse("account:page"))
    assert response.status_code == 302 and "/login/" in response.url


def test_change_email_needs_the_password_and_reconfirmation(author):
    author.email_confirmed = True
    author.save()
    with pytest.raises(ValidationError) as caught:
        change_email(user=author, password="wrong", email="new@example.org")
    assert "password" in caught.value.message_dict
    change_email(user=author, password=PASSWORD, email="new@example.org")
    author.refresh_from_db()
    assert author.email == "new@example.org" and not author.email_confirmed
    assert mail.outbox[-1].to == ["new@example.org"]


def test_same_or_bad_email_is_refused(author):
    for email, message in (("SMOLHUX@example.org", "already"), ("not-an-email", "valid")):
        with pytest.raises(ValidationError) as caught:
            change_email(user=author, password=PASSWORD, email=email)
        assert message in caught.value.message_dict["email"][0]


def test_old_confirmation_link_stops_working_after_a_change(client, author):
    client.force_login(author)
    client.post(reverse("account:send_confirmation"))
    old_path = re.search(r"(/account/confirm/\S+)", mail.outbox[-1].body).group(1)
    change_email(user=author, password=PASSWORD, email="new@example.org")
    assert client.post(old_path).status_code == 400
    author.refresh_from_db()
    assert not author.email_confirmed


def test_email_form_keeps_what_was_typed(client, author):
    client.force_login(author)
    response = client.post(
        reverse("account:change_email"), {"email": "new@example.org", "password": "wrong"}
    )
    assert "That is not your password" in response.text
    assert 'value="new@example.org"' in response.text


def test_rename_renames_the_default_pseud_and_reindexes(author, make_work):
    work = make_work()
    change_username(user=author, username="GeneralHux")
    author.refresh_from_db()
    assert author.username == "GeneralHux"
    assert author.default_pseud.name == "GeneralHux"
    assert "GeneralHux" in SearchChapter.objects.get(work=work).creators


def test_rename_keeps_a_default_pseud_with_its_own_name(author):
    pseud = author.default_pseud
    pseud.name = "Armitage"
    pseud.save()
    change_username(user=author, username="hux2")
    assert author.default_pseud.name == "Armitage"


def test_rename_is_unique_ignoring_case_but_may_change_own_case(author, make_user):
    make_user("Kylo")
    with pytest.raises(ValidationError) as caught:
        change_username(user=author, username="KYLO")
    assert "taken" in caught.value.message_dict["username"][0]
    change_username(user=author, username="SmolHux")
    author.refresh_from_db()
    assert author.username == "SmolHux"


def test_rename_refuses_bad_names_and_the_orphan_account(author):
    for name in ("no spaces", "", "orphan_account"):
        with pytest.raises(ValidationError):
            change_username(user=author, username=name)
    author.refresh_from_db()
    assert author.username == "smolhux"


def test_rename_does_not_clash_with_another_own_pseud(author):
    Pseud.objects.create(user=author, name="Hux")
    change_username(user=author, username="hux")
    author.refresh_from_db()
    assert author.username == "hux"
    assert author.default_pseud.name == "smolhux"


def test_username_form_shows_errors_and_keeps_the_typed_name(client, author, make_user):
    make_user("kylo")
    client.force_login(author)
    response = client.post(reverse("account:change_username"), {"username": "Kylo"})
    assert "That username is taken" in response.text
    assert 'value="Kylo"' in response.text
    done = client.post(reverse("account:change_username"), {"username": "hux"}, follow=True)
    assert "Your username is now hux" in done.text
