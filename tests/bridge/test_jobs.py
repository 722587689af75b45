"""The jobs on the worker threads: long answers paced and whole, a cancel stops them even
while their notes are sent; Live continued through AbletonOSC (a stand-in Live), its
errors answered."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from abletonosc_standin import AbletonOSCStandin, FakeClip, LiveSet
from bridge_requests import expected, got, made, phrase, upload
from live_sets import (
    keys_set,
    riff,
    writes_to,
)
from ports import silent_port

from segue.bridge import protocol as P
from segue.bridge.client import BridgeClient
from segue.bridge.testing import RawClient, running_server


def test_a_long_answer_is_paced_and_arrives_whole(server, tiny) -> None:
    with BridgeClient(*server.address) as client:
        result = client.generate(phrase(), {"notes": 400, "variations": 4, "rng_seed": 2})
    assert [len(v.clip) for v in result.variations] == [400] * 4
    assert got(result) == expected(tiny, phrase(), notes=400, variations=4, rng_seed=2)


def test_a_cancel_while_the_notes_are_sent_stops_them(models_dir) -> None:
    """Issue 15, row 9: a cancel 5 s into a long answer was ignored: thousands more notes."""
    with (
        running_server(models_dir, generate=made(2000)) as srv,
        RawClient(srv.address) as raw,
    ):
        srv.bridge.pace_rate, srv.bridge.pace_burst = 500.0, 8  # 4 s of notes
        raw.send(P.SEED_BEGIN, 4, 0, 4.0, 4, 4)
        raw.send(P.SEED_END, 4)
        raw.send(P.GENERATE, 4, "notes", 2000)
        before = [raw.until(P.VARIATION_NOTE) for _ in range(20)]
        raw.send(P.CANCEL, 4)
        after = raw.until(P.ERROR)
        assert after[-1].args[:2] == (4, "cancelled")
        assert raw.next(0.3) is None  # nothing more: no note, no done
    notes = [m for m in [*sum(before, []), *after] if m.address == P.VARIATION_NOTE]
    assert 20 <= len(notes) < 100


def test_a_long_generation_says_it_still_runs(models_dir) -> None:
    """4 x 512 notes of 16-voice chords held to one voice took 77 s, and the bridge said
    nothing between its first "running" and the notes: the device, which gives up after
    60 s without a word, failed a request the bridge was still working on."""

    def slow(model, seed, params, should_stop):  # 0.6 s, asking as generation does
        until = time.monotonic() + 0.6
        while time.monotonic() < until:
            assert not should_stop()
            time.sleep(0.01)
        return made(4)(model, seed, params, should_stop)

    with running_server(models_dir, generate=slow) as srv, RawClient(srv.address) as raw:
        srv.bridge.running_every = 0.1
        upload(raw, 3, phrase(n=4))
        raw.until(P.SEED_STORED)
        raw.send(P.GENERATE, 3)
        replies = raw.until(P.DONE, timeout=30)
    statuses = [i for i, m in enumerate(replies) if m.address == P.STATUS]
    running = [replies[i].args for i in statuses if replies[i].args[1] == "running"]
    assert 3 <= len(running) <= 8 and set(running) == {(3, "running", 0)}  # one every 0.1 s
    assert statuses[-1] < next(i for i, m in enumerate(replies) if m.address == P.VARIATION_BEGIN)


def test_takes_that_came_out_the_same_are_said_so(models_dir) -> None:
    """A one-bar house beat gave 4 takes of the same notes, and nothing said so: the
    command line warned only at temperature 0 (helper-88)."""
    with (
        running_server(models_dir, generate=made(4)) as srv,  # the same notes every take
        RawClient(srv.address) as raw,
    ):
        raw.send(P.SET, "variations", 2)
        raw.until(P.PARAM)
        upload(raw, 3, phrase(n=4))
        raw.until(P.SEED_STORED)
        raw.send(P.CONTINUE, 1.0)
        label = raw.until(P.LABEL_STATUS)[-1].args[0]
    assert label.startswith("2 variations, 8 notes, ")
    assert label.endswith(
        "; all 2 takes are the same notes: the loop is kept note for note and varies only in "
        "a 4-bar phrase's last bar; give bars 4 or more"  # a melodic model: no fills
    )


@pytest.mark.parametrize(
    ("setting", "value", "advice"),
    [("notes", 8.0, "give more notes (a 4-bar phrase's worth)"), ("beats", 6.0, "give beats 16")],
)
def test_the_same_takes_advice_names_the_length_that_was_set(
    models_dir, setting, value, advice
) -> None:
    """A request of 8 notes whose takes came out the same was told to give "bars 4 or
    more", a setting it had not set: the advice names the length that was."""
    with (
        running_server(models_dir, generate=made(4)) as srv,  # the same notes every take
        RawClient(srv.address) as raw,
    ):
        raw.send(P.SET, "variations", 2)
        raw.send(P.SET, setting, value)
        raw.until(P.PARAM)
        raw.drain(0.2)
        upload(raw, 3, phrase(n=4))
        raw.until(P.SEED_STORED)
        raw.send(P.CONTINUE, 1.0)
        label = raw.until(P.LABEL_STATUS)[-1].args[0]
    assert "varies only in a 4-bar phrase's last bar; " + advice in label
    assert "bars 4" not in label


@pytest.fixture
def live_bridge(models_dir, reply_port) -> Iterator[tuple[AbletonOSCStandin, LiveSet, object]]:
    live_set = keys_set([FakeClip("riff", 4.0, riff()), None, None, FakeClip("keep"), None])
    with (
        AbletonOSCStandin(live_set, reply_port) as standin,
        running_server(
            models_dir,
            abletonosc=("127.0.0.1", standin.port),
            abletonosc_reply_port=reply_port,
            abletonosc_timeout=2.0,
        ) as server,
    ):
        yield standin, live_set, server


def test_a_touchosc_button_continues_the_selected_clip_through_the_bridge(live_bridge) -> None:
    standin, live_set, server = live_bridge
    with RawClient(server.address) as touchosc:
        touchosc.send(P.SET, "variations", 3.0)  # floats, as TouchOSC sends them
        touchosc.send("/segue/fader/bars", 0.0)  # 1 bar
        touchosc.send(P.SET, "rng_seed", 11.0)
        touchosc.drain(0.2)
        touchosc.send(P.LIVE_CONTINUE, 0.0)  # a release: ignored
        assert touchosc.drain(0.3) == []
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        replies = touchosc.until(P.DONE, timeout=60)
        labels = [
            m.args[0]
            for m in touchosc.until(P.LABEL_STATUS, timeout=5)
            if m.address == P.LABEL_STATUS
        ]
    addresses = [m.address for m in replies]
    assert addresses[:2] == [P.STATUS, P.STATUS]
    clips = [m.args for m in replies if m.address == P.LIVE_CLIP]
    assert [(rid, track, scene, name) for rid, track, scene, _, _, name in clips] == [
        (0, 0, 1, "riff segue 1"),
        (0, 0, 2, "riff segue 2"),
        (0, 0, 4, "riff segue 3"),
    ]
    assert all(length == 4.0 for *_, length, _ in clips)
    done = replies[-1].args
    assert done[0] == 0 and done[1] == 3 and done[3] == 11
    progress = [m.args[0] for m in replies if m.address == P.LABEL_STATUS]
    assert progress[0] == "reading the clip in Live" and "generating from 16 notes" in progress
    assert labels[-1].startswith("3 clips in scenes 2,3,5 of track 1, ")
    slots = live_set.tracks[0].slots
    for _, _, scene, notes, _, name in clips:
        written = slots[scene]
        assert isinstance(written, FakeClip) and written.name == name
        assert len(written.notes) == notes and written.length == 4.0
    assert slots[3].name == "keep" and writes_to(standin, 0, 0) == []


def test_live_takes_that_came_out_the_same_are_said_so(models_dir, reply_port) -> None:
    """TouchOSC's Live button wrote 2 clips of the same notes into the set, and its status
    line said nothing of it, where the device's own button request says so."""
    live_set = keys_set([FakeClip("riff", 4.0, riff()), None, None])
    with (
        AbletonOSCStandin(live_set, reply_port) as standin,
        running_server(
            models_dir,
            generate=made(4),  # the same notes every take
            abletonosc=("127.0.0.1", standin.port),
            abletonosc_reply_port=reply_port,
            abletonosc_timeout=2.0,
        ) as server,
        RawClient(server.address) as touchosc,
    ):
        touchosc.send(P.SET, "variations", 2.0)
        touchosc.drain(0.2)
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        touchosc.until(P.DONE, timeout=60)
        label = touchosc.until(P.LABEL_STATUS, timeout=5)[-1].args[0]
    assert label.startswith("2 clips in scenes 2-3 of track 1, 8 notes, ")
    assert label.endswith(
        "; all 2 takes are the same notes: the loop is kept note for note and varies only in "
        "a 4-bar phrase's last bar; give bars 4 or more"  # a melodic model: no fills
    )


def test_bridge_errors_from_live_are_answered_and_the_bridge_keeps_serving(live_bridge) -> None:
    standin, live_set, server = live_bridge
    live_set.selected = (0, 1)  # an empty slot
    with RawClient(server.address) as touchosc:
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        rid, code, text = touchosc.error(timeout=30)
        assert (rid, code) == (0, "no_clip") and "no clip in the selected slot" in text
        assert touchosc.until(P.LABEL_STATUS).pop().args == (f"error: no_clip: {text}",)
        touchosc.send(P.PING, 5.0)
        assert touchosc.until(P.PONG)[-1].args[0] == 5
    assert live_set.tracks[0].slots[1] is None


def test_bridge_says_when_no_slot_is_left_and_live_adds_no_scene(live_bridge) -> None:
    standin, live_set, server = live_bridge
    slots = live_set.tracks[0].slots
    slots[1:] = [FakeClip(f"take {i}") for i in range(1, len(slots))]
    live_set.max_scenes = live_set.num_scenes
    with RawClient(server.address) as touchosc:
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        rid, code, text = touchosc.error(timeout=30)
    assert (rid, code) == (0, "no_empty_slot")
    assert "Maximum number of scenes reached" in text and "no empty clip slot" in text
    assert [s.name for s in slots] == ["riff", "take 1", "take 2", "take 3", "take 4"]


def test_bridge_reports_live_not_answering(models_dir, reply_port) -> None:
    with (
        silent_port() as silent,  # held and read by no one: Live does not answer there
        running_server(
            models_dir,
            abletonosc=("127.0.0.1", silent),
            abletonosc_reply_port=reply_port,
            abletonosc_timeout=0.3,
        ) as server,
        RawClient(server.address) as touchosc,
    ):
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        rid, code, text = touchosc.error(timeout=10)
        assert (rid, code) == (0, "live_timeout") and "AbletonOSC" in text


def test_a_melodic_model_named_for_a_drum_rack_s_clip_is_refused(live_bridge) -> None:
    """TouchOSC's Live button with the model set to a melodic one, on a Drum Rack's track,
    wrote its notes into the rack as drum pads: refused now, as `segue generate` does."""
    from segue.bridge.abletonosc.track import DRUM_RACK

    standin, live_set, server = live_bridge
    live_set.tracks[0].devices = (DRUM_RACK,)
    with RawClient(server.address) as touchosc:
        touchosc.send(P.MODEL, "tiny")
        touchosc.drain(0.2)
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        rid, code, text = touchosc.error(timeout=30)
        assert (rid, code) == (0, "melodic_model")
        assert text == (
            "the clip is a drum part, and tiny is a melodic model: its notes would play as "
            "drum pads; choose the drum model or auto"
        )
        touchosc.send(P.PING, 6.0)
        assert touchosc.until(P.PONG)[-1].args[0] == 6
    assert writes_to(standin, 0, 1) == [] and live_set.tracks[0].slots[1] is None


def test_a_range_with_no_room_for_a_part_s_octaves_is_said(models_dir) -> None:
    """An octave bass under low 40 and high 50 (narrower than its octave): `segue generate`
    said its takes could not keep the shape, and the device's label said nothing."""
    from segue.notes import Clip, Note

    bass = (36, 36, 36, 39, 41, 41, 43, 46) * 2
    octaves = Clip(
        tuple(Note(r + s, 0.5 * i, 0.4, 96) for i, r in enumerate(bass) for s in (0, 12))
    )
    with running_server(models_dir) as srv, RawClient(srv.address) as raw:
        raw.send(P.SET, "variations", 2)
        raw.send(P.SET, "low", 40.0)
        raw.send(P.SET, "high", 50.0)
        raw.until(P.PARAM)
        raw.drain(0.3)
        upload(raw, 3, octaves)
        raw.until(P.SEED_STORED)
        raw.send(P.CONTINUE, 1.0)
        label = raw.until(P.LABEL_STATUS)[-1].args[0]
    assert "the range 40-50 is narrower than the clip's octaves (12 semitones)" in label, label


def test_a_slip_kept_by_key_auto_is_said_in_the_label_and_the_status_line(models_dir) -> None:
    """A C F Am G bass in 8ths with one Bb2 for A2 (bar 3, beat 3.5): `segue generate --key
    auto` named the slip and the key that leaves it out, and the device's label said
    nothing, though the key menu's auto keeps it in every take; with the key named, nothing
    is said."""
    from segue.notes import Clip, Note

    bars = [[36, 36, 43, 36] * 2, [41, 41, 48, 41] * 2, [45, 45, 52, 45] * 2, [43, 43, 50, 43] * 2]
    bars[2][5] = 46
    bass = Clip(
        tuple(
            Note(p, 4 * b + 0.5 * i, 0.4, 96)
            for b, bar in enumerate(bars)
            for i, p in enumerate(bar)
        )
    )
    labels, said = {}, {}
    for key in ("auto", "C major"):
        with running_server(models_dir) as srv, RawClient(srv.address) as raw:
            raw.send(P.SET, "variations", 2)
            raw.send(P.SET, "key", key)
            raw.until(P.PARAM)
            raw.drain(0.3)
            upload(raw, 3, bass)
            raw.until(P.SEED_STORED)
            raw.send(P.CONTINUE, 1.0)
            labels[key] = raw.until(P.LABEL_STATUS)[-1].args[0]
            upload(raw, 4, bass)  # as the device asks: its status line is done's said
            raw.until(P.SEED_STORED)
            raw.send(P.GENERATE, 4, "bars", 1, "key", key)
            said[key] = raw.until(P.DONE)[-1].args[6]
    assert (
        "A#2 at bar 3 beat 3.5 is played once and off C major, a slip? --key auto reads F major "
        "with it; --key C-major leaves it out of the takes" in labels["auto"]
    ), labels
    assert "slip" not in labels["C major"], labels
    # the device's status line said nothing of it (helper-176); in its terms, its Key lock's
    assert said == {
        "auto": "A#2 at bar 3 beat 3.5 is played once and off C major, a slip? Key lock auto "
        "keeps it in the takes; mend it in the clip, or set Live's scale to C major under Key "
        "lock live",
        "C major": "",
    }, said


def test_auto_s_drum_model_for_a_beat_on_a_melodic_channel_is_said_with_why(
    models_dir, caplog
) -> None:
    """Under auto, a part on a melodic channel that looks like a beat (a Drum Rack's clip,
    exported on channel 1) is played by the drum model, and the bridge's log said "drums"
    and nothing of why: a musician whose clip went to the drum model could not tell why nor
    how to have it played as notes. The log and the label now say it, as ``segue generate``
    does; a piano left hand in G on the same notes (G2, then B2+D3 twice: a tom, toms, a hat
    in its D7) is no beat, and nothing is said."""
    import logging

    from segue.bridge.jobs import BEAT
    from segue.notes import Clip, Note

    house = [Note(36, float(b), 0.25, 115) for b in range(8)]
    house += [Note(39, b + 1.0, 0.25, 100) for b in range(0, 8, 2)]
    house += [Note(42, b + 0.5, 0.25, 80) for b in range(8)]
    beat = Clip(tuple(sorted(house, key=lambda n: (n.start, n.pitch))), 8.0)
    chords = [(43, (47, 50)), (38, (45, 50)), (36, (45, 48)), (38, (42, 48))]
    waltz = [
        Note(p, 3.0 * bar + k, 0.9, 90)
        for bar, (bass, dyad) in enumerate(chords * 2)
        for k, struck in ((0, (bass,)), (1, dyad), (2, dyad))
        for p in struck
    ]
    left_hand = Clip(tuple(waltz), 24.0)
    labels = {}
    with (
        caplog.at_level(logging.INFO, logger="segue.bridge"),
        running_server(models_dir, model="auto") as srv,
        RawClient(srv.address) as raw,
    ):
        for rid, clip in enumerate((beat, left_hand), start=3):
            upload(raw, rid, clip)
            raw.until(P.SEED_STORED)
            raw.send(P.CONTINUE, 1.0)
            labels[rid] = raw.until(P.LABEL_STATUS)[-1].args[0]
    assert labels[3].endswith(f" ms; {BEAT}"), labels  # "1 variation, 41 notes, drums, 43 ms"
    assert ", drums, " not in labels[4] and BEAT not in labels[4], labels
    assert caplog.text.count(f": {BEAT}") == 1, caplog.text


def test_done_says_how_a_beat_on_a_melodic_channel_was_played(models_dir) -> None:
    """The device's status line is made of ``done``: a Drum Rack's clip on a melodic
    channel that auto gave the drum model said only "drums" there, and a hat loop or a jazz
    ride part continued as notes got no word in Live, where ``segue generate`` said to give
    --model drums (helper-172). ``done`` now says it (its ``said``, as the label says it); a
    brush beat (its snare swirling under the ride, a kick on 1) stays notes and is told so,
    as a keyboard's ostinato under swung chords is note for note alike (helper-178), and so
    is a 12/8 brush feel, read in the meter the device sends (helper-189); a piano left hand
    on the same notes, and a beat sent as drums, say nothing; the drum model named for the
    left hand says it plays it as pads, as generate says it."""
    from segue.bridge.jobs import BEAT, NOTES, PADS
    from segue.notes import Clip, Note, TimeSignature

    house = [Note(36, float(b), 0.25, 115) for b in range(8)]
    house += [Note(39, b + 1.0, 0.25, 100) for b in range(0, 8, 2)]
    house += [Note(42, b + 0.5, 0.25, 80) for b in range(8)]
    hats = [Note(42, b / 2, 0.25, 80) for b in range(16)]
    hats += [Note(39, b + 1.0, 0.25, 100) for b in range(0, 8, 2)]
    swing = (0.0, 1.0, 1 + 2 / 3, 2.0, 3.0, 3 + 2 / 3)
    ride = [Note(51, 4.0 * bar + t, 0.25, 90) for bar in range(2) for t in swing]
    ride += [Note(44, 4.0 * bar + t, 0.25, 70) for bar in range(2) for t in (1.0, 3.0)]
    waltz = [Note(43, 0.0, 0.9, 90), Note(47, 1.0, 0.9, 90), Note(50, 1.0, 0.9, 90)]
    brush = [Note(51, 4.0 * bar + t, 0.25, 90) for bar in range(2) for t in swing]
    brush += [Note(38, i / 6, 0.1, 50) for i in range(48)]  # the swirl, in 16th triplets
    brush += [Note(36, 4.0 * bar, 0.25, 60) for bar in range(2)]
    blues = [Note(38, i / 2, 0.2, 50) for i in range(24)]  # 12/8: the swirl in 8ths
    blues += [Note(51, 1.5 * q, 0.25, 90) for q in range(8)]  # the ride on the dotted quarters
    blues += [Note(44, 1.5 + 3.0 * q, 0.25, 70) for q in range(4)] + [Note(36, 0.0, 0.25, 60)]
    clips = {
        "blues": Clip(tuple(blues), 12.0, TimeSignature(12, 8)),
        "house": Clip(tuple(sorted(house, key=lambda n: (n.start, n.pitch))), 8.0),
        "hats": Clip(tuple(sorted(hats, key=lambda n: (n.start, n.pitch))), 8.0),
        "ride": Clip(tuple(sorted(ride, key=lambda n: (n.start, n.pitch))), 8.0),
        "left hand": Clip(tuple(waltz), 3.0),
        "brush": Clip(tuple(sorted(brush, key=lambda n: (n.start, n.pitch))), 8.0),
    }
    said = {}
    with (
        running_server(models_dir, model="auto") as srv,
        RawClient(srv.address) as raw,
    ):
        for rid, (name, clip) in enumerate(clips.items(), start=3):
            upload(raw, rid, clip)
            raw.until(P.SEED_STORED)
            raw.send(P.GENERATE, rid, "bars", 1)
            said[name] = raw.until(P.DONE)[-1].args[6]
        upload(raw, 9, clips["house"])  # request ids 3-8: the clips above
        raw.until(P.SEED_STORED)
        raw.send(P.GENERATE, 9, "bars", 1, "drums", 1)
        said["house as drums"] = raw.until(P.DONE)[-1].args[6]
        for rid, name in ((10, "left hand"), (11, "house")):  # the drum model named
            upload(raw, rid, clips[name])
            raw.until(P.SEED_STORED)
            raw.send(P.GENERATE, rid, "bars", 1, "model", "drums")
            said[f"{name}, drums named"] = raw.until(P.DONE)[-1].args[6]
    assert said["house"] == BEAT, said
    assert said["hats"] == NOTES.format(part="a hat part", drums="drums"), said
    assert said["ride"] == said["brush"] == NOTES.format(part="a ride part", drums="drums"), said
    assert said["blues"] == said["ride"], said
    assert said["left hand"] == said["house as drums"] == said["house, drums named"] == "", said
    assert said["left hand, drums named"] == PADS.format(why="no kick, or notes off the drum kit")
    assert all(len(text) <= P.MAX_TEXT for text in said.values())


BASS = [[36, 36, 43, 36] * 2, [41, 41, 48, 41] * 2, [45, 45, 52, 45] * 2, [43, 43, 50, 43] * 2]
BASS[2][5] = 46  # a Bb2 for A2: bar 3, beat 3.5
WALK_UP = [(31, -1.5), (33, -1.0), (35, -0.5)]  # G1 A1 B1 before bar 1


def walked_bass() -> list[tuple[int, float, float, float, bool]]:
    """The C F Am G bass in 8ths with its Bb2 slip, after a G1 A1 B1 walk-up: as Live holds
    it, the walk-up before the clip's beat 0 (bar 1)."""
    notes = [(p, at, 0.4, 96.0, False) for p, at in WALK_UP]
    return notes + [
        (p, 4 * b + 0.5 * i, 0.4, 96.0, False)
        for b, bar in enumerate(BASS)
        for i, p in enumerate(bar)
    ]


def test_a_slip_after_a_pickup_is_said_in_live_s_bars_in_the_label(models_dir) -> None:
    """The device tells where bar 1 lies after a pickup (the begin's 6th argument): the
    label's slip line counted the bars from the seed's start, and after a pickup of a beat
    and a half every 8th off the beat fell on one, and the Bb2 was not told."""
    from segue.notes import Clip, Note

    seed = Clip(tuple(Note(p, s + 1.5, d, int(v)) for p, s, d, v, _ in walked_bass()), 17.5)
    with running_server(models_dir) as srv, RawClient(srv.address) as raw:
        raw.send(P.SET, "variations", 1)
        raw.send(P.SET, "key", "auto")
        raw.until(P.PARAM)
        raw.drain(0.3)
        upload(raw, 3, seed, downbeat=1.5)
        raw.until(P.SEED_STORED)
        raw.send(P.CONTINUE, 1.0)
        label = raw.until(P.LABEL_STATUS)[-1].args[0]
    assert "A#2 at bar 3 beat 3.5 is played once and off C major, a slip?" in label, label


def test_live_continue_tells_bar_1_after_a_pickup_and_says_a_slip_in_its_bars(
    models_dir, reply_port
) -> None:
    """/segue/live/continue read a clip whose start marker is moved back before bar 1 to
    hold a walk-up and continued it whole, the walk-up again at every take's start, and its
    slip line counted bars from the walk-up. It now tells generation where bar 1 lies, as
    the device does, and the label says the slip in Live's bars."""
    asked = []

    def generate(model, seed, params, should_stop):
        asked.append(params.downbeat)
        return made(8)(model, seed, params, should_stop)

    source = FakeClip("walk", 17.5, walked_bass(), loop_start=-1.5, start_marker=-1.5)
    with (
        AbletonOSCStandin(keys_set([source, None]), reply_port) as standin,
        running_server(
            models_dir,
            generate=generate,
            abletonosc=("127.0.0.1", standin.port),
            abletonosc_reply_port=reply_port,
            abletonosc_timeout=2.0,
        ) as server,
        RawClient(server.address) as touchosc,
    ):
        touchosc.send(P.SET, "variations", 1.0)
        touchosc.send(P.SET, "key", "auto")
        touchosc.drain(0.2)
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        touchosc.until(P.DONE, timeout=60)
        label = touchosc.until(P.LABEL_STATUS, timeout=5)[-1].args[0]
    assert asked == [1.5]
    assert "A#2 at bar 3 beat 3.5 is played once and off C major, a slip?" in label, label
