"""A line's contour (segue.model.contour): its widest step and its longest run of one pitch,
and the pitches a take's turned note may take within them."""

from __future__ import annotations

import numpy as np

from segue.model.contour import contour_of, in_contour, line_end, runs_ahead


def test_a_line_s_contour_is_its_widest_step_and_longest_run_around_the_loop() -> None:
    assert contour_of([64, 65, 67, 65, 64, 62]) == (2, 1)  # steps; around: 62 to 64
    assert contour_of([45, 45, 57, 45, 43, 45]) == (12, 3)  # two 45s, then around: three
    assert contour_of([33, 33, 33]) == (0, 3)  # one pitch: the loop's length
    assert contour_of([60]) == (0, 1) and contour_of([]) == (0, 0)
    assert contour_of([60, 67, 60, 72]) == (12, 1)  # 72 back round to 60 is the widest


def test_a_take_s_line_end_is_its_latest_pitch_and_how_often_in_a_row() -> None:
    assert line_end([60, 62, 62]) == (62, 2)
    assert line_end([62, 62, 62]) == (62, 3)
    assert line_end([62, 60]) == (60, 1)
    assert line_end([]) == (-1, 0)


def test_a_turned_note_keeps_within_the_widest_step_and_the_longest_run() -> None:
    kept = in_contour(np.array([62, 62]), np.array([1, 1]), np.array([-1, 60]), (2, 1))
    assert np.flatnonzero(kept[0]).tolist() == [60, 61, 63, 64]  # not 62 again
    assert np.flatnonzero(kept[1]).tolist() == [61]  # nor 60 before the loop's 60, nor 64
    # a line that strikes a pitch twice may strike it again once, not a third time
    twice = in_contour(np.array([62, 62]), np.array([1, 2]), np.array([-1, -1]), (2, 2))
    assert twice[0, 62] and not twice[1, 62]
    # no latest note and no loop note after: any pitch
    assert in_contour(np.array([-1]), np.array([0]), np.array([-1]), (2, 1)).all()


def test_a_loop_s_run_ahead_counts_its_pitch_from_each_note_on_around_the_loop() -> None:
    assert runs_ahead([64, 64, 67, 67, 62]).tolist() == [2, 1, 2, 1, 1]
    assert runs_ahead([45, 45, 57, 45]).tolist() == [2, 1, 1, 3]  # around: 45 45 again
    assert runs_ahead([33, 33, 33]).tolist() == [3, 3, 3]  # one pitch: the loop's length
    assert runs_ahead([60]).tolist() == [1] and runs_ahead([]).tolist() == []


def test_a_turned_note_into_a_pitch_the_loop_strikes_twice_does_not_strike_it_a_third_time() -> (
    None
):
    # a line of pairs (longest run 2): before the loop's G4 G4, a turned G4 makes three
    into = in_contour(
        np.array([64, 64]), np.array([1, 1]), np.array([67, 67]), (3, 2), ahead=np.array([2, 1])
    )
    assert not into[0, 67] and into[1, 67]  # the loop's G4 struck twice from there: once
    assert into[0, 66] and into[0, 65]  # its neighbours still
    # without ``ahead`` the loop's note counts once, as before
    assert in_contour(np.array([64]), np.array([1]), np.array([67]), (3, 2))[0, 67]
