"""Audio through FluidSynth: a soundfont found or named, one-line errors without them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from segue import render
from segue.errors import SegueError
from segue.render import find_soundfont, render_wav

REEL = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "reel.mid"


def test_a_named_soundfont_must_exist_and_none_found_says_what_to_install(
    tmp_path: Path, monkeypatch
) -> None:
    font = tmp_path / "piano.sf2"
    font.write_bytes(b"RIFF")
    assert find_soundfont(font) == font
    with pytest.raises(SegueError, match="no such soundfont file"):
        find_soundfont(tmp_path / "missing.sf2")
    monkeypatch.setattr(render, "SOUNDFONTS", (str(tmp_path / "nowhere.sf2"),))
    with pytest.raises(SegueError, match="no General MIDI soundfont found; install FluidSynth"):
        find_soundfont()


def test_without_fluidsynth_wav_says_what_to_install(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(SegueError, match="--wav needs the fluidsynth program"):
        render_wav(REEL, tmp_path / "reel.wav")


@pytest.mark.skipif(shutil.which("fluidsynth") is None, reason="FluidSynth is not installed")
def test_a_wav_is_rendered(tmp_path: Path) -> None:
    try:
        font = find_soundfont()
    except SegueError as exc:
        pytest.skip(str(exc))
    wav = render_wav(REEL, tmp_path / "reel.wav", font)
    assert wav.read_bytes()[:4] == b"RIFF" and wav.stat().st_size > 10_000
