import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanshelf.accounts.cocreators import (
    accept_invitation,
    decline_invitation,
    invite_co_creator,
    pending_invitations,
)
from fanshelf.accounts.models import CoCreatorInvitation
from fanshelf.accounts.pseuds import create_pseud
from fanshelf.discovery.models import SearchChapter
from fanshelf.muting.models import Block

pytestmark = pytest.mark.django_db


def credited(work) -> list[str]:
    return [c.pseud.name for c in work.creatorships.select_related("pseud")]


def test_an_invitation_credits_nobody_until_accepted(author, reader, make_work):
    work = make_work()
    create_pseud(user=reader, name="Kylo")
    invitation = invite_co_creator(user=author, work=work, username="reader", pseud_name="kylo")
    assert credited(work) == ["smolhux"]
    assert list(pending_invitations(reader)) == [invitation]

    accept_invitation(user=reader, invitation=invitation)

    assert credited(work) == ["smolhux", "Kylo"]
    assert not CoCreatorInvitation.objects.exists()
    assert "Kylo" in " ".join(
        SearchChapter.objects.filter(work=work).values_list("creators", flat=True)
    )


def test_declining_credits_nobody(author, reader, make_work):
    work = make_work()
    invitation = invite_co_creator(user=author, work=work, username="READER")
    assert invitation.pseud == reader.default_pseud
    decline_invitation(user=reader, invitation=invitation)
    assert credited(work) == ["smolhux"] and not CoCreatorInvitation.objects.exists()


def test_only_creators_invite_and_only_the_invited_answer(author, reader, make_user, make_work):
    work = make_work()
    stranger = make_user("stranger")
    with pytest.raises(PermissionDenied):
        invite_co_creator(user=stranger, work=work, username="reader")
    invitation = invite_co_creator(user=author, work=work, username="reader")
    for someone in (author, stranger):
        with pytest.raises(PermissionDenied):
            accept_invitation(user=someone, invitation=invitation)
        with pytest.raises(PermissionDenied):
            decline_invitation(user=someone, invitation=invitation)
    assert credited(work) == ["smolhux"]


@pytest.mark.parametrize(
    ("username", "pseud", "field"),
    [("nobody", "", "username"), ("reader", "Nope", "pseud"), ("smolhux", "", "username")],
)
def test_bad_invitations_are_refused(author, reader, make_work, username, pseud, field):
    with pytest.raises(ValidationError) as caught:
        invite_co_creator(user=author, work=make_work(), username=username, pseud_name=pseud)
    assert field in caught.value.message_dict


def test_a_user_who_blocks_you_cannot_be_invited(author, reader, make_work):
    Block.objects.create(user=reader, blocked=author)
    with pytest.raises(ValidationError):
        invite_co_creator(user=author, work=make_work(), username="reader")


def test_inviting_twice_is_refused(author, reader, make_work):
    work = make_work()
    invite_co_creator(user=author, work=work, username="reader")
    with pytest.raises(ValidationError):
        invite_co_creator(user=author, work=work, username="reader")


def test_the_pages_invite_and_accept(client, author, reader, make_work):
    work = make_work()
    client.force_login(author)
    url = reverse("users:co_creators", args=["smolhux", work.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "reader", "pseud": ""})
    assert response.status_code == 302
    assert credited(work) == ["smolhux"]
    bad = client.post(url, {"username": "nobody", "pseud": ""})
    assert bad.status_code == 400 and "nobody" in bad.text

    client.force_login(reader)
    assert client.get(url).status_code == 403
    page = client.get(reverse("users:invitations", args=["reader"]))
    assert "Accept credit on Perfect" in page.text
    invitation = CoCreatorInvitation.objects.get()
    assert client.get(reverse("users:invitations", args=["smolhux"])).status_code == 403
    accept = reverse("users:accept_invitation", args=["reader", invitation.pk])
    assert client.post(accept).status_code == 302
    assert credited(work) == ["smolhux", "reader"]
