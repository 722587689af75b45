"""`prepare_dataset`: counts, skipped files by reason, options and errors."""

from __future__ import annotations

import shutil

import pytest
from midi_files import BAD_FILES, outcome

from segue.dataset.loading import load_dataset
from segue.dataset.prepare import prepare_dataset
from segue.dataset.reading import skip_reason
from segue.dataset.splits import SPLITS
from segue.dataset.summary import format_summary
from segue.errors import SegueError
from segue.midi_io import read_midi


def test_prepare_counts_pieces_notes_and_skipped_files(prepared, inputs, primitive_files):
    summary, dataset = prepared
    readable = [
        p for p in primitive_files if not isinstance(outcome(lambda p=p: read_midi(p)), tuple)
    ]
    assert summary.files == 21 + 12 + len(BAD_FILES) == 40
    assert sum(summary.pieces.values()) == len(readable) + 12 == len(dataset)
    expected_skips: dict[str, int] = {}
    for reason in BAD_FILES.values():
        expected_skips[reason] = expected_skips.get(reason, 0) + 1
    assert summary.skipped == expected_skips
    assert summary.notes == len(dataset.notes) == sum(len(p) for p in dataset.pieces())
    assert {
        item["source"]: skip_reason(item["reason"]) for item in summary.skipped_files
    } == BAD_FILES
    assert dataset.meta["mido_fallbacks"] == 0
    for split in SPLITS:
        indices = dataset.indices(split)
        assert len(indices) == summary.pieces[split]
        assert all(dataset.piece(int(i)).split == split for i in indices)


def test_prepare_options_track_and_drums(tmp_path, inputs):
    folder = inputs[1]
    with_drums = prepare_dataset(
        [folder], tmp_path / "drums", drums=True, progress=False, workers=1
    )
    assert "only drum notes" not in with_drums.skipped
    drums = [p for p in load_dataset(tmp_path / "drums").pieces() if p.source == "drums.mid"]
    assert drums[0].notes.tolist() == [[0, 36, 12, 90]]
    # the drum notes alone: the melodic files are skipped, not merged into beats
    assert with_drums.skipped.get("no drum notes", 0) == 12, with_drums.skipped
    assert sum(with_drums.pieces.values()) == 1
    info = format_summary(load_dataset(tmp_path / "drums").meta)
    assert "all drum tracks merged, drum notes alone" in info
    meta = load_dataset(tmp_path / "drums").meta
    del meta["settings"]["drums_alone"]  # a dataset made before: its drums were merged
    assert "all tracks merged, drums among them" in format_summary(meta)
    most = prepare_dataset([folder], tmp_path / "most", track="most", progress=False)
    assert sum(most.pieces.values()) == 12
    assert load_dataset(tmp_path / "most").meta["settings"]["track"] == "most"
    with pytest.raises(SegueError, match="none of the 19 MIDI files .*14 no such track"):
        prepare_dataset([folder], tmp_path / "track1", track=1, progress=False)


def test_prepare_errors(tmp_path, inputs):
    with pytest.raises(SegueError, match="no such folder"):
        prepare_dataset([tmp_path / "missing"], tmp_path / "out")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SegueError, match="no MIDI files"):
        prepare_dataset([tmp_path / "plain"], tmp_path / "out")
    with pytest.raises(SegueError, match="is a file, not a folder"):
        prepare_dataset([tmp_path / "plain" / "a.txt"], tmp_path / "out")
    bad = tmp_path / "bad"
    shutil.copytree(inputs[1] / "bad", bad)
    with pytest.raises(SegueError, match="none of the 4 MIDI files could be read"):
        prepare_dataset([bad], tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_a_file_under_two_given_folders_is_read_once(tmp_path, inputs):
    summary = prepare_dataset(
        [inputs[1], inputs[1] / "set0"], tmp_path / "ds", workers=1, progress=False
    )
    assert summary.files == 19
    assert len(set(load_dataset(tmp_path / "ds").sources)) == 12


def test_a_linked_folder_is_read_and_a_link_back_up_is_not_followed_round(tmp_path):
    """A folder of clips linked in (not copied) was skipped without a word."""
    import os

    from tuning_material import write_riffs

    from segue.dataset.prepare import find_midi_files

    write_riffs(tmp_path / "elsewhere" / "bass", 2)
    mine = tmp_path / "clips"
    write_riffs(mine, 1)
    try:
        os.symlink(tmp_path / "elsewhere" / "bass", mine / "bass", target_is_directory=True)
        os.symlink(mine, mine / "bass" / "up", target_is_directory=True)  # a loop
    except OSError as exc:  # Windows without the right to make links
        pytest.skip(f"no symbolic links here: {exc}")
    found = [f.relative for f in find_midi_files([mine])]
    assert found == ["riff00.mid", "bass/riff00.mid", "bass/riff01.mid"], found


def test_hidden_files_and_folders_are_left_out(tmp_path):
    """A folder of clips copied to a shared drive from a Mac holds a ``._riff00.mid`` beside
    each clip (Finder data, no MIDI): it was read, and skipped as damaged; a hidden folder
    (an export killed half-way) was read too, its clips twice over."""
    from tuning_material import write_riffs

    from segue.dataset.prepare import find_midi_files

    mine = tmp_path / "clips"
    write_riffs(mine, 2)
    (mine / "._riff00.mid").write_bytes(b"\x00\x05\x16\x07" + bytes(60))
    write_riffs(mine / ".riffs.k2j9x1", 1)
    found = [f.relative for f in find_midi_files([mine])]
    assert found == ["riff00.mid", "riff01.mid"], found
    summary = prepare_dataset([mine], tmp_path / "ds", workers=1, progress=False)
    assert (summary.files, len(summary.skipped_files)) == (2, 0)
    assert sorted(load_dataset(tmp_path / "ds").sources) == ["riff00.mid", "riff01.mid"]


def test_riff_midi_files_in_a_folder_are_read_as_their_midi(tmp_path):
    """A folder of clips saved on Windows as .rmi (RIFF MIDI) was searched past: "no MIDI
    files". They are found, any case, and read as the MIDI file inside them."""
    from midi_files import riff_midi
    from tuning_material import write_riffs

    from segue.dataset.prepare import find_midi_files

    mine = tmp_path / "clips"
    written = write_riffs(tmp_path / "smf", 2)
    mine.mkdir()
    for i, path in enumerate(written):
        (mine / f"riff{i:02d}.{'RMI' if i else 'rmi'}").write_bytes(riff_midi(path.read_bytes()))
    found = [f.relative for f in find_midi_files([mine])]
    assert found == ["riff00.rmi", "riff01.RMI"], found
    summary = prepare_dataset([mine], tmp_path / "ds", workers=1, progress=False)
    assert (summary.files, len(summary.skipped_files)) == (2, 0)
