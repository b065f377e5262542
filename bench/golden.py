"""Write (or check) the golden record of every fixture page: ``make golden``.

A golden record is the parser's full output for a fixture, reviewed by a person
when it is written and compared exactly by the tests afterwards, so any change
of behaviour on any page shows as a diff. Error fixtures get an error golden.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import iom_scrape
from bench.eval import FIXTURES, PAGE_SUFFIXES
from iom_scrape.errors import IomScrapeError


def fixture_pages(root: Path = FIXTURES) -> list[Path]:
    """Every fixture page (text dumps and HTML)."""
    return sorted(p for p in root.rglob("*") if p.suffix in PAGE_SUFFIXES and p.is_file())


def golden_path(page: Path) -> Path:
    return page.with_name(page.stem + ".golden.json")


def current_record(page: Path) -> dict[str, Any]:
    """What the parser gives now, as JSON data (errors as {"error": ClassName})."""
    try:
        return iom_scrape.parse(page.read_bytes()).model_dump(mode="json")
    except IomScrapeError as exc:
        return {"error": type(exc).__name__, "stage": exc.stage}


def main(argv: list[str]) -> int:
    """Rewrite goldens (default) or list the pages whose golden differs (--check)."""
    changed = []
    for page in fixture_pages():
        record = current_record(page)
        path = golden_path(page)
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        if old != record:
            changed.append(page.relative_to(FIXTURES).as_posix())
            if "--check" not in argv:
                text = json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
                path.write_text(text, encoding="utf-8")
    print("\n".join(f"changed: {name}" for name in changed) or "all goldens up to date")
    return 1 if changed and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
