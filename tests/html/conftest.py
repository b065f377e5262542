"""Shared helpers of the HTML tests: the fixture pages and the seed file."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"
HTML_FIXTURES = sorted(FIXTURES.glob("*.html"))


@pytest.fixture(params=HTML_FIXTURES, ids=lambda path: path.stem)
def html_fixture(request: pytest.FixtureRequest) -> Path:
    """Each HTML fixture page in turn."""
    path: Path = request.param
    return path
