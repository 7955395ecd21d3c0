"""count_words follows AO3's counting rules."""

import pytest

from fanshelf.text import count_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("one", 1),
        ("Kylo had always seen Hux as perfect.", 7),
        # tags separate words
        ("<p>one</p><p>two</p>", 2),
        ("wo<em>rd</em>", 2),
        ("<p>one<br>two</p>", 2),
        ("<p>Hux <em>was</em> <strong>perfect</strong>.</p>", 3),
        ('<img src="x.png" alt="many words here"><p>one</p>', 1),
        ("<p>kept</p><script>var not = counted;</script><style>p {}</style>", 1),
        # entities are unescaped
        ("Fish&nbsp;&amp;&nbsp;chips", 2),
        ("caf&eacute; r&eacute;sum&eacute;", 2),
        ("a&mdash;b", 2),
        # hyphens and apostrophes join
        ("arm-rest", 1),
        ("don't", 1),
        ("Hux's", 1),
        ("Kylo’s", 1),
        ("‘tis the rock’n’roll", 3),
        ("co-commander of the Finalizer", 4),
        ("well-thought-out", 1),
        # dashes separate
        ("a--b", 2),
        ("a---b", 2),
        ("a—b", 2),
        ("a–b", 2),
        ("going as fast as we–", 5),
        ("We are going as fast as we– “Don’t speak back to me", 12),
        ("“How dare you–”", 3),
        ("a - b", 2),
        # punctuation alone counts nothing
        ("* * *", 0),
        ("...", 0),
        ("—", 0),
        ("~~~", 0),
        ("<p>Hello.</p><p>* * *</p><p>~~~</p><p>Goodbye.</p>", 2),
        ("!!! ??? ---", 0),
        # numbers count
        ("1999", 1),
        ("It was 1999 and 42 people came", 7),
        ("1,000 and 3.14", 3),
        # ellipsis separates
        ("I…I know", 3),
        ("P…Perfect?", 2),
        ("Wait...what", 2),
        ("because I am…jealous.", 4),
        # abbreviations and slashes are one word
        ("U.S.A. and/or e.g.", 3),
        # scripts without spaces: one word per character
        ("東京", 2),
        ("ニンジャ", 4),
        ("ひらがな", 4),
        ("I love 東京 and ニンジャ", 9),
        ("ラーメン。", 4),
        ("東京、大阪。", 4),
        ("私はKyloです", 5),
        ("สวัสดี", 6),
        ("Hello สวัสดี world", 8),
        # other scripts count whitespace-separated words
        ("Привет, мир!", 2),
        ("Γειά σου Κόσμε", 3),
        ("مرحبا بالعالم", 2),
        ("שלום עולם", 2),
        ("안녕하세요 세계", 2),
        ("<p>Кайло и Хакс</p><p>one more</p>", 5),
    ],
)
def test_count_words(text, expected):
    assert count_words(text) == expected


def test_inline_tag_inside_a_word_splits_it_like_ao3():
    # AO3 treats every tag as a word boundary, so markup inside a word counts twice.
    assert count_words("wo<em>rd</em>") == 2
    assert count_words("word") == 1


def test_decomposed_kana_counts_like_composed():
    decomposed = "\u30b7\u3099"  # シ + combining voiced mark = ジ

    assert count_words(decomposed) == count_words("ジ") == 1
