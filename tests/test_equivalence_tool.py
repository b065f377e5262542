"""The equivalence harness (``python -m bench.equivalence``) that guards speed work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import equivalence


def test_the_corpus_is_the_same_on_every_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(equivalence, "VARIANTS", 2)
    first, second = equivalence.corpus(), equivalence.corpus()
    assert first == second
    assert {how for _, _, how in first} >= {"bytes", "str", "url", "header", "text"}


def test_a_changed_field_is_reported_by_name() -> None:
    base = {"a": json.dumps({"title": "A", "body_html": "<p>x</p>"}), "b": "ERR NoContent: x"}
    now = {"a": json.dumps({"title": "A", "body_html": "<p>y</p>"}), "b": "ERR NoContent: x"}
    lines = equivalence.differences(base, now)
    assert lines[0] == "2 cases, 1 differ"
    assert lines[1] == "  a: fields ['body_html']"
    assert equivalence.differences(base, base)[0] == "2 cases, 0 differ"


def test_outcomes_name_the_error_of_unusable_input() -> None:
    assert equivalence.outcome(b"", "bytes").startswith("ERR EmptyInput")
    page = b"<html><body><h1>News</h1><p>IOM opened an office in Geneva.</p></body></html>"
    assert json.loads(equivalence.outcome(page, "bytes"))["paragraphs"] == [
        "IOM opened an office in Geneva."
    ]


def test_a_check_against_a_baseline_of_another_corpus_refuses_to_compare(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(equivalence, "VARIANTS", 1)
    baseline = tmp_path / "base.json"
    assert equivalence.main(["record", str(baseline)]) == 0
    assert equivalence.main(["check", str(baseline)]) == 0
    assert "0 differ" in capsys.readouterr().out

    cases = equivalence.corpus()
    monkeypatch.setattr(equivalence, "corpus", lambda: cases[:-1])  # e.g. the seed page missing
    assert equivalence.main(["check", str(baseline)]) == 2
    assert "another corpus" in capsys.readouterr().out
