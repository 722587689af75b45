"""Fixtures of the core's tests: music21's corpus listed, folders of MIDI files to read."""

from __future__ import annotations

from pathlib import Path

import pytest
from midi_files import make_folder


@pytest.fixture(scope="module")
def collections():
    """music21's corpus collections by name."""
    from segue.corpus.listing import list_collections

    return {c.name: c for c in list_collections()}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, primitive_dir: Path) -> list[Path]:
    """music21's test files and a folder of written and broken files: 40 MIDI files."""
    return [primitive_dir, make_folder(tmp_path_factory.mktemp("made"))]
