"""Every fixture page against its golden record, and the quality floors of `make eval`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.eval import FLOORS, evaluate, field_scores
from bench.golden import current_record, fixture_pages, golden_path

PAGES = fixture_pages()


def test_there_are_enough_fixtures() -> None:
    assert len([p for p in PAGES if p.suffix == ".txt"]) >= 15


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_page_gives_its_golden_record(page: Path) -> None:
    golden = golden_path(page)
    assert golden.exists(), f"no golden record for {page.name}: run `make golden` and review it"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert current_record(page) == expected


def test_quality_stays_above_the_pinned_floors() -> None:
    scores = field_scores(evaluate())
    below = {name: round(score, 3) for name, score in scores.items() if score < FLOORS[name]}
    assert below == {}, "a change lowered field scores: run `make eval` --verbose to see where"
