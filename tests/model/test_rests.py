"""A part's rests: at --memory 0 a take goes no longer without a rest than its clip, and
rests no longer than the clip's longest silence."""

from __future__ import annotations

import numpy as np
from silences import longest_silent, silent_share

from segue.grid import clip_rows
from segue.model.generate import generate
from segue.model.rests import Rests, silences
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

BEAT = 24  # ticks
CALLS = (
    (69, 0, 0.5), (72, 0.5, 0.5), (74, 1, 1), (72, 2, 0.5), (69, 2.5, 1.5),
    (67, 8, 0.5), (69, 8.5, 0.5), (72, 9, 1), (69, 10, 2),
)  # fmt: skip


def calls() -> Clip:
    """A lead's call a bar long, a bar of rest, and its second call (3 bars)."""
    return Clip(tuple(Note(p, s, d, 90) for p, s, d in CALLS), 12.0)


def test_a_clips_silences_round_its_loop() -> None:
    rows = clip_rows(calls()).astype(np.int64)
    begin, length = silences(rows, 12 * BEAT)
    assert (length[length > 0] // BEAT).tolist() == [4]  # the bar of rest; none at the seam
    assert begin[length > 0].tolist() == [4 * BEAT]


def test_a_take_rests_as_its_clip_no_longer_than_its_longest() -> None:
    rests = Rests.of(clip_rows(calls()).astype(np.int64), 12 * BEAT, BEAT, 2)
    assert rests is not None
    assert (rests.rest, rests.stretch, rests.longest) == (2 * BEAT, 8 * BEAT, 4 * BEAT)
    rests.start[:] = 0
    rests.latest[:] = 7 * BEAT
    rests.end[:] = 8 * BEAT  # played 8 beats since its last rest: it rests now
    onsets = np.array([[8, 9, 10, 12, 13] for _ in range(2)]) * BEAT
    # not at 8 or 9 (no rest); 10 and 12 after a rest of 2 and 4 beats; not 13 (5 beats)
    assert rests.allowed(onsets).tolist() == [[False, False, True, True, False]] * 2
    rests.push(np.array([10, 7]) * BEAT, np.array([BEAT, BEAT]), np.array([True, True]))
    assert rests.start.tolist() == [10 * BEAT, 0]  # the first take began a stretch there
    assert rests.end.tolist() == [11 * BEAT, 8 * BEAT]
    # a part of no rest of a beat keeps none
    legato = Clip(tuple(Note(60 + i, i * 1.0, 1.0, 90) for i in range(8)))
    assert Rests.of(clip_rows(legato).astype(np.int64), 8 * BEAT, BEAT, 2) is None


def test_at_memory_0_a_lead_keeps_the_rest_after_its_calls() -> None:
    """With the clip's memory off, a lead of calls a bar apart (a third of it silent) played
    through its rests: 4% silent, 3.9 strikes a bar for its 3 (24 rng seeds x 4 takes);
    now 23% and 3.3, and no take silent longer than the clip's bar of rest."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    producer = load_checkpoint(find_model("producer")).model
    takes = [
        take.clip
        for rng_seed in range(3)
        for take in generate(
            producer, calls(), GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0)
        ).variations
    ]
    assert np.mean([silent_share(t) for t in takes]) >= 0.15
    assert max(longest_silent(t) for t in takes) <= 4.0 + 1e-9
