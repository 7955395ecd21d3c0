"""The mute and block buttons on a user's works page, and the muting page with its undo buttons."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from fanshelf.muting import services
from fanshelf.muting.models import Block, Mute

pytestmark = pytest.mark.django_db


def works_page(user) -> str:
    return reverse("users:works", args=[user.username])


def messages_in(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_reader_sees_mute_and_block_buttons_on_someone_elses_works_page(client, reader, troll):
    client.force_login(reader)
    page = client.get(works_page(troll)).content.decode()

    assert f'action="{reverse("muting:mute", args=["troll"])}"' in page
    assert f'action="{reverse("muting:block", args=["troll"])}"' in page


def test_guests_and_the_owner_see_no_buttons(client, reader):
    assert "muting-box" not in client.get(works_page(reader)).content.decode()
    client.force_login(reader)
    assert "muting-box" not in client.get(works_page(reader)).content.decode()


def test_muting_from_the_works_page_comes_back_with_an_unmute_button(client, reader, troll):
    client.force_login(reader)
    response = client.post(
        reverse("muting:mute", args=["troll"]), {"next": works_page(troll)}, follow=True
    )

    assert response.redirect_chain[-1][0] == works_page(troll)
    assert messages_in(response)[0].startswith("You muted troll.")
    assert f'action="{reverse("muting:unmute", args=["troll"])}"' in response.content.decode()
    assert Mute.objects.filter(user=reader, muted=troll).exists()


def test_blocking_and_unblocking_from_the_works_page(client, reader, troll):
    client.force_login(reader)
    client.post(reverse("muting:block", args=["troll"]), {"next": works_page(troll)})
    assert Block.objects.filter(user=reader, blocked=troll).exists()

    response = client.post(reverse("muting:unblock", args=["troll"]), follow=True)
    assert messages_in(response)[-1] == "You unblocked troll."
    assert not Block.objects.exists()


def test_the_muting_page_lists_mutes_and_blocks_with_undo_buttons(client, reader, troll, author):
    services.mute(user=reader, target=troll)
    services.block(user=reader, target=author)
    client.force_login(reader)

    page = client.get(reverse("muting:page")).content.decode()
    assert f'action="{reverse("muting:unmute", args=["troll"])}"' in page
    assert f'action="{reverse("muting:unblock", args=["smolhux"])}"' in page

    response = client.post(
        reverse("muting:unmute", args=["troll"]), {"next": reverse("muting:page")}, follow=True
    )
    assert "You do not mute anyone." in response.content.decode()


def test_the_muting_page_asks_guests_to_log_in(client):
    response = client.get(reverse("muting:page"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_muting_oneself_or_past_the_limit_is_explained(client, settings, reader, troll, author):
    settings.FANSHELF_MUTE_LIMIT = 1
    client.force_login(reader)

    response = client.post(reverse("muting:mute", args=["reader"]), follow=True)
    assert messages_in(response) == ["You cannot mute yourself."]
    client.post(reverse("muting:mute", args=["troll"]))
    response = client.post(reverse("muting:mute", args=["smolhux"]), follow=True)
    assert "the most the archive allows" in messages_in(response)[-1]
    assert list(Mute.objects.values_list("muted__username", flat=True)) == ["troll"]


def test_the_buttons_take_post_with_a_csrf_token_only(reader, troll):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    assert client.get(reverse("muting:mute", args=["troll"])).status_code == 405
    assert client.post(reverse("muting:mute", args=["troll"])).status_code == 403
    assert not Mute.objects.exists()


def test_an_unknown_user_is_404_and_an_outside_next_is_ignored(client, reader, troll):
    client.force_login(reader)
    assert client.post(reverse("muting:mute", args=["nobody"])).status_code == 404

    response = client.post(
        reverse("muting:mute", args=["troll"]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("muting:page")
