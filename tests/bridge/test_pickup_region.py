"""Where bar 1 lies in what a Live clip plays (``segue.bridge.pickup_region``); the device's
JavaScript keeps the same rule, checked against it in ``tests/test_device.py``."""

from __future__ import annotations

from segue.bridge.pickup_region import clip_downbeat, pickup_downbeat, turn, turned_by


def test_a_part_begun_before_bar_1_with_whole_bars_after_it_tells_bar_1() -> None:
    assert pickup_downbeat(-1.5, 17.5, 4.0) == 1.5  # a walk-up and 4 bars
    assert pickup_downbeat(-4.0, 20.0, 4.0) == 4.0  # a whole pickup bar
    assert pickup_downbeat(-1.0, 7.0, 3.0) == 1.0  # 3/4: a beat and 2 bars
    assert pickup_downbeat(0.0, 16.0, 4.0) is None  # on bar 1: nothing to tell
    assert pickup_downbeat(-1.5, 16.0, 4.0) is None  # its end leaves no whole bars
    assert pickup_downbeat(-1.5, 4.5, 4.0) is None  # 3 beats after bar 1: less than a bar
    assert pickup_downbeat(-1.5, 17.5, 0.0) is None


def test_a_loop_the_device_turns_to_a_bar_line_tells_no_downbeat() -> None:
    assert turned_by(True, 1.0, 0.0, 8.0, 4.0) == 1.0  # a 2-bar loop from beat 2
    assert turned_by(True, 0.0, 0.0, 16.0, 4.0) == 0.0
    assert turned_by(False, 1.0, 0.0, 8.0, 4.0) == 0.0  # not looping
    assert turned_by(True, 1.0, 0.0, 7.5, 4.0) == 0.0  # no whole bars
    assert clip_downbeat(8.0, True, 1.0, 0.0, 4.0) is None
    assert clip_downbeat(17.5, True, -1.5, -1.5, 4.0) == 1.5  # the loop holds the pickup
    assert clip_downbeat(17.5, False, 0.0, -1.5, 4.0) == 1.5  # the start marker does
    assert clip_downbeat(16.0, False, 0.0, 0.0, 4.0) is None


def test_a_turned_loop_plays_its_last_beats_first_each_note_cut_where_live_cuts_it() -> None:
    """Beats of a 2-bar loop turned by a beat: its last beat comes first, a note cut at the
    loop's end (now beat 1); the rest a beat later, cut at the turned loop's end. A loop
    not turned cuts its notes at its end, as before. Turned in beats before they snap to
    ticks, as the device turns them: a note a hair before the seam stays before it."""
    assert turn(7.5, 8.0, 1.0) == (0.5, 1.0)  # at 7.5 for a beat: cut at beat 1
    assert turn(0.0, 8.0, 1.0) == (1.0, 8.0)  # the loop's first beat, now beat 2
    assert turn(6.25, 8.0, 1.0) == (7.25, 8.0)  # held past beat 7: cut at the end
    assert turn(6.995, 8.0, 1.0) == (7.995, 8.0)  # before the seam: at the turned end
    assert turn(6.25, 8.0, 0.0) == (6.25, 8.0)
