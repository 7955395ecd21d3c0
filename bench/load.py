"""Load benchmark: a big archive served by `fanshelf serve`, driven by wrk (issue 9).

For each engine (SQLite, PostgreSQL or both) it builds an archive of N works with
`fanshelf bench corpus` in a data dir of its own (or re-uses one with --reuse), posts
one work with a 5,000-word first chapter through works.services, starts
`fanshelf serve --workers 2` with production settings and `fanshelf worker` beside
it (once per --threads: sync workers, then 4 threads each, by default), then runs
wrk (2 threads) for a fixed time per target and connection count:
the work page, the entire work, a filtered fandom listing, a search, kudos and
comment POSTs as a guest, /healthz (the constant view, the named alternative) and a
weighted mix. It prints req/s, p50/p99 latency, errors and the status mix per run,
the work page ÷ /healthz ratio, and the machine.

    .venv/bin/python bench/load.py --works 2000 --seconds 5        # a quick look
    .venv/bin/python bench/load.py --engine both                   # 100,000 works
    .venv/bin/python bench/load.py --reuse /tmp/fanshelf-load --targets a,g
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load_report as report  # noqa: E402 - bench/ is not a package

from fanshelf.core.benchmarks.servers import free_port, wait_for  # noqa: E402

ROOT = HERE.parent
BIN = Path(sys.executable).parent
FANSHELF = BIN / "fanshelf"
LUA = HERE / "lua" / "load.lua"
CORPUS_MARK = ".load-corpus"
# Server settings for the throwaway PostgreSQL (added to PG_OPTIONS when unset).
PG_OPTIONS = (
    "-c shared_buffers=1GB -c effective_cache_size=8GB -c work_mem=32MB -c random_page_cost=1.1"
)


def step(text: str) -> None:
    print(f"== {text}", flush=True)


def run(command: list, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], env=env, check=True, **kwargs)


def start_postgres(folder: Path, stack: ExitStack, keep: bool) -> str:
    """A throwaway PostgreSQL 15 (scripts/postgres.sh) with a `fanshelf` database; its URL."""
    import psycopg

    env = {**os.environ, "PG_OPTIONS": os.environ.get("PG_OPTIONS", PG_OPTIONS)}
    step(f"PostgreSQL: scripts/postgres.sh start {folder} (PG_OPTIONS={env['PG_OPTIONS']})")
    run([ROOT / "scripts" / "postgres.sh", "start", folder], env)
    if keep:
        print(f"   kept running for --reuse; stop with: scripts/postgres.sh stop {folder}")
    else:
        stack.callback(run, [ROOT / "scripts" / "postgres.sh", "stop", folder], os.environ)
    with psycopg.connect(host=str(folder), user="postgres", dbname="postgres") as admin:
        admin.autocommit = True
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = 'fanshelf'").fetchone()
        if not exists:
            admin.execute("CREATE DATABASE fanshelf")
    return subprocess.run(
        [str(ROOT / "scripts" / "postgres.sh"), "url", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def engine_env(engine: str, folder: Path, stack: ExitStack, keep: bool) -> dict:
    """Production settings for one engine's archive in ``folder``."""
    env = {
        **os.environ,
        "FANSHELF_DATA_DIR": str(folder / "data"),
        "FANSHELF_DEBUG": "0",
        "FANSHELF_SECRET_KEY": secrets.token_urlsafe(50),
        "FANSHELF_ALLOWED_HOSTS": "127.0.0.1",
        "FANSHELF_RATE_LIMITS": "0",
        "FANSHELF_LOG_LEVEL": "WARNING",
        "FANSHELF_REQUEST_LOG_LEVEL": "WARNING",
    }
    env.pop("FANSHELF_DATABASE_URL", None)
    env.pop("FANSHELF_REDIS_URL", None)
    if engine == "postgres":
        # The production profile of docs/deploy.md: PostgreSQL, and Redis for the
        # cache, the guest pages and the task queue.
        env["FANSHELF_DATABASE_URL"] = start_postgres(folder / "pgserver", stack, keep)
        env["FANSHELF_REDIS_URL"] = start_redis(folder / "redis", stack)
    return env


def start_redis(folder: Path, stack: ExitStack) -> str:
    """A throwaway redis-server on a Unix socket (scripts/redis.sh); its URL."""
    script = ROOT / "scripts" / "redis.sh"
    step(f"Redis: scripts/redis.sh start {folder}")
    run([script, "start", folder], os.environ)
    stack.callback(run, [script, "stop", folder], os.environ)
    return subprocess.run(
        [str(script), "url", str(folder)], check=True, capture_output=True, text=True
    ).stdout.strip()


def build_archive(env: dict, folder: Path, works: int) -> None:
    mark = folder / CORPUS_MARK
    step("fanshelf migrate")
    run([FANSHELF, "migrate", "-v0"], env)
    if mark.exists() and mark.read_text().strip() == str(works):
        if works_in_archive(env) >= works:
            step(f"Re-using the archive of {works:,} works in {folder}")
            return
        step("The archive's database lost its works (a new PostgreSQL cluster?): building again")
    step(f"fanshelf bench corpus --works {works}")
    started = time.monotonic()
    run([FANSHELF, "bench", "corpus", "--works", works], env)
    print(f"   built in {time.monotonic() - started:,.0f} s")
    mark.write_text(f"{works}\n")


def works_in_archive(env: dict) -> int:
    code = "from fanshelf.works.models import Work; print(Work.objects.count())"
    output = run([FANSHELF, "shell", "-c", code], env, capture_output=True, text=True).stdout
    return int(output.strip().splitlines()[-1])


def prepare_targets(env: dict) -> dict:
    """Post (or find) the 5,000-word work through works.services; the targets JSON."""
    step("Posting the benchmark's work through works.services (fanshelf shell -c)")
    code = "from fanshelf.core.benchmarks.load import main; main()"
    output = run([FANSHELF, "shell", "-c", code], env, capture_output=True, text=True).stdout
    targets = json.loads(output.strip().splitlines()[-1])
    work = targets["work"]
    print(
        f"   work {work['id']} “{work['title']}”: {work['chapters']} chapters, "
        f"{work['words']:,} words, first chapter {work['first_chapter_words']:,} words; "
        f"{targets['works_in_archive']:,} works in the archive; kudos and comments go to "
        f"{len(targets['feedback_ids'])} works; listing fandom “{targets['fandom']}”"
    )
    return targets


def start_server(env: dict, folder: Path, port: int, stack: ExitStack, threads: int) -> str:
    log = open(folder / "server.log", "ab")  # noqa: SIM115 - closed by the stack
    stack.callback(log.close)
    serve = ["serve", "--workers", "2", "--threads", str(threads), "--port", str(port)]
    step(f"fanshelf worker, and fanshelf {' '.join(serve)} on 127.0.0.1 (log {log.name})")
    for command in (["worker"], serve):
        process = subprocess.Popen([str(FANSHELF), *command], env=env, stdout=log, stderr=log)
        stack.callback(stop, process)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/healthz", process, timeout=300)
    return base


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def preflight(base: str, targets: dict) -> None:
    """Each GET target answers 200 once (no redirect), before any timing."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for key, path in targets["paths"].items():
        started = time.perf_counter()
        try:
            with opener.open(base + path, timeout=60) as answer:  # loopback only
                status, size = answer.status, len(answer.read())
        except urllib.error.HTTPError as error:
            status, size = error.code, 0
        took = (time.perf_counter() - started) * 1000
        print(f"   {key:8} {status} {size / 1024:7.1f} KB {took:7.1f} ms  {path}")
        if status != 200:
            raise SystemExit(f"{base + path} answered {status}, not 200")


def settle(base: str, timeout: float = 180) -> None:
    """Wait until /healthz answers within half a second again.

    When wrk stops, gunicorn's sync workers still serve the requests queued on the
    listening socket; the next run would otherwise start behind them.
    """
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        sent = time.monotonic()
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5).read()  # noqa: S310
        except OSError:
            pass
        else:
            if time.monotonic() - sent < 0.5:
                break
        time.sleep(0.5)
    waited = time.monotonic() - started
    if waited > 2:
        print(f"      (the server was still busy for {waited:.0f} s after this run)")


def run_wrk(plan: report.Plan, seconds: int, connections: int) -> report.WrkResult:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(LUA), plan.url, "--", *plan.script_args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return report.parse_wrk_output(done.stdout)


def bench_engine(engine: str, args, folder: Path, rows: list) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    # The PostgreSQL server runs as user postgres (as root) and must reach its folder.
    for path in (folder, folder.parent):
        path.chmod(path.stat().st_mode | 0o711)
    with ExitStack() as stack:
        env = engine_env(engine, folder, stack, keep=bool(args.reuse))
        build_archive(env, folder, args.works)
        targets = prepare_targets(env)
        for threads in args.threads:
            with ExitStack() as server:
                base = start_server(env, folder, free_port(), server, threads)
                label = f"{engine}, {report.server_kind(threads)}"
                drive(label, base, targets, args, rows)


def drive(label: str, base: str, targets: dict, args, rows: list) -> None:
    """Every chosen target at every connection count against one running server."""
    step("One request to each GET target")
    preflight(base, targets)
    step(
        f"wrk -t2 for {args.seconds} s per run (FANSHELF_RATE_LIMITS=0: rate limits "
        "are off, so POSTs are not answered 429)"
    )
    widths = None
    for key in args.targets:
        counts = [64] if key == "mix" else args.connections
        plan = report.wrk_plan(base, key, targets)
        for connections in counts:
            row = report.Row(label, key, connections, run_wrk(plan, args.seconds, connections))
            rows.append(row)
            widths = widths or report.column_widths([row])
            widths = [max(a, b) for a, b in zip(widths, report.column_widths([row]), strict=True)]
            print("   " + report.format_row(row, widths), flush=True)
            if row.result.kinds:
                kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(row.result.kinds.items()))
                print(f"      requests sent: {kinds}")
            settle(base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10, help="wrk run per target (10)")
    parser.add_argument("--connections", default="16,64,256")
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument(
        "--threads",
        default="1,4",
        help="threads per gunicorn worker, one server each: 1 is sync workers (default 1,4)",
    )
    parser.add_argument(
        "--reuse", metavar="DIR", help="keep the archives in DIR/<engine> and use them again"
    )
    parser.add_argument(
        "--targets",
        default=",".join(report.TARGETS),
        help="names or letters: work (a), entire (b), listing (c), search (d), kudos (e), "
        "comment (f), healthz (g), mix (m); default all",
    )
    args = parser.parse_args()
    try:
        args.targets = report.parse_targets(args.targets)
        args.connections = report.parse_counts(args.connections, "--connections", "16,64,256")
        args.threads = report.parse_counts(args.threads, "--threads", "1,4")
    except ValueError as error:
        parser.error(str(error))
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    top = Path(args.reuse).resolve() if args.reuse else Path(tempfile.mkdtemp(prefix="fs-load-"))
    print(f"Machine: {report.machine_line()}; load average {os.getloadavg()[0]:.1f}")
    print(
        f"{args.works:,} works; engines {', '.join(engines)}; targets "
        f"{', '.join(args.targets)}; connections {args.connections}; {args.seconds} s per run; "
        "wrk (2 threads) and the server share this machine"
    )
    rows: list[report.Row] = []
    try:
        for engine in engines:
            bench_engine(engine, args, top / engine, rows)
    finally:
        if not args.reuse:
            shutil.rmtree(top, ignore_errors=True)
    if not rows:
        return
    step("Results (errors: socket errors + answers that are not 2xx/3xx)")
    print(report.format_table(rows))
    for line in report.ratios(rows):
        print(line)
    print(f"Machine: {report.machine_line()}; load average now {os.getloadavg()[0]:.1f}")
    print("\n" + report.markdown_table(rows))


if __name__ == "__main__":
    main()
