"""Where and how a clip plays the notes its key lock adds to the scale."""

from __future__ import annotations

import numpy as np
from out_of_scale import BLUES, PASSING, looped, walking_bass

from segue.model.added_uses import PLACES, AddedUse, added_uses, places_of
from segue.model.keys import Key
from segue.notes import Note


def test_places_in_the_bar() -> None:
    assert PLACES[0] == "downbeat"
    assert places_of(np.array([0.0, 4.0, 1.0, 3.0, 2.5, 0.25, 1.0 / 3]), 4.0).tolist() == [
        0, 0, 1, 1, 2, 3, 3,
    ]  # fmt: skip


def test_added_uses_say_where_and_how_the_clip_plays_its_notes_out_of_the_key() -> None:
    """A passing F# on the and of 3 falls a half step to F, a walking bass's F#2 on beat 4
    rises to G2, a blues riff's Eb on the and of 2 falls to D; an Andalusian pad's G#, in
    its E chord on the downbeat, resolves by no step of its own."""
    passing = added_uses(looped(PASSING, 8.0), Key(0, "major", frozenset({6})))
    assert passing == {6: AddedUse(frozenset({2}), frozenset({-1}), 0.45)}
    walk = added_uses(walking_bass(), Key(0, "major", frozenset({6})))
    assert walk == {6: AddedUse(frozenset({1}), frozenset({1}), 0.9)}
    blues = added_uses(looped(BLUES, 8.0), Key(0, "mixolydian", frozenset({3})))
    assert blues == {3: AddedUse(frozenset({2}), frozenset({-1}), 0.3)}
    andalusian = ((45, 69, 72, 76), (43, 67, 71, 74), (41, 65, 69, 72), (40, 64, 68, 71))
    pad = tuple(Note(p, 4.0 * i, 3.9, 90) for i, chord in enumerate(andalusian) for p in chord)
    assert added_uses(pad, Key(9, "minor", frozenset({8}))) == {
        8: AddedUse(frozenset({0}), None, 3.9)
    }
    assert added_uses(walking_bass(), Key(0, "major")) == {}  # nothing added, nothing to say
