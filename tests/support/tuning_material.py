"""Material for tuning tests: small folders of MIDI files in a style of their own, and the
settings that tune a tiny model on them in a second or two."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from segue.midi_io import write_midi
from segue.model.training.signals import StopFlag
from segue.model.tuning.fit import TuneSettings
from segue.notes import Clip, Note

QUICK = TuneSettings(seconds=2.0, lr=0.01, batch_size=8, window=32, patience=50, threads=1)
"""Two seconds of tuning in small batches at a high rate (for an untrained model), never
stopping early."""


def riff(index: int, bars: int = 8) -> Clip:
    """A bassline-like riff: eighth notes on a few pitches of A minor, varied by ``index``."""
    rng = random.Random(index)
    scale = [45, 48, 50, 52, 55, 57]
    cell = [rng.choice(scale) for _ in range(8)]
    notes = [
        Note(cell[i % 8] + (12 if rng.random() < 0.1 else 0), i * 0.5, 0.5, 100)
        for i in range(bars * 8)
    ]
    return Clip(tuple(notes), bars * 4.0)


def played(clip: Clip, seed: int = 0, late: float = 0.0) -> Clip:
    """``clip`` as a player plays it into Live: each note held 85-95% of its value (the
    finger lifts before the next note; Quantize leaves such ends as they are), and struck up
    to ``late`` beats off the grid either way (a few milliseconds)."""
    rng = random.Random(seed)
    notes = []
    for note in clip.notes:
        start = max(0.0, note.start + rng.uniform(-late, late))
        held = note.duration * rng.uniform(0.85, 0.95)
        notes.append(Note(note.pitch, start, held, note.velocity))
    return Clip(tuple(notes), clip.length, clip.time_signature)


def write_riffs(folder: Path, count: int, bars: int = 8, first: int = 0) -> list[Path]:
    """``count`` riff files in ``folder`` (riffs ``first``, ``first + 1``...)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_midi(riff(first + i, bars), folder / f"riff{i:02d}.mid") for i in range(count)]


@pytest.fixture(autouse=True, scope="module")
def own_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A segue home of the test module's own (import it into the module to use it): the
    models it installs are not seen by the tests of other modules (`segue models`, the
    device's saved menu)."""
    home = tmp_path_factory.mktemp("tuning-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SEGUE_HOME", str(home))
        yield home


class StopAfter(StopFlag):
    """A stop (Ctrl-C, a cancel) that comes after ``steps`` tuning steps: the tuning asks
    ``requested`` once before each step."""

    def __init__(self, steps: int) -> None:
        self.left = steps
        super().__init__()

    @property  # type: ignore[override]
    def requested(self) -> bool:
        self.left -= 1
        return self.left < 0

    @requested.setter
    def requested(self, value: bool) -> None:
        if value:
            self.left = 0
