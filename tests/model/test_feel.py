"""The clip's timing off the grid: where a clip note lies off the 24-tick grid, a
continuation's note at its place in the loop plays as it does."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from segue.grid import TICKS_PER_BEAT
from segue.model.architecture import ModelConfig
from segue.model.feel import clip_feel, felt
from segue.model.generate import generate
from segue.model.lstm import SegueLSTM
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

TICK = 1 / TICKS_PER_BEAT


@pytest.fixture(scope="module")
def network() -> SegueLSTM:
    torch.manual_seed(0)
    return SegueLSTM(ModelConfig(hidden=32, embed=8, layers=1)).eval()


def swung(percent: float, bars: int = 1) -> Clip:
    """16ths swung at ``percent`` (50: straight; 66.7: triplets): the off 16th of each 8th
    at ``percent`` of it."""
    notes = []
    for eighth in range(8 * bars):
        on = eighth * 0.5
        off = on + 0.5 * percent / 100
        notes += [Note(48 + eighth % 4, on, off - on, 90), Note(55, off, on + 0.5 - off, 70)]
    return Clip(tuple(notes), 4.0 * bars)


def test_the_notes_off_the_grid_and_how_far() -> None:
    feel = clip_feel(swung(54).notes)
    assert len(feel) == 16  # every note's end or start: each off 16th at 0.27 beats
    early, late, length = feel[(6, 55)]  # 0.27 beats is tick 6.48: tick 6, 0.48 late
    assert early == pytest.approx(0.27 - 6 * TICK) and length == 6
    assert late == pytest.approx(0.5 - 12 * TICK)  # it ends on the grid: none
    assert clip_feel(swung(50).notes) == {}  # on the grid: nothing to keep
    held = clip_feel([Note(60, 0.01, 0.99, 90), Note(60, 0.0, 0.5, 90)])
    assert held[(0, 60)][2] == 24  # of notes on one tick and pitch, the longest (grid_rows)


def test_a_note_at_a_clip_notes_place_plays_as_it_does() -> None:
    feel = {(6, 55): (0.02, 0.0, 6)}
    loop, end = 96, 96  # a one-bar clip, continued from its end
    start, length = felt(96 + 6, 55, 6, feel, end, loop, None) or (0, 0)
    assert start == pytest.approx(6 * TICK + 0.02) and length == pytest.approx(6 * TICK - 0.02)
    again = felt(96 + 96 + 6, 55, 6, feel, end, loop, None)  # a loop later
    assert again is not None and again[0] == pytest.approx(4 + 6 * TICK + 0.02)
    assert felt(96 + 6, 56, 6, feel, end, loop, None) is None  # another pitch: the grid
    assert felt(96 + 7, 55, 6, feel, end, loop, None) is None  # another place
    longer = felt(96 + 6, 55, 12, feel, end, loop, None)  # another length: the end moves with
    assert longer is not None and longer[1] == pytest.approx(12 * TICK)  # the start
    early = felt(96, 60, 6, {(0, 60): (-0.01, 0.0, 6)}, end, loop, None)
    assert early is not None and early[0] == 0.0  # never before the continuation begins
    assert felt(96 + 6, 55, 6, feel, end, loop, span=0.3) == pytest.approx((0.27, 0.03))


def test_a_swung_loop_goes_on_swung_and_a_played_take_as_it_was_played(
    network: SegueLSTM,
) -> None:
    """54% swing came back as straight 16ths in every repeat, 62% as 58.3%."""
    from segue.model.loop import CELLS

    kept = network.config
    network.config = replace(
        network.config, loop=(0.999,) * CELLS, loop_strength=16.0, loop_slip=0.0
    )
    try:
        for percent in (54, 62):
            clip = swung(percent)
            params = GenerationParams(bars=2, variations=2, rng_seed=3, temperature=0)
            for variation in generate(network, clip, params).variations:
                offs = [n.start % 0.5 for n in variation.clip.notes if n.pitch == 55]
                assert len(offs) == 16
                assert offs == pytest.approx([0.5 * percent / 100] * 16)
    finally:
        network.config = kept
