"""A part's articulation: its notes no more legato, against the gap to their next strike,
than the clip's, when --memory frees the clip's notes."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows
from segue.model.articulation import HELD, Articulation, next_strikes, strikes
from segue.notes import Clip, Note

BASS = (45, 45, 57, 45, 48, 48, 43, 45, 41, 41, 53, 41, 43, 43, 55, 43)


def plucked_bass(length: float = 0.2) -> Clip:
    """Two bars of 8ths plucked ``length`` beats long, played twice (4 bars)."""
    return Clip(tuple(Note(p, i * 0.5, length, 100) for i, p in enumerate(BASS * 2)), 16.0)


def test_a_strikes_next_is_the_next_of_as_many_notes() -> None:
    # a chord at 0, a passing note at 12, the next chord at 24; a chord alone in its loop
    rows = np.array([[0, 60, 24, 90], [0, 64, 24, 90], [12, 62, 12, 90], [24, 60, 24, 90]])
    rows = np.vstack([rows, [24, 65, 24, 90]])
    starts, longest, size = strikes(rows)
    assert starts.tolist() == [0, 12, 24] and longest.tolist() == [24, 12, 24]
    assert size.tolist() == [2, 1, 2]
    assert next_strikes(starts, size, None).tolist() == [24, 24, -1]
    assert next_strikes(starts, size, 48).tolist() == [24, 24, 48]  # round the loop
    assert next_strikes(np.array([0]), np.array([3]), 96).tolist() == [96]


def test_a_clips_articulation_is_its_most_legato_strike_and_its_longest_note() -> None:
    staccato = Articulation.of(clip_rows(plucked_bass()), 384)
    assert staccato is not None
    assert staccato.longest == 5 and abs(staccato.ratio - 5 / 12) < 1e-9  # 0.2 of 0.5 beats
    pad = Clip(tuple(Note(p, b * 4.0, 4.0, 70) for b in range(4) for p in (57, 60, 64)), 16.0)
    legato = Articulation.of(clip_rows(pad), 384)
    assert legato is not None and legato.ratio == 1.0 and legato.longest == 96
    assert Articulation.of(np.zeros((0, 4), dtype=np.int64), 384) is None


def test_the_networks_lengths_are_held_no_more_legato_than_the_clips() -> None:
    staccato = Articulation(ratio=5 / 12, longest=5)
    # 8ths held 11 ticks (the network's), one 8th the loop repeats (not drawn), a last note
    rows = np.array([[0, 45, 11, 100], [12, 45, 11, 100], [24, 45, 11, 100], [36, 45, 40, 100]])
    drawn = np.array([True, False, True, True])
    out = staccato.applied(rows, drawn, end=48)
    assert out[:, 2].tolist() == [5, 11, 5, 5]  # the loop's note as it was; to the end too
    assert staccato.applied(rows, drawn, end=None)[:, 2].tolist() == [5, 11, 5, 10]  # HELD
    assert HELD * staccato.longest == 10
    assert rows[:, 2].tolist() == [11, 11, 11, 40]  # the rows given are left alone


def test_a_chord_held_over_a_passing_note_keeps_its_length() -> None:
    chorale = Articulation(ratio=1.0, longest=24)  # quarter-note chords, each to the next
    rows = np.array(
        [[0, 40, 24, 80], [0, 60, 24, 80], [0, 55, 12, 80], [12, 53, 12, 80]]
        + [[24, 48, 24, 80], [24, 64, 24, 80]]
    )
    out = chorale.applied(rows, np.ones(len(rows), dtype=bool), end=48)
    assert out[:, 2].tolist() == [24, 24, 12, 12, 24, 24]


def test_at_memory_0_a_plucked_bass_comes_back_plucked() -> None:
    """With the clip memory off, a bass of 8ths plucked 0.2 beats long came back with the
    network's lengths: 0.56 beats a note on average, 0.38-0.46-beat 8ths and whole notes
    (4 takes x 6 seeds). Less memory is other notes, not another instrument: every note is
    held at most 0.2 of each 0.5 beats to its next (as the clip's are), and at most 0.4."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    lengths = []
    for rng_seed in range(3):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0)
        for take in generate(producer, plucked_bass(), params).variations:
            notes = take.clip.notes
            starts = sorted({n.start for n in notes}) + [16.0]
            for n in notes:
                after = next(s for s in starts if s > n.start)
                assert n.duration <= (after - n.start) * 5 / 12 + 1e-6, (rng_seed, n)
                assert n.duration <= 0.42, (rng_seed, n)
                lengths.append(n.duration)
    assert np.mean(lengths) <= 0.25
