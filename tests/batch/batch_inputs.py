"""Helpers of the batch tests: the invented text fixtures, packed as every kind of archive."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEXT_FIXTURES = sorted(
    path
    for path in (ROOT / "fixtures" / "text").glob("*.txt")
    if not path.name.startswith("error-")  # the lead's fixtures that must fail to parse
)


@dataclass(frozen=True)
class WarcPage:
    """One record to write into a test WARC."""

    uri: str
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    status: str = "200 OK"
    record_type: str = "response"


def fixture_texts(count: int | None = None) -> list[Path]:
    """The invented text dumps of fixtures/text (the lead's golden fixtures)."""
    if len(TEXT_FIXTURES) < 3:
        pytest.skip("fixtures/text has too few text dumps yet")
    return TEXT_FIXTURES[:count]


def write_warc(path: Path, pages: Iterable[WarcPage], *, compress: bool) -> list[str]:
    """Write a WARC with warcio; returns the WARC-Record-IDs (without angle brackets)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    ids: list[str] = []
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        for page in pages:
            http = None
            if page.record_type == "response":
                headers = [("Content-Type", page.content_type)]
                http = StatusAndHeaders(page.status, headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                page.uri, page.record_type, payload=io.BytesIO(page.body), http_headers=http
            )
            writer.write_record(record)
            ids.append(record.rec_headers.get_header("WARC-Record-ID").strip("<>"))
    return ids


def write_jsonl(
    path: Path, rows: Iterable[dict[str, Any] | str], *, compress: bool = False
) -> None:
    """Write JSONL rows (a str row is written as is: for broken lines)."""
    lines = "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows)
    data = lines.encode("utf-8")
    path.write_bytes(gzip.compress(data) if compress else data)


def read_records(path: Path) -> list[dict[str, Any]]:
    """All records of a JSONL output file, or of a folder of part files."""
    files = sorted(path.glob("part-*.jsonl")) if path.is_dir() else [path]
    records = []
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                records.append(json.loads(line))
    return records


def by_source(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Records keyed by source_id; fails on a duplicate (every input exactly once)."""
    keyed: dict[str, dict[str, Any]] = {}
    for record in records:
        assert record["source_id"] not in keyed, f"duplicate record {record['source_id']}"
        keyed[record["source_id"]] = record
    return keyed


def cli_argv() -> list[str]:
    """How to start the installed ``iom-scrape`` (falls back to importing the CLI)."""
    script = Path(sys.executable).parent / "iom-scrape"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from iom_scrape.cli import main; main()"]


def cli_env() -> dict[str, str]:
    """Environment for a CLI subprocess: the source tree importable, no colours."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["NO_COLOR"] = "1"
    return env


def html_page(title: str, paragraphs: Iterable[str], *, charset: str = "utf-8") -> bytes:
    """An invented legacy-style page with a heading and body paragraphs."""
    body = "".join(f"<p>{text}</p>\n" for text in paragraphs)
    page = (
        f'<html><head><meta charset="{charset}"><title>{title} - IOM</title></head>\n'
        f"<body><h1>{title}</h1>\n{body}</body></html>\n"
    )
    return page.encode(charset)


STORY = [
    "IOM opened a transit centre for families returning to the district after the floods, "
    "offering shelter, water and medical screening to more than 2,000 people.",
    "The centre, built with local authorities, will run for six months while villages are "
    "rebuilt and roads reopen to the provincial capital.",
    "Most returnees are farmers who lost seed stocks and tools, and IOM plans to distribute "
    "kits to 800 households before the planting season.",
]
"""Invented body text for HTML inputs."""


def corrupt_mix(tmp_path: Path) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """Good inputs with one of each failure mixed in; returns inputs and expected failures."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for fixture in fixture_texts(4):
        shutil.copy(fixture, folder / fixture.name)
    (folder / "good.html").write_bytes(html_page("IOM Opens Transit Centre", STORY))
    cut = gzip.compress(fixture_texts(1)[0].read_bytes())
    (folder / "corrupt.txt.gz").write_bytes(cut[: len(cut) // 2])
    (folder / "undecodable.txt").write_bytes("IOM text in UTF-16".encode("utf-16-le") * 40)
    (folder / "unparseable.html").write_bytes(b"   \n\t  \n")
    write_jsonl(
        folder / "export.jsonl",
        [{"html": html_page("Centre", STORY).decode()}, '{"html": "<p>no end', {"html": STORY[0]}],
    )
    pages = [
        WarcPage(f"http://www.iom.int/{n}", f"IOM Title {n}\n\n{STORY[n]}\n".encode())
        for n in range(3)
    ]
    warc = folder / "crawl.warc"
    warc_ids = write_warc(warc, pages, compress=False)
    warc.write_bytes(warc.read_bytes()[:-200])
    failures = {
        str(folder / "corrupt.txt.gz"): ("read", "ReadError"),
        str(folder / "undecodable.txt"): ("parse", "BinaryInput"),
        str(folder / "unparseable.html"): ("parse", "EmptyInput"),
        f"{folder / 'export.jsonl'}#2": ("read", "ReadError"),
        warc_ids[2]: ("read", "ReadError"),
    }
    expected = [str(folder / f.name) for f in fixture_texts(4)] + [
        str(folder / "good.html"),
        f"{folder / 'export.jsonl'}#1",
        f"{folder / 'export.jsonl'}#3",
        warc_ids[0],
        warc_ids[1],
        *failures,
    ]
    return expected, failures
