"""Text-dump cleaning throughput on one core and peak memory (foundation issue).

The text fixtures (and the seed page when present) are replicated to 10,000
inputs. The peer is trafilatura, given the same dumps as minimal HTML (one
``<p>`` per line), measured in the same run, so the figure is a ratio.
"""

from __future__ import annotations

import contextlib
import html
import resource
import time
from collections.abc import Callable
from pathlib import Path

import iom_scrape
from iom_scrape.errors import IomScrapeError

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3
SEED = ROOT.parent / "shared" / "seed" / "iom-china-trafficking.txt"
TARGET_PER_SECOND = 2000


def corpus(count: int) -> list[str]:
    """``count`` text dumps cycled from the fixtures (error fixtures left out)."""
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "text").glob("*.txt"))
             if not p.name.startswith("error-")]  # fmt: skip
    if SEED.exists():
        pages.append(SEED.read_text(encoding="utf-8"))
    return [pages[i % len(pages)] for i in range(count)]


def throughput(pages: list[str], clean: Callable[[str], object]) -> float:
    """Pages per second of ``clean`` over ``pages`` on this core, best of a few rounds
    (as in bench_html), so a pause caused by another process does not count."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for page in pages:
            with contextlib.suppress(IomScrapeError):
                clean(page)
        best = min(best, time.perf_counter() - start)
    return len(pages) / best


def as_minimal_html(text: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><body>{body}</body></html>"


def run(quick: bool = False) -> list[str]:
    """Measure and describe; figures are relative to the peer of the same run."""
    import trafilatura

    pages = corpus(1000 if quick else 10_000)
    seed_size = len(SEED.read_text(encoding="utf-8")) if SEED.exists() else None
    ours = throughput(pages, iom_scrape.parse_text)
    peer_pages = [as_minimal_html(p) for p in pages[: len(pages) // 5]]
    peer = throughput(peer_pages, trafilatura.extract)
    seed_rate = (
        throughput([SEED.read_text(encoding="utf-8")] * (len(pages) // 5), iom_scrape.parse_text)
        if SEED.exists()
        else None
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mean_chars = sum(map(len, pages)) / len(pages)
    return [
        f"text dumps: {len(pages)} pages, mean {mean_chars:.0f} chars"
        + (f" (seed: {seed_size} chars)" if seed_size else ""),
        f"  iom_scrape.parse_text: {ours:,.0f} pages/s on one core (mixed fixture sizes)",
        *(
            [
                f"  the seed page alone (seed-sized dumps): {seed_rate:,.0f} pages/s "
                f"(target >= {TARGET_PER_SECOND}: {'met' if seed_rate >= TARGET_PER_SECOND else 'NOT met'})"
            ]
            if seed_rate
            else []
        ),
        f"  trafilatura.extract (same dumps as <p> HTML): {peer:,.0f} pages/s",
        f"  ratio iom_scrape / trafilatura: {ours / peer:.1f}x",
        f"  peak RSS of the bench process: {peak_mb:.0f} MB",
    ]
