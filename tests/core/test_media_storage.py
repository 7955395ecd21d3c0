"""Media goes through the storage the environment names (settings are read at start)."""

import json
import os
import subprocess
import sys
from pathlib import Path

FANSHELF = Path(sys.executable).parent / "fanshelf"
SHOW = (
    "from django.core.files.storage import storages; s = storages['default']; "
    "import json; print(json.dumps([type(s).__module__ + '.' + type(s).__name__, "
    "str(s.location), s.base_url]))"
)


def run(tmp_path, **environment):
    env = {**os.environ, "FANSHELF_DATA_DIR": str(tmp_path), **environment}
    for name in ("FANSHELF_MEDIA_ROOT", "FANSHELF_MEDIA_STORAGE", "FANSHELF_MEDIA_URL"):
        if name not in environment:
            env.pop(name, None)
    return subprocess.run(
        [str(FANSHELF), "shell", "-c", SHOW], env=env, capture_output=True, text=True, timeout=120
    )


def test_media_defaults_to_the_data_dirs_media_folder(tmp_path):
    backend, location, url = json.loads(run(tmp_path).stdout.strip().splitlines()[-1])
    assert backend == "django.core.files.storage.filesystem.FileSystemStorage"
    assert location == str(tmp_path / "media") and url == "/media/"


def test_a_shared_folder_or_another_backend_is_named_in_the_environment(tmp_path):
    shared = tmp_path / "nfs" / "fanshelf-media"
    answer = run(
        tmp_path,
        FANSHELF_MEDIA_ROOT=str(shared),
        FANSHELF_MEDIA_URL="https://media.example.org/",
        FANSHELF_MEDIA_STORAGE="django.core.files.storage.FileSystemStorage",
        FANSHELF_MEDIA_STORAGE_OPTIONS='{"file_permissions_mode": 416}',
    )
    backend, location, url = json.loads(answer.stdout.strip().splitlines()[-1])
    assert location == str(shared) and url == "https://media.example.org/"


def test_options_that_are_not_json_are_refused_in_plain_words(tmp_path):
    answer = run(tmp_path, FANSHELF_MEDIA_STORAGE_OPTIONS="{bucket: x}")
    assert answer.returncode != 0
    assert "FANSHELF_MEDIA_STORAGE_OPTIONS is not JSON" in answer.stderr
