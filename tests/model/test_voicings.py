"""A turned chord's voicings: the colour it keeps, where its voices fit, and the voicings
clear of the clashes the loop lacks (``segue.model.voicings``)."""

from __future__ import annotations

from itertools import combinations

import numpy as np

from segue.model import pitch_bits as bits
from segue.model.intervals import CLEAR, NOT_HARSH, narrowest_by_register, span_of, wide_enough
from segue.model.voicings import (
    chord_rooms,
    chord_span,
    clear_voicings,
    clear_voicings_of,
    clustered,
    colour_keeping,
    colour_of,
    coloured,
    doubles_none,
    held_third,
    inversions,
    keeps_chord,
    keeps_third,
    kept_voicing,
    over_its_fifth,
    over_its_root,
    over_its_seventh,
    rank_of,
    recoloured,
    room_of,
    root_of,
    same_chord,
    triad_root,
    turns_in_range,
    voice_span,
    voiced_classes,
)

CLOSE_SEVENTHS = ((48, 52, 55, 59), (45, 48, 52, 55), (50, 53, 57, 60), (43, 47, 50, 53))
CLOSE_SUS = ((48, 53, 55), (48, 52, 55), (53, 55, 60), (53, 57, 60))  # Csus4 C Fsus2 F
CLOSE_G = (55, 59, 62)  # G3 B3 D4, in a dorian vamp from D3 to D4


def test_only_a_chord_with_more_than_a_plain_triad_s_classes_has_a_colour() -> None:
    plain = ((60, 64, 67), (57, 60, 64, 69), (40, 47, 52), (57, 64), (48, 60), (52, 55, 60))
    plain += ((72, 74), (60, 70), (64, 65))  # dyads: a trill's second, a 7th, a semitone
    colour = ((60, 64, 67, 71), (50, 52, 57), (50, 55, 57), (43, 53, 57, 59, 64), (59, 62, 65))
    assert not any(coloured(np.array(c)) for c in plain)
    assert all(coloured(np.array(c)) for c in colour)


def test_a_coloured_chord_turns_only_where_a_voicing_of_its_own_fits_the_part() -> None:
    fsus2 = np.array(CLOSE_SUS[2])  # F3 G3 C4, in a loop from C3 to C4: G and C fit nowhere else
    assert not any(turns_in_range(fsus2, ranks, (48, 60)) for ranks in ({0, 1}, {1, 0}))
    assert turns_in_range(fsus2, {0, 1}, (48, 67))  # up to G4: F3 C4 G4
    g7 = np.array(CLOSE_SEVENTHS[3])  # G2 B2 D3 F3: B3 and D4 fit
    assert turns_in_range(g7, {1, 2}, (43, 60)) and turns_in_range(g7, {0, 2}, (43, 60))
    # a close Dm7 (D3 F3 A3 C4) turns with its fifth left out: D3 F3 C4 D4
    assert turns_in_range(np.array(CLOSE_SEVENTHS[2]), {0, 1}, (43, 60))


def test_a_close_g_has_one_clear_voicing_of_its_turned_voices() -> None:
    clear = NOT_HARSH[span_of(np.subtract.outer(np.arange(128), np.arange(128)))] & CLEAR
    rooms = {59: np.isin(np.arange(128), (59, 60, 62)), 62: np.isin(np.arange(128), (59, 60, 62))}
    assert clear_voicings(np.array(CLOSE_G), rooms, clear, 4) == {(55, 60, 62)}


def test_a_seventh_s_colour_leaves_its_fifth_out_a_triad_keeps_every_class() -> None:
    assert colour_of(np.array(CLOSE_SEVENTHS[2])).tolist() == [0, 2, 5]  # Dm7: D F C, no A
    assert colour_of(np.array(CLOSE_SUS[0])).tolist() == [0, 5, 7]  # Csus4 keeps its G


def test_a_voice_s_rank_counts_from_the_top_and_its_room_lies_above_the_bass() -> None:
    g7 = np.array(CLOSE_SEVENTHS[3])  # G2 B2 D3 F3
    assert [rank_of(g7, int(p)) for p in g7] == [3, 2, 1, 0]
    room = room_of(50, 43, (43, 60))  # D3 over G2, in a part from G2 to C4
    assert not room[43] and room[44] and room[62] and not room[63]  # to a step past C4
    assert not room[37]  # never at or under the bass
    assert not room_of(50, 43, None)[63 + 12] and room_of(50, 43, None)[62]  # an octave's reach


def test_a_turned_voice_keeps_the_chord_s_missing_colour() -> None:
    dm7 = np.array(CLOSE_SEVENTHS[2])  # D3 F3 A3 C4, in a part from G2 to E4
    struck = np.zeros(128, dtype=bool)
    struck[[50, 53, 57]] = True  # its C4 turned alone: the seventh has nowhere else to go
    assert np.flatnonzero(colour_keeping(dm7, 60, {0}, struck, (43, 64))).tolist() == [60]
    struck[57] = False  # A3 and C4 turned: the A3 may go where the C voice keeps the seventh
    keeps = np.flatnonzero(colour_keeping(dm7, 57, {0, 1}, struck, (43, 64))).tolist()
    assert keeps == [57, 60, 62, 65]  # A3 C4 D4 F4: classes of the chord, none but its own


# a close pad of inverted sevenths, from B3 to A4: Dm7/C, G7/B, Cmaj7/B, A7/C#
INVERTED_SEVENTHS = ((60, 62, 65, 69), (59, 62, 65, 67), (59, 60, 64, 67), (61, 64, 67, 69))


def test_a_seventh_s_turned_voice_may_take_its_ninth_for_its_fifth() -> None:
    """An inverted seventh in a close pad had no voicing of its own classes in the part's
    range but the loop's: an A7 over its C# (C#4 E4 G4 A4, a pad from B3 to A4) has none of
    them above A4 short of C#5, and every take of helper-150's inverted-sevenths pad was the
    loop. An arranger puts the ninth in the fifth's place: C#4 G4 A4 B4."""
    a7 = np.array(INVERTED_SEVENTHS[3])
    assert np.flatnonzero(voiced_classes(a7)).tolist() == [1, 4, 7, 9, 11]  # C# E G A, B
    assert turns_in_range(a7, {0, 2}, (59, 69))  # E4 and A4 turned: C#4 G4 A4 B4
    g7 = np.array(INVERTED_SEVENTHS[1])  # over its B: G F B, and A for the D
    assert np.flatnonzero(voiced_classes(g7)).tolist() == [2, 5, 7, 9, 11]
    struck = np.zeros(128, dtype=bool)
    struck[59] = True  # B3 struck: its D4 turned, the F4 and G4 above kept
    assert 69 in np.flatnonzero(colour_keeping(g7, 62, {2}, struck, (59, 69)))  # A4
    # a minor seventh (its ninth a semitone under its third), a triad, a sus chord and a
    # ninth chord keep to their own classes
    dm7_c = np.array(INVERTED_SEVENTHS[0])  # Dm7/C: no E, a semitone under its F
    for chord, own in ((dm7_c, [0, 2, 5, 9]), ((60, 64, 67), [0, 4, 7]), (CLOSE_SUS[0], [0, 5, 7])):
        assert np.flatnonzero(voiced_classes(np.array(chord))).tolist() == own
    dm9 = np.array((50, 53, 57, 60, 64))
    assert np.flatnonzero(voiced_classes(dm9)).tolist() == [0, 2, 4, 5, 9]


def test_a_kept_voicing_narrows_to_the_tiers_that_leave_a_pitch() -> None:
    allowed = np.array([[True, True, True], [True, False, False]])
    levels = np.array([[0, 1, 2], [0, 1, 2]])
    assert kept_voicing(allowed, levels).tolist() == [[False, False, True], [True, False, False]]


def test_an_inverted_seventh_leaves_out_its_root_s_fifth_not_its_bass_s() -> None:
    """A seventh chord over its fifth, third or seventh (G7 over D, Cmaj7 over B, A7 over
    C#) leaves out its root's fifth: taken for a chord with no fifth, a close G7/D (D4 F4 G4
    B4) kept all four classes and none of its voicings fit the part (helper-142's pad). A
    chord over its root is read as before, a sixth chord's root its bass (C E G A: C6)."""
    g7_d, cmaj7_b, a7_cs = (62, 65, 67, 71), (59, 64, 67, 72), (61, 64, 67, 69)
    assert [root_of(np.array(c)) for c in (g7_d, cmaj7_b, a7_cs)] == [7, 0, 9]
    assert colour_of(np.array(g7_d)).tolist() == [5, 7, 11]  # F G B, its D in the bass
    assert colour_of(np.array(cmaj7_b)).tolist() == [0, 4, 11]  # no G
    assert colour_of(np.array(a7_cs)).tolist() == [1, 7, 9]  # no E
    assert colour_of(np.array((60, 64, 67, 69))).tolist() == [0, 4, 9]  # C6: no G
    assert colour_of(np.array(CLOSE_SEVENTHS[2])).tolist() == [0, 2, 5]  # Dm7 on D


def test_a_close_maj7_s_only_voicing_in_the_part_strikes_a_semitone() -> None:
    """A close Cmaj7 (C4 E4 G4 B4) in a loop up to C5 (a step past it: D5): kept to its E
    and B, its turned voices can only strike B4 under C5 (E4 B4 C5), and its 7th on top
    (E5) lies past the part; with the colour asked for, no clear voicing is left."""
    chord = np.array((60, 64, 67, 71))
    clear = (NOT_HARSH[span_of(np.subtract.outer(np.arange(128), np.arange(128)))]) & CLEAR
    own = np.zeros(128, dtype=bool)
    own[[p for p in range(128) if p % 12 in (0, 4, 7, 11)]] = True
    rooms = {p: room_of(p, 60, (60, 72)) & own for p in (64, 67, 71)}
    assert clear_voicings(chord, rooms, clear, 8) == {(60, 64, 67, 72)}  # its B gone
    assert clear_voicings(chord, rooms, clear, 8, colour_of(chord)) == set()
    dm7 = np.array((62, 65, 69, 72))  # a Dm7 on D4 does have one: F4 C5 D5
    own[:] = False
    own[[p for p in range(128) if p % 12 in (2, 5, 9, 0)]] = True
    rooms = {p: room_of(p, 62, (60, 72)) & own for p in (65, 69, 72)}
    assert (62, 65, 72, 74) in clear_voicings(dm7, rooms, clear, 8, colour_of(dm7))


def test_a_chord_s_rooms_worked_out_once_keep_its_colour_as_asked_anew() -> None:
    """A request works out each chord's rooms once (``ChordRooms``) and its takes share them:
    helper-150's open-seventh stab loop (Fm7 Bbm7 Ebm7 Abmaj7 in open voicings) and a close
    7ths pad, each voice's colour-keeping pitches, the voicings in range and the clear
    voicings the same as asked chord by chord."""
    clear = NOT_HARSH[span_of(np.subtract.outer(np.arange(128), np.arange(128)))] & CLEAR
    rows = bits.rows_of(clear)
    open7 = ((53, 63, 68, 72), (46, 56, 61, 65), (51, 61, 67, 70), (44, 55, 60, 63))
    for loop in (open7, CLOSE_SEVENTHS, INVERTED_SEVENTHS):
        pitches = np.array(loop).ravel()
        span = (int(pitches.min()), int(pitches.max()))
        at = np.repeat(np.arange(len(loop)) * 96, len(loop[0]))
        wide = wide_enough(narrowest_by_register(at, at + 96, pitches))
        for voicing in loop:
            chord = np.array(voicing)
            rooms = chord_rooms(chord, span, wide)
            for ranks in ({0}, {0, 1}, {1, 2}, {0, 2}):
                given = turns_in_range(chord, ranks, span, wide, rooms)
                assert given == turns_in_range(chord, ranks, span, wide)
                for pitch in voicing[1:]:
                    below = np.isin(np.arange(128), [p for p in voicing if p < pitch])
                    alone = colour_keeping(chord, pitch, ranks, below, span, wide)
                    shared = colour_keeping(chord, pitch, ranks, below, span, wide, rooms)
                    assert np.array_equal(alone, shared)
                moving = {
                    p: room_of(p, voicing[0], span, wide)
                    for p in voicing
                    if rank_of(chord, p) in ranks
                }
                asked = clear_voicings(chord, moving, clear, 8, colour_of(chord))
                on_bits = {p: bits.from_array(room) for p, room in moving.items()}
                assert asked == clear_voicings_of(voicing, on_bits, rows, 8, rooms.colour)


def _own_pitches(chord: np.ndarray) -> np.ndarray:
    """(128,) bool: the pitches of ``chord``'s classes and its ninth (:func:`voiced_classes`)."""
    return np.tile(voiced_classes(chord), 11)[:128]


def test_a_seventh_over_its_seventh_reaches_its_root_on_top() -> None:
    """A close Dm7/C (C4 D4 F4 A4) in a pad from B3 to A4 had no voicing of its own in the
    part's range (a step past A4: its D, F and C, but for the loop's, lie nowhere else above
    its C4 there) and was never turned. A keyboard player voices a 4-2 chord with its root
    on top, an octave over the step it makes with the bass: C4 F4 A4 D5, and a Cmaj7/B
    B3 E4 G4 C5. Its room reaches that root; other sevenths' keep the part's."""
    dm7_c, g7_b, cmaj7_b, a7_cs = (np.array(c) for c in INVERTED_SEVENTHS)
    assert over_its_seventh(dm7_c) and over_its_seventh(cmaj7_b)
    assert not any(over_its_seventh(np.array(c)) for c in (g7_b, a7_cs, *CLOSE_SEVENTHS))
    assert not over_its_seventh(np.array((48, 52, 55, 57)))  # C6 over its C: no seventh
    span = (59, 69)
    assert chord_span(dm7_c, span) == (59, 72) and chord_span(cmaj7_b, span) == (59, 70)
    assert chord_span(g7_b, span) == span and chord_span(dm7_c, None) is None
    assert chord_span(np.array((48, 62, 65, 69)), (48, 69)) == (48, 69)  # open: C3 | D4 F4 A4
    assert turns_in_range(dm7_c, {0, 2}, span)
    clear = NOT_HARSH[span_of(np.subtract.outer(np.arange(128), np.arange(128)))] & CLEAR
    rooms = {p: room_of(p, 60, chord_span(dm7_c, span)) & _own_pitches(dm7_c) for p in (62, 69)}
    found = clear_voicings(dm7_c, rooms, clear, 16, colour_of(dm7_c))
    assert (60, 65, 69, 74) in found and all(max(v) <= 74 for v in found)  # C4 F4 A4 D5
    rooms = {p: room_of(p, 60, span) & _own_pitches(dm7_c) for p in (62, 69)}
    assert clear_voicings(dm7_c, rooms, clear, 16, colour_of(dm7_c)) == set()  # as before
    shared = chord_rooms(dm7_c, span)  # worked out once, with the chord's own span
    assert shared.span == (59, 72) and chord_rooms(g7_b, span).span == span
    assert bits.to_array(shared.rooms[3])[74] and not bits.to_array(shared.rooms[3])[75]


def test_a_maj7_over_its_seventh_stacks_no_second_on_its_semitone() -> None:
    """A close Cmaj7/B (B3 C4 E4 G4) turned its G4 to D4, its ninth: B3 C4 D4 E4, a
    cluster at its bottom, a semitone and two seconds within a major third (helper-150's
    inverted-sevenths pad: 44, 43 and 38 of its 96 takes' Cmaj7s at -t 0.3, 1 and 1.3). Its
    voices spread over its B: B3 E4 G4 C5, B3 D4 E4 C5."""
    cmaj7_b = np.array(INVERTED_SEVENTHS[2])
    assert clustered((59, 60, 62, 64)) and clustered((54, 55, 57))  # B C D E, F# G A
    assert not clustered((59, 60, 64, 67)) and not clustered((59, 64, 67, 72))
    assert not clustered((53, 55, 57, 59)) and not clustered((60, 62, 64, 71))  # whole steps
    struck = np.zeros(128, dtype=bool)
    struck[[59, 60, 64]] = True  # its G4 turned alone, over B3 C4 E4
    keeps = colour_keeping(cmaj7_b, 67, {0}, struck, (59, 69)) & _own_pitches(cmaj7_b)
    assert np.flatnonzero(keeps).tolist() == [67]  # no D4, nor C5 (C twice, no G): its G4
    spans = NOT_HARSH.copy()
    spans[[1, 13]] = True  # the loop's own semitone, and a minor ninth
    clear = spans[span_of(np.subtract.outer(np.arange(128), np.arange(128)))] & CLEAR
    span = chord_span(cmaj7_b, (59, 69))
    rooms = {p: room_of(p, 59, span) & _own_pitches(cmaj7_b) for p in (60, 67)}
    found = clear_voicings(cmaj7_b, rooms, clear, 16, colour_of(cmaj7_b))
    assert (59, 64, 67, 72) in found and not any(map(clustered, found))
    shared = chord_rooms(cmaj7_b, (59, 69))  # as a request asks it, on bits
    moving = {
        p: shared.rooms[i] & bits.from_array(_own_pitches(cmaj7_b)) for i, p in ((1, 60), (3, 67))
    }
    assert found == clear_voicings_of(
        shared.pitches, moving, bits.rows_of(clear), 16, shared.colour
    )
    # a loop whose own chord is a cluster keeps its turns: B3 C4 D4 G4 may turn to B3 C4 D4 E4
    own = np.array((59, 60, 62, 67))
    rooms = {67: np.isin(np.arange(128), (64, 71))}
    everything = np.ones((128, 128), dtype=bool)
    assert clear_voicings(own, rooms, everything, 16) == {(59, 60, 62, 64), (59, 60, 62, 71)}


def test_a_close_seventh_over_its_seventh_turns_doubling_none_of_its_classes() -> None:
    """A close Emaj7/D# (D#4 E4 G#4 B4) turned its B4 to E5 (D#4 E4 G#4 E5: its root twice,
    a minor ninth over its bass, and no fifth), a Cmaj7/B (B2 C3 E3 G3) its G3 to B3 (its
    bass's seventh twice: helper-180, 27 and 25 of 96 takes). A 4-2 chord's turn keeps each
    class once, its fifth or its ninth for it: D#4 G#4 B4 E5, B2 E3 G3 C4. A pedal under a
    chord (C3 under D4 F4 A4) and a seventh on its root keep their doublings."""
    emaj7_ds, cmaj7_b = np.array((63, 64, 68, 71)), np.array((47, 48, 52, 55))
    assert doubles_none(emaj7_ds) and doubles_none(cmaj7_b)
    assert not doubles_none(np.array((48, 62, 65, 69)))  # C3 | D4 F4 A4: a pedal
    assert not any(doubles_none(np.array(c)) for c in CLOSE_SEVENTHS)
    assert not doubles_none(np.array((47, 48, 52, 55, 59)))  # its B doubled in the loop
    span = (57, 71)  # a pad from A3 to B4 (Bm7/A, Emaj7/D#)
    struck = np.isin(np.arange(128), (63, 64, 68))  # B4 turned alone over D#4 E4 G#4
    keeps = colour_keeping(emaj7_ds, 71, {0}, struck, span) & _own_pitches(emaj7_ds)
    assert np.flatnonzero(keeps).tolist() == [71]  # no E5: its B4
    struck = np.isin(np.arange(128), (63, 64, 68, 76))  # E4 to E5, then B4
    keeps = colour_keeping(emaj7_ds, 71, {0, 2}, struck, span) & _own_pitches(emaj7_ds)
    assert np.flatnonzero(keeps).tolist() == [71]  # B4: D#4 G#4 B4 E5, no second E
    clear = np.ones((128, 128), dtype=bool)  # every interval: the classes alone
    rooms = chord_rooms(emaj7_ds, span)
    own = bits.in_every_octave(rooms.own)
    moving = {p: rooms.rooms[i] & own for i, p in ((1, 64), (3, 71))}
    found = clear_voicings_of(rooms.pitches, moving, bits.rows_of(clear), 16, rooms.colour, True)
    assert (63, 68, 71, 76) in found  # D#4 G#4 B4 E5
    assert all(len({p % 12 for p in v}) == 4 for v in found), found
    assert turns_in_range(emaj7_ds, {0, 2}, span) and not turns_in_range(emaj7_ds, {0}, span)
    struck = np.isin(np.arange(128), (47, 48, 52))  # G3 turned alone over B2 C3 E3
    keeps = colour_keeping(cmaj7_b, 55, {0}, struck, (47, 55)) & _own_pitches(cmaj7_b)
    assert 59 not in np.flatnonzero(keeps)  # no B3
    struck = np.isin(np.arange(128), (47,))  # C3 turned alone under E3 G3
    keeps = colour_keeping(cmaj7_b, 48, {2}, struck, (47, 55)) & _own_pitches(cmaj7_b)
    assert np.flatnonzero(keeps).tolist() == [48, 60]  # its C3, or C4 on top: B2 E3 G3 C4


def test_a_plain_triad_s_third_out_of_the_key_is_held() -> None:
    """An Andalusian pad's E chord (E2 E4 G#4 B4, A minor + G#) turned to E2 E4 B4 E5 or
    E2 E4 C5 E5, its G# gone (helper-180): a plain triad's third out of the loop's key (a
    minor key's leading tone, a secondary dominant's) is the voice its turns leave, in any
    inversion but in the bass (the bass no turn moves); a diatonic third, a seventh chord's
    (its colour keeps it) and a power chord's none."""
    g_sharp, c_sharp = np.isin(np.arange(12), (8,)), np.isin(np.arange(12), (1,))
    assert held_third(np.array((40, 64, 68, 71)), g_sharp) == 68  # E2 E4 G#4 B4
    assert held_third(np.array((40, 56, 59, 64, 68)), g_sharp) == 68  # its G# twice: the top
    assert held_third(np.array((47, 56, 64, 71)), g_sharp) == 56  # over its B: E/B
    assert held_third(np.array((44, 64, 71)), g_sharp) is None  # its G# in the bass
    assert held_third(np.array((45, 69, 73, 76)), c_sharp) == 73  # A2 A4 C#5 E5, in C
    assert held_third(np.array((40, 64, 68, 71)), np.zeros(12, dtype=bool)) is None
    assert held_third(np.array((40, 64, 68, 74)), g_sharp) is None  # E7: coloured
    assert held_third(np.array((40, 52, 59)), g_sharp) is None  # E5: no third


def test_a_seventh_chord_takes_its_sus4_in_place_of_its_third() -> None:
    """A close Dm7-G7/D stab (D3 F3 A3 C4, D3 F3 G3 B3): its G7/D has no voicing of its own
    in the range, and its one colour, G6/D, a muddy D3 E3: a keyboard player plays it as a
    7sus4, its third up to the 4th (D3 F3 G3 C4), as a Dm7 may (D3 G3 A3 C4), its fifth
    kept; not a chord without its fifth (a shell's sus is another chord's)."""
    c_major = np.zeros(12, dtype=bool)
    c_major[[0, 2, 4, 5, 7, 9, 11]] = True
    assert (50, 53, 55, 60) in recoloured(np.array([50, 53, 55, 59]), c_major, (50, 60))
    assert (50, 55, 57, 60) in recoloured(np.array([50, 53, 57, 60]), c_major, (50, 60))
    assert (43, 48, 53, 57) not in recoloured(np.array([43, 47, 53, 57]), c_major, (43, 57))


def test_a_ninth_chord_takes_a_colour_of_the_key_and_a_major_seventh_no_eleventh() -> None:
    """A 5-voice Am9 (A2 G3 C4 E4 B4) had no colour to move to (only a 3-class sus chord and
    a 4-class seventh had one, helper-225): a keyboard player plays its fifth a step down, to
    its 11th (Am11: A2 G3 C4 D4 B4), in the key of C. Not a major seventh's: its 11th is a
    minor 9th over its major third (a close Cmaj7, C4 E4 G4 B4, went to C4 E4 F4 B4)."""
    c_major = np.zeros(12, dtype=bool)
    c_major[[0, 2, 4, 5, 7, 9, 11]] = True
    assert (45, 55, 60, 62, 71) in recoloured(np.array([45, 55, 60, 64, 71]), c_major, (45, 71))
    assert recoloured(np.array([45, 55, 60, 64, 71]), c_major, (45, 60)) == []  # out of range
    assert (60, 64, 65, 71) not in recoloured(np.array([60, 64, 67, 71]), c_major, (60, 71))
    assert (60, 63, 65, 70) in recoloured(np.array([60, 63, 67, 70]), c_major | True, (60, 70))


def test_a_plain_chord_s_turned_voice_keeps_the_chord_its_root_and_one_colour() -> None:
    """A turned voice of a plain triad (C/G: G3 C4 E4 in A minor) may take its own classes
    and one colour over its root (a seventh, a suspension for its third, a ninth beside
    it), never another chord's classes: kept to the loop's, C/G's E4 went to D4 and its C4
    to B3, G B D, a G chord over the C bar's bass."""
    a_minor = np.zeros(12, dtype=bool)
    a_minor[[9, 11, 0, 2, 4, 5, 7]] = True
    c_over_g = np.array([55, 60, 64])
    assert [triad_root(np.array(c)) for c in ((55, 60, 64), (59, 62, 67), (52, 57, 60))] == [
        0,
        7,
        9,
    ]
    others = np.zeros(128, dtype=bool)
    others[[55, 64]] = True  # the C4 is the chord's one root: it keeps its class
    assert np.flatnonzero(same_chord(c_over_g, 60, a_minor, others)).tolist() == [0]
    others[:] = False
    others[[55, 60]] = True  # its third turns: to a sus or its seventh (B), not A or F#
    assert np.flatnonzero(same_chord(c_over_g, 64, a_minor, others)).tolist() == [
        0,
        2,
        4,
        5,
        7,
        11,
    ]
    others[[64]] = True  # over its third: its ninth or seventh, no sus4 (F on E)
    assert np.flatnonzero(same_chord(c_over_g, 67, a_minor, others)).tolist() == [0, 2, 4, 7, 11]
    others[[62]] = True  # a colour sounds already: its own classes
    assert np.flatnonzero(same_chord(c_over_g, 67, a_minor, others)).tolist() == [0, 4, 7]
    assert keeps_chord((55, 60, 64), (55, 60, 62))  # Csus2/G
    assert keeps_chord((55, 60, 64), (55, 64, 72))  # G E C: re-voiced
    assert not keeps_chord((55, 60, 64), (55, 59, 62))  # G B D: a G chord
    assert not keeps_chord((55, 59, 62), (55, 64, 67))  # G E G over the G bar: C/G or Em
    assert not keeps_chord((55, 60, 64), (55, 62, 65))  # two colours, no root


def test_a_turned_triad_keeps_its_third_re_voiced_or_coloured_beside_it() -> None:
    am, c_g = (57, 60, 64), (55, 60, 64)  # A3 C4 E4; C/G, G3 C4 E4
    assert keeps_third(am, (57, 64, 72))  # re-voiced: A3 E4 C5
    assert keeps_third(am, (57, 60, 67)) and keeps_third(am, (57, 59, 60))  # Am7, Am(add9)
    assert not keeps_third(am, (57, 59, 64)) and not keeps_third(am, (57, 62, 64))  # sus2, sus4
    assert not keeps_third(am, (57, 64, 67))  # a seventh in its place
    assert keeps_third(c_g, (55, 64, 72)) and not keeps_third(c_g, (55, 60, 65))  # C/G, Csus4/G
    assert keeps_third((45, 52, 57), (45, 57, 64))  # a power chord has none to lose


def test_a_triad_over_its_fifth_may_put_its_root_an_octave_up() -> None:
    span = (55, 65)  # a stab loop from G3 to F4
    c_g, am_e = np.array([55, 60, 64]), np.array([52, 57, 60])  # G3 C4 E4; E3 A3 C4
    assert over_its_fifth(c_g) and over_its_fifth(am_e)
    assert chord_span(c_g, span, True) == (55, 70)  # C5 with BEYOND: G3 E4 C5
    assert chord_span(am_e, (48, 64), True) == (48, 67)  # A4: E3 C4 A4
    assert chord_span(c_g, span) == span  # a turn that may leave the chord: the loop's span
    for other in ([57, 60, 64], [52, 55, 60], [55, 64, 72], [55, 59, 62], [55, 60, 62]):
        assert not over_its_fifth(np.array(other))  # root position, C/E, root on top, sus
        assert chord_span(np.array(other), span, True) == span
    assert chord_span(c_g, None, True) is None


def test_a_root_position_triad_s_third_may_go_an_octave_up() -> None:
    span = (53, 64)  # a stab loop from F3 to E4
    g, d = np.array([55, 59, 62]), np.array([50, 54, 57])  # G3 B3 D4; D3 F#3 A3
    assert over_its_root(g) and over_its_root(d)
    assert voice_span(g, 59, span, True) == (53, 69)  # B4 with BEYOND: G3 D4 B4
    assert voice_span(d, 54, (50, 57), True) == (50, 64)  # F#4: D3 A3 F#4
    assert voice_span(g, 62, span, True) == span  # its fifth keeps the part's span
    assert voice_span(g, 59, span) == span  # a turn that may leave the chord: the loop's span
    for other in ([55, 62, 71], [52, 55, 60], [55, 60, 64], [55, 60, 62], [55, 59, 62, 65]):
        assert not over_its_root(np.array(other))  # its third on top, C/E, C/G, sus, G7
        assert voice_span(np.array(other), other[1], span, True) == chord_span(
            np.array(other), span, True
        )
    assert voice_span(g, 59, None, True) is None
    rooms = chord_rooms(g, span, None, True)  # the B's room reaches B4, the D's stops at F#4
    assert rooms.span == (53, 69) and 71 in bits.members(rooms.rooms[1])
    assert max(bits.members(rooms.rooms[2])) == 66


def test_only_a_plain_major_or_minor_triad_s_classes_are_uncoloured() -> None:
    # every set of pitch classes, in one octave and spread over two: coloured unless it is
    # a dyad or less, or one major or minor triad (its root, third and fifth)
    triads = {frozenset({r, (r + t) % 12, (r + 7) % 12}) for r in range(12) for t in (3, 4)}
    for size in range(7):
        for classes in combinations(range(12), size):
            plain = size < 3 or frozenset(classes) in triads
            close = np.array([48 + c for c in classes], dtype=np.int64)
            spread = np.array(sorted({36 + c for c in classes} | {60 + c for c in classes}))
            assert coloured(close) is not plain and coloured(spread) is not plain


def test_a_voice_s_rank_is_searchsorted_s_and_a_chord_s_colour_its_classes() -> None:
    # rank_of bisects a list (helper-308): np.searchsorted's rank, of sorted chords and of
    # any order; coloured is kept by the chord's pitches: the same answer asked again, as an
    # array, a list or a tuple
    rng = np.random.default_rng(308)
    for _ in range(500):
        chord = rng.integers(30, 90, int(rng.integers(1, 6)))
        chord = np.sort(chord) if rng.random() < 0.7 else chord
        for pitch in [*chord.tolist(), int(rng.integers(20, 100))]:
            expected = len(chord) - 1 - int(np.searchsorted(chord, pitch))
            assert rank_of(chord, pitch) == expected
            assert rank_of(chord, np.int64(pitch)) == expected
        classes = {p % 12 for p in chord.tolist()}
        triad = any(
            (r + 7) % 12 in classes and ((r + 3) % 12 in classes or (r + 4) % 12 in classes)
            for r in classes
        )
        expected_colour = len(classes) > 3 or (len(classes) == 3 and not triad)
        for asked in (chord, chord.tolist(), tuple(chord.tolist()), chord):
            assert coloured(asked) == expected_colour


def test_a_bare_fifth_is_a_chord_s_root_and_fifth_alone_where_it_has_a_third() -> None:
    """A C held re-voiced as C4 C5 G5 or C4 G4 G5 lost its third with no colour in its place,
    an open fifth; C4 F4 G4 (a sus4), C4 G4 Bb4 (a 7th) and C4 E4 C5 are chords still, and a
    power chord has no third to lose."""
    from segue.model.voicings import bare_fifth

    c = (60, 64, 67)
    assert bare_fifth(c, (60, 72, 79)) and bare_fifth(c, (60, 67, 79))
    assert not bare_fifth(c, (60, 65, 67)) and not bare_fifth(c, (60, 67, 70))
    assert not bare_fifth(c, (60, 64, 72)) and not bare_fifth(c, (60, 76, 79))
    assert not bare_fifth((40, 47, 52), (40, 52, 59))  # a power chord
    assert bare_fifth((57, 60, 64), (57, 64, 69))  # Am's A E A


def test_a_pad_s_re_voiced_top_reaches_a_fourth_past_the_loop_s_top() -> None:
    """A pad's re-voiced upper voices keep to the loop's span with its top a fourth past its
    highest note (``OPENED``, where a close Dm's root goes on top: D3 F3 A3 -> D3 F3 D4),
    the room's own whole step past the span included; the bottom is the loop's, and no span
    stays none."""
    from segue.model.voicings import BEYOND, OPENED, opened_span

    assert OPENED == 5
    low, high = opened_span((46, 57))
    assert low == 46 and high + BEYOND == 57 + OPENED == 62
    room = room_of(57, 50, opened_span((46, 57)))
    assert room[62] and not room[63]
    assert opened_span(None) is None


def test_a_voicing_of_a_chord_s_own_classes_alone_is_no_colour() -> None:
    """A C re-voiced (C3 E3 C4, C3 G3 E4, its fifth left out or doubled) plays its own classes
    alone; C3 E3 D4 (an added ninth), C3 F3 G3 (a sus4) and C3 E3 Bb3 (a seventh) a colour."""
    from segue.model.voicings import same_classes

    c = np.array([48, 52, 55])
    assert same_classes(c, (48, 52, 60)) and same_classes(c, (48, 55, 64))
    assert same_classes(c, (48, 52, 64))
    assert not same_classes(c, (48, 52, 62)) and not same_classes(c, (48, 53, 55))
    assert not same_classes(c, (48, 52, 58))


def test_a_high_pad_s_inversions_lie_under_its_top_as_over_it() -> None:
    """A high pad's chord re-voiced as a keyboard player's right hand does
    (``voicings.inversions``): its own classes once each, another pitch in the bass, every
    pitch in the range (a whole step past its bottom, its top a fourth past the loop's) and
    clear. An Am F C/G G pad at A4 C5 E5 (its range F4 to E5, its top opened to A5): its C/G
    (G4 C5 E5) under its top (E4 G4 C5, E4 C5 G5) as over it (C5 E5 G5), its G (G4 B4 D5)
    B4 D5 G5 alone (D5 G5 B5 lies past A5); a close Cmaj7 none there (each puts its B a
    semitone under its C)."""
    clear = NOT_HARSH[span_of(np.subtract.outer(np.arange(128), np.arange(128)))] & CLEAR
    rows = bits.rows_of(clear)
    span = (65, 79)  # F4 to E5, its top a fourth past it (voicings.opened_span)
    assert inversions(np.array([67, 72, 76]), span, rows) == [
        (64, 67, 72),
        (64, 72, 79),
        (72, 76, 79),
    ]
    assert inversions(np.array([67, 71, 74]), span, rows) == [(71, 74, 79)]
    assert inversions(np.array([60, 64, 67, 71]), span, rows) == []
