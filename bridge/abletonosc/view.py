"""Live's view through AbletonOSC (``view.py``): what the musician has selected."""

from __future__ import annotations

from segue.bridge.abletonosc.transport import AbletonOSC, whole
from segue.errors import LiveError, LiveTimeout, NoClipError


def selected_clip(live: AbletonOSC) -> tuple[int, int]:
    """(track, scene) of the slot selected in Live, which may be empty."""
    try:
        answer = live.ask("/live/view/get/selected_clip")
    except LiveTimeout:
        raise
    except LiveError as exc:
        raise NoClipError(
            f"Live's selected track holds no clips (the master or a return "
            f"track?): select a MIDI clip in Session View ({exc})"
        ) from None
    if len(answer) < 2:
        raise LiveError(f"AbletonOSC answered the selected clip with {answer!r}")
    return whole(answer[0], "track index"), whole(answer[1], "scene index")
