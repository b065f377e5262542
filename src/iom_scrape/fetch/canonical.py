"""One canonical spelling per legacy Jahia page or file (jahia-notes §1.2, §1.6, §6).

Jahia reads its URLs as a bag of keyword/value pairs plus URL keys, in any
order, so the same page has dozens of spellings: with or without
``cache/offonce``, ``op/edit``, ``;jsessionid=``, a fake ``.html`` suffix, the
``iom.int`` or ``www.iom.int`` host, over http or https. Records from all of
them must deduplicate, so :func:`canonical_url` rebuilds each URL the way
Jahia's own ``composeUrl`` would, keeping only what selects content: ``site``
(when not the default), ``lang``, ``pid`` (else the last URL key), ``cid``,
``engineName`` (a non-content tool, kept so it never collapses onto a page)
and the ``entryId`` query parameter of IOM's list templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Jahia 5.x/6.0 reserved path keywords (ProcessingContext): each takes the next segment
# as its value. Matched exactly, as Jahia does (`releaseLock`, not `releaselock`).
JAHIA_KEYWORDS = frozenset(
    {
        "engineName", "site", "pid", "clid", "cid", "fid", "appid", "op", "entrystate",
        "showrevdiff", "validate", "lang", "releaseLock", "stealLock", "template", "cache",
        "containercache", "useraliasing",
    }
)  # fmt: skip
PAGINATION_PREFIX = "ctnscroll_"
"""``ctnscroll_<list>/<start>_<size>``: container-list paging, not page identity."""
PORTLET_PREFIX = "__"
"""Pluto portlet segments (``__ac…``, ``__rs…``): Jahia stops reading the path there."""
SERVLET_SEGMENT = "Jahia"
"""The core servlet of ``/jahia/Jahia/...``; other installs are found by their keywords."""
DEFAULT_SITE = "myjahiasite"
"""IOM never changed Jahia's default site key, so it names no site of its own."""
DEFAULT_LANGUAGE = "en"
DEFAULT_ENGINE = "core"
QUERY_KEPT_KEYWORDS = frozenset({"engineName", "site", "lang", "pid", "cid"})
"""Keywords in query-string form that select content (the rest only change rendering)."""
# Query parameters that never select content: analytics tags and session ids.
NOISE_PARAM = re.compile(r"^(?:utm_\w+|fbclid|gclid|jsessionid)$", re.IGNORECASE)
# `;jsessionid=<hex>` is appended by encodeURL to any segment, before `?` or `#`.
JSESSIONID = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
IOM_HOST = "www.iom.int"
# Hosts that are www.iom.int under another name: the bare domain and the Manila
# test server whose address leaked into published content.
IOM_HOST_ALIASES = frozenset({"iom.int", "www.iom.int", "mnlintranettest"})
# Characters left unescaped in a canonical path segment (RFC 3986 pchar minus `;`,
# so every spelling of one path re-encodes to the same bytes).
PATH_SAFE = "!$&'()*+,=:@-._~"
DEFAULT_PORTS = {"http": 80, "https": 443}
# The path of a Wayback replay before the original URL: `/web/`, a timestamp of 1 to 14
# digits, an optional two-letter replay flag such as `id_` or `im_`, a slash.
REPLAY_PATH = r"/web/(?P<timestamp>\d{1,14})(?:[a-z]{2}_)?/"


def replay_address(excluded: str = "", tail: str = ".*") -> str:
    """The pattern of a Wayback Machine replay address (`/web/<ts>[flag_]/<original>`).

    On the archive's host, on another pywb archive's, or root-relative as rewritten
    pages carry it; the original is absolute (the archive writes `http:/host` with one
    slash at times). ``excluded`` (characters of a class) are kept out of the host and
    ``tail`` reads what follows the original's host: an address found inside an HTML
    attribute value is matched with the value's own bounds in one pattern.
    """
    return (
        rf"(?:(?:https?:)?//[^/?#\s{excluded}]+)?{REPLAY_PATH}"
        rf"(?:(?P<scheme>https?):/+)?(?P<rest>[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]{tail})?)"
    )


# A whole URL that is a replay address.
REPLAY_ADDRESS = re.compile(rf"^{replay_address()}$", re.IGNORECASE | re.DOTALL)


@dataclass
class JahiaPath:
    """The pathInfo of a Jahia URL, read as Jahia reads it."""

    params: dict[str, str] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)


def is_jahia_keyword(token: str) -> bool:
    """Tell a reserved keyword (which takes a value) from a page URL key."""
    return token in JAHIA_KEYWORDS or token.startswith(PAGINATION_PREFIX)


def read_path_info(tokens: list[str]) -> JahiaPath:
    """Split pathInfo into keyword/value pairs and URL keys, in any order.

    >>> read_path_info(["mongin", "cache", "offonce", "lang", "en", "pid", "1072"])
    JahiaPath(params={'cache': 'offonce', 'lang': 'en', 'pid': '1072'}, keys=['mongin'])
    """
    path = JahiaPath()
    tokens = tokens[:-1] if tokens and tokens[-1].lower().endswith(".html") else tokens
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token.startswith(PORTLET_PREFIX):
            break
        if is_jahia_keyword(token):
            value = tokens[position + 1] if position + 1 < len(tokens) else ""
            path.params.setdefault(token, value)
            position += 2
            continue
        path.keys.append(token)
        position += 1
    return path


def jahia_prefix_length(segments: list[str]) -> int | None:
    """How many leading segments are context + servlet; None when not a Jahia page URL.

    Jahia's servlet segment identifies ``/jahia/Jahia/...`` even with bare URL
    keys; other installs (``/wcm/content/...``, ``/cms/...``) are recognised by a
    numeric ``pid`` or by at least two keyword pairs, so that a site's ordinary
    ``/site/about`` page is not mistaken for one.
    """
    for index, segment in enumerate(segments[:2]):
        if segment == SERVLET_SEGMENT:
            return index + 1
    first = next((i for i, s in enumerate(segments) if is_jahia_keyword(s)), None)
    if first is None:
        return None
    prefix = min(first, 2)
    params = read_path_info(segments[prefix:]).params
    if params.get("pid", "").isdigit() or len(params) >= 2:
        return prefix
    return None


def fold_query_keywords(path: JahiaPath, query: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Move Jahia keywords written as query parameters into the path reading.

    The path form wins when both are present; keywords that only change
    rendering (``cache``, ``op``...) are dropped. What remains is returned.
    """
    rest: list[tuple[str, str]] = []
    for name, value in query:
        if name in QUERY_KEPT_KEYWORDS:
            path.params.setdefault(name, value)
        elif not is_jahia_keyword(name):
            rest.append((name, value))
    return rest


def compose_jahia_path(prefix: list[str], path: JahiaPath) -> list[str]:
    """Rebuild a page path in ``composeUrl`` order with only identity-bearing parts."""
    parts = list(prefix)
    engine = path.params.get("engineName", DEFAULT_ENGINE)
    if engine and engine != DEFAULT_ENGINE:
        parts += ["engineName", engine]
    site = path.params.get("site", "")
    if site and site != DEFAULT_SITE:
        parts += ["site", site]
    parts += ["lang", (path.params.get("lang") or DEFAULT_LANGUAGE).lower()]
    pid = path.params.get("pid", "")
    if pid.isdigit() and int(pid) > 0:
        parts += ["pid", str(int(pid))]
    elif path.keys:
        parts.append(path.keys[-1])  # keys are unique in a site: Jahia resolves the last alone
    if path.params.get("cid", "").isdigit():
        parts += ["cid", path.params["cid"]]
    return parts


def webdav_path(segments: list[str]) -> list[str] | None:
    """The canonical path of a WebDAV file URL, or None when not one.

    ``/webdav/site/myjahiasite/shared/...`` and ``/webdav/shared/...`` are one tree.

    >>> webdav_path(["jahia", "webdav", "site", "myjahiasite", "shared", "a.pdf"])
    ['jahia', 'webdav', 'shared', 'a.pdf']
    """
    if "webdav" not in segments:
        return None
    index = segments.index("webdav")
    rest = segments[index + 1 :]
    if rest[:2] == ["site", DEFAULT_SITE]:
        rest = rest[2:]
    return [*segments[: index + 1], *rest]


def is_iom_host(host: str) -> bool:
    """www.iom.int, its aliases and its subdomains (country sites, governingbodies)."""
    return host in IOM_HOST_ALIASES or host.endswith(".iom.int")


def new_site_webdav_path(host: str, segments: list[str]) -> list[str] | None:
    """Fold the new Drupal copies (``.../files/jahia/webdav/<same>``) back to the legacy path."""
    if not is_iom_host(host):
        return None
    for index in range(len(segments) - 1):
        if segments[index : index + 2] == ["jahia", "webdav"] and index > 0:
            return segments[index:]
    return None


def canonical_host(scheme: str, netloc: str) -> str:
    """Lower-case the host, drop default ports and fold IOM's aliases onto www.iom.int."""
    parts = urlsplit(f"//{netloc}")
    host = (parts.hostname or "").rstrip(".")
    if host in IOM_HOST_ALIASES:
        return IOM_HOST
    try:
        port = parts.port
    except ValueError:  # a malformed port: keep the host, drop the port
        port = None
    if port is None or port == DEFAULT_PORTS.get(scheme):
        return host
    return f"{host}:{port}"


def split_segments(path: str) -> list[str]:
    """Path segments without ``;jsessionid=``, ``/jesi/<user>/`` and empty pieces, decoded."""
    segments = [unquote(s) for s in JSESSIONID.sub("", path).split("/") if s]
    kept: list[str] = []
    skip_next = False
    for segment in segments:
        if skip_next:
            skip_next = False
        elif segment == "jesi":
            skip_next = True
        else:
            kept.append(segment)
    return kept


def join_segments(segments: list[str], *, trailing_slash: bool = False) -> str:
    """Re-encode decoded segments one way, so every spelling gives the same path."""
    path = "/" + "/".join(quote(s, safe=PATH_SAFE) for s in segments)
    return path + "/" if trailing_slash and segments else path


def clean_query(query: list[tuple[str, str]]) -> str:
    """Sorted query without analytics or session noise."""
    kept = sorted((n, v) for n, v in query if not NOISE_PARAM.match(n))
    return urlencode(kept)


def canonical_path_and_query(host: str, path: str, query: str) -> tuple[str, str]:
    """Canonical path and query of a URL on ``host`` (page, file or other)."""
    segments = split_segments(path)
    pairs = parse_qsl(query, keep_blank_values=True)
    files = new_site_webdav_path(host, segments) or webdav_path(segments)
    if files is not None:
        return join_segments(files), clean_query(pairs)
    prefix_length = jahia_prefix_length(segments)
    if prefix_length is None:
        return join_segments(segments, trailing_slash=path.endswith("/")), clean_query(pairs)
    info = read_path_info(segments[prefix_length:])
    rest = fold_query_keywords(info, pairs)
    return join_segments(compose_jahia_path(segments[:prefix_length], info)), clean_query(rest)


def original_url(url: str) -> str | None:
    """The URL a Wayback Machine replay address replays; None for any other URL.

    >>> original_url("https://web.archive.org/web/20080516id_/http://www.iom.int/a?b=1")
    'http://www.iom.int/a?b=1'
    >>> original_url("/web/20080516120000im_/http:/www.iom.int/x.jpg")
    'http://www.iom.int/x.jpg'
    >>> original_url("https://www.iom.int/web/2008/news") is None
    True
    """
    match = REPLAY_ADDRESS.match(url.strip())
    return None if match is None else replayed_url(match)


def replayed_url(match: re.Match[str]) -> str:
    """The original URL of a match of a ``replay_address`` pattern."""
    return f"{(match.group('scheme') or 'http').lower()}://{match.group('rest')}"


def site_url(url: str) -> str:
    """The site's own address of a page: what a Wayback replay address replays, else ``url``.

    Relative links and images of an archived page resolve on it, not on the archive.
    """
    return original_url(url) or url


def canonical_url(url: str) -> str:
    """The one spelling of a legacy Jahia page or file URL, for identity and deduplication.

    >>> canonical_url("http://iom.int/jahia/Jahia/cache/offonce/lang/en/pid/1;jsessionid=A1")
    'https://www.iom.int/jahia/Jahia/lang/en/pid/1'
    >>> canonical_url("http://www.iom.int/jahia/webdav/site/myjahiasite/shared/shared/a%20b.pdf")
    'https://www.iom.int/jahia/webdav/shared/shared/a%20b.pdf'

    A Wayback Machine replay address is the page it replays:

    >>> canonical_url("https://web.archive.org/web/2008id_/http://iom.int/jahia/Jahia/pid/7")
    'https://www.iom.int/jahia/Jahia/lang/en/pid/7'
    """
    text = site_url(url.strip())
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("", "http", "https"):
        return text
    host = canonical_host(scheme, parts.netloc) if parts.netloc else ""
    if is_iom_host(host) and "webdav" in parts.path.split("/"):
        host = IOM_HOST  # governingbodies/... copies of the legacy file tree are one tree
    path, query = canonical_path_and_query(host, parts.path, parts.query)
    return urlunsplit(("https" if host else "", host, path, query, ""))
