"""Ctrl-C, SIGTERM and Windows' Ctrl-Break during training: finish the batch, save, stop.

Closing a Windows console window is another such request, but Windows ends the process
as soon as the handler of that event returns (and 5 s after the event at the latest),
and Python's own handler returns at once. So on Windows :func:`stop_on_signals` also
registers a handler of its own (:func:`console_close_waits`) that asks for the stop and
waits, up to :data:`CLOSE_WAIT` s, until the ``with`` block (the batch, the save) is done.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from segue.errors import Stopped

CLOSE_WAIT = 4.5
"""Seconds a closing console window is held open for the save (Windows allows 5)."""
CLOSING = (2, 5, 6)
"""CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT and CTRL_SHUTDOWN_EVENT (wincon.h)."""
Register = Callable[[Callable[[int], bool]], Callable[[], None]]
"""Registers a console control handler; returns what unregisters it."""


STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGBREAK", "SIGHUP")
"""Ctrl-C, a service manager's stop, Ctrl-Break on Windows, and on macOS and Linux the
terminal window closing (a hangup), where the platform has each."""


def stop_signals() -> list[int]:
    """What asks training, a tuning or the bridge to stop: :data:`STOP_SIGNALS` (on Windows,
    a console window closing is :func:`console_close_waits`'s), but a hangup that is ignored
    already: `nohup segue train ... &` goes on when the session that started it ends."""
    found = [getattr(signal, name) for name in STOP_SIGNALS if hasattr(signal, name)]
    hangup = getattr(signal, "SIGHUP", None)
    return [s for s in found if s != hangup or signal.getsignal(s) != signal.SIG_IGN]


def terminals() -> tuple[int, ...]:
    """The output descriptors (1, 2) that are terminals now, before any hangup (after it, a
    closed terminal no longer says it is one)."""
    out = []
    for fd in (1, 2):
        try:
            if os.isatty(fd):
                out.append(fd)
        except OSError:
            pass
    return tuple(out)


def hung_up(signum: int, ttys: Sequence[int]) -> bool:
    """Whether ``signum`` says the terminal is gone (SIGHUP), and if so make what is still
    written to it (``ttys``: the descriptors that were terminals, :func:`terminals`) go
    nowhere: the stop that follows (a batch, a save, the best so far installed, the
    bridge's last answers) would otherwise fail at its first line on the closed terminal
    (EIO), before it saved anything. Closing a macOS Terminal window with `segue tune`
    running killed it, the best so far lost. Output to a file or a pipe goes on there."""
    if signum != getattr(signal, "SIGHUP", None):
        return False
    if ttys:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        for fd in ttys:
            os.dup2(nowhere, fd)
        os.close(nowhere)
    return True


class StopFlag:
    """Set by Ctrl-C (SIGINT), SIGTERM or SIGBREAK: training saves ``last.pt`` after this batch.

    A second Ctrl-C more than a second after the first stops at once, without
    saving (signals that arrive together, as from torchrun, count as one).
    """

    def __init__(self) -> None:
        self.requested = False
        self.since = 0.0
        self.finished = threading.Event()  # the work asked to stop is done (saved)
        self.terminals: tuple[int, ...] = ()  # see hung_up (set by stop_on_signals)

    def request(self) -> None:
        if not self.requested:
            self.requested, self.since = True, time.monotonic()

    def _handle(self, signum: int, frame: object) -> None:
        hung_up(signum, self.terminals)
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
    flag.terminals = terminals()
    previous = {s: signal.signal(s, flag._handle) for s in stop_signals()}
    try:
        with console_close_waits(flag):
            yield flag
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


ENDING_SIGNALS = ("SIGTERM", "SIGBREAK", "SIGHUP")
"""The stop signals whose default is to end the process where it stands, no cleanup run."""


@contextmanager
def ended_as_ctrl_c() -> Iterator[None]:
    """While inside (in the main thread), SIGTERM, Ctrl-Break and a hangup end the command as
    Ctrl-C does: as KeyboardInterrupt, so that what it was writing is cleaned up and it says
    "stopped". Python's own defaults ended it where it stood, and a half-written file's
    temporary one was left beside its place for ever. A signal handled or ignored already
    (`nohup`) is left as it is; training, a tuning and the bridge handle them their way
    (:func:`stop_on_signals`), inside this."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    ttys = terminals()

    def end(signum: int, frame: object) -> None:
        hung_up(signum, ttys)
        raise KeyboardInterrupt

    numbers = [getattr(signal, n) for n in ENDING_SIGNALS if hasattr(signal, n)]
    previous = {s: signal.signal(s, end) for s in numbers if signal.getsignal(s) == signal.SIG_DFL}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def stops_held(done: str = "") -> Iterator[None]:
    """While inside (in the main thread), a stop signal waits: it acts, as it would have,
    once the block is left. For two files that must change together (a tuned model's
    weights and its card): a stop between them left a card that said the model was not
    refitted beside the refitted weights. A stop that then ends the command (as
    KeyboardInterrupt) after the block ran whole ends it as :class:`Stopped` saying ``done``
    (what the block did, such as "model bass was installed whole"), where given: a bare
    "segue: stopped" after the model was installed had a retry refused as a name taken."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    previous = {s: signal.signal(s, lambda n, f: came.append(n)) for s in stop_signals()}
    whole = False
    try:
        yield
        whole = True
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        try:
            for s in dict.fromkeys(came):
                signal.raise_signal(s)
        except KeyboardInterrupt:
            if not (whole and done):
                raise
            raise Stopped(done) from None


@contextmanager
def console_close_waits(flag: StopFlag, register: Register | None = None) -> Iterator[None]:
    """While inside, closing the console window (logging off, shutting down) sets ``flag``
    and holds the process until the block is left, for up to :data:`CLOSE_WAIT` s. Windows
    only (``register``: a stand-in for Windows' SetConsoleCtrlHandler, for tests)."""
    if register is None and sys.platform != "win32":
        yield
        return

    def closing(event: int) -> bool:
        if event not in CLOSING:
            return False  # Ctrl-C and Ctrl-Break: Python's own handlers
        flag.request()
        flag.finished.wait(CLOSE_WAIT)
        return True

    unregister = (register or _windows_register)(closing)
    try:
        yield
    finally:
        flag.finished.set()
        unregister()


def _windows_register(handler: Callable[[int], bool]) -> Callable[[], None]:
    """``handler`` as a console control handler of this process (kernel32)."""
    if sys.platform != "win32":
        raise OSError("console control handlers are Windows' own")
    import ctypes
    from ctypes import wintypes

    routine = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)(handler)  # kept: see below
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.SetConsoleCtrlHandler.argtypes = (ctypes.c_void_p, wintypes.BOOL)
    kernel32.SetConsoleCtrlHandler.restype = wintypes.BOOL
    kernel32.SetConsoleCtrlHandler(routine, True)

    def unregister() -> None:  # holds `routine` alive as long as Windows may call it
        kernel32.SetConsoleCtrlHandler(routine, False)

    return unregister
