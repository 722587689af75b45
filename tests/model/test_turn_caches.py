"""What a chord loop's takes work out once per request (``segue.model.takes.Turns``) stays
what working it out again at each use gives: a take's turned voices of a chord, the classes a
stab's turned voice keeps its chord with, the intervals its voices may sound."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import segue.model.generate as generating
from segue.model.checkpoint import load_checkpoint
from segue.model.generate import generate
from segue.model.intervals import interval_pairs
from segue.model.registry import find_model
from segue.model.settings import GenerationParams
from segue.model.takes import Turns
from segue.model.voicings import same_chord
from segue.notes import Clip, Note


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
    """Turns that check each answer worked out once against the same worked out again."""

    checked = 0

    def _turned_ranks(
        self, chord: np.ndarray, phrase: int, row: int, onset: int | None = None
    ) -> set[int]:
        kept = super()._turned_ranks(chord, phrase, row, onset)
        assert kept == self._ranks_turned(chord, phrase, row, onset), (chord, phrase, row, onset)
        _Checked.checked += 1
        return kept

    def _same_chord(self, chord: np.ndarray, *voice: Any) -> np.ndarray:
        kept = super()._same_chord(chord, *voice)  # (pitch, key, others[, third])
        again = np.tile(same_chord(chord, *voice), 11)[:128]
        assert np.array_equal(kept, again), (chord, voice[0], np.flatnonzero(voice[2]))
        _Checked.checked += 1
        return kept

    def _interval_pairs(self, line: bool) -> np.ndarray:
        kept = super()._interval_pairs(line)
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
    monkeypatch.setattr(generating, "Turns", _Checked)
    _Checked.checked = 0
    checked = [_notes(generate(producer, clip, p)) for p in params]
    assert _Checked.checked > 100  # the caches were asked, and answered as worked out again
    assert checked == plain


def test_a_stab_s_same_chord_classes_are_kept_by_the_classes_its_other_voices_sound() -> None:
    """``Turns._same_chord`` answers once per chord, voice, key and the classes the other
    voices sound: a C chord's E3 turned under G3, or under G4 (the same classes), keeps C E G
    and its colours; under a G3 and a Bb3 (a seventh sounding already), C E G alone."""
    from segue.grid import clip_rows, to_ticks
    from segue.model.loop import LoopHistory
    from segue.model.vocab import Vocab, steps_of

    rows = clip_rows(GATE)
    steps = steps_of(rows, 96, Vocab())[1:]
    made = LoopHistory.of_seed(rows, steps, 96, to_ticks(GATE.length), chords=True)
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    chord = np.array([48, 52, 55])  # C3 E3 G3
    for sounding, classes in (
        ((55,), {0, 2, 4, 5, 7, 10, 11}),
        ((55, 58), {0, 4, 7}),
        ((67,), {0, 2, 4, 5, 7, 10, 11}),
        ((55, 70), {0, 4, 7}),
        ((55, 62), {0, 4, 7}),
    ):
        others = np.zeros(128, dtype=bool)
        others[list(sounding)] = True
        kept = turns._same_chord(chord, 52, None, others)
        assert np.array_equal(kept, np.tile(same_chord(chord, 52, None, others), 11)[:128])
        assert set((np.flatnonzero(kept) % 12).tolist()) == classes, sounding
