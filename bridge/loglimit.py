"""One log line per kind of trouble per client per interval, whatever arrives.

A flood of bad datagrams would otherwise write a line each (15,000 lines a
second), with ``segue serve -q`` too, since errors are warnings. The first line of
a kind (an error code, "refused", "echoes", ...) from a source is written; the
same kind from the same source is then only counted until the interval is over,
and one line says how many were left out. A source is as in the inbox
(:func:`segue.bridge.inbox.source_of`): a host, or on loopback a host and port.
When very many sources misbehave at once, the newest are counted together.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from segue.bridge.inbox import Source, source_of
from segue.bridge.session import client_text

MAX_KEYS = 1024
"""(source, kind) pairs followed at once; more are counted together."""
EVERYONE_ELSE = "other sources"
INTERVAL = 10.0
"""Seconds between two lines of one kind from one source."""


class LogLimiter:
    def __init__(
        self,
        log: logging.Logger,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.log = log
        self.interval = interval
        self.clock = clock
        self._seen: dict[tuple[Source, str], list[float]] = {}  # key -> [since, left out]
        self._lock = threading.Lock()

    def log_line(
        self,
        level: int,
        client: tuple[str, int],
        kind: str,
        text: str,
        *args: object,
        exc_info: bool = False,
        count: int = 1,
    ) -> None:
        """Log ``text % args`` unless a line of this ``kind`` from ``client``'s source was
        logged lately; ``count`` is how many things the line stands for."""
        now = self.clock()
        with self._lock:
            key: tuple[Source, str] = (source_of(client), kind)
            if key not in self._seen and len(self._seen) >= MAX_KEYS:
                key = (EVERYONE_ELSE, kind)
            seen = self._seen.get(key)
            if seen is not None:
                seen[1] += count
                return
            self._seen[key] = [now, count - 1]
        self.log.log(level, text, *args, exc_info=exc_info)

    def warning(self, client: tuple[str, int], kind: str, text: str, *args: object) -> None:
        self.log_line(logging.WARNING, client, kind, text, *args)

    def flush(self) -> None:
        """End the intervals that are over: one line for each kind that was left out."""
        now = self.clock()
        with self._lock:
            ended = [
                (key, int(left))
                for key, (since, left) in self._seen.items()
                if now - since >= self.interval
            ]
            for key, _ in ended:
                del self._seen[key]
        for (source, kind), left in ended:
            if left:
                self.log.warning(
                    "%s: %d more %s in the last %g s (not logged one by one)",
                    client_text(source) if isinstance(source, tuple) else source,
                    left,
                    kind,
                    self.interval,
                )
