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
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import QueueHandler

import click

CLOSE_WAIT = 2.0
"""Seconds the end waits for the writer to empty the queue (a console still blocked is
not worth hanging the exit for)."""


class EchoHandler(logging.Handler):
    """Log records as timestamped lines on stdout (warnings on stderr)."""

    def emit(self, record: logging.LogRecord) -> None:
        stamp = time.strftime("%H:%M:%S", time.localtime(record.created))
        click.echo(f"{stamp} {record.getMessage()}", err=record.levelno >= logging.WARNING)
        if record.exc_info:
            click.echo("".join(traceback.format_exception(*record.exc_info)), err=True)


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
