"""markdown_to_html: CommonMark with tables and strikethrough, always sanitised."""

from fanshelf.text import markdown_to_html


def test_emphasis_and_strong():
    assert (
        markdown_to_html("*soft* and **loud**") == "<p><em>soft</em> and <strong>loud</strong></p>"
    )


def test_strikethrough():
    assert markdown_to_html("~~gone~~") == "<p><s>gone</s></p>"


def test_paragraphs_and_headings():
    body = markdown_to_html("# Chapter One\n\nFirst.\n\nSecond.")

    assert body == "<h1>Chapter One</h1>\n<p>First.</p>\n<p>Second.</p>"


def test_lists():
    assert markdown_to_html("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert markdown_to_html("3. three\n4. four") == (
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'
    )


def test_blockquote():
    assert markdown_to_html("> quoted") == "<blockquote>\n<p>quoted</p>\n</blockquote>"


def test_table():
    body = markdown_to_html("| who | what |\n|-----|------|\n| Kylo | Ren |")

    assert "<table>" in body
    assert "<th>who</th>" in body
    assert "<td>Kylo</td>" in body


def test_links_get_nofollow():
    assert markdown_to_html("[site](https://example.org)") == (
        '<p><a href="https://example.org" rel="nofollow">site</a></p>'
    )


def test_raw_script_is_removed():
    body = markdown_to_html(
        "Hello <script>alert(1)</script> there\n\n<script>\nalert(2)\n</script>"
    )

    assert "<script" not in body
    assert "alert" not in body


def test_javascript_link_is_neutralised():
    for md in ("[x](javascript:alert(1))", '<a href="JavaScript:alert(1)">x</a>'):
        body = markdown_to_html(md)

        assert 'href="javascript' not in body.lower()
        assert "<a href=" not in body.lower()


def test_allowed_raw_html_is_kept():
    assert markdown_to_html("<details><summary>Spoiler</summary>\n\nHidden\n\n</details>") == (
        "<details><summary>Spoiler</summary>\n<p>Hidden</p>\n</details>"
    )


def test_empty_markdown_gives_empty_string():
    assert markdown_to_html("") == ""
    assert markdown_to_html("  \n ") == ""
