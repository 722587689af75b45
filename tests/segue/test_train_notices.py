"""segue.train_notices: what `segue train` says when its run ends, of real prepared
datasets (music21's test MIDI files, with and without drum tracks)."""

from __future__ import annotations

from pathlib import Path

from segue.shell import suggested
from segue.train_notices import stopped_line, trained_lines


def test_a_stopped_run_says_how_to_resume_it_under_torchrun_too(tmp_path: Path) -> None:
    data, run = tmp_path / "my data", tmp_path / "run"
    again = suggested("segue train", ("DATASET", data), "-o", ("RUN", run), "--resume")
    assert stopped_line(data, run, 1) == f"training stopped; continue it with: {again}"
    assert stopped_line(data, run, 4).endswith(f"torchrun --nproc_per_node 4 -m {again}")


def test_a_finished_run_says_how_to_choose_it_by_name(dataset_path: Path, tmp_path) -> None:
    run = tmp_path / "run"
    (line,) = trained_lines(run, dataset_path)  # chorales: no drum tracks, no drum hint
    assert line == "to choose it by name, here and in Live's Model menu: " + suggested(
        "segue models add", ("RUN", run), "--name NAME"
    )


def test_a_run_on_drum_tracks_is_told_how_to_become_a_drum_model_first(tmp_path: Path) -> None:
    from segue.dataset.prepare import prepare_dataset
    from segue.midi_io import write_midi
    from segue.notes import Clip, Note

    midi = tmp_path / "midi"
    midi.mkdir()
    for k in range(4):
        hits = tuple(Note(36 + 6 * ((i + k) % 2), i * 0.5, 0.25, 100) for i in range(32))
        write_midi(Clip(hits, 16.0), midi / f"beat{k}.mid", channel=9)
    beats, run = tmp_path / "beats", tmp_path / "run"
    prepare_dataset([midi], beats, drums=True, valid_fraction=0, workers=1, progress=False)
    hint, install = trained_lines(run, beats)
    assert hint.startswith("the dataset holds drum tracks: for a drum model")
    assert hint.endswith("--in-place --loop --drums --split train")  # no validation pieces
    assert install.startswith("to choose it by name")
