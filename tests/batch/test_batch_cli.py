"""`iom-scrape batch` as users run it: exit codes, summary file, and resume after SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.batch.batch_inputs import (
    by_source,
    cli_argv,
    cli_env,
    fixture_texts,
    read_records,
    write_jsonl,
)


def run_cli(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*cli_argv(), "batch", *map(str, args)],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=timeout,
        check=False,
    )


@pytest.mark.timeout(60)
def test_all_inputs_clean_exits_0_and_writes_the_summary_file(
    tmp_path: Path, text_pages: Path
) -> None:
    out, summary_file = tmp_path / "records.jsonl", tmp_path / "summary.json"

    done = run_cli(text_pages, "--out", out, "--workers", "2", "--summary", summary_file)

    assert done.returncode == 0, done.stderr
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    assert (summary["inputs"], summary["articles"], summary["errors"]) == (6, 6, 0)
    assert summary["pages_per_second"] > 0
    assert "articles 6, errors 0" in done.stderr
    assert len(read_records(out)) == 6


@pytest.mark.timeout(60)
def test_a_failed_input_exits_1_and_quiet_prints_nothing(tmp_path: Path, text_pages: Path) -> None:
    (text_pages / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00 not really gzip")

    done = run_cli(text_pages, "--out", tmp_path / "r.jsonl", "--workers", "0", "--quiet")

    assert done.returncode == 1
    assert done.stdout == done.stderr == ""
    errors = [r for r in read_records(tmp_path / "r.jsonl") if r["kind"] == "error"]
    assert [(Path(r["source_id"]).name, r["stage"]) for r in errors] == [("broken.txt.gz", "read")]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["{missing}"], "no such input"),
        (["{pages}", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
        ([], "no inputs"),
        (["{pages}", "--workers", "-1"], "--workers"),
        (["{pages}", "--engine", "spark"], "--engine"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, text_pages: Path, extra: list[str], message: str
) -> None:
    args = [a.format(missing=tmp_path / "nope", pages=text_pages) for a in extra]

    done = run_cli(*args, "--out", tmp_path / "r.jsonl")

    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "r.jsonl").exists()


@pytest.mark.timeout(120)
def test_a_run_killed_mid_way_resumes_with_no_duplicate_and_no_missing_record(
    tmp_path: Path,
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in fixture_texts()]
    total = 5000
    export = tmp_path / "archive.jsonl"
    write_jsonl(export, ({"html": texts[n % len(texts)]} for n in range(total)))
    out = tmp_path / "records.jsonl"
    command = [*cli_argv(), "batch", str(export), "--out", str(out), "--workers", "1", "--quiet"]

    victim = subprocess.Popen(command, env=cli_env(), start_new_session=True)
    try:
        written = wait_for_lines(out, 200, victim)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
    finally:
        os.killpg(victim.pid, signal.SIGKILL)  # its worker processes, orphaned by the kill
    assert 200 <= written < total, "the run must be killed mid-way"
    lines_at_kill = len(out.read_bytes().split(b"\n")) - 1

    summary_file = tmp_path / "summary.json"
    resumed = run_cli(
        export, "--out", out, "--workers", "2", "--quiet", "--summary", summary_file, timeout=90
    )

    assert resumed.returncode == 0, resumed.stderr
    records = by_source(read_records(out))
    assert set(records) == {f"{export}#{n}" for n in range(1, total + 1)}
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    assert summary["skipped"] in (lines_at_kill, lines_at_kill - 1)  # minus a torn line
    assert summary["skipped"] + summary["processed"] == summary["inputs"] == total
    assert summary["articles"] == total


def wait_for_lines(path: Path, count: int, process: subprocess.Popen[bytes]) -> int:
    """Wait until the output holds ``count`` lines while the process still runs."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the batch finished before it could be killed"
        lines = path.read_bytes().count(b"\n") if path.exists() else 0
        if lines >= count:
            return lines
        time.sleep(0.01)
    raise AssertionError("the batch wrote too few lines in time")
