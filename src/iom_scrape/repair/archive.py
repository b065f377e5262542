"""Pages saved from the Wayback Machine: replay addresses turned back into the original URLs.

A page the archive replays with its toolbar has every link and image rewritten to a
replay address (``/web/20080516120000im_/http://www.iom.int/jahia/webdav/a.jpg``, or
the same on ``https://web.archive.org``). A migration needs the original URLs, the
identities the legacy files and pages are known by, so the rewriting is undone in the
source, where ``<base href>``, links, images and leaked ``src=`` fragments all see it.
Only attribute values (a replay address right after ``=``, quoted or not) are
unwrapped: an archive address quoted in the prose stays as written.
"""

from __future__ import annotations

import re

from iom_scrape.fetch.canonical import original_url
from iom_scrape.models import Repair

# An attribute value holding "/web/" (`href="/web/<ts>/http://..."`, `src=
# "https://web.archive.org/web/<ts>im_/..."`): ``original_url`` decides if it is a replay address.
ARCHIVED_VALUE = re.compile(
    r"""(?P<lead>=\s*["']?)(?P<address>[^\s"'<>=]*/web/\d[^\s"'<>]+)""", re.IGNORECASE
)
# Every replay address holds this: a source without it has nothing to unwrap.
REPLAY_MARK = re.compile("/web/")


def unwrap_archive_urls(source: str) -> tuple[str, list[Repair]]:
    """Replay addresses in attribute values back to the URLs they replay, as one Repair.

    >>> unwrap_archive_urls('<img src="/web/2008im_/http://www.iom.int/a.jpg">')[0]
    '<img src="http://www.iom.int/a.jpg">'
    """
    if REPLAY_MARK.search(source) is None:
        return source, []
    unwrapped: list[int] = []  # where each unwrapped address starts

    def original(match: re.Match[str]) -> str:
        url = original_url(match.group("address"))
        if url is None:
            return match.group()
        unwrapped.append(match.start())
        return match.group("lead") + url

    fixed = ARCHIVED_VALUE.sub(original, source)
    if not unwrapped:
        return source, []
    count = len(unwrapped)
    detail = (
        "1 Wayback Machine replay address turned back into the URL it replays"
        if count == 1
        else f"{count} Wayback Machine replay addresses turned back into the URLs they replay"
    )
    line = source.count("\n", 0, unwrapped[0]) + 1
    return fixed, [Repair(kind="archive-url", detail=detail, line=line)]
