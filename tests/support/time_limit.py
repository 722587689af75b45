"""A time limit for a call a test makes in its own process (segue's main() through the
``segue_main`` fixture): a call that hangs fails its test, saying where it hung, where a
subprocess's ``timeout`` used to; without it a hang held the whole run until CI's limit.

On POSIX, in the main thread (where pytest runs its tests), a ``SIGALRM`` timer raises
:class:`TimeLimitExceeded` there: the handler runs between bytecodes, and a system call that
blocks (a socket's ``recv``, a lock, ``time.sleep``) is interrupted for it. Elsewhere (Windows,
another thread) a watchdog thread raises it in the waiting thread as an asynchronous exception,
which Python delivers when that thread next runs bytecode: a call blocked in C waits until it
returns. Either way the exception's traceback, and its message, show the stack where the call
was when the time ran out."""

from __future__ import annotations

import ctypes
import re
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_RUNNER = re.compile(r"[\\/](_pytest|pluggy)[\\/]")


class TimeLimitExceeded(BaseException):
    """A call ran past its limit. A BaseException, as KeyboardInterrupt is: code that turns
    its errors into one-line messages (``except Exception``) lets it through to the test."""


def _where(frame: FrameType | None) -> str:
    """The stack at ``frame``, from the test's own frames on (pytest's and pluggy's left out)."""
    stack = traceback.extract_stack(frame)
    runner = [k for k, f in enumerate(stack) if _RUNNER.search(f.filename)]
    kept = traceback.StackSummary.from_list(stack[runner[-1] + 1 if runner else 0 :])
    return "".join(kept.format()) or "(no stack)\n"


def _said(what: str, seconds: float, where: str) -> str:
    return f"{what} ran past its {seconds:g} s limit (hung?); it was here:\n{where}"


class Limit:
    """What a :func:`time_limit` saw: ``fired`` once the time ran out, and ``message``
    (what ran, its limit, and the stack where it was)."""

    def __init__(self) -> None:
        self.fired = False
        self.message = ""


@contextmanager
def time_limit(seconds: float, what: str, alarm: bool | None = None) -> Iterator[Limit]:
    """Raise :class:`TimeLimitExceeded` in this thread if the block runs past ``seconds``.
    ``alarm`` chooses the way (None: ``SIGALRM`` where there is one and this is the main
    thread, else the watchdog thread)."""
    if alarm is None:
        alarm = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    limit = Limit()
    with _alarm(seconds, what, limit) if alarm else _watchdog(seconds, what, limit):
        yield limit


@contextmanager
def _alarm(seconds: float, what: str, limit: Limit) -> Iterator[None]:
    def fire(signum: int, frame: FrameType | None) -> None:
        limit.fired, limit.message = True, _said(what, seconds, _where(frame))
        raise TimeLimitExceeded(limit.message)

    before = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


@contextmanager
def _watchdog(seconds: float, what: str, limit: Limit) -> Iterator[None]:
    ident = threading.get_ident()
    done = threading.Event()
    lock = threading.Lock()  # the block's end and the watchdog's raise do not cross

    def watch() -> None:
        if done.wait(seconds):
            return
        with lock:
            if done.is_set():
                return
            limit.fired = True
            limit.message = _said(what, seconds, _where(sys._current_frames().get(ident)))
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(ident), ctypes.py_object(TimeLimitExceeded)
            )

    watcher = threading.Thread(target=watch, name="time-limit", daemon=True)
    watcher.start()
    try:
        yield
    except TimeLimitExceeded as raised:  # raised bare (a class): give it the message
        raise TimeLimitExceeded(limit.message) from raised
    finally:
        with lock:
            done.set()
        watcher.join()
