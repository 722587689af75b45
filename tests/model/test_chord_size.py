"""A chord part's chords: its size, and the network's own chords struck whole."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows
from segue.model.chord_size import chord_size, finish_chords, unfinished
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

STAB = (50, 53, 57, 60)  # Dm7


def stabs() -> Clip:
    """A house stab: Dm7 on every offbeat 8th of one bar."""
    return Clip(tuple(Note(p, beat + 0.5, 0.25, 100) for beat in range(4) for p in STAB), 4.0)


def pads() -> Clip:
    """Two bars of 4-note pads, Am and F, held through the bar."""
    chords = ((45, 52, 57, 60), (41, 48, 53, 57))
    return Clip(tuple(Note(p, i * 4.0, 4.0, 80) for i, ch in enumerate(chords) for p in ch), 8.0)


def test_a_chord_part_s_size_is_its_smallest_chord() -> None:
    assert chord_size(clip_rows(stabs())) == 4
    triads_and_a_seventh = Clip(
        tuple(Note(p, 0.0, 2.0, 90) for p in (48, 52, 55))
        + tuple(Note(p, 2.0, 2.0, 90) for p in (43, 47, 50, 53)),
        4.0,
    )
    assert chord_size(clip_rows(triads_and_a_seventh)) == 3
    line = Clip(tuple(Note(p, i * 0.5, 0.5, 90) for i, p in enumerate((57, 60, 64, 60))), 2.0)
    assert chord_size(clip_rows(line)) == 0
    bass_under_stabs = Clip(stabs().notes + (Note(38, 0.0, 0.5, 100),), 4.0)
    assert chord_size(clip_rows(bass_under_stabs)) == 0  # a single note: no chord part
    assert chord_size(np.zeros((0, 4), dtype=np.int64)) == 0


def test_a_take_s_own_onset_is_unfinished_until_it_strikes_the_clip_s_chord() -> None:
    struck = np.zeros((4, 128), dtype=bool)
    struck[0, [50]] = True  # one note
    struck[1, [50, 53, 57]] = True  # three
    struck[2, [50, 53, 57, 60]] = True  # a whole Dm7
    struck[3, [50]] = True  # one note, the loop's
    own = np.array([True, True, True, False])
    assert unfinished(struck, 4, own).tolist() == [True, True, False, False]
    assert not unfinished(struck, 0, own).any()  # no chord part
    allowed = np.ones((4, 5), dtype=bool)
    allowed[1, 0] = False
    out = finish_chords(allowed, np.array([True, False, False, False]), 5)
    assert out[0].tolist() == [True, False, False, False, False]
    assert out[1:].tolist() == allowed[1:].tolist()


def test_the_network_s_own_chords_are_struck_with_the_clip_s_voices() -> None:
    """The loop took the take back after the network's first note of its own between a stab
    loop's stabs, which stood alone: a single note on the beat in 13 of 80 takes at
    --memory 0.3 (rng seeds 1-20); at --memory 0, where no loop takes it back, the network
    itself voiced a 4-note pad loop in triads (7 of 80 takes; helper-94)."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model

    producer = load_checkpoint(find_model("producer")).model
    requests = ((stabs(), 0.3, 1), (stabs(), 0.3, 5), (pads(), 0.0, 1))
    for clip, memory, rng_seed in requests:
        params = GenerationParams(variations=4, bars=4, memory=memory, rng_seed=rng_seed)
        for take in generate(producer, clip, params).variations:
            onsets: dict[float, int] = {}
            for note in take.clip.notes:
                onsets[note.start] = onsets.get(note.start, 0) + 1
            short = {at: n for at, n in onsets.items() if n < 4}
            assert not short, (memory, rng_seed, short)
