"""A Live track through AbletonOSC (``track.py``): the devices on it, and whether it drums.

AbletonOSC answers ``/live/track/get/devices/class_name`` with the track and the
Live Object Model class of each device on it; a Drum Rack's class is
:data:`DRUM_RACK` (an Ableton Live fact; see ``max_for_live/README.md``, whose device
asks the same question through ``can_have_drum_pads``).
"""

from __future__ import annotations

from segue.bridge.abletonosc.transport import AbletonOSC

DRUM_RACK = "DrumGroupDevice"


def device_classes(live: AbletonOSC, track: int) -> list[str]:
    """The class name of each device on ``track`` (0-based), in chain order."""
    answer = live.ask("/live/track/get/devices/class_name", track)  # the track index stripped
    return [str(name) for name in answer]


def has_drum_rack(live: AbletonOSC, track: int) -> bool:
    """Whether a Drum Rack plays the track's notes."""
    return DRUM_RACK in device_classes(live, track)
