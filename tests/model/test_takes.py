"""Where each take varies the loop: a beat of its own in the last bar of every phrase."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.architecture import ModelConfig
from segue.model.loop import LoopHistory
from segue.model.takes import VariedBeats, varies_by_takes
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note, TimeSignature

BAR = 96
BEAT = 24


def takes(
    notes: list[tuple[int, float]], bars: int = 1, seed: int = 0, length: float = 0.5
) -> VariedBeats:
    """Four takes' beats on a clip of (pitch, start in beats) notes ``length`` beats long
    (eighths unless told), ``bars`` long."""
    clip = Clip(tuple(Note(p, t, length, 90) for p, t in notes), bars * 4.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return VariedBeats(made, rows[:, 2], 4, np.random.default_rng(seed))


def test_each_take_varies_its_own_beat_of_the_last_bar_of_every_phrase() -> None:
    varied = takes([(60 + i, i * 1.0) for i in range(4)])  # one bar of quarter notes
    end = varied.clip_end
    for phrase in (0, 1):
        starts = varied.starts(phrase)
        last_bar = (4 * phrase + 3) * BAR
        assert sorted(starts - last_bar) == [0, 24, 48, 72]  # four takes, four beats
        # a note varies where it falls in its take's beat, and nowhere else
        for beat in range(16):
            onsets = np.full(4, end + 4 * phrase * BAR + beat * BEAT + 12)
            inside = (onsets - end >= starts) & (onsets - end < starts + BEAT)
            np.testing.assert_array_equal(varied.varies(onsets), inside)
    assert not varied.varies(np.full(4, end - 1)).any()  # the clip is the clip's


def test_takes_share_beats_only_when_the_bar_has_too_few_and_skip_silent_ones() -> None:
    # a 4-bar loop with two notes in its last bar, none in beats 2 and 3
    starts = takes([(60, 0.0), (62, 4.0), (64, 8.0), (65, 12.0), (67, 14.5)], 4, 1).starts(0)
    beats = (starts - 3 * BAR) // BEAT
    assert set(beats) == {0, 2} and np.bincount(beats)[[0, 2]].tolist() == [2, 2]
    # a loop silent in its last bar: that phrase is kept as it is
    quiet = takes([(60, 0.0), (62, 4.0), (64, 8.0)], bars=4, seed=1)
    assert (quiet.starts(0) == -1).all()
    assert not quiet.varies(np.full(4, quiet.clip_end + 3 * BAR)).any()


def test_in_a_silent_last_bar_each_take_answers_in_a_beat_of_its_own() -> None:
    varied = takes([(60, 0.0), (62, 4.0), (64, 8.0)], bars=4, seed=1)  # bar 4 is silent
    end = varied.clip_end
    latest = np.full(4, end + 2 * BAR)  # the loop's note in bar 3; its next is a phrase later
    begin = varied.answers(latest, np.full(4, end + 4 * BAR))
    assert sorted((begin - end - 3 * BAR) // BEAT) == [0, 1, 2, 3]  # four takes, four beats
    # a take whose latest note is in its beat already has answered; a proposal that does not
    # pass over the silent bar asks no answer
    assert varied.answers(begin, np.full(4, end + 4 * BAR)).tolist() == [-1] * 4
    assert varied.answers(np.full(4, end), np.full(4, end + BAR)).tolist() == [-1] * 4
    # the next phrase has beats of its own
    later = varied.answers(latest + 4 * BAR, np.full(4, end + 8 * BAR))
    assert sorted((later - end - 7 * BAR) // BEAT) == [0, 1, 2, 3]


def test_a_bar_where_a_held_note_rings_on_is_not_silent() -> None:
    held = takes([(60, 0.0), (62, 4.0), (64, 8.0)], bars=4, length=6.0)  # into bar 4
    end = held.clip_end
    answers = held.answers(np.full(4, end + 2 * BAR), np.full(4, end + 4 * BAR))
    assert answers.tolist() == [-1] * 4 and (held.starts(0) == -1).all()  # kept as it is


def test_melodic_models_vary_by_takes_and_drum_models_by_fills() -> None:
    assert varies_by_takes(ModelConfig())
    assert not varies_by_takes(ModelConfig(drums=True))
