"""The MIDI files ``segue generate`` and ``segue send`` write their takes to
(``segue/take_files.py``): one library function for both commands."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest
from midi_files import slowing_seed, tempo_map

from segue.errors import SegueError
from segue.midi_io import read_part
from segue.notes import Clip, Note, TimeSignature
from segue.take_files import SeedPart, seed_tempo_map, write_takes

TAKE = Clip(tuple(Note(60 + i, i * 1.0, 0.5, 90) for i in range(4)), 4.0, TimeSignature(4, 4))
"""A take of a bar of quarter notes."""


def _channels_and_programs(path: Path) -> set[tuple[int, int]]:
    """The (channel, program) of each program change in the file at ``path``."""
    return {
        (m.channel, m.program)
        for track in mido.MidiFile(path).tracks
        for m in track
        if m.type == "program_change"
    }


def test_each_take_is_written_at_the_tempo_on_the_part_s_program_and_channel(tmp_path) -> None:
    """Two takes of a bass (program 33) at 96 BPM, each in its file on channel 1; a drum
    part's on channel 10; a bridge's one take of two asked for fills the first file only."""
    paths = [tmp_path / "next-1.mid", tmp_path / "next-2.mid"]
    bass = SeedPart(None, None, None, TAKE, drums=False, program=33)
    write_takes([TAKE, TAKE], paths, bass, tempo=96.0, include_seed=False, force=False)
    for path in paths:
        assert read_part(path)[0].notes == TAKE.notes
        assert tempo_map(path) == [(0.0, 96)] and _channels_and_programs(path) == {(0, 33)}
    kit = SeedPart(None, None, None, TAKE, drums=True, program=0)
    drums = [tmp_path / "beat-1.mid", tmp_path / "beat-2.mid"]
    write_takes([TAKE], drums, kit, tempo=120.0, include_seed=False, force=False)
    assert _channels_and_programs(drums[0]) == {(9, 0)} and not drums[1].exists()


def test_a_take_replaces_a_file_only_when_forced(tmp_path) -> None:
    """A file that exists is refused in one line, and replaced with ``force``."""
    path = tmp_path / "next.mid"
    path.write_bytes(b"not yet")
    part = SeedPart(None, None, None, TAKE, drums=False, program=0)
    with pytest.raises(SegueError, match="already exists"):
        write_takes([TAKE], [path], part, tempo=120.0, include_seed=False, force=False)
    write_takes([TAKE], [path], part, tempo=120.0, include_seed=False, force=True)
    assert read_part(path)[0].notes == TAKE.notes


def test_a_take_written_after_its_seed_keeps_the_seed_s_tempo_changes(tmp_path) -> None:
    """With the seed included, the file's tempo map is the seed file's over the seed (120,
    then 90 from beat 8), then the continuation's from where the seed's part ends (beat 16);
    without it, the continuation's tempo alone."""
    seed = slowing_seed(tmp_path / "slows.mid")
    clip, drums = read_part(seed)
    part = SeedPart(seed, None, None, clip, drums, program=0)
    assert seed_tempo_map(seed, part, 100.0) == [(0.0, 120.0), (8.0, 90.0), (16.0, 100.0)]
    both, alone = tmp_path / "both.mid", tmp_path / "alone.mid"
    write_takes([TAKE], [both], part, tempo=100.0, include_seed=True, force=False)
    assert tempo_map(both) == [(0.0, 120), (8.0, 90), (16.0, 100)]
    write_takes([TAKE], [alone], part, tempo=100.0, include_seed=False, force=False)
    assert tempo_map(alone) == [(0.0, 100)]
