"""What a chord loop's takes work out once per request (``segue.model.takes.Turns``) stays
what working it out again at each use gives: a take's turned voices of a chord, the classes a
stab's turned voice keeps its chord with, the intervals its voices may sound."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

import segue.model.generate as generating
import segue.model.take_loops as take_loops
import segue.model.takes as takes
from segue.model import pitch_bits as bits
from segue.model.checkpoint import load_checkpoint
from segue.model.chord_clashes import ChordClashes
from segue.model.chord_voicings import ChordVoicings
from segue.model.generate import generate
from segue.model.intervals import interval_pairs
from segue.model.registry import find_model
from segue.model.settings import GenerationParams
from segue.model.takes import Turns
from segue.model.turned_voicings import TurnedVoicings
from segue.model.voicings import same_chord
from segue.notes import Clip, Note, TimeSignature


def _stabs(chords: list[tuple[int, ...]], step: float) -> Clip:
    """A chord a bar, struck every ``step`` beats (0.2 beats long), 100 on the beat, 75 off it."""
    notes = [
        Note(p, bar * 4 + i * step, 0.2, 100 if (i * step) % 1 == 0 else 75)
        for bar, chord in enumerate(chords)
        for i in range(round(4 / step))
        for p in chord
    ]
    return Clip(tuple(notes), 4.0 * len(chords))


GATE = _stabs([(57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62)], 0.25)
"""A trance gate: a triad on every 16th, Am F C G (bench_requests' dense chord request)."""
SEVENTHS = _stabs([(57, 60, 64, 67), (50, 53, 57, 60), (55, 59, 62, 65), (48, 52, 55, 59)], 0.5)
"""Close sevenths struck on every 8th (Am7 Dm7 G7 Cmaj7): coloured chords, shared voicings."""


class _Checked(Turns):
    """Turns that check each answer worked out once against the same worked out again
    (through their checking turned voicings, clashes and voicings below: made afresh, as
    ``generate`` keeps a clip's turns by the class that made them)."""

    checked = 0
    clashes = 0  # chord_clashing's answers checked


class _CheckedTurned(TurnedVoicings):
    """Turned voicings that check each answer worked out once against the same worked out
    again."""

    def turned_ranks(
        self, chord: np.ndarray, phrase: int, row: int, onset: int | None = None
    ) -> set[int]:
        kept = super().turned_ranks(chord, phrase, row, onset)
        assert kept == self._ranks_turned(chord, phrase, row, onset), (chord, phrase, row, onset)
        _Checked.checked += 1
        return kept


class _CheckedVoicings(ChordVoicings):
    """Voicings that check each answer worked out once against the same worked out again."""

    def same_chord_of(self, chord: np.ndarray, *voice: Any) -> np.ndarray:
        kept = super().same_chord_of(chord, *voice)  # (pitch, key, others[, third])
        again = np.tile(same_chord(chord, *voice), 11)[:128]
        assert np.array_equal(kept, again), (chord, voice[0], np.flatnonzero(voice[2]))
        _Checked.checked += 1
        return kept

    def same_chord_bits(
        self, chord: np.ndarray, pitch: int, key: np.ndarray | None, others: int
    ) -> int:
        kept = super().same_chord_bits(chord, pitch, key, others)
        again = np.tile(same_chord(chord, pitch, key, bits.to_array(others)), 11)[:128]
        assert kept == bits.from_array(again), (chord, pitch, others)
        _Checked.checked += 1
        return kept


class _CheckedClashes(ChordClashes):
    """Clashes that check each answer worked out once against the same worked out again."""

    def chord_clashing(
        self, rows: np.ndarray, onsets: np.ndarray, loop_pitches: np.ndarray, sounding: np.ndarray
    ) -> np.ndarray:
        kept = super().chord_clashing(rows, onsets, loop_pitches, sounding)
        again = self._chord_clashes(rows, onsets, loop_pitches, sounding)
        assert np.array_equal(kept, again), (rows, onsets, loop_pitches)
        _Checked.clashes += 1
        return kept

    def interval_pairs_of(self, line: bool) -> np.ndarray:
        kept = super().interval_pairs_of(line)
        intervals = self._line_intervals if line else self.intervals
        assert intervals is not None
        wide = self._line_wide if line else self._wide
        assert np.array_equal(kept, interval_pairs(intervals, wide))
        _Checked.checked += 1
        return kept


def _notes(result: generating.GenerationResult) -> list[list[tuple[int, float, float, int]]]:
    return [
        [(n.pitch, n.start, n.duration, n.velocity) for n in v.clip.notes]
        for v in result.variations
    ]


@pytest.mark.parametrize("clip", [GATE, SEVENTHS], ids=["gate", "sevenths"])
def test_a_chord_loop_s_turns_worked_out_once_are_what_they_are_worked_out_again(
    clip: Clip, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each take's turned voices of a chord (asked for every voice, at every step of the
    chord, by the loop's choice, the voicing and apart), a stab's same-chord classes (by the
    classes its other voices sound) and the loop's interval table are worked out once per
    request: a gate request asked for them hundreds of times (215-250 ms a request). Asked
    again at every use, they answer as the kept ones, and the takes are the same notes."""
    producer = load_checkpoint(find_model("producer")).model
    params = [GenerationParams(variations=4, bars=4, rng_seed=s, temperature=t) for s, t in
              ((1, 1.0), (2, 1.5), (3, 0.5))]  # fmt: skip
    plain = [_notes(generate(producer, clip, p)) for p in params]
    monkeypatch.setattr(take_loops, "Turns", _Checked)
    monkeypatch.setattr(takes, "TurnedVoicings", _CheckedTurned)  # a take's turned voices
    monkeypatch.setattr(takes, "ChordClashes", _CheckedClashes)  # its clashes too
    monkeypatch.setattr(takes, "ChordVoicings", _CheckedVoicings)  # and its voicings
    _Checked.checked = _Checked.clashes = 0
    checked = [_notes(generate(producer, clip, p)) for p in params]
    assert _Checked.checked > 100  # the caches were asked, and answered as worked out again
    assert _Checked.clashes > 50
    assert checked == plain


def _fresh(model: Any) -> None:
    """``model`` with no takes' turns kept (``take_loops.TURNS_SLOT``): made afresh at its next
    request, as before they were kept."""
    model.__dict__.pop(take_loops.TURNS_SLOT, None)


_ASKED = GenerationParams(variations=4, bars=4, rng_seed=1)


@pytest.mark.parametrize(
    ("clip", "params"),
    [
        (GATE, _ASKED),  # the same request again: its next takes
        (GATE, replace(_ASKED, rng_seed=2)),
        (replace(GATE, notes=(replace(GATE.notes[0], pitch=59), *GATE.notes[1:])), _ASKED),
        (_stabs([(57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62)], 0.5), _ASKED),
        (replace(GATE, notes=tuple(replace(n, duration=0.24) for n in GATE.notes)), _ASKED),
        (replace(GATE, notes=tuple(replace(n, velocity=40) for n in GATE.notes)), _ASKED),
        (replace(GATE, length=20.0), _ASKED),
        (replace(GATE, time_signature=TimeSignature(6, 8)), _ASKED),
        (GATE, replace(_ASKED, variations=3)),
        (GATE, replace(_ASKED, temperature=0.5)),
        (GATE, replace(_ASKED, temperature=1.5)),
        (GATE, replace(_ASKED, low=64)),
    ],
    ids=[
        "again",
        "another-rng",
        "a-note-moved",
        "8ths",
        "longer-notes",
        "softer",
        "a-bar-longer",
        "6/8",
        "3-takes",
        "cool",
        "hot",
        "higher-range",
    ],
)
def test_takes_turns_kept_for_a_clip_are_what_they_are_made_afresh(
    clip: Clip, params: GenerationParams
) -> None:
    """A clip's takes' turns are made once and kept with the model (``take_loops.kept_turns``: a
    trance gate's request made them again each time, 13 ms of 215), and a request draws in
    a copy of its own. After a request for the gate, a request for it again, or for a clip
    or settings that differ in any one thing the turns are made of (a note's pitch, length
    or velocity, the rhythm, the clip's length or meter, the takes, the temperature, the
    range), is the same notes as with no turns kept: never the gate's turns, stale."""
    producer = load_checkpoint(find_model("producer")).model
    _fresh(producer)
    afresh = _notes(generate(producer, clip, params))
    _fresh(producer)
    generate(producer, GATE, _ASKED)  # the gate's turns kept
    assert _notes(generate(producer, clip, params)) == afresh


def test_takes_turns_are_kept_for_the_latest_clips_only() -> None:
    """The turns kept are those of the latest ``architecture.READINGS`` clips (by the key
    that holds all they are made of): a musician's session of many clips keeps no more."""
    from segue.model.architecture import READINGS, Readings, per_weights

    producer = load_checkpoint(find_model("producer")).model
    _fresh(producer)
    params = GenerationParams(variations=2, bars=1, rng_seed=1)
    for semitones in range(READINGS + 4):
        moved = tuple(replace(n, pitch=n.pitch + semitones) for n in GATE.notes)
        generate(producer, replace(GATE, notes=moved), params)
    kept = per_weights(producer, take_loops.TURNS_SLOT, Readings)
    assert len(kept) == READINGS


def test_making_a_loop_s_turns_draws_nothing() -> None:
    """Making a clip's turns reads its loop and draws nothing (the turns kept for a clip are
    made with an rng of their own, and each request's copy draws with its own rng): a gate,
    a sevenths loop, an arpeggio and a bass line leave the rng where it was."""
    from segue.grid import clip_rows, to_ticks
    from segue.model.loop import LoopHistory
    from segue.model.vocab import Vocab, steps_of

    arp = Clip(
        tuple(Note(p, i * 0.25, 0.25, 100) for i, p in enumerate([57, 60, 64, 69] * 16)), 16.0
    )
    bass = Clip(tuple(Note(p, i * 2.0, 1.5, 100) for i, p in enumerate([33, 40, 29, 36] * 2)), 16.0)
    for clip in (GATE, SEVENTHS, arp, bass):
        rows = clip_rows(clip)
        steps = steps_of(rows, 96, Vocab())[1:]
        made = LoopHistory.of_seed(rows, steps, 96, to_ticks(clip.length), chords=True)
        assert made is not None
        rng = np.random.default_rng(7)
        before = rng.bit_generator.state
        turns = Turns(made, 4, rng)
        assert rng.bit_generator.state == before
        copy = turns.drawing_with(np.random.default_rng(8))
        assert copy._rng is not turns._rng
        # worked out once for every copy
        assert copy._voicings._plain_voiced is turns._voicings._plain_voiced
        assert (
            copy._turn_places.turns is not turns._turn_places.turns
        )  # each request's draws its own
