"""The load benchmark's parts that run without wrk: targets, wrk's output, the table.

bench/load.py itself starts servers and wrk and is run by hand; these tests run its
pure helpers (bench/load_report.py) and the archive side
(fanshelf.core.benchmarks.load) on a tiny corpus. They never assert on time.
"""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from fanshelf.core.benchmarks import corpus, load
from fanshelf.feedback.models import Comment, Kudos
from fanshelf.works.models import Work

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load_report():
    spec = importlib.util.spec_from_file_location("load_report", BENCH / "load_report.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("load_report", module)
    spec.loader.exec_module(module)
    return module


report = _load_report()

# What wrk prints with bench/lua/load.lua: its own summary, then done()'s lines.
WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:8765/healthz
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   120.51ms   40.10ms 500.00ms   70.00%
  1200 requests in 10.00s, 2.00MB read
Requests/sec:    120.00
requests 1200
duration_us 10000000
bytes 2097152
socket_errors 2
status_errors 3
p50_us 110500
p90_us 170000
p99_us 480250
status 302 1180
status 200 16
status 404 3
status 200-form-errors 1
kind comment 1184
kind csrf-page 16
"""


def test_wrk_output_gives_rate_latency_errors_and_status_mix():
    result = report.parse_wrk_output(WRK_OUTPUT)
    assert result.requests == 1200
    assert result.rate == pytest.approx(120.0)
    assert (result.p50_us, result.p90_us, result.p99_us) == (110500, 170000, 480250)
    # Socket errors plus the 404s; the form shown again is a 200, not an error.
    assert result.errors == 2 + 3
    assert result.statuses == {"302": 1180, "200": 16, "404": 3, "200-form-errors": 1}
    assert result.kinds == {"comment": 1184, "csrf-page": 16}
    assert result.status_mix() == "200×16 200-form-errors×1 302×1180 404×3"


def test_a_server_error_counts_even_when_wrk_missed_it():
    text = WRK_OUTPUT.replace("status_errors 3", "status_errors 0") + "status 500 7\n"
    assert report.parse_wrk_output(text).errors == 2 + 3 + 7


def test_wrk_output_without_figures_is_refused():
    with pytest.raises(ValueError, match="no figures"):
        report.parse_wrk_output("unable to connect to 127.0.0.1:8765 Connection refused\n")


def test_the_lua_script_prints_every_figure_the_parser_reads():
    lua = (BENCH / "lua" / "load.lua").read_text()
    printed = set(re.findall(r'string\.format\("(\w+) %d\\n"', lua))
    printed |= {f"p{p}_us" for p in re.findall(r"ipairs\(\{([\d, ]+)\}\)", lua)[0].split(", ")}
    fields = {"requests", "duration_us", "bytes", "socket_errors", "status_errors"}
    assert fields | {"p50_us", "p90_us", "p99_us"} <= printed
    assert all(hasattr(report.WrkResult(), name) for name in printed)


def _row(engine, target, connections, requests, p99_us=50_000):
    text = WRK_OUTPUT.replace("requests 1200", f"requests {requests}")
    result = report.parse_wrk_output(text.replace("p99_us 480250", f"p99_us {p99_us}"))
    return report.Row(engine, target, connections, result)


def test_the_table_aligns_every_run_and_the_ratio_uses_healthz_of_the_same_run():
    rows = [
        _row("sqlite", "work", 64, 7000),
        _row("sqlite", "healthz", 64, 20000),
        _row("postgres", "work", 64, 5000),
    ]
    lines = report.format_table(rows).splitlines()
    assert lines[0].split()[:4] == ["engine", "target", "conns", "req/s"]
    assert "a. work page, 5,000-word first chapter" in lines[1]
    assert re.search(r"\b64\s+700\s+110\.5\s+50\.0\s+5\b", lines[1])
    assert report.ratios(rows) == [
        "sqlite, 64 connections: work page 700 req/s ÷ /healthz 2,000 req/s = 0.35"
    ]
    markdown = report.markdown_table(rows).splitlines()
    assert len(markdown) == 2 + len(rows)
    assert all(line.count("|") == markdown[0].count("|") for line in markdown)


def test_targets_are_chosen_by_name_or_letter_in_run_order():
    assert report.parse_targets("a,g,entire,m") == ["healthz", "work", "entire", "mix"]
    with pytest.raises(ValueError, match="unknown target 'x'"):
        report.parse_targets("a,x")
    assert report.parse_counts("16, 64,256", "--connections", "16,64") == [16, 64, 256]
    for bad in ("0", "", "four", "1,-4"):
        with pytest.raises(ValueError, match="--threads takes positive numbers, e.g. 1,4"):
            report.parse_counts(bad, "--threads", "1,4")
    assert [report.server_kind(n) for n in (1, 4)] == ["sync", "4 threads"]


@pytest.fixture
def tiny_archive(db):
    corpus.build_corpus(works=30, seed=3)
    return load.ensure_reading_work()


def test_the_benchmark_work_is_posted_once_with_a_5000_word_first_chapter(tiny_archive):
    work = tiny_archive
    first, *rest = work.chapters.order_by("position")
    assert work.state == Work.State.POSTED and not work.restricted
    assert first.word_count >= load.FIRST_CHAPTER_WORDS
    assert len(rest) == len(load.OTHER_CHAPTER_WORDS)
    assert work.word_count > first.word_count
    assert "General Audiences" in work.tags.values_list("name", flat=True)
    assert load.ensure_reading_work() == work
    assert Work.objects.filter(title=load.TITLE).count() == 1


def test_every_get_target_answers_a_guest(client, tiny_archive):
    targets = load.load_targets(tiny_archive)
    last = tiny_archive.chapters.order_by("position").last()
    tail = last.body[-80:]
    pages = {key: client.get(path) for key, path in targets["paths"].items()}
    assert {key: page.status_code for key, page in pages.items()} == dict.fromkeys(pages, 200)
    assert tail not in pages["work"].content.decode()
    assert tail in pages["entire"].content.decode()
    assert targets["fandom"] in pages["listing"].content.decode()
    assert tiny_archive.title in pages["listing"].content.decode()


def test_the_post_targets_take_guest_kudos_and_comments(client, tiny_archive):
    targets = load.load_targets(tiny_archive)
    ids = targets["feedback_ids"]
    assert ids and set(ids) <= set(
        Work.objects.filter(state=Work.State.POSTED, restricted=False).values_list("pk", flat=True)
    )
    plan = report.wrk_plan("http://127.0.0.1:1", "kudos", targets)
    assert plan.script_args[:2] == ["mode=kudos", "ids=" + ",".join(map(str, ids))]
    work_id = ids[-1]
    kudos = client.post(targets["kudos_path"].replace("{id}", str(work_id)))
    comment = client.post(
        targets["comment_path"].replace("{id}", str(work_id)),
        {"guest_name": "Reader t1-1", "guest_email": "r1@example.invalid", "body": "Lovely."},
    )
    assert (kudos.status_code, comment.status_code) == (302, 302)
    assert Kudos.objects.filter(work_id=work_id).count() == 1
    assert Comment.objects.get(work_id=work_id).guest_name == "Reader t1-1"
    mix = report.wrk_plan("http://127.0.0.1:1", "mix", targets)
    assert f"work={targets['paths']['work']}" in mix.script_args
    work = report.wrk_plan("http://127.0.0.1:1", "work", targets)
    assert work.url == "http://127.0.0.1:1" + targets["paths"]["work"]
