"""What the bridge remembers per client: reply port, parameters, seed uploads, finished seeds.

A client is its (host, port) address, so two devices on one computer never
share request ids: uploads and seeds are keyed by (client, request id).
Everything is bounded: clients (least recently heard from is forgotten first),
open uploads and finished seeds per client, and uploads that do not end
within ``upload_timeout`` seconds are dropped by :meth:`Sessions.expire`.
Only the receiving thread touches these objects. Seed notes arrive on the grid
already (the address table casts their times as ``beats``); generation turns the
finished seed into grid rows (:func:`segue.grid.clip_rows`).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from segue.bridge import params
from segue.bridge.errors import ProtocolError
from segue.errors import NoteError
from segue.notes import Clip, Note, TimeSignature

ClientAddr = tuple[str, int]


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


@dataclass
class ClientState:
    settings: params.Settings = field(default_factory=params.defaults)
    reply_port: int | None = None
    uploads: dict[int, Upload] = field(default_factory=dict)
    seeds: OrderedDict[int, Clip] = field(default_factory=OrderedDict)
    last_seed: Clip | None = None


class Sessions:
    def __init__(
        self,
        upload_timeout: float = 10.0,
        max_clients: int = 64,
        max_uploads: int = 8,
        max_seeds: int = 8,
    ) -> None:
        self.upload_timeout = upload_timeout
        self.max_clients = max_clients
        self.max_uploads = max_uploads
        self.max_seeds = max_seeds
        self._clients: OrderedDict[ClientAddr, ClientState] = OrderedDict()

    def __len__(self) -> int:
        return len(self._clients)

    def client(self, addr: ClientAddr) -> ClientState:
        """The client's state, created on first contact (the oldest is forgotten if full)."""
        state = self._clients.get(addr)
        if state is None:
            state = self._clients[addr] = ClientState()
            while len(self._clients) > self.max_clients:
                self._clients.popitem(last=False)
        else:
            self._clients.move_to_end(addr)
        return state

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
    ) -> None:
        state = self.client(addr)
        state.uploads.pop(rid, None)  # beginning again starts over
        if len(state.uploads) >= self.max_uploads:
            raise ProtocolError(
                "too_many_uploads",
                f"this client has {len(state.uploads)} seed uploads open; end or cancel one first",
                rid,
            )
        state.uploads[rid] = Upload(count, length, time_signature, now)

    def note(self, addr: ClientAddr, rid: int, note: Note) -> None:
        state = self.peek(addr)
        upload = state.uploads.get(rid) if state else None
        if state is None or upload is None:
            raise ProtocolError(
                "no_upload",
                f"a seed note for request {rid}, but no upload "
                "was begun with /segue/seed/begin (or it was dropped)",
                rid,
            )
        if len(upload.notes) >= upload.expected:
            del state.uploads[rid]
            raise ProtocolError(
                "count_mismatch",
                f"request {rid}: more seed notes than the "
                f"{upload.expected} announced; the upload is dropped",
                rid,
            )
        upload.notes.append(note)

    def end(self, addr: ClientAddr, rid: int) -> Clip:
        """The finished seed, kept under its id for generate (and as the client's last seed)."""
        state = self.peek(addr)
        upload = state.uploads.pop(rid, None) if state else None
        if state is None or upload is None:
            raise ProtocolError(
                "no_upload",
                f"seed end for request {rid}, but no upload was begun (or it was dropped)",
                rid,
            )
        if len(upload.notes) != upload.expected:
            raise ProtocolError(
                "count_mismatch",
                f"request {rid}: {len(upload.notes)} seed "
                f"notes arrived, {upload.expected} were announced; the "
                "upload is dropped",
                rid,
            )
        try:
            clip = Clip(tuple(upload.notes), upload.length, upload.time_signature)
        except NoteError as exc:
            raise ProtocolError("bad_seed", f"request {rid}: {exc}", rid) from None
        state.seeds.pop(rid, None)
        state.seeds[rid] = clip
        while len(state.seeds) > self.max_seeds:
            state.seeds.popitem(last=False)
        state.last_seed = clip
        return clip

    def take_seed(self, addr: ClientAddr, rid: int) -> Clip:
        state = self.client(addr)
        if rid in state.uploads:
            raise ProtocolError(
                "no_seed",
                f"the seed of request {rid} is still uploading; send /segue/seed/end first",
                rid,
            )
        clip = state.seeds.pop(rid, None)
        if clip is None:
            raise ProtocolError(
                "no_seed",
                f"no seed was uploaded with request id {rid} "
                "(a seed of 0 notes starts from nothing)",
                rid,
            )
        return clip

    def cancel_upload(self, addr: ClientAddr, rid: int) -> bool:
        state = self._clients.get(addr)
        if state is None:
            return False
        return (state.uploads.pop(rid, None) is not None) | (state.seeds.pop(rid, None) is not None)

    def expire(self, now: float) -> list[tuple[ClientAddr, int]]:
        """Drop uploads older than the timeout; returns (client, request id) of each."""
        dropped = []
        for addr, state in self._clients.items():
            for rid in [
                r for r, u in state.uploads.items() if now - u.started > self.upload_timeout
            ]:
                del state.uploads[rid]
                dropped.append((addr, rid))
        return dropped
