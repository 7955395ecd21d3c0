"""SIGKILL the web server while chapters are being posted: nothing acknowledged is lost.

Threads post chapters (and now and then a whole new work) through the API to a real
``fanshelf serve --workers 2``; the whole process group is killed with SIGKILL while
requests are in flight, the server is started again, and that is repeated. Then every
chapter the server answered 201 for must be there with its whole text, and every work
must be whole: positions 1..n without holes, counts equal to the sums of its
chapters, and search rows for exactly its posted chapters, which the index finds.
"""

import http.client
import string
import threading
import time

from tests.faults.servers import LiveServer, run_in_archive, setup_archive

ROUNDS = 3
WRITERS = 3  # one thread per work: the posts to one work follow each other
TAGS = {
    "rating": "Teen And Up Audiences",
    "warning": ["No Archive Warnings Apply"],
    "fandom": ["Fault Lines"],
}


def marker(number: int) -> str:
    """A made-up word the search index can find, different for each post."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += string.ascii_lowercase[digit]
        if number == 0:
            # Ends in "qx" so that no stemmer takes a suffix off and makes two alike.
            return "crashtest" + letters + "qx"


def chapter_body(word: str) -> str:
    # 300 words: long enough that a half-written chapter would show.
    return "".join(f"<p>{word} " + " ".join(["steady"] * 59) + "</p>" for _ in range(5))


class Poster:
    """Posts until told to stop or the server stops answering; keeps what was acknowledged."""

    def __init__(self, server, token, numbers):
        self.server = server
        self.headers = {"Authorization": f"Bearer {token}"}
        self.numbers = numbers
        self.lock = threading.Lock()
        self.acknowledged = []  # (work id, word)
        self.failures = []  # answers that were neither a success nor a dropped connection
        self.cut = 0  # requests the kill cut off mid-way (not refused: already sent)
        self.stop = threading.Event()

    def next_word(self) -> str:
        with self.lock:
            return marker(next(self.numbers))

    def post_chapters(self, work_id: int) -> None:
        while not self.stop.is_set():
            word = self.next_word()
            path = f"/api/v1/works/{work_id}/chapters"
            if not self._post(path, {"body_html": chapter_body(word)}, work_id, word):
                return

    def post_works(self) -> None:
        while not self.stop.is_set():
            word = self.next_word()
            body = {"title": f"New {word}", "tags": TAGS, "expected_chapters": None,
                    "chapters": [{"body_html": chapter_body(word)}]}  # fmt: skip
            if not self._post("/api/v1/works", body, None, word):
                return

    def _post(self, path, body, work_id, word) -> bool:
        try:
            answer = self.server.request("POST", path, json_body=body, headers=self.headers)
        except ConnectionRefusedError:
            return False  # the server was already gone
        except (OSError, http.client.HTTPException):
            # Killed mid-request, or mid-answer (IncompleteRead): the reader never got
            # the whole answer, so it is not acknowledged; it may or may not be saved.
            with self.lock:
                self.cut += 1
            return False
        if answer.status != 201:
            with self.lock:
                self.failures.append((answer.status, answer.text[:500]))
            return False
        with self.lock:
            self.acknowledged.append((work_id or answer.json()["id"], word))
        return True


CHECK = """
from fanshelf.discovery.models import SearchChapter
from fanshelf.discovery.search import backend, documents, parse
from fanshelf.text import count_words
from fanshelf.works.models import Work

problems = []
work_ids = list(Work.objects.values_list("pk", flat=True))
bodies = {}
for work in Work.objects.prefetch_related("chapters"):
    chapters = sorted(work.chapters.all(), key=lambda c: c.position)
    positions = [c.position for c in chapters]
    if positions != list(range(1, len(chapters) + 1)):
        problems.append(f"work {work.pk}: positions {positions}")
    posted = [c for c in chapters if c.state == "posted"]
    if (work.chapter_count, work.word_count) != (len(posted), sum(c.word_count for c in posted)):
        problems.append(f"work {work.pk}: counts {work.chapter_count}, {work.word_count} "
                        f"for {len(posted)} chapters of {[c.word_count for c in posted]} words")
    for chapter in chapters:
        if chapter.word_count != count_words(chapter.body) or not chapter.body.strip():
            problems.append(f"work {work.pk} chapter {chapter.position}: body and word count")
        bodies.setdefault(work.pk, []).append(chapter.body)
    if not chapters:
        problems.append(f"work {work.pk} has no chapters")
expected = {(row.id, row.chapter_id, row.digest) for row in documents.rows_for(work_ids)}
stored = set(SearchChapter.objects.values_list("id", "chapter_id", "digest"))
if expected != stored:
    problems.append(f"search rows: missing {sorted(expected - stored)[:5]}, "
                    f"extra {sorted(stored - expected)[:5]}")
for work_id, word in WORDS:
    found = backend().filter(Work.objects.all(), parse(word)).values_list("pk", flat=True)
    if list(found) != [work_id]:
        problems.append(f"searching {word!r} finds {list(found)}, not work {work_id}")
print(json.dumps({"problems": problems, "bodies": bodies}))
"""


def test_sigkill_during_chapter_posts_loses_nothing_acknowledged(archive_env):
    archive = setup_archive(archive_env, works=WRITERS)
    numbers = iter(range(10**6))
    acknowledged, failures, cut = [], [], 0
    server = LiveServer(archive_env)
    try:
        for _ in range(ROUNDS):
            server.start()
            poster = Poster(server, archive["token"], numbers)
            threads = [
                threading.Thread(target=poster.post_chapters, args=(work_id,), daemon=True)
                for work_id in archive["works"]
            ] + [threading.Thread(target=poster.post_works, daemon=True)]
            for thread in threads:
                thread.start()
            # Kill once a few posts went through, so others are surely in flight.
            deadline = time.monotonic() + 30
            while len(poster.acknowledged) < 2 * len(threads) and time.monotonic() < deadline:
                time.sleep(0.05)
            server.kill()
            poster.stop.set()
            for thread in threads:
                thread.join(timeout=15)
                assert not thread.is_alive(), "a posting thread hung after the kill"
            assert poster.acknowledged, "nothing was posted before the kill"
            acknowledged += poster.acknowledged
            cut += poster.cut
            failures += poster.failures
        server.start()
        for work_id, word in acknowledged[-3:]:  # the restarted server serves them
            answer = server.request("GET", f"/api/v1/works/{work_id}")
            assert answer.status == 200
            assert chapter_body(word) in [c["body_html"] for c in answer.json()["chapters"]]
    finally:
        server.stop()

    assert failures == [], failures
    assert cut > 0, "no request was in flight at any kill"
    state = run_in_archive(archive_env, CHECK.replace("WORDS", repr(acknowledged)))
    assert state["problems"] == []
    bodies = {int(work_id): chapters for work_id, chapters in state["bodies"].items()}
    for work_id, word in acknowledged:
        assert chapter_body(word) in bodies[work_id], f"{word} of work {work_id} is lost"
