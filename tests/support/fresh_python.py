"""Python code run in a fresh interpreter: for what a process does to itself (its
priority, its cores, what it has imported), which a test must not do to pytest's."""

from __future__ import annotations

import subprocess
import sys


def fresh_python(code: str) -> str:
    """What ``code`` prints, run with ``python -c`` in a new interpreter (it must succeed)."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True
    ).stdout
