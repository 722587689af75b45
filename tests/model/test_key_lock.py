"""The key --key auto locks a clip to: the scale that holds the most of its notes, on the tonic
the clip says, its own notes out of the scale held too."""

from __future__ import annotations

import pytest
from key_clips import (
    E_PHRYGIAN_BASS,
    MODAL_LOOPS,
    auto_key_results,
    chord_loop,
    line_of,
    rotated_loop,
)

from segue.model.key_lock import (
    _ON_EVERY_TONIC,
    _ROOTS_ON_EVERY_TONIC,
    chromatic_passing,
    lock_key,
    metric_weight,
)
from segue.model.keys import SCALES, Key
from segue.model.lock_scales import LOCK_SCALES, LOOP_CHORDS
from segue.model.small_scales import small_key
from segue.notes import Note


def test_the_auto_key_lock_holds_the_clip_s_own_notes() -> None:
    """Dm A Bb A: its profile says A major, and that lock folded the loop's F and Bb to F#
    and B, a D major loop (helper-47). The lock holds all its notes: D harmonic minor."""
    loop = chord_loop((62, 65, 69), (61, 64, 69), (58, 62, 65), (57, 61, 64))
    assert lock_key(loop) == Key(2, "harmonic-minor")
    c_major = tuple(
        Note(p, i * 0.5, 0.5, 90)
        for i, p in enumerate((60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60))
    )
    assert lock_key(c_major) == Key(0, "major")  # the plain scale before its modes
    a_minor = chord_loop((57, 60, 64), (53, 57, 60), (55, 59, 62), (57, 60, 64))  # Am F G Am
    assert lock_key(a_minor) == Key(9, "minor")
    assert lock_key(()) is None


def test_the_auto_key_lock_keeps_major_and_holds_a_borrowed_chord_s_notes_too() -> None:
    """A 16th-note up-down arp over C Ab F G: C melodic minor held one note more of 64 than
    C major, and the lock folded its C major chords' E to Eb (helper-51). Major stays, and
    the Ab chord's own Eb and Ab are held besides its scale: no note of the clip folds."""
    shape = (0, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3)
    chords = ((48, 52, 55), (44, 48, 51), (41, 45, 48), (43, 47, 50))
    arp = tuple(
        Note(c[k % 3] + 12 * (k // 3), 4.0 * bar + i / 4, 0.2, 90)
        for bar, c in enumerate(chords)
        for i, k in enumerate(shape)
    )
    key = lock_key(arp)
    assert key == Key(0, "major", frozenset({3, 8}))
    assert str(key) == "C major + Eb + Ab"
    assert {n.pitch % 12 for n in arp} <= key.pitch_classes()


def test_a_mode_is_said_where_the_clip_says_its_tonic_everywhere() -> None:
    """A D dorian bass (D F G A B C, opening, ending and lowest on D) was said to be in C
    major, and an E phrygian riff too: the same notes, another tonic (helper-73). They are
    now D dorian and E phrygian, and hold the same pitch classes as before. An arp of C
    major's notes that opens on E and ends on G stays in C major."""
    dorian = line_of(*((p, 0.5) for p in (38, 38, 41, 43, 45, 47, 48, 47, 45, 43, 41, 38)))
    assert lock_key(dorian) == Key(2, "dorian")
    assert lock_key(dorian).pitch_classes() == Key(0, "major").pitch_classes()
    phrygian = line_of(
        *((p, 0.5) for p in (40, 40, 41, 40, 43, 41, 40, 40, 41, 43, 45, 43, 41, 40))
    )
    assert lock_key(phrygian) == Key(4, "phrygian")
    arp = line_of(*((p, 0.25) for p in (64, 67, 72, 76, 65, 69, 72, 77, 62, 65, 71, 74, 67)))
    assert lock_key(arp) == Key(0, "major")


def test_a_funk_bass_s_passing_notes_do_not_say_its_key() -> None:
    """An E minor funk bass in 16ths (E E3 E, G G# A, A Bb B, D D# E) holds as much of E
    major as of E minor, and its key profile locked it to E major + G + Bb + D: its takes'
    turns put G# on a downbeat (helper-89). Its G# Bb D# pass by semitones on weak 16ths;
    the G and D it leaps to and from, the D on a beat, say E minor."""
    funk = (40, None, 52, 40, None, 43, 44, 45, None, 45, 46, 47, 50, 51, 52, None)
    bass = tuple(
        Note(p, 4.0 * bar + 0.25 * i, 0.175, 96)
        for bar in range(4)
        for i, p in enumerate(funk)
        if p is not None
    )
    assert lock_key(bass) == Key(4, "minor", frozenset({8, 10, 3}))
    # E E3 E G G# A A Bb B: the G# and the Bb pass (the last note has no next)
    assert chromatic_passing(bass[:9]) == [False] * 4 + [True, False, False, True, False]


def test_a_mode_is_said_where_a_loop_opens_low_on_its_tonic_and_ends_on_its_fifth() -> None:
    """A D dorian house bass (off-beat 8ths D2 D3 F2 A2 B2 C3 B2 A2) that opens on its low
    D and ends on A was said to be in A minor, and a G mixolydian riff (G3 G3 B3 D4 F4 ...)
    that ends on D in C major (helper-89): the same notes, the other tonic. A loop whose
    end is the fifth of the tonic it opens on, low, leads back to it. A ii-V-I bass that
    opens on D and ends on C stays in C major."""
    bar = (None, 38, None, 50, None, 41, None, 45, None, 47, None, 48, None, 47, None, 45)
    house = tuple(
        Note(p, 8.0 * half + 0.5 * i, 0.3, 96)
        for half in range(2)
        for i, p in enumerate(bar)
        if p is not None
    )
    assert lock_key(house) == Key(2, "dorian")
    riff = ((55, 0.5), (55, 0.5), (59, 0.5), (62, 0.5), (65, 1.0), (64, 0.5), (62, 0.5))
    riff += ((60, 1.0), (62, 0.5), (65, 0.5), (67, 1.0), (65, 0.5), (62, 0.5))
    assert lock_key(line_of(*riff * 2)) == Key(7, "mixolydian")
    two_five_one = line_of(
        *((p, 1.0) for p in (38, 41, 45, 48, 43, 47, 50, 53, 48, 52, 55, 48) * 2)
    )
    assert lock_key(two_five_one) == Key(0, "major")


@pytest.mark.parametrize("mode", list(MODAL_LOOPS), ids=str)
def test_a_modal_loop_is_read_on_the_tonic_it_dwells_on(mode) -> None:
    """Loops in E phrygian (an E pedal bass, a lead, Em-F), D dorian (over Dm7-G) and G
    mixolydian (G F C G) were all said to be C major or A minor: the same notes, a tonic
    they never dwell on (0 of these 9 loops, 0 of their 36 rotations, read in their mode).
    Their bass, their downbeats and the chords they open and end their bars on say it."""
    for loop in MODAL_LOOPS[mode]:
        assert lock_key(loop) == mode


def test_a_loop_s_key_is_the_same_from_whichever_bar_it_starts() -> None:
    """A loop has no start: the E phrygian bass started from its 3rd bar was read as D
    minor (Bb, not B: at --key auto its takes played Bb), the E phrygian and G mixolydian
    leads from their 3rd as A minor, and an Am F C G loop was A minor from its odd bars and
    C major from its even ones. Every bar counts alike now, and the notes a loop's key holds
    are the same from every bar; only a major key and its relative minor, the same notes,
    are told apart by the bar the loop opens on (Am F | C G: A minor; C G | Am F: C major)."""
    loops = [loop for loops in MODAL_LOOPS.values() for loop in loops]
    loops.append(chord_loop((52, 55, 59), (53, 57, 60), (55, 59, 62), (53, 57, 60)))  # Em F G F
    for loop in loops:
        assert len({lock_key(rotated_loop(loop, by)) for by in range(4)}) == 1, loop[:3]
    am_f_c_g = chord_loop((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))
    read = {lock_key(rotated_loop(am_f_c_g, by)) for by in range(4)}
    assert read == {Key(9, "minor"), Key(0, "major")}
    assert len({key.pitch_classes() for key in read}) == 1
    c_g_am_f = tuple(  # a chord a bar, its G lowest: no G mixolydian
        Note(p, 4.0 * bar, 3.9, 90)
        for bar, chord in enumerate(((48, 52, 55), (43, 47, 50), (45, 48, 52), (53, 57, 60)))
        for p in chord
    )
    assert [lock_key(rotated_loop(c_g_am_f, by)) for by in range(4)] == [
        Key(0, "major"),
        Key(0, "major"),
        Key(9, "minor"),  # Am F C G
        Key(0, "major"),
    ]


def test_a_phrygian_bass_started_from_its_3rd_bar_has_takes_without_bb(tmp_path) -> None:
    """The E phrygian bass started from its 3rd bar (E2 pedal, F2, G2, A2, C3, D3; no B nor
    Bb) was locked to D minor at --key auto, and its takes at -t 1.5 and --memory 0 played
    Bb: 3 of 310 notes over rng seeds 1-3, none from its other bars (C major). Read from a
    MIDI file, it is E phrygian from every bar, and its takes play no Bb."""
    for rng_seed, result in enumerate(
        auto_key_results(tmp_path, rotated_loop(E_PHRYGIAN_BASS, 2), 33), 1
    ):
        assert result.key == Key(4, "phrygian")
        classes = {n.pitch % 12 for take in result.variations for n in take.clip.notes}
        assert 10 not in classes, rng_seed


def test_a_hook_that_fills_a_pentatonic_is_read_in_it_not_in_the_key_of_a_half_cadence() -> None:
    """E G A- G E D- | E D C- A C--: a hook of C D E G A whose first bar ends on D, its
    lowest note there (a half cadence), was read D minor, whose F the hook never plays, and
    its takes played F (helper-114: 40 of 383 notes at --memory 0). A clip that fills a
    pentatonic is read on the tonic of that pentatonic or of its relative minor's: here C,
    which its last bar ends on, from whichever bar the loop starts."""
    hook = line_of(
        *((64, 0.5), (67, 0.5), (69, 1.0), (67, 0.5), (64, 0.5), (62, 1.0)),
        *((64, 0.5), (62, 0.5), (60, 1.0), (57, 0.5), (60, 1.5)),
    )
    assert {lock_key(rotated_loop(hook, by, bars=2)) for by in range(2)} == {Key(0, "major")}
    assert small_key(hook, Key(0, "major")) == Key(0, "major-pentatonic")


def test_after_a_half_beat_pickup_the_beats_are_counted_from_the_first_downbeat() -> None:
    """An E minor lead of my own in 8ths (E4 B4 G4 E4 A4 G#4 F#4 B4: its G on the beat, a G#
    off it) after a B3 pickup of half a beat: told where bar 1 lies (``--downbeat 0.5``) or
    not (the clip a half beat longer than its bars), it was locked to E major + G, every
    beat of it read as an off-beat, its G# as struck on the beat and its G off it. Counted
    from the first downbeat, it is E minor, as without the pickup."""
    bar = (64, 71, 67, 64, 69, 68, 66, 71)
    lead = tuple(Note(p, 4.0 * b + 0.5 * i, 0.45, 96) for b in range(4) for i, p in enumerate(bar))
    assert lock_key(lead) == Key(4, "minor", frozenset({8}))
    pickup = (Note(59, 0.0, 0.45, 96), *(n.shifted(0.5) for n in lead))
    assert lock_key(pickup, 4.0, 16.5, 0.5) == Key(4, "minor", frozenset({8}))
    assert lock_key(pickup, 4.0, 16.5) == Key(4, "minor", frozenset({8}))
    assert metric_weight(pickup[:4], 0.5) == [0.5, 1.0, 0.5, 1.0]
    assert metric_weight(pickup[:4]) == [1.0, 0.5, 1.0, 0.5]


def test_the_scales_and_loop_chord_roots_lock_key_reads_are_on_every_tonic() -> None:
    """lock_key's tables, made once: row t of each scale is its pitch classes on tonic t, and
    of its loop chords the roots on tonic t, in degree order (a clip's bars counted against
    them as a loop over the roots counted them)."""
    assert set(_ON_EVERY_TONIC) == set(_ROOTS_ON_EVERY_TONIC) == set(LOCK_SCALES)
    for mode in LOCK_SCALES:
        for tonic in range(12):
            scale = [(tonic + step) % 12 for step in SCALES[mode]]
            roots = [(tonic + degree) % 12 for degree in LOOP_CHORDS[mode]]
            assert _ON_EVERY_TONIC[mode][tonic].tolist() == scale
            assert _ROOTS_ON_EVERY_TONIC[mode][tonic].tolist() == roots
