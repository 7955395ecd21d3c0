"""A real Fanshelf server in a child process, on its own database, for the fault tests.

``fanshelf serve`` (gunicorn, 2 workers) runs in a new process group on a free
loopback port, with its own data folder. Its database is an SQLite file in that
folder, or, when the suite runs on PostgreSQL (``FANSHELF_DATABASE_URL`` set), a fresh
database on the same server, dropped afterwards. Nothing here touches the test
database pytest-django made: the server commits for real, and the checks read its
database through ``run_in_archive`` (a Python child with the server's settings).
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from tests.live_servers import FANSHELF, ROOT, SETTINGS_MODULE, free_port

START_TIMEOUT = 60


def server_env(data_dir: Path, database_url: str | None, **extra: str) -> dict:
    """The environment of a server and its helpers: nothing shared with other runs."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FANSHELF_", "DJANGO_"))
    }
    env.update(
        FANSHELF_DATA_DIR=str(data_dir),
        FANSHELF_SECRET_KEY="fault-tests-" + "x" * 40,
        FANSHELF_RATE_LIMITS="0",
        FANSHELF_LOG_LEVEL="WARNING",
        FANSHELF_REQUEST_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["FANSHELF_DATABASE_URL"] = database_url
    env.update(extra)
    return env


def run_in_archive(env: dict, code: str, timeout: float = 60) -> object:
    """Run ``code`` with Django set up on the server's database; what it prints as JSON."""
    program = "import django, json\ndjango.setup()\n" + textwrap.dedent(code)
    run = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True,
        timeout=timeout, cwd=env["FANSHELF_DATA_DIR"],
    )  # fmt: skip
    if run.returncode != 0 or not run.stdout.strip():
        raise AssertionError(f"archive script failed:\n{run.stdout[-1000:]}\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer itself


_opener = urllib.request.build_opener(_NoRedirects)


@dataclass
class Answer:
    status: int
    headers: dict
    text: str

    def json(self):
        return json.loads(self.text)


class LiveServer:
    """``fanshelf serve --workers 2`` on 127.0.0.1; ``kill()`` SIGKILLs every process."""

    def __init__(self, env: dict, workers: int = 2):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = Path(env["FANSHELF_DATA_DIR"]) / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(FANSHELF), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", str(self.workers), "--no-collectstatic"],
                env=self.env, cwd=self.env["FANSHELF_DATA_DIR"], stdout=log, stderr=log,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited:\n{self.log_text()}")
            try:
                if self.request("GET", "/healthz", timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.kill()
        raise AssertionError(f"the server did not start in {START_TIMEOUT} s:\n{self.log_text()}")

    def kill(self) -> None:
        """SIGKILL the whole process group: the gunicorn master and its workers."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def request(self, method, path, *, json_body=None, form=None, headers=None, timeout=10):
        """One HTTP request; an error status or a redirect is the answer, not an exception."""
        headers = dict(headers or {})
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1:port
            self.url + path, data=data, method=method, headers=headers
        )
        try:
            with _opener.open(request, timeout=timeout) as response:
                return Answer(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read().decode(errors="replace"))


class FreshDatabase:
    """A new PostgreSQL database next to ``base_url``'s, dropped by ``drop()``."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.name = f"fanshelf_faults_{uuid.uuid4().hex[:12]}"

    def _admin(self):
        import psycopg

        parts = urlsplit(self.base_url)
        host = parse_qs(parts.query).get("host", [parts.hostname or ""])[0]
        return psycopg.connect(
            dbname="postgres", host=host, port=parts.port or 5432,
            user=parts.username or "postgres", password=parts.password, autocommit=True,
        )  # fmt: skip

    @property
    def url(self) -> str:
        parts = urlsplit(self.base_url)
        return urlunsplit(parts._replace(path=f"/{self.name}"))

    def create(self) -> str:
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def drop(self) -> None:
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


SETUP_ARCHIVE = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
from fanshelf.accounts.services import create_user, issue_api_token
from fanshelf.works.services import ChapterText, post_work
writer = create_user(username="faultwriter", email="fw@example.org",
                     password="correct horse battery", role="reader")
works = [
    post_work(user=writer, title=f"Steady {n}", expected_chapters=None,
              chapters=[ChapterText(body="<p>The first chapter, whole.</p>", title="")],
              tags={"rating": "Teen And Up Audiences", "warning": ["No Archive Warnings Apply"],
                    "fandom": ["Fault Lines"], "freeform": ["Crash Test"]}).pk
    for n in range(WORKS)
]
print(json.dumps({"token": issue_api_token(user=writer), "works": works}))
"""


def setup_archive(env: dict, works: int) -> dict:
    """Migrate the server's database; a writer with a token and ``works`` posted works."""
    return run_in_archive(env, SETUP_ARCHIVE.replace("WORKS", str(works)), timeout=120)
