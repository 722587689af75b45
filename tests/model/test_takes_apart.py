"""Which notes fall in each take's turn, and the takes kept apart there: a pitch of its own
for each take that turns the same note, a chord of its own for each that turns one chord, and a
take left none turning the next chord of its phrase too (segue.model.takes_apart)."""

from __future__ import annotations

import numpy as np
from loop_turns import BAR, takes

from segue.model.turn_sizes import TURN


def test_takes_that_vary_the_same_note_play_pitches_of_their_own() -> None:
    turns = takes([(60, 0.0), (64, 0.0), (67, 0.0)])._apart  # a chord once a bar
    allowed = np.zeros((4, 128), dtype=bool)
    allowed[:, [62, 65, 69]] = True
    allowed[3, 69] = False  # the last take has two pitches only

    def lowest(take: int, left: np.ndarray) -> int:
        return int(np.flatnonzero(left)[0])

    onsets, loop = np.full(4, 384), np.full(4, 64)
    drawn = turns.apart(np.arange(4), onsets, loop, np.full(4, 65), allowed, lowest)
    assert drawn.tolist() == [65, 62, 69, 65]  # each its own while pitches are left
    # no pitch left: the take keeps its own
    assert turns.apart(np.array([3]), onsets, loop, np.full(4, 62), allowed, lowest)[3] == 62
    # a take that varies the same note later (at another step) plays another pitch too;
    # another note of the chord, or the same note in another phrase, is free
    allowed[0, 71] = True
    again = turns.apart(np.array([0]), onsets, loop, np.full(4, 62), allowed, lowest)
    assert again[0] == 71
    assert (
        turns.apart(np.array([0]), onsets, np.full(4, 60), np.full(4, 62), allowed, lowest)[0] == 62
    )
    assert turns.apart(np.array([0]), onsets + 384, loop, np.full(4, 62), allowed, lowest)[0] == 62


def test_takes_that_turn_one_chord_make_chords_of_their_own_not_its_voices_swapped() -> None:
    """Kept apart voice by voice, two takes that swapped two turned voices' pitches voiced a
    pad's F chord (F3 A3 C4) F3 F4 A4 both: one take lost (helper-185). A chord's last
    turned voice makes no chord another take has made there."""
    turns = takes([(53, 0.0), (57, 0.0), (60, 0.0)])._apart  # F3 A3 C4 once a bar
    allowed = np.zeros((4, 128), dtype=bool)
    allowed[:, [62, 65, 69, 72]] = True

    def lowest(take: int, left: np.ndarray) -> int:
        return int(np.flatnonzero(left)[0])

    onsets = np.full(4, turns.clip_end + 3 * BAR)  # the phrase's last bar, its chord
    struck = np.zeros((4, 128), dtype=bool)
    struck[:, 53] = True  # the bass, the loop's
    a3, c4 = np.full(4, 57), np.full(4, 60)
    # the A3s first: take 0 to F4, take 1 to A4
    first = turns.apart(
        np.array([0, 1]), onsets, a3, np.array([65, 69, 0, 0]), allowed, lowest, struck
    )
    assert first[:2].tolist() == [65, 69]
    struck[0, 65] = struck[1, 69] = True
    # then the C4s: take 0 to A4 (F3 F4 A4), take 1 to F4 would be F3 F4 A4 again
    last = turns.apart(
        np.array([0, 1]), onsets, c4, np.array([69, 65, 0, 0]), allowed, lowest, struck
    )
    assert last[0] == 69
    assert last[1] not in (65, 69)  # a chord of its own (and a pitch of its own for its C4)
    chords = [{53, 65, 69}, {53, 69, int(last[1])}]
    assert chords[0] != chords[1]


def _lowest(take: int, left: np.ndarray) -> int:
    """A redraw that takes the lowest pitch ``left``."""
    return int(np.flatnonzero(left)[0])


def test_a_take_left_no_chord_of_its_own_turns_the_next_chord_of_its_phrase_too() -> None:
    """Two takes that turn the chord a bar before the phrase's last (C3 G3 E4 Bb4 struck once
    a bar: two places for four takes) and can make only one chord there: the second turns the
    next chord too (``TakesApart._turn_again``), the last bar's downbeat, where its turn now
    varies (``TakesApart.varies``); asked of the turns alike. Each request's copy keeps its
    own: the kept turns' takes vary where they did."""
    # an open C7, whose turns are an eighth (a pad of plain chords, an open C, turns two
    # bars, turn_kinds.HELD_BARS, and its take on the bar before reaches the last already)
    kept = takes([(48, 0.0), (55, 0.0), (64, 0.0), (70, 0.0)], seed=1)
    end = kept.clip_end
    turns = kept.drawing_with(np.random.default_rng(1))
    apart = turns._apart
    before = np.flatnonzero(turns.starts(0) == 2 * BAR).tolist()  # the bar before's takes
    assert len(before) == 2
    last = np.full(4, end + 3 * BAR)  # the last bar's downbeat
    varied = apart.varies(last).copy()
    assert not varied[before].any()
    onsets = np.full(4, end + 2 * BAR)
    struck = np.zeros((4, 128), dtype=bool)
    struck[:, [48, 55, 64]] = True  # the voices under the top, the loop's
    allowed = np.zeros((4, 128), dtype=bool)
    allowed[:, 69] = True  # the top voice's one pitch: one chord for both
    first, second = before
    top = np.full(4, 70)
    apart.apart(np.array([first]), onsets, top, np.full(4, 69), allowed, _lowest, struck)
    np.testing.assert_array_equal(apart.varies(last), varied)  # a chord of its own
    apart.apart(np.array([second]), onsets, top, np.full(4, 69), allowed, _lowest, struck)
    again = varied.copy()
    again[second] = True  # the chord made again: its take turns the next chord too
    np.testing.assert_array_equal(apart.varies(last), again)
    np.testing.assert_array_equal(turns.varies(last), again)
    np.testing.assert_array_equal(kept.varies(last), kept.starts(0) == 3 * BAR)


def test_each_request_s_copy_varies_where_its_own_places_lie() -> None:
    """The turns kept for a clip are copied for each request (``Turns.drawing_with``): the
    copy's notes vary where the copy's own places (drawn with the request's rng) put each
    take's turn, asked in any order, and the kept turns draw nothing."""
    kept = takes([(60 + i, i * 0.5) for i in range(8)], 1, seed=7)  # a bar of eighths
    end = kept.clip_end
    for seed in range(1, 9):
        turns = kept.drawing_with(np.random.default_rng(seed))
        assert turns._apart._turn_places is turns._turn_places
        assert turns._apart._turned_voicings is turns._turned_voicings
        drawn = {p: (turns.starts(p), turns.length(p)) for p in range(4)}
        for p in reversed(range(4)):  # the last phrase first: the places drawn already
            starts, length = drawn[p]
            for e in range(8):
                at = (4 * p + 3) * BAR + e * TURN
                inside = (at >= starts) & (at < starts + length)
                np.testing.assert_array_equal(turns._apart.varies(np.full(4, end + at)), inside)
    assert not kept._turn_places.turns
