"""Turning the palette on in a checkpoint, and measuring what it does."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from segue.grid import clip_rows
from segue.model.architecture import ModelConfig
from segue.model.loop_fit import windows_of
from segue.model.lstm import SegueLSTM
from segue.model.palette_fit import palette_gain
from segue.notes import Clip, Note, TimeSignature


def riff(bars: int = 12) -> Clip:
    """A one-bar riff of dotted 8ths on three pitches, over ``bars`` bars."""
    notes = [
        Note((40, 43, 47)[i % 3], bar * 4.0 + i * 0.75, 0.5, 100)
        for bar in range(bars)
        for i in range(5)
    ]
    return Clip(tuple(notes), bars * 4.0, TimeSignature())


@pytest.fixture(scope="module")
def network() -> SegueLSTM:
    torch.manual_seed(1)
    return SegueLSTM(ModelConfig(hidden=16, embed=8, layers=1)).eval()


def test_the_gain_is_measured_with_and_without_and_the_model_is_left_as_it_was(network) -> None:
    windows = windows_of(clip_rows(riff()), TimeSignature())
    gain = palette_gain(network, windows)
    assert gain["windows"] == len(windows) > 0
    assert gain["notes"] == sum(len(w.real()) for w in windows)
    assert np.isfinite(gain["with"]) and gain["with"] < gain["without"]  # a foreign riff
    assert not network.config.palette


def test_no_windows_no_figures(network) -> None:
    gain = palette_gain(network, [])
    assert gain["windows"] == 0 and np.isnan(gain["with"]) and np.isnan(gain["without"])
