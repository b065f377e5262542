"""``iom-scrape fetch`` against the fault server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iom_scrape.cli import main
from iom_scrape.fetch import canonical_url
from tests.fetch.fetch_server import ServerState

pytestmark = pytest.mark.timeout(30)


def test_fetch_prints_page_info(base: str) -> None:
    result = CliRunner().invoke(main, ["fetch", f"{base}/latin1", "--contact", "me@example.org"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["status"] == 200 and info["encoding"] == "iso-8859-1"
    assert info["final_url"] == f"{base}/latin1" and info["size"] > 0
    assert "content" not in info


def test_fetch_archive_only(base: str, dead_base: str, token: str) -> None:
    url = f"{dead_base}/jahia/Jahia/lang/en/pid/{token}"
    args = ["fetch", url, "--archive", "only", "--timestamp", "2010", "--wayback-url", base]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["archived_at"] == "2010-03-15T09:30:00Z"


def test_fetch_parse_prints_the_record(base: str) -> None:
    result = CliRunner().invoke(main, ["fetch", f"{base}/page", "--parse"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["kind"] == "article" and record["source_url"] == f"{base}/page"


def test_fetch_failure_exits_1(base: str) -> None:
    result = CliRunner().invoke(main, ["fetch", f"{base}/status?code=404", "--max-retries", "0"])
    assert result.exit_code == 1
    assert "FetchStatusError" in result.output


def test_batch_fetches_a_url_list_with_the_fetch_flags_and_the_archive(
    base: str, dead_base: str, state: ServerState, token: str, tmp_path: Path
) -> None:
    live = f"{base}/page"
    gone = f"{dead_base}/jahia/Jahia/media/lang/en/pid/{token}"  # the host is long gone
    lost = f"{dead_base}/never-archived/{token}"  # and the archive has no capture of it
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{live}\n{gone}\n{lost}\n")
    out = tmp_path / "records.jsonl"
    args = ["batch", "--urls", str(urls), "--out", str(out), "--quiet", "--workers", "0",
            "--archive", "auto", "--timestamp", "2010", "--wayback-url", base, "--no-robots",
            "--per-host-delay", "0", "--max-retries", "0", "--contact", f"batch-{token}@example.org"]  # fmt: skip

    result = CliRunner().invoke(main, args)

    assert result.exit_code == 1, result.output  # one URL could not be had at all
    records = {r["source_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(records) == {live, gone, lost}
    assert records[live]["kind"] == "article"
    archived = records[gone]
    assert archived["kind"] == "article"
    assert archived["source_url"] == f"{base}/web/20100315093000id_/{gone}"
    assert archived["canonical_url"] == canonical_url(gone)  # the original page, not the replay
    assert archived["images"][0]["url"].startswith(dead_base + "/jahia/webdav/")
    assert (records[lost]["stage"], records[lost]["error_type"]) == ("fetch", "ArchiveNotFound")
    agents = {r.header("user-agent") for r in state.requests_containing(token)}
    assert agents and all(f"batch-{token}@example.org" in (agent or "") for agent in agents)
