"""segue's folder for each user, its home: the models a musician installs live in it.

It is where each OS keeps a program's data for one user (platformdirs' user data
folder): ``~/.local/share/segue`` on Linux, ``~/Library/Application Support/segue``
on macOS, ``C:\\Users\\NAME\\AppData\\Local\\segue`` on Windows. The environment
variable ``SEGUE_HOME`` moves it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from segue.errors import SegueError

HOME_VARIABLE = "SEGUE_HOME"


def segue_home() -> Path:
    """The folder (which may not exist yet): ``$SEGUE_HOME``, else the OS's place for it.
    A relative ``$SEGUE_HOME`` is refused in one line (:func:`moved_home`)."""
    moved = _unquoted(os.environ.get(HOME_VARIABLE, ""))
    if moved:
        return moved_home(moved)
    return Path(platformdirs.user_data_dir("segue", appauthor=False))


def _unquoted(value: str) -> str:
    """``value`` without the spaces around it, nor the quotes around a path with spaces: in
    cmd, ``set SEGUE_HOME="C:\\Users\\Zoë Müller\\segue"`` keeps its quotes in the value,
    which was then refused as a relative path, with a full path of the current folder and
    the quoted one after it offered instead (helper-327). Windows takes no '"' in a file
    name, and a folder whose name begins and ends with a quote is no musician's."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def moved_home(moved: str) -> Path:
    """The home ``$SEGUE_HOME`` names (``~`` is the user's home folder), which must be a full
    path: ``SEGUE_HOME=models`` named another folder from each folder segue was started in,
    and a bridge started from anywhere else (by Live, or from another terminal) did not find
    the models installed there (helper-323). The refusal offers the folder it names here."""
    home = Path(moved).expanduser()
    if not home.is_absolute():
        raise SegueError(
            f"{HOME_VARIABLE} is {moved!r}, a folder relative to wherever segue starts, so "
            "each folder would have a home of its own and a bridge started elsewhere would "
            f"not find your models; give its full path, such as {home.absolute()}"
        )
    return home


def user_models_dir() -> Path:
    """Where ``segue models add`` (and a tuned model) installs a model, NAME.pt and NAME.md."""
    return segue_home() / "models"
