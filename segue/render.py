"""Audio from MIDI through FluidSynth, when it is installed, with a soundfont found where
each OS keeps one."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from segue.errors import SegueError
from segue.files import write_file_atomically
from segue.home import segue_home

LINUX_SOUNDFONTS = (
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/soundfonts/FluidR3_GM.sf2",
    "/usr/share/soundfonts/default.sf2",
)
MACOS_SOUNDFONTS = (
    "~/Library/Audio/Sounds/Banks",  # the Mac's folder for sound banks: any .sf2 in it
    "/Library/Audio/Sounds/Banks",
    "/opt/homebrew/share/soundfonts/default.sf2",  # Homebrew's fluid-synth looks here
    "/usr/local/share/soundfonts/default.sf2",
)
WINDOWS_SOUNDFONTS = (
    "C:/soundfonts/default.sf2",  # FluidSynth's own default on Windows
    "%LOCALAPPDATA%/Sounds/Banks",
    "%ProgramFiles%/Common Files/Sounds/Banks",
)
INSTALL_HINTS = {
    "linux": "install FluidSynth and a General MIDI soundfont (Debian/Ubuntu: apt-get install "
    "fluidsynth fluid-soundfont-gm)",
    "darwin": "install FluidSynth (brew install fluid-synth) and put a General MIDI soundfont "
    "(.sf2, such as FluidR3_GM.sf2) in ~/Library/Audio/Sounds/Banks",
    "win32": "install FluidSynth (its Windows release, with fluidsynth.exe on PATH) and put a "
    "General MIDI soundfont (.sf2, such as FluidR3_GM.sf2) in C:\\soundfonts as default.sf2",
}


def soundfont_places(
    platform: str | None = None, environ: Mapping[str, str] | None = None
) -> list[Path]:
    """Where a soundfont is looked for, in order: a file, or a folder whose first .sf2 counts.

    First segue's home (``soundfonts`` in it, on every OS), then where ``platform``
    (``sys.platform``) keeps them."""
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    system = (
        WINDOWS_SOUNDFONTS
        if platform == "win32"
        else MACOS_SOUNDFONTS
        if platform == "darwin"
        else LINUX_SOUNDFONTS
    )
    variables = {name.upper(): value for name, value in environ.items()}  # Windows: any case
    places = [segue_home() / "soundfonts"]
    for place in system:
        named = re.findall(r"%([^%]+)%", place)
        if all(name.upper() in variables for name in named):
            for name in named:
                place = place.replace(f"%{name}%", variables[name.upper()])
            places.append(Path(place).expanduser())
    return places


def install_hint(platform: str | None = None, soundfont: bool = True) -> str:
    """How to get FluidSynth and a soundfont on this OS, in one clause; with ``soundfont``
    (the soundfont is what is missing) also the other places a soundfont may be."""
    hint = INSTALL_HINTS.get(platform or sys.platform, INSTALL_HINTS["linux"])
    if not soundfont:
        return hint
    return (
        f"{hint}; a soundfont may also go in {segue_home() / 'soundfonts'}, or be named "
        "with --soundfont FILE"
    )


def is_soundfont(path: Path) -> bool:
    """Whether ``path`` begins as a soundfont does (SF2 and SF3: a RIFF file of form "sfbk").
    FluidSynth given another file plays its own default soundfont without a word."""
    try:
        with open(path, "rb") as file:
            head = file.read(12)
    except OSError:
        return False
    return head[:4] == b"RIFF" and head[8:12] == b"sfbk"


def find_soundfont(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise SegueError(f"{path}: no such soundfont file")
        if not is_soundfont(path):
            raise SegueError(f"{path}: not a soundfont (a .sf2 or .sf3 file); {install_hint()}")
        return path
    for place in soundfont_places():
        if place.is_file():
            return place
        if place.is_dir():
            found = sorted(p for p in place.glob("*.sf2") if p.is_file())
            if found:
                return found[0]
    raise SegueError(f"no General MIDI soundfont found; {install_hint()}")


def soundfont_notice(soundfont: str | os.PathLike[str] | None, wav: bool) -> str | None:
    """One line for a soundfont given without --wav (None otherwise): only --wav renders
    audio, and ``--soundfont gm.sf2`` alone wrote the MIDI and no audio without a word."""
    if soundfont is None or wav:
        return None
    return (
        "--soundfont has no effect without --wav (the soundfont is what --wav renders the "
        "takes' audio with); give --wav for their audio"
    )


def fluidsynth_program() -> str:
    """The fluidsynth program's path; one line that says how to install it when it is not
    there."""
    program = shutil.which("fluidsynth")
    if program is None:
        raise SegueError(
            f"--wav needs the fluidsynth program, which is not installed; "
            f"{install_hint(soundfont=False)}"
        )
    return program


def render_wav(
    midi_path: str | os.PathLike[str],
    wav_path: str | os.PathLike[str],
    soundfont: str | os.PathLike[str] | None = None,
    sample_rate: int = 44100,
) -> Path:
    """Render a MIDI file to a WAV file with the fluidsynth program.

    FluidSynth is given no name of the musician's: on Windows its command line comes in the
    ANSI code page, which has no letter for ``D:\\日本`` on a Western PC, and FluidSynth 2.2
    to 2.3.6 took those bytes for UTF-8, so that ``C:\\Users\\Zoë\\Music\\take.mid`` was
    "not a SoundFont or MIDI file" too (FluidSynth issues 880, 983, 1388, 1410). It renders
    a copy of the take in a folder of its own, by plain names (:func:`_fluidsynth_names`),
    and the WAV is moved into place."""
    program = fluidsynth_program()
    font = find_soundfont(soundfont).absolute()  # FluidSynth runs in another folder
    out = Path(wav_path)
    # a file a virus scan holds for a moment on Windows stays behind, the WAV written
    with tempfile.TemporaryDirectory(prefix="segue-wav-", ignore_cleanup_errors=True) as folder:
        work = Path(folder)
        shutil.copyfile(midi_path, work / _TAKE)
        result = subprocess.run(
            [program, "-ni", "-g", "0.8", "-r", str(sample_rate), *_fluidsynth_names(font, work)],
            cwd=work,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=300,
        )
        rendered = work / _AUDIO
        if result.returncode != 0 or not rendered.exists():
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise SegueError(
                f"fluidsynth could not render {midi_path}: {detail[-1] if detail else 'no output'}"
            )
        return write_file_atomically(out, lambda tmp: shutil.copyfile(rendered, tmp))


_TAKE, _AUDIO, _FONT = "take.mid", "take.wav", "font"
"""The names FluidSynth is given, in its working folder: the take, its audio, the soundfont."""


def _fluidsynth_names(font: Path, work: Path) -> list[str]:
    """FluidSynth's arguments after its options: ``-F`` the audio, the soundfont, the take,
    each an ASCII name in ``work`` (its working folder). The soundfont, where its path is
    not ASCII (a soundfont in segue's home, under ``C:\\Users\\Zoë``), is linked there as
    ``font.sf2`` (or ``.sf3``): a link, not a copy of its 140 MB; on a drive that takes no
    link, its path is given as it is."""
    named = str(font)
    if not named.isascii():
        linked = _FONT + (font.suffix if font.suffix.isascii() else "")
        try:
            os.link(font, work / linked)
            named = linked
        except OSError:
            pass
    return ["-F", _AUDIO, named, _TAKE]
