"""`segue serve` as a real subprocess, for tests that start the bridge as a musician does."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

from ctrl_c import NEW_GROUP, interrupt


class Serve:
    """A `segue serve` subprocess whose output is collected line by line."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "segue", "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            **NEW_GROUP,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._pump, args=(stream, lines), daemon=True).start()

    @staticmethod
    def _pump(stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.out + self.err:
                if found := re.search(pattern, line):
                    return found
            if self.proc.poll() is not None and time.monotonic() > deadline - timeout + 1:
                time.sleep(0.2)  # let the pumps finish
                for line in self.out + self.err:
                    if found := re.search(pattern, line):
                        return found
                raise AssertionError(f"serve exited {self.proc.returncode}: {self.err[-5:]}")
            time.sleep(0.05)
        raise AssertionError(f"no {pattern!r} in {self.out[-5:]} {self.err[-5:]}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            interrupt(self.proc)
        return self.proc.wait(20)
