from io import StringIO

import pytest
from django.core.management import call_command

from fanshelf.accounts.models import User
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db


def test_demo_loads_the_seed_once_with_two_logins(seed_text, client):
    from tests.conftest import SEED

    first, second = StringIO(), StringIO()
    call_command("demo", "--seeds", str(SEED.parent), stdout=first)
    call_command("demo", "--seeds", str(SEED.parent), stdout=second)
    work = Work.objects.get()
    assert "Demo login: demo-author / " in first.getvalue()
    assert "Demo login: demo-reader / " in first.getvalue()
    assert "Already imported" in second.getvalue()
    assert User.objects.filter(username__in=["demo-author", "demo-reader"]).count() == 2
    assert client.login(username="demo-reader", password="kudos-for-everyone")
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Star Wars Sequel Trilogy" in page
    assert "<p>Kylo had always seen Hux as perfect." in page
    assert "come chat with me on tumblr" in page.lower()


def test_demo_without_seeds_says_so(tmp_path):
    out = StringIO()
    call_command("demo", "--seeds", str(tmp_path), stdout=out)
    assert "No seed works found" in out.getvalue()
    assert not Work.objects.exists()
