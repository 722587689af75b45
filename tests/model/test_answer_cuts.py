"""Where each take's answer begins in a phrase-end bar where the loop starts no note, the
figure it plays there, and the held note it cuts (segue.model.answer_cuts)."""

from __future__ import annotations

import numpy as np
from loop_turns import takes

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.takes import Turns
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note, TimeSignature

BAR = 96


def test_in_a_silent_last_bar_each_take_answers_where_the_clip_plays_in_its_bars() -> None:
    # notes on beats 1, 2.5 (bar 1), 2 (bar 2) and 3.5 (bar 3) of a bar; bar 4 is silent
    call = [(60, 0.0), (62, 1.5), (64, 4.0), (65, 5.0), (67, 8.0), (69, 10.5)]
    turns = takes(call, bars=4, seed=1)._answers
    end = turns.clip_end
    latest = np.full(4, end + 2 * BAR + 60)  # the loop's last note; its next is a phrase later
    begin = turns.answers(latest, np.full(4, end + 4 * BAR))
    assert sorted(begin - end - 3 * BAR) == [0, 24, 36, 60]  # four takes, four places
    # an answer plays on in the rhythm of the bar that starts a note where it begins, for
    # half a bar: the downbeat's, in the first bar's (its 1.5); a take whose latest note is
    # its answer's last has answered; a proposal that does not pass over the silent bar
    # asks no answer
    on = turns.answers(begin, np.full(4, end + 4 * BAR))
    np.testing.assert_array_equal(on, np.where(begin == end + 3 * BAR, begin + 36, -1))
    done = np.where(on >= 0, on, begin)
    assert turns.answers(done, np.full(4, end + 4 * BAR)).tolist() == [-1] * 4
    assert turns.figure(0).tolist() == [0, 36] and turns.figure(24).tolist() == [24]
    assert turns.answers(begin, begin + 12).tolist() == [-1] * 4  # the loop's note first
    assert turns.answers(np.full(4, end), np.full(4, end + BAR)).tolist() == [-1] * 4
    # the next phrase has answers of its own, in the same places
    later = turns.answers(latest + 4 * BAR, np.full(4, end + 8 * BAR))
    assert sorted(later - end - 7 * BAR) == [0, 24, 36, 60]
    # a clip that only plays on downbeats is answered on the downbeat, by every take
    downbeats = takes([(60, 0.0), (62, 4.0), (64, 8.0)], bars=4, seed=1)._answers
    begin = downbeats.answers(latest, np.full(4, end + 4 * BAR))
    assert (begin == end + 3 * BAR).all()


def test_a_note_held_into_a_takes_answer_stops_where_the_answer_begins() -> None:
    turns = takes([(60, 0.0), (62, 4.0), (64, 8.0)], bars=4, seed=2)._answers  # bar 4: nothing
    end = turns.clip_end
    begin = turns.answers(np.full(4, end + 2 * BAR), np.full(4, end + 4 * BAR))
    assert (begin >= end + 3 * BAR).all()
    held = np.full(4, end + 2 * BAR)  # bar 3's note, held to the phrase's end
    np.testing.assert_array_equal(turns.cut(held, held + 2 * BAR), begin)
    short = held + 12  # an eighth: it stops before any answer
    np.testing.assert_array_equal(turns.cut(held, short), short)
    # in a phrase whose last bar starts notes of the loop (in its second half too: else a
    # line's takes answer there), nothing is cut
    every_bar = takes([(60, 0.0), (62, 4.0), (64, 8.0), (65, 12.0), (67, 14.0)], bars=4)._answers
    ring = np.full(4, every_bar.clip_end + 2 * BAR)
    np.testing.assert_array_equal(every_bar.cut(ring, ring + 2 * BAR), ring + 2 * BAR)


def _bass() -> Turns:
    """A bass of half notes (A1 A1 F1 F1 G1) whose G1 is held through the phrase's last
    bar, which starts no note: every take answers there, and cuts the G1."""
    notes = [(p, 2.0 * i) for i, p in enumerate((45, 45, 41, 41, 43))]
    return takes(notes, bars=4)


def test_the_note_an_answer_cuts_is_the_one_its_clashes_keep_it_off_until_it_is_played() -> None:
    """The cut (``AnswerCuts.cut``) and the clash (``Turns.clashing``) read one array of the
    pitch each take's answer cut: a G1 cut for the answer is no pitch of it, a semitone over
    it is clear; once the answer is played (``AnswerCuts.held_on``) the G1 is free again. So
    in each request's copy of the turns, whose cuts are its own: the kept turns cut nothing."""
    kept = _bass()
    sounding = np.zeros((4, 128), dtype=bool)
    at = np.full(4, kept.clip_end + 3 * BAR)
    for seed in (1, 2):
        turns = kept.drawing_with(np.random.default_rng(seed))
        answers = turns._answers
        assert answers._turn_places is turns._turn_places  # the copy's own places
        assert turns.clashing(np.arange(4), at, np.full(4, 45), sounding) is None  # no cut yet
        answers.cut(at - BAR, at + BAR, np.full(4, 43))  # the G1, held into the last bar
        assert answers.cut_pitch.tolist() == [43] * 4
        fits = turns.clashing(np.arange(4), at, np.full(4, 45), sounding)
        assert fits is not None and (fits[:, 43] == 0).all() and (fits[:, 44] == 1).all()
        played = np.array([True, False, False, False])
        answers.held_on(played, at, np.full(4, 12))  # take 0's answer is played
        fits = turns.clashing(np.arange(4), at, np.full(4, 45), sounding)
        assert fits is not None and fits[0, 43] != 0 and (fits[1:, 43] == 0).all()
    assert kept._answers.cut_pitch.tolist() == [-1] * 4  # the kept turns' cut nothing
    assert kept.clashing(np.arange(4), at, np.full(4, 45), sounding) is None


def test_an_answer_that_took_a_held_chord_s_voice_varies_near_that_voice_and_holds_on() -> None:
    """A pad held through the phrase's last bar: its top voice is cut for the answer and the
    voices under it ring on (``AnswerCuts._under_top``); the answer varies near the voice it
    cut (``voice_answered``) and sounds on to where that voice would have ended, no further
    (``held_on``); asked of the answers and of the turns alike."""
    chord = (57, 60, 64)  # A3 C4 E4, struck once, held through 4 bars
    notes = [Note(p, 0.0, 15.9, 80) for p in chord]
    clip = Clip(tuple(notes), 16.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(16.0))
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(1))
    answers = turns._answers
    end = turns.clip_end
    begin = turns.answers(np.full(4, end), np.full(4, end + 4 * BAR))
    assert (begin == end + 3 * BAR).all()
    struck = np.full(4, end)
    ring = end + 4 * BAR - 10
    for pitch in chord[:2]:  # the voices under the top ring on
        cut = answers.cut(struck, np.full(4, ring), np.full(4, pitch))
        assert (cut == ring).all(), pitch
    cut = answers.cut(struck, np.full(4, ring), np.full(4, 64))  # the top voice makes way
    np.testing.assert_array_equal(cut, begin)
    rows_ = np.arange(4)
    answering = np.ones(4, dtype=bool)
    near = turns.voice_answered(rows_, np.full(4, 57), answering)
    assert near.tolist() == [64] * 4  # the voice cut, not the loop's next note
    assert answers.voice_answered(rows_, np.full(4, 57), ~answering).tolist() == [57] * 4
    lengths = turns.held_on(answering, begin, np.full(4, 12))
    np.testing.assert_array_equal(lengths, ring - begin)  # on to where the E4 would end
    assert answers.cut_pitch.tolist() == [-1] * 4  # played: nothing cut any more


def test_a_cut_and_answers_where_no_phrase_answers_are_the_full_way_s_and_ask_no_places() -> None:
    # cut returns the ends at once where each phrase its notes reach into is drawn already
    # and answers nowhere (a trance gate's every bar starts notes), and the answers' figures
    # none: the same ends, answers and state as the full way, whose loops over those phrases
    # do nothing; a phrase not drawn yet takes the full way and is drawn there, in the order
    # it was
    import copy

    triads = [(57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62)]
    gate = [
        (p, bar * 4.0 + k / 4) for bar, chord in enumerate(triads) for k in range(16) for p in chord
    ]
    rng = np.random.default_rng(5)
    skipped = 0
    for turns in (takes(gate, bars=4, step=0.2), _bass()):
        answers = turns._answers
        end = answers.clip_end
        for _ in range(300):
            onsets = end + rng.integers(-BAR, 10 * BAR, 4)
            ends = onsets + rng.integers(1, 3 * BAR, 4)
            pitches = rng.integers(40, 70, 4)
            drawn = set(answers._turn_places.turns)
            nowhere = answers._answer_nowhere((onsets - end) // (4 * BAR))
            full = copy.deepcopy(answers)
            full._answer_nowhere = lambda phrases: False  # type: ignore[method-assign]
            expected = full.cut(onsets, ends, pitches)
            np.testing.assert_array_equal(answers.cut(onsets, ends, pitches), expected)
            proposed = onsets + rng.integers(1, 2 * BAR, 4)  # and the answers, the figures'
            expected = full.answers(onsets, proposed)
            np.testing.assert_array_equal(answers.answers(onsets, proposed), expected)
            for name in ("_held", "_cut_in", "cut_pitch", "_cut_onset"):
                np.testing.assert_array_equal(getattr(answers, name), getattr(full, name))
            assert set(answers._turn_places.turns) == set(full._turn_places.turns)
            if nowhere:
                assert set(answers._turn_places.turns) == drawn  # no new places asked
                skipped += 1
    assert skipped > 100
