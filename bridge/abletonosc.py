"""A client of AbletonOSC, the free Remote Script that opens Live's API to OSC (no Max needed).

With it segue works in Live Standard and Intro as well as Suite. The addresses,
argument orders and replies follow AbletonOSC's own source (github.com/
ideoforms/AbletonOSC, ``abletonosc/{osc_server,clip,clip_slot,view,song}.py``):

* It listens on UDP 11000 and sends every answer to port **11001 of the
  sender's host**, never to the port a query came from; this client therefore
  binds 11001 (one AbletonOSC client per computer can) and reads only
  datagrams from Live's host.
* A getter's answer comes back on the address asked, led by the indices of the
  query: ``/live/clip/get/length 0 2`` -> ``/live/clip/get/length 0 2 8.0``.
  Setters and actions (create a clip, add notes, name a clip) answer nothing.
* Whatever fails inside it (an unknown address, an exception in a handler, a
  failed send) is logged and sent as ``/live/error text``.
* An answer is one datagram. ``/live/clip/get/notes`` of a dense clip is longer
  than macOS lets a UDP datagram be (9,216 bytes); the send fails and only
  ``/live/error "Socket error: ... Message too long"`` arrives (AbletonOSC
  issue 88). :meth:`AbletonOSC.read_notes` therefore reads notes in pitch
  ranges, halved (then time ranges) until each answer fits, and merges them.
* It reads its socket once per 100 ms tick and handles messages in order.

Indices are AbletonOSC's: tracks and scenes counted from 0. Messages for
people count from 1, as Live shows them.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import re
import socket
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from segue.bridge.codec import Message, decode, encode
from segue.bridge.errors import ProtocolError
from segue.errors import (
    LiveError,
    LiveTimeout,
    NoClipError,
    NoEmptySlotError,
    NoteError,
    SegueError,
)
from segue.notes import TimeSignature

LIVE_PORT = 11000
"""AbletonOSC listens here."""
REPLY_PORT = 11001
"""AbletonOSC answers to this port of the sender's host."""
DEFAULT_HOST = "127.0.0.1"
DEFAULT_TIMEOUT = 3.0
SEND_LIMIT = 1400
"""Most bytes in one datagram this client sends: one Ethernet or Wi-Fi frame, far below
the 9,216 bytes macOS allows."""
NOTES_PER_BARRIER = 512
"""While adding notes, wait for Live to have read them after this many (it reads every 100 ms)."""
GRACE = 0.35
"""Once the answers that matter have come, how long optional ones may still take (3 ticks)."""
MAX_NOTE_REQUESTS = 4096
MIN_TIME_SPAN = 1 / 32
"""Time ranges are not halved below this (a reply of one pitch in 1/32 beat always fits)."""
_SPLIT_GRID = 64  # time ranges split on 1/64 beats: exact in float32, so they tile exactly

ERROR = "/live/error"
NOTES = "/live/clip/get/notes"
ADD_NOTES = "/live/clip/add/notes"
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


@dataclass(frozen=True)
class LiveNote:
    """A note as AbletonOSC sends it: times in beats from the clip's start, velocity a float."""

    pitch: int
    start: float
    duration: float
    velocity: float
    mute: bool = False


@dataclass(frozen=True)
class ClipInfo:
    """A clip in a Session View slot, as read through AbletonOSC."""

    track: int
    scene: int
    name: str
    length: float
    """Beats: the loop length when looping, else end marker minus start marker (Live's rule)."""
    start: float
    """Where the played region starts on the clip's timeline: the loop start or start marker."""
    time_signature: TimeSignature
    signature_from: str
    """"clip" when AbletonOSC has the clip's signature getters, else "song"."""


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


def _int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise LiveError(f"AbletonOSC sent {value!r} as the {what}; expected a whole number")
    return int(value)


def _float(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LiveError(f"AbletonOSC sent {value!r} as the {what}; expected a number")
    return float(value)


def _notes(values: Sequence[object]) -> list[LiveNote]:
    """(pitch, start, duration, velocity, mute) * n, as /live/clip/get/notes answers."""
    if len(values) % 5:
        raise LiveError(f"AbletonOSC's notes answer has {len(values)} values, not 5 per note")
    out = []
    for i in range(0, len(values), 5):
        pitch, start, duration, velocity, mute = values[i : i + 5]
        out.append(
            LiveNote(
                _int(pitch, "pitch"),
                _float(start, "note start"),
                _float(duration, "note duration"),
                _float(velocity, "velocity"),
                bool(mute),
            )
        )
    return out


def _add_args(track: int, scene: int, notes: Sequence[LiveNote]) -> tuple[Any, ...]:
    args: list[Any] = [track, scene]
    for note in notes:
        velocity = min(127, max(1, round(note.velocity)))
        args += [note.pitch, float(note.start), float(note.duration), velocity, bool(note.mute)]
    return tuple(args)


def _notes_per_datagram(limit: int = SEND_LIMIT) -> int:
    """How many notes one /live/clip/add/notes may carry within ``limit`` bytes."""
    count = 1
    sample = LiveNote(60, 0.0, 1.0, 100.0)
    while len(encode(ADD_NOTES, _add_args(0, 0, [sample] * (count + 1)))) <= limit:
        count += 1
    return count


NOTES_PER_DATAGRAM = _notes_per_datagram()


def note_chunks(track: int, scene: int, notes: Sequence[LiveNote]) -> list[tuple[Any, ...]]:
    """The arguments of each /live/clip/add/notes message that together add ``notes``."""
    return [
        _add_args(track, scene, notes[i : i + NOTES_PER_DATAGRAM])
        for i in range(0, len(notes), NOTES_PER_DATAGRAM)
    ]


def _split(
    pitches: tuple[int, int], times: tuple[float, float]
) -> list[tuple[tuple[int, int], tuple[float, float]]] | None:
    """Two halves of a note range: by pitch while it spans several, then by time."""
    low, high = pitches
    if high - low > 1:
        middle = (low + high) // 2
        return [((low, middle), times), ((middle, high), times)]
    start, end = times
    if end - start <= MIN_TIME_SPAN:
        return None
    middle = math.floor((start + end) / 2 * _SPLIT_GRID) / _SPLIT_GRID
    return [(pitches, (start, middle)), (pitches, (middle, end))]


class AbletonOSC:
    """Queries and edits of a Live set through AbletonOSC, over a real UDP socket.

    ``with AbletonOSC() as live: track, scene = live.selected_clip()``. Every
    query waits at most ``timeout`` seconds; silence raises :class:`LiveTimeout`
    with a sentence on starting or installing AbletonOSC, and ``/live/error``
    raises :class:`LiveError` with AbletonOSC's text. One thread at a time.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = LIVE_PORT,
        reply_port: int = REPLY_PORT,
        timeout: float = DEFAULT_TIMEOUT,
        log: logging.Logger | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.reply_port = reply_port
        self.timeout = timeout
        self.log = log or logging.getLogger("segue.abletonosc")
        self._sock: socket.socket | None = None
        self._peer: tuple[str, int] = (host, port)
        self._pending: deque[Message] = deque()
        self.splits = 0
        """Note ranges halved because an answer was too long or lost (for logs and tests)."""

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
        self._peer = infos[0][4][:2]
        local = "127.0.0.1" if ipaddress.ip_address(self._peer[0]).is_loopback else "0.0.0.0"
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            sock.bind((local, self.reply_port))
        except OSError as exc:
            sock.close()
            hint = (
                " (another AbletonOSC client, such as TouchOSC or a second segue, holds it; "
                "AbletonOSC always answers on this port)"
                if exc.errno in (98, 48, 10048)
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
        self._socket().sendto(data, self._peer)

    def _next(self, deadline: float) -> Message | None:
        """The next message from Live's host, or None at the deadline."""
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
        while self._next(time.monotonic() + 0.001) is not None:
            dropped += 1
        return dropped

    def _silence(self, waited: float) -> str:
        ports = f"UDP {LIVE_PORT} and answers on {REPLY_PORT}"
        if (self.port, self.reply_port) != (LIVE_PORT, REPLY_PORT):
            ports += f"; asked on {self.port}, answers read on {self.reply_port}"
        return (
            f"Ableton Live did not answer on {self.where} within {waited:g} s: is Live "
            f"running with AbletonOSC on? (AbletonOSC listens on {ports}; {INSTALL})"
        )

    @staticmethod
    def _error_text(message: Message) -> str:
        text = " ".join(str(a) for a in message.args).strip()
        return " ".join(text.split()) or "an error without a message"

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
            message = self._next(deadline)
            if message is None:
                break
            if message.address == ERROR:
                self._unknown_or_raise(message, keys, done, required)
                continue
            for i, (address, echo) in enumerate(keys):
                if (
                    not done[i]
                    and message.address == address
                    and len(message.args) >= len(echo)
                    and all(_same(g, w) for g, w in zip(message.args, echo, strict=False))
                ):
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
        text = self._error_text(message)
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

    def selected_clip(self) -> tuple[int, int]:
        """(track, scene) of the slot selected in Live, which may be empty."""
        try:
            answer = self.ask("/live/view/get/selected_clip")
        except LiveTimeout:
            raise
        except LiveError as exc:
            raise NoClipError(
                f"Live's selected track holds no clips (the master or a return "
                f"track?): select a MIDI clip in Session View ({exc})"
            ) from None
        if len(answer) < 2:
            raise LiveError(f"AbletonOSC answered the selected clip with {answer!r}")
        return _int(answer[0], "track index"), _int(answer[1], "scene index")

    def counts(self) -> tuple[int, int]:
        """(tracks, scenes) in the set."""
        tracks, scenes = self.gather(
            [("/live/song/get/num_tracks", (), 0), ("/live/song/get/num_scenes", (), 0)]
        )
        assert tracks is not None and scenes is not None
        return _int(tracks[0], "track count"), _int(scenes[0], "scene count")

    def num_scenes(self) -> int:
        return _int(self.ask("/live/song/get/num_scenes")[0], "scene count")

    def has_clips(self, track: int, scenes: Iterable[int]) -> list[bool]:
        """Whether each slot of ``track`` holds a clip (asked together, 64 at a time)."""
        wanted = list(scenes)
        out: list[bool] = []
        for i in range(0, len(wanted), 64):
            answers = self.gather(
                [("/live/clip_slot/get/has_clip", (track, s), 2) for s in wanted[i : i + 64]]
            )
            out += [bool(a[0]) if a else False for a in answers]
        return out

    def has_clip(self, track: int, scene: int) -> bool:
        return self.has_clips(track, [scene])[0]

    def clip_info(self, track: int, scene: int) -> ClipInfo:
        """Name, length, played region and time signature of the clip in a slot.

        The clip's own time signature is asked where AbletonOSC has getters for
        it; otherwise the song's is used (a new clip takes the song's anyway).
        """
        clip = (track, scene)
        queries: list[Query] = [
            ("/live/clip/get/is_midi_clip", clip, 2),
            ("/live/clip/get/length", clip, 2),
            ("/live/clip/get/name", clip, 2),
            ("/live/song/get/signature_numerator", (), 0),
            ("/live/song/get/signature_denominator", (), 0),
            # optional: not in every AbletonOSC version
            ("/live/clip/get/looping", clip, 2),
            ("/live/clip/get/loop_start", clip, 2),
            ("/live/clip/get/start_marker", clip, 2),
            ("/live/clip/get/signature_numerator", clip, 2),
            ("/live/clip/get/signature_denominator", clip, 2),
        ]
        (
            midi,
            length,
            name,
            song_num,
            song_den,
            looping,
            loop_start,
            start_marker,
            clip_num,
            clip_den,
        ) = self.gather(queries, required=5)
        place = f"track {track + 1}, scene {scene + 1}"
        if not midi or not midi[0]:
            raise NoClipError(f"the clip at {place} is an audio clip: select a MIDI clip")
        beats = _float(length[0] if length else None, "clip length")
        if beats <= 0:
            raise LiveError(f"the clip at {place} has length {beats:g}")
        looped = bool(looping[0]) if looping else True
        region = loop_start if looped else start_marker
        start = _float(region[0], "loop start") if region and region[0] is not None else 0.0
        if clip_num and clip_den and clip_num[0] is not None and clip_den[0] is not None:
            numbers, source = (clip_num[0], clip_den[0]), "clip"
        else:
            numbers, source = (
                (song_num[0] if song_num else None, song_den[0] if song_den else None),
                "song",
            )
        try:
            signature = TimeSignature(
                _int(numbers[0], "signature numerator"), _int(numbers[1], "signature denominator")
            )
        except NoteError as exc:
            raise LiveError(f"the {source}'s time signature: {exc}") from None
        text = name[0] if name and isinstance(name[0], str) else ""
        return ClipInfo(track, scene, text, beats, start, signature, source)

    # -- notes ------------------------------------------------------------------------------
    def get_notes(
        self, track: int, scene: int, pitches: tuple[int, int], times: tuple[float, float]
    ) -> list[LiveNote] | None:
        """One /live/clip/get/notes for pitches [low, high) and start times [start, end).

        None when the answer does not come: too long for one datagram (AbletonOSC
        says so on /live/error) or lost (no answer in time).
        """
        (low, high), (start, end) = pitches, times
        self.send(NOTES, track, scene, low, high - low, float(start), float(end - start))
        deadline = time.monotonic() + self.timeout
        while (message := self._next(deadline)) is not None:
            if message.address == ERROR:
                text = self._error_text(message)
                if _TOO_LONG.search(text):
                    self.log.info(
                        "notes of pitches %d-%d, beats %g-%g: too long for one datagram; halving",
                        low,
                        high - 1,
                        start,
                        end,
                    )
                    return None
                raise LiveError(f"AbletonOSC: {text}")
            if (
                message.address == NOTES
                and len(message.args) >= 2
                and _same(message.args[0], track)
                and _same(message.args[1], scene)
            ):
                return _notes(message.args[2:])
        self.log.info(
            "notes of pitches %d-%d, beats %g-%g: no answer; halving", low, high - 1, start, end
        )
        self._settle()
        return None

    def _settle(self) -> None:
        """Wait until AbletonOSC has handled everything sent so far (it works in order), so
        that a late answer cannot be taken for a later one; LiveTimeout if Live is gone."""
        self.send("/live/song/get/num_scenes")
        deadline = time.monotonic() + self.timeout
        while (message := self._next(deadline)) is not None:
            if message.address == "/live/song/get/num_scenes":
                return
            if message.address == ERROR and not _TOO_LONG.search(self._error_text(message)):
                raise LiveError(f"AbletonOSC: {self._error_text(message)}")
        raise LiveTimeout(self._silence(self.timeout))

    def read_notes(self, track: int, scene: int, start: float, end: float) -> list[LiveNote]:
        """Every note of the clip whose start lies in [start, end), however many there are.

        Ranges whose answer does not fit in one datagram are halved, by pitch
        first, then by time; the answers are merged, and a note that two ranges
        both return (on a shared edge) is kept once.
        """
        found: dict[tuple[int, float], LiveNote] = {}
        todo = [((0, 128), (float(start), float(end)))]
        requests = 0
        while todo:
            pitches, times = todo.pop()
            requests += 1
            if requests > MAX_NOTE_REQUESTS:
                raise LiveError(f"reading the notes took over {MAX_NOTE_REQUESTS} requests")
            notes = self.get_notes(track, scene, pitches, times)
            if notes is not None:
                for note in notes:
                    found.setdefault((note.pitch, note.start), note)
                continue
            halves = _split(pitches, times)
            if halves is None:
                raise LiveError(
                    f"AbletonOSC cannot send the notes of pitch {pitches[0]} between "
                    f"beats {times[0]:g} and {times[1]:g} in one message"
                )
            self.splits += 1
            todo.extend(reversed(halves))
        return sorted(found.values(), key=lambda n: (n.start, n.pitch))

    # -- edits ------------------------------------------------------------------------------
    def create_scene(self) -> int:
        """Add a scene at the end of the set; returns its index."""
        before = self.num_scenes()
        self.send("/live/song/create_scene", -1)
        try:
            after = self.num_scenes()
        except LiveTimeout:
            raise
        except LiveError as exc:
            raise NoEmptySlotError(
                f"Live did not add a scene ({exc}), so no empty clip slot "
                "is left for the continuation"
            ) from None
        if after != before + 1:
            raise NoEmptySlotError(
                f"Live did not add a scene (it has {after}), so no empty "
                "clip slot is left for the continuation"
            )
        return before

    def create_clip(self, track: int, scene: int, length: float) -> None:
        """A new, empty MIDI clip of ``length`` beats in an empty slot."""
        self.send("/live/clip_slot/create_clip", track, scene, float(length))
        if not self.has_clip(track, scene):  # also waits until Live made it
            raise LiveError(f"Live did not create a clip at track {track + 1}, scene {scene + 1}")

    def set_clip_name(self, track: int, scene: int, name: str) -> None:
        self.send("/live/clip/set/name", track, scene, name)

    def add_notes(self, track: int, scene: int, notes: Sequence[LiveNote]) -> int:
        """Add notes to a clip, a few dozen per datagram; returns the datagrams sent."""
        chunks = note_chunks(track, scene, notes)
        per_barrier = max(1, NOTES_PER_BARRIER // NOTES_PER_DATAGRAM)
        for i, args in enumerate(chunks, 1):
            self.send(ADD_NOTES, *args)
            if i % per_barrier == 0 and i < len(chunks):
                self.has_clip(track, scene)  # Live has read these before more are sent
        return len(chunks)

    def clip_length(self, track: int, scene: int) -> float:
        return _float(self.ask("/live/clip/get/length", track, scene)[0], "clip length")
