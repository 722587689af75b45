"""Continuing a clip of Live through AbletonOSC: names of the new clips, the seed read from Live."""

from __future__ import annotations

from segue.bridge.abletonosc.clip import ClipInfo, LiveNote
from segue.bridge.live_continue import clip_name, seed_from_notes
from segue.notes import Note, TimeSignature


def test_clip_names() -> None:
    assert clip_name("  my   riff ", 2) == "my riff segue 2"
    assert clip_name("", 1) == "clip segue 1"
    assert len(clip_name("x" * 100, 12)) == 64


def test_the_seed_is_the_played_region_on_the_grid_without_muted_notes() -> None:
    info = ClipInfo(0, 0, "riff", 2.0, 4.0, TimeSignature(2, 4), "clip")
    notes = [
        LiveNote(60, 4.0, 0.33333334, 99.6),
        LiveNote(62, 4.33333334, 0.001, 80.0),
        LiveNote(64, 5.0, 1.0, 90.0, mute=True),
        LiveNote(65, 3.0, 1.0, 90.0),
        LiveNote(67, 6.0, 1.0, 90.0),
        LiveNote(60, 4.0, 1 / 3, 100.0),
    ]
    seed, left_out = seed_from_notes(info, notes)
    assert seed.notes == (Note(60, 0.0, 1 / 3, 100), Note(62, 1 / 3, 1 / 24, 80))
    assert (seed.length, seed.time_signature, left_out) == (2.0, TimeSignature(2, 4), 3)
