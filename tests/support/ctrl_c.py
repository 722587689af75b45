"""Ctrl-C for a child process, as each OS delivers one.

POSIX sends SIGINT. Windows cannot send Ctrl-C to one process: a child started in a
process group of its own (``NEW_GROUP``) is sent Ctrl-Break (SIGBREAK) instead, which
`segue train` and `segue serve` take as they take Ctrl-C.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

if sys.platform == "win32":
    NEW_GROUP: dict[str, Any] = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
else:
    NEW_GROUP = {}
"""Popen's keyword arguments for a child that :func:`interrupt` can reach."""


def interrupt(process: subprocess.Popen) -> None:
    """Press Ctrl-C for ``process`` (started with ``NEW_GROUP``)."""
    if sys.platform == "win32":
        process.send_signal(signal.CTRL_BREAK_EVENT)
    else:
        process.send_signal(signal.SIGINT)
