"""run_batch end to end: every input kind, nothing lost, resume, dedupe and derived outputs."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from iom_scrape.batch import run_batch
from iom_scrape.batch.local import LocalEngine
from iom_scrape.batch.records import Outcome
from iom_scrape.batch.sources import SeenIds, SourceOptions, SourceStats, expand_inputs, iter_tasks
from iom_scrape.models import RECORD_ADAPTER
from tests.batch.batch_inputs import (
    STORY,
    WarcPage,
    by_source,
    corrupt_mix,
    fixture_texts,
    html_page,
    read_records,
    write_jsonl,
    write_warc,
)
from tests.batch.batch_work import crash_or_hang


@pytest.fixture
def page_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1: /page.txt is a text dump, anything else is 404."""
    text = fixture_texts(1)[0].read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/page.txt":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)
            else:
                self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.timeout(60)
def test_every_input_kind_gives_one_record_per_input(
    tmp_path: Path, text_pages: Path, page_server: str
) -> None:
    (tmp_path / "legacy.html").write_bytes(html_page("IOM Opens Transit Centre", STORY))
    (tmp_path / "copy.htm").write_bytes(html_page("Transit Centre Opens", STORY[:2]))
    texts = [p.read_text(encoding="utf-8") for p in fixture_texts(3)]
    write_jsonl(
        tmp_path / "export.jsonl",
        [{"html": t, "url": f"https://www.iom.int/n/{n}"} for n, t in enumerate(texts)],
    )
    write_jsonl(tmp_path / "export2.jsonl.gz", [{"html": texts[0]}], compress=True)
    warc_ids = write_warc(
        tmp_path / "crawl.warc.gz",
        [
            WarcPage(
                "http://www.iom.int/jahia/page1",
                html_page("IOM Opens Centre", STORY),
                "text/html; charset=utf-8",
            ),
            WarcPage("http://www.iom.int/jahia/page2", texts[1].encode()),
        ],
        compress=True,
    )
    plain_ids = write_warc(
        tmp_path / "plain.warc", [WarcPage("http://x.org/a", texts[2].encode())], compress=False
    )
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{page_server}/page.txt\n{page_server}/gone\n")
    out = tmp_path / "out" / "records.jsonl"

    summary = run_batch(
        [
            str(text_pages),
            str(tmp_path / "*.htm*"),
            str(tmp_path / "export*"),
            str(tmp_path / "*.warc*"),
        ],
        out,
        urls_file=urls,
        workers=2,
        fetch_options={"per_host_delay": 0.0, "respect_robots": False},
    )

    records = by_source(read_records(out))
    expected = (
        {ref.location for ref in expand_inputs([str(text_pages)])}
        | {str(tmp_path / "legacy.html"), str(tmp_path / "copy.htm")}
        | {f"{tmp_path / 'export.jsonl'}#{n}" for n in (1, 2, 3)}
        | {f"{tmp_path / 'export2.jsonl.gz'}#1"}
        | set(warc_ids)
        | set(plain_ids)
        | {f"{page_server}/page.txt", f"{page_server}/gone"}
    )
    assert set(records) == expected
    assert summary.inputs == summary.processed == len(expected)
    gone = records[f"{page_server}/gone"]
    assert (gone["kind"], gone["stage"], gone["error_type"]) == (
        "error",
        "fetch",
        "FetchStatusError",
    )
    assert summary.errors == 1 and summary.articles == len(expected) - 1
    assert records[f"{page_server}/page.txt"]["kind"] == "article"
    assert records[warc_ids[0]]["source_url"] == "http://www.iom.int/jahia/page1"
    assert records[warc_ids[0]]["title"] == "IOM Opens Centre"
    assert records[f"{tmp_path / 'export.jsonl'}#2"]["source_url"] == "https://www.iom.int/n/1"
    for record in records.values():
        RECORD_ADAPTER.validate_python(record)


@pytest.mark.timeout(60)
def test_corrupt_inputs_in_an_archive_are_each_accounted_for_exactly_once(tmp_path: Path) -> None:
    expected, failures = corrupt_mix(tmp_path)
    out = tmp_path / "records.jsonl"

    summary = run_batch([str(tmp_path / "archive")], out, workers=2)

    records = by_source(read_records(out))
    assert sorted(records) == sorted(expected)
    errors = {
        sid: (r["stage"], r["error_type"]) for sid, r in records.items() if r["kind"] == "error"
    }
    assert errors == failures
    assert all(records[sid]["message"] for sid in failures)
    assert (summary.inputs, summary.articles, summary.errors) == (
        len(expected),
        len(expected) - len(failures),
        len(failures),
    )
    assert summary.errors_by_stage == {
        "parse": {"BinaryInput": 1, "EmptyInput": 1},
        "read": {"ReadError": 3},
    }
    assert summary.failed


@pytest.mark.timeout(60)
def test_a_worker_that_dies_or_hangs_costs_one_error_record_not_the_batch(tmp_path: Path) -> None:
    fixtures = fixture_texts(6)
    for number, fixture in enumerate(fixtures):
        prefix = {1: "crash-", 4: "hang-"}.get(number, "")
        shutil.copy(fixture, tmp_path / (prefix + fixture.name))
    refs = expand_inputs([str(tmp_path)])
    tasks = iter_tasks(refs, SourceOptions(), SeenIds(), SourceStats())
    engine = LocalEngine(workers=2, timeout=0.5, chunk_size=2, grace=0.5, work=crash_or_hang)
    outcomes: list[Outcome] = []

    engine.run(tasks, outcomes.append)

    kinds = {
        Path(o.source_id).name.split("-")[0]: o.error_type for o in outcomes if o.kind == "error"
    }
    assert sorted(o.source_id for o in outcomes) == sorted(r.location for r in refs)
    assert kinds == {"crash": "WorkerCrashed", "hang": "InputTimeout"}
    assert sum(o.kind == "article" for o in outcomes) == 4


@pytest.mark.timeout(60)
def test_an_input_that_blocks_is_stopped_by_the_per_input_time_limit(tmp_path: Path) -> None:
    shutil.copy(fixture_texts(1)[0], tmp_path / "fine.txt")
    os.mkfifo(tmp_path / "stuck.txt")  # open() blocks forever: no writer will come
    out = tmp_path / "records.jsonl"

    summary = run_batch(
        [str(tmp_path / "fine.txt"), str(tmp_path / "stuck.txt")], out, workers=1, timeout=1.0
    )

    records = by_source(read_records(out))
    stuck = records[str(tmp_path / "stuck.txt")]
    assert (stuck["stage"], stuck["error_type"]) == ("parse", "InputTimeout")
    assert records[str(tmp_path / "fine.txt")]["kind"] == "article"
    assert summary.errors == 1


@pytest.mark.timeout(60)
def test_a_torn_last_line_is_cut_and_its_input_cleaned_again(
    tmp_path: Path, text_pages: Path
) -> None:
    out = tmp_path / "records.jsonl"
    run_batch([str(text_pages)], out, workers=0)
    original = out.read_bytes()
    lines = original.splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])

    summary = run_batch([str(text_pages)], out, workers=0)

    assert summary.output_repairs == {"torn-line": 1}
    assert (summary.skipped, summary.processed, summary.inputs) == (5, 1, 6)
    assert sorted(out.read_bytes().splitlines()) == sorted(original.splitlines())


@pytest.mark.timeout(60)
def test_a_corrupt_line_inside_the_output_is_dropped_and_redone(
    tmp_path: Path, text_pages: Path
) -> None:
    out = tmp_path / "records.jsonl"
    run_batch([str(text_pages)], out, workers=0)
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(lines[0] + b'{"kind": "article", "title": \n' + b"".join(lines[2:]))

    summary = run_batch([str(text_pages)], out, workers=0)

    assert summary.output_repairs == {"corrupt-line": 1}
    assert summary.processed == 1
    assert len(by_source(read_records(out))) == 6


@pytest.mark.timeout(60)
def test_rerunning_a_finished_batch_writes_nothing(tmp_path: Path, text_pages: Path) -> None:
    out = tmp_path / "records.jsonl"
    first = run_batch([str(text_pages)], out, workers=0)
    before = out.read_bytes()

    again = run_batch([str(text_pages)], out, workers=0)

    assert out.read_bytes() == before
    assert (again.processed, again.skipped, again.articles) == (0, 6, first.articles)


def test_summary_round_trips_as_json(tmp_path: Path, text_pages: Path) -> None:
    summary = run_batch([str(text_pages)], tmp_path / "r.jsonl", workers=0)
    data = json.loads(summary.model_dump_json())
    assert data["inputs"] == 6 and data["articles"] + data["errors"] == 6
    assert data["repairs_by_kind"] and all(v > 0 for v in data["repairs_by_kind"].values())


@pytest.mark.timeout(60)
def test_a_long_run_of_failed_lines_does_not_end_the_stream(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    good = {"html": html_page("IOM Opens Transit Centre", STORY).decode()}
    write_jsonl(export, [good, *["{broken"] * 100, good, good])

    summary = run_batch([str(export)], tmp_path / "r.jsonl", workers=1)

    records = by_source(read_records(tmp_path / "r.jsonl"))
    assert set(records) == {f"{export}#{n}" for n in range(1, 104)}
    assert (summary.articles, summary.errors) == (3, 100)


@pytest.mark.timeout(60)
def test_an_output_inside_the_archive_folder_is_not_read_back_as_input(text_pages: Path) -> None:
    out = text_pages / "records.jsonl"
    run_batch([str(text_pages)], out, workers=0)

    again = run_batch([str(text_pages)], out, workers=0, csv_path=text_pages / "r.csv")

    assert (again.inputs, again.processed) == (6, 0)
    assert len(read_records(out)) == 6
