"""A stand-in for Windows' console control events (SetConsoleCtrlHandler), for the
tests of what segue does when its console window closes."""

from __future__ import annotations

import threading
import time


class Console:
    """Windows' SetConsoleCtrlHandler as far as segue uses it: the handler registered, and
    Windows' call of it (in a thread of its own) when the window closes."""

    def __init__(self) -> None:
        self.handler = None
        self.answers: list[tuple[bool, float]] = []

    def register(self, handler):
        self.handler = handler

        def unregister() -> None:
            self.handler = None

        return unregister

    def send(self, event: int) -> threading.Thread:
        handler = self.handler

        def call() -> None:
            started = time.monotonic()
            self.answers.append((handler(event), time.monotonic() - started))

        thread = threading.Thread(target=call)
        thread.start()
        return thread
