"""Audio through FluidSynth: where segue looks for a soundfont on each OS, a soundfont found
or named, one-line errors without them."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from segue import render
from segue.errors import SegueError
from segue.render import find_soundfont, render_wav, soundfont_places

REEL = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "reel.mid"


SF2_HEAD = b"RIFF" + (1000).to_bytes(4, "little") + b"sfbkLIST"


def test_a_named_soundfont_must_exist_and_be_one(tmp_path: Path, monkeypatch) -> None:
    font = tmp_path / "piano.sf2"
    font.write_bytes(SF2_HEAD)
    assert find_soundfont(font) == font
    with pytest.raises(SegueError, match="no such soundfont file"):
        find_soundfont(tmp_path / "missing.sf2")
    for other in (REEL, tmp_path / "wave.sf2"):  # FluidSynth would play its default instead
        if other != REEL:
            other.write_bytes(b"RIFF" + bytes(4) + b"WAVEfmt ")
        with pytest.raises(SegueError, match=r"not a soundfont \(a .sf2 or .sf3 file\)"):
            find_soundfont(other)


def test_without_fluidsynth_wav_says_what_to_install(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(SegueError, match="--wav needs the fluidsynth program") as info:
        render_wav(REEL, tmp_path / "reel.wav")
    assert "--soundfont" not in str(info.value)  # a soundfont would not help


@pytest.mark.skipif(shutil.which("fluidsynth") is None, reason="FluidSynth is not installed")
def test_a_wav_is_rendered(tmp_path: Path) -> None:
    try:
        font = find_soundfont()
    except SegueError as exc:
        pytest.skip(str(exc))
    wav = render_wav(REEL, tmp_path / "reel.wav", font)
    assert wav.read_bytes()[:4] == b"RIFF" and wav.stat().st_size > 10_000


WINDOWS_FLUIDSYNTH = """import os, sys, wave
# FluidSynth as on Windows: its command line comes in the ANSI code page, and 2.2 to 2.3.6
# read those bytes as UTF-8, so a name that is not ASCII names no file it can open
for arg in sys.argv[1:]:
    if not arg.isascii():
        print(f"Parameter '{{arg}}' not a SoundFont or MIDI file or error occurred identifying it.")
        sys.exit(1)
if {real!r}:
    os.execv({real!r}, [{real!r}, *sys.argv[1:]])
out, font, midi = sys.argv[sys.argv.index("-F") + 1], sys.argv[-2], sys.argv[-1]
with open(font, "rb") as sf, open(midi, "rb") as mid:
    assert sf.read(12)[8:] == b"sfbk" and mid.read(4) == b"MThd"
with wave.open(out, "wb") as audio:
    audio.setnchannels(2), audio.setsampwidth(2), audio.setframerate(44100)
    audio.writeframes(bytes(4 * 44100))
"""


@pytest.mark.skipif(
    sys.platform == "win32", reason="the stand-in is a script; Windows has the real one"
)
def test_a_take_renders_from_a_folder_whose_name_is_not_ascii(tmp_path: Path) -> None:
    """On Windows FluidSynth cannot open a file whose path is not ASCII (its command line is
    ANSI, and 2.2 to 2.3.6 misread even "é"): `segue generate --wav` in a musician's folder
    (C:\\Users\\Zoë Müller, D:\\日本) wrote the takes and then stopped with "fluidsynth could not
    render" (helper-327). Here a stand-in for Windows' fluidsynth, which refuses any name
    that is not ASCII (and hands the rest to the real FluidSynth where there is one)."""
    real = shutil.which("fluidsynth")
    try:
        found = find_soundfont() if real else None
    except SegueError:
        real, found = None, None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "fluidsynth.py"
    script.write_text(WINDOWS_FLUIDSYNTH.format(real=real or ""), encoding="utf-8")
    program = bin_dir / "fluidsynth"  # sh, as a #! line stops at a space in Python's path
    program.write_text(
        f'#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(script))} "$@"\n',
        encoding="utf-8",
    )
    program.chmod(0o755)
    folder = tmp_path / "Zoë Müller" / "日本 🎹"
    folder.mkdir(parents=True)
    font = folder / "GeneralUser GS ✓.sf2"
    if found is None:
        font.write_bytes(SF2_HEAD)
    else:
        font.symlink_to(found.resolve())
    seed = shutil.copy(REEL, folder / "réel ✓.mid")
    result = subprocess.run(
        [sys.executable, "-m", "segue", "generate", str(seed), "-o", str(folder / "next 🎹.mid"),
         "-n", "1", "--wav", "--soundfont", str(font)],
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    wav = folder / "next 🎹.wav"
    assert wav.read_bytes()[:4] == b"RIFF" and f"{wav}: audio" in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [font.name, seed.name, "next 🎹.mid", wav.name]
    )


def test_segue_home_comes_first_then_the_oss_own_places(segue_home: Path) -> None:
    mac = soundfont_places("darwin", {})
    assert mac[0] == segue_home / "soundfonts"
    assert Path("~/Library/Audio/Sounds/Banks").expanduser() in mac
    assert Path("/opt/homebrew/share/soundfonts/default.sf2") in mac
    windows = soundfont_places("win32", {"LocalAppData": "D:/Users/Jörg/AppData/Local"})
    assert windows[1:] == [
        Path("C:/soundfonts/default.sf2"),
        Path("D:/Users/Jörg/AppData/Local/Sounds/Banks"),  # %ProgramFiles% unset: left out
    ]
    assert Path("/usr/share/sounds/sf2/FluidR3_GM.sf2") in soundfont_places("linux", {})


def test_a_soundfont_in_segues_home_is_found_on_any_os(segue_home: Path) -> None:
    folder = segue_home / "soundfonts"
    folder.mkdir(exist_ok=True)
    font = folder / "GeneralUser GS.sf2"
    font.write_bytes(SF2_HEAD)
    try:
        assert find_soundfont() == font
    finally:
        font.unlink()


def test_no_soundfont_says_how_to_get_one_on_this_os(monkeypatch) -> None:
    monkeypatch.setattr(render, "soundfont_places", lambda: [])
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(SegueError) as caught:
        find_soundfont()
    message = str(caught.value)
    assert message.startswith("no General MIDI soundfont found; install FluidSynth")
    assert "C:\\soundfonts" in message and message.endswith("or be named with --soundfont FILE")
