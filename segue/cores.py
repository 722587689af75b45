"""How many CPU cores this process may use (:func:`usable_cores`), and how many worker
processes one pool may have on this OS (:func:`worker_count`).

Linux can confine a process to some of the machine's cores (``taskset``, a container's CPU
set), and only there does Python know the confinement (``os.sched_getaffinity``); macOS
and Windows give every core of the machine. On Windows, Python's multiprocessing waits
on its workers' handles with ``WaitForMultipleObjects``, which watches at most 64 (63
for Python's callers): a pool sized by a 32-thread processor would fail there.
"""

from __future__ import annotations

import os
import sys

WINDOWS_WAIT = 63
"""Handles one wait of Python's multiprocessing can watch on Windows."""


def usable_cores() -> int:
    """The cores this process may run on, at least 1."""
    if sys.platform == "linux":
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(wanted: int, handles: int = 1, spare: int = 2, platform: str | None = None) -> int:
    """``wanted`` workers (at least 1), but on Windows (``platform``: ``sys.platform``'s
    value) no more than one wait can watch, with ``handles`` for each worker and ``spare``
    for the pool's own (multiprocessing's Pool: 1 and 2, as concurrent.futures caps it)."""
    if (platform or sys.platform) == "win32":
        return max(1, min(wanted, (WINDOWS_WAIT - spare) // handles))
    return max(1, wanted)
