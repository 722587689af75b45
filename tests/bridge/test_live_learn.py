"""The clips of a Live set to learn from, read through the stand-in AbletonOSC."""

from __future__ import annotations

from abletonosc_standin import AbletonOSCStandin, FakeClip, FakeTrack, LiveSet
from live_sets import riff

from segue.bridge.abletonosc.transport import AbletonOSC
from segue.bridge.live_learn import read_set


def drum_hits() -> list[tuple[int, float, float, float, bool]]:
    return [(36 + 6 * (i % 2), i * 0.5, 0.25, 100.0, False) for i in range(8)]


def learn_set() -> LiveSet:
    muted = riff()[:8] + [(72, 2.0, 0.5, 90.0, True)]
    keys = FakeTrack(
        "Keys",
        [FakeClip("riff", 4.0, riff()), None, FakeClip("half", 4.0, muted)],
        arrangement=("A", "B"),
    )
    audio = FakeClip("loop", 4.0, [], is_midi_clip=False)
    beats = FakeTrack(
        "Beats", [FakeClip("beat", 4.0, drum_hits()), audio, None], devices=("DrumGroupDevice",)
    )
    return LiveSet([keys, beats])


def test_every_session_clip_is_read_drums_kept_apart_muted_notes_left_out(reply_port):
    with AbletonOSCStandin(learn_set(), reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, 2.0) as live:
            found = read_set(live)
    assert [(n, len(c), d) for n, c, d in found.clips] == [
        ("riff", 16, False),
        ("half", 8, False),
        ("beat", 8, True),
    ]
    assert found.muted_left_out == 1 and found.audio_clips == 1
    assert found.arrangement_clips == 2


def test_a_group_track_is_read_past_and_counts_no_arrangement_clips(reply_port):
    """Live refuses a group track's arrangement clips ("Master, Group and Return Tracks have
    no arrangement clips"), and a learn of a set with one stopped after every clip was read."""
    live_set = learn_set()
    live_set.tracks.insert(0, FakeTrack("Group", [None, None, None], group=True, devices=()))
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, 2.0) as live:
            found = read_set(live)
    assert [n for n, _, _ in found.clips] == ["riff", "half", "beat"]
    assert found.arrangement_clips == 2
