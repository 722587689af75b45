"""`segue inspect`: the tracks of a MIDI file and the clip segue reads from it."""

from __future__ import annotations

from pathlib import Path

from tiny_training import one_line_error

from segue.midi_io import read_midi

REEL = Path(__file__).resolve().parents[3] / "examples" / "seeds" / "reel.mid"


def test_inspect_lists_tracks_and_the_clip_and_with_notes_every_note(segue_main) -> None:
    clip = read_midi(REEL)
    result = segue_main("inspect", REEL)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == str(REEL)
    assert any(line.lstrip().startswith("track ") for line in lines[1:])
    assert lines[-1].startswith(f"read: {len(clip)} notes, {clip.length:g} beats (")
    with_notes = segue_main("inspect", REEL, "--notes").stdout.splitlines()
    header = with_notes.index("  pitch    start  duration  velocity")
    rows = [line.split() for line in with_notes[header + 1 :]]
    assert [(int(p), int(v)) for p, _, _, v in rows] == [(n.pitch, n.velocity) for n in clip.notes]


def test_inspect_says_in_one_line_what_is_wrong(segue_main, tmp_path: Path) -> None:
    broken = tmp_path / "broken.mid"
    broken.write_bytes(b"MThd not really")
    one_line_error(segue_main("inspect", broken), str(broken))
    one_line_error(segue_main("inspect", REEL, "--track", "99"), "track")
