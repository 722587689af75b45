"""segue.tune_notices: what `segue tune` and `segue live learn` say of a tuning: files left
out, beats on a melodic channel (real MIDI files written and read back), how it went."""

from __future__ import annotations

from pathlib import Path

from segue.midi_io import write_midi
from segue.model.tuning.install import Card
from segue.model.tuning.material import read_sources
from segue.model.tuning.tune import TuneResult
from segue.notes import Clip, Note
from segue.tune_notices import beats_on_a_melodic_channel, left_out, tuned_lines


def test_files_left_out_are_counted_in_words_the_first_few_named() -> None:
    said = left_out({"empty file": ["a.mid", "b.mid"], "not a MIDI file": ["c.txt"]})
    assert said == "2 empty files (a.mid, b.mid), 1 not a MIDI file (c.txt)"
    many = left_out({"truncated file": ["a", "b", "c", "d", "e"]})
    assert many == "5 truncated files (a, b, c and 2 more)"


def test_beats_on_channel_1_are_said_unless_a_model_is_named(tmp_path: Path) -> None:
    for k in range(2):  # kick or snare with a hat on each eighth: a beat, on channel 1
        hits = [Note(36 if i % 4 == 0 else 38, i * 0.5, 0.25, 100) for i in range(16)]
        hats = [Note(42, i * 0.5, 0.25, 70 + k) for i in range(16)]
        write_midi(Clip(tuple(hits + hats), 8.0), tmp_path / f"beat{k}.mid")
    line = Clip(tuple(Note(40 + i % 5, i * 0.5, 0.5, 90) for i in range(16)), 8.0)
    write_midi(line, tmp_path / "bass.mid")
    material = read_sources([tmp_path])
    said = beats_on_a_melodic_channel(material, "auto")
    assert said is not None and said.startswith("2 of 3 pieces look like drum beats")
    assert beats_on_a_melodic_channel(material, "producer") is None
    write_midi(line, tmp_path / "lead.mid")
    assert beats_on_a_melodic_channel(read_sources([tmp_path]), None) is not None  # half
    write_midi(line, tmp_path / "pad.mid")  # 2 of 5: fewer than half
    assert beats_on_a_melodic_channel(read_sources([tmp_path]), None) is None


def card(status: str, before: float, after: float) -> Card:
    return Card("mine", "producer", ("clips/",), {}, before, after, 61.4, 9, status)


def test_how_the_tuning_went_is_said_in_order() -> None:
    done = TuneResult(Path("m/mine.pt"), Path("m/mine.md"), card("done", 2.5, 2.25))
    assert tuned_lines("mine", done) == [
        "installed mine (from producer): held-out loss 2.500 -> 2.250 nats/note in 61 s; "
        f"{Path('m/mine.pt')}, card {Path('m/mine.md')}"
    ]
    stopped = TuneResult(Path("m.pt"), Path("m.md"), card("stopped", 2.0, 2.0))
    lines = tuned_lines("mine", stopped)
    assert lines[0] == "stopped: keeping the best so far" and len(lines) == 3
    assert lines[2].startswith("the tuning did not lower the held-out loss")
    kept = TuneResult(Path("m.pt"), Path("m.md"), card("done", 2.0, 2.5), kept="kept it")
    assert tuned_lines("mine", kept) == ["kept it"]
