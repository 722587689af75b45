"""A loaded dataset: its pieces are the grid rows of what read_midi reads."""

from __future__ import annotations

import numpy as np
import pytest

from segue.dataset.loading import Dataset
from segue.dataset.splits import split_for
from segue.grid import clip_rows, to_ticks
from segue.midi_io import read_midi


def test_loaded_pieces_equal_the_clip_rows_of_read_midi(prepared, inputs):
    _, dataset = prepared
    assert dataset.ticks_per_beat == 24 and isinstance(dataset, Dataset)
    assert dataset.notes.dtype == np.int32 and isinstance(dataset.notes, np.memmap)
    assert [p.source for p in dataset.pieces()][:3] == ["test01.mid", "test02.mid", "test03.mid"]
    for piece in dataset.pieces():
        folder = inputs[0] if piece.source.startswith("test") else inputs[1]
        clip = read_midi(folder / piece.source)
        assert np.array_equal(piece.notes, clip_rows(clip))
        assert piece.length_ticks == to_ticks(clip.length)
        assert piece.time_signature == clip.time_signature
        assert piece.split == split_for(piece.source, 0.05, 0.05)
    assert dataset.piece(-1).source == dataset.sources[-1]
    with pytest.raises(IndexError):
        dataset.piece(len(dataset))
