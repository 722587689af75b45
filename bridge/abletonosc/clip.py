"""Live's clips through AbletonOSC (``clip.py``): a clip's region, name and length, its notes.

``/live/clip/get/notes`` of a dense clip does not fit in one datagram, so
:func:`read_notes` reads notes in pitch ranges, halved (then time ranges) until
each answer fits, and merges them; :func:`add_notes` sends a few dozen notes
per datagram.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from segue.bridge.abletonosc.clip_slot import has_clip
from segue.bridge.abletonosc.transport import AbletonOSC, Query, number, per_datagram, whole
from segue.bridge.pickup_region import clip_downbeat, turned_by
from segue.errors import LiveError, NoClipError, NoteError
from segue.notes import TimeSignature

NOTES = "/live/clip/get/notes"
ADD_NOTES = "/live/clip/add/notes"
NOTES_PER_BARRIER = 512
"""While adding notes, wait for Live to have read them after this many (it reads every 100 ms)."""
MAX_NOTE_REQUESTS = 4096
MIN_TIME_SPAN = 1 / 32
"""Time ranges are not halved below this (a reply of one pitch in 1/32 beat always fits)."""
_SPLIT_GRID = 64  # time ranges split on 1/64 beats: exact in float32, so they tile exactly


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
    song_signature: TimeSignature | None = None
    """The set's: a new clip is made in it (AbletonOSC has no setter for a clip's)."""
    recording: bool = False
    """Live is recording into it: what is read now is half a take."""
    downbeat: float | None = None
    """Where bar 1 (the clip's 1.1.1) lies in the played region, in beats from its start,
    where the region begins before bar 1 to hold a pickup and whole bars follow bar 1
    (``segue.bridge.pickup_region.clip_downbeat``, the device's rule); else None."""
    turned: float = 0.0
    """Beats (under a bar) a loop of whole bars starts after the start marker's bar line: it
    is read turned to begin on that bar line, its last ``turned`` beats first, as the device
    reads it (``segue.bridge.pickup_region.turned_by``); 0 for every other clip."""


def clip_info(live: AbletonOSC, track: int, scene: int) -> ClipInfo:
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
        ("/live/clip/get/is_recording", clip, 2),
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
        recording,
    ) = live.gather(queries, required=5)
    place = f"track {track + 1}, scene {scene + 1}"
    if not midi or not midi[0]:
        raise NoClipError(f"the clip at {place} is an audio clip: select a MIDI clip")
    beats = number(length[0] if length else None, "clip length")
    if beats <= 0:
        raise LiveError(f"the clip at {place} has length {beats:g}")
    looped = bool(looping[0]) if looping else True
    region = loop_start if looped else start_marker
    start = number(region[0], "loop start") if region and region[0] is not None else 0.0
    if clip_num and clip_den and clip_num[0] is not None and clip_den[0] is not None:
        numbers, source = (clip_num[0], clip_den[0]), "clip"
    else:
        numbers, source = (
            (song_num[0] if song_num else None, song_den[0] if song_den else None),
            "song",
        )
    try:
        signature = TimeSignature(
            whole(numbers[0], "signature numerator"), whole(numbers[1], "signature denominator")
        )
    except NoteError as exc:
        raise LiveError(f"the {source}'s {exc}") from None  # "time signature 7/5: ..."
    text = name[0] if name and isinstance(name[0], str) else ""
    song: TimeSignature | None = None  # unread: nothing to say about new clips' meter
    if song_num and song_den:
        try:
            song = TimeSignature(whole(song_num[0], "numerator"), whole(song_den[0], "denominator"))
        except (NoteError, LiveError):
            song = None
    taking = bool(recording[0]) if recording else False
    downbeat = None  # an AbletonOSC without the markers' getters tells none, as before
    turned = 0.0  # and turns no loop
    if loop_start and start_marker and looping and None not in (loop_start[0], start_marker[0]):
        loop = number(loop_start[0], "loop start")
        marker = number(start_marker[0], "start marker")
        downbeat = clip_downbeat(beats, looped, loop, marker, signature.beats_per_bar)
        turned = turned_by(looped, loop, marker, beats, signature.beats_per_bar)
    return ClipInfo(
        track, scene, text, beats, start, signature, source, song, taking, downbeat, turned
    )


def set_clip_name(live: AbletonOSC, track: int, scene: int, name: str) -> None:
    live.send("/live/clip/set/name", track, scene, name)


def clip_length(live: AbletonOSC, track: int, scene: int) -> float:
    return number(live.ask("/live/clip/get/length", track, scene)[0], "clip length")


# -- notes --------------------------------------------------------------------------------------


def _notes(values: Sequence[object]) -> list[LiveNote]:
    """(pitch, start, duration, velocity, mute) * n, as /live/clip/get/notes answers."""
    if len(values) % 5:
        raise LiveError(f"AbletonOSC's notes answer has {len(values)} values, not 5 per note")
    out = []
    for i in range(0, len(values), 5):
        pitch, start, duration, velocity, mute = values[i : i + 5]
        out.append(
            LiveNote(
                whole(pitch, "pitch"),
                number(start, "note start"),
                number(duration, "note duration"),
                number(velocity, "velocity"),
                bool(mute),
            )
        )
    return out


def _split(
    pitches: tuple[int, int], times: tuple[float, float]
) -> list[tuple[tuple[int, int], tuple[float, float]]] | None:
    """Two halves of a note range: by pitch while it spans several, then by time."""
    low, high = pitches
    if high - low > 1:
        pitch = (low + high) // 2
        return [((low, pitch), times), ((pitch, high), times)]
    start, end = times
    if end - start <= MIN_TIME_SPAN:
        return None
    middle = math.floor((start + end) / 2 * _SPLIT_GRID) / _SPLIT_GRID
    return [(pitches, (start, middle)), (pitches, (middle, end))]


def read_notes(
    live: AbletonOSC, track: int, scene: int, start: float, end: float
) -> list[LiveNote]:
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
        (low, high), (first, last) = pitches, times
        answer = live.ask_fitting(
            NOTES,
            (track, scene, low, high - low, float(first), float(last - first)),
            2,
            f"notes of pitches {low}-{high - 1}, beats {first:g}-{last:g}",
        )
        if answer is not None:
            for note in _notes(answer):
                found.setdefault((note.pitch, note.start), note)
            continue
        halves = _split(pitches, times)
        if halves is None:
            raise LiveError(
                f"AbletonOSC cannot send the notes of pitch {pitches[0]} between "
                f"beats {times[0]:g} and {times[1]:g} in one message"
            )
        todo.extend(reversed(halves))
    return sorted(found.values(), key=lambda n: (n.start, n.pitch))


def _add_args(track: int, scene: int, notes: Sequence[LiveNote]) -> tuple[Any, ...]:
    args: list[Any] = [track, scene]
    for note in notes:
        velocity = min(127, max(1, round(note.velocity)))
        args += [note.pitch, float(note.start), float(note.duration), velocity, bool(note.mute)]
    return tuple(args)


_ONE_NOTE = _add_args(0, 0, [LiveNote(60, 0.0, 1.0, 100.0)])
NOTES_PER_DATAGRAM = per_datagram(ADD_NOTES, _ONE_NOTE[:2], _ONE_NOTE[2:])
"""How many notes one /live/clip/add/notes carries."""


def note_chunks(track: int, scene: int, notes: Sequence[LiveNote]) -> list[tuple[Any, ...]]:
    """The arguments of each /live/clip/add/notes message that together add ``notes``."""
    return [
        _add_args(track, scene, notes[i : i + NOTES_PER_DATAGRAM])
        for i in range(0, len(notes), NOTES_PER_DATAGRAM)
    ]


def add_notes(live: AbletonOSC, track: int, scene: int, notes: Sequence[LiveNote]) -> int:
    """Add notes to a clip, a few dozen per datagram; returns the datagrams sent."""
    chunks = note_chunks(track, scene, notes)
    per_barrier = max(1, NOTES_PER_BARRIER // NOTES_PER_DATAGRAM)
    for i, args in enumerate(chunks, 1):
        live.send(ADD_NOTES, *args)
        if i % per_barrier == 0 and i < len(chunks):
            has_clip(live, track, scene)  # Live has read these before more are sent
    return len(chunks)
