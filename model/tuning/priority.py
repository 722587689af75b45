"""A background process that lets the computer's other work go first (:func:`lower_priority`).

A tuning started from Live runs beside Live and the bridge, which a musician is waiting on;
it should take only the CPU they leave. Each OS says so its own way:

- Linux and macOS: the process's niceness is raised by :data:`NICENESS` (``os.nice``).
- Windows has no niceness. The process's priority class becomes "below normal"
  (``SetPriorityClass`` of kernel32 with ``BELOW_NORMAL_PRIORITY_CLASS``, Task Manager's
  "Below normal").

Where the OS refuses, the process carries on at the priority it has: a tuning that takes
longer is better than none.
"""

from __future__ import annotations

import ctypes
import os
import sys
from typing import Any

NICENESS = 5
"""How much nicer than its parent the process becomes on Linux and macOS."""
BELOW_NORMAL_PRIORITY_CLASS = 0x00004000
"""Windows' priority class between idle and normal (the value in WinBase.h)."""


def _kernel32() -> Any:
    """Windows' kernel32, its two calls declared (a HANDLE is pointer-sized on 64-bit Windows:
    left to ctypes' default of a C int, the current-process handle would be cut to 32 bits)."""
    if sys.platform != "win32":
        raise OSError("kernel32 exists only on Windows")
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.GetCurrentProcess.restype = ctypes.c_void_p
    kernel32.GetCurrentProcess.argtypes = ()
    kernel32.SetPriorityClass.restype = ctypes.c_int
    kernel32.SetPriorityClass.argtypes = (ctypes.c_void_p, ctypes.c_ulong)
    return kernel32


def lower_priority(platform: str | None = None, kernel32: Any = None) -> str:
    """Lower this process's priority as its OS (``platform``: ``sys.platform``'s value) does it;
    what was done, in words. ``kernel32``: Windows' library (None: loaded when needed)."""
    platform = platform or sys.platform
    if platform == "win32":
        try:
            lib = kernel32 if kernel32 is not None else _kernel32()
            done = lib.SetPriorityClass(lib.GetCurrentProcess(), BELOW_NORMAL_PRIORITY_CLASS)
        except (OSError, AttributeError) as exc:
            return f"priority unchanged ({exc})"
        return "priority below normal" if done else "priority unchanged (Windows refused)"
    if not hasattr(os, "nice"):
        return "priority unchanged (this Python cannot change it)"
    try:
        return f"niceness {os.nice(NICENESS)}"
    except OSError as exc:
        return f"priority unchanged ({exc})"
