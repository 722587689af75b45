"""Where each take's turn of a phrase lies and how long it is (``segue.model.turn_places``):
the last bars' places, the bars before where those are too few, silent bars answered, each
take's turn drawn by its own rng."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.takes import Turns
from segue.model.turn_sizes import TURN
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note

BAR = 96


def _turns(clip: Clip, seed: int) -> Turns:
    """Four takes' turns on ``clip``, drawing with rng ``seed``."""
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return Turns(made, 4, np.random.default_rng(seed))


def _eighths(notes: list[tuple[int, float]], bars: int, seed: int = 1) -> Turns:
    """The turns of a clip of (pitch, start in beats) eighths, ``bars`` of 4/4 long."""
    return _turns(Clip(tuple(Note(p, t, 0.5, 90) for p, t in notes), bars * 4.0), seed)


def test_takes_share_eighths_only_when_the_last_bars_have_too_few_and_skip_silent_ones() -> None:
    """A last bar with fewer places than takes lends them the bar before's: every take of a
    sparse lead turned its one last note, and the phrase never ended on it (helper-72)."""
    # a 4-bar loop with two notes in its last bar (its downbeat and 5th eighth), one in
    # the bar before (its downbeat)
    sparse = _eighths([(60, 0.0), (62, 4.0), (64, 8.0), (65, 12.0), (67, 14.0)], 4)
    starts = sparse._turn_places.starts(0)
    eighths = (starts - 3 * BAR) // TURN
    assert set(eighths) == {-8, 0, 4} and sorted(np.bincount(eighths + 8)[[0, 8, 12]]) == [1, 1, 2]
    full = _eighths([(60 + i, i * 0.5) for i in range(8)], 1)._turn_places.starts(0)  # 8ths
    assert ((full - 3 * BAR) // TURN >= 0).all()  # enough places: the last bar's own
    # a loop that starts no note in its last bar has no note to vary there
    quiet = _eighths([(60, 0.0), (62, 4.0), (64, 8.0)], 4)
    assert (quiet._turn_places.starts(0) == -1).all()
    assert not quiet.varies(np.full(4, quiet.clip_end + 3 * BAR)).any()


def test_each_request_s_copy_of_the_turns_draws_their_places_with_its_own_rng() -> None:
    """The turns kept for a clip are copied for each request (``Turns.drawing_with``): the
    copy's places draw with the request's rng, as turns made with it would, never with the
    kept turns' rng (making the turns draws nothing), and the kept turns draw nothing."""
    notes = [(60 + i, i * 0.5) for i in range(8)]  # a bar of eighths: 8 places, 4 takes
    kept = _eighths(notes, 1, seed=7)
    for seed in range(1, 9):
        copy = kept.drawing_with(np.random.default_rng(seed))
        assert copy._turn_places._rng is copy._rng  # the take's draws and its places' alike
        made = _eighths(notes, 1, seed=seed)
        for phrase in range(4):
            drawn = copy._turn_places.starts(phrase)
            np.testing.assert_array_equal(drawn, made._turn_places.starts(phrase))
            np.testing.assert_array_equal(copy.starts(phrase), drawn)  # Turns forwards them
    assert not kept._turn_places.turns  # the kept turns drew none
    seven = _eighths(notes, 1, seed=7)._turn_places
    assert any(
        not np.array_equal(kept.drawing_with(np.random.default_rng(1))._turn_places.starts(p),
                           seven.starts(p))
        for p in range(4)
    )  # fmt: skip


def test_a_phrase_s_turn_length_is_a_section_end_s_at_its_marks() -> None:
    """An eighth at a phrase's end, half a bar at an 8-bar mark, the whole bar at a 16-bar
    mark (``turn_sizes.turn_of``), asked of the take's places and of the turns alike."""
    turns = _eighths([(60 + i, i * 0.5) for i in range(8)], 1)
    for phrase, size in ((0, 1), (1, 4), (2, 1), (3, 8)):
        assert turns._turn_places.length(phrase) == size * TURN == turns.length(phrase)
