"""Field-level quality scores of the parser over every fixture with an expectation file.

Each ``fixtures/**/<name>.expect.json`` states, by hand, what a correct parser
gives for ``<name>.txt``/``<name>.html``. A field's score on a page is the share
of its checks that pass; the report averages over the pages that state the field.
``make test`` fails when a score drops below its floor in :data:`FLOORS`.

Run: ``python -m bench.eval`` (``make eval``), ``--verbose`` for every failed check.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import iom_scrape
from iom_scrape.errors import IomScrapeError
from iom_scrape.models import Article

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PAGE_SUFFIXES = (".txt", ".html", ".htm")
FIELDS = (
    "title",
    "date",
    "dateline",
    "language",
    "paragraphs",
    "quotes",
    "speakers",
    "images",
    "contacts",
    "repairs",
    "links",
    "body",
)
FLOORS: dict[str, float] = {
    "title": 0.97,
    "date": 0.95,
    "dateline": 0.95,
    "language": 0.97,
    "paragraphs": 0.95,
    "quotes": 0.95,
    "speakers": 0.95,
    "images": 0.95,
    "contacts": 0.95,
    "repairs": 0.95,
    "links": 0.95,
    "body": 0.95,
    "errors": 1.0,
}
"""Pinned quality floors: raise them as the parser improves, never lower them silently."""


@dataclass
class PageScore:
    """Checks of one page: field -> list of (passed, description)."""

    name: str
    checks: dict[str, list[tuple[bool, str]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, field_name: str, passed: bool, what: str) -> None:
        self.checks[field_name].append((passed, what))


def fixture_pairs(root: Path = FIXTURES) -> Iterator[tuple[Path, Path]]:
    """(page, expectation) pairs under ``root``."""
    for expect in sorted(root.rglob("*.expect.json")):
        stem = expect.name[: -len(".expect.json")]
        page = next(
            (
                expect.with_name(stem + s)
                for s in PAGE_SUFFIXES
                if expect.with_name(stem + s).exists()
            ),
            None,
        )
        if page is not None:
            yield page, expect


def score_page(page: Path, expect_path: Path) -> PageScore:
    """Parse one fixture and check it against its expectation."""
    expect = json.loads(expect_path.read_text(encoding="utf-8"))
    score = PageScore(page.relative_to(FIXTURES).as_posix())
    try:
        article = iom_scrape.parse(page.read_bytes())
    except IomScrapeError as exc:
        score.add("errors", expect.get("error") == type(exc).__name__, f"raised {exc!r}")
        return score
    if "error" in expect:
        score.add("errors", False, f"expected {expect['error']}, got an article")
        return score
    for check in CHECKS:
        check(article, expect, score)
    return score


def _check_title(article: Article, expect: dict[str, Any], score: PageScore) -> None:
    if "title" in expect:
        score.add("title", article.title == expect["title"], f"title {article.title!r}")


def _check_date(article: Article, expect: dict[str, Any], score: PageScore) -> None:
    if "published" in expect:
        got = article.published.isoformat() if article.published else None
        score.add("date", got == expect["published"], f"published {got}")
    if "published_source" in expect:
        ok = article.published_source == expect["published_source"]
        score.add("date", ok, f"published_source {article.published_source}")


def _check_simple(article: Article, expect: dict[str, Any], score: PageScore) -> None:
    if "dateline" in expect:
        score.add(
            "dateline", article.dateline == expect["dateline"], f"dateline {article.dateline!r}"
        )
    if "language" in expect:
        score.add(
            "language", article.language == expect["language"], f"language {article.language}"
        )


def _check_paragraphs(article: Article, expect: dict[str, Any], score: PageScore) -> None:
    spec = expect.get("paragraphs")
    if not spec:
        return
    paras = article.paragraphs
    if "count" in spec:
        score.add(
            "paragraphs", len(paras) == spec["count"], f"count {len(paras)} != {spec['count']}"
        )
    if "first_starts" in spec:
        ok = bool(paras) and paras[0].startswith(spec["first_starts"])
        score.add("paragraphs", ok, f"first {paras[0][:60] if paras else None!r}")
    if "last_ends" in spec:
        ok = bool(paras) and paras[-1].endswith(spec["last_ends"])
        score.add("paragraphs", ok, f"last {paras[-1][-60:] if paras else None!r}")
    for text in spec.get("contains", []):
        score.add("paragraphs", text in paras, f"missing paragraph {text[:60]!r}")
    for text in spec.get("absent", []):
        score.add("paragraphs", not any(text in p for p in paras), f"present {text!r}")


def _check_quotes(article: Article, expect: dict[str, Any], score: PageScore) -> None:
    if "quotes" not in expect:
        return
    wanted, got = expect["quotes"], article.quotes
    score.add("quotes", len(got) == len(wanted), f"{len(got)} quotes, expected {len(wanted)}")
    for i, want in enumerate(wanted):
        quote = got[i] if i < len(got) else None
        if "text_starts" in want:
            ok = quote is not None and quote.text.startswith(want["text_starts"])
            score.add("quotes", ok, f"quote {i} text {quote.text[:50] if quote else None!r}")
        if "speaker" in want:
            ok = quote is not None and quote.speaker == want["speaker"]
            score.add("speakers", ok, f"quote {i} speaker {quote.speaker if quote else None!r}")
        if "role" in want:
            ok = quote is not None and quote.role == want["role"]
            score.add("speakers", ok, f"quote {i} role {quote.role if quote else None!r}")


def _check_images(article: Article, expect: dict[str, Any], score: PageScore) -> None:
    if "images" not in expect:
        return
    wanted, got = expect["images"], article.images
    score.add("images", len(got) == len(wanted), f"{len(got)} images, expected {len(wanted)}")
    for i, want in enumerate(wanted):
        image = got[i].model_dump(mode="json") if i < len(got) else {}
        for key, value in want.items():
            if key == "caption_starts":
                cap = image.get("caption")
                ok = (cap is None) if value is None else bool(cap) and str(cap).startswith(value)
                score.add("images", ok, f"image {i} caption {cap!r}")
            else:
                score.add("images", image.get(key) == value, f"image {i} {key} {image.get(key)!r}")


def _check_contacts(article: Article, expect: dict[str, Any], score: PageScore) -> None:
    if "contacts" not in expect:
        return
    wanted, got = expect["contacts"], article.contacts
    score.add("contacts", len(got) == len(wanted), f"{len(got)} contacts, expected {len(wanted)}")
    for i, want in enumerate(wanted):
        contact = got[i].model_dump(mode="json") if i < len(got) else {}
        for key, value in want.items():
            if key == "phones":
                phones = [
                    {k: p.get(k) for k in v}
                    for p, v in zip(contact.get("phones", []), value, strict=False)
                ]
                ok = len(contact.get("phones", [])) == len(value) and phones == value
                score.add("contacts", ok, f"contact {i} phones {contact.get('phones')}")
            else:
                got_value = contact.get(key)
                score.add("contacts", got_value == value, f"contact {i} {key} {got_value!r}")


def _check_repairs(article: Article, expect: dict[str, Any], score: PageScore) -> None:
    kinds = {repair.kind for repair in article.repairs}
    for kind in expect.get("repair_kinds", []):
        score.add("repairs", kind in kinds, f"no {kind} repair")


def _check_html_extras(article: Article, expect: dict[str, Any], score: PageScore) -> None:
    if "links" in expect:
        got = [{"url": link.url, "text": link.text} for link in article.links]
        for link in expect["links"]:
            score.add("links", link in got, f"missing link {link}")
    for text in expect.get("warnings_contain", []):
        score.add("body", any(text in w for w in article.warnings), f"no warning {text!r}")
    for text in expect.get("body_html_contains", []):
        score.add("body", text in article.body_html, f"body_html lacks {text!r}")
    for text in expect.get("body_html_absent", []):
        score.add("body", text not in article.body_html, f"body_html has {text!r}")
    for text in expect.get("body_markdown_contains", []):
        score.add("body", text in article.body_markdown, f"body_markdown lacks {text!r}")


CHECKS: tuple[Callable[[Article, dict[str, Any], PageScore], None], ...] = (
    _check_title,
    _check_date,
    _check_simple,
    _check_paragraphs,
    _check_quotes,
    _check_images,
    _check_contacts,
    _check_repairs,
    _check_html_extras,
)


def field_scores(pages: list[PageScore]) -> dict[str, float]:
    """Mean per-page pass share for each field."""
    per_field: dict[str, list[float]] = defaultdict(list)
    for page in pages:
        for name, checks in page.checks.items():
            per_field[name].append(sum(ok for ok, _ in checks) / len(checks))
    return {name: sum(v) / len(v) for name, v in sorted(per_field.items())}


def evaluate(root: Path = FIXTURES) -> list[PageScore]:
    """Score every fixture under ``root``."""
    return [score_page(page, expect) for page, expect in fixture_pairs(root)]


def main(argv: list[str]) -> int:
    """Print the scores (and failed checks with --verbose); 1 if below a floor."""
    pages = evaluate()
    scores = field_scores(pages)
    print(f"{len(pages)} fixtures")
    for name, value in scores.items():
        floor = FLOORS.get(name, 0.0)
        flag = "" if value >= floor else "  BELOW FLOOR"
        print(f"{name:<11} {value:6.3f}   floor {floor:.2f}{flag}")
    if "--verbose" in argv:
        for page in pages:
            for name, checks in page.checks.items():
                for ok, what in checks:
                    if not ok:
                        print(f"  {page.name}: {name}: {what}")
    return 0 if all(v >= FLOORS.get(k, 0.0) for k, v in scores.items()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
