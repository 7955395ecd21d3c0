from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fanshelf.accounts.models import User
from fanshelf.accounts.services import user_for_token

pytestmark = pytest.mark.django_db


def test_user_add_with_role():
    out = StringIO()
    call_command(
        "user", "add", "wrangly", "--email", "w@example.org", "--password", "tags all the way",
        "--role", "wrangler", stdout=out,
    )  # fmt: skip
    assert "Created wrangler wrangly" in out.getvalue()
    assert User.objects.get(username="wrangly").role == "wrangler"


def test_user_add_reports_every_problem_in_one_line(make_user):
    make_user("taken")
    with pytest.raises(CommandError) as caught:
        call_command("user", "add", "taken", "--email", "bad", "--password", "1")
    message = str(caught.value)
    assert "username: That username is taken." in message
    assert "email:" in message and "password:" in message
    assert "\n" not in message


def test_token_prints_a_working_token(make_user):
    user = make_user("tokenfan")
    out = StringIO()
    call_command("token", "tokenfan", stdout=out)
    assert user_for_token(out.getvalue().strip()) == user
    with pytest.raises(CommandError, match="No user called"):
        call_command("token", "ghost")
