"""Batch cleaning of archives: many inputs -> one record each, resumable, local or on Dask.

``run_batch`` is the entry point (``iom-scrape batch`` is a thin layer over it);
``to_dask_bag`` hands the same cleaning to a Dask cluster as a bag of records.
"""

from __future__ import annotations

from typing import Any

from iom_scrape.batch.records import DUPLICATE_PREFIX
from iom_scrape.batch.run import BatchOptions, ProgressListener, run_batch
from iom_scrape.batch.sources import BatchUsageError
from iom_scrape.batch.summary import BatchSummary
from iom_scrape.batch.writers import iter_record_dicts


def to_dask_bag(*args: Any, **kwargs: Any) -> Any:
    """A ``dask.bag.Bag`` of record JSON lines: see :func:`iom_scrape.batch.dask.to_dask_bag`.

    Imported on first use, so the batch package works without the ``dask`` extra.
    """
    from iom_scrape.batch.dask import to_dask_bag as build

    return build(*args, **kwargs)


__all__ = [
    "DUPLICATE_PREFIX",
    "BatchOptions",
    "BatchSummary",
    "BatchUsageError",
    "ProgressListener",
    "iter_record_dicts",
    "run_batch",
    "to_dask_bag",
]
