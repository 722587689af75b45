"""The bridge without sockets: each message to its handler, every failure answered.

:class:`Bridge` receives decoded messages with the client's address and
answers through a ``send(destination, address, args)`` function, so it runs
the same under the UDP server and in tests. The address table
(:mod:`segue.bridge.protocol`) checks and casts the arguments and
:data:`segue.bridge.handlers.HANDLERS` names the handler of each address.
Uploads and parameters are touched only by the receiving thread; generation
and Live continuations run as jobs (:mod:`segue.bridge.jobs`) on the
:class:`Worker` threads, which only read their job and send.

Three rules keep the bridge out of loops and floods. On an address that is both
a request and a reply (``/segue/reply_to``, ``/segue/model``, a fader) the same
answer to a request that changed nothing goes to one place at most twice in a
row (:meth:`Bridge.answer`), so two bridges answering each other's answers stop.
Replies to a host that is not this computer spend its reply budget
(:mod:`segue.bridge.budget`). Log lines about bad messages are limited to one
per kind per client per interval (:mod:`segue.bridge.loglimit`).
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from segue.bridge import arguments
from segue.bridge import protocol as P
from segue.bridge.budget import ReplyBudget
from segue.bridge.codec import Message, encode
from segue.bridge.error_codes import INTERNAL, error_for, stopping
from segue.bridge.errors import NO_REQUEST, ProtocolError
from segue.bridge.handlers import HANDLERS
from segue.bridge.jobs import GenerateFn, default_generate, run_generation, run_live
from segue.bridge.learning import Learning, Start, start_tuning
from segue.bridge.loglimit import LogLimiter
from segue.bridge.models import ModelCache
from segue.bridge.session import ClientAddr, Forgotten, Sessions, client_text
from segue.bridge.values import clip_text
from segue.bridge.worker import Worker

Send = Callable[[tuple[str, int], str, tuple[Any, ...]], None]
MAX_ECHOES = 4096
ECHO_REPEATS = 1
"""The same answer to a request that changed nothing is given this many times more in a row
(a person or a script repeats a request once or twice; two bridges answering each other
would repeat it without end)."""
STOP_SECONDS = 0.5
"""How long a stopping bridge waits for running jobs to end at their next note."""


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
        max_clients: int = P.MAX_CLIENTS,
        client_timeout: float = P.CLIENT_TIMEOUT,
        budget: ReplyBudget | None = None,
        pace: tuple[float, int] = (P.PACE_RATE, P.PACE_BURST),
        generate: GenerateFn = default_generate,
        log: logging.Logger | None = None,
        clock: Callable[[], float] = time.monotonic,
        live: Any | None = None,
        start_tuning: Start = start_tuning,
    ) -> None:
        self.models = models
        self._send = send
        self.generate = generate
        self.log = log or logging.getLogger("segue.bridge")
        self.limited = LogLimiter(self.log, clock=clock)
        self.clock = clock
        self.rng = random.Random()
        self.default_reply_port = reply_port
        self.own_port: int | None = None  # the server's port, once it listens
        self.instance = secrets.randbelow(P.MAX_INSTANCE) + 1  # said in pongs: a restart shows
        self.budget = budget
        self.errors_paced = ReplyBudget(P.ERROR_RATE, P.ERROR_BURST, clock, loopback=True)
        self.pace_rate, self.pace_burst = pace
        self.running_every = P.RUNNING_EVERY  # seconds between a long generation's "running"s
        self.learning = Learning(models.models_dir, start_tuning, self._learned)
        self.sessions = Sessions(
            upload_timeout,
            max_clients,
            client_timeout=client_timeout,
            clock=clock,
            busy=self.learning.holds,
        )
        self.worker = Worker(partial(run_generation, self), queue_size, workers)
        self.live = live  # an AbletonOSC client (segue serve --abletonosc), or None
        self.live_worker = Worker(partial(run_live, self), 1, 1) if live is not None else None
        self._inbound = P.inbound_paths()
        self._ignored = P.reply_only_paths()
        self._echoing = P.request_and_reply_paths()  # answered with Bridge.answer
        self._echoes: OrderedDict[tuple[str, int], dict[str, tuple[bytes, int]]] = OrderedDict()
        missing = {a.path for a in P.INBOUND} ^ set(HANDLERS)
        if missing:
            raise RuntimeError(f"the protocol table and the handlers differ: {sorted(missing)}")
        self._last_tick = 0.0
        self._datagram = threading.local()  # the receiving thread's replies left (send)

    # -- plumbing ---------------------------------------------------------------------------
    def start(self) -> None:
        self.worker.start()
        if self.live_worker is not None:
            self.live_worker.start()

    def workers(self) -> list[Worker]:
        return [w for w in (self.worker, self.live_worker) if w is not None]

    def stop(self, seconds: float = STOP_SECONDS) -> None:
        """Stop: running jobs end at their next note, and every request and upload still in
        flight is answered (``done``, or ``cancelled`` "the bridge is stopping")."""
        deadline = time.monotonic() + seconds
        dropped = [job for worker in self.workers() for job in worker.stop()]
        unfinished = [job for worker in self.workers() for job in worker.join(deadline)]
        for job in dropped + unfinished:
            self.fail(job.reply_to, job.client, stopping(job.request_id))
        learns = self.learning.stop(
            self.clock(),
            lambda client, address, args: self.send(self.reply_address(client), address, *args),
            self.error,
            self.log.warning,
        )
        for client, rid in self.sessions.drop_uploads() + learns:
            self.error(client, stopping(rid))

    def in_flight(self, client: ClientAddr, rid: int) -> bool:
        """Whether request ``rid`` of ``client`` is queued or running: a generation, or a
        learn whose upload has ended (a message naming it again is a stray)."""
        return any(
            worker.holds((client, rid)) for worker in self.workers()
        ) or self.learning.tuning(client, rid)

    def reply_address(self, client: ClientAddr) -> tuple[str, int]:
        state = self.sessions.peek(client)
        port = (state.reply_port if state else None) or self.default_reply_port
        return (client[0], port or client[1])

    @contextmanager
    def one_datagram(self, client: ClientAddr) -> Iterator[None]:
        """Inside, the replies sent on this thread answer one datagram of ``client``: past
        :data:`~segue.bridge.protocol.MAX_REPLIES_PER_DATAGRAM` they are dropped."""
        self._datagram.left = P.MAX_REPLIES_PER_DATAGRAM
        self._datagram.client = client
        try:
            yield
        finally:
            self._datagram.left = None

    def send(self, dest: tuple[str, int], address: str, *args: Any) -> None:
        """Send a reply; one that does not fit ``dest``'s reply budget, or past the replies
        one datagram may draw, is dropped."""
        left = getattr(self._datagram, "left", None)
        if left is not None:
            if left <= 0:
                self.limited.warning(
                    self._datagram.client,
                    "replies past the datagram's",
                    "%s: replies dropped: one datagram drew more than %d",
                    client_text(self._datagram.client),
                    P.MAX_REPLIES_PER_DATAGRAM,
                )
                return
            self._datagram.left = left - 1
        budget = self.budget
        if budget is not None and not budget.take(dest[0], len(encode(address, args))):
            self.limited.warning(
                dest,
                "replies over the budget",
                "%s: replies dropped: over this host's budget of %d bytes a second",
                dest[0],
                budget.rate,
            )
            return
        self._send(dest, address, args)

    def paced(self, dest: tuple[str, int]) -> bool:
        """Whether replies to ``dest`` wait for its host's reply budget."""
        return self.budget is not None and self.budget.limits(dest[0])

    def stream(
        self, dest: tuple[str, int], stop: Callable[[], bool], address: str, *args: Any
    ) -> bool:
        """Send a reply of a long answer: wait for room in ``dest``'s reply budget rather
        than drop it; False (nothing sent) when ``stop()`` said stop while waiting."""
        budget = self.budget
        if budget is not None and not budget.wait(dest[0], len(encode(address, args)), stop):
            return False
        self._send(dest, address, args)
        return True

    def fail(
        self,
        dest: tuple[str, int],
        client: ClientAddr,
        error: ProtocolError,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        """Log an error and answer it to ``dest`` with /segue/error; of the errors about no
        request (an unknown address, garbage: what a program answering everything it hears
        sends back), past :data:`~segue.bridge.protocol.ERROR_BURST` to one address, at most
        :data:`~segue.bridge.protocol.ERROR_RATE` a second. An error of a request is always
        sent: the client waits for it (a seed of 100 bad notes lost its end's answer). With
        ``stop`` (a job's last answer, on a worker), it waits for room in the host's reply
        budget as ``done`` does, until ``stop()``: another computer's ``cancelled`` was
        dropped over its budget (helper-52)."""
        rid = error.request_id
        self.limited.warning(
            client,
            error.code,
            "%s request %s: error %s: %s",
            client_text(client),
            rid,
            error.code,
            error.message,
        )
        if rid == NO_REQUEST and not self.errors_paced.take(f"{dest[0]} {dest[1]}", 1):
            self.limited.warning(
                dest,
                "errors over the pace",
                "%s: errors not sent: over %g a second to one address",
                client_text(dest),
                P.ERROR_RATE,
            )
            return
        args = (rid, error.code, clip_text(error.message, P.MAX_TEXT))
        if stop is not None and rid != NO_REQUEST:
            self.stream(dest, stop, P.ERROR, *args)
            return
        self.send(dest, P.ERROR, *args)

    def error(self, client: ClientAddr, exc: ProtocolError) -> None:
        """Answer a ProtocolError to the client's reply address, and log it."""
        self.fail(self.reply_address(client), client, exc)

    # -- answers that could echo ---------------------------------------------------------
    def answer(self, dest: tuple[str, int], changed: bool, address: str, *args: Any) -> bool:
        """Send the answer on an address that is both a request and a reply; False when it is
        left out: the same answer, to a request that changed nothing, goes to one place at
        most twice in a row (a third time it would only feed two bridges answering each
        other). Anything else from there starts over."""
        sent = encode(address, args)
        answers = self._echoes.setdefault(dest, {})
        self._echoes.move_to_end(dest)
        while len(self._echoes) > MAX_ECHOES:
            self._echoes.popitem(last=False)
        before = answers.get(address)
        repeats = before[1] + 1 if before and before[0] == sent and not changed else 0
        if repeats > ECHO_REPEATS:
            self.limited.log_line(
                logging.INFO,
                dest,
                "echoes",
                "%s: %s not answered again (it changed nothing: another bridge answering?)",
                client_text(dest),
                clip_text(address, 60),
            )
            return False
        answers[address] = (sent, repeats)
        self.send(dest, address, *args)
        return True

    # -- messages ---------------------------------------------------------------------------
    def handle(self, client: ClientAddr, message: Message) -> None:
        """Act on one message; every failure is answered with /segue/error and logged."""
        path = message.address
        rid = NO_REQUEST
        if self._echoes and path in self._inbound and path not in self._echoing:
            self._echoes.pop(client, None)  # anything else from there: echoes start over,
            self._echoes.pop(self.reply_address(client), None)  # where its answers go too
        forgotten = self.sessions.heard(client)
        if forgotten is not None and path not in (P.REPLY_TO, P.BYE):
            self._tell_forgotten(client, forgotten)
        try:
            spec = self._inbound.get(path)
            if spec is None:
                if path in self._ignored:
                    self.limited.log_line(
                        logging.INFO,
                        client,
                        "replies ignored",
                        "%s: ignored %s (a reply address)",
                        client_text(client),
                        path,
                    )
                    return
                if not path.startswith(P.PREFIX + "/"):  # not for segue: a conversation could begin
                    self.limited.log_line(  # with a program that answers what it hears;
                        logging.WARNING,  # said with -q too: a mistyped /Segue/ gets no answer
                        client,
                        "not for segue",
                        "%s: ignored %s (not a /segue/ address: segue's begin with /segue/, "
                        "in lower case; docs/protocol.md)",
                        client_text(client),
                        clip_text(path, 60),
                    )
                    return
                wildcards = any(c in path for c in "*?[]{}")
                raise ProtocolError(
                    "unknown_address",
                    f"unknown address {clip_text(path, 60)}; "
                    + (
                        "OSC address patterns (wildcards) are not supported: send the full "
                        "address (docs/protocol.md)"
                        if wildcards
                        else "see docs/protocol.md"
                    ),
                )
            rid = arguments.request_id(spec, message.args)
            args = arguments.parse(spec, path, message.args)
            HANDLERS[spec.path](self, client, path, args)
        except Exception as exc:  # a fault of ours is answered too, logged, and serving goes on
            error = error_for(exc, rid, "internal error")
            if path == P.SEED_BEGIN and rid != NO_REQUEST:  # its notes and end: said once
                self.sessions.refuse(client, rid, error)
            if error.code == INTERNAL:
                self.limited.log_line(
                    logging.ERROR,
                    client,
                    INTERNAL,
                    "%s: fault handling %s",
                    client_text(client),
                    clip_text(path, 60),
                    exc_info=True,
                )
            self.error(client, self._about_a_stray(client, path, error))

    def _about_a_stray(self, client: ClientAddr, path: str, error: ProtocolError) -> ProtocolError:
        """An error about a message naming a request that is queued or running, sent without
        its id: it is not about that request, whose client waits for its replies."""
        rid = error.request_id
        if rid == NO_REQUEST or path == P.CANCEL or not self.in_flight(client, rid):
            return error
        if error.code == "busy":  # it says so itself ("a button's generation is still running")
            return ProtocolError(error.code, error.message)
        return ProtocolError(
            error.code, f"{path} naming request {rid}, still running: {error.message}"
        )

    def _tell_forgotten(self, client: ClientAddr, forgotten: Forgotten) -> None:
        """Tell a client the bridge forgot, where its replies went before."""
        dest = (client[0], forgotten.reply_port or self.default_reply_port or client[1])
        self.fail(
            dest,
            client,
            ProtocolError(
                "forgotten",
                f"this bridge forgot this client ({forgotten.why}): its reply port, "
                "parameters and seeds; send /segue/reply_to and your parameters again",
            ),
        )
        self.send(dest, P.LABEL_STATUS, "error: forgotten (connect again: Link)")

    def _learned(self, client: ClientAddr, done: tuple[Any, ...]) -> None:
        """A tuning installed its model: ``auto`` and the model list see it, and the console
        says so."""
        self.models.refresh()
        name, before, after, seconds = done[:4]
        self.log.info(
            "%s: learned %s (held-out loss %.3f -> %.3f in %.0f s)",
            client_text(client),
            name,
            before,
            after,
            seconds,
        )

    def tick(self) -> None:
        """Drop seed uploads that timed out and clients long quiet; end log intervals
        (called by the server between datagrams)."""
        now = self.clock()
        if now - self._last_tick < 0.05:
            return
        self._last_tick = now
        self.limited.flush()
        self.learning.tick(
            now,
            lambda client, address, args: self.send(self.reply_address(client), address, *args),
            self.error,
        )
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
