"""What a request reads on its clip before the first step (``segue.model.request_plan``):
the clip's time and budget, its pitch room, its line and what a drum clip adds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from request_plans import eighths as _line
from request_plans import planned as _plan
from request_plans import tiny_net as _net

from segue.grid import TICKS_PER_BEAT
from segue.midi_io import read_part
from segue.model.keys import parse_key
from segue.model.request_plan import MAX_STEPS, playable_pitches, shape_room, takes_budget
from segue.model.settings import GenerationError, GenerationParams
from segue.model.voices import VoiceLimit
from segue.notes import Clip, Note, TimeSignature

BEAT = TICKS_PER_BEAT
BEAT_MID = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "beat.mid"


def test_a_line_s_time_and_budget_in_bars() -> None:
    plan = _plan(_net(), _line(), bars=4, variations=3)
    time = plan.time
    assert (time.bar_ticks, time.clip_end, time.times) == (4 * BEAT, 8 * BEAT, 0)
    assert time.end_tick == time.given_stop == 8 * BEAT + 16 * BEAT  # 4 bars after the clip
    assert time.given_end == time.clip_end and time.n_var == 3
    assert time.note_budget == time.most_steps  # a length in bars: the steps bound it
    assert time.first_by == 8 * BEAT  # 8ths round the loop: at once
    assert time.longest_rest == 0  # legato 8ths: never silent
    assert time.grid is not None and plan.looped.shape == plan.rows.shape


def test_a_length_in_notes_asks_one_more_and_no_end() -> None:
    plan = _plan(_net(), _line(), notes=20)
    assert plan.time.end_tick is None and plan.time.given_stop is None
    assert plan.time.note_budget == 21  # one more, to see whether the last chord was whole


def test_a_bar_longer_than_the_model_s_is_read_halved() -> None:
    """12/4 is 288 ticks a bar, more than the model's 192: the clip's note values halved,
    its end and the takes' end with them; the given ones kept to double back."""
    plan = _plan(_net(), _line(bars=2, beats=12), bars=1)
    time = plan.time
    assert time.times == 1
    assert time.bar_ticks == 12 * BEAT // 2
    assert (time.given_end, time.clip_end) == (24 * BEAT, 12 * BEAT)
    assert (time.given_stop, time.end_tick) == (36 * BEAT, 18 * BEAT)
    assert int(plan.rows[1, 0]) == BEAT // 4  # the second 8th, at a 16th's tick


def test_the_pitch_room_is_the_key_in_the_range() -> None:
    plan = _plan(_net(), _line(), key="C major", low=60, high=72)
    c_major = parse_key("C major")
    assert where(plan.pitch.static_pitch) == [
        p for p in range(60, 73) if p % 12 in c_major.pitch_classes()
    ]
    assert plan.pitch.in_key is not None and plan.pitch.in_key.sum() > 70  # any octave
    assert where(plan.pitch.in_range) == list(range(60, 73))
    assert plan.pitch.shape is None and plan.pitch.shape_roots == ()


def test_a_part_in_octaves_reads_its_shape_and_roots() -> None:
    roots = (36, 36, 43, 41) * 4
    notes = tuple(Note(p + o, i * 0.5, 0.4, 100) for i, p in enumerate(roots) for o in (0, 12))
    plan = _plan(_net(), Clip(notes, 8.0), bars=2)
    assert plan.pitch.shape == (0, 12)
    assert plan.pitch.shape_roots == (0, 5, 7)  # C, F, G
    assert plan.line.chord_voices == 2  # struck together before the line moves on
    assert plan.pitch.ceiling <= 127 - 12  # the octave above the root stays in range


def test_memory_0_keeps_the_clip_s_rests_and_pulse_itself() -> None:
    walk = (36, 40, 43, 45, 41, 45, 48, 50) * 2
    bass = Clip(tuple(Note(p, float(i), 0.95, 90) for i, p in enumerate(walk)), 16.0)
    kept = _plan(_net(), bass, bars=2, memory=0)
    assert kept.line.steady_pulse is not None and kept.line.articulation is not None
    looping = _plan(_net(), bass, bars=2, memory=1)
    assert looping.line.steady_pulse is None and looping.line.rests is None
    assert looping.line.articulation is None  # at memory 1 the loop keeps it


def test_a_drum_clip_reads_its_groove_and_fills() -> None:
    beat, drums = read_part(BEAT_MID)
    assert drums
    plan = _plan(_net(drums=True), beat, bars=4, fills="phrase")
    assert plan.drum.fills is not None and plan.drum.groove is not None
    assert plan.drum.steady  # the beat's backbone
    fills = plan.drum.fills
    assert set(plan.drum.under_fill) == set(fills.lengths())  # by the fill's length,
    assert all(36 in kicks for kicks in plan.drum.under_fill.values())  # the kick held under it
    assert plan.pitch.in_key is None and plan.line.hands is None
    assert plan.time.first_by is None and plan.line.lean is None
    assert plan.time.times == 0  # drums keep their ticks
    pads = {int(p) for p in plan.rows[:, 1]}
    assert set(where(plan.pitch.static_pitch)) == pads  # the clip's kit


def test_a_line_reads_nothing_of_a_drum_s() -> None:
    plan = _plan(_net(), _line(), bars=2, fills="phrase")
    drum = plan.drum
    assert drum.fills is None and drum.groove is None and drum.backbeat is None
    assert drum.steady == frozenset() and drum.under_fill == {} and not len(drum.roll_pads)


def test_a_kit_with_no_pad_in_the_range_is_refused_in_one_line() -> None:
    beat, _ = read_part(BEAT_MID)
    with pytest.raises(GenerationError, match="no pad of the clip's kit lies in the range"):
        _plan(_net(drums=True), beat, bars=1, low=100, high=110)


def where(mask: np.ndarray) -> list[int]:
    return [int(i) for i in np.flatnonzero(mask)]


def test_a_key_with_no_pitch_in_the_range_is_refused_in_one_line() -> None:
    params = GenerationParams(bars=1, low=61, high=61)
    rows = np.zeros((0, 4), dtype=np.int64)
    with pytest.raises(GenerationError, match="no pitch of C major lies in the range 61-61"):
        playable_pitches(rows, params, parse_key("C major"), drums=False)
    assert where(playable_pitches(rows, params, parse_key("C# major"), drums=False)) == [61]


def test_the_takes_budget_in_notes_bars_and_beats() -> None:
    free, waltz = VoiceLimit(), TimeSignature(3, 4)
    in_notes = GenerationParams(notes=20).validated()
    assert takes_budget(in_notes, free, 8 * BEAT, waltz) == (MAX_STEPS, None, 21)
    in_bars = GenerationParams(bars=2).validated()
    assert takes_budget(in_bars, free, 8 * BEAT, waltz) == (MAX_STEPS, 14 * BEAT, MAX_STEPS)
    in_beats = GenerationParams(beats=5).validated()
    assert takes_budget(in_beats, free, 0, waltz) == (MAX_STEPS, 5 * BEAT, MAX_STEPS)


def test_a_shape_s_roots_keep_the_whole_shape_in_the_range() -> None:
    octaves = np.array(
        [[i * BEAT, p + o, BEAT, 100] for i, p in enumerate((48, 55)) for o in (0, 12)]
    )
    in_range = np.zeros(128, dtype=bool)
    in_range[48:73] = True
    room = shape_room(octaves, (0, 12), in_range, _line(), parse_key("C major"), None)
    assert room.shape_roots == (0, 7)  # C and G
    assert where(room.roots_in_range) == list(range(48, 61))  # the octave above in range too
    assert room.keyed is not None and room.keyed[48] and not room.keyed[49]  # C#: out of key
