"""A stand-in for Ableton Live running AbletonOSC: a real UDP server over a small Live set.

It speaks the addresses segue uses the way AbletonOSC's own source does
(github.com/ideoforms/AbletonOSC, ``abletonosc/osc_server.py``, ``clip.py``,
``clip_slot.py``, ``view.py``, ``song.py``, ``handler.py`` and ``manager.py``):

* python-osc parses and builds the messages (AbletonOSC ships a copy of it):
  Python bools go out as ``T``/``F``, ints as ``i``, floats as float32 ``f``;
* it reads its socket once per tick and handles every waiting datagram in
  order; an exception ends the tick (the rest waits for the next one);
* an answer goes to port ``reply_port`` (11001 in Live) of the sender's host,
  on the address asked, led by the indices asked; setters answer nothing;
* errors are logged, and every error line is sent as ``/live/error`` with the
  text after its first ": " (manager.py's log handler), to the last sender;
* a reply longer than ``max_datagram`` (9,216 bytes: macOS's limit) fails in
  ``sendto`` with "[Errno 40] Message too long", which the server logs as a
  socket error: the asker gets that ``/live/error`` and never the answer;
* indices arrive as floats from TouchOSC and are cast with ``int()``; Live's
  own calls behind them take ints where Live wants ints (Boost.Python converts
  an int to a float, never a float to an int).

The set: tracks of clip slots (a slot holds a :class:`FakeClip` or None), the
selected track and scene (track None = the master track is selected) and the
song's time signature. Clip signature getters are off by default (they are
not in the AbletonOSC source these rules come from); ``clip_signature=True``
models a version that has them.
"""

from __future__ import annotations

import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pythonosc.osc_message import OscMessage, ParseError
from pythonosc.osc_message_builder import OscMessageBuilder

MACOS_MAX_DATAGRAM = 9216
EMSGSIZE_MACOS = 40  # errno.EMSGSIZE on macOS, where Live runs (90 on Linux)

Note = tuple[int, float, float, float, bool]
"""(pitch, start, duration, velocity, mute), as Live's get_notes_extended gives them."""


@dataclass
class FakeClip:
    name: str = ""
    length: float = 4.0
    notes: list[Note] = field(default_factory=list)
    is_midi_clip: bool = True
    looping: bool = True
    loop_start: float = 0.0
    start_marker: float = 0.0
    signature_numerator: int = 4
    signature_denominator: int = 4
    is_recording: bool = False

    def add_new_notes(self, notes: list[Note]) -> None:
        for note in notes:  # a note at the same pitch and time replaces the old one
            self.notes = [n for n in self.notes if (n[0], n[1]) != (note[0], note[1])]
            self.notes.append(note)

    def get_notes_extended(
        self, from_pitch: int, pitch_span: int, from_time: float, time_span: float
    ) -> list[Note]:
        for value, what in ((from_pitch, "from_pitch"), (pitch_span, "pitch_span")):
            if type(value) is not int:
                raise TypeError(
                    f"Python argument types in Clip.get_notes_extended did not "
                    f"match C++ signature ({what} is {type(value).__name__})"
                )
        found = [
            n
            for n in self.notes
            if from_pitch <= n[0] < from_pitch + pitch_span
            and from_time <= n[1] < from_time + time_span
        ]
        return sorted(found, key=lambda n: (n[0], n[1]))  # Live's order: pitch, then time


@dataclass
class FakeTrack:
    name: str
    slots: list[FakeClip | None]
    midi: bool = True
    devices: tuple[str, ...] = ("InstrumentGroupDevice",)  # LOM class names
    arrangement: tuple[str, ...] = ()  # names of its Arrangement clips (AbletonOSC reads no more)
    group: bool = False  # a group track: Live refuses its arrangement clips


@dataclass
class LiveSet:
    tracks: list[FakeTrack]
    selected: tuple[int | None, int] = (0, 0)
    signature: tuple[int, int] = (4, 4)
    max_scenes: int = 1000

    @property
    def num_scenes(self) -> int:
        return len(self.tracks[0].slots) if self.tracks else 0

    def create_scene(self, index: int) -> None:
        if type(index) is not int:
            raise TypeError(
                "Python argument types in Song.create_scene(Song, "
                f"{type(index).__name__}) did not match C++ signature"
            )
        if self.num_scenes >= self.max_scenes:
            raise RuntimeError("Maximum number of scenes reached")
        at = self.num_scenes if index == -1 else index
        for track in self.tracks:
            track.slots.insert(at, None)


class AbletonOSCStandin:
    """``with AbletonOSCStandin(live_set, reply_port) as live: ... live.port``."""

    def __init__(
        self,
        live_set: LiveSet,
        reply_port: int,
        *,
        max_datagram: int = MACOS_MAX_DATAGRAM,
        clip_signature: bool = False,
        tick: float = 0.005,
    ) -> None:
        self.set = live_set
        self.reply_port = reply_port
        self.max_datagram = max_datagram
        self.tick = tick
        self.sock = _bound_apart_from(reply_port)
        self.sock.setblocking(False)
        self.remote: tuple[str, int] = ("127.0.0.1", reply_port)
        self.handled: list[tuple[str, tuple[Any, ...]]] = []
        self.sizes: list[tuple[str, int]] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="abletonosc-standin", daemon=True)
        self.handlers: dict[str, Callable[[tuple[Any, ...]], tuple[Any, ...] | None]] = {}
        self._add_handlers(clip_signature)

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def answer_on(self, reply_port: int) -> None:
        """Answer on another port from now on (a test that started segue again on a fresh
        reply port, another socket having taken the first: ``ports.retry_taken``)."""
        with self.lock:
            self.reply_port = reply_port
            self.remote = (self.remote[0], reply_port)

    def __enter__(self) -> AbletonOSCStandin:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()

    # -- the server (osc_server.py) -------------------------------------------------------
    def _loop(self) -> None:
        while not self._stop.is_set():
            time.sleep(self.tick)
            with self.lock:
                self.process()

    def process(self) -> None:
        """One tick: every waiting datagram, in order, until one raises."""
        try:
            while True:
                data, remote = self.sock.recvfrom(65536)
                self.remote = (remote[0], self.reply_port)
                try:
                    message = OscMessage(data)
                except ParseError:
                    self.log_error(
                        "AbletonOSC: Error parsing OSC message: " + traceback.format_exc()
                    )
                    continue
                self.sizes.append((message.address, len(data)))
                self.handled.append((message.address, tuple(message.params)))
                self.process_message(message, remote)
        except BlockingIOError:
            pass
        except OSError:
            self.log_error("AbletonOSC: Socket error: " + traceback.format_exc())
        except Exception as exc:
            self.log_error(f"AbletonOSC: Error handling OSC message: {exc}")

    def process_message(self, message: OscMessage, remote: tuple[str, int]) -> None:
        callback = self.handlers.get(message.address)
        if callback is None:
            self.log_error(f"AbletonOSC: Unknown OSC address: {message.address}")
            return
        rv = callback(tuple(message.params))
        if rv is not None:
            self.send(message.address, rv, (remote[0], self.reply_port))

    def send(self, address: str, params: tuple[Any, ...], remote: tuple[str, int]) -> None:
        builder = OscMessageBuilder(address)
        for param in params:
            builder.add_arg(param)
        dgram = builder.build().dgram
        if len(dgram) > self.max_datagram:
            raise OSError(EMSGSIZE_MACOS, "Message too long")
        self.sock.sendto(dgram, remote)

    def log_error(self, line: str) -> None:
        """manager.py's LiveOSCErrorLogHandler: log it, send the text after the first ': '."""
        self.errors.append(line)
        try:
            self.send("/live/error", (line[line.index(":") + 2 :],), self.remote)
        except OSError:
            pass

    # -- the API (song.py, view.py, clip_slot.py, clip.py) --------------------------------
    def _add_handlers(self, clip_signature: bool) -> None:
        live = self.set
        add = self.handlers.__setitem__

        def song_property(name: str) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
            values = {
                "signature_numerator": lambda: live.signature[0],
                "signature_denominator": lambda: live.signature[1],
            }
            return lambda params: (values[name](),)

        add("/live/song/get/num_tracks", lambda params: (len(live.tracks),))
        add("/live/song/get/num_scenes", lambda params: (live.num_scenes,))
        for name in ("signature_numerator", "signature_denominator"):
            add(f"/live/song/get/{name}", song_property(name))
        add("/live/song/create_scene", lambda params: live.create_scene(*params))

        def selected_clip(params: tuple[Any, ...]) -> tuple[Any, ...]:
            track, scene = live.selected
            if track is None:
                raise ValueError("<Track.Track object at 0x11f3a2b30> is not in list")
            return (track, scene)

        add("/live/view/get/selected_clip", selected_clip)

        def slot_callback(func: Callable[..., Any]) -> Callable[[tuple[Any, ...]], Any]:
            def callback(params: tuple[Any, ...]) -> tuple[Any, ...] | None:
                track_index, clip_index = int(params[0]), int(params[1])
                track = live.tracks[track_index]
                rv = func(track, clip_index, tuple(params[2:]))
                if rv is not None:
                    return (track_index, clip_index, *rv)
                return None

            return callback

        def has_clip(track: FakeTrack, index: int, params: tuple[Any, ...]) -> tuple[Any, ...]:
            return (track.slots[index] is not None,)

        def create_clip(track: FakeTrack, index: int, params: tuple[Any, ...]) -> None:
            if track.slots[index] is not None:
                raise RuntimeError("Clip slot already has a clip")
            if not track.midi:
                raise RuntimeError("MIDI clips can only be created on MIDI tracks")
            track.slots[index] = FakeClip(length=float(params[0]))

        add(
            "/live/track/get/devices/class_name",
            lambda params: (int(params[0]), *live.tracks[int(params[0])].devices),
        )

        def arrangement_names(params: tuple[Any, ...]) -> tuple[Any, ...]:
            track = live.tracks[int(params[0])]
            if track.group:  # Live's words, as a tool reading them in Live 11 met them
                raise RuntimeError("Master, Group and Return Tracks have no arrangement clips")
            return (int(params[0]), *track.arrangement)

        add("/live/track/get/arrangement_clips/name", arrangement_names)
        add("/live/clip_slot/get/has_clip", slot_callback(has_clip))
        add("/live/clip_slot/create_clip", slot_callback(create_clip))

        def clip_callback(func: Callable[..., Any]) -> Callable[[tuple[Any, ...]], Any]:
            def on_clip(track: FakeTrack, index: int, params: tuple[Any, ...]) -> Any:
                return func(track.slots[index], params)  # an empty slot's clip is None

            return slot_callback(on_clip)

        def getter(name: str) -> Callable[[Any, tuple[Any, ...]], tuple[Any, ...]]:
            return lambda clip, params: (getattr(clip, name),)

        names = ["is_midi_clip", "length", "name", "looping", "loop_start", "start_marker"]
        names += ["is_recording"]
        if clip_signature:
            names += ["signature_numerator", "signature_denominator"]
        for name in names:
            add(f"/live/clip/get/{name}", clip_callback(getter(name)))
        add(
            "/live/clip/set/name",
            clip_callback(lambda clip, params: setattr(clip, "name", params[0])),
        )

        def get_notes(clip: FakeClip, params: tuple[Any, ...]) -> tuple[Any, ...]:
            if len(params) == 4:
                pitch_start, pitch_span, time_start, time_span = params
            elif len(params) == 0:
                pitch_start, pitch_span, time_start, time_span = 0, 127, -8192, 16384
            else:
                raise ValueError(
                    "Invalid number of arguments for /clip/get/notes. Either 0 or "
                    "4 arguments must be passed."
                )
            out: list[Any] = []
            for note in clip.get_notes_extended(pitch_start, pitch_span, time_start, time_span):
                out += list(note)
            return tuple(out)

        def add_notes(clip: FakeClip, params: tuple[Any, ...]) -> None:
            notes = []
            for offset in range(0, len(params), 5):
                pitch, start, duration, velocity, mute = params[offset : offset + 5]
                if type(pitch) is not int:
                    raise TypeError("MidiNoteSpecification: pitch must be an int")
                if not 0 <= pitch <= 127 or duration <= 0 or not 0 <= velocity <= 127:
                    raise RuntimeError("Invalid note specification")
                notes.append((pitch, float(start), float(duration), float(velocity), bool(mute)))
            clip.add_new_notes(notes)

        add("/live/clip/get/notes", clip_callback(get_notes))
        add("/live/clip/add/notes", clip_callback(add_notes))


def _bound_apart_from(port: int) -> socket.socket:
    """A UDP socket on a free loopback port that is not ``port``. A test's reply port used
    to be let go before segue bound it, so the system could hand the very same port to the
    stand-in: the client then refused "the reply port must differ" (seen once in CI). The
    ``reply_port`` fixture now holds it until then; a reply port a test let go (for a
    subprocess) still may come back here, so a socket that got ``port`` is held until another
    port is found."""
    held: list[socket.socket] = []
    try:
        while True:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 0))
            if sock.getsockname()[1] != port:
                return sock
            held.append(sock)
    finally:
        for sock in held:
            sock.close()


def reply_port_taken(output: str, port: int) -> bool:
    """Whether segue said (in ``output``) that another socket held its reply ``port``."""
    return f"cannot listen on udp 127.0.0.1:{port} for AbletonOSC's answers" in output
