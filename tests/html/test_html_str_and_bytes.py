"""Every HTML fixture gives the same record from bytes and from the text a user decoded."""

from __future__ import annotations

from pathlib import Path

from iom_scrape.models import Article
from iom_scrape.pipeline import parse
from iom_scrape.repair.encoding import decode_bytes

DECODING_KINDS = frozenset({"encoding", "mojibake"})


def _comparable(article: Article) -> dict[str, object]:
    """The record without the repairs that only say how bytes were decoded."""
    record = article.model_dump(mode="json")
    record["repairs"] = [r for r in record["repairs"] if r["kind"] not in DECODING_KINDS]
    return record


def test_str_input_gives_the_bytes_record(html_fixture: Path) -> None:
    data = html_fixture.read_bytes()
    from_bytes = parse(data)
    from_text = parse(decode_bytes(data).text)
    assert _comparable(from_text) == _comparable(from_bytes)
    assert from_bytes.paragraphs, "a fixture page must give body text"


def test_text_decoded_with_the_wrong_charset_is_repaired() -> None:
    page = Path(__file__).resolve().parents[2] / "fixtures/html/utf8-declared-iso8859-1.html"
    data = page.read_bytes()
    mojibake = data.decode("latin-1")  # what a reader trusting the meta label holds
    assert "Ã±" in mojibake
    from_text = parse(mojibake)
    assert from_text.paragraphs == parse(data).paragraphs
    assert "mojibake" in {r.kind for r in from_text.repairs}
