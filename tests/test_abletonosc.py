"""segue and Ableton Live through AbletonOSC: the real CLI and bridge against a stand-in Live.

The stand-in (tests/support/abletonosc_standin.py) is a real UDP server on loopback that
answers as AbletonOSC's source does, "Message too long" on big replies included.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from abletonosc_standin import AbletonOSCStandin, FakeClip, FakeTrack, LiveSet, free_udp_port

from segue.bridge import protocol as P
from segue.bridge.abletonosc import (
    SEND_LIMIT,
    AbletonOSC,
    LiveNote,
    note_chunks,
    parse_endpoint,
)
from segue.bridge.codec import encode
from segue.bridge.live_continue import clip_name, read_seed
from segue.bridge.testing import RawClient, running_server
from segue.errors import LiveTimeout, SegueError
from segue.grid import snap
from segue.notes import Clip, Note, TimeSignature

WRITES = (
    "/live/clip_slot/create_clip",
    "/live/clip/add/notes",
    "/live/clip/set/name",
    "/live/clip/remove/notes",
    "/live/clip_slot/delete_clip",
)


def riff() -> list[tuple[int, float, float, float, bool]]:
    """Four beats of sixteenths (Live sends velocities as floats, mute as a bool)."""
    return [(60 + (i * 5) % 12, i * 0.25, 0.25, 80.0 + i % 20, False) for i in range(16)]


def dense() -> list[tuple[int, float, float, float, bool]]:
    """1,500 notes: chords on 24 pitches, and 600 hi-hat 16ths on one pitch (one pitch alone
    is too long for one datagram, so time ranges are split too)."""
    notes = [(48 + i % 24, (i // 24) * 0.5, 0.5, 90.0, False) for i in range(900)]
    return notes + [(42, i * 0.0625, 0.0625, 70.0, False) for i in range(600)]


def keys_set(
    slots: list[FakeClip | None],
    selected: tuple[int | None, int] = (0, 0),
    signature: tuple[int, int] = (4, 4),
) -> LiveSet:
    bass = FakeTrack("Bass", [None] * len(slots))
    return LiveSet([FakeTrack("Keys", slots), bass], selected, signature)


@pytest.fixture
def reply_port() -> int:
    return free_udp_port()


@pytest.fixture(scope="module")
def tiny(models_dir):
    from segue.model.checkpoint import load_checkpoint

    return load_checkpoint(models_dir / "tiny.pt").model


def expected(model, clip: Clip, **params) -> list[list[tuple]]:
    from segue.model.generate import GenerationParams, generate

    result = generate(model, clip, GenerationParams(**params))
    return [
        [(n.pitch, n.start, n.duration, n.velocity) for n in v.clip.notes]
        for v in result.variations
    ]


def in_live(clip: FakeClip) -> list[tuple]:
    """A written clip's notes as segue meant them (float32 times snapped back to the grid)."""
    return sorted((p, snap(s), snap(d), int(v)) for p, s, d, v, _ in clip.notes)


def source_seed() -> Clip:
    return Clip(tuple(Note(p, s, d, int(v)) for p, s, d, v, _ in riff()), 4.0)


def writes_to(standin: AbletonOSCStandin, track: int, scene: int) -> list[str]:
    return [
        a
        for a, args in standin.handled
        if a in WRITES and len(args) >= 2 and (int(args[0]), int(args[1])) == (track, scene)
    ]


def live_cli(
    capsys, standin_port: int, reply_port: int, models_dir: Path, *args: object
) -> tuple[int, str, str]:
    """`segue live continue ... --model tiny` in this process (the real command, without a
    new Python)."""
    from segue.cli import main

    code = main(
        [
            "live",
            "continue",
            "--port",
            str(standin_port),
            "--reply-port",
            str(reply_port),
            "--timeout",
            "2",
            "--model",
            "tiny",
            "--models-dir",
            str(models_dir),
            *map(str, args),
        ]
    )
    out = capsys.readouterr()
    return code, out.out, out.err


# -- the command line -------------------------------------------------------------------------


def test_continue_writes_each_variation_into_the_next_empty_slots(
    segue_cli, models_dir, tiny, reply_port
) -> None:
    source = FakeClip("riff", 4.0, riff())
    keep = FakeClip("keep", 8.0, [(40, 0.0, 1.0, 100.0, False)])
    live_set = keys_set([source, None, keep, None, None])
    before = list(source.notes)
    with AbletonOSCStandin(live_set, reply_port) as standin:
        result = segue_cli(
            "live",
            "continue",
            "-n",
            "2",
            "--bars",
            "2",
            "--seed-rng",
            "7",
            "--model",
            "tiny",
            "--models-dir",
            models_dir,
            "--port",
            standin.port,
            "--reply-port",
            reply_port,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr
    slots = live_set.tracks[0].slots
    first, second = slots[1], slots[3]
    assert isinstance(first, FakeClip) and isinstance(second, FakeClip)
    assert (first.name, second.name) == ("riff segue 1", "riff segue 2")
    assert first.length == second.length == 8.0  # 2 bars of 4/4
    assert [in_live(first), in_live(second)] == [
        sorted(v) for v in expected(tiny, source_seed(), bars=2, variations=2, seed=7)
    ]
    assert slots[0] is source and source.notes == before and source.name == "riff"
    assert slots[2] is keep and keep.name == "keep" and len(keep.notes) == 1
    assert slots[4] is None and live_set.num_scenes == 5
    assert writes_to(standin, 0, 0) == [] and writes_to(standin, 0, 2) == []
    assert max(size for _, size in standin.sizes) <= SEND_LIMIT
    assert "track 1, scene 2: 'riff segue 1'" in result.stdout
    assert "track 1, scene 4: 'riff segue 2'" in result.stdout
    assert "16 notes, 4 beats of 4/4 (rng seed 7)" in result.stdout


def test_track_and_scene_options_count_from_one_and_a_missing_track_is_named(
    capsys, models_dir, reply_port
) -> None:
    live_set = keys_set([None, None, None])
    live_set.tracks[1].slots[1] = FakeClip("bassline", 4.0, riff())
    with AbletonOSCStandin(live_set, reply_port) as standin:
        code, out, err = live_cli(
            capsys, standin.port, reply_port, models_dir, "--track", 2, "--scene", 2, "--beats", 3
        )
        assert code == 0, err
        written = live_set.tracks[1].slots[2]
        assert isinstance(written, FakeClip) and written.name == "bassline segue 1"
        assert written.length == 3.0
        code, out, err = live_cli(
            capsys, standin.port, reply_port, models_dir, "--track", 5, "--scene", 1
        )
    assert code == 1 and err.strip() == "segue: error: there is no track 5: the set has 2 track(s)"


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
            while (message := live._next(time.monotonic() + 0.2)) is not None:
                messages.append(message)
            assert [m.address for m in messages] == ["/live/error"]
            assert "Message too long" in str(messages[0].args[0])
            notes = live.read_notes(0, 0, 0.0, 64.0)
            assert live.splits >= 8  # pitch halves, then time halves of the hi-hat's pitch
        code, out, err = live_cli(
            capsys, standin.port, reply_port, models_dir, "--notes", 300, "-n", 1, "--seed-rng", 3
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
    assert [(n.pitch, n.start) for n in seed.notes] == [(62, 0.0), (65, 2.0)]
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


def test_no_clip_selected_an_audio_clip_and_the_master_track_say_so(
    capsys, models_dir, reply_port
) -> None:
    audio = FakeClip("drums.wav", 4.0, is_midi_clip=False)
    live_set = keys_set([FakeClip("riff", 4.0, riff()), None, audio], selected=(0, 1))
    with AbletonOSCStandin(live_set, reply_port) as standin:
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, "selected")
        assert code == 1 and err.count("\n") == 1
        assert err.startswith(
            "segue: error: no clip in the selected slot (track 1, scene 2): click a MIDI clip"
        )
        live_set.selected = (0, 2)
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir)
        assert code == 1 and "the clip at track 1, scene 3 is an audio clip" in err
        live_set.selected = (None, 0)
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir)
        assert code == 1 and "selected track holds no clips (the master or a return" in err
    assert [s.name if s else None for s in live_set.tracks[0].slots] == ["riff", None, "drums.wav"]
    assert not [a for a, _ in standin.handled if a in WRITES]


def test_no_empty_slot_fails_before_generating_or_adds_scenes(
    capsys, models_dir, reply_port
) -> None:
    full = [FakeClip("riff", 4.0, riff()), FakeClip("a"), FakeClip("b")]
    live_set = keys_set(full)
    args = ("-n", 2, "--bars", 1)
    with AbletonOSCStandin(live_set, reply_port) as standin:
        code, out, err = live_cli(
            capsys, standin.port, reply_port, models_dir, "--no-new-scenes", *args
        )
        assert code == 1
        assert "track 1 has 0 empty clip slot(s) after scene 1 and 2 are needed" in err
        assert live_set.num_scenes == 3 and not [a for a, _ in standin.handled if a in WRITES]
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, *args)
    assert code == 0, err
    assert live_set.num_scenes == 5 and "added 2 scene(s) at the end of the set" in out
    assert [s.name for s in live_set.tracks[0].slots] == [
        "riff",
        "a",
        "b",
        "riff segue 1",
        "riff segue 2",
    ]
    assert live_set.tracks[1].slots == [None] * 5  # other tracks get empty slots


def test_live_not_answering_is_one_clear_line(segue_cli, models_dir, reply_port) -> None:
    silent = free_udp_port()
    started = time.monotonic()
    result = segue_cli(
        "live",
        "continue",
        "--model",
        "tiny",
        "--models-dir",
        models_dir,
        "--port",
        silent,
        "--reply-port",
        reply_port,
        "--timeout",
        "0.5",
    )
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith(
        f"segue: error: Ableton Live did not answer on udp 127.0.0.1:{silent} within 0.5 s"
    )
    for words in (
        "AbletonOSC listens on UDP 11000 and answers on 11001",
        "Remote Scripts",
        "Control Surface",
        "github.com/ideoforms/AbletonOSC",
    ):
        assert words in line
    assert time.monotonic() - started < 60


def test_a_taken_reply_port_is_named(capsys, reply_port) -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as holder:
        holder.bind(("127.0.0.1", reply_port))
        with pytest.raises(
            SegueError,
            match=f"cannot listen on udp 127.0.0.1:{reply_port} for "
            "AbletonOSC's answers: .*another AbletonOSC client",
        ):
            AbletonOSC("127.0.0.1", 11000, reply_port).open()


def test_endpoints_and_names() -> None:
    assert parse_endpoint("127.0.0.1:11000") == ("127.0.0.1", 11000)
    assert parse_endpoint("studio.local") == ("studio.local", 11000)
    assert parse_endpoint(":12000") == ("127.0.0.1", 12000)
    with pytest.raises(SegueError, match="HOST:PORT"):
        parse_endpoint("live:port")
    assert clip_name("  my   riff ", 2) == "my riff segue 2"
    assert clip_name("", 1) == "clip segue 1"
    assert len(clip_name("x" * 100, 12)) == 64


def test_a_silent_live_times_out_within_the_timeout(reply_port) -> None:
    with AbletonOSC("127.0.0.1", free_udp_port(), reply_port, timeout=0.3) as live:
        started = time.monotonic()
        with pytest.raises(LiveTimeout, match="AbletonOSC"):
            live.selected_clip()
    assert time.monotonic() - started < 2


# -- the bridge: segue serve --abletonosc -----------------------------------------------------


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


def test_bridge_errors_from_live_are_answered_and_the_bridge_keeps_serving(live_bridge) -> None:
    standin, live_set, server = live_bridge
    live_set.selected = (0, 1)  # an empty slot
    with RawClient(server.address) as touchosc:
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        rid, code, text = touchosc.error(timeout=30)
        assert (rid, code) == (0, "no_clip") and "no clip in the selected slot" in text
        assert touchosc.until(P.LABEL_STATUS).pop().args == ("error: no_clip",)
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


def test_a_bridge_without_abletonosc_says_how_to_start_one(models_dir) -> None:
    with running_server(models_dir) as server, RawClient(server.address) as touchosc:
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        rid, code, text = touchosc.error()
        assert (rid, code) == (0, "no_abletonosc") and "segue serve --abletonosc" in text


def test_bridge_reports_live_not_answering(models_dir, reply_port) -> None:
    with (
        running_server(
            models_dir,
            abletonosc=("127.0.0.1", free_udp_port()),
            abletonosc_reply_port=reply_port,
            abletonosc_timeout=0.3,
        ) as server,
        RawClient(server.address) as touchosc,
    ):
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        rid, code, text = touchosc.error(timeout=10)
        assert (rid, code) == (0, "live_timeout") and "AbletonOSC" in text


class Serve:
    """`segue serve` as a process, its output collected."""

    def __init__(self, *args: object) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "segue", "serve", *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if text in line:
                    return line
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} in {self.lines[-5:]}")


def test_segue_serve_abletonosc_process(models_dir, reply_port) -> None:
    live_set = keys_set([FakeClip("riff", 4.0, riff()), None])
    with AbletonOSCStandin(live_set, reply_port) as standin:
        serve = Serve(
            "--port",
            0,
            "--model",
            "tiny",
            "--models-dir",
            models_dir,
            "--abletonosc",
            f"127.0.0.1:{standin.port}",
            "--abletonosc-reply-port",
            reply_port,
        )
        try:
            port = int(serve.wait_for("listening on udp").split(":")[1].split()[0])
            line = serve.wait_for("Live through AbletonOSC")
            assert f"udp 127.0.0.1:{standin.port} (answers on {reply_port})" in line
            with RawClient(("127.0.0.1", port)) as touchosc:
                touchosc.send(P.LIVE_CONTINUE, 1.0)
                replies = touchosc.until(P.DONE, timeout=60)
            assert [m.args[1:3] for m in replies if m.address == P.LIVE_CLIP] == [(0, 1)]
            serve.wait_for("Live: 1 clip in scene 2 of track 1")
        finally:
            serve.proc.send_signal(signal.SIGINT)
            assert serve.proc.wait(20) == 0
    written = live_set.tracks[0].slots[1]
    assert isinstance(written, FakeClip) and written.name == "riff segue 1"
    assert written.length == 16.0  # the bridge's default: 4 bars


def test_the_standin_is_faithful_where_segue_relies_on_it(reply_port) -> None:
    """Answers echo the indices asked, TouchOSC floats are cast, setters answer nothing."""
    live_set = keys_set([FakeClip("riff", 4.0, riff()), None])
    with (
        AbletonOSCStandin(live_set, reply_port) as standin,
        AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live,
    ):
        assert live.ask("/live/clip/get/name", 0.0, 0.0) == ("riff",)
        assert live.ask("/live/clip_slot/get/has_clip", 0, 1) == (False,)
        live.set_clip_name(0, 0, "renamed")
        assert live.ask("/live/clip/get/name", 0, 0) == ("renamed",)
        assert live.drain() == 0
