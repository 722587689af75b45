"""A Learn's tuning process whose install of the model is slow: the bridge ends it while it
writes. Run in the spawned tuning process in place of ``run_tuning``, so the test reaches it
there; it says ``("writing",)`` when the model's weights are written, not yet in their place."""

from __future__ import annotations

import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from segue.model.tuning.background import LearnRequest, run_tuning

HELD = 0.5
"""Seconds the weights wait before their rename."""


def tuning_whose_install_is_slow(
    request: LearnRequest, inbox: Connection, conn: Connection, stop: Any
) -> None:
    """:func:`~segue.model.tuning.background.run_tuning`, its weights' rename held."""
    import segue.files as files

    real = files.replace_file

    def held(tmp: Path, out: Path, platform: str | None = None) -> None:
        if out.suffix == ".pt":
            conn.send(("writing",))
            time.sleep(HELD)
        real(tmp, out, platform)

    files.replace_file = held  # this process's own module: no other test sees it
    run_tuning(request, inbox, conn, stop)
