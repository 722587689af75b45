"""Exporting works to MIDI files: failures counted, the rest go on."""

from __future__ import annotations

import zipfile

import pytest

from segue.corpus.export import export_corpus, export_works, work_path
from segue.corpus.works import Work
from segue.errors import SegueError
from segue.midi_io import list_tracks


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


def test_library_export_rejects_a_silly_limit(tmp_path):
    with pytest.raises(SegueError, match="--limit"):
        export_corpus(["bach"], tmp_path, limit=0)
