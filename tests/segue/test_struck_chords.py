"""Which notes struck together are a keyboard's chords, not a kit's pads
(``segue.struck_chords``)."""

from __future__ import annotations

from segue.struck_chords import (
    is_keyboard_chord,
    is_triad,
    moved_chords,
    over_a_moving_bass,
    struck_chords,
)

C7_SHELL = {36, 40, 46}  # C2 E2 Bb2: a kick, a snare and an open hat
F7_SHELL = {41, 45, 51}  # F2 A2 Eb3: two toms and a ride


def test_a_triad_is_three_notes_or_more_on_a_major_or_minor_triad() -> None:
    assert is_triad({48, 52, 55}) and is_triad({45, 48, 52, 57})  # C major, A minor doubled
    assert is_triad({36, 44, 51})  # a kick under a pedal hat and a ride: an A flat triad
    assert not is_triad({48, 52})  # two notes
    assert not is_triad({48, 51, 54})  # diminished
    assert not is_triad({36, 48, 60})  # one pitch class


def test_a_keyboard_chord_is_a_seventh_a_sixth_a_triad_or_a_root_and_its_seventh() -> None:
    assert is_keyboard_chord(C7_SHELL)
    assert is_keyboard_chord({36, 39, 42})  # C diminished: a kick, a clap and a hat
    assert is_keyboard_chord({36, 38, 42})  # C D F#: D7 over C, a kick, a snare and a hat
    assert is_keyboard_chord({36, 46}) and is_keyboard_chord({38, 49})  # C2+Bb2, D2+C#3
    assert not is_keyboard_chord({36, 39})  # a kick under a clap: a third is no shell
    assert not is_keyboard_chord({36, 42})  # a kick under a hat: a tritone
    assert not is_keyboard_chord({36, 48})  # an octave
    assert not is_keyboard_chord({36, 37, 38})  # a cluster


def test_a_shape_struck_on_other_notes_is_moved_and_a_shape_on_the_kick_stays() -> None:
    assert moved_chords([C7_SHELL, F7_SHELL, C7_SHELL]) == [C7_SHELL, F7_SHELL, C7_SHELL]
    assert moved_chords([C7_SHELL] * 8) == []  # a kit's pads stay where they lie
    assert moved_chords([{36, 46}, {41, 51}]) == [{36, 46}, {41, 51}]  # root+7th shells
    assert moved_chords([{36, 39}, {39, 42}]) == []  # a kit's pairs share a pad


def test_chords_over_a_bass_that_moves_are_a_progression_s() -> None:
    dm7, g7 = {38, 41, 48}, {43, 47, 53}  # D2 F2 C3 and G2 B2 F3
    assert over_a_moving_bass([dm7, dm7, g7, g7]) == [dm7, dm7, g7, g7]
    ride = [{35, 44, 51}, {36, 44, 51}] * 4  # B1 and C2 under a pedal hat and a ride
    assert over_a_moving_bass(ride) == []
    assert over_a_moving_bass([dm7] * 4) == []  # a bass that never moves


def test_struck_chords_are_moved_keyboard_chords_or_triads_that_change() -> None:
    c, f = {48, 52, 55}, {48, 53, 57}  # C major and F over C: the upper notes change
    assert struck_chords([c, f, c, f]) == [c, f, c, f]
    flat = {36, 44, 51}
    assert struck_chords([flat] * 8) == []  # a jazz ride pattern: the same triad again
    assert struck_chords([C7_SHELL, F7_SHELL]) == [C7_SHELL, F7_SHELL]
    assert struck_chords([C7_SHELL] * 4) == []  # the kick, snare and open hat, in place


def test_a_vamp_s_chord_struck_again_and_again_over_its_bass() -> None:
    """A one-chord vamp strikes its right hand's chord again and again over its bass (a
    Cm9 over C2: Eb2 Bb2 D3, a clap, an open hat and a tom), voiced a third apart or more;
    a kit's snare and clap lie a semitone apart, its pads spell a chord on its kick, and a
    crash over its snare and hat comes once in a phrase."""
    from segue.struck_chords import is_voiced_over, vamped_chords

    cm9, kick_hat = {39, 46, 50}, {36, 46}
    assert vamped_chords([kick_hat, cm9, cm9, kick_hat, cm9], 36) == [cm9, cm9, cm9]
    assert is_voiced_over({40, 46, 51}, 36)  # C7#9: E2 Bb2 Eb3
    assert is_voiced_over({38, 42, 49}, 35)  # Bm(add9): D2 F#2 C#3 over B1
    assert not is_voiced_over({38, 39, 46}, 36)  # a snare, a clap, an open hat: a cluster
    assert not is_voiced_over({36, 40, 46}, 36)  # a kick, a snare, an open hat: C7 on its kick
    assert not is_voiced_over({38, 42, 48}, 36)  # D F# C over C: no chord of C
    crash = {38, 42, 49}
    assert vamped_chords([kick_hat] * 7 + [crash], 36) == []  # once in a phrase
