"""The dataset folder on disk: never replacing what is not one, atomic writes, damage found."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from segue.dataset.loading import load_dataset
from segue.dataset.prepare import prepare_dataset
from segue.dataset.storage import write_atomically
from segue.errors import SegueError


def test_existing_output_needs_force_and_never_replaces_other_folders(tmp_path, inputs):
    folder = inputs[1]
    out = tmp_path / "ds"
    prepare_dataset([folder], out, progress=False, workers=1)
    with pytest.raises(SegueError, match="already exists; use --force"):
        prepare_dataset([folder], out, progress=False, workers=1)
    prepare_dataset([folder], out, progress=False, workers=1, valid_fraction=0.5, force=True)
    assert load_dataset(out).meta["settings"]["valid_fraction"] == 0.5
    other = tmp_path / "home"
    (other / "precious").mkdir(parents=True)
    with pytest.raises(SegueError, match="not a segue dataset; refusing"):
        prepare_dataset([folder], other, progress=False, force=True)
    assert (other / "precious").is_dir()
    (tmp_path / "empty").mkdir()
    prepare_dataset([folder], tmp_path / "empty", progress=False, workers=1, force=True)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_failed_write_leaves_the_old_dataset_and_no_temporary_folder(tmp_path, inputs):
    out = tmp_path / "ds"
    prepare_dataset([inputs[1]], out, progress=False, workers=1)
    before = (out / "notes.npy").read_bytes()

    def crash(folder: Path) -> None:
        (folder / "notes.npy").write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(out, True, crash)
    assert (out / "notes.npy").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]


@pytest.fixture()
def dataset_copy(tmp_path, prepared) -> Path:
    return Path(shutil.copytree(prepared[1].path, tmp_path / "copy"))


def test_load_dataset_errors(tmp_path, dataset_copy):
    with pytest.raises(SegueError, match="no such dataset"):
        load_dataset(tmp_path / "missing")
    (tmp_path / "folder").mkdir()
    with pytest.raises(SegueError, match="not a segue dataset"):
        load_dataset(tmp_path / "folder")
    meta = json.loads((dataset_copy / "meta.json").read_text(encoding="utf-8"))
    (dataset_copy / "meta.json").write_text(json.dumps({**meta, "version": 99}), encoding="utf-8")
    with pytest.raises(SegueError, match="format version 99"):
        load_dataset(dataset_copy)
    (dataset_copy / "meta.json").write_text(
        json.dumps({**meta, "format": "other"}), encoding="utf-8"
    )
    with pytest.raises(SegueError, match="not a segue dataset"):
        load_dataset(dataset_copy)
    (dataset_copy / "meta.json").write_text(
        json.dumps({**meta, "counts": {"files": 3}}), encoding="utf-8"
    )
    with pytest.raises(SegueError, match="damaged"):
        load_dataset(dataset_copy)
    (dataset_copy / "meta.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(SegueError, match="damaged"):
        load_dataset(dataset_copy)
    (dataset_copy / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    notes = dataset_copy / "notes.npy"
    notes.write_bytes(notes.read_bytes()[:200])
    with pytest.raises(SegueError, match="damaged"):
        load_dataset(dataset_copy)


def test_an_array_file_that_is_no_array_is_said_in_one_plain_line(dataset_copy):
    notes = dataset_copy / "notes.npy"
    notes.write_text("junk\n", encoding="utf-8")  # NumPy: "pickled data... load it unsafely"
    with pytest.raises(SegueError) as caught:
        load_dataset(dataset_copy)
    assert str(caught.value) == (
        f"{dataset_copy}: the dataset is damaged (notes.npy is no array file: damaged, or "
        "another kind of file); prepare it again"
    )
    notes.unlink()
    with pytest.raises(SegueError, match=r"\(notes.npy is missing\); prepare it again$"):
        load_dataset(dataset_copy)
    notes.mkdir()
    with pytest.raises(SegueError, match=r"\(notes.npy is a folder\); prepare it again$"):
        load_dataset(dataset_copy)
