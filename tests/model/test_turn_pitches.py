"""Which pitches a take's turned note may take."""

from __future__ import annotations

import numpy as np

from segue.model.turn_pitches import turn_pitches, ways_about
from segue.model.turn_sizes import NEIGHBOUR, STEP


def test_at_a_step_s_reach_a_turn_goes_a_fourth_before_an_octave() -> None:
    """-t 0.3 (a step's reach): where a step leaves the takes too few pitches, the turn
    fell straight to the octave, and a take's one new note leapt further than at -t 0.5
    (helper-134: 9 of 60 turned notes more than a fourth, pad_legato's A4 for C4, riff78's
    A2 for D2). Now a fourth is tried before the octave, as at -t 0.5."""
    allowed = np.zeros((1, 128), dtype=bool)
    allowed[:, 40:65] = True
    classes = np.zeros(12, dtype=bool)
    classes[[0, 2, 4, 5, 7, 9, 11]] = True
    for reach in (STEP, NEIGHBOUR):  # four takes on a turned E3 (52) in C major
        four = turn_pitches(allowed, np.array([52]), 52.0, classes, takes=4, reach=reach)
        assert set(np.flatnonzero(four[0])) == {47, 48, 50, 52, 53, 55, 57}, reach
    # a lone take whose step is not in the part: a fourth, not an octave
    gapped = allowed & ~np.isin(np.arange(128), [50, 53])[None]
    one = turn_pitches(gapped, np.array([52]), 52.0, classes, reach=STEP)
    assert set(np.flatnonzero(one[0])) == {47, 48, 52, 55, 57}


def test_the_ways_a_note_on_the_median_may_turn() -> None:
    # more over the median than under it: down (a note turned up would lift the median)
    assert ways_about(np.array([67, 69, 69, 69, 72, 74, 76]), 69) == (True, False)
    assert ways_about(np.array([60, 62, 64, 69, 69, 69, 72]), 69) == (False, True)
    assert ways_about(np.array([60, 69, 69, 69, 72]), 69) == (True, True)  # either keeps it
    assert ways_about(np.array([60, 64, 67, 72]), 65.5) == (True, True)  # none on it
    assert ways_about(np.array([60, 69, 72]), 69) == (True, True)  # either way moves it


def test_a_line_s_turned_note_keeps_its_side_before_its_bar_s_chord() -> None:
    # a C4 pedal under the middle (62) of C4 G4 C4 E4: the C major chord's other tones lie
    # over it; of the key, B3 and D4 keep its side. A chord loop's fits (2: the loop's
    # intervals) still come first.
    fits = np.ones((1, 128), dtype=np.int8)
    fits[0, [48, 52, 55, 60, 64, 67, 72, 76, 79]] = 2
    classes = np.zeros(12, dtype=bool)
    classes[[0, 2, 4, 5, 7, 9, 11]] = True
    allowed = np.ones((1, 128), dtype=bool)
    line = turn_pitches(allowed, np.array([60]), 62.0, classes, (60, 67), 1, fits, outline=True)
    assert np.flatnonzero(line[0]).tolist() == [59, 60, 62]
    chord = turn_pitches(allowed.copy(), np.array([60]), 62.0, classes, (60, 67), 1, fits)
    assert np.flatnonzero(chord[0]).tolist() == [60, 64, 67]
    # a note with another tone of its chord on its side (E4 under 65, over C4) turns as before
    for outline in (True, False):
        e = turn_pitches(
            allowed.copy(), np.array([64]), 65.0, classes, (60, 67), 4, fits, outline=outline
        )
        assert np.flatnonzero(e[0]).tolist() == [60, 64], outline


def test_a_turned_note_whose_contour_leaves_fewer_pitches_than_takes_keeps_the_contour() -> None:
    """A line's turned B3 (C major, its middle C4) after a G3 and into a D4, in a contour of
    a fourth's leap at most and no pitch twice in a row, has three pitches in it (A3, B3,
    C4): fewer than its four takes. The search dropped the contour before it let the takes
    share a pitch: a G3 again (G3 G3) or an F3, a leap past the widest into the D4. The takes
    share the pitches the contour leaves now."""
    from segue.model.contour import in_contour

    c_major = np.zeros(12, dtype=bool)
    c_major[[0, 2, 4, 5, 7, 9, 11]] = True
    into = in_contour(np.array([55]), np.array([1]), np.array([62]), (5, 1))
    alone = in_contour(np.array([55]), np.array([1]), np.array([-1]), (5, 1))
    allowed = np.ones((1, 128), dtype=bool)
    b3, four, shapes = np.array([59]), np.array([4]), (into, alone)
    out = turn_pitches(allowed, b3, 60.0, c_major, (55, 67), four, contour=shapes)
    assert np.flatnonzero(out[0]).tolist() == [57, 59, 60]


def test_a_turn_s_side_and_part_hold_at_a_half_pitch_as_compared() -> None:
    # the sets of pitches turn_pitches makes as ints keep what comparing pitches gave: a
    # middle between two pitches puts neither on it, a part's span between two takes neither
    allowed = np.ones((2, 128), dtype=bool)
    out = turn_pitches(allowed, np.array([62, 59]), 60.5)
    assert np.flatnonzero(out[0]).tolist() == list(range(61, 75))  # at or over 60.5, near
    assert np.flatnonzero(out[1]).tolist() == list(range(47, 61))  # at or under it
    span = np.array([[55.5, 70.5], [55.5, 70.5]])  # and 2 past it: 53.5 to 72.5
    out = turn_pitches(allowed, np.array([62, 59]), 60.5, None, span)
    assert np.flatnonzero(out[0]).tolist() == list(range(61, 73))
    assert np.flatnonzero(out[1]).tolist() == list(range(54, 61))
    assert not turn_pitches(allowed[:0], np.array([], dtype=np.int64), 60.5).size


def test_a_turned_voice_takes_the_one_clear_pitch_that_is_not_the_loop_s() -> None:
    """A Dm9's A3 (D2 C3 F3 A3 E4) whose F3 a take turned to C4 must bring back the F: F3, or
    F4 a semitone over the E4 kept above it. The tiers asked for one pitch more than the
    loop's own, which was not there to take: F3 alone did not pass, and F4 came back with it
    (F4 against E4: 35 of 65 harsh notes of 16 takes of helper-112's neo-soul loop)."""

    allowed = np.zeros((1, 128), dtype=bool)
    allowed[0, [53, 65]] = True  # F3, F4
    fits = np.zeros((1, 128), dtype=np.int8)
    fits[0, 53] = 2
    fits[0, [60, 64]] = -1  # the take's C4, the loop's E4
    out = turn_pitches(allowed, np.array([57]), 54.0, None, (36, 67), 1, fits)
    assert np.flatnonzero(out[0]).tolist() == [53]


def test_one_value_for_every_row_turns_as_the_same_value_in_each_row() -> None:
    """turn_pitches reads ``span``, ``takes`` and ``outline`` per row without broadcasting
    what has that shape already (``_per_row``, helper-308): one value for all the rows gives
    what that value repeated in each row gives, and a row no tier holds keeps what it allows,
    the voices' pitches (``fits`` >= 0) left out where they leave more than one."""
    rng = np.random.default_rng(308)
    for case in range(200):
        rows = int(rng.integers(1, 4))
        allowed = rng.random((rows, 128)) < rng.choice([0.02, 0.1, 0.5])
        loop = rng.integers(40, 80, rows)
        fits = rng.choice(np.arange(-1, 3, dtype=np.int8), (rows, 128), p=[0.4, 0.3, 0.2, 0.1])
        span, takes, outline = (
            (int(loop.min()) - 5, int(loop.max()) + 7),
            int(rng.integers(1, 4)),
            bool(case % 2),
        )
        one = turn_pitches(allowed, loop, 60.0, None, span, takes, fits, outline=outline)
        each = turn_pitches(
            allowed, loop, 60.0, None, np.tile(span, (rows, 1)), np.full(rows, takes), fits,
            outline=np.full(rows, outline),
        )  # fmt: skip
        assert np.array_equal(one, each), case
    # a row with no pitch near the loop's: no tier holds, and it keeps what it allows
    allowed = np.zeros((1, 128), dtype=bool)
    allowed[0, [10, 11, 12, 120]] = True
    fits = np.full((1, 128), -1, dtype=np.int8)
    fits[0, [10, 11]] = 0
    out = turn_pitches(allowed, np.array([60]), 60.0, None, None, 2, fits)
    assert np.flatnonzero(out[0]).tolist() == [10, 11]  # the voices' 12 and 120 left out
    fits[0, 11] = -1  # one pitch left by them: it is let go, and all four stay
    out = turn_pitches(allowed, np.array([60]), 60.0, None, None, 2, fits)
    assert np.flatnonzero(out[0]).tolist() == [10, 11, 12, 120]
