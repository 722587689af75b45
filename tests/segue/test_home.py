"""segue's home: the OS's folder for a program's data, unless SEGUE_HOME moves it."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from segue.errors import SegueError
from segue.home import segue_home, user_models_dir


def test_the_home_is_where_the_os_keeps_a_programs_data(monkeypatch) -> None:
    monkeypatch.delenv("SEGUE_HOME")
    assert segue_home() == Path(platformdirs.user_data_dir("segue", appauthor=False))
    monkeypatch.setenv("SEGUE_HOME", "  ")
    assert segue_home() == Path(platformdirs.user_data_dir("segue", appauthor=False))


def test_segue_home_moves_it(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SEGUE_HOME", str(tmp_path / "Jörg Müller" / "segue"))
    assert user_models_dir() == tmp_path / "Jörg Müller" / "segue" / "models"
    monkeypatch.setenv("SEGUE_HOME", "~/segue")
    assert segue_home() == Path.home() / "segue"


def test_a_relative_segue_home_is_refused_with_the_folder_it_names_here(
    monkeypatch, tmp_path
) -> None:
    """`SEGUE_HOME=models` named another folder from each folder segue started in: models
    installed from one were not found by a bridge started elsewhere (helper-323)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SEGUE_HOME", "models")
    with pytest.raises(SegueError) as refused:
        user_models_dir()
    assert str(refused.value) == (
        "SEGUE_HOME is 'models', a folder relative to wherever segue starts, so each folder "
        "would have a home of its own and a bridge started elsewhere would not find your "
        f"models; give its full path, such as {tmp_path / 'models'}"
    )
    assert not (tmp_path / "models").exists()


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_segue_home_set_with_its_quotes_is_the_folder_they_quote(
    quote: str, models_dir: Path, tmp_path: Path, segue_cli, monkeypatch
) -> None:
    """cmd's `set SEGUE_HOME="C:\\Users\\Zoë Müller\\segue"` keeps the quotes that a path
    with spaces seems to need: the home was refused as relative, with
    `C:\\...\\"C:\\Users\\Zoë Müller\\segue"` offered in its place (helper-327)."""
    home = tmp_path / "Zoë Müller" / "OneDrive - Firma" / "segue"
    monkeypatch.setenv("SEGUE_HOME", f" {quote}{home}{quote} ")
    added = segue_cli("models", "add", models_dir / "tiny.pt", "--name", "mine")
    assert added.returncode == 0, added.stderr
    assert (home / "models" / "mine.pt").is_file() and (home / "models" / "mine.md").is_file()
    listed = segue_cli("models")
    assert listed.stdout.splitlines()[-1].startswith(f"your models: {home / 'models'} (")
