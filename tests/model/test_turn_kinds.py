"""What kind of part a loop is for its takes' turns, and how long its turns at a phrase's end
are (segue.model.turn_kinds)."""

from __future__ import annotations

import numpy as np
from loop_reads import PAD, SPARSE, STABS, history_of
from loop_turns import BAR

from segue.model.loop_basses import LoopBasses
from segue.model.loop_reading import read_loop
from segue.model.takes import Turns
from segue.model.turn_kinds import PartKind, phrase_turn
from segue.model.turn_sizes import TURN


def test_a_sparse_bass_and_stabs_are_told_apart_and_stabs_turn_longer() -> None:
    bass = read_loop(history_of(SPARSE, 2))
    kind = PartKind.of(bass, LoopBasses.of(bass, 0, BAR // 4), TURN, 7, moved=0)
    assert kind.sparse and not kind.lead and not kind.stabs
    # moved up two octaves from where the musician played it, it is a bass still; played
    # there, a lead
    high = read_loop(history_of([(p + 24, t, d) for p, t, d in SPARSE], 2))
    assert PartKind.of(high, LoopBasses.of(high, 24, BAR // 4), TURN, 7, moved=24).sparse
    assert PartKind.of(high, LoopBasses.of(high, 0, BAR // 4), TURN, 7, moved=0).lead
    stabs = read_loop(history_of(STABS, 2))
    made = Turns(history_of(STABS, 2), 4, np.random.default_rng(0))
    kind = PartKind.of(stabs, LoopBasses.of(stabs, 0, BAR // 4), TURN, 7, moved=0)
    assert kind.stabs and kind.keeps_chords and kind.strikes == 8
    assert phrase_turn(kind, stabs, TURN, made._voicings) > TURN  # a run of stabs
    cool = PartKind.of(stabs, LoopBasses.of(stabs, 0, BAR // 4), TURN, 2, moved=0)
    assert cool.cool and not cool.keeps_chords
    pad = read_loop(history_of(PAD, 2))
    pad_kind = PartKind.of(pad, LoopBasses.of(pad, 0, BAR // 4), TURN, 7, moved=0)
    # a pad's (held: its plain chords re-voiced) two bars, HELD_BARS; was TURN, as a cool
    # pad's still is
    assert not pad_kind.stabs and phrase_turn(pad_kind, pad, TURN, made._voicings) == 2 * BAR
    cool_pad = PartKind.of(pad, LoopBasses.of(pad, 0, BAR // 4), TURN, 2, moved=0)
    assert phrase_turn(cool_pad, pad, TURN, made._voicings) == TURN


def test_a_whole_bar_s_turns_may_lie_in_any_bar_of_the_phrase() -> None:
    from segue.model.loop import PHRASE_BARS
    from segue.model.turn_kinds import TURN_BARS, turn_reach

    assert turn_reach(TURN, BAR) == TURN_BARS
    assert turn_reach(BAR, BAR) == PHRASE_BARS


def test_a_pad_s_held_chords_are_re_voiced_at_the_temperature_s_own_turn() -> None:
    """A pad (a chord loop struck twice a bar or fewer) is ``held``: its turned chord is
    re-voiced, its voicing the rng's choice (``TurnedVoicings._plain_aim``); a run of stabs
    keeps its chords as before, cool takes turn one voice near its own, and a wilder turn
    (a quarter note, -t 1.3) turns as many voices as it has, the network's."""
    pad = read_loop(history_of(PAD, 2))
    basses = LoopBasses.of(pad, 0, BAR // 4)
    kind = PartKind.of(pad, basses, TURN, 7, moved=0)
    assert kind.held and not kind.stabs and not kind.keeps_chords
    assert not PartKind.of(pad, basses, TURN, 2, moved=0).held  # cool
    assert not PartKind.of(pad, basses, 2 * TURN, 7, moved=0).held  # a wilder turn
    stabs = read_loop(history_of(STABS, 2))
    assert not PartKind.of(stabs, LoopBasses.of(stabs, 0, BAR // 4), TURN, 7, moved=0).held


def test_a_pad_of_plain_chords_turns_two_bars_and_a_pad_of_sevenths_an_eighth() -> None:
    """A take re-voiced one chord of a pad, and a close triad near the top of its part's range
    has two or three voicings there: the takes of 6 requests were 7 to 14 of 24 (helper-312).
    A pad of plain chords turns two bars now (HELD_BARS), the chord it begins on and those
    after it; a pad of sevenths, whose takes share a coloured chord's clear voicings, an
    eighth, as before (and one of dyads: test_generate's lead with a grace a step above each
    note)."""
    from segue.model.turn_kinds import HELD_BARS

    assert HELD_BARS == 2
    pad = read_loop(history_of(PAD, 2))
    made = Turns(history_of(PAD, 2), 4, np.random.default_rng(0))
    kind = PartKind.of(pad, LoopBasses.of(pad, 0, BAR // 4), TURN, 7, moved=0)
    assert kind.held and phrase_turn(kind, pad, TURN, made._voicings) == HELD_BARS * BAR
    sevenths = [(50, 53, 57, 60), (55, 59, 62, 65)]  # Dm7 G7, a chord a bar
    notes = [(p, 4.0 * bar, 4.0) for bar, chord in enumerate(sevenths) for p in chord]
    read = read_loop(history_of(notes, 2))
    made = Turns(history_of(notes, 2), 4, np.random.default_rng(0))
    kind = PartKind.of(read, LoopBasses.of(read, 0, BAR // 4), TURN, 7, moved=0)
    assert kind.held and phrase_turn(kind, read, TURN, made._voicings) == TURN


def test_a_pad_of_chords_held_a_beat_or_longer_is_sustained_a_stab_once_a_bar_is_not() -> None:
    """A pad's chords held through the bar (whole notes, half notes) are ``sustained``: a
    keyboard player re-voicing them may lift their top voice past the loop's
    (``voicings.opened_span``); a chord loop struck once a bar with a 16th is a pad's kind
    too (``held``, its turn two bars), but a stab, whose takes keep its part's range."""
    from segue.model.turn_kinds import SUSTAINED

    assert SUSTAINED == BAR // 4  # a beat
    pad = read_loop(history_of(PAD, 2))
    basses = LoopBasses.of(pad, 0, BAR // 4)
    assert PartKind.of(pad, basses, TURN, 7, moved=0).sustained
    assert not PartKind.of(pad, basses, TURN, 2, moved=0).sustained  # cool: not held
    once = [(p, t, 0.25) for p, t, _ in PAD]
    stab = read_loop(history_of(once, 2))
    kind = PartKind.of(stab, LoopBasses.of(stab, 0, BAR // 4), TURN, 7, moved=0)
    assert kind.held and not kind.sustained


def test_two_bars_are_a_pad_of_triads_turn_and_no_other_length_is():
    from segue.model.turn_kinds import HELD_BARS, turns_two_bars

    bar = 1920
    assert turns_two_bars(HELD_BARS * bar, bar)
    assert not turns_two_bars(bar, bar) and not turns_two_bars(bar // 2, bar)
