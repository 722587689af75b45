"""A Learn's tuning process whose clip memory's refit never ends: a computer too busy to
finish it before the bridge stops (one took more than 30 s at a load of 13.8, session 58).
Run in the spawned tuning process in place of ``run_tuning``, so the test reaches it there."""

from __future__ import annotations

import time
from multiprocessing.connection import Connection
from typing import Any

from segue.model.tuning.background import LearnRequest, run_tuning


def refit_for_ever(*args: Any, **kwargs: Any) -> Any:
    """Stands in for ``segue.model.tuning.tune.refit``: it never returns."""
    while True:
        time.sleep(1.0)


def tuning_whose_refit_never_ends(
    request: LearnRequest, inbox: Connection, conn: Connection, stop: Any
) -> None:
    """:func:`~segue.model.tuning.background.run_tuning`, its refit never ending."""
    from segue.model.tuning import tune

    tune.refit = refit_for_ever  # this process's own module: no other test sees it
    run_tuning(request, inbox, conn, stop)
