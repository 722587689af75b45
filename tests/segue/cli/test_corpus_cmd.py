"""`segue corpus list` and `segue corpus export` as real processes, with real music21 data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from segue.midi_io import list_tracks, read_midi


def _error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return result.stderr.strip().splitlines()


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


def test_export_by_the_console_script_and_by_python_m_gives_the_same_files(segue_cli, tmp_path):
    """Workers are spawned, as on Windows and macOS: they re-import whichever way segue was
    started, the installed `segue` script or `python -m segue`."""
    script = shutil.which("segue", path=str(Path(sys.executable).parent))
    assert script is not None
    args = ("corpus", "export", "bach", "essenFolksong", "--limit", "2", "--workers", "2")
    by_script = subprocess.run(
        [script, *args, "-o", tmp_path / "script"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    by_module = segue_cli(*args, "-o", tmp_path / "module")
    for result in (by_script, by_module):
        assert result.returncode == 0 and "exported 4 works" in result.stdout, result.stderr
    files = sorted(p.relative_to(tmp_path / "script") for p in (tmp_path / "script").rglob("*.mid"))
    assert len(files) == 4
    for name in files:
        assert (tmp_path / "script" / name).read_bytes() == (
            tmp_path / "module" / name
        ).read_bytes()


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
    code = (
        "import sys; sys.modules['music21'] = None\n"
        "from segue.cli import main\n"
        "sys.exit(main(['corpus', 'list']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, encoding="utf-8"
    )
    assert result.returncode == 1
    assert _error_lines(result) == [
        'segue: error: music21 is not installed; install it with: pip install "segue[corpus]"'
    ]


def test_free_only_says_how_many_works_it_left_out(segue_cli, tmp_path):
    result = segue_cli("corpus", "export", "josquin", "-o", tmp_path, "--free-only")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "left out 29 works whose terms restrict their use" in lines
    assert lines[-2].endswith("left out (terms)") and lines[-1].split()[1:] == [
        "0",
        "0",
        "0",
        "29",
    ]


def test_export_into_a_place_it_cannot_write_stops_before_converting(segue_cli, tmp_path):
    """It converted every work, then counted each as failed, and exited 0."""
    (tmp_path / "file.mid").write_bytes(b"MThd")
    result = segue_cli(
        "corpus", "export", "bach", "-o", tmp_path / "file.mid" / "sub", "--limit", "2"
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is a file, not a folder" in result.stderr


def test_export_with_parts_writes_a_folder_of_one_track_files_per_work(segue_cli, tmp_path):
    args = ("corpus", "export", "bach", "-o", tmp_path, "--limit", "2", "--parts", "--no-progress")
    result = segue_cli(*args)
    assert result.returncode == 0, result.stderr
    assert "exported 2 works" in result.stdout
    folders = sorted(p for p in (tmp_path / "bach").iterdir())
    assert len(folders) == 2 and all(p.is_dir() for p in folders)
    for folder in folders:
        files = sorted(folder.glob("*.mid"))
        assert len(files) >= 4 and {f.name.split("-", 1)[1] for f in files} >= {
            "Soprano.mid",
            "Alto.mid",
            "Tenor.mid",
            "Bass.mid",
        }
        assert all(len(list_tracks(f)) == 1 and len(read_midi(f)) >= 10 for f in files)
    again = segue_cli(*args)
    assert "exported 0 works" in again.stdout and "2 already there" in again.stdout


def test_export_with_part_writes_each_work_s_soprano_alone(segue_cli, tmp_path):
    args = ("corpus", "export", "bach", "-o", tmp_path, "--limit", "2", "--part", "soprano")
    result = segue_cli(*args, "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "exported 2 works" in result.stdout
    files = sorted((tmp_path / "bach").iterdir())
    assert len(files) == 2 and all(f.suffix == ".mid" for f in files)
    for file in files:
        [alone] = list_tracks(file)
        assert alone.name == "Soprano" and alone.notes >= 10
    both = segue_cli(*args, "--parts", "--no-progress")
    assert both.returncode == 1 and "give one" in both.stderr
