"""Claiming archived works by email: ask for a link, open it, confirm."""

import re
import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse

from fanshelf.discovery import search
from fanshelf.imports.archive import archive_work, claim_token
from fanshelf.imports.models import ExternalCreator, ExternalCreatorship
from fanshelf.imports.readers import ImportedChapter, ImportedWork
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db

ANNA = "anna@example.org"
REQUEST_URL = "/claims/"


def imported(title, creators=("Anna K",)):
    return ImportedWork(
        title=title,
        chapters=[ImportedChapter(body_html=f"<p>The story of {title}.</p>")],
        creators=list(creators),
        tags={"rating": ["General Audiences"], "fandom": ["Star Wars"]},
    )


@pytest.fixture
def archivist(make_user):
    return make_user("opendoors", role="archivist")


@pytest.fixture
def archived(archivist):
    """Two works by Anna K (with her email) and one by Bo, from a closing archive."""
    emails = {"anna k": ANNA, "bo": "bo@example.org"}
    return [
        archive_work(imported("Ashes"), archivist=archivist, emails=emails)[0],
        archive_work(imported("Embers"), archivist=archivist, emails=emails, as_draft=True)[0],
        archive_work(imported("Other", creators=["Bo"]), archivist=archivist, emails=emails)[0],
    ]


@pytest.fixture
def anna(make_user):
    return make_user("annak")


@pytest.fixture
def anna_client(client, anna):
    client.force_login(anna)
    return client


def link_path(message) -> str:
    found = re.search(re.escape(settings.SITE_URL) + r"(/claims/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def ask_for_link(client, email=ANNA):
    return client.post(REQUEST_URL, {"email": email})


def test_the_whole_claim_flow(anna_client, anna, archived, archivist, mailoutbox):
    ashes, embers, other = archived
    page = anna_client.get(REQUEST_URL)
    assert page.status_code == 200
    assert "Claim works archived under your name" in page.content.decode()

    response = ask_for_link(anna_client)
    assert response.status_code == 302 and response.url == reverse("claims:sent")
    assert "we have emailed it a link" in anna_client.get(response.url).content.decode()
    [message] = mailoutbox
    assert message.to == [ANNA] and "Claim your archived works" in message.subject
    assert "2 works by Anna K" in message.body

    confirm = anna_client.get(link_path(message))
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Ashes" in text and "Embers" in text and "Other" not in text
    assert "your pseud annak" in text and "Claim these works" in text

    done = anna_client.post(link_path(message))
    assert done.status_code == 302 and done.url == reverse("users:works", args=["annak"])
    assert "You claimed 2 works" in anna_client.get(done.url).content.decode()
    for work in (ashes, embers):
        assert [c.pseud for c in work.creatorships.all()] == [anna.default_pseud]
        assert not work.external_creatorships.exists()
    assert embers.state == Work.State.DRAFT
    creator = ExternalCreator.objects.get(name="Anna K")
    assert creator.claimed_by == anna and creator.claimed_at is not None
    # Bo's work is still the archivist's, shown by Bo's name.
    assert [c.pseud.user for c in other.creatorships.all()] == [archivist]
    assert other.external_creatorships.get().creator.name == "Bo"


def test_claimed_works_show_their_new_creator(anna_client, archived, mailoutbox):
    ask_for_link(anna_client)
    anna_client.post(link_path(mailoutbox[0]))
    page = Client().get(archived[0].get_absolute_url()).content.decode()
    assert "annak" in page and "archived by" not in page


def test_claimed_works_are_found_under_their_new_creators_name(anna_client, archived, mailoutbox):
    def found(name):
        query = search.parse(f"creator:{name}")
        return set(search.backend().filter(Work.objects.all(), query).values_list("pk", flat=True))

    assert archived[0].pk in found("opendoors") and not found("annak")
    ask_for_link(anna_client)
    anna_client.post(link_path(mailoutbox[0]))
    assert archived[0].pk in found("annak")
    assert archived[0].pk not in found("opendoors")


def test_an_unknown_email_gets_the_same_answer_and_no_mail(anna_client, archived, mailoutbox):
    known = ask_for_link(anna_client, ANNA)
    unknown = ask_for_link(anna_client, "stranger@example.org")
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert [message.to for message in mailoutbox] == [[ANNA]]


def test_the_email_is_matched_in_any_case(anna_client, archived, mailoutbox):
    ask_for_link(anna_client, "Anna@EXAMPLE.org")
    assert (
        len(mailoutbox) == 1
        and "Ashes" in anna_client.get(link_path(mailoutbox[0])).content.decode()
    )


def test_no_link_is_sent_for_works_already_claimed(anna_client, archived, mailoutbox):
    ask_for_link(anna_client)
    anna_client.post(link_path(mailoutbox[0]))
    ask_for_link(anna_client)
    assert len(mailoutbox) == 1


def test_a_link_used_twice_says_already_claimed(anna_client, archived, mailoutbox):
    ask_for_link(anna_client)
    path = link_path(mailoutbox[0])
    anna_client.post(path)
    for response in (anna_client.get(path), anna_client.post(path)):
        assert response.status_code == 200
        assert "already been claimed" in response.content.decode()
    assert ExternalCreator.objects.get(name="Anna K").claimed_by.username == "annak"


def test_a_tampered_link_is_refused_with_a_message(anna_client, archived, mailoutbox):
    token = claim_token(ANNA, [c.pk for c in ExternalCreator.objects.filter(name="Anna K")])
    payload, _, signature = token.rpartition(":")
    forged = claim_token(
        "bo@example.org", list(ExternalCreator.objects.values_list("pk", flat=True))
    )
    for bad in (
        payload + ":" + signature[::-1],
        token[:-3],
        forged.rpartition(":")[0] + ":" + signature,
    ):
        response = anna_client.post(reverse("claims:confirm", args=[bad]))
        assert response.status_code == 400
        assert "This claim link is not valid" in response.content.decode()
    assert not ExternalCreator.objects.filter(claimed_by__isnull=False).exists()


def test_a_link_expires_after_the_configured_time(anna_client, archived, mailoutbox, monkeypatch):
    ask_for_link(anna_client)
    path = link_path(mailoutbox[0])
    now = time.time()
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: now + 6 * 86400))
    assert anna_client.get(path).status_code == 200
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: now + 8 * 86400))
    for response in (anna_client.get(path), anna_client.post(path)):
        assert response.status_code == 400
        assert "This claim link has expired" in response.content.decode()
    assert not ExternalCreator.objects.filter(claimed_by__isnull=False).exists()


def test_the_link_lifetime_is_a_setting(anna_client, archived, mailoutbox, settings):
    settings.FANSHELF_CLAIM_LINK_SECONDS = -1
    ask_for_link(anna_client)
    assert "has expired" in anna_client.get(link_path(mailoutbox[0])).content.decode()


def test_a_guest_opening_a_link_is_asked_to_log_in_first(client, archived, mailoutbox, anna):
    client.force_login(anna)
    ask_for_link(client)
    client.logout()
    path = link_path(mailoutbox[0])
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(REQUEST_URL).status_code == 302
    assert not ExternalCreator.objects.filter(claimed_by__isnull=False).exists()


def test_the_link_is_the_proof_whoever_opens_it_logged_in_claims(
    anna_client, archived, mailoutbox, make_user
):
    """The link proves ownership of the address, as a password-reset link does; it
    does not matter which account asked for it."""
    ask_for_link(anna_client)
    other = Client()
    other.force_login(make_user("annas_new_account"))
    assert "your pseud annas_new_account" in other.get(link_path(mailoutbox[0])).content.decode()
    other.post(link_path(mailoutbox[0]))
    assert ExternalCreator.objects.get(name="Anna K").claimed_by.username == "annas_new_account"


def test_confirming_needs_the_csrf_token(archived, mailoutbox, anna):
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)
    token = claim_token(ANNA, [c.pk for c in ExternalCreator.objects.filter(name="Anna K")])
    assert client.post(reverse("claims:confirm", args=[token])).status_code == 403
    assert not ExternalCreator.objects.filter(claimed_by__isnull=False).exists()


def test_asking_for_links_is_rate_limited(anna_client, archived, mailoutbox, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "claim": "2/3600"}
    assert ask_for_link(anna_client, "stranger@example.org").status_code == 302
    assert ask_for_link(anna_client).status_code == 302
    refused = ask_for_link(anna_client)
    assert refused.status_code == 429
    assert "too often" in refused.content.decode()
    assert len(mailoutbox) == 1


def test_a_bad_address_keeps_what_was_typed(anna_client, mailoutbox):
    response = ask_for_link(anna_client, "anna at example")
    text = response.content.decode()
    assert response.status_code == 400
    assert 'value="anna at example"' in text and "valid email address" in text
    assert not mailoutbox


def test_co_created_works_leave_the_archivist_when_the_last_creator_claims(
    archivist, make_user, mailoutbox
):
    emails = {"anna k": ANNA, "bo": "bo@example.org"}
    work, _ = archive_work(
        imported("Together", ["Anna K", "Bo"]), archivist=archivist, emails=emails
    )
    anna, bo = Client(), Client()
    anna.force_login(make_user("annak"))
    bo.force_login(make_user("bo"))
    ask_for_link(anna)
    anna.post(link_path(mailoutbox[-1]))
    assert {c.pseud.name for c in work.creatorships.all()} == {"opendoors", "annak"}
    byline = Client().get(work.get_absolute_url()).content.decode()
    assert "Bo</span>, <a" in byline and "[archived by" in byline
    ask_for_link(bo, "bo@example.org")
    bo.post(link_path(mailoutbox[-1]))
    assert {c.pseud.name for c in work.creatorships.all()} == {"annak", "bo"}
    assert not ExternalCreatorship.objects.filter(work=work).exists()
