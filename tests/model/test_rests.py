"""A part's rests: no longer without a rest than its clip, when --memory frees the clip's
notes."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows
from segue.model.rests import Rests, silences
from segue.notes import Clip, Note

CALL = ((0.0, 72, 0.45), (0.5, 74, 0.45), (1.0, 76, 0.9), (2.0, 79, 0.45), (2.5, 76, 0.45))
CALL += ((3.0, 74, 0.9),)


def calls() -> Clip:
    """A lead that plays a bar's call and rests a bar, twice."""
    notes = [Note(p, bar + at, length, 96) for bar in (0.0, 8.0) for at, p, length in CALL]
    return Clip(tuple(notes), 16.0)


def playing_stretches(notes: list[Note], rest: float) -> list[float]:
    """How long a take plays between its silences of at least ``rest`` beats (from its first
    note on: the clip before it ended in a rest)."""
    spans = sorted((n.start, n.end) for n in notes)
    stretches, begin, end = [], spans[0][0], spans[0][1]
    for start, stop in spans[1:]:
        if start - end >= rest:
            stretches.append(end - begin)
            begin = start
        end = max(end, stop)
    return [*stretches, end - begin]


def test_a_clips_silences_run_round_the_loop() -> None:
    rows = np.array([[0, 60, 12, 90], [12, 62, 24, 90], [24, 64, 6, 90], [48, 65, 12, 90]])
    begin, length = silences(rows, 96)
    assert begin.tolist() == [12, 36, 36, 60] and length.tolist() == [0, -12, 12, 36]


def test_a_clips_rest_is_half_its_longest_silence_and_its_stretch_the_play_between() -> None:
    rests = Rests.of(clip_rows(calls()), 384, 24, takes=2)
    assert rests is not None
    assert rests.rest == 49 and rests.stretch == 94  # a 4.1-beat silence; a 3.9-beat call
    assert rests.start.tolist() == [384, 384]  # the clip ends in a rest: a stretch begins
    plucks = Clip(tuple(Note(45, i * 0.5, 0.2, 100) for i in range(32)), 16.0)
    assert Rests.of(clip_rows(plucks), 384, 24, takes=1) is None  # gaps, not rests
    pad = Clip(tuple(Note(p, b * 4.0, 4.0, 70) for b in range(4) for p in (57, 60)), 16.0)
    assert Rests.of(clip_rows(pad), 384, 24, takes=1) is None


def test_a_take_strikes_within_a_stretch_of_its_last_rest_or_after_a_rest() -> None:
    rests = Rests(rest=48, stretch=96, latest=np.array([0]), end=np.array([0]), start=np.array([0]))
    rests.push(np.array([384]), np.array([90]), np.array([True]))  # after a rest: 384 on
    assert rests.start.tolist() == [384] and rests.end.tolist() == [474]
    onsets = np.array([[384, 470, 479, 480, 500, 521, 522]])
    # its own tick; within the stretch (to 480); then only 48 after its end (474): 522
    assert rests.allowed(onsets).tolist() == [[True, True, True, False, False, False, True]]
    rests.push(np.array([400]), np.array([4]), np.array([False]))  # not heard: nothing
    assert rests.latest.tolist() == [384] and rests.end.tolist() == [474]


def test_at_memory_0_a_lead_keeps_the_bar_of_rest_after_its_call() -> None:
    """With the clip memory off, a lead that plays a bar's call and rests a bar came back
    spreading its notes over every bar: 4.1 strikes a bar for the clip's 3 and 45% of its
    time silent for 56% (4 takes x 6 seeds). Less memory is other notes, not another part:
    each take plays at most a call's length (3.9 beats, its last note's ring after) between
    rests of 2 beats."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    for rng_seed in range(3):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0)
        for take in generate(producer, calls(), params).variations:
            stretches = playing_stretches(list(take.clip.notes), 2.0)
            assert max(stretches) <= 3.95 + 2 * 0.92, (rng_seed, stretches)
