"""Ctrl-C, SIGTERM and Windows' Ctrl-Break during training: finish the batch, save, stop."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


def stop_signals() -> list[int]:
    """What asks training to stop: Ctrl-C, SIGTERM, and on Windows SIGBREAK (Ctrl-Break).
    A console window closing raises SIGBREAK too, but Windows ends the process as soon as
    Python's own handler has returned, before this one runs: nothing is saved then."""
    names = ("SIGINT", "SIGTERM", "SIGBREAK")
    return [getattr(signal, name) for name in names if hasattr(signal, name)]


class StopFlag:
    """Set by Ctrl-C (SIGINT), SIGTERM or SIGBREAK: training saves ``last.pt`` after this batch.

    A second Ctrl-C more than a second after the first stops at once, without
    saving (signals that arrive together, as from torchrun, count as one).
    """

    def __init__(self) -> None:
        self.requested = False
        self.since = 0.0

    def request(self) -> None:
        if not self.requested:
            self.requested, self.since = True, time.monotonic()

    def _handle(self, signum: int, frame: object) -> None:
        again = self.requested and time.monotonic() - self.since > 1.0
        if again and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.request()


@contextmanager
def stop_on_signals(flag: StopFlag) -> Iterator[StopFlag]:
    """The stop signals set ``flag`` during the ``with`` block (in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    previous = {s: signal.signal(s, flag._handle) for s in stop_signals()}
    try:
        yield flag
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
