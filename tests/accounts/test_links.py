import pytest
from django.core.exceptions import ValidationError

from fanshelf.accounts.links import clean_link, clean_url, link_view, profile_url


def test_the_seed_authors_tumblr_handle_becomes_their_blog_address():
    # The seed work's author note: "come chat with me on tumblr, @smol-hux".
    handle = clean_link("tumblr", "@smol-hux")
    assert handle == "smol-hux"
    assert profile_url("tumblr", handle) == "https://smol-hux.tumblr.com/"
    shown = link_view("tumblr", handle)
    assert (shown.text, shown.url) == ("@smol-hux", "https://smol-hux.tumblr.com/")


@pytest.mark.parametrize(
    ("site", "typed", "url"),
    [
        ("ao3", "smolhux", "https://archiveofourown.org/users/smolhux"),
        ("bluesky", "@smolhux.bsky.social", "https://bsky.app/profile/smolhux.bsky.social"),
        ("twitter", "@smol_hux", "https://x.com/smol_hux"),
        ("dreamwidth", "smol_hux", "https://smol-hux.dreamwidth.org/"),
        ("livejournal", "smol_hux", "https://smol-hux.livejournal.com/"),
        ("pillowfort", "smolhux", "https://www.pillowfort.social/smolhux"),
        ("instagram", "smol.hux", "https://www.instagram.com/smol.hux/"),
        ("wattpad", "smolhux", "https://www.wattpad.com/user/smolhux"),
        ("ko-fi", "smolhux", "https://ko-fi.com/smolhux"),
        ("patreon", "smolhux", "https://www.patreon.com/smolhux"),
        ("mastodon", "@smolhux@mastodon.social", "https://mastodon.social/@smolhux"),
        ("website", "https://example.org/~hux?a=1", "https://example.org/~hux?a=1"),
    ],
)
def test_known_sites_turn_handles_into_profile_addresses(site, typed, url):
    assert profile_url(site, clean_link(site, typed)) == url


def test_discord_handles_are_text_without_an_address():
    shown = link_view("discord", clean_link("discord", "smolhux"))
    assert shown.url == "" and shown.text == "smolhux"


@pytest.mark.parametrize(
    ("site", "typed"),
    [
        ("tumblr", "smol hux"),
        ("tumblr", "a" * 33),
        ("tumblr", "smol.hux"),
        ("tumblr", "https://smol-hux.tumblr.com/"),
        ("tumblr", "@"),
        ("mastodon", "smolhux"),
        ("mastodon", "@smolhux@"),
        ("twitter", "javascript:alert(1)"),
        ("cohost", "smolhux"),
    ],
)
def test_handles_are_checked_per_site(site, typed):
    with pytest.raises(ValidationError):
        clean_link(site, typed)


@pytest.mark.parametrize(
    "typed",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)//https://x.org",
        "data:text/html,<script>alert(1)</script>",
        "https://user:secret@example.org/",
        "https://evil.example@example.org/",
        "https://example.org/a b",
        "ftp://example.org/",
        "https://",
        "//example.org/",
        "example.org",
        "https://exa\nmple.org/",
    ],
)
def test_free_urls_need_http_a_host_and_no_credentials_or_spaces(typed):
    with pytest.raises(ValidationError):
        clean_url(typed)


def test_a_stored_link_that_fails_the_checks_is_shown_as_text():
    shown = link_view("website", "javascript:alert(1)")
    assert shown.url == ""
