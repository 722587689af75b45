"""The `segue` command's entry point, which loads the command line itself.

Ctrl-C while the command's modules load (a second or more on a first start, longer on
Windows while an antivirus scans each one) printed a traceback from deep in an import; it
now says "stopped", as Ctrl-C does once the command runs.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    try:
        from segue.cli import main as run
    except KeyboardInterrupt:
        print("segue: stopped", file=sys.stderr)
        return 130
    return run(argv)
