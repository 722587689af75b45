"""Live's clip slots through AbletonOSC (``clip_slot.py``): which hold a clip, new clips."""

from __future__ import annotations

from collections.abc import Iterable

from segue.bridge.abletonosc.transport import AbletonOSC
from segue.errors import LiveError


def has_clips(live: AbletonOSC, track: int, scenes: Iterable[int]) -> list[bool]:
    """Whether each slot of ``track`` holds a clip (asked together, 64 at a time)."""
    wanted = list(scenes)
    out: list[bool] = []
    for i in range(0, len(wanted), 64):
        answers = live.gather(
            [("/live/clip_slot/get/has_clip", (track, s), 2) for s in wanted[i : i + 64]]
        )
        out += [bool(a[0]) if a else False for a in answers]
    return out


def has_clip(live: AbletonOSC, track: int, scene: int) -> bool:
    return has_clips(live, track, [scene])[0]


def create_clip(live: AbletonOSC, track: int, scene: int, length: float) -> None:
    """A new, empty MIDI clip of ``length`` beats in an empty slot."""
    live.send("/live/clip_slot/create_clip", track, scene, float(length))
    if not has_clip(live, track, scene):  # also waits until Live made it
        raise LiveError(f"Live did not create a clip at track {track + 1}, scene {scene + 1}")
