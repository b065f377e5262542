"""The command line: a thin layer over the library (``iom-scrape --help``).

Exit codes: 0 success, 1 the input (or some inputs) failed, 2 usage error.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from iom_scrape.errors import IomScrapeError
from iom_scrape.export.records import article_text, record_json, record_schema_json, summary_line
from iom_scrape.models import RECORD_ADAPTER
from iom_scrape.pipeline import parse as parse_page

if TYPE_CHECKING:
    from iom_scrape.fetch.options import ArchiveMode

FORMATS = ("json", "text", "html", "markdown")
Command = Callable[..., None]


@dataclass(frozen=True, slots=True)
class FetchFlags:
    """The fetcher's flags of a command: where pages come from and how politely."""

    archive: ArchiveMode
    timestamp: str | None
    options: dict[str, Any]
    """``FetchOptions`` keyword arguments."""


def _fetch_default(name: str) -> Any:
    """A ``FetchOptions`` default, so the flags never disagree with the library."""
    from iom_scrape.fetch.options import FetchOptions

    return FetchOptions.model_fields[name].default


def fetch_flags(command: Command) -> Command:
    """Add the fetcher's flags to ``command``, which receives them as ``fetch``.

    ``fetch`` and ``batch`` share them, so a URL list is fetched as one URL is.
    """

    @functools.wraps(command)
    def with_fetch_flags(
        *args: Any,
        archive: ArchiveMode,
        timestamp: str | None,
        contact: str | None,
        cache_dir: Path | None,
        offline: bool,
        no_robots: bool,
        max_retries: int,
        per_host_delay: float,
        concurrency: int,
        wayback_url: str,
        **kwargs: Any,
    ) -> None:
        options = {
            "contact": contact,
            "cache_dir": cache_dir,
            "offline": offline,
            "respect_robots": not no_robots,
            "max_retries": max_retries,
            "per_host_delay": per_host_delay,
            "concurrency": concurrency,
            "wayback_url": wayback_url,
        }
        command(*args, fetch=FetchFlags(archive, timestamp, options), **kwargs)

    flags = [
        click.option(
            "--archive",
            type=click.Choice(["never", "auto", "only"]),
            default="never",
            show_default=True,
            help="Use the Wayback Machine: auto = when the page is gone or the host unreachable.",
        ),
        click.option("--timestamp", help="Wanted capture time, e.g. 2010 or 20100315."),
        click.option("--contact", help="Your e-mail or URL, sent in the User-Agent."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path)),
        click.option("--offline", is_flag=True, help="Read only the cache (with --cache-dir)."),
        click.option("--no-robots", is_flag=True, help="Do not consult robots.txt."),
        click.option(
            "--max-retries",
            type=click.IntRange(min=0),
            default=_fetch_default("max_retries"),
            show_default=True,
        ),
        click.option(
            "--per-host-delay",
            type=click.FloatRange(min=0),
            default=_fetch_default("per_host_delay"),
            show_default=True,
            help="Seconds between two requests to one host.",
        ),
        click.option(
            "--concurrency",
            type=click.IntRange(min=1),
            default=_fetch_default("concurrency"),
            show_default=True,
            help=f"Requests in flight at once (at most {_fetch_default('per_host_concurrency')} "
            "per host).",
        ),
        click.option("--wayback-url", default=_fetch_default("wayback_url"), show_default=True),
    ]
    for flag in reversed(flags):
        with_fetch_flags = flag(with_fetch_flags)
    return with_fetch_flags


@click.group()
@click.version_option(package_name="iom_scrape")
def main() -> None:
    """Turn damaged legacy IOM pages into clean, validated records."""


@main.command("parse")
@click.argument("source", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The page URL (resolves images and links; sets source_url).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="json")
def parse_command(source: Path, url: str | None, output_format: str) -> None:
    """Clean one page (HTML or text dump; '-' reads standard input)."""
    data = sys.stdin.buffer.read() if str(source) == "-" else _read_file(source)
    try:
        article = parse_page(data, url=url)
    except IomScrapeError as exc:
        click.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    rendered = {
        "json": lambda: record_json(article, indent=2),
        "text": lambda: article_text(article),
        "html": lambda: article.body_html,
        "markdown": lambda: article.body_markdown,
    }[output_format]()
    click.echo(rendered)


@main.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the output records."""
    click.echo(record_schema_json(), nl=False)


@main.command("show")
@click.argument("records", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def show_command(records: Path) -> None:
    """Print one summary line per record of a JSONL output file."""
    with records.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                click.echo(summary_line(RECORD_ADAPTER.validate_json(line)))


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}") from exc


@main.command("batch")
@click.argument("inputs", nargs=-1)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="JSONL output (local engine) or folder of part files (--engine dask).",
)
@click.option(
    "--urls",
    "urls_file",
    type=click.Path(exists=True, dir_okay=False),
    help="A file of URLs to fetch and clean, one per line.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Worker processes (default: the CPU count; 0: in this process).",
)
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://HOST:8786.")
@click.option(
    "--partitions", type=click.IntRange(min=1), help="Dask partitions (pinned on first run)."
)
@click.option("--text-field", help="JSONL field with the page (default: html, content, text, ...).")
@click.option("--url-field", default="url", show_default=True, help="JSONL field with the URL.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds one input may take (0: no limit).",
)
@click.option("--dedupe", is_flag=True, help="Flag copies of the same article (keeps the fullest).")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), help="Also write a CSV.")
@click.option(
    "--parquet",
    "parquet_path",
    type=click.Path(path_type=Path),
    help="Also write Parquet (needs pyarrow).",
)
@click.option(
    "--export-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one file per article here, for a CMS import.",
)
@click.option(
    "--export-format",
    type=click.Choice(["markdown", "html"]),
    default="markdown",
    show_default=True,
)
@click.option(
    "--summary",
    "summary_path",
    type=click.Path(path_type=Path),
    help="Write the summary as JSON to this file.",
)
@click.option("--quiet", is_flag=True, help="No progress bar and no summary lines.")
@fetch_flags
def batch_command(
    inputs: tuple[str, ...],
    out: Path,
    urls_file: str | None,
    workers: int | None,
    engine: str,
    scheduler: str | None,
    partitions: int | None,
    text_field: str | None,
    url_field: str,
    timeout: float,
    dedupe: bool,
    csv_path: Path | None,
    parquet_path: Path | None,
    export_dir: Path | None,
    export_format: str,
    summary_path: Path | None,
    quiet: bool,
    fetch: FetchFlags,
) -> None:
    """Clean many pages (files, folders, globs, JSONL, WARC, URLs) into one record each.

    URLs (arguments and --urls) are fetched with the fetcher's flags, from the
    Wayback Machine too with --archive. Rerun the same command to resume after a
    crash: inputs already in the output are skipped. Exit code 0: all inputs cleaned; 1: some failed (see the
    ErrorRecords); 2: usage error.
    """
    from contextlib import nullcontext

    from iom_scrape.batch import BatchUsageError, run_batch
    from iom_scrape.batch.progress import RichProgress
    from iom_scrape.batch.summary import summary_lines

    progress = nullcontext(None) if quiet else RichProgress()
    try:
        with progress as listener:
            summary = run_batch(
                inputs,
                out,
                urls_file=urls_file,
                engine=engine,  # type: ignore[arg-type]
                workers=workers,
                scheduler=scheduler,
                partitions=partitions,
                text_field=text_field,
                url_field=url_field,
                timeout=timeout,
                fetch_options=fetch.options,
                archive=fetch.archive,
                timestamp=fetch.timestamp,
                dedupe=dedupe,
                csv_path=csv_path,
                parquet_path=parquet_path,
                export_dir=export_dir,
                export_format=export_format,  # type: ignore[arg-type]
                progress=listener,
            )
    except BatchUsageError as exc:
        raise click.UsageError(str(exc)) from exc
    except KeyboardInterrupt:
        click.echo("interrupted: rerun the same command to resume", err=True)
        sys.exit(130)
    if summary_path is not None:
        summary_path.write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    if not quiet:
        for line in summary_lines(summary):
            click.echo(line, err=True)
    sys.exit(1 if summary.failed else 0)


@main.command("fetch")
@click.argument("url")
@click.option("--parse", "parse_page_too", is_flag=True, help="Print the cleaned record instead.")
@fetch_flags
def fetch_command(url: str, parse_page_too: bool, fetch: FetchFlags) -> None:
    """Fetch one URL (live or archived) and print the page info as JSON, or its record."""
    import json

    from iom_scrape.fetch import Fetcher

    try:
        with Fetcher(**fetch.options) as fetcher:
            page = fetcher.fetch(url, archive=fetch.archive, timestamp=fetch.timestamp)
        if parse_page_too:
            click.echo(record_json(page.parse(), indent=2))
            return
    except (IomScrapeError, ValueError) as exc:
        click.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    info = page.model_dump(mode="json", exclude={"content", "text"}) | {"size": len(page.content)}
    click.echo(json.dumps(info, indent=2, ensure_ascii=False))
