"""``make bench``: run every ``bench/bench_*.py`` and print its figures.

``python -m bench.run --quick`` runs smaller sizes; ``python -m bench.run text``
runs only the named benches.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    for name in names:
        if wanted and name.removeprefix("bench_") not in wanted:
            continue
        module = importlib.import_module(f"bench.{name}")
        start = time.perf_counter()
        print(f"== {name} ==", flush=True)
        for line in module.run(quick=quick):
            print(line, flush=True)
        print(f"   ({time.perf_counter() - start:.1f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
