import pytest
from django.core.exceptions import ValidationError

from fanshelf.accounts.models import User
from fanshelf.accounts.services import create_user, issue_api_token, user_for_token

pytestmark = pytest.mark.django_db


@pytest.mark.argon2
def test_new_user_has_a_default_pseud_and_argon2_password(make_user):
    user = make_user("kylo")
    assert user.default_pseud.name == "kylo"
    assert user.password.startswith("argon2")


def test_usernames_are_unique_ignoring_case(make_user):
    make_user("Kylo")
    with pytest.raises(ValidationError) as caught:
        make_user("kylo")
    assert "taken" in caught.value.message_dict["username"][0]


def test_weak_password_and_bad_email_are_reported():
    with pytest.raises(ValidationError) as caught:
        create_user(username="hux", email="not-an-email", password="123")
    assert set(caught.value.message_dict) == {"email", "password"}
    assert not User.objects.exists()


def test_admin_role_is_staff_and_superuser(make_user):
    admin = make_user("boss", role="admin")
    assert admin.is_staff and admin.is_superuser
    assert not make_user("wrangler1", role="wrangler").is_staff


def test_tokens_are_stored_hashed_and_resolve_to_their_user(make_user):
    user = make_user("api-fan")
    raw = issue_api_token(user=user)
    assert raw.startswith("fs_")
    assert not user.api_tokens.filter(key_hash=raw).exists()
    assert user_for_token(raw) == user
    assert user_for_token("fs_wrong") is None
    user.is_active = False
    user.save()
    assert user_for_token(raw) is None
