"""What a request does to its takes after the last step (``segue.model.finished_takes``):
``--notes`` cut at whole chords, chords reduced, a long bar's takes doubled back, a drum
take's flams and hits; takes nothing finishes come back as made."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from request_plans import eighths, planned, tiny_net

from segue.grid import TICKS_PER_BEAT
from segue.midi_io import read_part
from segue.model.finished_takes import (
    FinishedTakes,
    _whole_chords,
    _whole_reduced,
    _with,
    _without_flams,
    finished_takes,
)
from segue.model.request_plan import RequestPlan
from segue.model.settings import GenerationParams
from segue.model.voices import arranged
from segue.notes import Clip, Note, TimeSignature

BEAT = TICKS_PER_BEAT
BEAT_MID = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "beat.mid"
CHORD = (48, 52, 55, 60)


def _finished(
    plan: RequestPlan, rows: list[np.ndarray], drums: bool = False, **settings: object
) -> FinishedTakes:
    """``rows`` finished as ``generate`` finishes them, at temperature 0 (no touch)."""
    params = GenerationParams(**settings).validated()  # type: ignore[arg-type]
    drawn = [np.ones(len(r), dtype=bool) for r in rows]
    ts = TimeSignature(plan.time.bar_ticks // BEAT, 4)
    return finished_takes(
        plan,
        params,
        rows,
        drawn,
        drums=drums,
        ts=ts,
        with_loop=False,
        greedy=True,
        rng=np.random.default_rng(0),
    )


def _chords(start: int, count: int, size: int = 4) -> np.ndarray:
    """``count`` chords of ``size`` notes (of :data:`CHORD`) a beat apart from ``start``,
    each a beat long, in the order played (the lowest first)."""
    return np.array(
        [[start + i * BEAT, p, BEAT, 90] for i in range(count) for p in CHORD[:size]],
        dtype=np.int64,
    )


def test_a_take_at_memory_1_comes_back_as_its_steps_made_it() -> None:
    plan = planned(tiny_net(), eighths(), bars=2, memory=1)
    assert plan.line.articulation is None and not plan.time.times
    take = np.array([[8 * BEAT + i * BEAT // 2, 60 + i, BEAT // 2, 90] for i in range(6)])
    done = _finished(plan, [take, take[:3]], bars=2, memory=1)
    assert [r.tolist() for r in done.rows] == [take.tolist(), take[:3].tolist()]
    assert (done.clip_end, done.end_tick) == (plan.time.clip_end, plan.time.end_tick)


def test_notes_cut_a_take_before_the_chord_that_would_pass_them() -> None:
    plan = planned(tiny_net(), eighths(), notes=6)
    take = _chords(8 * BEAT, 3)  # 12 notes: the second chord would pass 6
    done = _finished(plan, [take], notes=6)
    assert done.rows[0].tolist() == take[:4].tolist()
    assert done.end_tick is None  # a length in notes
    assert _whole_chords(take, 2).tolist() == take[:4].tolist()  # a first chord kept whole
    assert _whole_chords(take, 12) is take


def test_notes_count_the_chords_as_reduced_to_the_voices_asked() -> None:
    """Under --notes 2 --polyphony 1 a take of 4-note chords plays 2 notes, not half a
    chord."""
    take = _chords(8 * BEAT, 3)
    reduced = _whole_reduced(take, 1, 2, 0)
    assert len(reduced) == 2 and len(set(reduced[:, 0].tolist())) == 2
    assert _whole_reduced(take, 1, 12, 0).shape == (3, 4)  # one voice of each chord
    pad = Clip(tuple(Note(p, 4.0 * i, 4.0, 90) for i in range(4) for p in CHORD), 16.0)
    plan = planned(tiny_net(), pad, notes=2, polyphony=1)
    assert plan.time.reducing
    done = _finished(plan, [take], notes=2, polyphony=1)
    assert done.rows[0].tolist() == reduced.tolist()


def test_a_chord_part_s_takes_are_reduced_to_the_voices_asked() -> None:
    pad = Clip(tuple(Note(p, 4.0 * i, 4.0, 90) for i in range(4) for p in CHORD), 16.0)
    plan = planned(tiny_net(), pad, bars=2, polyphony=2)
    assert plan.line.limit.arranged and not plan.time.reducing
    take = _chords(16 * BEAT, 3)
    done = _finished(plan, [take], bars=2, polyphony=2)
    assert done.rows[0].tolist() == arranged(take, 2, plan.line.slack).tolist()
    assert len(done.rows[0]) == 6  # two voices of each chord


def test_a_long_bar_s_takes_come_back_in_its_own_note_values() -> None:
    """12/4, halved: the steps' notes, made at half their length, doubled back after the
    clip's own end, none past the end asked, and the clip's own end read after."""
    plan = planned(tiny_net(), eighths(bars=2, beats=12), bars=1)
    time = plan.time
    assert time.times == 1 and time.given_stop is not None
    take = np.array(
        [[time.clip_end + i * BEAT, 60 + i, BEAT, 90] for i in range(8)], dtype=np.int64
    )
    done = _finished(plan, [take], bars=1)
    assert (done.clip_end, done.end_tick) == (time.given_end, time.given_stop)
    starts = [time.given_end + 2 * i * BEAT for i in range(6)]  # 12 beats after the clip
    assert done.rows[0][:, 0].tolist() == starts
    assert done.rows[0][:, 2].tolist() == [2 * BEAT] * 6


def test_a_drum_take_strikes_no_pad_twice_at_once_and_keeps_to_its_notes() -> None:
    """A snare struck again a tick after itself is a flam nobody played: it goes, after
    --notes 4 cut the take at a whole onset (the flam counted), leaving 3 hits."""
    beat, drums = read_part(BEAT_MID)
    assert drums
    end = planned(tiny_net(drums=True), beat, bars=1).time.clip_end
    take = np.array(
        [[end, 36, 10, 110], [end, 42, 10, 80], [end + BEAT, 38, 10, 100]]
        + [[end + BEAT + 1, 38, 10, 90], [end + 2 * BEAT, 42, 10, 80], [end + 3 * BEAT, 36, 9, 99]],
        dtype=np.int64,
    )
    flam = [3]
    plan = planned(tiny_net(drums=True), beat, notes=4)
    done = _finished(plan, [take], drums=True, notes=4)
    assert done.rows[0].tolist() == take[:3].tolist()
    plan = planned(tiny_net(drums=True), beat, bars=1)
    done = _finished(plan, [take], drums=True, bars=1)
    assert done.rows[0].tolist() == np.delete(take, flam, axis=0).tolist()
    assert _without_flams(take).tolist() == done.rows[0].tolist()


def test_hits_added_to_a_take_go_in_time_order() -> None:
    rows = np.array([[0, 36, 10, 100], [96, 38, 10, 100]], dtype=np.int64)
    more = np.array([[48, 42, 10, 80], [0, 49, 10, 110]], dtype=np.int64)
    assert _with(rows, more)[:, :2].tolist() == [[0, 36], [0, 49], [48, 42], [96, 38]]
    assert _with(rows, more[:0]) is rows
