"""Process-wide tuning for serving requests.

Python's cyclic garbage collector pauses a request now and then to look through every
object the process holds, most of them the modules, models and templates loaded at
start, which never become garbage. Measured on work listings (docs/performance.md):
one request in ten took twice the median, and none did with the collector off.
``gc.freeze()`` moves what exists at start out of the collector's sight, and higher
thresholds make young-object collections rarer; reference counting still frees almost
everything at once, so memory stays flat.
"""

import gc

# Allocations before a young collection (Python's default is 700), then how many young
# and middle collections before an older one (defaults 10, 10).
GC_THRESHOLDS = (50_000, 20, 100)


def tune_garbage_collector() -> None:
    """Freeze what is loaded now and make collections rarer. Call once, after start-up."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
