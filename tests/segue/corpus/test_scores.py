"""Reading a work with music21 into notes: pickups, ties and meter."""

from __future__ import annotations

from segue.corpus.export import export_work
from segue.corpus.scores import DEFAULT_TEMPO, parse_work, score_notes
from segue.corpus.works import Work
from segue.midi_io import read_midi
from segue.notes import TimeSignature

TUNE = "X:1\nT:Tied\nM:3/4\nL:1/4\nK:C\nC | D3- | D2 E | F3 |]\n"


def test_a_tune_reads_as_one_part_with_its_meter_and_the_default_tempo(tmp_path):
    notes = score_notes(parse_work(Work("test", "tied", tmp_path / "tied.abc", TUNE)))
    assert notes.time_signature == TimeSignature(3, 4) and notes.tempo == DEFAULT_TEMPO
    [part] = notes.tracks
    assert part.name == "part 1"
    assert [(n.pitch, n.start, n.duration) for n in part.notes] == [
        (60, 2.0, 1.0),
        (62, 3.0, 5.0),
        (64, 8.0, 1.0),
        (65, 9.0, 3.0),
    ]


def test_a_tune_exports_with_its_pickup_ties_and_meter(tmp_path):
    tune = TUNE
    work = Work("test", "tied", tmp_path / "tied.abc", tune)
    result = export_work(work, tmp_path / "tied.mid")
    assert result.status == "exported", result
    clip = read_midi(tmp_path / "tied.mid")
    assert clip.time_signature == TimeSignature(3, 4)
    # The pickup fills the end of bar 1, the tied D is one note of 5 beats.
    assert [(n.pitch, n.start, n.duration) for n in clip.notes] == [
        (60, 2.0, 1.0),
        (62, 3.0, 5.0),
        (64, 8.0, 1.0),
        (65, 9.0, 3.0),
    ]
