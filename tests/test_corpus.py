"""`segue corpus`: listing and exporting music21's bundled corpus, with real music21 data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from segue.corpus import (
    Work,
    collection_works,
    corpus_root,
    export_corpus,
    export_work,
    export_works,
    find_collections,
    list_collections,
    split_abc,
    work_path,
)
from segue.errors import SegueError
from segue.midi_io import list_tracks, read_midi
from segue.notes import TimeSignature

MAIN = ("essenFolksong", "oneills1850", "ryansMammoth", "airdsAirs", "bach", "palestrina")


@pytest.fixture(scope="module")
def collections():
    return {c.name: c for c in list_collections()}


def _error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return result.stderr.strip().splitlines()


# --------------------------------------------------------------------------- listing


def test_list_has_the_main_collections_with_plausible_counts(collections):
    assert set(MAIN) <= set(collections)
    assert collections["bach"].files >= 400
    assert collections["essenFolksong"].works >= 8000  # ~8,500 tunes in 31 ABC files
    assert collections["essenFolksong"].files < 40
    assert collections["oneills1850"].works >= 1500
    assert collections["palestrina"].works == collections["palestrina"].files >= 1000
    assert 14_000 <= sum(c.works for c in collections.values()) <= 16_000
    assert all(c.licence for c in collections.values())
    assert "non-commercial" in collections["essenFolksong"].licence
    assert "license.txt" in collections["bach"].licence


def test_list_leaves_out_folders_without_scores(collections):
    assert not any(name.startswith("_") for name in collections)
    assert all(c.works >= c.files >= 1 for c in collections.values())


def test_list_command_prints_a_table_and_a_total(segue_cli, collections):
    result = segue_cli("corpus", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["collection", "files", "works"]
    essen = next(line for line in lines if line.startswith("essenFolksong "))
    assert str(collections["essenFolksong"].works) in essen.split()
    total = lines[-1].split()
    assert total[0] == "total"
    assert int(total[2]) == sum(c.works for c in collections.values())


# --------------------------------------------------------------------------- works


def test_split_abc_keeps_the_file_header_apart():
    header, tunes = split_abc("% a comment\nX:1\nT:One\nK:C\nCDE|\n\nX: 2\nT:Two\nK:G\nGAB|")
    assert header == "% a comment"
    assert [t.splitlines()[1] for t in tunes] == ["T:One", "T:Two"]


def test_each_abc_tune_is_a_work_with_a_stable_readable_name(collections):
    works = collection_works(collections["essenFolksong"], limit=5)
    again = collection_works(collections["essenFolksong"], limit=5)
    assert works == again
    assert len({w.name for w in works}) == 5
    assert works[0].name.startswith("altdeu10-0001-")
    assert all(w.tune is not None and w.tune.count("X:") == 1 for w in works)


def test_files_that_differ_only_by_suffix_get_distinct_names(collections):
    names = [w.name for w in collection_works(collections["bach"])]
    assert len(names) == len(set(names)) == collections["bach"].works
    assert {"bwv366-krn", "bwv366-mxl"} <= set(names)


def test_collection_names_match_ignoring_case_and_all_means_every_one(collections):
    assert [c.name for c in find_collections(["BACH", "bach"])] == ["bach"]
    chosen = find_collections(["palestrina", "all"])
    assert chosen[0].name == "palestrina"
    assert len(chosen) == len(collections)


# --------------------------------------------------------------------------- conversion


def test_a_tune_exports_with_its_pickup_ties_and_meter(tmp_path):
    tune = "X:1\nT:Tied\nM:3/4\nL:1/4\nK:C\nC | D3- | D2 E | F3 |]\n"
    work = Work("test", "tied", tmp_path / "tied.abc", tune)
    result = export_work(work, tmp_path / "tied.mid")
    assert result.status == "exported", result
    clip = read_midi(tmp_path / "tied.mid")
    assert clip.time_signature == TimeSignature(3, 4)
    # The pickup fills the end of bar 1, the tied D is one note of 5 beats.
    assert [(n.pitch, n.start, n.duration) for n in clip.notes] == [
        (60, 2.0, 1.0), (62, 3.0, 5.0), (64, 8.0, 1.0), (65, 9.0, 3.0)]


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


# --------------------------------------------------------------------------- CLI


def test_export_command_writes_midi_that_reads_back_and_resumes(segue_cli, tmp_path):
    out = tmp_path / "midi"
    args = ("corpus", "export", "essenFolksong", "bach", "ryansMammoth", "-o", out, "--limit", "3")
    first = segue_cli(*args)
    assert first.returncode == 0, first.stderr
    assert "exported 9 works" in first.stdout
    files = sorted(out.rglob("*.mid"))
    assert [p.parent.name for p in files].count("bach") == 3 and len(files) == 9
    for path in files:
        clip = read_midi(path)
        assert len(clip) >= 10
        assert clip.time_signature.beats_per_bar in (1.5, 2, 3, 4, 6, 8)
        assert all(0 <= n.pitch <= 127 for n in clip.notes)
    assert all(len(list_tracks(p)) >= 4 for p in files if p.parent.name == "bach")
    stamps = {p: p.stat().st_mtime_ns for p in files}

    again = segue_cli(*args)
    assert again.returncode == 0, again.stderr
    assert "exported 0 works" in again.stdout and "9 already there" in again.stdout
    assert stamps == {p: p.stat().st_mtime_ns for p in sorted(out.rglob("*.mid"))}

    forced = segue_cli(*args, "--force", "--workers", "1", "--no-progress")
    assert forced.returncode == 0, forced.stderr
    assert "exported 9 works" in forced.stdout and forced.stderr == ""


def test_export_command_lists_failures_when_verbose(segue_cli, tmp_path):
    result = segue_cli("corpus", "export", "demos", "-o", tmp_path, "--verbose", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "failed by reason: no notes 1" in result.stdout
    assert "demos/drum_sample" in result.stdout  # a drum part: no pitched notes


def test_unknown_collection_is_one_error_line(segue_cli, tmp_path):
    result = segue_cli("corpus", "export", "bach", "nosuch", "-o", tmp_path)
    assert result.returncode == 1
    lines = _error_lines(result)
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("segue: error: unknown collection 'nosuch'")
    assert "essenFolksong" in lines[0]
    assert not any(tmp_path.iterdir())


def test_missing_music21_says_how_to_install_it():
    code = ("import sys; sys.modules['music21'] = None\n"
            "from segue.cli import main\n"
            "sys.exit(main(['corpus', 'list']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert _error_lines(result) == [
        "segue: error: music21 is not installed; install it with: pip install 'segue[corpus]'"]


def test_corpus_root_is_the_music21_package_corpus():
    root = corpus_root()
    assert root.name == "corpus" and (root / "license.txt").is_file()
    assert isinstance(root, Path)
