"""The command line: a thin layer over the library (``iom-scrape --help``)."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="iom_scrape")
def main() -> None:
    """Turn damaged legacy IOM pages into clean, validated records."""
