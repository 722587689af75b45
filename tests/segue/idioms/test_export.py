"""`segue idioms` writes the same files for the same rng seed, one folder per role."""

from __future__ import annotations

from pathlib import Path

import pytest

from segue.errors import SegueError
from segue.idioms.export import ROLES, chord_loops, write_idioms
from segue.midi_io import read_midi, write_midi
from segue.notes import Clip, Note


def test_roles_write_files_that_read_back(tmp_path: Path) -> None:
    written = write_idioms(tmp_path / "a", ROLES, pieces=2, bars=4, rng_seed=3)
    assert [w.role for w in written] == list(ROLES)
    for w in written:
        files = sorted(w.folder.glob("*.mid"))
        assert len(files) == 2
        clip = read_midi(files[0], drums=w.role == "drums")
        assert len(clip.notes) and clip.length == 16.0
    again = write_idioms(tmp_path / "b", ("lead",), pieces=2, bars=4, rng_seed=3)
    first = read_midi(tmp_path / "a" / "lead" / "lead-00001.mid")
    assert read_midi(again[0].folder / "lead-00001.mid") == first
    with pytest.raises(SegueError, match="no role"):
        write_idioms(tmp_path / "c", ("tuba",))


def test_chord_loops_come_from_real_pieces(tmp_path: Path) -> None:
    chords = [(48, 52, 55), (53, 57, 60), (55, 59, 62), (48, 52, 55)]
    notes = tuple(Note(p, 2.0 * i, 2.0, 80) for i, c in enumerate(chords * 2) for p in c)
    write_midi(Clip(notes, 16.0), tmp_path / "song.mid")
    loops = chord_loops(tmp_path)
    assert loops and all(len(loop) == 4 for loop in loops)
    assert {c.root for c in loops[0]} <= {0, 5, 7}  # C, F, G
    # a Mac's ._song.mid (no MIDI) and an unfinished export's hidden folder are left out
    (tmp_path / "._song.mid").write_bytes(bytes(64))
    other = tuple(Note(p + 1, 2.0 * i, 2.0, 80) for i, c in enumerate(chords * 2) for p in c)
    write_midi(Clip(other, 16.0), tmp_path / ".song.k2j9x1" / "song.mid")
    assert chord_loops(tmp_path) == loops
    with pytest.raises(SegueError, match="no such folder"):
        chord_loops(tmp_path / "missing")
