"""Live's song through AbletonOSC (``song.py``): how many tracks and scenes, new scenes."""

from __future__ import annotations

from segue.bridge.abletonosc.transport import AbletonOSC, whole
from segue.errors import LiveError, LiveTimeout, NoEmptySlotError


def counts(live: AbletonOSC) -> tuple[int, int]:
    """(tracks, scenes) in the set."""
    tracks, scenes = live.gather(
        [("/live/song/get/num_tracks", (), 0), ("/live/song/get/num_scenes", (), 0)]
    )
    assert tracks is not None and scenes is not None
    return whole(tracks[0], "track count"), whole(scenes[0], "scene count")


def num_scenes(live: AbletonOSC) -> int:
    return whole(live.ask("/live/song/get/num_scenes")[0], "scene count")


def create_scene(live: AbletonOSC) -> int:
    """Add a scene at the end of the set; returns its index."""
    before = num_scenes(live)
    live.send("/live/song/create_scene", -1)
    try:
        after = num_scenes(live)
    except LiveTimeout:
        raise
    except LiveError as exc:
        raise NoEmptySlotError(
            f"Live did not add a scene ({exc}), so no empty clip slot is left for the continuation"
        ) from None
    if after != before + 1:
        raise NoEmptySlotError(
            f"Live did not add a scene (it has {after}), so no empty "
            "clip slot is left for the continuation"
        )
    return before
