"""The grid a clip's notes start on: its continuation keeps to it, whatever model plays it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from segue.midi_io import read_midi
from segue.model.checkpoint import load_checkpoint
from segue.model.generate import generate
from segue.model.onset_grid import kept_to, onset_grid
from segue.model.registry import find_model
from segue.model.settings import GenerationParams

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def places(grid: np.ndarray | None) -> list[int] | None:
    return None if grid is None else np.flatnonzero(grid).tolist()


def test_a_clip_in_8ths_or_16ths_goes_on_in_16ths_and_one_in_triplets_in_triplets() -> None:
    beat = 24
    eighths = np.arange(8) * 12
    assert places(onset_grid(eighths)) == [0, 6, 12, 18]
    assert places(onset_grid(np.arange(8) * 6 + beat)) == [0, 6, 12, 18]
    assert places(onset_grid(np.arange(4) * beat)) == [0, 6, 12, 18]  # quarters: straight
    assert places(onset_grid(np.arange(9) * 8)) == [0, 8, 16]
    assert places(onset_grid(np.arange(9) * 4)) == [0, 4, 8, 12, 16, 20]  # 16th triplets
    shuffle = np.array([0, 16, 24, 40, 48, 64])  # 8th-note triplets, swung
    assert places(onset_grid(shuffle)) == [0, 8, 16]
    both = np.array([0, 6, 12, 18, 24, 32, 40])  # 16ths and a triplet figure: both grids
    assert places(onset_grid(both)) == [0, 6, 8, 12, 16, 18]  # not 16th triplets (helper-71)
    assert places(onset_grid(np.array([0, 3, 6, 9, 12]))) == list(range(0, 24, 3))
    assert places(onset_grid(np.arange(12) * 2)) == list(range(0, 24, 2))  # 32nd triplets


def test_a_short_clip_or_one_between_the_grid_s_places_leaves_the_continuation_free() -> None:
    assert onset_grid(np.array([0, 12, 24])) is None  # three notes say little
    assert onset_grid(np.array([0, 12, 24, 37])) is None  # 37: a 24th of a beat
    assert onset_grid(np.array([], dtype=np.int64)) is None


def test_only_a_row_the_grid_leaves_a_place_is_narrowed() -> None:
    grid = onset_grid(np.arange(8) * 12)
    onsets = np.array([[96, 100, 102, 108], [97, 98, 99, 101]])
    allowed = np.array([[True, True, True, False], [True, True, True, True]])
    kept = kept_to(grid, allowed, onsets)
    assert kept is not None
    assert kept.tolist() == [[True, False, True, False], [True, True, True, True]]
    free = kept_to(grid, None, onsets)
    assert free is not None and free.tolist() == [[True, False, True, True], [True] * 4]
    assert kept_to(None, allowed, onsets) is allowed


def test_the_melody_model_continues_the_example_bassline_on_its_16ths() -> None:
    """The melody model asked by name for segue's example bassline (8ths and 16ths)
    played two of 12 takes on 16th-note triplets from their first note to the last, and
    the polyphonic model most takes of the example arpeggio: one note off the grid, and
    every later note counted from it."""
    for seed, name in (("bassline.mid", "melody"), ("arp.mid", "polyphonic")):
        model = load_checkpoint(find_model(name)).model
        clip = read_midi(SEEDS / seed)
        for rng_seed in (1, 3):
            params = GenerationParams(variations=4, bars=8, rng_seed=rng_seed)
            for take in generate(model, clip, params).variations:
                off = [n.start for n in take.clip.notes if (n.start * 4) % 1]
                assert take.clip.notes and not off, (seed, rng_seed, off[:4])


@pytest.mark.parametrize("seed", ["triplets.mid"])
def test_a_clip_in_triplets_keeps_its_triplets(seed: str) -> None:
    model = load_checkpoint(find_model("melody")).model
    clip = read_midi(SEEDS / seed)
    result = generate(model, clip, GenerationParams(variations=4, bars=4, rng_seed=1))
    starts = [n.start for v in result.variations for n in v.clip.notes]
    assert all(round(s * 3, 6) % 1 == 0 for s in starts)  # the clip's 8th-note triplets
    assert any(round(s * 3, 6) % 1 == 0 and s % 0.5 for s in starts)  # triplets are played
