"""Datagrams read but not yet handled, served fairly: one from each source in turn.

The server reads everything waiting on its socket into the inbox (reading is
cheap) and handles one datagram per source in turn (handling is not), so a
source that floods the bridge waits behind its own datagrams while everyone
else's are answered, and only its own are dropped when its share is full. A
source is a sending host (anyone may forge another port of a host, so a flood
from many ports is one source); on loopback it is the host and port, since each
program on this computer (a Live device, a script) has a port of its own.
Within a source the order is kept (a seed upload arrives as sent).
"""

from __future__ import annotations

from collections import OrderedDict, deque

from segue.bridge.allow import is_loopback

Source = str | tuple[str, int]
MAX_DATAGRAMS = 4096
"""A source's share (a seed of 2,048 notes sent at once fits, with its begin and end)."""
MAX_BYTES = 1 << 20
"""A source's share in bytes (as much as the socket's own receive buffer)."""
MAX_TOTAL = 65536
"""Datagrams waiting from all sources together."""


def source_of(client: tuple[str, int]) -> Source:
    return client if is_loopback(client[0]) else client[0]


class Inbox:
    def __init__(self) -> None:
        self._queues: OrderedDict[Source, deque[tuple[bytes, tuple[str, int]]]] = OrderedDict()
        self._bytes: dict[Source, int] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def put(self, data: bytes, client: tuple[str, int]) -> bool:
        """Keep a datagram for :meth:`take`; False when its source's share is full (dropped)."""
        source = source_of(client)
        queue = self._queues.get(source)
        if queue is None:
            if self._count >= MAX_TOTAL:
                return False
            queue = self._queues[source] = deque()
            self._bytes[source] = 0
        elif len(queue) >= MAX_DATAGRAMS or self._bytes[source] + len(data) > MAX_BYTES:
            return False
        if self._count >= MAX_TOTAL:
            return False
        queue.append((data, client))
        self._bytes[source] += len(data)
        self._count += 1
        return True

    def take(self) -> tuple[bytes, tuple[str, int]] | None:
        """The next datagram of the source whose turn it is, or None when all is handled."""
        if not self._queues:
            return None
        source, queue = self._queues.popitem(last=False)
        data, client = queue.popleft()
        self._count -= 1
        if queue:
            self._queues[source] = queue  # to the back of the line
            self._bytes[source] -= len(data)
        else:
            del self._bytes[source]
        return data, client
