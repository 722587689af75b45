"""How many reply bytes per second each host may be sent, so the bridge cannot flood anyone.

UDP lets anyone forge a request's source address, so a short request could make
the bridge answer a stranger with far more bytes than it cost to send (one
184-byte bundle asked for 16 variations of 64 bars). As DNS servers do with
response rate limiting, each host that is not this computer has a token bucket of
reply bytes: ``burst`` bytes at once, refilled at ``rate`` bytes a second.
Replies to loopback addresses are never limited (nobody can forge those from
outside). A reply that does not fit is dropped by :meth:`ReplyBudget.take`;
a generation's notes wait for room instead (:meth:`ReplyBudget.wait`), so a
client asking for a long answer gets all of it, only more slowly.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from segue.bridge.allow import is_loopback

MAX_HOSTS = 4096
"""Buckets kept; the least recently used is dropped (it is full again by then, or soon)."""


class ReplyBudget:
    """Token buckets of reply bytes, one per host (thread-safe)."""

    def __init__(
        self,
        rate: float,
        burst: float,
        clock: Callable[[], float] = time.monotonic,
        *,
        loopback: bool = False,
    ) -> None:
        self.rate = float(rate)
        self.burst = float(burst)
        self.loopback = loopback  # this computer's addresses are limited too
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _level(self, host: str, now: float) -> float:
        tokens, then = self._buckets.get(host, (self.burst, now))
        return min(self.burst, tokens + (now - then) * self.rate)

    def _store(self, host: str, tokens: float, now: float) -> None:
        self._buckets[host] = (tokens, now)
        self._buckets.move_to_end(host)
        while len(self._buckets) > MAX_HOSTS:
            self._buckets.popitem(last=False)

    def limits(self, host: str) -> bool:
        """Whether ``host``'s replies are held to a budget (this computer's are not, unless
        ``loopback``)."""
        return self.loopback or not is_loopback(host)

    def take(self, host: str, size: int) -> bool:
        """Spend ``size`` bytes of ``host``'s budget if they are there; False: drop the reply
        (``host``: an address; with ``loopback``, any key: one per address and port)."""
        if not self.limits(host):
            return True
        with self._lock:
            now = self.clock()
            tokens = self._level(host, now)
            if tokens < size:
                self._store(host, tokens, now)
                return False
            self._store(host, tokens - size, now)
            return True

    def wait(self, host: str, size: int, stop: Callable[[], bool]) -> bool:
        """Wait until ``size`` bytes fit, then spend them; False if ``stop()`` said stop first."""
        size = min(size, int(self.burst))
        while not self.take(host, size):
            if stop():
                return False
            with self._lock:
                short = size - self._level(host, self.clock())
            time.sleep(min(0.05, max(0.001, short / self.rate)))
        return True
