"""The bridge's log on the console, written by a thread of its own (:func:`console_log`).

A console can stop taking output: a Windows console stops every program's writes to it
while text is selected in it (a stray click, QuickEdit's default), and a pipe nobody
reads fills up. Written from the threads that answer, one log line would then hold up
every answer until the console moved again. So the serving threads only put their
records in a queue, and one thread writes them out: a console that blocks holds up
that thread alone.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import QueueHandler

import click

from segue.cli.console import GONE, write_nowhere

CLOSE_WAIT = 2.0
"""Seconds the end waits for the writer to empty the queue (a console still blocked is
not worth hanging the exit for)."""


class EchoHandler(logging.Handler):
    """Log records as timestamped lines on stdout (warnings on stderr). A line the console
    cannot take is dropped, and the lines after it are still written: a write to a terminal
    just closed (EIO) or a pipe whose reader has gone raised in the writer thread and ended
    it, every later line lost without a word. A console gone for good is pointed at the null
    device, so the lines after it and the last flush at exit go nowhere quietly."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stamp = time.strftime("%H:%M:%S", time.localtime(record.created))
            line = f"{stamp} {record.getMessage()}"
        except Exception:  # a record that makes no line (its arguments): logging's own way
            self.handleError(record)
            return
        err = record.levelno >= logging.WARNING
        if _echoed(line, err) and record.exc_info:
            _echoed("".join(traceback.format_exception(*record.exc_info)), True)


def _echoed(text: str, err: bool) -> bool:
    """Write ``text`` to stdout (stderr with ``err``); False when it is dropped: the console
    failed to take it (logging's handleError would print a traceback to that console), and
    one gone for good is pointed at the null device."""
    try:
        click.echo(text, err=err)
    except (OSError, ValueError) as exc:  # ValueError: the stream closed
        if isinstance(exc, OSError) and exc.errno in GONE:
            write_nowhere(sys.stderr if err else sys.stdout)
        return False
    return True


@contextmanager
def console_log(log: logging.Logger, handler: logging.Handler) -> Iterator[None]:
    """While inside, ``log``'s records reach ``handler`` through a queue and a writer
    thread; at the end, what is queued is written (for up to :data:`CLOSE_WAIT` s)."""
    records: queue.SimpleQueue[logging.LogRecord | None] = queue.SimpleQueue()

    def write() -> None:
        while (record := records.get()) is not None:
            handler.handle(record)

    writer = threading.Thread(target=write, name="segue console log", daemon=True)
    writer.start()
    before = log.handlers[:]
    log.handlers[:] = [QueueHandler(records)]
    try:
        yield
    finally:
        log.handlers[:] = before
        records.put(None)
        writer.join(CLOSE_WAIT)
