"""A request's turned pitches worked out once for each set of arguments
(segue.model.turn_pitch_memo): asked again with the same, the answer is the one worked out;
asked by another take or at another place whose arguments differ in anything (a row of a
mask, the loop's pitch, its middle, the reach, the ways, the takes sharing, a contour), its
own answer, never another's."""

from __future__ import annotations

import numpy as np

from segue.model.turn_pitch_memo import ArgumentsMemo
from segue.model.turn_pitches import turn_pitches
from segue.model.turn_sizes import STEP


def _arguments() -> list[tuple[object, ...]]:
    """A turned E3's arguments in C major, and variants each of which changes one of them
    (in turn_pitches' order: allowed, loop_pitch, middle, classes, span, takes, fits, reach,
    exchanged, ways, outline, contour)."""
    allowed = np.zeros((1, 128), dtype=bool)
    allowed[:, 40:70] = True
    classes = np.zeros(12, dtype=bool)
    classes[[0, 2, 4, 5, 7, 9, 11]] = True
    fits = np.full((1, 128), 2, dtype=np.int8)
    fits[:, 53] = 1
    base = (allowed, np.array([52]), 52.0, classes, (45, 64), np.array([2]), fits, 7)
    base += (np.array([False]), (True, True), False, ())
    gapped = allowed.copy()
    gapped[0, 50] = False  # another take's mask: one pitch fewer
    contour = np.zeros((1, 128), dtype=bool)
    contour[0, 55:60] = True
    changes = {
        0: gapped,
        1: np.array([55]),
        2: 60.0,
        4: (50, 64),
        5: np.array([4]),
        7: STEP,
        9: (False, True),
        10: True,
        11: (contour,),
    }
    return [base] + [base[:at] + (value,) + base[at + 1 :] for at, value in changes.items()]


def test_each_set_of_arguments_gets_its_own_answer_asked_again_and_interleaved() -> None:
    sets = _arguments()
    wanted = [turn_pitches(*arguments) for arguments in sets]  # type: ignore[arg-type]
    # the variants answer otherwise than the turned E3 itself: a memo keyed too loosely
    # (one argument left out of its key) would give one of them the E3's answer
    differ = [not np.array_equal(answer, wanted[0]) for answer in wanted[1:]]
    assert sum(differ) >= 6, differ
    memo = ArgumentsMemo(turn_pitches)
    for _ in range(2):  # first worked out, then remembered
        for arguments, answer in zip(sets, wanted, strict=True):
            assert np.array_equal(memo(*arguments), answer)
        for arguments, answer in zip(reversed(sets), reversed(wanted), strict=True):
            assert np.array_equal(memo(*arguments), answer)


def test_an_answer_changed_by_its_caller_changes_no_later_answer() -> None:
    base = _arguments()[0]
    memo = ArgumentsMemo(turn_pitches)
    first = memo(*base)
    wanted = first.copy()
    first[:] = False  # the caller writes its rows over it
    assert np.array_equal(memo(*base), wanted)


def test_two_takes_whose_masks_differ_in_one_row_each_get_their_own() -> None:
    """Two rows (two takes at one step) whose masks differ only in their second row."""
    allowed = np.zeros((2, 128), dtype=bool)
    allowed[:, 40:70] = True
    other = allowed.copy()
    other[1, 48:53] = False
    loop, memo = np.array([52, 52]), ArgumentsMemo(turn_pitches)
    for mask in (allowed, other, allowed, other):
        assert np.array_equal(memo(mask, loop, 52.0), turn_pitches(mask, loop, 52.0))
    assert not np.array_equal(turn_pitches(allowed, loop, 52.0), turn_pitches(other, loop, 52.0))
