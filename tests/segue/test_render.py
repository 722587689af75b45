"""Where segue looks for a soundfont on each OS, and what it says when there is none."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from segue import render
from segue.errors import SegueError
from segue.render import find_soundfont, soundfont_places


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
    font.write_bytes(b"RIFF")
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
    assert "C:\\soundfonts" in message and message.endswith("or pass --soundfont FILE")
