"""Exporting works to MIDI files: failures counted, the rest go on."""

from __future__ import annotations

import os
import time
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
