"""Django's file cache for the guest pages, without a folder listing on every write.

Without Redis the ``pages`` cache (``fanshelf.core.pagecache``) is a folder of files
that every web process on the machine shares. Django's ``FileBasedCache`` lists the
whole folder on every ``set`` (and so on every ``incr``, which bumps a page version)
to see whether it holds more than ``MAX_ENTRIES``; at 10,000 pages that listing took
14 ms of a 15 ms write, paid by every kudos, comment and page stored
(docs/performance.md). Here each process counts the files at most once every
``CULL_EVERY_SECONDS``; between counts the folder may pass ``MAX_ENTRIES`` by the
pages written meanwhile, and the next count culls it as Django would.
"""

import time

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY_SECONDS = 30


class FilePageCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._next_cull = 0.0

    def _cull(self):
        # FileBasedCache.set calls _cull before each write: Django's own hook for it.
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + CULL_EVERY_SECONDS
        super()._cull()
