"""Image blocks -> Image records: absolute URLs, captions split from credits, PBN dates.

PBN photos are named ``<cc><YYYYMMDD>_<n>.jpg`` (``cn20110315_1.jpg``), which
often is the only surviving trace of a briefing note's date (jahia-notes §1.4).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import TypeAdapter

from iom_scrape.extract.body import join_url
from iom_scrape.models import Image
from iom_scrape.parse.blocks import Block
from iom_scrape.parse.lines import find_credit

DEFAULT_BASE = "https://www.iom.int/"
# Hosts of the old site that mean www.iom.int (a Manila intranet test host leaked).
LEGACY_HOSTS = frozenset({"mnlintranettest:8091", "mnlintranettest", "iom.int", "www.iom.int"})
ImageFields = dict[str, Any]
"""An Image's fields: the Article validates all its records in one call."""
_IMAGE_LIST: TypeAdapter[list[Image]] = TypeAdapter(list[Image])
PBN_PHOTO = re.compile(r"(?:^|/)(?P<cc>[a-z]{2})(?P<date>\d{8})_\d+\.(?:jpe?g|gif|png)$", re.I)


def extract_images(blocks: list[Block], *, base_url: str | None) -> list[Image]:
    """One Image per distinct absolute URL, in page order."""
    return _IMAGE_LIST.validate_python(image_records(blocks, base_url=base_url))


def image_records(blocks: list[Block], *, base_url: str | None) -> list[ImageFields]:
    """The fields of each Image, validated later with the rest of the Article."""
    images: dict[str, ImageFields] = {}
    for block in blocks:
        if block.kind != "image" or not block.src:
            continue
        image = build_image(block, base_url=base_url)
        known = images.get(image["url"])
        images[image["url"]] = _merge_images(known, image) if known else image
    return list(images.values())


def build_image(block: Block, *, base_url: str | None) -> ImageFields:
    """An Image's fields from one image block."""
    src = (block.src or "").strip()
    caption, credit = split_credit(block.caption)
    date, country = pbn_photo_date(src)
    return {
        "url": resolve_image_url(src, base_url),
        "src": src,
        "caption": caption,
        "credit": credit,
        "alt": ((block.alt or None) and block.alt.strip()) or None,
        "date": date,
        "country": country,
    }


@lru_cache(maxsize=4096)
def resolve_image_url(src: str, base_url: str | None) -> str:
    """Absolute URL of a leaked or relative path, legacy hosts folded to www.iom.int.

    Cached: the record and both rendered bodies resolve the same paths.

    >>> resolve_image_url("/jahia/webdav/a.jpg", None)
    'https://www.iom.int/jahia/webdav/a.jpg'
    >>> resolve_image_url("http://mnlintranettest:8091/jahia/webdav/b.gif", None)
    'https://www.iom.int/jahia/webdav/b.gif'
    """
    absolute = join_url(base_url or DEFAULT_BASE, src.strip())
    parts = urlsplit(absolute)
    if parts.netloc.lower() in LEGACY_HOSTS:
        parts = parts._replace(scheme="https", netloc="www.iom.int")
    return urlunsplit(parts)


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """Split "A caption. © IOM 2011 (Photo by X)" into caption and credit.

    >>> split_credit("Returnees at the border. Photo: IOM/Jan Smit 2012")
    ('Returnees at the border.', 'Photo: IOM/Jan Smit 2012')
    >>> split_credit("© IOM 2007")
    (None, '© IOM 2007')
    """
    if not caption or not caption.strip():
        return None, None
    caption = caption.strip()
    start = find_credit(caption)
    if start is None:
        return caption, None
    credit = caption[start:].strip()
    if credit.startswith("(") and credit.endswith(")"):
        credit = credit[1:-1].strip()
    text = caption[:start].strip()
    return (text or None), (credit or None)


def pbn_photo_date(src: str) -> tuple[dt.date | None, str | None]:
    """Date and two-letter code of a PBN photo file name.

    >>> pbn_photo_date("/media/photos/pbn/cn20110315_1.jpg")
    (datetime.date(2011, 3, 15), 'CN')
    """
    path = src.partition("?")[0]
    # Only the last segment can match: start at its "/" rather than try every position.
    match = PBN_PHOTO.search(path, max(path.rfind("/"), 0))
    if match is None:
        return None, None
    digits = match.group("date")
    try:
        date = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None, None
    return date, match.group("cc").upper()


def _merge_images(first: ImageFields, second: ImageFields) -> ImageFields:
    """Duplicates of one image: keep the first, fill what it lacks from the second."""
    updates = {
        name: second[name]
        for name in ("caption", "credit", "alt")
        if first[name] is None and second[name] is not None
    }
    return first | updates if updates else first
