"""``iom-scrape fetch`` against the fault server."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from iom_scrape.cli import main

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
