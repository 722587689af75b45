"""Live's song through AbletonOSC: counting tracks and scenes, a new scene at the end."""

from __future__ import annotations

import pytest
from abletonosc_standin import AbletonOSCStandin, FakeClip
from live_sets import keys_set, riff

from segue.bridge.abletonosc.song import counts, create_scene, num_scenes
from segue.bridge.abletonosc.transport import AbletonOSC
from segue.errors import NoEmptySlotError


def test_counts_and_a_new_scene_at_the_end(reply_port) -> None:
    live_set = keys_set([FakeClip("Riff", 4.0, riff()), None])
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            assert counts(live) == (2, 2)
            assert create_scene(live) == 2
            assert num_scenes(live) == 3
    assert [len(track.slots) for track in live_set.tracks] == [3, 3]
    assert live_set.tracks[0].slots[2] is None


def test_a_set_that_takes_no_more_scenes_says_why_and_that_no_slot_is_left(reply_port) -> None:
    live_set = keys_set([FakeClip("Riff", 4.0, riff())])
    live_set.max_scenes = 1
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            with pytest.raises(NoEmptySlotError, match="did not add a scene .*Maximum number of"):
                create_scene(live)
