"""The Dask engine on a real LocalCluster of worker processes: the local engine's records."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from iom_scrape.batch import BatchUsageError, run_batch, to_dask_bag
from tests.batch.batch_inputs import (
    by_source,
    cli_argv,
    cli_env,
    corrupt_mix,
    read_records,
)

distributed = pytest.importorskip("distributed")

LEAKY_DUMP = Path(__file__).parents[2] / "fixtures" / "text" / "leak-anchor-remains-all-shapes.txt"


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """Two worker processes with one thread each, as a small real cluster."""
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as local_cluster:
        yield local_cluster.scheduler_address


@pytest.mark.timeout(120)
def test_dask_records_equal_the_local_engine_input_for_input(tmp_path: Path, cluster: str) -> None:
    corrupt_mix(tmp_path)
    archive = str(tmp_path / "archive")
    local = run_batch([archive], tmp_path / "local.jsonl", workers=2)

    remote = run_batch(
        [archive], tmp_path / "parts", engine="dask", scheduler=cluster, partitions=3
    )

    local_records = by_source(read_records(tmp_path / "local.jsonl"))
    dask_records = by_source(read_records(tmp_path / "parts"))
    assert dask_records == local_records
    assert len(list((tmp_path / "parts").glob("part-*.jsonl"))) > 1
    assert remote.model_dump(exclude={"seconds", "pages_per_second"}) == local.model_dump(
        exclude={"seconds", "pages_per_second"}
    )


@pytest.mark.timeout(120)
def test_dask_rerun_resumes_per_record_and_keeps_its_partitions(
    tmp_path: Path, cluster: str
) -> None:
    expected, _ = corrupt_mix(tmp_path)
    archive, parts = str(tmp_path / "archive"), tmp_path / "parts"
    run_batch([archive], parts, engine="dask", scheduler=cluster, partitions=3)
    first_part = sorted(parts.glob("part-*.jsonl"))[0]
    lines = first_part.read_bytes().splitlines(keepends=True)
    first_part.write_bytes(b"".join(lines[:-1]) + lines[-1][:10])  # a torn tail

    again = run_batch([archive], parts, engine="dask", scheduler=cluster)

    assert (again.processed, again.output_repairs) == (1, {"torn-line": 1})
    assert sorted(by_source(read_records(parts))) == sorted(expected)
    with pytest.raises(BatchUsageError, match="3 partitions"):
        run_batch([archive], parts, engine="dask", scheduler=cluster, partitions=5)


@pytest.mark.timeout(120)
def test_to_dask_bag_yields_the_same_record_lines(tmp_path: Path, cluster: str) -> None:
    corrupt_mix(tmp_path)
    archive = str(tmp_path / "archive")
    run_batch([archive], tmp_path / "local.jsonl", workers=0)

    with distributed.Client(cluster) as client:
        lines = to_dask_bag([archive], partitions=4).compute(scheduler=client)

    assert sorted(lines) == sorted((tmp_path / "local.jsonl").read_text().splitlines())


@pytest.mark.timeout(120)
def test_cli_dask_engine_writes_part_files_on_the_cluster(tmp_path: Path, cluster: str) -> None:
    expected, failures = corrupt_mix(tmp_path)
    parts = tmp_path / "parts"

    done = subprocess.run(
        [
            *cli_argv(),
            "batch",
            str(tmp_path / "archive"),
            "--out",
            str(parts),
            "--engine",
            "dask",
            "--scheduler",
            cluster,
            "--quiet",
        ],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )

    assert done.returncode == 1, done.stderr
    records = by_source(read_records(parts))
    assert sorted(records) == sorted(expected)
    assert {sid for sid, r in records.items() if r["kind"] == "error"} == set(failures)


@pytest.mark.timeout(120)
def test_on_dask_an_input_past_the_time_limit_is_an_error_record(
    tmp_path: Path, cluster: str
) -> None:
    # Dask cleans in worker threads, out of SIGALRM's reach: the deadline watchdog stops it
    expected, _ = corrupt_mix(tmp_path)
    leaky = LEAKY_DUMP.read_text(encoding="utf-8").splitlines()
    body = "\n".join(leaky[2:20]) + "\n"  # wrapped prose full of leaked anchors
    slow = tmp_path / "archive" / "endless-dump.txt"  # ~8 MB of it: seconds to clean
    slow.write_text("\n".join(leaky[:2]) + "\n" + body * (8_000_000 // len(body)))

    summary = run_batch(
        [str(tmp_path / "archive")], tmp_path / "parts", engine="dask", scheduler=cluster,
        partitions=2, timeout=0.5,
    )  # fmt: skip

    records = by_source(read_records(tmp_path / "parts"))
    print(
        "DEBUG",
        {
            k: (v if k != "body_html" else "")
            for k, v in records[str(slow)].items()
            if k not in ("paragraphs", "body_markdown", "links", "quotes")
        },
        summary,
    )
    assert (records[str(slow)]["stage"], records[str(slow)]["error_type"]) == (
        "parse",
        "InputTimeout",
    )
    assert sorted(records) == sorted([*expected, str(slow)])
    assert all(r["kind"] == "article" for sid, r in records.items() if sid in expected[:4])
    assert summary.errors >= 1
