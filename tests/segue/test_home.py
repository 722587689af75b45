"""segue's home: the OS's folder for a program's data, unless SEGUE_HOME moves it."""

from __future__ import annotations

from pathlib import Path

import platformdirs

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
