"""A clip through AbletonOSC: dense clips read in ranges, notes added in small datagrams,
region and time signature from the clip."""

from __future__ import annotations

import time

from abletonosc_standin import AbletonOSCStandin, FakeClip
from live_sets import (
    dense,
    keys_set,
    live_cli,
)

from segue.bridge.abletonosc.clip import LiveNote, note_chunks, read_notes
from segue.bridge.abletonosc.transport import SEND_LIMIT, AbletonOSC
from segue.bridge.codec import encode
from segue.bridge.live_continue import read_seed
from segue.notes import TimeSignature


def test_a_dense_clip_is_read_in_ranges_and_long_clips_are_written_in_small_datagrams(
    capsys, models_dir, reply_port
) -> None:
    source = FakeClip("hats and chords", 64.0, dense())
    live_set = keys_set([source, None])
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            # the whole clip in one answer is too long: AbletonOSC says so, sends nothing else
            live.send("/live/clip/get/notes", 0, 0)
            time.sleep(0.2)
            messages = []
            while (message := live.receive(time.monotonic() + 0.2)) is not None:
                messages.append(message)
            assert [m.address for m in messages] == ["/live/error"]
            assert "Message too long" in str(messages[0].args[0])
            notes = read_notes(live, 0, 0, 0.0, 64.0)
            assert live.oversized >= 8  # pitch halves, then time halves of the hi-hat's pitch
        code, out, err = live_cli(
            capsys, standin.port, reply_port, models_dir, "--notes", 300, "-n", 1, "--rng-seed", 3
        )
    assert sorted((n.pitch, n.start, n.duration, n.velocity) for n in notes) == sorted(
        (p, s, d, v) for p, s, d, v, _ in source.notes
    )
    assert len({(n.pitch, n.start) for n in notes}) == 1500  # edges (beat 32.0...) read once
    assert any("Message too long" in e for e in standin.errors)
    assert code == 0, err
    assert "1500 notes, 64 beats of 4/4" in out
    written = live_set.tracks[0].slots[1]
    assert isinstance(written, FakeClip) and len(written.notes) == 300
    adds = [size for address, size in standin.sizes if address == "/live/clip/add/notes"]
    assert len(adds) >= 5 and max(adds) <= SEND_LIMIT
    assert source.notes == dense()


def test_add_notes_chunks_fit_one_datagram() -> None:
    notes = [LiveNote(60 + i % 12, i / 3, 1 / 3, 100.0) for i in range(1000)]
    chunks = note_chunks(3, 7, notes)
    assert sum((len(c) - 2) // 5 for c in chunks) == 1000
    assert all(len(encode("/live/clip/add/notes", c)) <= SEND_LIMIT for c in chunks)
    assert len(chunks) == 16  # 64 notes a datagram


def test_clip_region_and_time_signature_come_from_the_clip_where_abletonosc_has_them(
    reply_port,
) -> None:
    looped = FakeClip(
        "late loop",
        3.0,
        [
            (62, 4.0, 1.0, 100.0, False),
            (64, 5.5, 0.5, 90.0, True),
            (65, 6.0, 1.0, 80.0, False),
            (67, 1.0, 1.0, 80.0, False),
        ],
        loop_start=4.0,
        signature_numerator=3,
        signature_denominator=4,
    )
    live_set = keys_set([looped], signature=(6, 8))
    with (
        AbletonOSCStandin(live_set, reply_port, clip_signature=True) as standin,
        AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live,
    ):
        info, seed, left_out = read_seed(live, 0, 0)
    assert (info.signature_from, seed.time_signature) == ("clip", TimeSignature(3, 4))
    # a bar of 3/4 looped from beat 4, a beat after the start marker's bar line (3): read
    # turned to begin on it, as the device reads it, the 65 at beat 6 on the downbeat
    assert sorted((n.start, n.pitch) for n in seed.notes) == [(0.0, 65), (1.0, 62)]
    assert seed.length == 3.0 and left_out == 1  # the muted note; 67 lies before the loop
    with (
        AbletonOSCStandin(live_set, reply_port) as standin,
        AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live,
    ):
        started = time.monotonic()
        info, seed, _ = read_seed(live, 0, 0)
        took = time.monotonic() - started
    assert (info.signature_from, seed.time_signature) == ("song", TimeSignature(6, 8))
    assert took < 1.5  # AbletonOSC's "Unknown OSC address" error, not a timeout, said so
    assert any(
        "Unknown OSC address: /live/clip/get/signature_numerator" in e for e in standin.errors
    )


def test_a_clip_s_start_marker_before_bar_1_tells_where_bar_1_lies(reply_port) -> None:
    """A clip whose start marker (or loop) is moved back before bar 1 to hold a pickup, with
    whole bars after bar 1, is read with where bar 1 lies in its seed, as the device reads
    it; a clip on bar 1, one with no whole bars after it, and a loop from mid-bar (turned by
    the device, helper-48) say nothing."""
    walk = [(35, -1.5, 0.45, 96.0, False), (36, -1.0, 0.45, 96.0, False)]
    walk += [(40, float(b), 0.9, 96.0, False) for b in range(16)]
    clips = [
        FakeClip("looped", 17.5, walk, loop_start=-1.5, start_marker=-1.5),
        FakeClip("once", 17.5, walk, looping=False, start_marker=-1.5),
        FakeClip("plain", 16.0, walk),
        FakeClip("trimmed", 15.5, walk, looping=False, start_marker=-1.5),
        FakeClip("turned", 8.0, walk, loop_start=1.0),
    ]
    live_set = keys_set(clips)
    with (
        AbletonOSCStandin(live_set, reply_port) as standin,
        AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live,
    ):
        read = [read_seed(live, 0, scene) for scene in range(len(clips))]
    assert [info.downbeat for info, _, _ in read] == [1.5, 1.5, None, None, None]
    assert [info.turned for info, _, _ in read] == [0.0, 0.0, 0.0, 0.0, 1.0]
    _, turned, _ = read[4]  # beats 8-9 first (bar 3's E on its bar line), then 1-8
    assert [(n.pitch, n.start) for n in sorted(turned.notes, key=lambda n: n.start)[:2]] == [
        (40, 0.0),
        (40, 1.0),
    ]
    info, seed, _ = read[0]
    assert (info.start, seed.length) == (-1.5, 17.5)
    assert [(n.pitch, n.start) for n in seed.notes[:3]] == [(35, 0.0), (36, 0.5), (40, 1.5)]
