"""The plain-Python questions a step asks before its masks (segue.model.phrase_ends): each
gives the ``any`` of the NumPy mask it stands in front of (``TakesApart.varies``,
``AnswerCuts._figures_on``, ``answers`` and ``cut``), for every take alone and for takes
together, at the ticks around a phrase's ends: before the clip's end, on its edge, a tick
either side of the last bars' start, a phrase later."""

from __future__ import annotations

import itertools

import numpy as np

from segue.model.loop import PHRASE_BARS
from segue.model.phrase_ends import any_further, any_in_phrase_end, any_into_phrase_end

BAR, CLIP_END = 96, 4 * 4 * 96
PHRASE = PHRASE_BARS * BAR
# ticks around each edge a mask reads, from a bar before the clip's end to a phrase past it
TICKS = sorted(
    {
        CLIP_END + k * PHRASE + edge + nudge
        for k in (-1, 0, 1)
        for edge in (0, PHRASE - 2 * BAR, PHRASE - BAR, PHRASE // 2)
        for nudge in (-1, 0, 1)
    }
)


def _in_end_mask(onsets: np.ndarray, end: int) -> np.ndarray:
    """``TakesApart.varies``' and ``AnswerCuts._figures_on``' mask, as they read it."""
    after = onsets - CLIP_END
    return (after % PHRASE >= PHRASE - end) & (after >= 0)


def _into_end_mask(onsets: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``AnswerCuts.cut``'s mask (before its take's own state narrows it)."""
    after = onsets - CLIP_END
    last_bar = (after // PHRASE * PHRASE_BARS + PHRASE_BARS - 1) * BAR
    return (after >= 0) & (ends - CLIP_END > last_bar)


def test_a_note_in_a_phrase_s_last_bars_is_the_mask_s_take_by_take() -> None:
    for end in (BAR, 2 * BAR, PHRASE):
        mask = _in_end_mask(np.array(TICKS), end)
        for tick, wanted in zip(TICKS, mask.tolist(), strict=True):
            assert any_in_phrase_end([tick], CLIP_END, PHRASE, end) == wanted, (tick, end)
        for four in itertools.combinations(TICKS[::3], 4):
            wanted = bool(_in_end_mask(np.array(four), end).any())
            assert any_in_phrase_end(list(four), CLIP_END, PHRASE, end) == wanted, four
    assert any(_in_end_mask(np.array(TICKS), BAR))  # the ticks reach both answers
    assert not all(_in_end_mask(np.array(TICKS), BAR))


def test_a_note_held_into_a_phrase_s_last_bar_is_the_cut_s_mask_take_by_take() -> None:
    lengths = (1, BAR // 4, BAR, 2 * BAR + 1, PHRASE)
    rows = [(tick, tick + length) for tick in TICKS for length in lengths]
    onsets, ends = np.array(rows).T
    mask = _into_end_mask(onsets, ends)
    for (onset, end), wanted in zip(rows, mask.tolist(), strict=True):
        assert any_into_phrase_end([onset], [end], CLIP_END, PHRASE, BAR) == wanted, (onset, end)
    assert mask.any() and not mask.all()
    for four in itertools.combinations(rows[::7], 4):
        on, off = (list(column) for column in zip(*four, strict=True))
        wanted = bool(_into_end_mask(np.array(on), np.array(off)).any())
        assert any_into_phrase_end(on, off, CLIP_END, PHRASE, BAR) == wanted, four


def test_a_take_s_next_note_further_than_far_is_the_answers_mask_take_by_take() -> None:
    far = BAR - BAR // 2
    latest = np.array(TICKS)
    for gap in (0, far - 1, far, far + 1, BAR):
        proposed = latest + gap
        assert any_further(latest.tolist(), proposed.tolist(), far) == bool(
            (proposed - latest > far).any()
        )
    # one take of four further than far: the answer is yes, whichever it is
    for row in range(4):
        gaps = [0, 0, 0, 0]
        gaps[row] = far + 1
        assert any_further([0, 0, 0, 0], gaps, far)
    assert not any_further([0, 0, 0, 0], [far] * 4, far)
