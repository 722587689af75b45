"""A part's density: below --memory 1 a take strikes no more often than its clip, where a
strike left out leaves no longer a silence than the clip's."""

from __future__ import annotations

import numpy as np
import pytest

from segue.grid import clip_rows
from segue.model.density import Density
from segue.model.generate import generate, longest_silence
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

BEAT = 24  # ticks
STEPS = (0.0, 1.0, 1.5, 2.0, 3.0, 3.5)  # 1, 2, the and of 2, 3, 4, the and of 4


def dotted_bass() -> Clip:
    """A staccato bass on :data:`STEPS`, 0.15 beats a note, two bars twice."""
    pitches = (33, 33, 45, 36, 38, 40, 31, 31, 43, 33, 35, 36)
    steps = [b * 4 + s for b in range(2) for s in STEPS]
    return Clip(
        tuple(
            Note(pitches[i % 12], 8 * r + s, 0.15, 100)
            for r in range(2)
            for i, s in enumerate(steps)
        ),
        16.0,
    )


def test_a_busier_loops_strikes_where_the_clip_never_strikes_are_left_out() -> None:
    rows = clip_rows(dotted_bass()).astype(np.int64)
    density = Density.of(rows, 384, longest_silence(rows, 384))
    assert density is not None and density.rest == 20 and len(density.places) == 24
    # a take's loop of 8ths (32 strikes for the clip's 24): the and of 1 and of 3 go, each
    # leaving 20 ticks silent after the note before
    take = np.array([[384 + 12 * i, 33, 4, 100] for i in range(32)])
    out, drawn = density.thinned(take, np.ones(32, bool), end=768)
    gone = sorted(set(take[:, 0].tolist()) - set(out[:, 0].tolist()))
    assert [(t - 384) % 96 for t in gone] == [12, 60] * 4 and len(out) == 24 and drawn.all()
    # not where a note before is so short that a longer silence would open: a hole
    take[:, 2] = 3
    assert len(density.thinned(take, np.ones(32, bool), end=768)[0]) == 32
    # a loop no busier than the clip's, or a strike the loop gave, stays
    take[:, 2] = 4
    assert len(density.thinned(take[:24], np.ones(24, bool), end=768)[0]) == 24
    assert len(density.thinned(take, np.zeros(32, bool), end=768)[0]) == 32


@pytest.fixture(scope="module")
def producer():
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    return load_checkpoint(find_model("producer")).model


def test_at_memory_0_a_staccato_bass_is_no_busier_than_its_clip(producer) -> None:
    """With the clip's memory off, a bass on 1, 2, the and of 2, 3, 4 and the and of 4 came
    back on every 8th, 7.3 strikes a bar for its 6 (3 rng seeds x 4 takes)."""
    takes = [
        take.clip
        for rng_seed in range(3)
        for take in generate(
            producer,
            dotted_bass(),
            GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0),
        ).variations
    ]
    strikes = [len({n.start for n in t.notes}) / (t.length / 4) for t in takes]
    assert np.mean(strikes) <= 6.25  # now 6.06: a pluck more where a gap rang long


def test_a_strike_is_left_out_where_the_pulse_holds_the_note_before() -> None:
    """A pulsing part's articulation holds a drawn note on over a silence (up to the clip's
    longest note): a riff in 16ths whose longest silence is 2 ticks kept every strike the
    network drew (13.25 a bar for its 7) because its 16th before a dropped one was short.
    Judged with that note held, the strike goes."""
    rows = clip_rows(dotted_bass()).astype(np.int64)
    density = Density.of(rows, 384, longest_silence(rows, 384))
    assert density is not None
    take = np.array([[384 + 12 * i, 33, 3, 100] for i in range(32)])  # 8ths, held 3 ticks
    assert len(density.thinned(take, np.ones(32, bool), end=768)[0]) == 32
    out, _ = density.thinned(take, np.ones(32, bool), end=768, hold=4)
    assert len(out) == 24  # held 4 ticks, the 8th leaves 20 silent, as the clip's longest
    assert len(density.thinned(take, np.zeros(32, bool), end=768, hold=4)[0]) == 32


def slap_octaves() -> Clip:
    """A slap bass in octaves, 8 strikes a bar: C2 C3 (a ghost C2 a 16th after), Eb2 Eb3,
    F2 F3, G2, 0.2 beats a note (a 0.15-beat ghost), two bars."""
    bar = [(36, 0.0), (48, 1.0), (36, 1.5), (39, 3.0), (51, 4.0), (41, 5.0), (53, 6.0)]
    bar += [(43, 7.0)]
    return Clip(
        tuple(
            Note(p, 4 * b + s / 2, 0.15 if s == 1.5 else 0.2, 60 if s == 1.5 else 96)
            for b in range(2)
            for p, s in bar
        ),
        8.0,
    )


def test_at_memory_0_a_part_without_an_articulation_is_no_busier_than_its_clip(
    producer,
) -> None:
    """The slap octave bass has no articulation of its own (``Articulation.of``: None),
    and the density limit was applied only with one: at memory 0 10 of 12 takes were
    busier than its 8 strikes a bar, up to 16 (Eb2 on every 16th, helper-134)."""
    from segue.model.articulation import Articulation

    clip = slap_octaves()
    rows = clip_rows(clip).astype(np.int64)
    assert Articulation.of(rows, 192, longest_silence(rows, 192), BEAT) is None
    takes = [
        take.clip
        for rng_seed in range(1, 4)
        for take in generate(
            producer,
            clip,
            GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0),
        ).variations
    ]
    strikes = [len({n.start for n in t.notes}) / (t.length / 4) for t in takes]
    assert max(strikes) <= 8.5, strikes
