"""Bad input gets a clear, typed error, never a crash."""

from __future__ import annotations

import pytest

import iom_scrape
from iom_scrape.errors import BinaryInput, EmptyInput, InputError, IomScrapeError, NoContent

NAV_ONLY = "-\nWho we are\nWho we are\n-\nOur Work\nOur Work\n- Data and Research\n- 2030 Agenda\n"


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("", EmptyInput),
        ("   \n\t\n  ", EmptyInput),
        (b"", EmptyInput),
        (b"\x00\x01\x02\x03" * 500, BinaryInput),
        (bytes(range(256)) * 20, BinaryInput),
        (NAV_ONLY, NoContent),
    ],
    ids=["empty", "whitespace", "empty-bytes", "nul-bytes", "all-bytes", "nav-only"],
)
def test_unusable_input_raises_a_typed_error(source: str | bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as raised:
        iom_scrape.parse(source)
    assert isinstance(raised.value, InputError)
    assert raised.value.stage == "parse"
    assert str(raised.value)


def test_every_error_is_under_the_root() -> None:
    import iom_scrape.errors as errors

    classes = [v for v in vars(errors).values() if isinstance(v, type) and issubclass(v, Exception)]
    assert all(issubclass(c, IomScrapeError) for c in classes)
    assert iom_scrape.IomScrapeError is IomScrapeError
