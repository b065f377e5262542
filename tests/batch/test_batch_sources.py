"""Naming and reading batch inputs: folders, globs, JSONL, WARC, gzip, and their failures."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from iom_scrape.batch.records import FailedInput, PageFile, PagePayload, Task
from iom_scrape.batch.sources import (
    BatchUsageError,
    InputRef,
    SeenIds,
    SourceOptions,
    SourceStats,
    count_pending_inputs,
    expand_inputs,
    iter_tasks,
    read_page_file,
)
from iom_scrape.errors import ReadError
from tests.batch.batch_inputs import WarcPage, fixture_texts, write_jsonl, write_warc

pytestmark = pytest.mark.timeout(30)


def tasks_of(refs: list[InputRef], options: SourceOptions | None = None) -> list[Task]:
    return list(iter_tasks(refs, options or SourceOptions(), SeenIds(), SourceStats()))


def test_folder_is_walked_recursively_with_known_suffixes_only(text_pages: Path) -> None:
    (text_pages / "notes.pdf").write_bytes(b"%PDF")
    refs = expand_inputs([str(text_pages)])
    names = [Path(ref.location).name for ref in refs]
    assert len(refs) == 6
    assert "notes.pdf" not in names
    assert {ref.kind for ref in refs} == {"page"}
    assert any(ref.location.startswith(str(text_pages / "nested")) for ref in refs)


def test_glob_and_folder_naming_the_same_file_give_it_once(text_pages: Path) -> None:
    refs = expand_inputs([str(text_pages / "*.txt"), str(text_pages), str(text_pages) + "/"])
    assert len(refs) == 6


def test_glob_recurses_with_double_star(text_pages: Path) -> None:
    refs = expand_inputs([str(text_pages / "**" / "*.txt.gz")])
    assert [Path(ref.location).suffixes[-2:] for ref in refs] == [[".txt", ".gz"]]


@pytest.mark.parametrize("name", ["missing-folder", "nothing-*.html"])
def test_an_input_that_matches_nothing_is_a_usage_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(BatchUsageError, match="no such input"):
        expand_inputs([str(tmp_path / name)])


def test_urls_are_inputs_from_arguments_and_from_a_list(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "# legacy pages\nhttp://a.example/1\n\nhttp://a.example/2\nhttp://a.example/1\n"
    )
    refs = expand_inputs(["https://b.example/x"], urls_file=str(listing))
    assert [(r.kind, r.location) for r in refs] == [
        ("url", "https://b.example/x"),
        ("url", "http://a.example/1"),
        ("url", "http://a.example/2"),
    ]


def test_gzipped_page_is_read_through(tmp_path: Path) -> None:
    page = tmp_path / "p.html.gz"
    page.write_bytes(gzip.compress(b"<p>hello</p>"))
    assert read_page_file(str(page)) == b"<p>hello</p>"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("cut.txt.gz", gzip.compress(b"some text " * 500)[:-40], "corrupt gzip"),
        ("fake.txt.gz", b"plain text, not gzip", "not a gzip file"),
        ("bad.txt.gz", b"\x1f\x8b\x08\x00garbage-after-the-magic", "corrupt gzip"),
    ],
)
def test_broken_gzip_is_a_read_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    page = tmp_path / name
    page.write_bytes(data)
    with pytest.raises(ReadError, match=reason) as caught:
        read_page_file(str(page))
    assert caught.value.stage == "read"


def test_a_page_past_the_size_limit_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"a" * 100_000))
    with pytest.raises(ReadError, match="larger than"):
        read_page_file(str(bomb), max_bytes=10_000)


def test_jsonl_lines_become_payloads_with_line_ids_and_urls(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    text = fixture_texts(1)[0].read_text(encoding="utf-8")
    write_jsonl(export, [{"page": text, "link": "https://www.iom.int/news/a"}, {"page": "x"}])
    tasks = tasks_of([InputRef("jsonl", str(export))], SourceOptions("page", "link"))
    assert [t.source_id for t in tasks] == [f"{export}#1", f"{export}#2"]
    first = tasks[0]
    assert isinstance(first, PagePayload)
    assert (first.content, first.url) == (text, "https://www.iom.int/news/a")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"html": "<p>cut', "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"body_text": "no known field"}', "no text field"),
    ],
)
def test_a_bad_jsonl_line_is_a_failed_input_and_the_file_goes_on(
    tmp_path: Path, line: str, reason: str
) -> None:
    export = tmp_path / "export.jsonl"
    write_jsonl(export, [line, "", {"html": "<p>fine</p>"}])
    tasks = tasks_of([InputRef("jsonl", str(export))])
    assert len(tasks) == 2
    failed, good = tasks
    assert isinstance(failed, FailedInput)
    assert (failed.source_id, failed.stage, failed.error_type) == (
        f"{export}#1",
        "read",
        "ReadError",
    )
    assert reason in failed.message
    assert isinstance(good, PagePayload) and good.source_id == f"{export}#3"


def test_a_corrupt_gzipped_jsonl_keeps_its_good_lines_and_fails_once(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl.gz"
    rows = [{"html": f"<p>row {n} " + "padding " * 200 + "</p>"} for n in range(50)]
    write_jsonl(export, rows, compress=True)
    export.write_bytes(export.read_bytes()[:-300])
    tasks = tasks_of([InputRef("jsonl", str(export))])
    good = [t for t in tasks if isinstance(t, PagePayload)]
    failed = [t for t in tasks if isinstance(t, FailedInput)]
    assert 0 < len(good) < 50
    assert [f.source_id for f in failed] == [f"{export}#{len(good) + 1}"]


@pytest.mark.parametrize("compress", [False, True])
def test_warc_responses_carry_record_id_headers_and_target_uri(
    tmp_path: Path, compress: bool
) -> None:
    archive = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    body = "<html><body><p>caf\u00e9</p></body></html>".encode("latin-1")
    ids = write_warc(
        archive,
        [
            WarcPage("http://www.iom.int/a", body, "text/html; charset=iso-8859-1"),
            WarcPage("http://www.iom.int/logo.gif", b"GIF89a", "image/gif"),
            WarcPage("http://www.iom.int/old", b"", "text/html", status="301 Moved"),
            WarcPage("http://www.iom.int/a", b"GET / HTTP/1.1\r\n\r\n", record_type="request"),
        ],
        compress=compress,
    )
    stats = SourceStats()
    tasks = list(iter_tasks([InputRef("warc", str(archive))], SourceOptions(), SeenIds(), stats))
    assert len(tasks) == 1
    page = tasks[0]
    assert isinstance(page, PagePayload)
    assert (page.source_id, page.url, page.content) == (ids[0], "http://www.iom.int/a", body)
    assert page.headers is not None
    assert page.headers["content-type"] == "text/html; charset=iso-8859-1"
    assert stats.ignored == 3


def test_a_truncated_plain_warc_record_is_a_failed_input_with_its_id(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc"
    pages = [WarcPage(f"http://x.org/{n}", b"text " * 400) for n in range(3)]
    ids = write_warc(archive, pages, compress=False)
    archive.write_bytes(archive.read_bytes()[:-700])
    tasks = tasks_of([InputRef("warc", str(archive))])
    assert [t.source_id for t in tasks] == ids
    assert [type(t).__name__ for t in tasks] == ["PagePayload", "PagePayload", "FailedInput"]
    last = tasks[-1]
    assert isinstance(last, FailedInput) and "truncated WARC record" in last.message


@pytest.mark.parametrize("compress", [False, True])
def test_a_warc_cut_anywhere_in_its_last_record_reports_that_record_once(
    tmp_path: Path, compress: bool
) -> None:
    archive = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    pages = [WarcPage(f"http://x.org/{n}", f"text {n} ".encode() * 400) for n in range(3)]
    ids = write_warc(archive, pages, compress=compress)
    whole = archive.read_bytes()
    last_record = len(whole) - whole.rindex(b"\x1f\x8b" if compress else b"WARC/1.0")
    # (the last 8 bytes of a gzip member, or the 4-byte record separator, hold no content)
    for cut in range(20 if compress else 5, last_record - 1, 7 if compress else 53):
        archive.write_bytes(whole[:-cut])
        tasks = tasks_of([InputRef("warc", str(archive))])
        assert [type(t).__name__ for t in tasks] == ["PagePayload", "PagePayload", "FailedInput"]
        assert [t.source_id for t in tasks[:2]] == ids[:2]
        failed = tasks[2]
        assert isinstance(failed, FailedInput) and failed.stage == "read"
        assert failed.source_id == ids[2] or failed.source_id.startswith(f"{archive}#")


def test_a_file_that_is_not_a_warc_is_one_failed_input(tmp_path: Path) -> None:
    archive = tmp_path / "notes.warc"
    archive.write_text("these are my notes, not a web archive\n")
    tasks = tasks_of([InputRef("warc", str(archive))])
    assert [(type(t).__name__, t.source_id) for t in tasks] == [("FailedInput", f"{archive}#0")]


def test_ids_already_done_are_skipped_and_counted(text_pages: Path) -> None:
    refs = expand_inputs([str(text_pages)])
    done = {refs[0].location, refs[3].location}
    stats = SourceStats()
    tasks = list(iter_tasks(refs, SourceOptions(), SeenIds(previous=done), stats))
    assert [t.source_id for t in tasks] == [r.location for r in refs if r.location not in done]
    assert all(isinstance(t, PageFile) for t in tasks)
    assert (stats.inputs, stats.skipped) == (6, 2)


def test_counting_for_the_progress_bar_matches_the_tasks(tmp_path: Path, text_pages: Path) -> None:
    export = tmp_path / "e.jsonl"
    write_jsonl(export, [{"html": "<p>a</p>"}, "not json", {"html": "<p>b</p>"}])
    archive = tmp_path / "c.warc.gz"
    write_warc(
        archive, [WarcPage(f"http://x.org/{n}", b"t " * 50) for n in range(4)], compress=True
    )
    refs = expand_inputs([str(text_pages), str(export), str(archive)])
    done = {f"{export}#2"}
    expected = len(list(iter_tasks(refs, SourceOptions(), SeenIds(previous=done), SourceStats())))
    assert count_pending_inputs(refs, SourceOptions(), done) == expected == 6 + 2 + 4
