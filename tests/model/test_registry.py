"""Installed models: names, and the folders they are found in."""

from __future__ import annotations

import pytest

from segue.errors import SegueError
from segue.model.registry import check_new_name, find_model, list_models


def test_model_names_never_reach_the_file_system(tmp_path) -> None:
    for bad in ("../secret", "/etc/passwd", "a/b", "", ".hidden"):
        with pytest.raises(SegueError):
            find_model(bad or "x y", tmp_path)
    with pytest.raises(SegueError, match="no model named 'nope'"):
        find_model("nope", tmp_path)


def test_user_models_folder_must_exist(tmp_path) -> None:
    with pytest.raises(SegueError, match="does not exist"):
        list_models(tmp_path / "missing")


@pytest.mark.parametrize("name", ["con", "Nul", "aux.v2", "COM1", "lpt9.final"])
def test_a_name_windows_keeps_for_a_device_cannot_name_a_new_model(name) -> None:
    with pytest.raises(SegueError, match="Windows keeps .* for a device") as refused:
        check_new_name(name)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("name", ["console", "com10", "auxiliary", "my-nul", "reel.con"])
def test_names_that_only_look_like_devices_are_fine(name) -> None:
    check_new_name(name)
