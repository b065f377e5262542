"""Does a change alter any output? Parse thousands of mutated pages, compare with a baseline.

For speed work, where the output must stay exactly the same: record the outcomes on
the commit before the change, then check the changed code against them.

    python -m bench.equivalence record /tmp/base.json    # on the commit before
    python -m bench.equivalence check  /tmp/base.json    # on the change: "0 differ"

The corpus is every fixture page (and the seed page when ``../shared`` is there),
as bytes, as text, with a Jahia URL and with an HTTP charset header, plus
``VARIANTS`` seeded mutations of each: truncations, cuts, duplicated ranges,
removed tags, injected Word/entity/leak/script/date/phone fragments, splices of
two pages, upper-cased tags and shuffled lines. The goldens check 50 pages
exactly; this checks the paths between them. Adding a fixture shifts the corpus,
so record and check with the same fixtures.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

import iom_scrape
from bench.eval import FIXTURES

VARIANTS = int(os.environ.get("EQUIVALENCE_VARIANTS", "300"))
CORPUS_MISMATCH = (
    "the baseline was recorded on another corpus: record and check with the same fixtures, "
    "the same EQUIVALENCE_VARIANTS and the seed page present in both trees or in neither "
    "(a tree next to ../shared has it)"
)
SEED_PAGE = FIXTURES.parent.parent / "shared" / "seed" / "iom-china-trafficking.txt"
JAHIA_URL = (
    "https://www.iom.int/jahia/Jahia/media/press-briefing-notes/pbnEU/cache/offonce/lang/fr"
    "?entryId=123"
)
# Fragments of the damage the parser repairs, spliced into pages at random places.
FRAGMENTS = [
    b"&amp;quot;", b"&amp;nbsp;", b"&nbsp;&nbsp;&nbsp;", b"<p></p>", b"<p>&nbsp;</p>",
    b'<p class="MsoNormal">x<o:p></o:p></p>', b"<font face=Arial size=2>", b"</font>",
    b'src=\n"/jahia/webdav/site/myjahiasite/shared/images/a.jpg">', b"<div>", b"</div>",
    b"<table><tr><td>", b"</td></tr></table>", b'<a href="javascript:alert(1)">x</a>',
    b'<img src="/jahia/webdav/shared/p.jpg" alt="A photo">',
    b"\xe2\x80\x9cQuoted,\xe2\x80\x9d says Ann Lee.", b"\x93smart\x94", b"\xc3\xa9",
    b"<h4>Title</h4>", b"16/05/2008", b"04/05/2009", b"Tel: +41 22 717 9111",
    b"mailto:a@iom.int", b"<br><br>", b"<!--[if gte mso 9]><xml>x</xml><![endif]-->",
    b'<span class="pressRealeseDate">03/04/2010</span>', b"&lt;img src=&quot;/x.jpg&quot;&gt;",
    b"<script>alert(1)</script>", b"\n\n", b"<li>", b'<div id="footer">', b"Related Links",
    b"<ol><li>one</li></ol>", b"<blockquote><p>q</p></blockquote>", b"<b>bold</b>", b"<i>it",
]  # fmt: skip
TAG = re.compile(rb"<[^<>]{0,200}>")
TAG_NAME = re.compile(rb"<(/?)([a-z0-9]+)")

HTML_WAYS = [("", "bytes"), ("s", "str"), ("u", "url"), ("c", "header")]
"""Each HTML fixture as given: (key suffix, how it is handed to the parser)."""
Case = tuple[str, bytes, str]
"""(key, page bytes, how it is handed to the parser)."""


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """One seeded mutation of a page, of a kind chosen at random."""
    if not data:
        return rng.choice(FRAGMENTS)
    start, end = sorted(rng.randrange(len(data) + 1) for _ in range(2))
    kind = rng.randrange(8)
    if kind == 0:
        return data[:start]
    if kind == 1:
        return data[:start] + data[end:]
    if kind == 2:
        return data[:end] + data[start:end] + data[end:]
    if kind == 3:
        return _without_some_tags(data, rng)
    if kind == 4:
        return _with_fragments(data, rng)
    if kind == 5:
        other = rng.choice(pool)
        return data[:start] + other[rng.randrange(len(other) + 1) :]
    if kind == 6:
        return TAG_NAME.sub(lambda m: b"<" + m.group(1) + m.group(2).upper(), data)
    return _with_shuffled_lines(data, rng)


def _without_some_tags(data: bytes, rng: random.Random) -> bytes:
    tags = list(TAG.finditer(data))
    for match in rng.sample(tags, min(len(tags), rng.randrange(1, 6))):
        data = data.replace(match.group(), b"", 1)
    return data


def _with_fragments(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randrange(1, 6)):
        at = rng.randrange(len(data) + 1)
        data = data[:at] + rng.choice(FRAGMENTS) + data[at:]
    return data


def _with_shuffled_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    start = rng.randrange(len(lines))
    end = min(len(lines), start + rng.randrange(1, 8))
    window = lines[start:end]
    rng.shuffle(window)
    return b"\n".join(lines[:start] + window + lines[end:])


def corpus() -> list[Case]:
    """Every fixture page as given, then its mutations; the same list on every run."""
    html = [p.read_bytes() for p in sorted((FIXTURES / "html").glob("*.html"))]
    text = [p.read_bytes() for p in sorted((FIXTURES / "text").glob("*.txt"))]
    if SEED_PAGE.exists():
        text.append(SEED_PAGE.read_bytes())
    pool = html + text
    rng = random.Random(20261128)
    cases: list[Case] = []
    for i, page in enumerate(html):
        cases += [(f"h{i}{suffix}", page, how) for suffix, how in HTML_WAYS]
        for v in range(VARIANTS):
            how = rng.choice(["bytes", "bytes", "str", "url"])
            cases.append((f"h{i}m{v}", mutate(page, rng, pool), how))
    for i, page in enumerate(text):
        cases += [(f"t{i}", page, "text"), (f"t{i}b", page, "bytes")]
        for v in range(VARIANTS):
            cases.append((f"t{i}m{v}", mutate(page, rng, pool), rng.choice(["text", "bytes"])))
    return cases


def outcome(data: bytes, how: str) -> str:
    """The record as sorted JSON, or the error's class and message."""
    parsers: dict[str, Callable[[], iom_scrape.Article]] = {
        "bytes": lambda: iom_scrape.parse(data),
        "str": lambda: iom_scrape.parse(data.decode("utf-8", "replace")),
        "url": lambda: iom_scrape.parse(data, url=JAHIA_URL),
        "header": lambda: iom_scrape.parse(
            data, headers={"Content-Type": "text/html; charset=windows-1252"}
        ),
        "text": lambda: iom_scrape.parse_text(data.decode("utf-8", "replace")),
    }
    try:
        article = parsers[how]()
    except Exception as exc:
        return f"ERR {type(exc).__name__}: {exc}"
    return json.dumps(article.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


def differences(base: dict[str, str], now: dict[str, str]) -> list[str]:
    """Lines describing the first few cases whose outcome changed (fields, or the error)."""
    changed = [key for key in base if base[key] != now.get(key)]
    lines = [f"{len(now)} cases, {len(changed)} differ"]
    for key in changed[:5]:
        before, after = base[key], now.get(key, "")
        if before.startswith("ERR") or after.startswith("ERR"):
            lines += [f"  {key}: before {before[:200]}", f"  {key}: now    {after[:200]}"]
            continue
        old, new = json.loads(before), json.loads(after)
        fields = [field for field in old if old[field] != new.get(field)]
        lines.append(f"  {key}: fields {fields}")
        for field in fields[:3]:
            lines += [f"     before {field}: {str(old[field])[:200]}"]
            lines += [f"     now    {field}: {str(new.get(field))[:200]}"]
    return lines


def fingerprint(cases: list[Case]) -> str:
    """A digest of the inputs: a baseline only compares with a run over the same corpus."""
    digest = hashlib.sha256()
    for key, data, how in cases:
        digest.update(f"{key}\0{how}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "check"):
        print(__doc__)
        return 2
    mode, path = argv[0], Path(argv[1])
    cases = corpus()
    now = {key: outcome(data, how) for key, data, how in cases}
    if mode == "record":
        baseline = {"corpus": fingerprint(cases), "outcomes": now}
        path.write_text(json.dumps(baseline), encoding="utf-8")
        print(f"recorded {len(now)} outcomes in {path}")
        return 0
    baseline = json.loads(path.read_text(encoding="utf-8"))
    if baseline.get("corpus") != fingerprint(cases):
        print(CORPUS_MISMATCH)
        return 2
    lines = differences(baseline["outcomes"], now)
    print("\n".join(lines))
    return 0 if lines[0].endswith(" 0 differ") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
