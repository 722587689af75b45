"""Splits from a hash of the relative path: stable, near the fractions, unmoved by new files."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from midi_files import clip_of, make_folder

from segue.dataset.loading import load_dataset
from segue.dataset.prepare import prepare_dataset
from segue.dataset.splits import SPLITS, split_for, split_fraction
from segue.errors import SegueError
from segue.midi_io import write_midi


@settings(max_examples=300)
@given(
    path=st.text(min_size=1, max_size=40),
    valid=st.floats(0, 0.45),
    test=st.floats(0, 0.45),
    more=st.floats(0, 0.1),
)
def test_split_for_is_stable_and_grows_monotonically(path, valid, test, more):
    split = split_for(path, valid, test)
    assert split in SPLITS
    assert split_for(path, valid, test) == split
    assert split_for(path.replace("/", "\\"), valid, test) == split
    if split == "valid":
        assert split_for(path, valid + more, test) == "valid"
    if split == "train":
        assert split_for(path, valid, max(0.0, test - more)) == "train"


def test_accented_names_keep_their_split_however_the_os_spells_them():
    """macOS writes file names decomposed (NFD), Windows and Linux composed (NFC)."""
    for name in ("folk/Jörg Müller – Reel.mid", "Dvořák/Humoreska č. 7.mid", "café/é.mid"):
        nfd, nfc = (unicodedata.normalize(form, name) for form in ("NFD", "NFC"))
        assert nfd != nfc
        assert split_fraction(nfd) == split_fraction(nfc) == split_fraction(nfc.replace("/", "\\"))
    assert split_fraction("folk/Jörg.mid") == 0.2531490598462181  # composed: as before
    assert split_fraction("bach/bwv66.6.mid") == 0.038464436438139724  # plain: as before


def test_split_fractions_come_out_near_the_settings():
    splits = [split_for(f"folk/tune{i:05d}.mid", 0.05, 0.1) for i in range(10_000)]
    assert 0.04 < splits.count("valid") / len(splits) < 0.06
    assert 0.09 < splits.count("test") / len(splits) < 0.11
    assert all(0 <= split_fraction(f"x{i}") < 1 for i in range(100))


@pytest.mark.parametrize("valid,test", [(-0.1, 0.05), (0.05, 1.0), (0.6, 0.5), (float("nan"), 0)])
def test_split_for_rejects_bad_fractions(valid, test):
    with pytest.raises(SegueError, match="fraction"):
        split_for("a.mid", valid, test)


def test_test_fraction_one_puts_every_file_in_the_test_split():
    assert {split_for(f"song{i}/track.mid", 0.0, 1.0) for i in range(200)} == {"test"}


def _splits(path: Path) -> dict[str, str]:
    return {p.source: p.split for p in load_dataset(path).pieces()}


def test_split_is_stable_when_files_are_added_or_the_folder_moves(tmp_path):
    folder = make_folder(tmp_path / "songs", clips=30, bad=False)
    fractions = {"valid_fraction": 0.3, "test_fraction": 0.3, "progress": False, "workers": 1}
    prepare_dataset([folder], tmp_path / "first", **fractions)
    first = _splits(tmp_path / "first")
    assert set(first.values()) == set(SPLITS)

    for i in range(30, 45):
        write_midi(clip_of(i), folder / "later" / f"extra{i}.mid")
    prepare_dataset([folder], tmp_path / "second", **fractions)
    second = _splits(tmp_path / "second")
    assert len(second) == 45 and {k: second[k] for k in first} == first

    moved = tmp_path / "elsewhere" / "deeper" / "renamed"
    shutil.copytree(folder, moved)
    prepare_dataset([moved], tmp_path / "third", **fractions)
    assert _splits(tmp_path / "third") == second


def test_a_file_name_in_no_utf8_is_read_with_its_folder(tmp_path):
    """A Latin-1 name (as in an old zip) stopped `data prepare`, `tune` and `eval` of its
    folder with a UnicodeEncodeError."""
    import os
    import shutil
    import sys
    from pathlib import Path

    from segue.cli import main

    if sys.platform == "win32" or sys.getfilesystemencoding() != "utf-8":
        pytest.skip("a file name in no UTF-8 is made on a POSIX system with UTF-8 names")
    folder = tmp_path / "latin"
    folder.mkdir()
    reel = Path(__file__).resolve().parents[3] / "examples" / "seeds" / "reel.mid"
    for name in (b"caf\xe9.mid", b"plain.mid", b"ok.mid"):
        shutil.copy(reel, os.path.join(os.fsencode(folder), name))
    assert 0 <= split_fraction(os.fsdecode(b"caf\xe9.mid")) < 1
    assert main(["data", "prepare", str(folder), "-o", str(tmp_path / "d"), "-j", "1"]) == 0


def test_a_works_parts_are_split_by_their_folder_whatever_the_os_writes():
    from segue.dataset.splits import split_key

    parts = ["bach/bwv1.6/1-Horn_2.mid", "bach\\bwv1.6\\2-Soprano.mid", "bach/bwv1.6/5-Bass.mid"]
    assert {split_key(p, in_work=True) for p in parts} == {"bach/bwv1.6/"}
    assert split_key("2-Soprano.mid", in_work=True) == "./"  # the work's folder given itself
    assert split_key("bach/bwv1.6/5-Bass.mid", in_work=False) == "bach/bwv1.6/5-Bass.mid"
