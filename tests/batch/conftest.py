"""Fixtures of the batch tests (helpers live in batch_inputs.py)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from tests.batch.batch_inputs import fixture_texts


@pytest.fixture
def text_pages(tmp_path: Path) -> Path:
    """A folder of text dumps in nested folders (plain, .txt.gz), named by fixture."""
    folder = tmp_path / "pages"
    (folder / "nested").mkdir(parents=True)
    for number, fixture in enumerate(fixture_texts(6)):
        target = folder / ("nested" if number % 2 else ".") / fixture.name
        if number == 5:
            target.with_suffix(".txt.gz").write_bytes(gzip.compress(fixture.read_bytes()))
        else:
            shutil.copy(fixture, target)
    return folder
