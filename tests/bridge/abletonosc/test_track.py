"""A Live track's devices through the stand-in AbletonOSC, and whether a Drum Rack plays it."""

from __future__ import annotations

from abletonosc_standin import AbletonOSCStandin, FakeTrack, LiveSet

from segue.bridge.abletonosc.track import device_classes, has_drum_rack
from segue.bridge.abletonosc.transport import AbletonOSC


def test_every_device_is_named_and_a_drum_rack_first_in_the_chain_is_found(reply_port):
    tracks = [
        FakeTrack("Beats", [None], devices=("DrumGroupDevice", "Compressor2")),
        FakeTrack("Keys", [None], devices=("InstrumentGroupDevice",)),
    ]
    with AbletonOSCStandin(LiveSet(tracks), reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, 2.0) as live:
            assert device_classes(live, 0) == ["DrumGroupDevice", "Compressor2"]
            assert has_drum_rack(live, 0) and not has_drum_rack(live, 1)
