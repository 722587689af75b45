"""What the bridge remembers per client: reply port, parameters, seed uploads, finished seeds.

A client is its (host, port) address, so two devices on one computer never
share request ids: uploads and seeds are keyed by (client, request id).
Everything is bounded, in time as UDP services (NAT mappings, QUIC) bound what
they keep: a client is forgotten after ``client_timeout`` seconds without a
message (any message counts, every seed note too); uploads that do not end
within ``upload_timeout`` seconds are dropped (both by :meth:`Sessions.expire`);
open uploads and finished seeds per client are few; a client with an upload open or a
learn in the bridge is in use, and is not forgotten while it lasts. At most ``max_clients`` are
kept: a new one may take the place of the client quiet for longest only when that
one has been quiet for :data:`QUIET` seconds (one heard only once, :data:`ONE_SHOT_QUIET`)
and has no upload open; otherwise the
new client is refused (``too_many_clients``), so a client in use is never pushed
out. A forgotten client is remembered as such (:class:`Forgotten`), so when it
speaks again it is told (``forgotten``), not left to wonder where its replies went.
Only the receiving thread touches these objects. Seed notes arrive as played (the
address table checks their times on the grid and keeps them); generation turns the
finished seed into grid rows (:func:`segue.grid.clip_rows`), and a repeat of a note off
the grid keeps its time (``segue.model.feel``).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from segue.bridge import params
from segue.bridge import protocol as P
from segue.bridge.allow import is_loopback
from segue.bridge.errors import ProtocolError
from segue.bridge.values import counted
from segue.errors import NoteError
from segue.notes import Clip, Note, TimeSignature

ClientAddr = tuple[str, int]
QUIET = 60.0
"""Seconds without a message after which a client may make room for a new one."""
ONE_SHOT_QUIET = 2.0
"""Seconds after which a client heard only once (with nothing in flight) may make room for a
new one: liblo's `oscsend` sends each message from a port of its own, and 64 of them held
every place for a minute, Live's device and Pd refused (helper-49)."""


def client_text(client: ClientAddr) -> str:
    """A client's address for a log line: ``host:port``, ``[v6 host]:port``."""
    host, port = client
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass
class Upload:
    expected: int
    length: float
    time_signature: TimeSignature
    started: float
    notes: list[Note] = field(default_factory=list)
    downbeat: float | None = None
    """Where bar 1 lies in the clip, where its begin told it (a pickup before it)."""


@dataclass
class ClientState:
    settings: params.Settings = field(default_factory=params.defaults)
    reply_port: int | None = None
    uploads: dict[int, Upload] = field(default_factory=dict)
    seeds: OrderedDict[int, Clip] = field(default_factory=OrderedDict)
    last_seed: Clip | None = None
    downbeats: dict[int, float] = field(default_factory=dict)
    """Where bar 1 lies in each finished seed whose begin told it (the others: untold)."""
    last_downbeat: float | None = None
    """Where bar 1 lies in the last seed, where told (for /segue/continue)."""
    dropped_seeds: deque[int] = field(default_factory=lambda: deque(maxlen=64))
    """Ids of finished seeds that made way for newer ones (to say so when one is asked for)."""
    used_seeds: deque[int] = field(default_factory=lambda: deque(maxlen=64))
    """Ids of seeds a generate took (a seed is used once: to say so when one is asked again)."""
    refused: OrderedDict[int, ProtocolError] = field(default_factory=OrderedDict)
    """Uploads refused at their begin, or dropped: their notes are ignored, and their end is
    answered with the reason (a refused begin's notes were each answered no_upload)."""
    heard: float = 0.0
    """When the client's last message arrived (the clock of :class:`Sessions`)."""
    messages: int = 1
    """Messages heard from the client (a one-shot sender's one: :data:`ONE_SHOT_QUIET`)."""


@dataclass(frozen=True)
class Forgotten:
    """What the bridge still knows of a client it forgot: where its replies went, and why."""

    reply_port: int | None
    why: str


class Sessions:
    def __init__(
        self,
        upload_timeout: float = 10.0,
        max_clients: int = P.MAX_CLIENTS,
        max_uploads: int = P.MAX_OPEN_UPLOADS,
        max_seeds: int = P.MAX_SEEDS,
        client_timeout: float = P.CLIENT_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
        busy: Callable[[ClientAddr], bool] = lambda client: False,
    ) -> None:
        self.upload_timeout = upload_timeout
        self.busy = busy
        """Whether a client has work in the bridge beyond this object (a learn's upload or
        tuning): such a client is in use, however quiet."""
        self.max_clients = max_clients
        self.max_uploads = max_uploads
        self.max_seeds = max_seeds
        self.client_timeout = client_timeout
        self.clock = clock
        self._clients: OrderedDict[ClientAddr, ClientState] = OrderedDict()  # quietest first
        self._forgotten: OrderedDict[ClientAddr, Forgotten] = OrderedDict()

    def __len__(self) -> int:
        return len(self._clients)

    def heard(self, addr: ClientAddr) -> Forgotten | None:
        """A message came from ``addr``: it is in use now. Returns what the bridge knew of
        it if it had been forgotten (once; the client is then a new one)."""
        state = self._clients.get(addr)
        if state is not None:
            state.heard = self.clock()
            state.messages += 1
            self._clients.move_to_end(addr)
            return None
        if self._forgotten:
            return self._forgotten.pop(addr, None)
        return None

    def client(self, addr: ClientAddr) -> ClientState:
        """The client's state, created on first contact; raises ``too_many_clients`` when
        every place is taken by a client in use."""
        state = self._clients.get(addr)
        if state is None:
            now = self.clock()
            if not is_loopback(addr[0]):
                self._host_room(addr[0], now)
            if len(self._clients) >= self.max_clients:
                self._make_room(now)
            state = self._clients[addr] = ClientState(heard=now)
        return state

    def _host_room(self, host: str, now: float) -> None:
        """Room for another client of another computer: it has fewer than
        :data:`~segue.bridge.protocol.MAX_CLIENTS_PER_HOST`, or one of them quiet for
        :data:`QUIET` s makes way; else ``too_many_clients``."""
        mine = [a for a in self._clients if a[0] == host]  # least recently heard first
        if len(mine) < P.MAX_CLIENTS_PER_HOST:
            return
        if self._make_way(mine, now):
            return
        raise ProtocolError(
            "too_many_clients",
            f"{host} has {len(mine)} clients of this bridge, the most one computer may have, "
            f"all heard in the last {QUIET:g} s; try again when one has been quiet that long",
        )

    def _make_room(self, now: float) -> None:
        if not self._make_way(list(self._clients), now):
            raise ProtocolError(
                "too_many_clients",
                f"the bridge is serving {len(self._clients)} clients, its most, and none has "
                f"been quiet for {QUIET:g} s with nothing in flight; try again shortly",
            )

    def _make_way(self, addrs: list[ClientAddr], now: float) -> bool:
        """Forget the first of ``addrs`` (least recently heard first) quiet for :data:`QUIET`
        s, or heard once and quiet for :data:`ONE_SHOT_QUIET` s, with nothing in flight;
        False when none may go."""
        for addr in addrs:
            state = self._clients[addr]
            quiet = now - state.heard
            wait = min(ONE_SHOT_QUIET, QUIET) if state.messages == 1 else QUIET
            if quiet >= wait and not state.uploads and not self.busy(addr):
                self._forget(
                    addr, f"to make room for another after {quiet:.0f} s without a message"
                )
                return True
        return False

    def release(self, addr: ClientAddr) -> bool:
        """The client said it is done (``/segue/bye``): forget it now, as a stranger (if it
        speaks again, it is a new client, not told it was forgotten), unless it is in use
        (an upload open, a learn). Whether it was."""
        state = self._clients.get(addr)
        if state is None or state.uploads or self.busy(addr):
            return False
        del self._clients[addr]
        return True

    def _forget(self, addr: ClientAddr, why: str) -> None:
        state = self._clients.pop(addr)
        self._forgotten[addr] = Forgotten(state.reply_port, why)
        while len(self._forgotten) > 16 * self.max_clients:
            self._forgotten.popitem(last=False)

    def peek(self, addr: ClientAddr) -> ClientState | None:
        """The client's state if it has one (never creates one: a stranger's garbage
        must not push real clients out)."""
        return self._clients.get(addr)

    # -- seed uploads -----------------------------------------------------------------------
    def begin(
        self,
        addr: ClientAddr,
        rid: int,
        count: int,
        length: float,
        time_signature: TimeSignature,
        now: float,
        downbeat: float | None = None,
    ) -> None:
        state = self.client(addr)
        state.uploads.pop(rid, None)  # beginning again starts over
        state.refused.pop(rid, None)
        if len(state.uploads) >= self.max_uploads:
            raise ProtocolError(
                "too_many_uploads",
                f"this client has {len(state.uploads)} seed uploads open; end or cancel one first",
                rid,
            )
        state.uploads[rid] = Upload(count, length, time_signature, now, downbeat=downbeat)

    def refuse(self, addr: ClientAddr, rid: int, error: ProtocolError) -> None:
        """The upload ``rid`` was refused at its begin (``error``, already answered) or
        dropped: its notes are ignored from now on, and its end says why (unless every
        place for a client is taken)."""
        try:
            state = self.client(addr)
        except ProtocolError:  # too many clients: each note is answered no_upload
            return
        state.uploads.pop(rid, None)
        state.refused[rid] = error
        while len(state.refused) > self.max_uploads:
            state.refused.popitem(last=False)

    def note(self, addr: ClientAddr, rid: int, note: Note) -> None:
        state = self.peek(addr)
        upload = state.uploads.get(rid) if state else None
        if state is not None and upload is None and rid in state.refused:
            return  # the rest of a refused upload: its error was said, its end says it again
        if state is None or upload is None:
            raise ProtocolError(
                "no_upload",
                f"a seed note for request {rid}, but no upload "
                "was begun with /segue/seed/begin (or it was dropped)",
                rid,
            )
        if len(upload.notes) >= upload.expected:
            error = ProtocolError(
                "count_mismatch",
                f"request {rid}: more seed notes than the "
                f"{upload.expected} announced; the upload is dropped",
                rid,
            )
            self.refuse(addr, rid, error)
            raise error
        upload.notes.append(note)

    def end(self, addr: ClientAddr, rid: int) -> Clip:
        """The finished seed, kept under its id for generate (and as the client's last seed)."""
        state = self.peek(addr)
        upload = state.uploads.pop(rid, None) if state else None
        refused = state.refused.pop(rid, None) if state is not None and upload is None else None
        if refused is not None:
            raise ProtocolError(
                refused.code,
                f"seed end for request {rid}, whose upload was refused: {refused.message}",
                rid,
            )
        if state is None or upload is None:
            raise ProtocolError(
                "no_upload",
                f"seed end for request {rid}, but no upload was begun (or it was dropped)",
                rid,
            )
        if len(upload.notes) != upload.expected:
            taken, told = len(upload.notes), upload.expected
            raise ProtocolError(
                "count_mismatch",
                f"request {rid}: {counted(taken, 'seed notes')} taken, {told} "
                f"{'was' if told == 1 else 'were'} announced (a note refused with its own "
                "error is not taken); the upload is dropped",
                rid,
            )
        try:
            clip = Clip(tuple(upload.notes), upload.length, upload.time_signature)
        except NoteError as exc:
            raise ProtocolError("bad_seed", f"request {rid}: {exc}", rid) from None
        state.seeds.pop(rid, None)
        state.seeds[rid] = clip
        state.downbeats.pop(rid, None)
        if upload.downbeat is not None:
            state.downbeats[rid] = upload.downbeat
        for old in (state.dropped_seeds, state.used_seeds):  # this id's seed is a new one now
            if rid in old:
                old.remove(rid)
        while len(state.seeds) > self.max_seeds:
            dropped = state.seeds.popitem(last=False)[0]
            state.downbeats.pop(dropped, None)
            state.dropped_seeds.append(dropped)
        state.last_seed, state.last_downbeat = clip, upload.downbeat
        return clip

    def take(self, addr: ClientAddr, rid: int) -> tuple[Clip, float | None]:
        """:meth:`take_seed`, and where bar 1 lies in it where its begin told it."""
        state = self.peek(addr)
        downbeat = state.downbeats.get(rid) if state is not None else None
        return self.take_seed(addr, rid), downbeat

    def give_back(self, addr: ClientAddr, rid: int, clip: Clip, downbeat: float | None) -> None:
        """A seed :meth:`take` took, kept again for its generate (a request not accepted)."""
        state = self.client(addr)
        state.seeds[rid] = clip
        if downbeat is not None:
            state.downbeats[rid] = downbeat

    def take_seed(self, addr: ClientAddr, rid: int) -> Clip:
        state = self.peek(addr)
        if state is not None and rid in state.uploads:
            raise ProtocolError(
                "no_seed",
                f"the seed of request {rid} is still uploading; send /segue/seed/end first",
                rid,
            )
        clip = state.seeds.pop(rid, None) if state is not None else None
        if clip is None and state is not None and rid in state.dropped_seeds:
            raise ProtocolError(
                "no_seed",
                f"the seed of request {rid} made way for newer ones (a client keeps its "
                f"{self.max_seeds} latest seeds); upload it again",
                rid,
            )
        if clip is None and state is not None and rid in state.used_seeds:
            raise ProtocolError(
                "no_seed",
                f"the seed of request {rid} was used by its {P.GENERATE} (a seed is used "
                "once); upload it again",
                rid,
            )
        if clip is None:
            raise ProtocolError(
                "no_seed",
                f"no seed was uploaded with request id {rid} "
                "(a seed of 0 notes starts from nothing)",
                rid,
            )
        assert state is not None
        state.used_seeds.append(rid)
        state.downbeats.pop(rid, None)
        return clip

    def cancel_upload(self, addr: ClientAddr, rid: int) -> bool:
        state = self._clients.get(addr)
        if state is None:
            return False
        refused = state.refused.pop(rid, None) is not None  # its notes and end: as unknown
        state.downbeats.pop(rid, None)
        return (
            (state.uploads.pop(rid, None) is not None)
            | (state.seeds.pop(rid, None) is not None)
            | refused
        )

    def expire(self, now: float) -> list[tuple[ClientAddr, int]]:
        """Drop uploads older than the timeout, and forget clients quiet for longer than
        theirs; returns (client, request id) of each upload dropped. A client in use (an
        upload open, work :attr:`busy`, or an upload just dropped, whose error still goes
        to its reply port) is not forgotten, however quiet."""
        dropped = []
        for addr, state in self._clients.items():
            for rid in [
                r for r, u in state.uploads.items() if now - u.started > self.upload_timeout
            ]:
                del state.uploads[rid]
                dropped.append((addr, rid))
        told = {addr for addr, _ in dropped}
        for addr, state in list(self._clients.items()):  # quietest first
            if now - state.heard <= self.client_timeout:
                break
            if not (state.uploads or addr in told or self.busy(addr)):
                self._forget(addr, f"after {self.client_timeout:g} s without a message")
        return dropped

    def drop_uploads(self) -> list[tuple[ClientAddr, int]]:
        """Drop every open upload (the bridge is stopping); returns (client, request id)."""
        dropped = [(addr, rid) for addr, state in self._clients.items() for rid in state.uploads]
        for state in self._clients.values():
            state.uploads.clear()
        return dropped
