"""A turned chord keeps the clip's voicing: its bass."""

from __future__ import annotations

from functools import cache

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.takes import Turns, basses_of
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note

BAR = 96


def _ballad() -> Clip:
    """A ballad's piano: G-Em-C-D, the left hand broken in eighths from the root, the right
    hand's triad on 1 and 3."""
    notes = []
    for bar, (root, triad) in enumerate(
        ((43, (59, 62, 67)), (40, (59, 64, 67)), (36, (60, 64, 67)), (38, (57, 62, 66)))
    ):
        for eighth, step in enumerate((0, 7, 12, 16, 12, 7, 12, 7)):
            notes.append(Note(root + step, bar * 4.0 + eighth * 0.5, 0.5, 72 - 8 * (eighth % 2)))
        for beat in (0.0, 2.0):
            notes += [Note(p, bar * 4.0 + beat, 1.9, 70) for p in triad]
    return Clip(tuple(notes), 16.0)


@cache
def _takes(clip: Clip, rng_seed: int) -> tuple[Clip, ...]:
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    params = GenerationParams(variations=8, bars=8, rng_seed=rng_seed)
    return tuple(take.clip for take in generate(producer, clip, params).variations)


def _chords(clip: Clip) -> dict[float, list[int]]:
    """The chords (three notes or more) struck together, by onset (beats)."""
    out: dict[float, list[int]] = {}
    for note in clip.notes:
        out.setdefault(round(note.start, 2), []).append(note.pitch)
    return {at: sorted(set(ps)) for at, ps in out.items() if len(set(ps)) >= 3}


def test_a_line_s_chord_keeps_its_bass() -> None:
    """A ballad's left hand broken in eighths under its right hand's chords is a line (its
    onsets mostly single notes), and its turns changed the bass on a bar's downbeat: F2 to
    C3 under an F chord (9 of 16 takes, 11 of 128 downbeats, helper-112)."""
    clip = _ballad()
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(16.0))
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    assert turns.intervals is None  # a line, not a chord loop
    assert basses_of(np.array([0, 0, 0, 12, 48, 48]), np.array([43, 59, 62, 50, 55, 59])) == {
        0: 43,
        48: 55,
    }
    onsets = np.full(4, turns.clip_end + 3 * BAR)  # bar 4's downbeat: D2 under A D F#
    for pitch, turned in ((38, False), (57, True)):
        assert turns.voices_turned(np.ones(4, dtype=bool), onsets, np.full(4, pitch)).all() == (
            turned
        )


def test_a_ballad_s_turns_keep_the_bass_on_every_downbeat() -> None:
    """The ballad's takes (the left hand broken under the right hand's chords) play the
    loop's bass on every bar's downbeat; its later eighths may turn."""
    clip = _ballad()
    downbeats = {bar: min(p for p in _chords(clip)[bar * 4.0]) for bar in range(4)}
    changed = []
    for rng_seed in range(3):
        for n, take in enumerate(_takes(clip, rng_seed)):
            lowest: dict[int, int] = {}
            for note in take.notes:
                if note.start % 4.0 == 0:
                    bar = int(note.start // 4)
                    lowest[bar] = min(lowest.get(bar, 128), note.pitch)
            changed += [(rng_seed, n, b, p) for b, p in lowest.items() if p != downbeats[b % 4]]
    assert not changed, changed
