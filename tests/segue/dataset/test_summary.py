"""A dataset described for people."""

from __future__ import annotations


def test_summary_text_names_counts_and_reasons(prepared):
    summary, dataset = prepared
    text = dataset.summary()
    assert "40 found" in text and "only drum notes" in text and "train" in text
    assert text in summary.text()
    assert list(dataset.pieces("valid")) == [] or all(
        p.split == "valid" for p in dataset.pieces("valid")
    )
