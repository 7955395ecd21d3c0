"""What the tests that start a real `fanshelf serve` in a child process share.

The child runs with ``DJANGO_SETTINGS_MODULE = SETTINGS_MODULE`` and ``PYTHONPATH =
ROOT`` (``tests/server_settings.py``: production settings, static files found in the
source tree, so no slow collectstatic run is needed).
"""

import sys
from pathlib import Path

from fanshelf.core.benchmarks.servers import free_port  # noqa: F401 - shared here

ROOT = Path(__file__).resolve().parents[1]
FANSHELF = Path(sys.executable).with_name("fanshelf")
SETTINGS_MODULE = "tests.server_settings"
