"""The package's public names, their signatures and docstrings, and its independence."""

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import fanshelf.text

PUBLIC = {
    "sanitize_html": ["html"],
    "count_words": ["html"],
    "text_to_html": ["text"],
    "markdown_to_html": ["md"],
    "html_to_text": ["html"],
}


@pytest.mark.parametrize(("name", "parameters"), PUBLIC.items())
def test_public_function_has_documented_signature(name, parameters):
    function = getattr(fanshelf.text, name)

    assert list(inspect.signature(function).parameters) == parameters
    assert inspect.getdoc(function)


def test_text_package_imports_no_django():
    source = Path(fanshelf.text.__file__).parent
    code = "import sys, fanshelf.text; print('django' in sys.modules)"

    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(source.parent.parent)},
    )

    assert result.stdout.strip() == "False"
