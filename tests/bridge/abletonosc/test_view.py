"""Live's view through AbletonOSC: the selected clip slot."""

from __future__ import annotations

import pytest
from abletonosc_standin import AbletonOSCStandin, FakeClip
from live_sets import keys_set, riff

from segue.bridge.abletonosc.transport import AbletonOSC
from segue.bridge.abletonosc.view import selected_clip
from segue.errors import LiveError, NoClipError


def test_the_selected_slot_empty_or_not(reply_port) -> None:
    live_set = keys_set([FakeClip("Riff", 4.0, riff()), None], selected=(1, 1))
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            assert selected_clip(live) == (1, 1)
            live_set.selected = (0, 0)
            assert selected_clip(live) == (0, 0)


def test_a_track_without_clips_selected_says_what_to_select(reply_port) -> None:
    live_set = keys_set([None], selected=(None, 0))  # the master track: no clip slots
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            with pytest.raises(NoClipError, match="select a MIDI clip in Session View"):
                selected_clip(live)


@pytest.mark.parametrize("track", [float("nan"), float("inf"), 2**40, 1e12])
def test_a_track_index_that_is_no_osc_integer_is_a_live_error(reply_port, track) -> None:
    live_set = keys_set([FakeClip("Riff", 4.0, riff())], selected=(0, 0))
    live_set.selected = (track, 0)  # type: ignore[assignment]  # what a broken AbletonOSC sends
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            with pytest.raises(LiveError, match="AbletonOSC sent .* as the .*whole number"):
                selected_clip(live)
