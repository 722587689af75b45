"""Where a loop changes key: its bars in runs, each in one seven-note scale."""

from __future__ import annotations

from segue.model.key_spans import KEY_SPAN_BARS, key_spans

# the pitch classes of a loop's bars, a bar of two chords each: C G/B | Am F | D A/C# | Bm G
UP_A_TONE = [{0, 4, 7, 11, 2}, {9, 0, 4, 5}, {2, 6, 9, 1, 4}, {11, 2, 6, 7}]


def test_a_loop_that_goes_up_a_tone_has_a_span_in_each_key() -> None:
    """Two bars of C major, then two of D major: a span each, the bars in order, and the
    same runs from whichever bar the loop starts, a run going round its end."""
    assert KEY_SPAN_BARS == 2
    assert key_spans(UP_A_TONE) == [[0, 1], [2, 3]]
    started_later = [UP_A_TONE[3], UP_A_TONE[0], UP_A_TONE[1], UP_A_TONE[2]]
    assert key_spans(started_later) == [[1, 2], [3, 0]]


def test_a_loop_in_one_key_or_too_short_or_chromatic_has_no_spans() -> None:
    """A loop one scale holds, one shorter than two spans, a span of one bar, and a bar that
    no seven-note scale holds (C C# D D#): no spans."""
    assert key_spans([UP_A_TONE[0], UP_A_TONE[1]] * 2) is None
    assert key_spans(UP_A_TONE[:3]) is None
    assert key_spans([UP_A_TONE[0], UP_A_TONE[1], UP_A_TONE[2], UP_A_TONE[0]]) is None
    assert key_spans([*UP_A_TONE[:3], {0, 1, 2, 3}]) is None
