"""A dataset prepared once from music21's test files and a folder of written and broken files."""

from __future__ import annotations

import pytest

from segue.dataset.loading import load_dataset
from segue.dataset.prepare import prepare_dataset


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, inputs):
    out = tmp_path_factory.mktemp("prepared") / "dataset"
    summary = prepare_dataset(inputs, out, workers=2, progress=False)
    return summary, load_dataset(out)
