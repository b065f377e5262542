"""The public namespace: what users import, sorted and complete."""

from __future__ import annotations

import iom_scrape


def test_all_is_sorted_and_unique() -> None:
    assert list(iom_scrape.__all__) == sorted(set(iom_scrape.__all__))


def test_every_name_in_all_exists() -> None:
    missing = [name for name in iom_scrape.__all__ if not hasattr(iom_scrape, name)]
    assert missing == []


def test_public_classes_and_functions_are_exported() -> None:
    public = {
        name
        for name, value in vars(iom_scrape).items()
        if not name.startswith("_")
        and getattr(value, "__module__", "").startswith("iom_scrape")
        and (isinstance(value, type) or callable(value))
    }
    assert public <= set(iom_scrape.__all__)
