"""A fast MIDI reader that gives exactly what :func:`segue.midi_io.read_midi` gives.

``read_midi`` builds a mido message object for every event and a :class:`Note`
for every note: about 6 ms for a Bach chorale. Preparing a corpus of 15,000
files needs something faster, so :func:`read_note_table` scans the file's bytes
itself (about 0.3 ms per chorale) and returns the notes as arrays.

It is a drop-in for ``read_midi``, not an approximation: the bytes are parsed
the way mido parses them (running status, data bytes clipped to 127, a track
read until its chunk size is reached exactly) and notes are paired the way
``read_midi`` pairs them (see :mod:`segue.midi_io`). Anything out of the
ordinary (a damaged or truncated file, system messages, meta events mido would
reject, a file with nothing to read) is handed to ``read_midi`` itself, so the
result or the error is always the same as ``read_midi``'s. ``NoteTable.fast``
says which reader did the work.

symusic parses faster still, but it is not a drop-in: it drops notes that never
end, ignores the end-of-track time (music21 exports end 10.5 beats after the
last note, which sets the clip length), and only pairs overlapping notes of one
pitch first-in-first-out (``read_midi`` also ends a note where the next of its
pitch starts, and a retrigger at a later note-off). See
benchmarks/bench_prepare.py for the comparison.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.midi_io import (
    DRUM_CHANNEL,
    KeyEvent,
    StatedSignatures,
    TrackChoice,
    meta_text,
    pair_notes,
    prevailing_signature,
    read_midi,
    same_name,
)
from segue.notes import Clip, TimeSignature, whole_bars

MAX_MESSAGE_LENGTH = 1_000_000  # mido refuses longer meta and sysex events

_KEY_SIGNATURES = frozenset((key, mode) for key in range(-7, 8) for mode in (0, 1))
_SMPTE_RATES = (0, 1, 2, 3)
# Meta event types mido decodes; it builds any other type without its delta time,
# so read_midi moves the rest of that track earlier by that much. Done the same here.
_MIDO_META_TYPES = frozenset(
    (
        0x00,
        0x01,
        0x02,
        0x03,
        0x04,
        0x05,
        0x06,
        0x07,
        0x09,
        0x20,
        0x21,
        0x2F,
        0x51,
        0x54,
        0x58,
        0x59,
        0x7F,
    )
)


class Unsupported(Exception):
    """The fast reader leaves this file to ``read_midi`` (damaged, unusual or empty)."""


@dataclass(frozen=True, slots=True)
class ParsedMidi:
    """The raw content of a MIDI file, in the file's own ticks.

    ``notes`` is int64 (n, 6): track, channel, pitch, start, end, velocity, in
    the order ``read_midi`` finds them.
    """

    ppq: int
    notes: np.ndarray
    file_end: int
    track_names: tuple[str, ...]
    time_signature: TimeSignature
    lead: float = 0.0  # beats every note moves later: see StatedSignatures.lead


@dataclass(frozen=True, slots=True)
class NoteTable:
    """The notes ``read_midi`` would return, as arrays: times in beats."""

    pitch: np.ndarray  # int64
    start: np.ndarray  # float64, beats
    duration: np.ndarray  # float64, beats
    velocity: np.ndarray  # int64
    length: float  # the clip length in beats
    time_signature: TimeSignature
    fast: bool  # False when read_midi did the reading

    def __len__(self) -> int:
        return len(self.pitch)


@dataclass(slots=True)
class _Track:
    """What one track chunk holds, besides its notes."""

    end_pos: int
    end_tick: int
    name: str
    time_signatures: list[tuple[int, int, int]]  # (tick, numerator, denominator)


def _vlq(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    while True:
        byte = data[pos]
        pos += 1
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos


def _check_meta(kind: int, body: bytes) -> None:
    """Raise Unsupported where mido would fail to decode this meta event."""
    size = len(body)
    if kind == 0x00 and size == 1:
        raise Unsupported("sequence number of one byte")
    if kind == 0x20 and size == 0:
        raise Unsupported("empty channel prefix")
    if kind == 0x51 and size < 3:
        raise Unsupported("short tempo")
    if kind == 0x54 and (
        size < 5 or body[0] >> 5 not in _SMPTE_RATES or body[1] > 59 or body[2] > 59 or body[4] > 99
    ):
        raise Unsupported("unusual SMPTE offset")
    if kind == 0x58 and (size < 4 or body[1] > 5):
        raise Unsupported("unusual time signature")
    if kind == 0x59:
        if size < 2:
            raise Unsupported("short key signature")
        key = body[0] - 256 if body[0] > 127 else body[0]
        if (key, body[1]) not in _KEY_SIGNATURES:
            raise Unsupported("unknown key signature")


def _skip_sysex(data: bytes, pos: int) -> int:
    length, pos = _vlq(data, pos)
    if length > MAX_MESSAGE_LENGTH or pos + length > len(data):
        raise Unsupported("sysex too long or truncated")
    return pos + length


def _scan_track(data: bytes, pos: int, index: int, out: list[tuple[int, ...]]) -> _Track:
    """Read one MTrk chunk starting at ``pos``; append its notes to ``out``.

    One loop for the whole track on purpose: a function call per event would
    double the time. Notes are paired as in ``segue.midi_io._raw_notes``: a key
    whose notes never overlap is paired here, one note at a time; the events of
    a key from its first overlap (or zero-length note) on are paired by
    :func:`segue.midi_io.pair_notes` at the end of the track. Each row also holds
    the ``pos`` of the events that end and start it, for the order of the rows.
    """
    if data[pos : pos + 4] != b"MTrk" or pos + 8 > len(data):
        raise Unsupported("no track chunk")
    stop = pos + 8 + int.from_bytes(data[pos + 4 : pos + 8], "big")
    if stop > len(data):
        raise Unsupported("truncated track")  # mido would reach the end of the file
    pos += 8
    now = 0
    last = -1  # running status
    name: str | None = None
    signatures: list[tuple[int, int, int]] = []
    # channel << 7 | pitch -> (start, velocity, seq) of the one note sounding
    sounding: dict[int, tuple[int, int, int]] = {}
    # Keys whose notes overlap (or start at one tick), with their events from there on,
    # paired at the track's end by pair_notes; a zero-length note goes there too, since
    # a note-on at its tick would make the two one note. ``pos`` numbers the events.
    tangled: dict[int, list[KeyEvent]] = {}
    first_row = len(out)
    append = out.append
    while pos != stop:  # mido stops only when exactly at the chunk's end
        delta = data[pos]
        pos += 1
        if delta & 0x80:
            byte = delta
            delta &= 0x7F
            while byte & 0x80:
                byte = data[pos]
                pos += 1
                delta = (delta << 7) | (byte & 0x7F)
        now += delta
        status = data[pos]
        pos += 1
        if status < 0x80:
            if last < 0 or last >= 0xF0:
                raise Unsupported("running status without a channel status")
            first = status
            status = last
        elif status < 0xF0:
            last = status
            first = data[pos]
            pos += 1
        elif status == 0xFF:
            kind = data[pos]
            length, pos = _vlq(data, pos + 1)
            if length > MAX_MESSAGE_LENGTH or pos + length > len(data):
                raise Unsupported("meta event too long or truncated")
            body = data[pos : pos + length]
            pos += length
            _check_meta(kind, body)
            if kind not in _MIDO_META_TYPES:
                now -= delta  # mido drops the delta time of unknown meta events
            elif kind == 0x03 and name is None:
                name = meta_text(body)
            elif kind == 0x58:
                signatures.append((now, body[0], 2 ** body[1]))
            continue
        elif status == 0xF0 or status == 0xF7:
            last = status
            pos = _skip_sysex(data, pos)
            continue
        else:
            raise Unsupported("system message in a file")
        kind = status & 0xF0
        if kind == 0x90 or kind == 0x80:
            velocity = data[pos]
            pos += 1
            key = ((status & 0x0F) << 7) | (first if first < 127 else 127)
            if kind == 0x80 or not velocity:  # a note-off
                if key in sounding:
                    start, vel, seq = sounding.pop(key)
                    if start != now:
                        append((index, key, start, now, vel, pos, seq))
                    else:  # zero length: a note-on at this tick would be the same note
                        tangled[key] = [(seq, start, vel), (pos, now, 0)]
                elif tangled and key in tangled:
                    tangled[key].append((pos, now, 0))
            elif key in sounding:  # struck again while sounding: paired at the end
                start, vel, seq = sounding.pop(key)
                tangled[key] = [(seq, start, vel), (pos, now, velocity if velocity < 127 else 127)]
            elif tangled and key in tangled:
                tangled[key].append((pos, now, velocity if velocity < 127 else 127))
            else:
                sounding[key] = (now, velocity if velocity < 127 else 127, pos)
        elif kind != 0xC0 and kind != 0xD0:
            pos += 1
    for key, (start, vel, seq) in sounding.items():  # after every event: at ``stop + 1``
        append((index, key, start, now, vel, stop + 1, seq))
    if tangled:  # the track's rows in the order read_midi finds them: by end, then start
        for key, events in tangled.items():
            for start, end, vel, end_seq, seq in pair_notes(events, now, stop + 1):
                append((index, key, start, end, vel, end_seq, seq))
        out[first_row:] = sorted(out[first_row:], key=lambda row: (row[5], row[6]))
    track_name = (name or "").replace("\x00", "").strip()
    return _Track(pos, now, track_name, signatures)


def _header(data: bytes) -> tuple[int, int, int, int]:
    """Format, track count, PPQ and the position of the first track."""
    if len(data) < 14 or data[:4] != b"MThd":
        raise Unsupported("no MIDI header")
    size = int.from_bytes(data[4:8], "big")
    if size < 6 or 8 + size > len(data):
        raise Unsupported("short MIDI header")
    fmt = int.from_bytes(data[8:10], "big", signed=True)
    tracks = int.from_bytes(data[10:12], "big", signed=True)
    ppq = int.from_bytes(data[12:14], "big", signed=True)
    if fmt == 2 or ppq <= 0:
        raise Unsupported("type 2 or SMPTE timing")
    return fmt, tracks, ppq, 8 + size


def _time_signature(tracks: list[_Track], ppq: int) -> StatedSignatures:
    """The time signature the file's notes are read in, as ``read_midi`` chooses it."""
    changes = [change for track in tracks for change in track.time_signatures]
    return prevailing_signature(changes, max((t.end_tick for t in tracks), default=0), ppq)


def parse_midi(data: bytes) -> ParsedMidi:
    """Parse a MIDI file's bytes; raise :class:`Unsupported` for anything unusual."""
    _, count, ppq, pos = _header(data)
    rows: list[tuple[int, ...]] = []
    tracks = []
    try:
        for index in range(count):
            track = _scan_track(data, pos, index, rows)
            tracks.append(track)
            pos = track.end_pos
    except IndexError:
        raise Unsupported("truncated") from None
    file_end = max((t.end_tick for t in tracks), default=0)
    if file_end >= 2**53:
        raise Unsupported("times too large for exact float division")
    raw = np.array(rows, dtype=np.int64).reshape(-1, 7)
    notes = np.empty((len(raw), 6), dtype=np.int64)
    notes[:, 0] = raw[:, 0]
    notes[:, 1] = raw[:, 1] >> 7
    notes[:, 2] = raw[:, 1] & 0x7F
    notes[:, 3:] = raw[:, 2:5]
    stated = _time_signature(tracks, ppq)
    return ParsedMidi(
        ppq=ppq,
        notes=notes,
        file_end=file_end,
        track_names=tuple(t.name for t in tracks),
        time_signature=stated.chosen,
        lead=stated.lead(ppq),
    )


def choose_notes(parsed: ParsedMidi, track: TrackChoice = None, drums: bool = False) -> np.ndarray:
    """The rows of ``parsed.notes`` that ``read_midi`` keeps for this track choice.

    Raises :class:`Unsupported` where ``read_midi`` raises (an unknown track, no notes).
    """
    notes = parsed.notes
    notes = notes[(notes[:, 1] == DRUM_CHANNEL) == drums]  # drums: the drum notes alone
    if track is None:
        chosen = notes
    elif isinstance(track, bool) or not isinstance(track, (int, str)):
        raise Unsupported("bad track choice")
    elif isinstance(track, int):
        if not 0 <= track < len(parsed.track_names):
            raise Unsupported("no such track")
        chosen = notes[notes[:, 0] == track]
    elif track == "most":
        if len(notes) == 0:
            raise Unsupported("no notes")
        counts = np.bincount(notes[:, 0])
        chosen = notes[notes[:, 0] == int(np.argmax(counts))]  # ties: lowest track
    else:
        wanted = [i for i, n in enumerate(parsed.track_names) if same_name(n, track)]
        if not wanted:
            raise Unsupported("no track of that name")
        chosen = notes[np.isin(notes[:, 0], wanted)]
    if len(chosen) == 0:
        raise Unsupported("no notes")
    return chosen


def note_table(parsed: ParsedMidi, chosen: np.ndarray) -> NoteTable:
    """Beats from ticks with the same float operations as ``read_midi``."""
    ppq = parsed.ppq
    start = chosen[:, 3] / ppq + parsed.lead
    duration = np.maximum(chosen[:, 4] - chosen[:, 3], ppq / TICKS_PER_BEAT) / ppq
    velocity = np.clip(chosen[:, 5], 1, 127)
    ts = parsed.time_signature
    bar = ts.beats_per_bar
    end = max(float(np.max(start + duration)), parsed.file_end / ppq + parsed.lead)
    length = whole_bars(end, float(np.max(start)), bar)
    return NoteTable(chosen[:, 2].copy(), start, duration, velocity, length, ts, True)


def table_from_clip(clip: Clip, fast: bool = False) -> NoteTable:
    notes = clip.notes
    return NoteTable(
        pitch=np.array([n.pitch for n in notes], dtype=np.int64),
        start=np.array([n.start for n in notes], dtype=np.float64),
        duration=np.array([n.duration for n in notes], dtype=np.float64),
        velocity=np.array([n.velocity for n in notes], dtype=np.int64),
        length=float(clip.length),
        time_signature=clip.time_signature,
        fast=fast,
    )


def fast_table(data: bytes, track: TrackChoice = None, drums: bool = False) -> NoteTable:
    """The note table of a file's bytes; raises :class:`Unsupported` for ``read_midi``."""
    parsed = parse_midi(data)
    return note_table(parsed, choose_notes(parsed, track, drums))


def read_note_table(
    path: str | os.PathLike[str],
    track: TrackChoice = None,
    drums: bool = False,
) -> NoteTable:
    """What ``read_midi(path, track, drums)`` reads, as a :class:`NoteTable`.

    Raises exactly what ``read_midi`` raises for the same file.
    """
    try:
        data = Path(path).read_bytes()
        return fast_table(data, track, drums)
    except (OSError, Unsupported):
        return table_from_clip(read_midi(path, track=track, drums=drums))
