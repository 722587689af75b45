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

HOME_VARIABLE = "SEGUE_HOME"


def segue_home() -> Path:
    """The folder (which may not exist yet): ``$SEGUE_HOME``, else the OS's place for it."""
    moved = os.environ.get(HOME_VARIABLE, "").strip()
    if moved:
        return Path(moved).expanduser()
    return Path(platformdirs.user_data_dir("segue", appauthor=False))


def user_models_dir() -> Path:
    """Where ``segue models add`` (and a tuned model) installs a model, NAME.pt and NAME.md."""
    return segue_home() / "models"
