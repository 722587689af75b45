"""How many CPU cores this process may use (:func:`usable_cores`): the count that worker
pools and torch's threads are sized by.

Linux can confine a process to some of the machine's cores (``taskset``, a container's CPU
set), and only there does Python know the confinement (``os.sched_getaffinity``); macOS
and Windows give every core of the machine.
"""

from __future__ import annotations

import os
import sys


def usable_cores() -> int:
    """The cores this process may run on, at least 1."""
    if sys.platform == "linux":
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
