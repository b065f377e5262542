"""Batch throughput with 1 and 2 workers, and peak memory as the archive grows (issue 5).

The fixtures (text dumps and HTML pages, error fixtures left out) are
replicated to 20,000 page files. Each batch runs in a fresh subprocess
(``run_batch`` as the CLI calls it) so its memory is its own: the main
process's peak RSS comes from ``getrusage(RUSAGE_SELF)``, the workers' from
sampling their RSS while they run (they are grandchildren, through the
forkserver, so ``RUSAGE_CHILDREN`` does not see them in time). The peer is a
bare single-process loop (read, ``parse``, write a JSON line), measured in
the same run, so throughput is a ratio; memory is compared between 2,000 and
20,000 pages: flat means the ratio stays near 1.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DRIVER = """
import json, resource, sys, threading, time
import psutil
from iom_scrape.batch import run_batch

peak = {"worker": 0}
stop = threading.Event()

def sample():
    me = psutil.Process()
    while not stop.is_set():
        for child in me.children(recursive=True):
            try:
                peak["worker"] = max(peak["worker"], child.memory_info().rss)
            except psutil.Error:
                pass
        time.sleep(0.05)

threading.Thread(target=sample, daemon=True).start()
summary = run_batch([sys.argv[1]], sys.argv[2], workers=int(sys.argv[3]))
stop.set()
print(json.dumps({
    "processed": summary.processed, "errors": summary.errors,
    "pages_per_second": summary.pages_per_second,
    "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_mb": peak["worker"] / 2**20,
}))
"""


def fixture_pages() -> list[tuple[str, bytes]]:
    """(suffix, bytes) of every fixture page that should clean (error fixtures left out)."""
    pages = []
    for folder, suffix in (("text", ".txt"), ("html", ".html")):
        for path in sorted((ROOT / "fixtures" / folder).glob(f"*{suffix}")):
            if not path.name.startswith("error-"):
                pages.append((suffix, path.read_bytes()))
    return pages


def replicate(folder: Path, count: int) -> Path:
    """``count`` page files cycled from the fixtures, in subfolders of 1,000."""
    pages = fixture_pages()
    target = folder / f"pages-{count}"
    for number in range(count):
        suffix, data = pages[number % len(pages)]
        path = target / f"{number // 1000:03d}" / f"page-{number:06d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return target


def run_batch_subprocess(pages: Path, out: Path, workers: int) -> dict[str, Any]:
    """One batch in a fresh interpreter; returns its figures."""
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(pages), str(out), str(workers)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def bare_loop(pages: Path, out: Path, limit: int) -> float:
    """Pages per second of the obvious script: read, parse, write a JSON line, one process."""
    import iom_scrape
    from iom_scrape.errors import IomScrapeError

    files = sorted(p for p in pages.rglob("*") if p.is_file())[:limit]
    start = time.perf_counter()
    with out.open("w", encoding="utf-8") as handle:
        for path in files:
            with contextlib.suppress(IomScrapeError):
                handle.write(iom_scrape.parse(path.read_bytes()).model_dump_json() + "\n")
    return len(files) / (time.perf_counter() - start)


def run(quick: bool = False) -> list[str]:
    """Measure and describe; every figure is a ratio against a peer of the same run."""
    large, small = (2_000, 200) if quick else (20_000, 2_000)
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        big, little = replicate(folder, large), replicate(folder, small)
        bare = bare_loop(big, folder / "bare.jsonl", min(large, 5_000))
        one = run_batch_subprocess(big, folder / "one.jsonl", 1)
        two = run_batch_subprocess(big, folder / "two.jsonl", 2)
        few = run_batch_subprocess(little, folder / "few.jsonl", 2)
    cpus = os.cpu_count() or 1
    return [
        f"batch: {large:,} page files cycled from {len(fixture_pages())} fixtures, {cpus} CPUs",
        f"1 worker : {one['pages_per_second']:8,.0f} pages/s = "
        f"{one['pages_per_second'] / bare:.2f}x a bare one-process parse loop ({bare:,.0f}/s)",
        f"2 workers: {two['pages_per_second']:8,.0f} pages/s = "
        f"{two['pages_per_second'] / one['pages_per_second']:.2f}x 1 worker",
        f"peak RSS main process: {few['main_mb']:.0f} MB at {small:,} pages, "
        f"{two['main_mb']:.0f} MB at {large:,} (x{two['main_mb'] / few['main_mb']:.2f})",
        f"peak RSS per worker  : {few['worker_mb']:.0f} MB at {small:,} pages, "
        f"{two['worker_mb']:.0f} MB at {large:,} (x{two['worker_mb'] / few['worker_mb']:.2f})",
        f"records: {two['processed']:,} written, {two['errors']} errors",
    ]


if __name__ == "__main__":
    print("\n".join(run(quick="--quick" in sys.argv)))
