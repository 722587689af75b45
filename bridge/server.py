"""The UDP server: receives datagrams, filters, decodes, and hands messages to the Bridge.

Datagrams are read with a 64 KiB buffer, so one over the 8,192 bytes a
python-osc server would silently truncate is seen whole and refused
(``too_big``). Anything that is not OSC is answered ``malformed``; nothing a
client sends can stop the loop. :meth:`BridgeServer.serve_forever` runs until
:meth:`BridgeServer.shutdown` (or Ctrl-C in the caller's thread).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segue.bridge import protocol as P
from segue.bridge.abletonosc.transport import REPLY_PORT, AbletonOSC
from segue.bridge.allow import is_allowed, parse_allow
from segue.bridge.codec import decode, encode
from segue.bridge.dispatch import Bridge
from segue.bridge.errors import ProtocolError
from segue.bridge.jobs import GenerateFn, default_generate
from segue.bridge.models import Loader, ModelCache, load_path
from segue.bridge.session import client_text
from segue.errors import SegueError
from segue.model.registry import DEFAULT_MODEL


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
    max_clients: int = 64
    abletonosc: tuple[str, int] | None = None
    """Live's AbletonOSC (host, port) for /segue/live/continue; None = off."""
    abletonosc_reply_port: int = REPLY_PORT
    abletonosc_timeout: float = 3.0


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
        self.bridge = Bridge(
            self.models,
            self._sendto,
            upload_timeout=config.upload_timeout,
            queue_size=config.queue_size,
            workers=config.workers,
            reply_port=config.reply_port,
            max_clients=config.max_clients,
            generate=generate,
            log=self.log,
            live=self.live,
        )
        self._sock: socket.socket | None = None
        self._stopping = threading.Event()
        self._refused: dict[str, float] = {}
        self._thread: threading.Thread | None = None
        self.received = 0

    # -- life cycle -------------------------------------------------------------------------
    def open(self) -> tuple[str, int]:
        """Load the default model, bind the socket; returns the (host, port) listened on."""
        self.models.get(None)
        try:
            infos = socket.getaddrinfo(
                self.config.host or None,
                self.config.port,
                type=socket.SOCK_DGRAM,
                flags=socket.AI_PASSIVE,
            )
        except socket.gaierror as exc:
            raise SegueError(f"cannot listen on {self.config.host!r}: {exc.strerror}") from None
        family, _, _, _, sockaddr = infos[0]
        sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            sock.bind(sockaddr)
        except OSError as exc:
            sock.close()
            hint = (
                " (is another bridge running? choose another --port)"
                if exc.errno in (98, 48, 10048)
                else ""
            )
            raise SegueError(
                f"cannot listen on {self.config.host}:{self.config.port}: {exc.strerror}{hint}"
            ) from None
        sock.settimeout(0.1)
        if self.live is not None:
            try:
                self.live.open()
            except SegueError:
                sock.close()
                raise
        self._sock = sock
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
        sock = self._sock
        assert sock is not None
        while not self._stopping.is_set():
            try:
                data, addr = sock.recvfrom(P.RECEIVE_BUFFER_BYTES)
            except TimeoutError:
                self.bridge.tick()
                continue
            except OSError as exc:
                if self._stopping.is_set():
                    break
                self.log.debug("receive: %s", exc)
                continue
            self.received += 1
            self.handle_datagram(data, (addr[0], addr[1]))
            self.bridge.tick()

    def shutdown(self) -> None:
        """Stop serving (from any thread); waiting requests are answered 'cancelled'."""
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)

    def close(self) -> None:
        self._stopping.set()
        self.bridge.stop()
        if self._sock is not None:
            self._sock.close()
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
        if not is_allowed(client[0], self.allow):
            self._log_refused(client)
            return
        if len(data) > P.MAX_DATAGRAM_BYTES:
            self.bridge.error(
                client,
                ProtocolError(
                    "too_big",
                    f"datagram of {len(data)} bytes; the bridge reads at most "
                    f"{P.MAX_DATAGRAM_BYTES} (send one note per message)",
                ),
            )
            return
        try:
            messages = decode(data)
        except ProtocolError as exc:
            self.bridge.error(client, exc)
            return
        for message in messages:
            self.bridge.handle(client, message)

    def _log_refused(self, client: tuple[str, int]) -> None:
        now = time.monotonic()
        if now - self._refused.get(client[0], -60.0) >= 10.0:
            if len(self._refused) > 1024:
                self._refused.clear()
            self._refused[client[0]] = now
            self.log.warning(
                "%s: refused (not in --allow; further ones from this host are not logged for 10 s)",
                client_text(client),
            )

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
