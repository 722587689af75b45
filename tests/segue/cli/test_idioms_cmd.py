"""`segue idioms` as a musician runs it: files per role, a summary line each."""

from __future__ import annotations

from pathlib import Path


def test_idioms_writes_each_role_asked_for(segue_cli, tmp_path: Path) -> None:
    run = segue_cli("idioms", "bass", "drums", "-o", tmp_path, "--pieces", "2", "--bars", "4")
    assert run.returncode == 0, run.stderr
    assert "bass: 2 files" in run.stdout and "drums: 2 files" in run.stdout
    assert sorted(p.name for p in (tmp_path / "drums").iterdir()) == [
        "drums-00000.mid",
        "drums-00001.mid",
    ]
    again = segue_cli("idioms", "arp", "bass", "-o", tmp_path, "--pieces", "2")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert "--force" in again.stderr  # what to do, as every command says it
    assert not (tmp_path / "arp").exists()  # refused before anything was written


def test_a_role_that_is_not_one_is_refused_in_one_line(segue_cli, tmp_path: Path) -> None:
    run = segue_cli("idioms", "tuba", "-o", tmp_path)
    assert run.returncode == 2 and "tuba" in run.stderr


def test_a_negative_rng_seed_is_refused_in_one_line(segue_cli, tmp_path: Path) -> None:
    result = segue_cli("idioms", "bass", "-o", tmp_path, "--pieces", "1", "--rng-seed", "-1")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Invalid value for '--rng-seed'" in result.stderr


def test_the_help_example_runs_in_every_shell(segue_cli) -> None:
    """The example was `data/idioms/{bass,chords,arp,lead}`: bash's braces, which sh, cmd
    and PowerShell pass on as they are."""
    result = segue_cli("idioms", "--help")
    assert result.returncode == 0
    assert "{" not in result.stdout
    assert (
        "segue data prepare data/idioms/bass data/idioms/chords data/idioms/arp "
        "data/idioms/lead -o data/producer\n"
    ) in result.stdout
