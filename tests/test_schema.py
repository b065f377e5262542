"""The committed JSON Schema is the contract: any change shows in review."""

from __future__ import annotations

import json
from pathlib import Path

from iom_scrape.export.records import record_schema_json
from iom_scrape.models import RECORD_ADAPTER, Article, ErrorRecord

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "record.schema.json"


def test_committed_schema_matches_the_models() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == record_schema_json(), (
        "models changed: run `make schema` and review the diff"
    )


def test_schema_documents_every_field() -> None:
    schema = json.loads(record_schema_json())
    for model in ("Article", "ErrorRecord", "Quote", "Image", "Contact", "Phone", "Repair"):
        properties = schema["$defs"][model]["properties"]
        undocumented = [name for name, spec in properties.items() if "description" not in spec]
        assert undocumented == [], model


def test_mixed_records_read_back_with_one_adapter() -> None:
    records = [Article(title="T"), ErrorRecord(stage="parse", error_type="EmptyInput", message="x")]
    lines = [r.model_dump_json() for r in records]
    assert [RECORD_ADAPTER.validate_json(line) for line in lines] == records
