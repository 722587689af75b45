"""The bridge without sockets: each message to its handler, every failure answered.

:class:`Bridge` receives decoded messages with the client's address and
answers through a ``send(destination, address, args)`` function, so it runs
the same under the UDP server and in tests. The address table
(:mod:`segue.bridge.protocol`) checks and casts the arguments and
:data:`segue.bridge.handlers.HANDLERS` names the handler of each address.
Uploads and parameters are touched only by the receiving thread; generation
and Live continuations run as jobs (:mod:`segue.bridge.jobs`) on the
:class:`Worker` threads, which only read their job and send.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from segue.bridge import arguments
from segue.bridge import protocol as P
from segue.bridge.codec import Message
from segue.bridge.error_codes import INTERNAL, error_for
from segue.bridge.errors import NO_REQUEST, ProtocolError
from segue.bridge.handlers import HANDLERS
from segue.bridge.jobs import GenerateFn, default_generate, run_generation, run_live
from segue.bridge.models import ModelCache
from segue.bridge.session import ClientAddr, Sessions, client_text
from segue.bridge.values import clip_text
from segue.bridge.worker import Worker

Send = Callable[[tuple[str, int], str, tuple[Any, ...]], None]


class Bridge:
    """Answers every address of :data:`segue.bridge.protocol.INBOUND`."""

    def __init__(
        self,
        models: ModelCache,
        send: Send,
        *,
        upload_timeout: float = 10.0,
        queue_size: int = 8,
        workers: int = 1,
        reply_port: int | None = None,
        max_clients: int = 64,
        pace: tuple[float, int] = (20000.0, 256),
        generate: GenerateFn = default_generate,
        log: logging.Logger | None = None,
        clock: Callable[[], float] = time.monotonic,
        live: Any | None = None,
    ) -> None:
        self.models = models
        self._send = send
        self.generate = generate
        self.log = log or logging.getLogger("segue.bridge")
        self.clock = clock
        self.rng = random.Random()
        self.default_reply_port = reply_port
        self.pace_rate, self.pace_burst = pace
        self.sessions = Sessions(upload_timeout, max_clients)
        self.worker = Worker(partial(run_generation, self), queue_size, workers)
        self.live = live  # an AbletonOSC client (segue serve --abletonosc), or None
        self.live_worker = Worker(partial(run_live, self), 1, 1) if live is not None else None
        self._inbound = P.inbound_paths()
        self._ignored = P.reply_only_paths()
        missing = {a.path for a in P.INBOUND} ^ set(HANDLERS)
        if missing:
            raise RuntimeError(f"the protocol table and the handlers differ: {sorted(missing)}")
        self._last_tick = 0.0

    # -- plumbing ---------------------------------------------------------------------------
    def start(self) -> None:
        self.worker.start()
        if self.live_worker is not None:
            self.live_worker.start()

    def stop(self) -> None:
        dropped = self.live_worker.stop() if self.live_worker is not None else []
        for job in self.worker.stop() + dropped:
            self.fail(
                job.reply_to,
                job.client,
                ProtocolError("cancelled", "the bridge is stopping", job.request_id),
            )

    def reply_address(self, client: ClientAddr) -> tuple[str, int]:
        state = self.sessions.peek(client)
        port = (state.reply_port if state else None) or self.default_reply_port
        return (client[0], port or client[1])

    def send(self, dest: tuple[str, int], address: str, *args: Any) -> None:
        self._send(dest, address, args)

    def fail(self, dest: tuple[str, int], client: ClientAddr, error: ProtocolError) -> None:
        """Answer an error to ``dest`` with /segue/error, and log it."""
        rid = error.request_id
        self.log.warning(
            "%s request %s: error %s: %s", client_text(client), rid, error.code, error.message
        )
        self.send(dest, P.ERROR, rid, error.code, clip_text(error.message, P.MAX_TEXT))

    def error(self, client: ClientAddr, exc: ProtocolError) -> None:
        """Answer a ProtocolError to the client's reply address, and log it."""
        self.fail(self.reply_address(client), client, exc)

    def handle(self, client: ClientAddr, message: Message) -> None:
        """Act on one message; every failure is answered with /segue/error and logged."""
        path = message.address
        rid = NO_REQUEST
        try:
            spec = self._inbound.get(path)
            if spec is None:
                if path in self._ignored:
                    self.log.info("%s: ignored %s (a reply address)", client_text(client), path)
                    return
                raise ProtocolError(
                    "unknown_address",
                    f"unknown address {clip_text(path, 60)}; see docs/protocol.md",
                )
            rid = arguments.request_id(spec, message.args)
            args = arguments.parse(spec, path, message.args)
            HANDLERS[spec.path](self, client, path, args)
        except Exception as exc:  # a fault of ours is answered too, logged, and serving goes on
            error = error_for(exc, rid, "internal error")
            if error.code == INTERNAL:
                self.log.exception(
                    "%s: fault handling %s", client_text(client), clip_text(path, 60)
                )
            self.error(client, error)

    def tick(self) -> None:
        """Drop seed uploads that timed out (called by the server between datagrams)."""
        now = self.clock()
        if now - self._last_tick < 0.05:
            return
        self._last_tick = now
        for client, rid in self.sessions.expire(now):
            self.error(
                client,
                ProtocolError(
                    "upload_timeout",
                    f"the seed upload of request {rid} did not end within "
                    f"{self.sessions.upload_timeout:g} s and was dropped",
                    rid,
                ),
            )
