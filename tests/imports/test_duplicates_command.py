"""`fanshelf duplicates`: pairs of nearly identical works for moderators."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fanshelf.core.benchmarks.vocabulary import ProseWriter
from fanshelf.imports.management.commands.duplicates import Command
from fanshelf.imports.models import FingerprintBand, WorkFingerprint
from fanshelf.text import html_to_text, text_to_html

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"
_writer = ProseWriter()


def story_html(number: int) -> str:
    return _writer.chapter_html(random.Random(number), 300, ["Rey", "Finn"])


def with_typos(html: str) -> str:
    """The same story with two letters swapped in every 60th word."""
    words = html_to_text(html).split(" ")
    for index in range(0, len(words), 60):
        word = words[index]
        if len(word) > 2:
            words[index] = word[1] + word[0] + word[2:]
    return text_to_html(" ".join(words))


def run(*args) -> tuple[list[str], str]:
    out, err = StringIO(), StringIO()
    call_command("duplicates", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def forget_fingerprints():
    FingerprintBand.objects.all().delete()
    WorkFingerprint.objects.all().delete()


def test_lists_a_reposted_work_with_urls_titles_and_creators(make_work, make_user, seed_text):
    original = make_work(title="Perfect", chapters=[text_to_html(seed_text)])
    repost = make_work(
        make_user("reposter"),
        title="Perfect (reposted)",
        chapters=[with_typos(text_to_html(seed_text))],
    )
    make_work(title="Something else", chapters=[story_html(1)])
    lines, err = run()
    similarity, *described = lines[0].split("\t")
    assert 0.8 <= float(similarity) < 1.0 and len(similarity) == 4
    assert described == [
        f"{SITE}/works/{original.pk}/",
        "Perfect",
        "smolhux",
        f"{SITE}/works/{repost.pk}/",
        "Perfect (reposted)",
        "reposter",
    ]
    assert lines[1:] == ["1 pair at least 0.80 alike among 3 works (0 fingerprinted now)."]
    assert err == ""


def test_anonymous_works_do_not_name_their_creators(make_work, make_user):
    html = story_html(2)
    make_work(title="Mine", chapters=[html], anonymous=True)
    make_work(make_user("copycat"), title="Copied", chapters=[html])
    lines, _ = run()
    assert lines[0].split("\t")[::3] == ["1.00", "Anonymous", "copycat"]
    assert "smolhux" not in "\n".join(lines)


def test_a_higher_threshold_leaves_out_near_copies(make_work):
    html = story_html(3)
    make_work(title="A", chapters=[html])
    make_work(title="B", chapters=[with_typos(html)])
    lines, _ = run("--threshold", "0.99")
    assert lines == ["0 pairs at least 0.99 alike among 2 works (0 fingerprinted now)."]


def test_no_works_no_pairs():
    assert run() == (["0 pairs at least 0.80 alike among 0 works (0 fingerprinted now)."], "")


@pytest.mark.parametrize("threshold", ["0", "-0.5", "1.5", "nan", "eighty"])
def test_a_bad_threshold_is_refused(threshold):
    with pytest.raises(CommandError, match="--threshold must be a number more than 0"):
        run("--threshold", threshold)


def test_a_bad_threshold_is_one_line_and_a_failing_exit_status(capsys):
    with pytest.raises(SystemExit) as exit:
        Command().run_from_argv(["fanshelf", "duplicates", "--threshold", "2"])
    assert exit.value.code != 0
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "CommandError: --threshold must be a number more than 0 and at most 1, not '2'."
    ]


def test_missing_fingerprints_are_computed_first_quietly_when_few(make_work, capsys):
    html = story_html(4)
    make_work(title="A", chapters=[html])
    make_work(title="B", chapters=[html])
    forget_fingerprints()
    lines, _ = run()
    assert len(lines) == 2
    assert lines[-1] == "1 pair at least 0.80 alike among 2 works (2 fingerprinted now)."
    assert "Fingerprinting" not in capsys.readouterr().err


def test_refresh_recomputes_every_fingerprint(make_work):
    make_work(title="A", chapters=[story_html(5)])
    lines, _ = run("--refresh")
    assert lines == ["0 pairs at least 0.80 alike among 1 work (1 fingerprinted now)."]


def test_many_works_to_fingerprint_show_progress(make_work, capsys):
    for number in range(51):
        make_work(title=f"Drabble {number}", chapters=[f"<p>Drabble number {number}.</p>"])
    forget_fingerprints()
    lines, _ = run()
    assert lines == ["0 pairs at least 0.80 alike among 51 works (51 fingerprinted now)."]
    # Not a terminal here, so plain progress lines on stderr instead of a bar.
    assert "Fingerprinting works: 51/51 works" in capsys.readouterr().err
