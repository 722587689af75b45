"""The clips of a Live set to learn from, read through AbletonOSC (``segue live learn``).

Every MIDI clip of the Session View is read as ``segue live continue`` reads its seed: the
part that plays (its loop when looping), muted notes left out; a clip on a track with a
Drum Rack is a drum clip, kept apart. Audio clips are passed over. AbletonOSC reads notes
of Session View clips only: it can name a track's Arrangement clips
(``/live/track/get/arrangement_clips/name``) but not read them, so those are counted and
reported, never guessed at (the Max for Live device's Learn reads them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from segue.bridge.abletonosc.clip import clip_info, read_notes
from segue.bridge.abletonosc.clip_slot import has_clips
from segue.bridge.abletonosc.song import counts
from segue.bridge.abletonosc.track import has_drum_rack
from segue.bridge.abletonosc.transport import AbletonOSC
from segue.bridge.live_continue import seed_from_notes
from segue.errors import LiveError, NoClipError
from segue.notes import Clip
from segue.shown_names import shown_name

ARRANGEMENT_CLIPS = "/live/track/get/arrangement_clips/name"


@dataclass(frozen=True)
class SetClips:
    """The set's clips to learn from (name, clip, drums), and what was passed over."""

    clips: tuple[tuple[str, Clip, bool], ...]
    muted_left_out: int
    audio_clips: int
    arrangement_clips: int | None  # None: this AbletonOSC cannot say
    recording: int = 0  # clips Live was recording into: half a take, passed over


def arrangement_count(live: AbletonOSC, track: int) -> int | None:
    """How many clips ``track`` has in the Arrangement (None when AbletonOSC cannot say: it
    does not know the address, or Live refuses it, as for a group track: "Master, Group and
    Return Tracks have no arrangement clips", which stopped a learn of a set with a group
    track after every clip was read)."""
    try:
        answer = live.gather([(ARRANGEMENT_CLIPS, (track,), 1)], required=0)[0]
    except LiveError as exc:
        if "have no arrangement clips" in str(exc):  # a group track: none, as Live says
            return 0
        live.log.info("track %d: its arrangement clips not counted (%s)", track + 1, exc)
        return None
    return None if answer is None else len(answer)


def read_set(live: AbletonOSC, progress: Callable[[str], None] | None = None) -> SetClips:
    """Every MIDI clip of the set's Session View, as :class:`SetClips` says."""
    tracks, scenes = counts(live)
    clips: list[tuple[str, Clip, bool]] = []
    muted = audio = recording = 0
    arrangement: int | None = 0
    for track in range(tracks):
        drums = has_drum_rack(live, track)
        for scene, present in enumerate(has_clips(live, track, range(scenes))):
            if not present:
                continue
            try:
                info = clip_info(live, track, scene)
            except NoClipError:  # an audio clip
                audio += 1
                continue
            if info.recording:
                recording += 1
                continue
            notes = read_notes(live, track, scene, info.start, info.start + info.length)
            clip, _ = seed_from_notes(info, notes)
            muted += sum(n.mute for n in notes)
            name = info.name or f"track {track + 1}, scene {scene + 1}"
            clips.append((name, clip, drums))
            if progress is not None:
                drummed = " (drums)" if drums else ""
                progress(f"read {shown_name(name)}: {len(clip)} notes{drummed}")
        there = arrangement_count(live, track)
        arrangement = None if arrangement is None or there is None else arrangement + there
    return SetClips(tuple(clips), muted, audio, arrangement, recording)
