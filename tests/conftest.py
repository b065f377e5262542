"""Shared test fixtures: the real seed page (from ../shared when present)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "iom-china-trafficking.txt"
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The real damaged page; its text is not ours, so it is read from ../shared."""
    if not SEED.exists():
        pytest.skip(f"the real seed page is not here ({SEED}); CI has it under ../shared/seed")
    return SEED.read_text(encoding="utf-8")
