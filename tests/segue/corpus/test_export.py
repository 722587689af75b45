"""Exporting works to MIDI files: failures counted, the rest go on."""

from __future__ import annotations

import os
import shutil
import time
import zipfile

import pytest

from segue.corpus.export import export_corpus, export_works, work_path
from segue.corpus.works import Work
from segue.errors import SegueError
from segue.midi_io import list_tracks, read_midi


def test_a_damaged_work_is_counted_as_failed_and_the_rest_go_on(tmp_path, collections):
    chorale = collections["bach"].path / "bwv1.6.mxl"
    damaged = tmp_path / "bwv1.6.mxl"
    damaged.write_bytes(chorale.read_bytes()[:3000])  # cut off mid-archive
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(damaged)
    works = [
        Work("bach", "damaged", damaged),
        Work("folk", "not-music", tmp_path / "x.abc", "X:1\nT:Words only\nK:C\n%just a comment\n"),
        Work("bach", "bwv1.6", chorale),
    ]
    summary = export_works(works, tmp_path / "out", workers=1, progress=False)
    assert (summary.exported, summary.failed, summary.skipped) == (1, 2, 0)
    reasons = {f.work: f.reason for f in summary.failures}
    assert reasons["folk/not-music"] == "no notes"
    assert reasons["bach/damaged"] not in ("", "no notes")
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["bach", "bwv1.6.mid"]
    tracks = list_tracks(work_path(tmp_path / "out", works[2]))
    assert [t.name for t in tracks][-4:] == ["Soprano", "Alto", "Tenor", "Bass"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="a named pipe stands in for a hung work")
def test_a_work_that_hangs_is_ended_at_the_time_limit_and_the_rest_go_on(tmp_path, collections):
    """No SIGALRM (Windows has none): the worker on it is ended from outside and replaced."""
    hangs = tmp_path / "hangs.mxl"
    os.mkfifo(hangs)  # opening it to read waits for a writer that never comes
    chorales = sorted(collections["bach"].path.glob("bwv1*.mxl"))[:2]
    works = [Work("bach", "hangs", hangs), *(Work("bach", p.stem, p) for p in chorales)]
    started = time.monotonic()
    summary = export_works(works, tmp_path / "out", workers=2, progress=False, timeout=10)
    assert time.monotonic() - started < 60
    assert {f.work: f.reason for f in summary.failures} == {"bach/hangs": "timeout"}
    assert summary.exported == 2 and summary.failures[0].detail == "took longer than 10 s"


def test_library_export_rejects_a_silly_limit(tmp_path):
    with pytest.raises(SegueError, match="--limit"):
        export_corpus(["bach"], tmp_path, limit=0)


def test_free_only_leaves_out_works_whose_terms_restrict_use(tmp_path):
    """Josquin's encodings are under the GPL: none is exported for weights to give away."""
    summary = export_corpus(["josquin"], tmp_path, workers=1, progress=False, free_only=True)
    assert (summary.exported, summary.failed, summary.restricted) == (0, 0, 29)
    assert not list(tmp_path.rglob("*.mid"))


def test_parts_writes_each_part_as_its_own_file_with_the_notes_of_its_track(tmp_path, collections):
    """A chorale's four voices become four melodies; a second export skips the work, and a
    forced one replaces the part files but keeps any other file in the folder."""
    chorale = Work("bach", "bwv1.6", collections["bach"].path / "bwv1.6.mxl")
    whole = export_works([chorale], tmp_path / "whole", workers=1, progress=False)
    assert whole.exported == 1
    summary = export_works([chorale], tmp_path / "out", workers=1, progress=False, parts=True)
    assert (summary.exported, summary.failed) == (1, 0)
    folder = work_path(tmp_path / "out", chorale, parts=True)
    assert folder == tmp_path / "out" / "bach" / "bwv1.6" and folder.is_dir()
    tracks = list_tracks(work_path(tmp_path / "whole", chorale))
    files = sorted(folder.glob("*.mid"), key=lambda f: int(f.name.split("-")[0]))
    assert [f.name for f in files] == [
        "1-Horn_2.mid",
        "2-Soprano.mid",
        "3-Alto.mid",
        "4-Tenor.mid",
        "5-Bass.mid",
    ]
    for track, file in zip(tracks, files, strict=True):
        [alone] = list_tracks(file)
        assert alone.notes == track.notes > 0
        assert (
            read_midi(file).notes
            == read_midi(work_path(tmp_path / "whole", chorale), track=track.index).notes
        )
    again = export_works([chorale], tmp_path / "out", workers=1, progress=False, parts=True)
    assert (again.exported, again.skipped) == (0, 1)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    files[0].write_bytes(b"stale")
    forced = export_works(
        [chorale], tmp_path / "out", workers=1, progress=False, force=True, parts=True
    )
    assert forced.exported == 1 and (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert list_tracks(files[0])[0].notes == tracks[0].notes
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]


def test_part_writes_the_one_part_of_that_name_and_a_work_without_it_fails(tmp_path, collections):
    """A chorale's soprano alone is its tune, a melody model's material: `part` writes that
    part (any case, the first whose name begins so) as the work's file, with the notes of its
    track in the whole export; a work without such a part is counted as failed, its parts
    named, and nothing is written for it."""
    chorale = Work("bach", "bwv1.6", collections["bach"].path / "bwv1.6.mxl")
    export_works([chorale], tmp_path / "whole", workers=1, progress=False)
    whole = work_path(tmp_path / "whole", chorale)
    [soprano] = [t for t in list_tracks(whole) if t.name == "Soprano"]
    summary = export_works([chorale], tmp_path / "out", workers=1, progress=False, part="sopr")
    assert (summary.exported, summary.failed) == (1, 0)
    file = work_path(tmp_path / "out", chorale)
    [alone] = list_tracks(file)
    assert (alone.name, alone.notes) == ("Soprano", soprano.notes) and soprano.notes > 20
    assert read_midi(file).notes == read_midi(whole, track=soprano.index).notes
    missing = export_works([chorale], tmp_path / "none", workers=1, progress=False, part="Canto")
    assert (missing.exported, missing.failed) == (0, 1)
    [failure] = missing.failures
    assert failure.reason == "no such part" and "Soprano, Alto, Tenor, Bass" in failure.detail
    assert not list((tmp_path / "none").rglob("*.mid"))
    with pytest.raises(SegueError, match="give one"):
        export_corpus(["bach"], tmp_path / "both", limit=1, parts=True, part="soprano")


def test_a_works_parts_go_to_one_split_and_an_unfinished_export_is_not_read(tmp_path, collections):
    """The alto of a chorale whose soprano is learnt from would reward learning the work by
    heart in the test split: `data prepare` keeps one work's exported parts together, and
    leaves out the hidden folder an export killed half-way leaves behind."""
    from segue.dataset.loading import Dataset, load_dataset
    from segue.dataset.prepare import prepare_dataset
    from segue.dataset.splits import WORK_MARK

    chorale = Work("bach", "bwv1.6", collections["bach"].path / "bwv1.6.mxl")
    export_works([chorale], tmp_path / "out", workers=1, progress=False, parts=True)
    folder = work_path(tmp_path / "out", chorale, parts=True)
    assert (folder / WORK_MARK).is_file()
    unfinished = folder.parent / f".{folder.name}.k2j9x1"  # as tempfile.mkdtemp names it
    shutil.copytree(folder, unfinished)

    def prepared(name: str) -> Dataset:
        prepare_dataset(
            [tmp_path / "out"],
            tmp_path / name,
            valid_fraction=0.4,
            test_fraction=0.3,
            workers=1,
            progress=False,
        )
        return load_dataset(tmp_path / name)

    dataset = prepared("ds")
    assert sorted(dataset.sources) == sorted(f"bach/bwv1.6/{f.name}" for f in folder.glob("*.mid"))
    assert len({piece.split for piece in dataset.pieces()}) == 1, [
        (piece.source, piece.split) for piece in dataset.pieces()
    ]
    (folder / WORK_MARK).unlink()  # the musician's choice: split them one by one
    assert len({piece.split for piece in prepared("ds2").pieces()}) > 1
