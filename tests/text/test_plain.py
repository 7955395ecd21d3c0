"""html_to_text: plain text for TXT downloads and search."""

from fanshelf.text import html_to_text


def test_paragraphs_are_separated_by_a_blank_line():
    assert html_to_text("<p>One.</p><p>Two.</p>") == "One.\n\nTwo."


def test_whitespace_inside_a_line_is_collapsed():
    assert html_to_text("<p>Kylo   had\n  always <em>seen</em> Hux</p>") == (
        "Kylo had always seen Hux"
    )


def test_entities_are_unescaped():
    assert html_to_text("<p>Fish &amp; chips &lt;3 caf&eacute; &#8220;hi&#8221;</p>") == (
        "Fish & chips <3 café “hi”"
    )


def test_br_starts_a_new_line_and_two_make_a_paragraph():
    assert html_to_text("<p>Roses are red,<br>violets are blue.<br><br>The end.</p>") == (
        "Roses are red,\nviolets are blue.\n\nThe end."
    )


def test_list_items_and_table_rows_are_lines():
    assert html_to_text("<ul><li>one</li><li>two</li></ul>") == "one\ntwo"
    assert html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>") == (
        "a b\nc"
    )


def test_headings_and_blockquotes_are_paragraphs():
    html = "<h2>Chapter 1</h2><blockquote><p>An epigraph.</p></blockquote><div>Text</div>"

    assert html_to_text(html) == "Chapter 1\n\nAn epigraph.\n\nText"


def test_horizontal_rule_is_a_scene_break():
    assert html_to_text("<p>Before.</p><hr><p>After.</p>") == "Before.\n\n* * *\n\nAfter."


def test_preformatted_text_keeps_its_spaces():
    assert html_to_text("<pre>  a   b\n  c</pre>") == "  a   b\n  c"


def test_scripts_and_styles_are_left_out():
    assert html_to_text("<p>Hi</p><script>alert(1)</script><style>p{}</style>") == "Hi"


def test_plain_text_passes_through():
    assert html_to_text("just words") == "just words"


def test_empty_html_gives_empty_string():
    assert html_to_text("") == ""
    assert html_to_text("<p></p><div> </div>") == ""
