"""Installed models: names, and the folders they are found in."""

from __future__ import annotations

import pytest

from segue.errors import SegueError
from segue.model.registry import find_model, list_models


def test_model_names_never_reach_the_file_system(tmp_path) -> None:
    for bad in ("../secret", "/etc/passwd", "a/b", "", ".hidden"):
        with pytest.raises(SegueError):
            find_model(bad or "x y", tmp_path)
    with pytest.raises(SegueError, match="no model named 'nope'"):
        find_model("nope", tmp_path)


def test_user_models_folder_must_exist(tmp_path) -> None:
    with pytest.raises(SegueError, match="does not exist"):
        list_models(tmp_path / "missing")
