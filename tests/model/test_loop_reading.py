"""What a clip's last loop is, read once for its takes' turns: its notes, key and chords
(segue.model.loop_reading), its basses (segue.model.loop_basses), its kind and its turns'
length at a phrase's end (segue.model.turn_kinds); and each request's copy of the turns,
built of these parts, answering as turns made afresh with its rng."""

from __future__ import annotations

import numpy as np
from loop_turns import BAR

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.loop_basses import LoopBasses
from segue.model.loop_reading import read_loop
from segue.model.takes import Turns
from segue.model.turn_kinds import PartKind, phrase_turn
from segue.model.turn_sizes import TURN
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note, TimeSignature


def _history(notes: list[tuple[int, float, float]], bars: int) -> LoopHistory:
    """The loop history of a clip of (pitch, start, length in beats) notes, ``bars`` of 4/4."""
    clip = Clip(tuple(Note(p, t, d, 90) for p, t, d in notes), bars * 4.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return made


PAD = [(p, 4.0 * bar, 4.0) for bar, chord in enumerate([(57, 60, 64), (53, 57, 60)]) for p in chord]
"""Am F, a chord a bar held through it."""
STABS = [
    (p, 4.0 * bar + i + 0.5, 0.25)
    for bar, chord in enumerate([(57, 60, 64), (53, 57, 60)])
    for i in range(4)
    for p in chord
]
"""Am F struck on the four "and"s of each bar: house stabs."""
ALBERTI = [(p, 0.5 * i, 0.5) for i, p in enumerate([36, 43, 40, 43] * 2 + [31, 38, 35, 38] * 2)]
"""C2 G2 E2 G2, then G1 D2 B1 D2: a left hand's broken chords in eighths, a chord a bar."""
SPARSE = [(33, 0.0, 1.5), (40, 2.0, 1.5), (29, 4.0, 1.5), (36, 6.0, 1.5)]
"""A root on 1 and its fifth on 3: a sparse bass."""


def test_a_chord_loop_is_read_as_its_chords_and_a_line_as_its_key() -> None:
    pad = read_loop(_history(PAD, 2))
    assert pad.intervals is not None and sorted(pad.chords) == [0, BAR]
    assert pad.chords[BAR].tolist() == [53, 57, 60]
    assert pad.classes is not None and sorted(np.flatnonzero(pad.classes)) == [0, 4, 5, 9]
    assert pad.span == (53, 64) and pad.middle == 58.5
    line = read_loop(_history(ALBERTI, 2))
    assert line.intervals is None and not line.chords
    assert line.classes is not None and line.key is not None
    assert line.classes.sum() == 7 and line.classes[[0, 2, 4, 7, 11]].all()  # a scale of its notes
    assert line.onsets.tolist() == [12 * i for i in range(16)]  # ticks from the loop's start


def test_a_left_hand_s_basses_are_kept_and_its_notes_after_them_stay_over_them() -> None:
    left = read_loop(_history(ALBERTI, 2))
    basses = LoopBasses.of(left, moved=0, pulse=BAR // 4)
    assert basses.basses[0] == 36 and basses.basses[BAR] == 31
    assert {0, BAR} <= basses.lone  # each bar's downbeat, struck alone
    assert basses.floor[12] == 36 and basses.floor[BAR + 12] == 31
    at = left.clip_end + np.array([0, 12, BAR])
    assert basses.lone_bass(at).tolist() == [36, -1, 31]
    # a chord loop strikes no bass alone
    assert LoopBasses.of(read_loop(_history(PAD, 2)), 0, BAR // 4).lone == set()


def test_a_sparse_bass_and_stabs_are_told_apart_and_stabs_turn_longer() -> None:
    bass = read_loop(_history(SPARSE, 2))
    kind = PartKind.of(bass, LoopBasses.of(bass, 0, BAR // 4), TURN, 7, moved=0)
    assert kind.sparse and not kind.lead and not kind.stabs
    # moved up two octaves from where the musician played it, it is a bass still; played
    # there, a lead
    high = read_loop(_history([(p + 24, t, d) for p, t, d in SPARSE], 2))
    assert PartKind.of(high, LoopBasses.of(high, 24, BAR // 4), TURN, 7, moved=24).sparse
    assert PartKind.of(high, LoopBasses.of(high, 0, BAR // 4), TURN, 7, moved=0).lead
    stabs = read_loop(_history(STABS, 2))
    made = Turns(_history(STABS, 2), 4, np.random.default_rng(0))
    kind = PartKind.of(stabs, LoopBasses.of(stabs, 0, BAR // 4), TURN, 7, moved=0)
    assert kind.stabs and kind.keeps_chords and kind.strikes == 8
    assert phrase_turn(kind, stabs, TURN, made._voicings) > TURN  # a run of stabs
    cool = PartKind.of(stabs, LoopBasses.of(stabs, 0, BAR // 4), TURN, 2, moved=0)
    assert cool.cool and not cool.keeps_chords
    pad = read_loop(_history(PAD, 2))
    pad_kind = PartKind.of(pad, LoopBasses.of(pad, 0, BAR // 4), TURN, 7, moved=0)
    assert not pad_kind.stabs and phrase_turn(pad_kind, pad, TURN, made._voicings) == TURN


def test_each_copy_of_the_turns_answers_as_turns_made_afresh_with_its_rng() -> None:
    """A request's copy (``Turns.drawing_with``) draws its own takes' turns, after another
    copy drew its own: what it tells of them (where the turns lie, how many takes share a
    place, answer late, the basses, classes and span at each place) is what turns made
    afresh with its rng tell. A part of the copies that kept per-take state shared would
    answer with the other copy's draws."""
    for notes, bars in ((PAD, 2), (STABS, 2), (ALBERTI, 2), (SPARSE, 2)):
        history = _history(notes, bars)
        kept = Turns(history, 4, np.random.default_rng(0))
        end = kept.clip_end
        onsets = end + np.array([3 * BAR, 3 * BAR + 48, 7 * BAR + 24, 15 * BAR + 12])
        pitches = np.full(4, int(history.pitches[0]))
        for seed in (1, 2, 3):
            other = kept.drawing_with(np.random.default_rng(seed + 10))
            mine = kept.drawing_with(np.random.default_rng(seed))
            other.sharing(onsets, pitches), other.answering_late(onsets)  # draws first
            fresh = Turns(history, 4, np.random.default_rng(seed))
            for phrase in range(4):
                assert mine.starts(phrase).tolist() == fresh.starts(phrase).tolist()
            assert mine.sharing(onsets, pitches).tolist() == fresh.sharing(onsets, pitches).tolist()
            assert mine.answering_late(onsets).tolist() == fresh.answering_late(onsets).tolist()
            assert mine.lone_bass(onsets).tolist() == fresh.lone_bass(onsets).tolist()
            span, again = mine.span_at(onsets), fresh.span_at(onsets)
            assert (span is None) == (again is None)
            assert span is None or again is None or span.tolist() == again.tolist()
            classes, afresh = mine.classes_at(onsets), fresh.classes_at(onsets)
            assert classes is None or afresh is None or (classes == afresh).all()
