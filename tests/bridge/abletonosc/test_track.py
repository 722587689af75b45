"""A Live track through AbletonOSC: its devices' classes, and whether a Drum Rack plays it."""

from __future__ import annotations

from abletonosc_standin import AbletonOSCStandin, FakeClip, FakeTrack, LiveSet
from live_sets import riff

from segue.bridge.abletonosc.track import DRUM_RACK, device_classes, has_drum_rack
from segue.bridge.abletonosc.transport import AbletonOSC


def test_a_drum_rack_anywhere_on_the_chain_makes_a_drum_track(reply_port) -> None:
    live_set = LiveSet(
        [
            FakeTrack("Keys", [FakeClip("Riff", 4.0, riff())]),
            FakeTrack("Beat", [None], devices=(DRUM_RACK,)),
            FakeTrack("Beat FX", [None], devices=("MidiArpeggiator", DRUM_RACK, "Reverb")),
            FakeTrack("Empty", [None], devices=()),
        ]
    )
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            assert device_classes(live, 0) == ["InstrumentGroupDevice"]
            assert device_classes(live, 2) == ["MidiArpeggiator", DRUM_RACK, "Reverb"]
            assert device_classes(live, 3) == []
            assert [has_drum_rack(live, t) for t in range(4)] == [False, True, True, False]
