"""Talking to AbletonOSC over UDP: one socket, queries matched to their answers, size limits.

What this relies on, from AbletonOSC's ``osc_server.py`` and ``handler.py``:

* It listens on UDP 11000 and sends every answer to port **11001 of the
  sender's host**, never to the port a query came from; a connection therefore
  binds 11001 (one AbletonOSC client per computer can) and reads only
  datagrams from Live's host.
* A getter's answer comes back on the address asked, led by the indices of the
  query: ``/live/clip/get/length 0 2`` -> ``/live/clip/get/length 0 2 8.0``.
  Setters and actions (create a clip, add notes, name a clip) answer nothing.
* Whatever fails inside it (an unknown address, an exception in a handler, a
  failed send) is logged and sent as ``/live/error text``.
* An answer is one datagram. A long one (the notes of a dense clip) is longer
  than macOS lets a UDP datagram be (9,216 bytes); the send fails and only
  ``/live/error "Socket error: ... Message too long"`` arrives (AbletonOSC
  issue 88). :meth:`AbletonOSC.ask_fitting` says so, and the asker asks for less.
* It reads its socket once per 100 ms tick and handles messages in order.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import re
import socket
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from segue.bridge.codec import Message, decode, encode
from segue.bridge.errors import ProtocolError
from segue.bridge.sockets import exclusive, port_taken
from segue.errors import LiveError, LiveTimeout, SegueError

LIVE_PORT = 11000
"""AbletonOSC listens here."""
REPLY_PORT = 11001
"""AbletonOSC answers to this port of the sender's host."""
DEFAULT_HOST = "127.0.0.1"
DEFAULT_TIMEOUT = 3.0
SEND_LIMIT = 1400
"""Most bytes in one datagram this client sends: one Ethernet or Wi-Fi frame, far below
the 9,216 bytes macOS allows."""
GRACE = 0.35
"""Once the answers that matter have come, how long optional ones may still take (3 ticks)."""
ERROR = "/live/error"
BARRIER = "/live/song/get/num_scenes"
"""A getter every AbletonOSC has: its answer means everything sent before it was handled."""
INSTALL = (
    "install it from github.com/ideoforms/AbletonOSC into Live's User Library/Remote "
    "Scripts, restart Live and choose AbletonOSC as a Control Surface in Settings > "
    "Link, Tempo & MIDI"
)
_TOO_LONG = re.compile(
    r"message too long|errno 40\b|emsgsize|winerror 10040|larger than the "
    r"internal message buffer",
    re.IGNORECASE,
)
_UNKNOWN = re.compile(r"unknown osc address:\s*(\S+)", re.IGNORECASE)

Query = tuple[str, tuple[Any, ...], int]
"""(address, arguments, how many of the arguments the answer repeats first)."""


def parse_endpoint(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``HOST`` or ``:PORT`` -> (host, port), with AbletonOSC's defaults."""
    host, colon, port_text = text.strip().rpartition(":")
    if not colon:
        host, port_text = text.strip(), ""
    host = host.strip("[]") or DEFAULT_HOST
    if not port_text:
        return host, LIVE_PORT
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise SegueError(
            f"AbletonOSC address must look like HOST:PORT (e.g. 127.0.0.1:11000), got {text!r}"
        )
    return host, int(port_text)


def _same(got: object, wanted: object) -> bool:
    if isinstance(wanted, int | float) and isinstance(got, int | float):
        return float(got) == float(wanted)
    return got == wanted


def _echoes(message: Message, address: str, echo: Sequence[Any]) -> bool:
    """Whether ``message`` answers ``address`` asked with the arguments ``echo``."""
    return (
        message.address == address
        and len(message.args) >= len(echo)
        and all(_same(g, w) for g, w in zip(message.args, echo, strict=False))
    )


def whole(value: object, what: str) -> int:
    """A whole number AbletonOSC sent (Live's floats included) that OSC's 32-bit integers
    hold, or :class:`LiveError`."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value != int(value)
        or not -(2**31) <= value < 2**31
    ):
        raise LiveError(f"AbletonOSC sent {value!r} as the {what}; expected a whole number")
    return int(value)


def number(value: object, what: str) -> float:
    """A finite number AbletonOSC sent, or :class:`LiveError`."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LiveError(f"AbletonOSC sent {value!r} as the {what}; expected a number")
    return float(value)


def per_datagram(
    address: str, head: tuple[Any, ...], item: tuple[Any, ...], limit: int = SEND_LIMIT
) -> int:
    """How many ``item`` argument groups one ``address`` message after ``head`` may carry."""
    count = 1
    while len(encode(address, head + item * (count + 1))) <= limit:
        count += 1
    return count


def error_text(message: Message) -> str:
    """The text of a ``/live/error``, on one line."""
    text = " ".join(str(a) for a in message.args).strip()
    return " ".join(text.split()) or "an error without a message"


class AbletonOSC:
    """A connection to AbletonOSC over a real UDP socket: queries and their answers.

    ``with AbletonOSC() as live: track, scene = view.selected_clip(live)``. Every
    query waits at most ``timeout`` seconds; silence raises :class:`LiveTimeout`
    with a sentence on starting or installing AbletonOSC, ``/live/error`` raises
    :class:`LiveError` with AbletonOSC's text, and a socket that fails raises
    :class:`LiveError` too. One thread at a time.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = LIVE_PORT,
        reply_port: int = REPLY_PORT,
        timeout: float = DEFAULT_TIMEOUT,
        log: logging.Logger | None = None,
    ) -> None:
        if reply_port == port:
            raise SegueError(
                f"the reply port ({reply_port}) must differ from AbletonOSC's port ({port}): "
                f"AbletonOSC listens on {LIVE_PORT} and answers on {REPLY_PORT}"
            )
        self.host = host
        self.port = port
        self.reply_port = reply_port
        self.timeout = timeout
        self.log = log or logging.getLogger("segue.abletonosc")
        self._sock: socket.socket | None = None
        self._peer: tuple[str, int] = (host, port)
        self._pending: deque[Message] = deque()
        self.oversized = 0
        """Answers that did not come, too long for one datagram or lost (for logs and tests)."""

    # -- socket -----------------------------------------------------------------------------
    @property
    def where(self) -> str:
        return f"udp {self.host}:{self.port}"

    def open(self) -> AbletonOSC:
        """Bind the port AbletonOSC answers to (loopback only when Live runs here)."""
        if self._sock is not None:
            return self
        try:
            infos = socket.getaddrinfo(self.host, self.port, socket.AF_INET, socket.SOCK_DGRAM)
        except socket.gaierror as exc:
            raise SegueError(f"AbletonOSC host {self.host!r}: {exc.strerror}") from None
        address = infos[0][4]
        self._peer = (str(address[0]), int(address[1]))
        local = "127.0.0.1" if ipaddress.ip_address(self._peer[0]).is_loopback else "0.0.0.0"
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            exclusive(sock)  # on Windows, a wider bind of the port by another program refuses
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            sock.bind((local, self.reply_port))
        except OSError as exc:
            sock.close()
            hint = (
                " (another AbletonOSC client, such as TouchOSC or a second segue, holds it; "
                "AbletonOSC always answers on this port)"
                if port_taken(exc)
                else ""
            )
            raise SegueError(
                f"cannot listen on udp {local}:{self.reply_port} for AbletonOSC's "
                f"answers: {exc.strerror}{hint}"
            ) from None
        self._sock = sock
        return self

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> AbletonOSC:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _socket(self) -> socket.socket:
        if self._sock is None:
            self.open()
        assert self._sock is not None
        return self._sock

    def send(self, address: str, *args: Any) -> None:
        """One message to AbletonOSC (it answers setters and actions with nothing)."""
        data = encode(address, args)
        if len(data) > SEND_LIMIT:
            raise ValueError(f"{address}: {len(data)} bytes is over {SEND_LIMIT}")
        try:
            self._socket().sendto(data, self._peer)
        except OSError as exc:
            raise LiveError(f"cannot reach AbletonOSC: {exc}") from None

    def receive(self, deadline: float) -> Message | None:
        """The next message from Live's host, or None at the deadline (``time.monotonic``)."""
        sock = self._socket()
        while not self._pending:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            sock.settimeout(left)
            try:
                data, sender = sock.recvfrom(65536)
            except TimeoutError:
                return None
            except (ConnectionResetError, ConnectionRefusedError):
                continue  # Windows reports an earlier send to a closed port here
            except OSError as exc:
                raise LiveError(f"cannot reach AbletonOSC: {exc}") from None
            if sender[0] != self._peer[0]:
                self.log.debug("ignored a datagram from %s (not AbletonOSC's host)", sender[0])
                continue
            try:
                self._pending.extend(decode(data))
            except ProtocolError as exc:
                self.log.debug("ignored a datagram from AbletonOSC: %s", exc)
        return self._pending.popleft()

    def drain(self) -> int:
        """Forget everything already received (late answers of an earlier job); returns how many."""
        dropped = len(self._pending)
        self._pending.clear()
        while self.receive(time.monotonic() + 0.001) is not None:
            dropped += 1
        return dropped

    def _silence(self, waited: float) -> str:
        """What to do when Live is silent: the install first, as an OSC client sees only
        the sentence's first 200 characters; the ports last."""
        ports = f"AbletonOSC listens on UDP {LIVE_PORT} and answers on {REPLY_PORT}"
        if self.reply_port != REPLY_PORT:
            ports += f"; segue reads answers on {self.reply_port}"
        return (
            f"Ableton Live did not answer on {self.where} within {waited:g} s: is Live "
            f"running with AbletonOSC on? ({INSTALL}; {ports})"
        )

    # -- queries ----------------------------------------------------------------------------
    def gather(
        self, queries: Sequence[Query], required: int | None = None, timeout: float | None = None
    ) -> list[tuple[Any, ...] | None]:
        """Send every query at once and collect the answers (after their echoed arguments).

        The first ``required`` queries (all by default) must be answered, or
        :class:`LiveTimeout` is raised. The others are optional: None when
        AbletonOSC does not know the address, or has not answered within
        :data:`GRACE` seconds of the required ones (it answers queries sent
        together in the same tick). ``/live/error`` raises :class:`LiveError`.
        """
        count = len(queries)
        required = count if required is None else required
        keys = [(address, args[:echo]) for address, args, echo in queries]
        results: list[tuple[Any, ...] | None] = [None] * count
        done = [False] * count
        for address, args, _ in queries:
            self.send(address, *args)
        waited = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + waited
        graced = False
        while not all(done):
            if not graced and all(done[:required]):
                deadline, graced = min(deadline, time.monotonic() + GRACE), True
            message = self.receive(deadline)
            if message is None:
                break
            if message.address == ERROR:
                self._unknown_or_raise(message, keys, done, required)
                continue
            for i, (address, echo) in enumerate(keys):
                if not done[i] and _echoes(message, address, echo):
                    results[i], done[i] = tuple(message.args[len(echo) :]), True
                    break
        if not all(done[:required]):
            raise LiveTimeout(self._silence(waited))
        return results

    def _unknown_or_raise(
        self,
        message: Message,
        keys: list[tuple[str, tuple[Any, ...]]],
        done: list[bool],
        required: int,
    ) -> None:
        text = error_text(message)
        found = _UNKNOWN.search(text)
        unknown = found.group(1) if found else None
        hits = [i for i, (address, _) in enumerate(keys) if not done[i] and address == unknown]
        if not hits:
            raise LiveError(f"AbletonOSC: {text}")
        for i in hits:
            done[i] = True
        if any(i < required for i in hits):
            raise LiveError(
                f"AbletonOSC does not know {unknown}: update AbletonOSC to its latest version"
            )

    def ask(self, address: str, *args: Any, echo: int | None = None) -> tuple[Any, ...]:
        """One query; its answer's values after the ``echo`` repeated arguments."""
        answer = self.gather([(address, args, len(args) if echo is None else echo)])[0]
        assert answer is not None
        return answer

    def ask_fitting(
        self, address: str, args: tuple[Any, ...], echo: int, what: str
    ) -> tuple[Any, ...] | None:
        """One query whose answer may not fit in one datagram: its values after the ``echo``
        repeated arguments, or None when it does not come (AbletonOSC says it is too long
        for one datagram, or it is lost): then ask for less. ``what`` names it in the log.
        """
        self.send(address, *args)
        deadline = time.monotonic() + self.timeout
        while (message := self.receive(deadline)) is not None:
            if message.address == ERROR:
                text = error_text(message)
                if not _TOO_LONG.search(text):
                    raise LiveError(f"AbletonOSC: {text}")
                self.log.info("%s: too long for one datagram", what)
                self.oversized += 1
                return None
            if _echoes(message, address, args[:echo]):
                return tuple(message.args[echo:])
        self.log.info("%s: no answer", what)
        self.oversized += 1
        self.settle()
        return None

    def settle(self) -> None:
        """Wait until AbletonOSC has handled everything sent so far (it works in order), so
        that a late answer cannot be taken for a later one; LiveTimeout if Live is gone."""
        self.send(BARRIER)
        deadline = time.monotonic() + self.timeout
        while (message := self.receive(deadline)) is not None:
            if message.address == BARRIER:
                return
            if message.address == ERROR and not _TOO_LONG.search(error_text(message)):
                raise LiveError(f"AbletonOSC: {error_text(message)}")
        raise LiveTimeout(self._silence(self.timeout))
