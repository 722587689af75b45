"""A client of the bridge, speaking the protocol exactly as the Max device does.

Built on python-osc (an OSC implementation independent of the bridge's own
codec). It uploads a seed one note per message, asks for a continuation,
waits for the replies of its own request id and reassembles the variations::

    with BridgeClient("127.0.0.1", 9123) as bridge:
        print(bridge.ping())
        result = bridge.generate(seed_clip, {"bars": 8, "variations": 4})
        for variation in result.variations:
            print(variation.start, len(variation.clip))

Errors: :class:`BridgeTimeout` when nothing answers (or the bridge stops
answering: while a request runs, a silence of ``timeout`` seconds is answered
with a ping, and a bridge that does not answer that is gone), :class:`BridgeReplyError`
(with the bridge's ``code`` and sentence) when it answers with an error. No
torch is imported here.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder

from segue.bridge import protocol as P
from segue.bridge.allow import is_loopback, listen_host
from segue.bridge.params import MAX_ID, Value
from segue.errors import SegueError
from segue.grid import TICK, near_grid, sent_times, snap
from segue.notes import Clip, Note, TimeSignature

BARRIER_EVERY = 200
"""During a long upload, wait for a pong after this many notes (the bridge has read them all)."""
LEARN_PATIENCE = 120.0
"""Seconds a learn waits for its end beyond its time budget (the refit comes after it)."""


class BridgeTimeout(SegueError):
    """No answer from the bridge in time."""


class BridgeReplyError(SegueError):
    """The bridge answered /segue/error."""

    def __init__(self, request_id: int, code: str, message: str) -> None:
        super().__init__(f"the bridge answered {code}: {message}")
        self.request_id = request_id
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Pong:
    version: str
    model: str
    protocol: int
    ms: float


@dataclass(frozen=True)
class BridgeVariation:
    """One continuation: notes from 0 (a new clip); ``start`` places it on the seed's timeline."""

    clip: Clip
    start: float


@dataclass(frozen=True)
class BridgeResult:
    request_id: int
    variations: tuple[BridgeVariation, ...]
    server_ms: float
    rng_seed: int
    round_trip_ms: float
    model: str = ""
    """The model that continued the seed ("" from a bridge older than this field)."""
    key: str = ""
    """The key the notes were locked to ("" for none)."""


def _typed(value: object) -> tuple[Value, str]:
    if isinstance(value, bool):
        return value, "T" if value else "F"
    if isinstance(value, int):
        return value, "i"
    if isinstance(value, float):
        return value, "f"
    if isinstance(value, str):
        return value, "s"
    raise TypeError(f"cannot send {type(value).__name__} to the bridge")


def build(address: str, *args: object) -> bytes:
    """One OSC message as python-osc writes it (int ``i``, float ``f``, str ``s``)."""
    builder = OscMessageBuilder(address)
    for arg in args:
        value, tag = _typed(arg)
        builder.add_arg(value, tag)
    return builder.build().dgram


def _local_address(family: int, server: str) -> str:
    """Where to listen for replies: loopback for a bridge on this computer (nothing else
    can then reach the client's port), every address otherwise."""
    if is_loopback(server):
        return server if family == socket.AF_INET6 else "127.0.0.1"
    return "::" if family == socket.AF_INET6 else "0.0.0.0"


class BridgeClient:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = P.DEFAULT_PORT,
        timeout: float = 5.0,
        reply_port: int = 0,
    ) -> None:
        """``timeout``: seconds to wait for a first answer. ``reply_port``: local port (0 = any)."""
        try:
            infos = socket.getaddrinfo(listen_host(host), port, type=socket.SOCK_DGRAM)
        except socket.gaierror as exc:
            raise SegueError(f"cannot find host {host!r}: {exc.strerror}") from None
        family, _, _, _, server = infos[0]
        self.server = server
        self.host, self.port, self.timeout = host, port, timeout
        self._sock = socket.socket(family, socket.SOCK_DGRAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self._sock.bind((_local_address(family, str(self.server[0])), reply_port))
        self._ids = itertools.count(random.randrange(1, 1 << 20))
        self._pending: deque[bytes] = deque()
        self._placed = False  # whether the bridge was told to answer this socket

    # -- plumbing ---------------------------------------------------------------------------
    def close(self) -> None:
        """Say bye (the bridge frees this client's place at once) and close the socket."""
        try:
            self.send(P.BYE)
        except OSError:  # the bridge's side is gone, or the network: nothing to free
            pass
        self._sock.close()

    def __enter__(self) -> BridgeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def next_id(self) -> int:
        return next(self._ids) % (MAX_ID + 1)

    def send(self, address: str, *args: object) -> None:
        if not self._placed and address != P.BYE:
            # replies to this socket, also from a bridge started with --reply-port (which
            # sends a client that says nothing to that port: `segue ping` and `send` heard
            # nothing from one, and said that no bridge ran)
            self._placed = True
            self._sock.sendto(build(P.REPLY_TO, 0), self.server)
        self._sock.sendto(build(address, *args), self.server)

    def _read(self, timeout: float) -> None:
        """Wait up to ``timeout`` for a datagram, then take every one already waiting.

        One poll per burst instead of one per datagram: a long answer is hundreds
        of datagrams that arrive together. Windows reports a send to a port nobody
        listens on as an error of the next receive: no bridge there.
        """
        self._sock.settimeout(max(timeout, 1e-4))
        try:
            self._pending.append(self._sock.recv(65536))
        except TimeoutError:
            return
        except (ConnectionResetError, ConnectionRefusedError):
            raise self._gone() from None
        self._sock.setblocking(False)
        try:
            while True:
                self._pending.append(self._sock.recv(65536))
        except (BlockingIOError, InterruptedError):
            pass
        except (ConnectionResetError, ConnectionRefusedError):
            raise self._gone() from None

    def receive(self, timeout: float) -> tuple[str, list[Value]] | None:
        """The next message from anyone (None after ``timeout`` seconds)."""
        if not self._pending:
            self._read(timeout)
            if not self._pending:
                return None
        data = self._pending.popleft()
        try:
            message = OscMessage(data)
        except Exception:  # not a message the bridge would send: ignore it
            return None
        return message.address, list(message.params)

    def _where(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def _gone(self) -> BridgeTimeout:
        return BridgeTimeout(f"no bridge on {self._where()}: start one with `segue serve`")

    def _no_answer(self, what: str) -> BridgeTimeout:
        return BridgeTimeout(
            f"no answer from a segue bridge at {self._where()} to {what} within "
            f"{self.timeout:g} s; start one with `segue serve` (and check --host/--port)"
        )

    def _collect(
        self,
        until: Iterable[str],
        what: str,
        rid: int | None = None,
        match: Callable[[str, list[Value]], bool] | None = None,
        on_message: Callable[[str, list[Value]], None] | None = None,
        patience: float | None = None,
    ) -> list[Value]:
        """Wait for the message ``until`` (for request ``rid``); returns its arguments.

        Errors for ``rid`` raise BridgeReplyError (for no request too, unless a request
        is awaited: an error with another id is not about it). ``timeout`` applies until
        the first message. With ``patience`` (a request), a silence of ``timeout``
        seconds is answered with a ping: a bridge that answers it is alive (the request
        waits in its queue or is long), and waiting goes on up to ``patience`` seconds
        without a reply for the request; one that does not is gone.
        """
        until = set(until)
        limit, answered = self.timeout, False
        now = time.monotonic()
        deadline = heard = now + limit  # heard: when to check that the bridge is alive
        probe: tuple[int, float] | None = None  # (token, sent) of a liveness ping
        while True:
            now = time.monotonic()
            if now >= deadline:
                if not answered:
                    raise self._no_answer(what)
                raise BridgeTimeout(
                    f"the bridge at {self._where()} stopped answering {what} (nothing for "
                    f"{limit:g} s)"
                )
            if answered and patience is not None and now >= heard:
                if probe is not None:
                    raise BridgeTimeout(
                        f"the bridge at {self._where()} stopped answering during {what} "
                        f"(no answer to a ping within {self.timeout:g} s): has it stopped?"
                    )
                probe = (random.randrange(1, 1 << 30), now)
                self.send(P.PING, probe[0])
                heard = now + self.timeout
            got = self.receive(max(0.0, min(deadline, heard) - now))
            if got is None:
                continue
            address, args = got
            if address == P.PONG and probe is not None and args and args[0] == probe[0]:
                probe, heard = None, time.monotonic() + self.timeout
                continue
            if address == P.ERROR and len(args) == 3:
                if rid is None or args[0] == rid:
                    raise BridgeReplyError(int(args[0]), str(args[1]), str(args[2]))
                continue
            if rid is not None and (not args or args[0] != rid):
                continue  # an answer to another (earlier) request
            if match is not None and not match(address, args):
                continue
            answered = True
            if patience is not None:
                limit = patience
                deadline = time.monotonic() + limit
                heard, probe = time.monotonic() + self.timeout, None
            if on_message is not None:
                on_message(address, args)
            if address in until:
                return args

    # -- requests ---------------------------------------------------------------------------
    def ping(self) -> Pong:
        token = random.randrange(1, 1 << 30)
        started = time.perf_counter()
        self.send(P.PING, token)
        args = self._collect(
            {P.PONG}, "a ping", match=lambda a, x: a != P.PONG or (bool(x) and x[0] == token)
        )
        ms = (time.perf_counter() - started) * 1000
        return Pong(str(args[1]), str(args[2]), int(args[3]), ms)

    def version(self) -> tuple[str, int]:
        self.send(P.VERSION)
        args = self._collect({P.VERSION}, "version")
        return str(args[0]), int(args[1])

    def models(self) -> list[tuple[str, str, str]]:
        """(name, source, summary) of every installed model."""
        found: list[tuple[str, str, str]] = []

        def keep(address: str, args: list[Value]) -> None:
            if address == P.MODELS_ITEM:
                found.append((str(args[1]), str(args[2]), str(args[3])))

        self.send(P.MODELS)
        self._collect({P.MODELS_END}, "models", on_message=keep)
        return found

    def set(self, name: str, value: object) -> Value:
        self.send(P.SET, name, value)
        return self._collect({P.PARAM}, f"set {name}", match=lambda a, x: bool(x) and x[0] == name)[
            1
        ]

    def get(self) -> dict[str, Value]:
        found: dict[str, Value] = {}

        def keep(address: str, args: list[Value]) -> None:
            if address == P.PARAM:
                found[str(args[0])] = args[1]

        self.send(P.GET)
        self._collect({P.PARAMS_END}, "get", on_message=keep)
        return found

    def reply_to(self, port: int) -> None:
        self.send(P.REPLY_TO, port)

    def upload(self, seed: Clip | None, request_id: int, downbeat: float | None = None) -> None:
        """Send a seed (None: an empty 4/4 bar) one note per message, framed by begin/end;
        ``downbeat``: where bar 1 lies in it (a pickup before it), said in its begin.

        Times go as the device's seedNotes sends them (``segue.grid.sent_times``): as played
        where float32 cannot tip the bridge's snap to another tick (a repeat of the note
        keeps its swing or feel, as in `segue generate`), else on the grid.
        """
        seed = seed if seed is not None else Clip((), None, TimeSignature())
        ts = seed.time_signature
        told = () if downbeat is None else (float(downbeat),)
        begin = (request_id, len(seed), _length(seed), ts.numerator, ts.denominator, *told)
        self.send(P.SEED_BEGIN, *begin)
        for i, note in enumerate(seed.notes, 1):
            self.send(
                P.SEED_NOTE,
                request_id,
                note.pitch,
                *sent_times(note.start, note.duration),
                note.velocity,
            )
            if i % BARRIER_EVERY == 0 and i < len(seed):
                self.ping()  # the bridge has read everything before the pong
        self.send(P.SEED_END, request_id)

    def generate(
        self,
        seed: Clip | None,
        params: Mapping[str, object] | None = None,
        request_id: int | None = None,
        on_status: Callable[[str, int], None] | None = None,
        patience: float = 120.0,
        downbeat: float | None = None,
    ) -> BridgeResult:
        """Upload ``seed``, ask for a continuation with ``params``, return the variations.

        ``params`` are protocol parameter names (bars, variations, temperature,
        top_p, key, low, high, polyphony, rng_seed, model, ...). ``patience`` is
        how long to wait between replies once the bridge has answered (a
        request may wait in its queue). ``downbeat``: where bar 1 lies in ``seed``
        (a pickup before it), where known.
        """
        rid = request_id if request_id is not None else self.next_id()
        seed = seed if seed is not None else Clip((), None, TimeSignature())
        started = time.perf_counter()
        self.upload(seed, rid, downbeat)
        pairs: list[object] = []
        for name, value in (params or {}).items():
            pairs += [name, float(value) if isinstance(value, float) else value]
        self.send(P.GENERATE, rid, *pairs)
        assembler = _Assembler(seed.time_signature)

        def take(address: str, args: list[Value]) -> None:
            if address == P.STATUS and on_status is not None:
                on_status(str(args[1]), int(args[2]))
            assembler.add(address, args)

        try:
            done = self._collect(
                {P.DONE}, f"request {rid}", rid=rid, on_message=take, patience=patience
            )
        except (KeyboardInterrupt, BridgeTimeout):  # given up on: the bridge need not go on
            with contextlib.suppress(OSError):  # (from another computer, the next request
                self.cancel(rid)  # waited behind it, refused busy)
            raise
        variations = assembler.finish(int(done[1]))
        model, key = (str(a) for a in (*done[4:6], "", "")[:2])
        return BridgeResult(
            rid,
            variations,
            float(done[2]),
            int(done[3]),
            (time.perf_counter() - started) * 1000,
            model,
            key,
        )

    def cancel(self, request_id: int) -> None:
        self.send(P.CANCEL, request_id)

    def learn(
        self,
        clips: Sequence[tuple[Clip, bool]],
        name: str,
        seconds: float = P.LEARN_SECONDS,
        base: str | None = None,
        request_id: int | None = None,
        on_status: Callable[[str, float, float], None] | None = None,
    ) -> LearnResult:
        """Upload ``clips`` (each with whether it plays drums) and have the bridge tune a
        model ``name`` on them; ``on_status(state, percent, loss)`` hears the progress.
        Times go as a seed's do (:meth:`upload`), so that the bridge learns a played clip
        as generation reads it, as written: snapped to the grid first, a played 8th's
        release came as 10-11 ticks and was learnt so, where generation reads it as 12."""
        rid = request_id if request_id is not None else self.next_id()
        self.send(P.LEARN_BEGIN, rid, name, len(clips), float(seconds), base or "")
        sent = 0
        for clip, drums in clips:
            ts = clip.time_signature
            self.send(
                P.LEARN_CLIP,
                rid,
                len(clip),
                _length(clip),
                ts.numerator,
                ts.denominator,
                int(drums),
            )
            for note in clip.notes:
                times = sent_times(note.start, note.duration)
                self.send(P.LEARN_NOTE, rid, note.pitch, *times, note.velocity)
                sent += 1
                if sent % BARRIER_EVERY == 0:
                    self.ping()  # the bridge has read everything before the pong
        self.send(P.LEARN_END, rid)

        def take(address: str, args: list[Value]) -> None:
            if address == P.LEARN_STATUS and on_status is not None:
                on_status(str(args[1]), float(args[2]), float(args[3]))

        done = self._collect(
            {P.LEARN_DONE},
            f"learning {name!r}",
            rid=rid,
            on_message=take,
            patience=seconds + LEARN_PATIENCE,
        )
        left_out = [int(v) for v in done[5:7]] + [0, 0]  # a bridge older than these: none said
        return LearnResult(
            str(done[1]), float(done[2]), float(done[3]), float(done[4]), *left_out[:2]
        )


def _as_played(pitch: int, start: Value, duration: Value, velocity: Value) -> Note:
    """A reply's note: its times on the grid where they lie within float32's rounding of a
    tick, else as they came (a repeat keeps the clip's swing or feel), as the device reads
    them."""
    begin, end = near_grid(float(start)), near_grid(float(start) + float(duration))
    length = end - begin
    if begin == snap(begin) and end == snap(end):
        length = snap(length)  # on the grid: exactly (8.333 - 0.333 is 7.999...)
    return Note(pitch, begin, length if length > 0 else TICK, int(velocity))


def _length(clip: Clip) -> float:
    """A clip's length as uploaded: on the grid, at least one tick (as the device sends it)."""
    return max(snap(clip.length), TICK)


@dataclass(frozen=True)
class LearnResult:
    """A model the bridge tuned: its name, held-out loss before and after, seconds, and the
    clips it did not learn from (drum clips beside melodic ones, or melodic ones beside drum
    clips when the drum model was tuned)."""

    name: str
    before: float
    after: float
    seconds: float
    drums_left_out: int = 0
    melodic_left_out: int = 0


class _Assembler:
    """Variations rebuilt from begin / note / end messages; checks nothing was lost."""

    def __init__(self, time_signature: TimeSignature) -> None:
        self.time_signature = time_signature
        self.open: dict[int, tuple[int, float, float, list[Note]]] = {}
        self.done: dict[int, BridgeVariation] = {}

    def add(self, address: str, args: list[Value]) -> None:
        if address == P.VARIATION_BEGIN:
            _, index, count, length, start = args
            self.open[int(index)] = (int(count), float(length), float(start), [])
        elif address == P.VARIATION_NOTE:
            _, index, pitch, start, duration, velocity = args
            if int(index) not in self.open:
                raise SegueError(f"a note of variation {index} arrived before its begin")
            self.open[int(index)][3].append(_as_played(int(pitch), start, duration, velocity))
        elif address == P.VARIATION_END:
            index = int(args[1])
            if index not in self.open:
                raise SegueError(f"variation {index} ended without a begin")
            count, length, start, notes = self.open.pop(index)
            if len(notes) != count:
                raise SegueError(
                    f"variation {index}: {len(notes)} of {count} notes arrived "
                    "(datagrams were lost)"
                )
            clip = Clip(tuple(notes), snap(length), self.time_signature)
            self.done[index] = BridgeVariation(clip, snap(start))

    def finish(self, expected: int) -> tuple[BridgeVariation, ...]:
        if len(self.done) != expected or self.open:
            raise SegueError(
                f"{len(self.done)} of {expected} variations arrived complete (datagrams were lost)"
            )
        return tuple(self.done[i] for i in sorted(self.done))
