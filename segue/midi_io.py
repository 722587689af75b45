"""Read MIDI files into clips and write clips to MIDI files.

Times come from ticks divided by the file's PPQ, so beats are exact and tempo
changes never move them. Reading works per track and channel:

* a note-on with velocity 0 is a note-off;
* a note-off ends the oldest sounding note of its pitch (legato pads and played takes
  strike a pitch again before the note-off of the one sounding), and a note that is still
  sounding when the next note of its pitch starts ends there;
* a note without a note-off of its own (a retrigger) ends at the last note-off of its pitch
  after it, or at the end of its track (or the file) where none comes;
* two note-ons of one pitch at one tick are one note (the one that ends later);
* a zero-length note gets the shortest length on segue's grid (one tick), so a
  drum hit or grace note is kept rather than lost.

Drum notes (MIDI channel 10) are left out unless asked for.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import mido

from segue.errors import MidiFileError, NoteError
from segue.files import write_file_atomically
from segue.grid import TICKS_PER_BEAT
from segue.notes import Clip, Note, TimeSignature, whole_bars
from segue.shown_names import shown_name

MIN_TEMPO = 4
"""Slowest tempo written, in BPM: a MIDI tempo holds at most 16,777,215 microseconds a beat
(3.58 BPM)."""
MAX_TEMPO = 999
DRUM_CHANNEL = 9  # MIDI channel 10, counted from 0
MIDI_SUFFIXES = (".mid", ".midi")
"""The names segue writes MIDI files under, and reads them from."""
READ_SUFFIXES = (*MIDI_SUFFIXES, ".rmi")
"""The names segue also reads MIDI from: ``.rmi`` is RIFF MIDI (RMID), a Standard MIDI File
inside a RIFF wrapper, as Windows saved MIDI files; segue reads it, and writes ``.mid``."""
WRITE_PPQ = 480  # divisible by 24, 16 and 3: every grid time is a whole tick

TrackChoice = int | str | None
"""None merges every non-drum track; an int picks a track by index; a str picks
a track by name, or "most" picks the track with the most notes."""


@dataclass(frozen=True, slots=True)
class TrackInfo:
    index: int
    name: str
    notes: int
    drum_notes: int
    channels: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _RawNote:
    track: int
    channel: int
    pitch: int
    start: int  # ticks
    end: int  # ticks
    velocity: int


def _load(path: str | os.PathLike[str]) -> mido.MidiFile:
    p = Path(path)
    if not p.exists():
        raise MidiFileError(p, "no such file")
    if p.is_dir():
        raise MidiFileError(p, "is a folder, not a MIDI file")
    try:
        size = p.stat().st_size
        if size == 0:
            raise MidiFileError(p, "the file is empty")
        with open(p, "rb") as fh:
            head = fh.read(12)
        if head[:4] == b"RIFF" and head[8:] == b"RMID":
            return mido.MidiFile(file=io.BytesIO(_rmid_data(p, p.read_bytes())), clip=True)
        if head[:4] != b"MThd":
            raise MidiFileError(p, "not a MIDI file (it does not start with 'MThd')")
        return mido.MidiFile(p, clip=True)
    except MidiFileError:
        raise
    except EOFError:
        raise MidiFileError(p, "the file is truncated (it ends in the middle of a track)") from None
    except PermissionError:
        raise MidiFileError(p, "permission denied") from None
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise MidiFileError(p, f"damaged MIDI data ({exc})") from None


def _rmid_data(path: Path, riff: bytes) -> bytes:
    """The Standard MIDI File inside a RIFF MIDI file (``riff``: "RIFF", size, "RMID", then
    chunks of a 4-byte id, a little-endian size and the data, each padded to an even length):
    its "data" chunk."""
    at = 12
    while at + 8 <= len(riff):
        size = int.from_bytes(riff[at + 4 : at + 8], "little")
        if riff[at : at + 4] == b"data":
            data = riff[at + 8 : at + 8 + size]
            if data[:4] != b"MThd":
                raise MidiFileError(path, "damaged RIFF MIDI (its data chunk holds no MIDI file)")
            return data
        at += 8 + size + size % 2
    raise MidiFileError(path, "damaged RIFF MIDI (it has no data chunk)")


def reads_as_midi(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is named as a MIDI file segue reads (:data:`READ_SUFFIXES`, any case):
    folders are searched for these."""
    return str(path).lower().endswith(READ_SUFFIXES)


KeyEvent = tuple[int, int, int]
"""A note-on or note-off of one key (channel and pitch) of a track: (seq, tick, velocity),
velocity 0 for a note-off; ``seq`` numbers the track's events in order."""

PairedNote = tuple[int, int, int, int, int]
"""A note of one key: (start, end, velocity, end_seq, start_seq), ticks and the ``seq`` of
the events that start and end it."""


def pair_notes(events: Sequence[KeyEvent], track_end: int, end_seq: int) -> list[PairedNote]:
    """The notes of one key of a track from its note-ons and note-offs, in order.

    A note-off ends the oldest sounding note (first in, first out); a note that has none
    ends at the key's last note-off after its start, or at ``track_end`` (the event
    ``end_seq``) where none comes. Of notes that start at one tick, the one that ends
    later is kept (the later one, where they end together); a note still sounding when the
    next starts ends there (at the next one's note-on).
    """
    notes: list[list[int]] = []
    waiting: deque[list[int]] = deque()  # notes without a note-off yet, oldest first
    last_off: tuple[int, int] | None = None  # (tick, seq)
    for seq, tick, velocity in events:
        if velocity:
            note = [tick, track_end, velocity, end_seq, seq]
            notes.append(note)
            waiting.append(note)
        else:
            last_off = (tick, seq)
            if waiting:
                note = waiting.popleft()
                note[1], note[3] = tick, seq
    if last_off is not None:
        for note in waiting:
            if last_off[1] > note[4]:
                note[1], note[3] = last_off
    kept: list[list[int]] = []
    for note in notes:
        if not kept or kept[-1][0] != note[0]:
            kept.append(note)
        elif note[1] >= kept[-1][1]:
            kept[-1] = note
    for note, after in zip(kept, kept[1:], strict=False):
        if note[1] > after[0]:
            note[1], note[3] = after[0], after[4]
    return [(n[0], n[1], n[2], n[3], n[4]) for n in kept]


def _raw_notes(mid: mido.MidiFile) -> tuple[list[_RawNote], int]:
    """All notes of the file in ticks, and the file's last tick.

    A track's notes come in the order their ends are read (a note that runs to the end of
    its track after those, in the order they start), as :func:`pair_notes` pairs them.
    """
    notes: list[_RawNote] = []
    file_end = 0
    for index, track in enumerate(mid.tracks):
        now = 0
        events: dict[tuple[int, int], list[KeyEvent]] = {}
        for seq, msg in enumerate(track):
            now += msg.time
            if msg.type == "note_on" or msg.type == "note_off":
                velocity = msg.velocity if msg.type == "note_on" else 0
                events.setdefault((msg.channel, msg.note), []).append((seq, now, velocity))
        found = [
            (end_seq, start_seq, _RawNote(index, key[0], key[1], start, end, velocity))
            for key, key_events in events.items()
            for start, end, velocity, end_seq, start_seq in pair_notes(key_events, now, len(track))
        ]
        found.sort(key=lambda f: (f[0], f[1]))
        notes.extend(f[2] for f in found)
        file_end = max(file_end, now)
    return notes, file_end


def _last_meta(mid: mido.MidiFile, kind: str) -> mido.MetaMessage | None:
    """The latest meta message of a type in any track (None when there is none; of two at
    one tick, the one a later track states, or later in its track)."""
    last: tuple[int, mido.MetaMessage] | None = None
    for track in mid.tracks:
        now = 0
        for msg in track:
            now += msg.time
            if msg.type == kind and (last is None or now >= last[0]):
                last = (now, msg)
    return last[1] if last else None


Signature = tuple[int, int, int]
"""A time signature a file states: (tick, numerator, denominator)."""


@dataclass(frozen=True)
class StatedSignatures:
    """What a file's time signatures come to: the one its notes are read in, the distinct
    ones it states (in the order it states them, as text), and those segue cannot use."""

    chosen: TimeSignature
    stated: tuple[str, ...]
    unusable: tuple[str, ...]
    begins: int = 0
    """The tick where the file first states the chosen signature: its bars count from there
    (:meth:`lead`), not from the file's first tick."""

    def lead(self, ppq: int) -> float:
        """Beats to move every note later by so that the chosen signature's bar lines fall
        on the clip's (0 when it begins on one): a waltz after a pickup written as a bar of
        1/4 had every downbeat on its beat 2, as did bars of 3/4 after two of 4/4. Where it
        begins is taken to the nearest of its beats (a signature stated a tick late, at
        tick 1, is the file's from its start)."""
        unit = ppq * 4 / self.chosen.denominator
        begins = round(self.begins / unit) * unit / ppq
        return float((-begins) % self.chosen.beats_per_bar)

    def notice(self) -> str | None:
        """What to tell a musician whose file is not read in the one signature it states:
        it states one segue cannot use, or several (None otherwise)."""
        if len(self.stated) > 1:
            return (
                f"changes time signature ({', then '.join(self.stated)}); its notes are read in "
                f"{self.chosen}, the one it keeps longest, in bars from where it begins "
                "(give --time-signature to say another)"
            )
        if self.unusable:
            return (
                f"states a {self.unusable[0]} time signature, which segue cannot use; its notes "
                "are read in 4/4 (give --time-signature to say what it is)"
            )
        return None


def prevailing_signature(changes: list[Signature], end: int, ppq: int = 0) -> StatedSignatures:
    """The time signature a file is read in: of those it states (``changes``, from any
    track, in any order; ``end``: the file's last tick), the one it keeps longest, so a
    pickup bar written as a bar of 1/4 leaves the waltz after it in 3/4; the earliest of
    those kept as long; 4/4 when it states none that segue can use (7/64, 0/4). Its bars
    count from the start of its longest stretch (a waltz with one bar of 2/4 in it keeps
    the bars of its longer part). With ``ppq``, a file that states its first signature a
    beat or more in was in 4/4 until then, as MIDI means it."""
    ordered = sorted(dict.fromkeys(changes), key=lambda c: c[0])  # at one tick: as stated
    if ppq and ordered and ordered[0][0] >= ppq:  # before the first it states: 4/4
        ordered.insert(0, (0, 4, 4))
    kept: dict[str, float] = {}
    stretch: dict[str, tuple[int, int]] = {}  # each signature's longest stretch: (-span, tick)
    usable: dict[str, TimeSignature] = {}
    unusable: list[str] = []
    for i, (tick, num, den) in enumerate(ordered):
        text = f"{num}/{den}"
        until = ordered[i + 1][0] if i + 1 < len(ordered) else max(end, tick)
        if text not in usable and text not in unusable:
            try:
                usable[text] = TimeSignature(num, den)
            except NoteError:
                unusable.append(text)
        if text in usable:
            kept[text] = kept.get(text, 0) + until - tick
            stretch[text] = min(stretch.get(text, (0, tick)), (tick - until, tick))
    stated = tuple(dict.fromkeys(f"{n}/{d}" for _, n, d in ordered))
    if not kept:
        return StatedSignatures(TimeSignature(), stated, tuple(unusable))
    longest = max(kept.values())
    chosen = next(text for text, span in kept.items() if span == longest)
    return StatedSignatures(usable[chosen], stated, tuple(unusable), stretch[chosen][1])


def _signatures(mid: mido.MidiFile) -> StatedSignatures:
    changes: list[Signature] = []
    end = 0
    for track in mid.tracks:
        now = 0
        for msg in track:
            now += msg.time
            if msg.type == "time_signature":
                changes.append((now, msg.numerator, msg.denominator))
        end = max(end, now)
    return prevailing_signature(changes, end, mid.ticks_per_beat)


def time_signature_notice(path: str | os.PathLike[str]) -> str | None:
    """A line for a musician whose file is not read in the one time signature it states
    (:meth:`StatedSignatures.notice`), or None."""
    return _signatures(_load(path)).notice()


def meta_text(raw: bytes) -> str:
    """A track name's bytes as text: UTF-8, as DAWs write it, where the bytes are UTF-8; else
    Shift-JIS where they read as Japanese in it (:func:`_japanese`); else Windows' cp1252
    (Latin-1, the MIDI file standard's old default, but for its dashes, quotes and euro
    sign), which reads any bytes. NULs (padding) are dropped and other control characters
    read as "?": a name is printed to a terminal (``segue inspect``), and a file's ESC or CSI
    would drive it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # Windows programs write their code page: Japan's, else
        text = _japanese(raw) or "".join(_cp1252(b) for b in raw)  # cp1252's dashes, quotes
    return "".join("?" if unicodedata.category(c) == "Cc" else c for c in text.replace("\x00", ""))


def _japanese(raw: bytes) -> str | None:
    """A name a Japanese sequencer (Domino, or any Windows program in Japan) wrote in
    Shift-JIS, as Windows reads it (cp932), or None: read as cp1252, "ベース" came out as
    "ƒx?[ƒX" and ``--track ベース`` found no track (helper-327). Taken only where it holds
    kana (hiragana or katakana, "ー" among them): of cp1252's letters only "ƒ" and "‚" begin
    a kana's two bytes, so a Western name is not taken for Japanese, while a name of kanji
    alone (two bytes a Western name's "’s" or "äs" can make too) stays cp1252's."""
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError:
        return None
    kana = any("\u3041" <= c <= "\u30ff" for c in text)
    return text if kana and not any(unicodedata.category(c) == "Co" for c in text) else None


def _cp1252(byte: int) -> str:
    """One byte as cp1252 reads it; its five undefined bytes as Latin-1 does."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _track_names(mid: mido.MidiFile) -> list[str]:
    names = []
    for track in mid.tracks:
        name = meta_text(track.name.encode("latin1")) if track.name else ""  # mido: Latin-1
        names.append(name.replace("\x00", "").strip())
    return names


def list_tracks(path: str | os.PathLike[str]) -> list[TrackInfo]:
    """One entry per track of the file: name, note counts, channels used."""
    mid = _load(path)
    raw, _ = _raw_notes(mid)
    names = _track_names(mid)
    infos = []
    for index, name in enumerate(names):
        mine = [n for n in raw if n.track == index]
        infos.append(
            TrackInfo(
                index=index,
                name=name,
                notes=sum(1 for n in mine if n.channel != DRUM_CHANNEL),
                drum_notes=sum(1 for n in mine if n.channel == DRUM_CHANNEL),
                channels=tuple(sorted({n.channel + 1 for n in mine})),
            )
        )
    return infos


def track_choice(text: str | None) -> TrackChoice:
    """A track choice as typed on the command line: digits pick by index, other text by name."""
    if text is None:
        return None
    return int(text) if text.isdigit() else text


def _choose(
    raw: list[_RawNote],
    names: list[str],
    track: TrackChoice,
    drums: bool,
    path: str | os.PathLike[str],
) -> list[_RawNote]:
    usable = [n for n in raw if (n.channel == DRUM_CHANNEL) == drums]  # drums: them alone
    if track is None:
        return usable
    if isinstance(track, bool) or not isinstance(track, (int, str)):
        raise MidiFileError(path, f"track must be an index, a name or 'most', got {track!r}")
    if isinstance(track, int):
        if not 0 <= track < len(names):
            raise MidiFileError(path, f"has no track {track} (it has tracks 0 to {len(names) - 1})")
        return [n for n in usable if n.track == track]
    if track == "most":
        counts: dict[int, int] = {}
        for n in usable:
            counts[n.track] = counts.get(n.track, 0) + 1
        if not counts:
            return []
        best = max(counts, key=lambda t: (counts[t], -t))
        return [n for n in usable if n.track == best]
    wanted = [i for i, name in enumerate(names) if same_name(name, track)]
    if not wanted:
        shown = ", ".join(shown_name(n) for n in names if n) or "none"
        raise MidiFileError(path, f"has no track named {shown_name(track)} (track names: {shown})")
    return [n for n in usable if n.track in wanted]


def _tracks_with_notes(
    raw: list[_RawNote], names: list[str], track: TrackChoice, drums: bool
) -> str:
    """For a chosen track without notes (a type-1 file's tempo track, ``--track 0``), the
    tracks that have them (drum notes, with ``drums``), by index and name, as the other
    track errors name them: "; tracks with notes: 1 'Bass', 3 'Drums' (drums)" ("" where
    none has, or for "most", which chooses among them)."""
    if track is None or track == "most":
        return ""
    drum_only = {n.track for n in raw} - {n.track for n in raw if n.channel != DRUM_CHANNEL}
    found = sorted({n.track for n in raw if not drums or n.channel == DRUM_CHANNEL})
    if not found:
        return ""
    shown = ", ".join(
        f"{t}{f' {shown_name(names[t])}' if names[t] else ''}"
        + (" (drums)" if t in drum_only and not drums else "")
        for t in found
    )
    kind = "drum notes" if drums else "notes"
    return f"; {'tracks' if len(found) > 1 else 'the track'} with {kind}: {shown}"


def read_midi(
    path: str | os.PathLike[str],
    track: TrackChoice = None,
    drums: bool = False,
    time_signature: TimeSignature | None = None,
) -> Clip:
    """Read a .mid/.midi file (type 0 or 1, any PPQ; or RIFF MIDI, .rmi) into a clip in
    beats, in the time signature the file states (4/4 where it states none, or one segue
    cannot use), or in ``time_signature`` when one is given: the clip's length is whole
    bars of it.

    ``drums``: read the drum notes (channel 10) alone, for a drum part; else they are left
    out.

    Raises :class:`MidiFileError` with a one-line reason for a missing, empty,
    truncated or non-MIDI file, and for a file with no usable notes (for
    example only drums when ``drums`` is false, or none when it is true).
    """
    mid = _load(path)
    if mid.type == 2:
        raise MidiFileError(
            path, "MIDI type 2 (independent patterns) is not supported; export it as type 1"
        )
    ppq = mid.ticks_per_beat
    if not ppq or ppq <= 0:
        raise MidiFileError(path, "uses SMPTE time, not beats; save it with PPQ timing")
    raw, file_end = _raw_notes(mid)
    chosen = _choose(raw, _track_names(mid), track, drums, path)
    if not chosen:
        if raw and all(n.channel == DRUM_CHANNEL for n in raw) and not drums:
            raise MidiFileError(
                path, "has only drum notes (channel 10); ask for drums to read them"
            )
        if raw and drums and track is None:
            raise MidiFileError(path, "has no drum notes (channel 10)")
        kind = "drum notes" if drums and raw else "notes"
        named = track if isinstance(track, int) else shown_name(str(track))
        what = f"has no {kind}" if track is None else f"track {named} has no {kind}"
        raise MidiFileError(path, what + _tracks_with_notes(raw, _track_names(mid), track, drums))
    min_ticks = ppq / TICKS_PER_BEAT
    stated = _signatures(mid)
    ts = time_signature or stated.chosen
    lead = stated.lead(ppq) if time_signature is None else 0.0
    notes = []
    for n in chosen:
        length = max(n.end - n.start, min_ticks)
        velocity = min(max(n.velocity, 1), 127)
        notes.append(Note(n.pitch, n.start / ppq + lead, length / ppq, velocity))
    bar = ts.beats_per_bar
    end = max(max(n.end for n in notes), file_end / ppq + lead)
    return Clip(tuple(notes), whole_bars(end, max(n.start for n in notes), bar), ts)


def read_part(
    path: str | os.PathLike[str],
    track: TrackChoice = None,
    time_signature: TimeSignature | None = None,
) -> tuple[Clip, bool]:
    """The clip to continue from a file (in ``time_signature``, when given, rather than the
    file's), and whether it is a drum part.

    A chosen track whose notes are all on the drum channel (10) is read as drums; so is a
    file with nothing but drums (with no track chosen, or the one with the most notes).
    Otherwise drums are left out, as :func:`read_midi` does.
    """
    tracks = list_tracks(path)
    if track is None or track == "most":
        drums = not any(t.notes for t in tracks) and any(t.drum_notes for t in tracks)
    else:
        chosen = [t for t in tracks if is_track(t, track)]
        drums = bool(chosen) and all(t.drum_notes and not t.notes for t in chosen)
    return read_midi(path, track=track, drums=drums, time_signature=time_signature), drums


def part_program(
    path: str | os.PathLike[str], track: TrackChoice = None, drums: bool = False
) -> int | None:
    """The General MIDI program the part :func:`read_midi` reads plays (0-127), None where
    the file sets none: its channel's last program change at or before its first note (or
    the first after), in its own track where that has one. With notes on several
    channels, the channel of the most. A bass track's continuation was written for piano."""
    mid = _load(path)
    part = _part_channel(mid, track, drums, path)
    if part is None:
        return None
    channel, tracks, first = part
    changes: list[tuple[bool, int, int]] = []  # (in the part's own track, tick, program)
    for index, events in enumerate(mid.tracks):
        now = 0
        for msg in events:
            now += msg.time
            if msg.type == "program_change" and msg.channel == channel:
                changes.append((index in tracks, now, msg.program))
    own = sorted((c for c in changes if c[0]), key=lambda c: c[1]) or sorted(
        changes, key=lambda c: c[1]
    )
    if not own:
        return None
    before = [c for c in own if c[1] <= first]
    return (before[-1] if before else own[0])[2]


def _part_channel(
    mid: mido.MidiFile, track: TrackChoice, drums: bool, path: str | os.PathLike[str]
) -> tuple[int, set[int], int] | None:
    """The channel of the part :func:`read_midi` reads (with notes on several, the one of
    the most), the tracks its notes are in, and its first note's tick; None: no notes."""
    raw, _ = _raw_notes(mid)
    chosen = _choose(raw, _track_names(mid), track, drums, path)
    if not chosen:
        return None
    counts: dict[int, int] = {}
    for n in chosen:
        counts[n.channel] = counts.get(n.channel, 0) + 1
    channel = max(counts, key=lambda c: (counts[c], -c))
    tracks = {n.track for n in chosen if n.channel == channel}
    return channel, tracks, min(n.start for n in chosen if n.channel == channel)


SUSTAIN = 64
"""The sustain pedal's controller number (General MIDI)."""


@dataclass(frozen=True, slots=True)
class Unread:
    """A kind of MIDI event that changes how a part's notes sound and that segue does not
    read: what a part does with it, and what becomes of that in the continuation."""

    does: str
    becomes: str
    present: Callable[[mido.Message, int], bool]
    """Whether a message is one, on the part's channel (the int)."""


UNREAD = (
    Unread(
        "holds the sustain pedal (CC64)",
        "its notes are continued as written, without the pedal's ring, and the output has "
        "no pedal (lengthen the notes in the clip to keep it)",
        lambda msg, channel: (
            msg.type == "control_change"
            and msg.channel == channel
            and msg.control == SUSTAIN
            and msg.value >= 64
        ),
    ),
    Unread(
        "bends its notes (pitch bend)",
        "the continuation plays its notes unbent, and the output has no bends (draw them "
        "again on the new clip, or write a bent note as the note it bends to)",
        lambda msg, channel: msg.type == "pitchwheel" and msg.channel == channel and msg.pitch,
    ),
)
"""What segue tells a musician it leaves out of a seed, in the order it says them: a
pedalled line of short 8ths was read, and continued, as dry staccato, and a 303 line's
slides as steps, without a word."""


def unread_notice(
    path: str | os.PathLike[str], track: TrackChoice = None, drums: bool = False
) -> str | None:
    """A line for a musician whose part (in its tracks, on its channels) uses what segue
    does not read (:data:`UNREAD`: the sustain pedal, pitch bend), saying what the
    continuation does without it; None otherwise."""
    mid = _load(path)
    raw, _ = _raw_notes(mid)
    chosen = _choose(raw, _track_names(mid), track, drums, path)
    if not chosen:
        return None
    # the part's own tracks, on each channel its notes use: --track Bass was told of the
    # Lead track's bends on the same channel, and a type-0 part's second channel was not
    # looked at (helper-67)
    tracks = {n.track for n in chosen}
    channels = {n.channel for n in chosen}
    events = [msg for index in sorted(tracks) for msg in mid.tracks[index]]
    found = [
        kind
        for kind in UNREAD
        if any(kind.present(msg, channel) for msg in events for channel in channels)
    ]
    if not found:
        return None
    does = " and ".join(kind.does for kind in found)
    return f"{does}, which segue does not read: " + "; ".join(kind.becomes for kind in found)


def is_track(info: TrackInfo, track: TrackChoice) -> bool:
    """Whether ``track`` (an index or a name; not "most") names this track."""
    if isinstance(track, int):
        return info.index == track
    if track == "most":
        return False
    return isinstance(track, str) and same_name(info.name, track)


def same_name(a: str, b: str) -> bool:
    """Names alike, whatever their case and however their accents are stored: a Mac's file
    and track names are often decomposed (o and a combining acute for ó), and "Sigur Rós"
    typed did not find the track "Sigur Rós" (helper-43)."""
    return unicodedata.normalize("NFC", a).casefold() == unicodedata.normalize("NFC", b).casefold()


@dataclass(frozen=True, slots=True)
class Part:
    """One track of a MIDI file to write: its name, its clip, its channel and GM program."""

    name: str
    clip: Clip
    channel: int = 0
    program: int = 0


def write_midi(
    clip: Clip,
    path: str | os.PathLike[str],
    tempo: float = 120.0,
    program: int = 0,
    channel: int = 0,
    overwrite: bool = False,
    track_name: str = "segue",
    tempos: Sequence[tuple[float, float]] = (),
) -> Path:
    """Write a clip as a type-1 MIDI file with tempo, time signature and GM program.

    Times are rounded to the nearest tick at 480 PPQ, so notes on segue's grid
    read back exactly. Refuses to replace an existing file unless ``overwrite``.
    ``tempos`` ((beat, BPM), from beat 0) is a tempo map written instead of ``tempo``.
    """
    part = Part(track_name, clip, channel, program)
    return write_parts([part], path, tempo, overwrite, tempos)


def write_parts(
    parts: Sequence[Part],
    path: str | os.PathLike[str],
    tempo: float = 120.0,
    overwrite: bool = False,
    tempos: Sequence[tuple[float, float]] = (),
) -> Path:
    """Write a type-1 MIDI file of one track per part, atomically (a temporary file, renamed).

    The first track carries the tempo (or the tempo map ``tempos``: (beat, BPM) from beat
    0) and the first part's time signature; each track ends at its clip's length. Refuses
    to replace an existing file unless ``overwrite``.
    """
    out = Path(path)
    if out.exists() and not overwrite:
        raise MidiFileError(out, "already exists; choose another name or allow overwriting")
    if not parts:
        raise NoteError("a MIDI file needs at least one part to write")
    for part in parts:
        if not 0 <= part.program <= 127:
            raise NoteError(f"program must be a General MIDI program 0-127, got {part.program}")
        if not 0 <= part.channel <= 15:
            raise NoteError(f"channel must be 0-15, got {part.channel}")
    tempos = list(tempos) or [(0.0, tempo)]
    for _, bpm in tempos:
        if not MIN_TEMPO <= bpm <= MAX_TEMPO:
            raise NoteError(f"tempo must be between {MIN_TEMPO} and {MAX_TEMPO} BPM, got {bpm:g}")
    ts = parts[0].clip.time_signature
    meta = [
        (round(beat * WRITE_PPQ), mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm)))
        for beat, bpm in tempos
    ]
    meta.insert(
        1,
        (0, mido.MetaMessage("time_signature", numerator=ts.numerator, denominator=ts.denominator)),
    )
    mid = mido.MidiFile(type=1, ticks_per_beat=WRITE_PPQ)
    for index, part in enumerate(parts):
        mid.tracks.append(_midi_track(part, meta if index == 0 else []))
    return write_file_atomically(out, mid.save)


def _midi_track(part: Part, meta: list[tuple[int, mido.MetaMessage]]) -> mido.MidiTrack:
    """A part's track, with ``meta`` ((tick, message): a tempo map, a time signature) before
    the notes at their ticks."""
    track = mido.MidiTrack()
    # in UTF-8, as Live writes a name and meta_text reads it (mido writes a str's code points
    # as Latin-1 bytes, and refused "Sopran ♪" with a UnicodeEncodeError)
    name = part.name.encode("utf-8").decode("latin-1")
    track.append(mido.MetaMessage("track_name", name=name, time=0))
    at_once = [msg for tick, msg in meta if tick == 0]
    track.extend(msg.copy(time=0) for msg in at_once)
    track.append(mido.Message("program_change", channel=part.channel, program=part.program, time=0))
    later = [(tick, -1, msg) for tick, msg in meta if tick > 0]  # before notes at that tick
    now = 0
    for tick, _, msg in sorted([*later, *_note_events(part.clip.notes, part.channel)], key=_at):
        track.append(msg.copy(time=tick - now))
        now = tick
    clip_end = round(part.clip.length * WRITE_PPQ)
    track.append(mido.MetaMessage("end_of_track", time=max(0, clip_end - now)))
    return track


def _at(event: tuple[int, int, mido.Message]) -> tuple[int, int]:
    return event[0], event[1]


def _note_events(notes: Iterable[Note], channel: int) -> list[tuple[int, int, mido.Message]]:
    """Note-on and note-off messages at absolute ticks of WRITE_PPQ, in file order.

    Each entry is ``(tick, order, message)``. At equal ticks note-offs (order 0)
    go before note-ons (order 1), so a repeated pitch is not cut short.
    """
    events: list[tuple[int, int, mido.Message]] = []
    for note in notes:
        start = round(note.start * WRITE_PPQ)
        end = max(start + 1, round(note.end * WRITE_PPQ))
        events.append(
            (
                start,
                1,
                mido.Message("note_on", channel=channel, note=note.pitch, velocity=note.velocity),
            )
        )
        events.append(
            (end, 0, mido.Message("note_off", channel=channel, note=note.pitch, velocity=0))
        )
    events.sort(key=lambda e: (e[0], e[1], e[2].note))
    return events


def gm_program(name_or_number: str | int) -> int:
    """A General MIDI program number from 0-127 or an instrument name ("Violin")."""
    import pretty_midi

    if isinstance(name_or_number, int):
        if 0 <= name_or_number <= 127:
            return name_or_number
        raise NoteError(f"program must be 0-127, got {name_or_number}")
    text = name_or_number.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return gm_program(int(text))
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)", text):
        raise NoteError(f"program must be a whole number 0-127, got {text}")
    try:
        return pretty_midi.instrument_name_to_program(text)
    except ValueError:
        raise NoteError(
            f"unknown General MIDI instrument {text!r}; use a number 0-127 or a name "
            "such as 'Acoustic Grand Piano' or 'Violin'"
        ) from None


def is_midi_path(path: str | os.PathLike[str]) -> bool:
    return str(path).lower().endswith(MIDI_SUFFIXES)


def seed_tempos(
    path: str | os.PathLike[str],
    length: float,
    then: float,
    time_signature: TimeSignature | None = None,
) -> list[tuple[float, float]]:
    """The tempo map of a seed file written back with its continuation (``--include-seed``):
    its own tempo changes, at their beats as :func:`read_midi` places its notes, up to its
    ``length``, then ``then`` (the continuation's tempo) from there. A seed that slowed from
    120 to 90 BPM came back at 90 from its first beat."""
    mid = _load(path)
    lead = _signatures(mid).lead(mid.ticks_per_beat) if time_signature is None else 0.0
    changes: dict[float, float] = {0.0: 120.0}  # MIDI's tempo until a file states one
    for track in mid.tracks:
        now = 0
        for msg in track:
            now += msg.time
            if msg.type == "set_tempo" and msg.tempo > 0:
                beat = 0.0 if now == 0 else now / mid.ticks_per_beat + lead
                if beat < length:
                    bpm = min(max(round(mido.tempo2bpm(msg.tempo), 3), MIN_TEMPO), MAX_TEMPO)
                    changes[beat] = bpm
    changes[float(length)] = then
    return sorted(changes.items())


def read_tempo(path: str | os.PathLike[str], default: float = 120.0) -> float:
    """The tempo in BPM the file ends in, its last (``default`` when it sets none, or a tempo
    of 0), held to the tempos a MIDI file can carry (:data:`MIN_TEMPO` to :data:`MAX_TEMPO`):
    a continuation goes on where the clip ends, and a clip that slows from 120 to 60 BPM is
    continued at 60 (it was written at its first tempo, 120)."""
    msg = _last_meta(_load(path), "set_tempo")
    if msg is None or msg.tempo <= 0:
        return default
    return min(max(round(mido.tempo2bpm(msg.tempo), 3), MIN_TEMPO), MAX_TEMPO)
