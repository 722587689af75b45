"""The UDP server: receives datagrams, filters, decodes, and hands messages to the Bridge.

Datagrams are read with a 64 KiB buffer, so one over the 8,192 bytes a
python-osc server would silently truncate is seen whole and refused
(``too_big``). Anything that is not OSC is answered ``malformed``; nothing a
client sends can stop the loop. Everything waiting on the socket is read into
an :class:`~segue.bridge.inbox.Inbox` and handled one datagram per source in
turn, so one client's flood cannot starve the others. A datagram that must
never be answered (:func:`segue.bridge.allow.unanswerable`: from the bridge's
own port, from a port below 1024, ...) or from outside ``--allow`` is dropped
unanswered, with one log line per host and interval.
:meth:`BridgeServer.serve_forever` runs until :meth:`BridgeServer.shutdown`;
:meth:`BridgeServer.close` then answers every request in flight (see
:meth:`segue.bridge.dispatch.Bridge.stop`).
"""

from __future__ import annotations

import logging
import selectors
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, cast

from segue.bridge import protocol as P
from segue.bridge.abletonosc.transport import REPLY_PORT, AbletonOSC, parse_endpoint
from segue.bridge.allow import (
    exposes_network,
    is_allowed,
    listen_host,
    parse_allow,
    unanswerable,
)
from segue.bridge.budget import ReplyBudget
from segue.bridge.codec import decode, encode
from segue.bridge.dispatch import Bridge
from segue.bridge.errors import ProtocolError
from segue.bridge.inbox import Inbox
from segue.bridge.jobs import GenerateFn, default_generate
from segue.bridge.models import Loader, ModelCache, load_path
from segue.bridge.session import client_text
from segue.bridge.sockets import dual_stack, exclusive, port_taken
from segue.errors import SegueError
from segue.model.registry import DEFAULT_MODEL

RECEIVE_BUFFER = 4 << 20
"""The socket's receive buffer (the system may give less): it holds what arrives while the
bridge is busy or not scheduled, a flood's share and everyone else's."""
READ_AT_ONCE = 1024
"""Datagrams read from the socket before some are handled."""
HANDLE_AT_ONCE = 16
"""Datagrams handled before the socket is read again (reading is cheap, so under a flood
the bridge reads often and the kernel drops little: the inbox chooses what to drop)."""


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = P.DEFAULT_PORT
    model: str = DEFAULT_MODEL
    models_dir: Path | None = None
    allow: tuple[str, ...] = ()
    reply_port: int | None = None
    upload_timeout: float = 10.0
    queue_size: int = 8
    workers: int = 1
    max_clients: int = P.MAX_CLIENTS
    client_timeout: float = P.CLIENT_TIMEOUT
    """Seconds without a message after which a client is forgotten."""
    reply_budget: int = P.REPLY_BUDGET
    """Reply bytes a second per host beyond this computer, when listening beyond it; 0 = any."""
    abletonosc: tuple[str, int] | None = None
    """Live's AbletonOSC (host, port) for /segue/live/continue; None = off."""
    abletonosc_reply_port: int = REPLY_PORT
    abletonosc_timeout: float = 3.0


class ServedAsGiven(TypedDict):
    """The config's values that ``segue serve``'s options give as they are, under the
    config's own names and types: :func:`served_config` passes them to :class:`ServerConfig`
    with ``**``, so the type checker matches each to the field of its name (a field renamed
    or retyped on one side alone is an error there)."""

    host: str
    port: int
    models_dir: Path | None
    allow: tuple[str, ...]
    reply_port: int | None
    upload_timeout: float
    queue_size: int
    workers: int
    client_timeout: float
    abletonosc_reply_port: int


def served_config(options: Mapping[str, Any]) -> ServerConfig:
    """The config ``segue serve``'s ``options`` ask for, by the names the command reads them
    under (``model_name`` for --model, ``queue_size`` for --queue): those of
    :class:`ServedAsGiven` as they are, --reply-budget in KiB a second (bytes here) and
    --abletonosc as HOST:PORT (``parse_endpoint``; None: off). Its other options (--quiet)
    are the command's own; the rest of the config keeps its defaults."""
    live = options["abletonosc"]
    given = cast(ServedAsGiven, {name: options[name] for name in ServedAsGiven.__annotations__})
    return ServerConfig(
        model=options["model_name"],
        reply_budget=options["reply_budget"] * 1024,
        abletonosc=parse_endpoint(live) if live else None,
        **given,
    )


class BridgeServer:
    """``with BridgeServer(config) as server: server.serve_forever()``."""

    def __init__(
        self,
        config: ServerConfig,
        *,
        generate: GenerateFn = default_generate,
        loader: Loader = load_path,
        log: logging.Logger | None = None,
    ) -> None:
        self.config = config
        self.log = log or logging.getLogger("segue.bridge")
        self.allow = parse_allow(config.allow)
        self.models = ModelCache(config.model, config.models_dir, loader=loader)
        self.live: AbletonOSC | None = None
        if config.abletonosc is not None:
            self.live = AbletonOSC(
                *config.abletonosc,
                reply_port=config.abletonosc_reply_port,
                timeout=config.abletonosc_timeout,
                log=self.log.getChild("abletonosc"),
            )
        budget = None
        if config.reply_budget and exposes_network(listen_host(config.host)):
            budget = ReplyBudget(config.reply_budget, 4 * config.reply_budget)
        self.bridge = Bridge(
            self.models,
            self._sendto,
            upload_timeout=config.upload_timeout,
            queue_size=config.queue_size,
            workers=config.workers,
            reply_port=config.reply_port,
            max_clients=config.max_clients,
            client_timeout=config.client_timeout,
            budget=budget,
            generate=generate,
            log=self.log,
            live=self.live,
        )
        self._sock: socket.socket | None = None
        self._reader: socket.socket | None = None  # the same socket, never waiting
        self._inbox = Inbox()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.received = 0
        self.dropped = 0

    # -- life cycle -------------------------------------------------------------------------
    def open(self) -> tuple[str, int]:
        """Bind the socket, then load the default model; returns the (host, port) listened
        on. A port in use is said at once, not after the models load (15 s on a busy
        computer); nothing is read before this returns, so a datagram that comes meanwhile
        waits in the socket's buffer."""
        host = listen_host(self.config.host)
        try:
            infos = socket.getaddrinfo(
                host or None,
                self.config.port,
                type=socket.SOCK_DGRAM,
                flags=socket.AI_PASSIVE,
            )
        except socket.gaierror as exc:
            raise SegueError(f"cannot listen on {self.config.host!r}: {exc.strerror}") from None
        family, _, _, _, sockaddr = infos[0]
        sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            exclusive(sock)
            dual_stack(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
            sock.bind(sockaddr)
        except OSError as exc:
            sock.close()
            hint = " (is another bridge running? choose another --port)" if port_taken(exc) else ""
            raise SegueError(
                f"cannot listen on {self.config.host}:{self.config.port}: {exc.strerror}{hint}"
            ) from None
        port = sock.getsockname()[1]
        if self.config.reply_port == port:
            sock.close()
            raise SegueError(
                f"--reply-port {port} is the bridge's own port: its replies would come back to "
                "it; give the port your client listens on"
            )
        try:
            self.models.warm()
        except BaseException:
            sock.close()
            raise
        sock.settimeout(0.1)  # sending (from any thread) waits a little for room
        reader = sock.dup()
        reader.setblocking(False)
        if self.live is not None:
            try:
                self.live.open()
            except SegueError:
                reader.close()
                sock.close()
                raise
        self._sock, self._reader = sock, reader
        self.bridge.own_port = port
        self.bridge.start()
        return self.address

    @property
    def address(self) -> tuple[str, int]:
        if self._sock is None:
            raise RuntimeError("the server is not open")
        host, port = self._sock.getsockname()[:2]
        return host, port

    def serve_forever(self) -> None:
        if self._sock is None:
            self.open()
        reader = self._reader
        assert reader is not None
        with selectors.DefaultSelector() as waiting:
            waiting.register(reader, selectors.EVENT_READ)
            self._serve(reader, waiting)

    def _serve(self, reader: socket.socket, waiting: selectors.BaseSelector) -> None:
        while not self._stopping.is_set():
            if not self._inbox:
                try:
                    ready = waiting.select(0.1)
                except (OSError, ValueError):  # closed under us: stopping
                    break
                if not ready:
                    self.bridge.tick()
                    continue
            self._read(reader)
            for _ in range(HANDLE_AT_ONCE):
                item = self._inbox.take()
                if item is None:
                    break
                self.handle_datagram(*item)
            self.bridge.tick()

    def _read(self, reader: socket.socket) -> None:
        """Everything waiting on the socket (up to READ_AT_ONCE) into the inbox.

        Under a flood this is most of the bridge's work, so it is kept short: datagrams
        over their source's share are only counted here, and logged once a batch."""
        own, allow, put = self.bridge.own_port or 0, self.allow, self._inbox.put
        receive = reader.recvfrom
        over: dict[tuple[str, int], int] = {}
        for _ in range(READ_AT_ONCE):
            try:
                data, addr = receive(P.RECEIVE_BUFFER_BYTES)
            except (BlockingIOError, InterruptedError):
                break
            except OSError as exc:  # e.g. Windows' WSAECONNRESET after a send to a closed port
                self.log.debug("receive: %s", exc)
                break
            self.received += 1
            client = (addr[0], addr[1])
            why = unanswerable(client, own)
            if why is not None:
                self._drop(client, "unanswerable datagrams", f"not answered: {why}")
            elif allow and not is_allowed(client[0], allow):
                self._drop(client, "refused", "refused (not in --allow)")
            elif not put(data, client):
                over[client] = over.get(client, 0) + 1
        for client, count in over.items():
            self._drop(
                client,
                "datagrams over its share",
                "dropped: it sends faster than the bridge reads (a flood?)",
                count,
            )

    def _drop(self, client: tuple[str, int], kind: str, text: str, count: int = 1) -> None:
        self.dropped += count
        self.bridge.limited.log_line(
            logging.WARNING, client, kind, "%s: %s", client_text(client), text, count=count
        )

    def shutdown(self) -> None:
        """Stop serving (from any thread, or a signal handler); :meth:`close` answers what is
        in flight."""
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)

    def close(self) -> None:
        """Stop: running requests end at their next note and every request and upload in
        flight is answered (within half a second), then the socket closes."""
        self._stopping.set()
        self.bridge.stop()
        for sock in (self._reader, self._sock):
            if sock is not None:
                sock.close()
        if self.live is not None:
            self.live.close()

    def start(self) -> tuple[str, int]:
        """Open and serve on a background thread (tests, benchmarks, embedding)."""
        address = self.open()
        self._thread = threading.Thread(target=self.serve_forever, name="segue-bridge", daemon=True)
        self._thread.start()
        return address

    def __enter__(self) -> BridgeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.close()

    # -- datagrams --------------------------------------------------------------------------
    def handle_datagram(self, data: bytes, client: tuple[str, int]) -> None:
        if len(data) > P.MAX_DATAGRAM_BYTES:
            self.bridge.error(
                client,
                ProtocolError(
                    "too_big",
                    f"datagram of {len(data)} bytes; the bridge reads at most "
                    f"{P.MAX_DATAGRAM_BYTES}: send a seed one note per message, or fewer "
                    "messages per bundle",
                ),
            )
            return
        try:
            messages = decode(data)
        except ProtocolError as exc:
            self.bridge.error(client, exc)
            return
        with self.bridge.one_datagram(client):
            for message in messages:
                self.bridge.handle(client, message)

    def _sendto(self, dest: tuple[str, int], address: str, args: tuple[Any, ...]) -> None:
        data = encode(address, args)
        if len(data) > P.MAX_REPLY_BYTES:
            raise ValueError(f"reply {address} would be {len(data)} bytes")
        sock = self._sock
        if sock is None:
            return
        try:
            sock.sendto(data, dest)
        except OSError as exc:  # an unreachable client must not stop anyone else's answers
            self.log.debug("send to %s failed: %s", client_text(dest), exc)
