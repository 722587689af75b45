"""docs/protocol.md is generated from the protocol table."""

from __future__ import annotations

from pathlib import Path

from segue.bridge.docgen import render

ROOT = Path(__file__).resolve().parents[2]


def test_committed_protocol_doc_matches_the_table() -> None:
    committed = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    assert committed == render(), "regenerate it: segue protocol -o docs/protocol.md -f"
