"""Dedupe and the outputs derived from the journal: CSV, Parquet, one file per article."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from iom_scrape.batch import DUPLICATE_PREFIX, BatchUsageError, run_batch
from iom_scrape.batch.dedupe import flag_duplicates
from iom_scrape.models import Article
from tests.batch.batch_inputs import (
    STORY,
    by_source,
    corrupt_mix,
    fixture_texts,
    html_page,
    read_records,
)


def dedupe_inputs(tmp_path: Path) -> dict[str, Path]:
    """The same story three ways (full, rewrapped with lost words, identical) plus another."""
    lossy = [" ".join(p.split()[:-1]) for p in STORY]  # a line-final word lost per paragraph
    other = [
        "A separate story about a new health clinic for migrant workers in the capital.",
        "The clinic screens for tuberculosis and offers vaccinations free of charge.",
    ]
    pages = {
        "b-full.html": html_page("IOM Opens Transit Centre", STORY),
        "a-lossy.html": html_page("IOM Opens Transit Centre", lossy),
        "c-same.html": html_page("IOM opens transit centre", [p.upper() for p in STORY]),
        "d-other.html": html_page("IOM Clinic Opens", other),
    }
    paths = {}
    for name, data in pages.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    return paths


@pytest.mark.timeout(60)
def test_dedupe_flags_copies_and_keeps_the_most_complete(tmp_path: Path) -> None:
    paths = dedupe_inputs(tmp_path)
    out = tmp_path / "records.jsonl"

    summary = run_batch([str(tmp_path / "*.html")], out, workers=0, dedupe=True)

    records = by_source(read_records(out))
    flags = {
        Path(sid).name: [w for w in r["warnings"] if w.startswith(DUPLICATE_PREFIX)]
        for sid, r in records.items()
    }
    kept = str(paths["b-full.html"])
    assert flags == {
        "b-full.html": [],
        "a-lossy.html": [DUPLICATE_PREFIX + kept],
        "c-same.html": [DUPLICATE_PREFIX + kept],
        "d-other.html": [],
    }
    assert summary.duplicates == 2


@pytest.mark.timeout(60)
def test_dedupe_is_idempotent_and_moves_the_flag_when_a_fuller_copy_arrives(tmp_path: Path) -> None:
    paths = dedupe_inputs(tmp_path)
    out = tmp_path / "records.jsonl"
    run_batch([str(paths["a-lossy.html"]), str(paths["d-other.html"])], out, workers=0, dedupe=True)
    assert not any(r["warnings"] for r in read_records(out))

    run_batch([str(tmp_path / "*.html")], out, workers=0, dedupe=True)
    after = out.read_bytes()
    assert flag_duplicates([out]) == 2

    lossy = by_source(read_records(out))[str(paths["a-lossy.html"])]
    assert lossy["warnings"] == [DUPLICATE_PREFIX + str(paths["b-full.html"])]
    assert out.read_bytes() == after
    Article.model_validate(lossy)


@pytest.mark.timeout(60)
def test_csv_and_export_dir_are_derived_from_the_records(tmp_path: Path) -> None:
    expected, _ = corrupt_mix(tmp_path)
    out, table, export = tmp_path / "r.jsonl", tmp_path / "r.csv", tmp_path / "cms"

    summary = run_batch(
        [str(tmp_path / "archive")], out, workers=0, csv_path=table, export_dir=export
    )

    with table.open(encoding="utf-8", newline="") as handle:
        rows = {row["source_id"]: row for row in csv.DictReader(handle)}
    records = by_source(read_records(out))
    assert set(rows) == set(expected)
    for sid, record in records.items():
        row = rows[sid]
        assert row["kind"] == record["kind"]
        if record["kind"] == "article":
            assert row["text"] == "\n\n".join(record["paragraphs"])
            assert int(row["paragraph_count"]) == len(record["paragraphs"])
        else:
            assert (row["stage"], row["error_type"]) == (record["stage"], record["error_type"])
    files = sorted(export.glob("*.md"))
    assert len(files) == summary.articles
    first = files[0].read_text(encoding="utf-8")
    assert first.startswith("---\ntitle: ") and "\nsource_id: " in first and "\n# " in first


@pytest.mark.timeout(60)
def test_export_html_skips_duplicates_and_escapes_text(tmp_path: Path) -> None:
    dedupe_inputs(tmp_path)
    export = tmp_path / "cms"

    run_batch(
        [str(tmp_path / "*.html")],
        tmp_path / "r.jsonl",
        workers=0,
        dedupe=True,
        export_dir=export,
        export_format="html",
    )

    pages = sorted(p.read_text(encoding="utf-8") for p in export.glob("*.html"))
    assert len(pages) == 2
    assert all(p.startswith("<!doctype html>") and "<h1>" in p for p in pages)


@pytest.mark.timeout(60)
def test_parquet_holds_the_same_rows_as_the_csv(tmp_path: Path, text_pages: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "r.jsonl"
    run_batch(
        [str(text_pages)],
        out,
        workers=0,
        parquet_path=tmp_path / "r.parquet",
        csv_path=tmp_path / "r.csv",
    )

    table = pq.read_table(tmp_path / "r.parquet").to_pylist()
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["source_id"] for r in table] == [r["source_id"] for r in rows]
    assert [r["title"] for r in table] == [r["title"] for r in rows]


def test_parquet_without_pyarrow_is_a_usage_error(
    tmp_path: Path, text_pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("iom_scrape.batch.run.parquet_available", lambda: False)
    with pytest.raises(BatchUsageError, match="pyarrow"):
        run_batch([str(text_pages)], tmp_path / "r.jsonl", parquet_path=tmp_path / "r.parquet")
    assert not (tmp_path / "r.jsonl").exists()


def lose_paragraph_end_words(dump: str) -> str:
    """The copy of an item a later crawl kept: no "News / Global" header, and the last
    word of every wrapped body paragraph lost (``jahia-notes.md`` section 6.16)."""
    lines = dump.splitlines()
    if lines[:2] == ["News", "Global"]:
        lines = lines[2:]
    for number in range(1, len(lines) - 1):
        wrapped = lines[number - 1].strip() and lines[number].strip()
        if wrapped and not lines[number + 1].strip() and len(lines[number].split()) > 3:
            lines[number] = lines[number].rsplit(" ", 1)[0]
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(60)
def test_dedupe_finds_a_text_dump_copy_that_lost_its_line_end_words(tmp_path: Path) -> None:
    original = Path(__file__).resolve().parents[2] / "fixtures/text/news-global-blank-lines.txt"
    if not original.exists():
        pytest.skip("the news-global-blank-lines fixture is gone")
    dump = original.read_text(encoding="utf-8")
    (tmp_path / "www-iom-int.txt").write_text(dump, encoding="utf-8")
    (tmp_path / "iom-int-crawl2.txt").write_text(lose_paragraph_end_words(dump), encoding="utf-8")
    (tmp_path / "other.txt").write_bytes(fixture_texts()[0].read_bytes())
    out = tmp_path / "r.jsonl"

    summary = run_batch([str(tmp_path / "*.txt")], out, workers=0, dedupe=True)

    records = by_source(read_records(out))
    assert records[str(tmp_path / "iom-int-crawl2.txt")]["warnings"][-1] == (
        DUPLICATE_PREFIX + str(tmp_path / "www-iom-int.txt")
    )
    assert summary.duplicates == 1
