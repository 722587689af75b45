"""Audio from MIDI through FluidSynth, when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from segue.errors import SegueError

SOUNDFONTS = (
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/soundfonts/FluidR3_GM.sf2",
    "/usr/share/soundfonts/default.sf2",
    "/opt/homebrew/share/soundfonts/default.sf2",
    "/usr/local/share/soundfonts/default.sf2",
)
INSTALL_HINT = (
    "install FluidSynth and a General MIDI soundfont (Debian/Ubuntu: apt-get install "
    "fluidsynth fluid-soundfont-gm; macOS: brew install fluid-synth) or pass --soundfont"
)


def find_soundfont(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise SegueError(f"{path}: no such soundfont file")
        return path
    for candidate in SOUNDFONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise SegueError(f"no General MIDI soundfont found; {INSTALL_HINT}")


def render_wav(
    midi_path: str | os.PathLike[str],
    wav_path: str | os.PathLike[str],
    soundfont: str | os.PathLike[str] | None = None,
    sample_rate: int = 44100,
) -> Path:
    """Render a MIDI file to a WAV file with the fluidsynth program."""
    program = shutil.which("fluidsynth")
    if program is None:
        raise SegueError(
            f"--wav needs the fluidsynth program, which is not installed; {INSTALL_HINT}"
        )
    font = find_soundfont(soundfont)
    out = Path(wav_path)
    result = subprocess.run(
        [
            program,
            "-ni",
            "-g",
            "0.8",
            "-r",
            str(sample_rate),
            "-F",
            str(out),
            str(font),
            str(midi_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 or not out.exists():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SegueError(
            f"fluidsynth could not render {midi_path}: {detail[-1] if detail else 'no output'}"
        )
    return out
