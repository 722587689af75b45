"""Continue a clip of Live's Session View through AbletonOSC: read it, generate, write clips.

Used by ``segue live continue`` and by the bridge's ``/segue/live/continue``
(``segue serve --abletonosc``). The source clip is only ever read. Each
variation is written as a new clip into the next empty slot after the source
on the same track (a new clip of the variation's length, named after the
source, then its notes). When the track has too few empty slots after the
clip, scenes are added at the end of the set, or, if that is not allowed,
nothing is generated and :class:`NoEmptySlotError` says so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from segue.bridge.abletonosc.clip import (
    ClipInfo,
    LiveNote,
    add_notes,
    clip_info,
    clip_length,
    read_notes,
    set_clip_name,
)
from segue.bridge.abletonosc.clip_slot import create_clip, has_clip, has_clips
from segue.bridge.abletonosc.song import counts, create_scene, num_scenes
from segue.bridge.abletonosc.track import has_drum_rack
from segue.bridge.abletonosc.transport import AbletonOSC
from segue.bridge.abletonosc.view import selected_clip
from segue.bridge.pickup_region import turn
from segue.bridge.values import whole_letters
from segue.errors import LiveError, NoClipError, NoEmptySlotError
from segue.grid import to_beats, to_ticks
from segue.notes import Clip, Note

Progress = Callable[[str], None]
Generate = Callable[[Clip, bool, float | None], Any]
"""(the seed clip, whether its track drums, where bar 1 lies in it after a pickup: the
clip's ``ClipInfo.downbeat``, else None) -> a ``GenerationResult`` (anything with
``variations`` and ``rng_seed``)."""
MAX_NAME = 64


@dataclass(frozen=True)
class WrittenClip:
    """A clip segue made in Live (track and scene counted from 0, as AbletonOSC counts)."""

    track: int
    scene: int
    name: str
    length: float
    notes: int


@dataclass(frozen=True)
class LiveContinuation:
    source: ClipInfo
    seed: Clip
    left_out: int
    """Notes of the source not in the seed: muted, or outside the played region."""
    written: tuple[WrittenClip, ...]
    scenes_added: int
    rng_seed: int
    ms: float


def place(track: int, scene: int) -> str:
    """A slot as Live shows it: numbered from 1."""
    return f"track {track + 1}, scene {scene + 1}"


def locate(live: AbletonOSC, track: int | None = None, scene: int | None = None) -> tuple[int, int]:
    """The slot to continue: the given one (checked against the set) or Live's selected one."""
    if track is None or scene is None:
        return selected_clip(live)
    tracks, scenes = counts(live)
    if not 0 <= track < tracks:
        raise NoClipError(f"there is no track {track + 1}: the set has {tracks} track(s)")
    if not 0 <= scene < scenes:
        raise NoClipError(f"there is no scene {scene + 1}: the set has {scenes} scene(s)")
    return track, scene


def seed_from_notes(info: ClipInfo, notes: Sequence[LiveNote]) -> tuple[Clip, int]:
    """The seed clip (on segue's grid, from 0) and how many notes were left out: a loop the
    device turns to begin on the start marker's bar line (``info.turned``), turned."""
    length = max(1, to_ticks(info.length))
    kept: set[Note] = set()
    left_out = 0
    for note in notes:
        begins = note.start - info.start  # beats into what plays, as the device reads it
        if note.mute or not 0 <= begins < info.length:
            left_out += 1
            continue
        begins, cut = turn(begins, info.length, info.turned)  # where Live's loop ends it
        start = min(to_ticks(begins), length - 1)  # a hair before the end: its last tick
        end = min(to_ticks(begins + note.duration), max(1, to_ticks(cut)))
        duration = max(1, end - start)  # as Live plays it, and as the device reads it
        velocity = min(127, max(1, round(note.velocity)))
        kept.add(Note(note.pitch, to_beats(start), to_beats(duration), velocity))
    return Clip(tuple(kept), to_beats(length), info.time_signature), left_out


def read_seed(
    live: AbletonOSC, track: int, scene: int, what: str = "selected slot"
) -> tuple[ClipInfo, Clip, int]:
    """The clip in a slot, its seed and the count of notes left out of it."""
    advice = (
        "click a MIDI clip in Live's Session View, then continue"
        if what == "selected slot"
        else "name a slot that holds a MIDI clip"
    )
    if not has_clip(live, track, scene):
        raise NoClipError(f"no clip in the {what} ({place(track, scene)}): {advice}")
    try:
        info = clip_info(live, track, scene)
    except NoClipError as exc:  # an audio clip: its advice is for a selected one
        raise NoClipError(str(exc).replace("select a MIDI clip", advice)) from None
    if info.recording:  # its notes so far would be continued, then the take refused
        raise NoClipError(
            f"the clip at {place(track, scene)} is being recorded: stop the recording, "
            "then continue"
        )
    notes = read_notes(live, track, scene, info.start, info.start + info.length)
    seed, left_out = seed_from_notes(info, notes)
    return info, seed, left_out


def empty_slots(live: AbletonOSC, track: int, after: int, count: int) -> list[int]:
    """Up to ``count`` empty slots of ``track`` after scene ``after``, in order."""
    scenes = num_scenes(live)
    found: list[int] = []
    for first in range(after + 1, scenes, 64):
        batch = list(range(first, min(first + 64, scenes)))
        found += [
            s for s, full in zip(batch, has_clips(live, track, batch), strict=True) if not full
        ]
        if len(found) >= count:
            break
    return found[:count]


def _still_there(live: AbletonOSC, track: int, scene: int, info: ClipInfo) -> None:
    """Refuse to write when the source clip is no longer where it was read: AbletonOSC counts
    tracks and scenes by position, so a track or scene inserted or deleted above while the
    model ran would send the new clips to another track (the Live device finds its track
    again by its id; AbletonOSC gives none)."""
    moved = not has_clip(live, track, scene)
    if not moved:
        now = clip_info(live, track, scene)
        moved = (now.name, now.length, now.start) != (info.name, info.length, info.start)
    if moved:
        raise LiveError(
            f"the clip '{info.name}' changed or moved while segue was generating (recorded "
            f"into, renamed or resized at {place(track, scene)}, or a track or scene added "
            "or deleted above it): nothing was written; continue again"
        )


NAME_SUFFIX = re.compile(r"( segue \d+)+$")
"""What :func:`clip_name` adds, taken off a source's name first: a continuation of "riff
segue 1" is "riff segue 1", not "riff segue 1 segue 1"."""


def clip_name(source: str, index: int) -> str:
    """``riff segue 2``: the source's name and the variation's number."""
    base = NAME_SUFFIX.sub("", " ".join(source.split())) or "clip"
    suffix = f" segue {index}"
    return base[: whole_letters(base, MAX_NAME - len(suffix))].rstrip() + suffix


def write_clip(live: AbletonOSC, track: int, scene: int, clip: Clip, name: str) -> WrittenClip:
    """A new clip in an empty slot: created with the clip's length, named, then its notes."""
    create_clip(live, track, scene, clip.length)
    set_clip_name(live, track, scene, name)
    add_notes(
        live,
        track,
        scene,
        [LiveNote(n.pitch, n.start, n.duration, float(n.velocity)) for n in clip.notes],
    )
    length = clip_length(live, track, scene)  # Live has handled every note sent before this
    if abs(length - clip.length) > 1e-3:
        raise LiveError(
            f"the new clip at {place(track, scene)} is {length:g} beats long, not {clip.length:g}"
        )
    return WrittenClip(track, scene, name, clip.length, len(clip))


def continue_in_live(
    live: AbletonOSC,
    generate: Generate,
    variations: int,
    *,
    track: int | None = None,
    scene: int | None = None,
    add_scenes: bool = True,
    progress: Progress | None = None,
) -> LiveContinuation:
    """Read a clip (the selected one by default), continue it, write the variations.

    ``variations`` is how many ``generate`` makes: that many empty slots are
    found before generating, so a full track fails fast. ``progress`` hears a
    few words at each stage (for a TouchOSC label).
    """
    tell = progress or (lambda text: None)
    started = time.perf_counter()
    live.drain()
    tell("reading the clip in Live")
    what = "selected slot" if track is None or scene is None else "slot"
    track, scene = locate(live, track, scene)
    info, seed, left_out = read_seed(live, track, scene, what)
    slots = empty_slots(live, track, scene, variations)
    missing = variations - len(slots)
    if missing and not add_scenes:
        raise NoEmptySlotError(
            f"track {track + 1} has {len(slots)} empty clip slot(s) after scene {scene + 1} and "
            f"{variations} are needed: add scenes in Live, ask for fewer variations, or let "
            "segue add scenes"
        )
    drums = has_drum_rack(live, track)
    tell(f"generating from {len(seed)} {'hits' if drums else 'notes'}")
    result = generate(seed, drums, info.downbeat)  # a pickup before bar 1: heard once
    clips = [v.clip for v in result.variations][:variations]
    _still_there(live, track, scene, info)
    taken = [s for s, full in zip(slots, has_clips(live, track, slots), strict=True) if full]
    if taken:  # someone recorded or pasted there while the model ran
        raise LiveError(
            f"{place(track, taken[0])} was filled while segue was generating; "
            "nothing was written: continue again"
        )
    scenes_added = 0
    while len(slots) < len(clips):
        slots.append(create_scene(live))
        scenes_added += 1
    tell(f"writing {len(clips)} clip{'' if len(clips) == 1 else 's'}")
    written: list[WrittenClip] = []
    for index, (clip, slot) in enumerate(zip(clips, slots, strict=False), 1):
        if slot == scene:  # never: slots come after the source, but the source is sacred
            raise LiveError("refusing to write over the source clip")
        try:
            written.append(write_clip(live, track, slot, clip, clip_name(info.name, index)))
        except LiveError as exc:  # (LiveTimeout too) the clips before it stay in the set
            if not written:
                raise
            where = ", ".join(str(w.scene + 1) for w in written)
            raise type(exc)(
                f"wrote {len(written)} of {len(clips)} clips (track {track + 1}, scene"
                f"{'s' if len(written) > 1 else ''} {where}), then: {exc}"
            ) from None
    ms = (time.perf_counter() - started) * 1000
    return LiveContinuation(
        info, seed, left_out, tuple(written), scenes_added, int(result.rng_seed), ms
    )


def meter_note(result: LiveContinuation) -> str:
    """A line when the new clips are in another time signature than their notes: a clip
    made through AbletonOSC takes the set's, and a 7/8 riff's continuations in a 4/4 set
    are written as 4/4 clips ("" otherwise)."""
    source, written = result.source, result.written
    song = source.song_signature
    if not written or song is None or song == source.time_signature:
        return ""
    return (
        f"the new clips are in the set's {song}, as AbletonOSC makes a clip; their notes "
        f"are in {source.time_signature}, the source clip's: set the clips' signature in Live"
    )


def summary(result: LiveContinuation) -> str:
    """One line for a label or a log: what was written where."""
    scenes = [w.scene + 1 for w in result.written]
    if not scenes:
        return "no clips written"
    where = (
        f"scene {scenes[0]}"
        if len(scenes) == 1
        else f"scenes {scenes[0]}-{scenes[-1]}"
        if scenes == list(range(scenes[0], scenes[-1] + 1))
        else "scenes " + ",".join(map(str, scenes))
    )
    notes = sum(w.notes for w in result.written)
    return (
        f"{len(scenes)} clip{'' if len(scenes) == 1 else 's'} in {where} of track "
        f"{result.source.track + 1}, {notes} notes, {result.ms:.0f} ms"
    )
