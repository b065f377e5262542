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

from iom_scrape.fetch.canonical import replay_address, replayed_url
from iom_scrape.models import Repair

# Characters that end an unquoted or quoted attribute value.
VALUE_END = r"""\s"'<>"""
# An attribute value holding "/web/" (`href="/web/<ts>/http://..."`, `src=
# "https://web.archive.org/web/<ts>im_/..."`), its "address" a replay address (the
# groups of ``replay_address``, read within the value's bounds) or any other value
# with "/web/" and a digit, none of whose groups are set. One match both finds the
# value and tells if it replays a URL, the way ``original_url`` would tell of it.
# The run before "/web/" is lazy: the match ends where the value ends whichever "/web/"
# is taken, so the first one serves, without reading the value to its end and back.
ARCHIVED_VALUE = re.compile(
    rf"""(?P<lead>=\s*["']?)(?P<address>{replay_address(VALUE_END + "=", f"[^{VALUE_END}]*")}"""
    rf"""(?![^{VALUE_END}])|[^{VALUE_END}=]*?/web/\d[^{VALUE_END}]+)""",
    re.IGNORECASE,
)
# Every replay address holds this: a source without it has nothing to unwrap.
REPLAY_MARK = re.compile("/web/")
# The "/web/" of an ARCHIVED_VALUE match, in any case (no other character folds to w, e or b).
REPLAY_SEGMENT = re.compile("/web/", re.IGNORECASE)


def unwrap_archive_urls(source: str) -> tuple[str, list[Repair]]:
    """Replay addresses in attribute values back to the URLs they replay, as one Repair.

    >>> unwrap_archive_urls('<img src="/web/2008im_/http://www.iom.int/a.jpg">')[0]
    '<img src="http://www.iom.int/a.jpg">'
    """
    if REPLAY_MARK.search(source) is None:
        return source, []
    pieces: list[str] = []
    unwrapped: list[int] = []  # where each unwrapped address starts
    copied = 0
    for match in archived_values(source):
        if match.group("rest") is not None:
            start = match.start("address")
            unwrapped.append(match.start())
            pieces += [source[copied:start], replayed_url(match)]
            copied = match.end()
    if not unwrapped:
        return source, []
    pieces.append(source[copied:])
    count = len(unwrapped)
    detail = (
        "1 Wayback Machine replay address turned back into the URL it replays"
        if count == 1
        else f"{count} Wayback Machine replay addresses turned back into the URLs they replay"
    )
    line = source.count("\n", 0, unwrapped[0]) + 1
    return "".join(pieces), [Repair(kind="archive-url", detail=detail, line=line)]


def archived_values(source: str) -> list[re.Match[str]]:
    """The matches ``ARCHIVED_VALUE.finditer(source)`` gives, tried only where one can start.

    A match's "/web/" lies in its address, which holds no "=": the match starts at
    the last "=" before a "/web/". So the pattern is tried at that "=" of each
    "/web/", after the end of the previous match, instead of at every position.
    """
    found: list[re.Match[str]] = []
    resume, tried = 0, -1
    for segment in REPLAY_SEGMENT.finditer(source):
        start = source.rfind("=", resume, segment.start())
        if start < 0 or start == tried:
            continue
        tried = start
        match = ARCHIVED_VALUE.match(source, start)
        if match is not None:
            found.append(match)
            resume = match.end()
    return found
