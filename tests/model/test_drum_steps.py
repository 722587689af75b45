"""A drum take keeps its groove where a phrase ends and under a fill, on the clip's grid
(helper-76's audit of 13 full-kit beats: phrase ends dropped kicks and backbeats, house
fills moved the kick off the beat, takes left the clip's 16ths)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from segue.grid import TICKS_PER_BEAT, clip_rows
from segue.model.architecture import ModelConfig
from segue.model.generate import generate
from segue.model.loop import CELLS
from segue.model.lstm import SegueLSTM
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note, TimeSignature

BAR = 4 * TICKS_PER_BEAT
BEAT = TICKS_PER_BEAT
KICK, SNARE, CLAP, HAT, OPEN_HAT = 36, 38, 39, 42, 46
FILL_START = 2 * BEAT  # "phrase" fills: the last 2 beats of every 4th bar


def fill_start(bar: int) -> int:
    """Where the "phrase" fill of a bar (from 0) of the new clip starts: its 8th bar's fill
    is its last 3 beats (``segue.model.drumming.MARKS``)."""
    return BAR - 3 * BEAT if bar % 8 == 7 else FILL_START


def house(bars: int = 4) -> Clip:
    """Four on the floor: a kick on every beat, a clap on 2 and 4, an open hat on the
    offbeats, closed hats on the 16ths between."""
    notes = []
    for bar in range(bars):
        for beat in range(4):
            t = bar * 4.0 + beat
            notes.append(Note(KICK, t, 0.25, 112))
            notes.append(Note(HAT, t + 0.25, 0.125, 58))
            notes.append(Note(OPEN_HAT, t + 0.5, 0.25, 88))
            notes.append(Note(HAT, t + 0.75, 0.125, 64))
            if beat % 2:
                notes.append(Note(CLAP, t, 0.25, 100))
    return Clip(tuple(notes), bars * 4.0)


KICKS = {(beat * BEAT, KICK) for beat in range(4)}
CLAPS = {(BEAT, CLAP), (3 * BEAT, CLAP)}


@pytest.fixture(scope="module")
def loose() -> SegueLSTM:
    """An untrained drum model that keeps its loop half the time: what it does not keep,
    it plays anywhere, on any of the clip's pads."""
    torch.manual_seed(0)
    config = ModelConfig(hidden=32, embed=8, layers=1, drums=True, loop=(0.5,) * CELLS)
    return SegueLSTM(config).eval()


def takes(model: SegueLSTM, rng_seed: int, fills: str = "none") -> list[np.ndarray]:
    params = GenerationParams(bars=8, variations=4, rng_seed=rng_seed, fills=fills)
    return [clip_rows(v.clip) for v in generate(model, house(), params).variations]


def hits_of(rows: np.ndarray) -> set[tuple[int, int]]:
    return {(int(o), int(p)) for o, p, _, _ in rows}


def test_a_phrases_last_bar_keeps_the_kick_and_the_backbeat(loose: SegueLSTM) -> None:
    """With fills off, the last bar of a phrase lost kicks and backbeats with nothing in
    their place (17 of 52 phrase-end bars of the audit lost a backbeat hit): the loop there
    kept the material's rate, and that material fills every phrase end. The variation is
    the decoration's (hats), not holes in the backbone."""
    lost, varied = [], 0
    clip_hats = {(o, p) for o, p in hits_of(clip_rows(house(1))) if p in (HAT, OPEN_HAT)}
    for rng_seed in (1, 2):
        for rows in takes(loose, rng_seed):
            hits = hits_of(rows)
            for bar in range(8):
                lost += [(bar, h) for h in KICKS | CLAPS if (bar * BAR + h[0], h[1]) not in hits]
            for bar in (3, 7):  # the phrase ends still vary
                hats = {(o % BAR, p) for o, p in hits if o // BAR == bar and p in (HAT, OPEN_HAT)}
                varied += hats != clip_hats
    assert lost == []
    assert varied


def test_with_fills_the_backbone_stays_up_to_the_fill_and_the_kick_through_it(
    loose: SegueLSTM,
) -> None:
    """A house fill kept the kick on beats 3 and 4 in 0 of 36 fills and put one on the "and"
    of 3: the beat turned around. The fill is played over the kick; the clap's backbeat on 4
    is the fill's to play."""
    lost, off_beat, filled = [], 0, 0
    for rng_seed in (1, 2):
        for rows in takes(loose, rng_seed, fills="phrase"):
            hits = hits_of(rows)
            for bar in range(8):
                end = fill_start(bar) if bar % 4 == 3 else BAR
                kept = {h for h in KICKS | CLAPS if h[0] < end} | KICKS
                lost += [(bar, h) for h in kept if (bar * BAR + h[0], h[1]) not in hits]
            fill = [
                (o % BAR, p)
                for o, p in hits
                if o // BAR in (3, 7) and o % BAR >= fill_start(o // BAR)
            ]
            off_beat += sum(p == KICK and place % BEAT != 0 for place, p in fill)
            filled += sum(p != KICK for _, p in fill)
    assert lost == []
    assert off_beat == 0
    assert filled  # the fill is played


def test_a_drum_take_stays_on_the_clips_grid_and_a_fill_rolls_on_its_pads(
    loose: SegueLSTM,
) -> None:
    """A 16th-note house beat's takes put kicks and hats on 32nds (34 notes in 10 of 44
    takes of the audit), and fills rolled on any pad: drums kept no grid. Outside a fill a
    take keeps the clip's 16ths; in a fill, a roll's 32nds and triplets go to the fill's
    pads (here the clap), where a drummer rolls."""
    for rng_seed in (1, 2):
        for rows in takes(loose, rng_seed):
            assert (rows[:, 0] % (BEAT // 4) == 0).all(), rows[rows[:, 0] % (BEAT // 4) != 0]
        for rows in takes(loose, rng_seed, fills="phrase"):
            off = rows[rows[:, 0] % (BEAT // 4) != 0]
            starts = np.array([fill_start(int(b)) for b in off[:, 0] // BAR], dtype=np.int64)
            in_fill = (off[:, 0] // BAR % 4 == 3) & (off[:, 0] % BAR >= starts)
            assert in_fill.all(), off[~in_fill]
            assert (off[:, 1] == CLAP).all(), off


def breakbeat(bars: int = 2) -> Clip:
    """Hats on the 8ths, a kick on 1 and the "and" of 3, a snare on 2 and 4 with ghost
    notes on the same 16ths of every bar."""
    notes = []
    for bar in range(bars):
        t = bar * 4.0
        notes += [Note(HAT, t + e * 0.5, 0.25, 96 if e % 2 == 0 else 70) for e in range(8)]
        notes += [Note(KICK, t, 0.25, 115), Note(KICK, t + 2.5, 0.25, 108)]
        notes += [Note(SNARE, t + 1, 0.25, 112), Note(SNARE, t + 3, 0.25, 112)]
        notes += [Note(SNARE, t + x, 0.125, 34) for x in (1.75, 2.25, 3.75)]
    return Clip(tuple(notes), bars * 4.0)


def test_a_snares_ghost_notes_leave_its_backbeat_the_backbone(loose: SegueLSTM) -> None:
    """A breakbeat's snare strikes 5 places in every bar, its backbeat and 3 ghost notes:
    more than a backbone's 4, so it kept none, and 2 and 4 went missing now and then,
    at phrase ends most (6 of 80 in phrase-end bars of the audit's breakbeat, rng seeds 1-5)."""
    from segue.model.drumming import backbone

    rows = clip_rows(breakbeat())
    steady = backbone(rows, 2 * BAR, BAR)
    assert {(BEAT, SNARE), (3 * BEAT, SNARE), (0, KICK), (10 * BEAT // 4, KICK)} == steady
    lost = []
    for rng_seed in (1, 2):
        params = GenerationParams(bars=8, variations=4, rng_seed=rng_seed)
        for variation in generate(loose, breakbeat(), params).variations:
            hits = hits_of(clip_rows(variation.clip))
            for bar in range(8):
                lost += [(bar, h) for h in steady if (bar * BAR + h[0], h[1]) not in hits]
    assert lost == []


def half_time_rock() -> Clip:
    """Two bars of half-time rock: a kick on 1 and the "and" of 2, a snare on 3 alone,
    8th-note hats."""
    notes = []
    for bar in range(2):
        t = 4.0 * bar
        notes += [Note(KICK, t, 0.25, 110), Note(KICK, t + 1.5, 0.25, 100)]
        notes += [Note(SNARE, t + 2.0, 0.25, 110)]
        notes += [Note(HAT, t + e / 2, 0.25, 80) for e in range(8)]
    return Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 8.0)


@pytest.mark.parametrize("memory", [0.0, 1.0])
def test_a_half_time_beat_keeps_its_snare_off_2_and_4_at_any_memory(memory: float) -> None:
    """A half-time beat's snare on 3 alone: at memory 0 the network's own snares fell on 2
    and 4 (118 of 128 bars of the drum model's takes, 11 at memory 1), and the groove was
    double time again. Its own hits now leave the beats the clip's snare leaves alone."""
    from segue.model.drumming import Backbeat

    rows = clip_rows(half_time_rock())
    backbeat = Backbeat.of(rows, 2 * BAR, BAR, BEAT, 4)
    assert backbeat is not None and backbeat.pads.tolist() == [SNARE]
    assert backbeat.beats.tolist() == [BEAT, 3 * BEAT]  # 2 and 4, never the downbeat
    torch.manual_seed(0)
    model = SegueLSTM(ModelConfig(hidden=32, embed=8, layers=1, drums=True)).eval()
    on_2_or_4 = 0
    for seed in range(1, 5):
        params = GenerationParams(bars=4, variations=4, rng_seed=seed, memory=memory)
        for v in generate(model, half_time_rock(), params).variations:
            take = clip_rows(v.clip)
            snares = {int(o) % BAR for o, p in take[:, :2] if p == SNARE}
            on_2_or_4 += bool(snares & {BEAT, 3 * BEAT})
    assert on_2_or_4 == 0


def test_a_backbeat_on_2_and_4_leaves_the_network_its_snare_on_1_and_3() -> None:
    """The half-time rule read every backbeat: a snare on 2 and 4 was taken off the
    network's own hits on 1 and 3, and on a beat with a vocal chop struck once in 2 bars
    the take's downbeats went to the chop (test_drumming). Only a backbeat in half time
    keeps its pads off 2 and 4; a take of a half-time beat may still strike its downbeat."""
    from segue.model.drumming import Backbeat

    for clip in (breakbeat(), house(2)):
        assert Backbeat.of(clip_rows(clip), 2 * BAR, BAR, BEAT, 4) is None
    backbeat = Backbeat.of(clip_rows(half_time_rock()), 2 * BAR, BAR, BEAT, 4)
    assert backbeat is not None
    assert backbeat.off(np.arange(2 * BAR, 3 * BAR, BEAT)).tolist() == [False, True, False, True]


def test_a_12_8_beat_at_memory_0_keeps_its_8ths_not_the_dotted_quarter_s_duplets() -> None:
    """A 12/8 shuffle's grid was read in quarter notes, where its 8ths are straight 8ths,
    so its takes at memory 0 went on in straight 16ths: 100 of 586 snares on the dotted
    quarter's middle, a duplet against the feel. Its grid is its pulse's now: the 8ths it
    plays, in threes."""
    from segue.model.onset_grid import onset_grid

    pulse = 3 * TICKS_PER_BEAT // 2
    eighths = onset_grid(np.arange(0, 4 * pulse, pulse // 3), pulse)
    assert eighths is not None and np.flatnonzero(eighths).tolist() == [0, 12, 24]
    meter = TimeSignature(12, 8)
    notes = []
    for bar in range(2):
        t = 6.0 * bar
        notes += [Note(KICK, t, 0.25, 110), Note(KICK, t + 3.0, 0.25, 110)]
        notes += [Note(SNARE, t + 1.5, 0.25, 110), Note(SNARE, t + 4.5, 0.25, 110)]
        notes += [Note(HAT, t + e / 2, 0.25, 80) for e in range(12)]
    beat = Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 12.0, meter)
    torch.manual_seed(0)
    model = SegueLSTM(ModelConfig(hidden=32, embed=8, layers=1, drums=True)).eval()
    for seed in (1, 2):
        params = GenerationParams(bars=4, variations=4, rng_seed=seed, memory=0.0)
        for v in generate(model, beat, params).variations:
            off = [int(o) for o in clip_rows(v.clip)[:, 0] if int(o) % (pulse // 3)]
            assert not off, off
