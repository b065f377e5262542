"""The command line, run as users run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from iom_scrape.cli import main
from iom_scrape.export.records import record_schema_json

PAGE = "A Title\nIOM said today that the first body sentence is here.\n"


def test_parse_prints_the_record_as_json(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(page)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert (record["kind"], record["title"]) == ("article", "A Title")


def test_parse_reads_standard_input_and_prints_text() -> None:
    result = CliRunner().invoke(main, ["parse", "-", "--format", "text"], input=PAGE.encode())
    assert result.exit_code == 0
    assert result.output.startswith("A Title\n")


def test_parse_of_an_empty_file_exits_1_with_the_error(tmp_path: Path) -> None:
    page = tmp_path / "empty.txt"
    page.write_bytes(b"")
    result = CliRunner().invoke(main, ["parse", str(page)])
    assert result.exit_code == 1
    assert "EmptyInput" in result.output


def test_schema_command_prints_the_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.output == record_schema_json()


def test_console_script_is_installed() -> None:
    done = subprocess.run([sys.executable, "-m", "iom_scrape", "--help"], capture_output=True)
    assert done.returncode == 0 and b"parse" in done.stdout
