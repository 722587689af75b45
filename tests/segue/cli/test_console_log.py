"""The bridge's log through a queue: a console that blocks holds up only its writer."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

import pytest

from segue.cli import console_log as console_log_module
from segue.cli.console_log import EchoHandler, console_log


class Blocked(logging.Handler):
    """A console that takes nothing until ``moves`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.moves = threading.Event()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.moves.wait()
        self.lines.append(record.getMessage())


def test_logging_returns_at_once_while_the_console_is_blocked_and_nothing_is_lost() -> None:
    log = logging.getLogger("segue.test.console.blocked")
    log.propagate, log.handlers[:] = False, [EchoHandler()]
    log.setLevel(logging.INFO)
    console = Blocked()
    with console_log(log, console):
        started = time.monotonic()
        for i in range(200):
            log.info("request %d", i)
        assert time.monotonic() - started < 1.0 and console.lines == []
        console.moves.set()
    assert console.lines == [f"request {i}" for i in range(200)]
    assert [type(h) for h in log.handlers] == [EchoHandler]  # as it was before


def test_a_console_still_blocked_at_the_end_does_not_hang_the_exit(monkeypatch) -> None:
    monkeypatch.setattr(console_log_module, "CLOSE_WAIT", 0.2)
    log = logging.getLogger("segue.test.console.stuck")
    log.propagate = False
    log.setLevel(logging.INFO)
    console = Blocked()
    started = time.monotonic()
    with console_log(log, console):
        log.info("never shown")
    assert time.monotonic() - started < 2.0
    console.moves.set()


def test_lines_are_stamped_and_a_failure_keeps_its_traceback(capsys) -> None:
    log = logging.getLogger("segue.test.console.echo")
    log.propagate = False
    log.setLevel(logging.INFO)
    with console_log(log, EchoHandler()):
        log.info("127.0.0.1:9000 request 1: 8 notes in")
        try:
            raise ValueError("bad clip")
        except ValueError:
            log.exception("request 2 failed")
    out, err = capsys.readouterr()
    assert out.endswith(" 127.0.0.1:9000 request 1: 8 notes in\n") and out[2] == ":"
    assert "request 2 failed" in err and "ValueError: bad clip" in err


class Echoed(EchoHandler):
    """The bridge's console handler, counting the records it was handed."""

    def __init__(self) -> None:
        super().__init__()
        self.handed: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        self.handed.append(record.getMessage())


def _closed_console(kind: str) -> tuple[int, int]:
    """A console (its file descriptor, and the reader's) as ``kind`` is: a terminal window
    (a pseudo-terminal) or a pipe."""
    if kind == "terminal":
        reader, console = os.openpty()
    else:
        reader, console = os.pipe()
    return console, reader


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(
            "terminal",
            marks=pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals"),
        ),
        "pipe",
    ],
)
def test_a_console_gone_drops_its_lines_and_the_writer_goes_on(kind, monkeypatch, capsys) -> None:
    """A line written to a terminal just closed (EIO) raised in the writer thread and ended
    it: every later line was lost without a word, and the exit's flush could fail. Each line
    now is dropped, the writer goes on, and the console gone is pointed at the null device."""
    fd, reader = _closed_console(kind)
    console = os.fdopen(fd, "w", encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", console)
    log = logging.getLogger(f"segue.test.console.gone.{kind}")
    log.propagate = False
    log.setLevel(logging.INFO)
    handler = Echoed()
    try:
        with console_log(log, handler):
            log.info("shown")
            deadline = time.monotonic() + 10
            while not handler.handed and time.monotonic() < deadline:
                time.sleep(0.01)
            os.close(reader)  # the window closes, or the reader goes
            for i in range(3):
                log.info("line %d", i)
        assert handler.handed == ["shown", "line 0", "line 1", "line 2"]
        null = os.stat(os.devnull)
        assert (os.fstat(fd).st_dev, os.fstat(fd).st_ino) == (null.st_dev, null.st_ino)
        console.write("the last flush at exit\n")
        console.flush()  # does not fail
        assert capsys.readouterr().err == ""  # no traceback of the writer thread
    finally:
        console.close()
