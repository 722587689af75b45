"""A clip read once for auto's choice, its generation and its slip (model.clip_reading)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import segue.model.feel as feel
from segue.grid import clip_rows
from segue.model.choice import ModelChooser
from segue.model.clip_reading import KEPT, clip_reading
from segue.model.feel import as_heard, as_written, hearing_of
from segue.model.generate import generate
from segue.model.registry import AUTO
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note


def played_line() -> Clip:
    """Two bars of a line played in: off the grid, held legato, a slip (the G#) in it."""
    pitches = [69, 72, 76, 74, 72, 71, 69, 67, 65, 67, 69, 72, 71, 68, 71, 69]
    notes = [
        Note(p, 0.25 + i * 0.5 + (0.012 if i % 3 else -0.009), 0.53, 80 + (i % 4) * 5)
        for i, p in enumerate(pitches)
    ]
    return Clip(tuple(notes), 8.5)


def forget_readings() -> None:
    from segue.model import clip_reading as module

    module._read.cache_clear()


@pytest.fixture
def readings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each reading of a melodic clip's timing (``feel.hearing_of`` asks who rolls a chord)."""
    counted: list[int] = []
    real = feel.rolled_voices
    monkeypatch.setattr(feel, "rolled_voices", lambda notes: counted.append(1) or real(notes))
    return counted


def test_a_new_clip_is_read_once_for_auto_s_choice_its_generation_and_its_slip(
    readings: list[int],
) -> None:
    # the musician's first press on a clip: auto's choice read it as written, generation
    # read it so again, and a request in --key auto a third time to name its slip
    clip = played_line()
    chooser = ModelChooser(AUTO, bundled_only=True)
    name, loaded = chooser.choose(clip)
    params = GenerationParams(bars=2, variations=2, rng_seed=4, key="auto")
    result = generate(loaded.model, clip, params)
    result.slip_lines()
    assert len(readings) == 1
    # the next takes of the clip read it no more; the clip edited (one velocity) is read anew
    again = generate(loaded.model, clip, params)
    assert again.slip_lines() == result.slip_lines() and len(readings) == 1
    edited = replace(clip, notes=(replace(clip.notes[0], velocity=60), *clip.notes[1:]))
    chooser.choose(edited)
    generate(loaded.model, edited, params)
    assert len(readings) == 2
    # what a kept reading plays is what a fresh one plays
    forget_readings()
    assert generate(loaded.model, clip, params).variations == result.variations
    assert result.variations == again.variations and len(readings) == 3
    assert name == chooser.choose(clip)[0]


def test_a_reading_is_the_clip_as_generation_read_it_and_is_never_changed() -> None:
    line, beat = played_line(), load_beat()
    read = clip_reading(line)
    hearing = hearing_of(line)
    assert read.clip == as_written(line) and read.hearing == hearing
    assert read.ends is not None and len(read.ends) == len(line.notes)
    assert (read.rows == clip_rows(as_written(line))).all()
    with pytest.raises(ValueError):
        read.rows[0, 1] = 0  # shared by every request for the clip: read-only
    kit = clip_reading(beat, drums=True)  # a beat's hits as heard, each pad where it lies
    assert kit.clip == as_heard(beat, hearing_of(beat, drums=True)) and kit.ends is None
    assert clip_reading(beat, drums=True) is kit and clip_reading(beat) is not kit


def test_the_latest_clips_readings_are_kept(readings: list[int]) -> None:
    forget_readings()
    clips = [replace(played_line(), length=8.5 + i / 4) for i in range(KEPT + 1)]
    for clip in clips:
        clip_reading(clip)
    assert len(readings) == KEPT + 1
    clip_reading(clips[-1])
    clip_reading(clips[1])
    assert len(readings) == KEPT + 1  # the latest KEPT
    clip_reading(clips[0])
    assert len(readings) == KEPT + 2  # the oldest forgotten


def load_beat() -> Clip:
    from segue.midi_io import read_part

    beat, drums = read_part(Path(__file__).parents[2] / "examples" / "seeds" / "beat.mid")
    assert drums
    return beat
