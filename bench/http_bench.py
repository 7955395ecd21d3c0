"""Reading under load: work pages and the home page against a static file.

Starts a fresh archive (SQLite in a temporary data dir, the demo content), serves it
with `fanshelf serve` on 127.0.0.1, and drives it with wrk for a fixed time per URL.
The static stylesheet, served by WhiteNoise from the same gunicorn workers, is the
named alternative: it is the fastest answer the stack can give, so the ratio shows
what Django and the database add. Prints p50/p95/p99 latency and requests per second.

    .venv/bin/python bench/http_bench.py [--seconds 10] [--connections 16] [--workers 3]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from fanshelf.core.benchmarks.servers import wait_for

HERE = Path(__file__).resolve().parent
FANSHELF = Path(sys.executable).parent / "fanshelf"


def run_wrk(url: str, seconds: int, connections: int) -> dict:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(HERE / "percentiles.lua"),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = dict(re.findall(r"^(\w+) (\d+)$", output, flags=re.MULTILINE))
    return {key: int(value) for key, value in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    data_dir = tempfile.mkdtemp(prefix="fanshelf-bench-")
    env = {**os.environ, "FANSHELF_DATA_DIR": data_dir}
    env.pop("FANSHELF_DATABASE_URL", None)
    for command in (["migrate", "-v0"], ["demo"]):
        subprocess.run([str(FANSHELF), *command], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(FANSHELF), "serve", "--port", str(args.port), "--workers", str(args.workers)],
        env={**env, "FANSHELF_LOG_LEVEL": "ERROR"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_for(base + "/")
        home = urllib.request.urlopen(base + "/").read().decode()  # noqa: S310
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
        targets = [
            ("work page (seed, 1 chapter)", "/works/1/"),
            ("home page (recent works)", "/"),
            ("static stylesheet (baseline)", stylesheet),
        ]
        print(
            f"{args.seconds}s per URL, {args.connections} connections, "
            f"{args.workers} gunicorn workers, {os.cpu_count()} cores"
        )
        print(f"{'target':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        results = {}
        for label, path in targets:
            figures = run_wrk(base + path, args.seconds, args.connections)
            rate = figures["requests"] / (figures["duration_us"] / 1e6)
            results[label] = rate
            print(
                f"{label:32} {rate:8.0f} {figures['p50_us'] / 1000:8.1f} "
                f"{figures['p95_us'] / 1000:8.1f} {figures['p99_us'] / 1000:8.1f} "
                f"{figures['errors']:7d}"
            )
        baseline = results["static stylesheet (baseline)"]
        for label, rate in results.items():
            if "baseline" not in label:
                print(f"{label}: {rate / baseline:.2f}× the static file's rate")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
