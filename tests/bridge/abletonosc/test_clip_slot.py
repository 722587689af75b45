"""Live's clip slots through AbletonOSC: which hold a clip, and new clips in empty ones."""

from __future__ import annotations

import pytest
from abletonosc_standin import AbletonOSCStandin, FakeClip
from live_sets import keys_set, riff

from segue.bridge.abletonosc.clip_slot import create_clip, has_clip, has_clips
from segue.bridge.abletonosc.transport import AbletonOSC
from segue.errors import LiveError


def test_which_slots_hold_clips_and_a_new_clip(reply_port) -> None:
    slots: list[FakeClip | None] = [FakeClip("Riff", 4.0, riff()), None] + [None] * 68
    slots[66] = FakeClip("Late", 2.0)
    live_set = keys_set(slots)
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            held = has_clips(live, 0, range(70))  # more than one batch of 64
            assert [i for i, h in enumerate(held) if h] == [0, 66]
            assert not has_clip(live, 0, 1)
            create_clip(live, 0, 1, 8.0)
            assert has_clip(live, 0, 1)
    made = live_set.tracks[0].slots[1]
    assert isinstance(made, FakeClip) and made.length == 8.0 and made.notes == []


def test_a_clip_live_refuses_to_create_is_an_error_with_live_s_reason(reply_port) -> None:
    live_set = keys_set([None, None])
    live_set.tracks[1].midi = False  # an audio track
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            with pytest.raises(LiveError, match="MIDI clips can only be created on MIDI tracks"):
                create_clip(live, 1, 0, 4.0)
