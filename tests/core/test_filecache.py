"""The file page cache counts its files at most every CULL_EVERY_SECONDS, and still culls."""

from fanshelf.core import filecache
from fanshelf.core.filecache import FilePageCache


def make_cache(tmp_path, entries=10):
    return FilePageCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": entries, "CULL_FREQUENCY": 2}})


def test_writes_between_counts_do_not_list_the_folder(tmp_path, monkeypatch):
    cache = make_cache(tmp_path)
    listings = []
    original = FilePageCache._list_cache_files
    monkeypatch.setattr(
        FilePageCache, "_list_cache_files", lambda self: listings.append(1) or original(self)
    )
    for number in range(5):
        cache.set(f"page{number}", b"body", 600)
    cache.set("page-version", 1, None)
    cache.incr("page-version")  # a bump: Django's incr is a get and a set
    assert cache.get("page-version") == 2
    assert len(listings) == 1


def test_a_folder_over_its_entries_is_culled_at_the_next_count(tmp_path, monkeypatch):
    cache = make_cache(tmp_path, entries=10)
    now = [1000.0]
    monkeypatch.setattr(filecache.time, "monotonic", lambda: now[0])
    for number in range(25):
        cache.set(f"page{number}", b"body", 600)
    assert len(cache._list_cache_files()) == 25  # over, until the next count

    now[0] += filecache.CULL_EVERY_SECONDS + 1
    cache.set("one-more", b"body", 600)
    # Django's cull deletes 1/CULL_FREQUENCY of the 25, then the new page is written.
    assert len(cache._list_cache_files()) == 25 - 25 // 2 + 1
    assert cache.get("one-more") == b"body"
