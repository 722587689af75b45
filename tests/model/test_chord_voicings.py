"""The voicings a take's turn may play of a chord loop's chords
(``segue.model.chord_voicings``): each worked out once is kept by what it reads, and every
request's copy of a clip's turns shares them, and the loop's classes (``loop_classes``)."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.takes import Turns
from segue.model.vocab import Vocab, steps_of
from segue.model.voicings import same_chord
from segue.notes import Clip, Note

AM_F_C_G = ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))
GATE = Clip(tuple(Note(p, i / 4, 0.2, 75) for i in range(64) for p in AM_F_C_G[i // 16]), 16.0)
"""A trance gate: a triad on every 16th, Am F C G, one chord a bar."""


def _turns(clip: Clip) -> Turns:
    """A clip's turns, 4 takes, as ``generate`` makes them."""
    rows = clip_rows(clip)
    steps = steps_of(rows, 96, Vocab())[1:]
    made = LoopHistory.of_seed(rows, steps, 96, to_ticks(clip.length), chords=True)
    assert made is not None
    return Turns(made, 4, np.random.default_rng(0))


def test_a_stab_s_same_chord_classes_are_kept_by_the_classes_its_other_voices_sound() -> None:
    """``ChordVoicings.same_chord_of`` answers once per chord, voice, key and the classes the other
    voices sound: a C chord's E3 turned under G3, or under G4 (the same classes), keeps C E G
    and its colours; under a G3 and a Bb3 (a seventh sounding already), C E G alone."""
    turns = _turns(GATE)
    chord = np.array([48, 52, 55])  # C3 E3 G3
    for sounding, classes in (
        ((55,), {0, 2, 4, 5, 7, 10, 11}),
        ((55, 58), {0, 4, 7}),
        ((67,), {0, 2, 4, 5, 7, 10, 11}),
        ((55, 70), {0, 4, 7}),
        ((55, 62), {0, 4, 7}),
    ):
        others = np.zeros(128, dtype=bool)
        others[list(sounding)] = True
        kept = turns._voicings.same_chord_of(chord, 52, None, others)
        assert np.array_equal(kept, np.tile(same_chord(chord, 52, None, others), 11)[:128])
        assert set((np.flatnonzero(kept) % 12).tolist()) == classes, sounding


def test_every_request_s_copy_of_a_clip_s_turns_shares_its_voicings_and_classes() -> None:
    """A clip's turns kept for its requests (``Turns.drawing_with``) share its chords'
    voicings and its classes by place, worked out of the loop alone: a copy finds the
    voicings another request worked out, and asks the classes the turns ask."""
    turns = _turns(GATE)
    copy = turns.drawing_with(np.random.default_rng(1))
    assert copy._voicings is turns._voicings
    assert copy._classes is turns._classes
    place = 2 * turns.bar  # the gate's third bar, C3 E3 G3
    other = np.array([50, 53, 57])  # D3 F3 A3: none of the loop's chords, asked of no take
    kept = len(turns._voicings._voiced)
    count = copy._voicings.voicings(other, place)
    assert 0 < count <= 4
    assert len(turns._voicings._voiced) == kept + 1  # the original's memo: shared
    assert turns._voicings.voicings(other, place) == count
    onsets = turns.clip_end + np.arange(0, 4 * turns.bar, turns.bar // 4)
    assert np.array_equal(copy.classes_at(onsets), turns._classes.at(onsets))
    (struck,) = copy.chord_of(np.array([turns.clip_end + place]))
    assert struck is not None and struck.tolist() == [48, 52, 55]
