"""`segue serve`, `segue send`, `segue ping` and `segue protocol` as real processes, and
`segue send` and `ping` in this process (``segue_main``) where a test reads only their exit
code, what they print (in part: a whole stderr compared, or none, is a process's, with any
warning a library prints there) and the files they write."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import typing
from pathlib import Path

import numpy as np
import pytest
from abletonosc_standin import AbletonOSCStandin, FakeClip, reply_port_taken
from console_events import Console
from ctrl_c import NEW_GROUP, interrupt
from live_sets import keys_set, riff
from ports import HeldPorts, retry_taken, silent_port
from serving import Serve

from segue.bridge import protocol as P
from segue.bridge.client import BridgeClient
from segue.bridge.docgen import render
from segue.bridge.server import BridgeServer, ServerConfig
from segue.bridge.testing import RawClient
from segue.cli.bridge_cmd import _stopped_by_signals
from segue.notes import Clip, Note

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

ROOT = Path(__file__).resolve().parents[3]
REEL = ROOT / "examples" / "seeds" / "reel.mid"


@pytest.fixture(scope="module")
def serve(models_dir):
    server = Serve(
        "--host",
        "0.0.0.0",
        "--allow",
        "127.0.0.1",
        "--port",
        "0",
        "--model",
        "tiny",
        "--models-dir",
        str(models_dir),
    )
    server.port = int(server.wait_for(r"listening on udp [\d.]+:(\d+)").group(1))
    yield server
    if server.proc.poll() is None:
        server.proc.kill()
        server.proc.wait()


def test_serve_says_where_it_listens_and_warns_about_an_open_host(serve) -> None:
    serve.wait_for(r"model tiny")
    serve.wait_for(r"warning: listening on 0\.0\.0\.0: anyone on your network can")
    serve.wait_for(r"answering only 127\.0\.0\.1/32")


def test_ping_prints_version_model_and_round_trip(serve, segue_main) -> None:
    result = segue_main("ping", "--port", serve.port)
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"segue bridge \S+ at 127\.0\.0\.1:\d+: model tiny, protocol 1, "
        r"[\d.]+ ms round trip",
        result.stdout,
    )


def test_send_continues_a_midi_file_through_the_bridge(
    serve, segue_main, models_dir, tmp_path
) -> None:
    from segue.midi_io import read_midi
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    out = tmp_path / "next.mid"
    result = segue_main(
        "send",
        REEL,
        "--port",
        serve.port,
        "-n",
        "2",
        "--notes",
        "6",
        "-t",
        "0.9",
        "--rng-seed",
        "7",
        "-o",
        out,
    )
    assert result.returncode == 0, result.stderr
    assert "2 variations," in result.stdout and "rng seed 7)" in result.stdout
    assert "model tiny:" in result.stdout  # no key lock: no key said
    model = load_checkpoint(models_dir / "tiny.pt").model
    want = generate(
        model, read_midi(REEL), GenerationParams(notes=6, variations=2, rng_seed=7, temperature=0.9)
    )
    for i, variation in enumerate(want.variations, 1):
        written = read_midi(tmp_path / f"next-{i}.mid")
        assert written.notes == variation.clip.notes
    line = serve.wait_for(
        r"127\.0\.0\.1:\d+ request (\d+): (\d+) notes in, (\d+) notes out "
        r"\(2 variations\), tiny, \d+ ms"
    )
    assert int(line.group(2)) == len(read_midi(REEL)) and int(line.group(3)) == 12

    again = segue_main("send", REEL, "--port", serve.port, "-n", "2", "-o", out)
    assert again.returncode == 1 and "already exists" in again.stderr and "--force" in again.stderr


def _played_take(path: Path, channel: int = 0) -> Path:
    """Four bars of eighths played 5 to 30 ms off the grid at 120 BPM (480 ticks a beat),
    lengths of all sorts; two notes start, and one ends, exactly on a half tick of segue's
    grid (10 ticks of the file), where float32 and float64 round apart."""
    import mido

    generator = np.random.default_rng(11)
    file = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    file.tracks.append(track)
    track.append(mido.MetaMessage("set_tempo", tempo=500_000))
    events = []
    for i in range(32):
        late = int(generator.choice([-1, 1]) * generator.integers(5, 30)) * 2  # ms to ticks
        start = max(0, i * 240 + (10 if i in (1, 4) else late))  # 250 and 970: half ticks
        end = 1210 if i == 2 else start + int(generator.integers(60, 230))  # ends on one
        pitch = 60 + (7 * i) % 12
        events += [(start, 1, pitch, 70 + i), (end, 0, pitch, 0)]
    now = 0
    for tick, on, pitch, velocity in sorted(events):
        kind = "note_on" if on else "note_off"
        track.append(
            mido.Message(kind, channel=channel, note=pitch, velocity=velocity, time=tick - now)
        )
        now = tick
    file.save(path)
    return path


def test_send_writes_the_continuation_on_the_seed_track_s_instrument(
    serve, segue_main, tmp_path
) -> None:
    """A bass seed (GM 33) came back from `send` as program 0: a piano."""
    import mido
    from midi_files import off, on, write_events

    bass = [(0, mido.Message("program_change", channel=1, program=33))]
    for i in range(8):
        bass += [(i * 240, on(40, channel=1)), (i * 240 + 200, off(40, channel=1))]
    seed = write_events(tmp_path / "bass.mid", [bass])
    out = tmp_path / "next.mid"
    args = ("--port", serve.port, "--timeout", "60", "--notes", "4", "-o", out)
    result = segue_main("send", seed, *args)  # a busy test machine: not the default 5 s
    assert result.returncode == 0, result.stderr
    programs = [
        m.program for t in mido.MidiFile(out).tracks for m in t if m.type == "program_change"
    ]
    assert programs == [33]


def test_variations_cut_at_the_request_limit_end_at_their_last_note_and_send_says_so(
    models_dir, segue_main, tmp_path
) -> None:
    """16 variations of 64 bars were cut to 512 notes each but kept their 64 bars: clips
    that went silent half way, and nothing said so (helper-44)."""
    from bridge_requests import made

    from segue.bridge.testing import running_server
    from segue.midi_io import read_midi

    out = tmp_path / "long.mid"
    with running_server(models_dir, generate=made(2048)) as srv:  # 2048 8ths: 64 bars
        args = ("--port", srv.address[1], "--bars", "64", "-n", "16", "--timeout", "60")
        result = segue_main("send", REEL, *args, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "the variations were cut at 512 notes, segue's most for 16 variations" in result.stderr
    for i in range(1, 17):
        clip = read_midi(tmp_path / f"long-{i}.mid")
        assert len(clip) == 512 and clip.length == 64.0, (i, clip.length)  # 512 8ths


def test_generate_cuts_takes_at_their_share_of_notes_as_the_bridge_does_and_says_so(
    models_dir, segue_main, tmp_path, monkeypatch
) -> None:
    """The bridge cut 16 takes of 64 bars at their share of notes (512) and `segue generate`
    did not, so the two wrote other notes from one request; and a take cut at 510 notes (a
    chord left out whole) ended at bar 22 of 64 without a word (helper-62)."""
    from bridge_requests import made

    import segue.model.generate
    from segue.bridge.testing import running_server
    from segue.midi_io import read_midi

    fake = made(2048)
    monkeypatch.setattr(
        segue.model.generate,
        "generate",
        lambda model, seed, params, **_: fake(model, seed, params, None),
    )
    asked = ("--bars", "64", "-n", "16", "--rng-seed", "1")
    made_here = segue_main(
        "generate",
        REEL,
        *asked,
        "--models-dir",
        models_dir,
        "--model",
        "tiny",
        "-o",
        tmp_path / "g.mid",
    )
    assert made_here.returncode == 0, made_here.stderr
    with running_server(models_dir, generate=fake) as srv:
        sent = segue_main(
            "send",
            REEL,
            *asked,
            "--port",
            srv.address[1],
            "--timeout",
            "60",
            "-o",
            tmp_path / "s.mid",
        )
    assert sent.returncode == 0, sent.stderr
    for result in (made_here, sent):
        assert "the variations were cut at 512 notes, segue's most for 16" in result.stderr
    for i in (1, 16):
        here, there = read_midi(tmp_path / f"g-{i}.mid"), read_midi(tmp_path / f"s-{i}.mid")
        assert len(here) == 512 and here.notes == there.notes and here.length == there.length

    # no length given: every take cut, and send still says so (it took the longest take for
    # the length asked, helper-67); one take: its own cap, not "fewer variations"
    def dense(model, seed, params, should_stop):  # 4 bars (the default) of 40-note chords
        from segue.model.generate import GenerationResult, Variation

        notes = tuple(Note(40 + k, i / 8, 1 / 8, 90) for i in range(128) for k in range(40))
        clip = Clip(notes, 16.0)
        return GenerationResult(
            tuple(Variation(clip, seed.length) for _ in range(params.variations)),
            seed,
            None,
            1,
            params=params,
        )

    with running_server(models_dir, generate=dense) as srv:
        sent = segue_main(
            "send",
            REEL,
            "-n",
            "16",
            "--port",
            srv.address[1],
            "--timeout",
            "60",
            "-o",
            tmp_path / "d.mid",
        )
    assert "the variations were cut at 512 notes" in sent.stderr, sent.stderr
    monkeypatch.setattr(
        segue.model.generate,
        "generate",
        lambda model, seed, params, **_: dense(model, seed, params, None),
    )
    one = segue_main(
        "generate", REEL, "--models-dir", models_dir, "--model", "tiny", "-o", tmp_path / "one.mid"
    )
    assert "the variation was cut at 2048 notes, segue's most for one" in one.stderr
    assert "fewer variations" not in one.stderr


def test_send_gives_what_generate_gives_for_a_played_take(serve, segue_main, tmp_path) -> None:
    """`segue send take.mid --rng-seed 1 -n 4` and `segue generate` gave other notes for a
    take played off the grid: the bridge rounded each note's start and duration apart (7 of
    32 notes a tick away from where generate puts them), and float32 moved times on a half
    tick to the other side. Each note's start and end now snap, as generate snaps them."""
    from segue.grid import to_ticks
    from segue.midi_io import read_midi

    take = _played_take(tmp_path / "take.mid")
    same = ("--model", "producer", "--rng-seed", "1", "-n", "4")  # producer keeps the loop
    sent = segue_main("send", take, "--port", serve.port, *same, "-o", tmp_path / "A")
    assert sent.returncode == 0, sent.stderr
    made = segue_main("generate", take, *same, "-o", tmp_path / "B")
    assert made.returncode == 0, made.stderr
    notes = read_midi(take).notes
    apart = [to_ticks(n.start) + to_ticks(n.duration) != to_ticks(n.end) for n in notes]
    assert sum(apart) >= 3  # the take has notes whose duration rounded alone ends elsewhere
    from segue.grid import clip_rows

    off = 0
    for i in range(1, 5):
        sent_clip, made_clip = (
            read_midi(tmp_path / f"A-{i}.mid"),
            read_midi(tmp_path / f"B-{i}.mid"),
        )
        assert clip_rows(sent_clip).tolist() == clip_rows(made_clip).tolist()  # on the grid
        for sent_note, made_note in zip(sent_clip.notes, made_clip.notes, strict=True):
            assert (sent_note.start, sent_note.end) == pytest.approx(
                (made_note.start, made_note.end), abs=1e-3
            )  # as played, as the files' ticks keep it: on a half tick too (helpers 40, 44)
        off += sum(round(n.start * 24, 6) % 1 != 0 for n in made_clip.notes)
    assert off  # both play the take's repeats with its timing off the grid: `send` sends the
    # take's times as the device does (as played, where float32 keeps their ticks)


def test_send_downbeat_tells_the_bridge_where_bar_1_lies(serve, segue_main, tmp_path) -> None:
    """`segue send --downbeat 1.5` says where bar 1 lies in its upload, as the device does
    for a clip whose start marker is before bar 1: the takes are generate's with it."""
    from segue.midi_io import read_midi, write_midi

    pickup = tuple(Note(p, 0.5 * i, 0.375, 90) for i, p in enumerate((35, 36, 38)))
    body = tuple(Note(40 + (i % 4 == 3) * 3, 1.5 + i, 0.75, 96) for i in range(16))
    seed = tmp_path / "walk.mid"
    write_midi(Clip(pickup + body, 17.5), seed)
    same = ("--downbeat", "1.5", "--model", "producer", "--rng-seed", "4", "-n", "2")
    port = ("--port", serve.port, "--timeout", "60")  # a busy test machine: not the default 5 s
    sent = segue_main("send", seed, *port, *same, "-o", tmp_path / "A")
    assert sent.returncode == 0, sent.stderr
    made = segue_main("generate", seed, *same, "-o", tmp_path / "B")
    assert made.returncode == 0, made.stderr
    untold = segue_main("generate", seed, *same[2:], "-o", tmp_path / "C")
    assert untold.returncode == 0, untold.stderr
    for i in (1, 2):
        got = read_midi(tmp_path / f"A-{i}.mid").notes
        assert got == read_midi(tmp_path / f"B-{i}.mid").notes
        assert got != read_midi(tmp_path / f"C-{i}.mid").notes
        assert (got[0].pitch, got[0].start) == (40, 0.0)


def test_send_downbeat_says_a_slip_in_the_bars_from_bar_1(serve, segue_main, tmp_path) -> None:
    """`segue send --downbeat 1.5 --key auto` of a bass with a Bb2 slip (bar 3, beat 3.5)
    after a G1 A1 B1 walk-up: its slip line counted bars from the file's start, where every
    8th off the beat fell on one, and said nothing; it now counts them from bar 1."""
    from segue.midi_io import write_midi

    bass = [[36, 36, 43, 36] * 2, [41, 41, 48, 41] * 2, [45, 45, 52, 45] * 2, [43, 43, 50, 43] * 2]
    bass[2][5] = 46
    walk = tuple(Note(p, 0.5 * i, 0.4, 96) for i, p in enumerate((31, 33, 35)))
    body = tuple(
        Note(p, 1.5 + 4 * b + 0.5 * i, 0.4, 96)
        for b, bar in enumerate(bass)
        for i, p in enumerate(bar)
    )
    seed = tmp_path / "walk.mid"
    write_midi(Clip(walk + body, 17.5), seed)
    port = ("--port", serve.port, "--timeout", "60")
    sent = segue_main(
        "send", seed, *port, "--downbeat", "1.5", "--key", "auto", "-o", tmp_path / "A"
    )
    assert sent.returncode == 0, sent.stderr
    assert "A#2 at bar 3 beat 3.5 is played once and off C major, a slip?" in sent.stderr


def test_send_with_the_seed_keeps_the_polyphony_limit_as_generate_does(
    serve, segue_main, models_dir, tmp_path
) -> None:
    """--include-seed --polyphony 1: the seed's last note, held over the clip's end, stops
    where the first new note takes its voice, in `send`'s file as in generate's."""
    from segue.midi_io import read_midi, write_midi
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    held = tmp_path / "held.mid"
    write_midi(Clip((Note(40, 0, 1), Note(45, 1, 2), Note(43, 3, 3)), 4.0), held)
    out = tmp_path / "next.mid"
    same = ("--beats", "4", "--polyphony", "1", "--include-seed", "--rng-seed", "3")
    result = segue_main("send", held, "--port", serve.port, *same, "-o", out)
    assert result.returncode == 0, result.stderr
    model = load_checkpoint(models_dir / "tiny.pt").model
    params = GenerationParams(beats=4, polyphony=1, include_seed=True, rng_seed=3)
    want = generate(model, read_midi(held), params).clips()[0]
    got = read_midi(out)

    def rounded(clip: Clip) -> list[tuple]:
        return [(n.pitch, round(n.start, 5), round(n.end, 5), n.velocity) for n in clip.notes]

    assert rounded(got) == rounded(want)
    assert got.notes[2].end == pytest.approx(min([n.start for n in got.notes[3:]] + [6.0]))


def test_with_no_seed_the_seed_included_adds_no_silent_bar(
    serve, segue_main, models_dir, tmp_path
) -> None:
    """--include-seed without a seed file: there is no seed to put first, so the file is the
    take alone. The empty seed's bar was added after the take: a 4-bar loop came out as 5
    bars, its last one silent, from `generate` and `send` alike."""
    from segue.midi_io import read_midi

    asked = ("--bars", "4", "--include-seed", "--rng-seed", "3")
    made = segue_main(
        "generate", "--model", "tiny", "--models-dir", models_dir, *asked, "-o", tmp_path / "g"
    )
    assert made.returncode == 0, made.stderr
    sent = segue_main("send", "--port", serve.port, *asked, "-o", tmp_path / "s")
    assert sent.returncode == 0, sent.stderr
    for name in ("g.mid", "s.mid"):
        clip = read_midi(tmp_path / name)
        assert clip.notes and clip.notes[0].start < 4.0, name  # it begins at once
        assert clip.length == 16.0, (name, clip.length)  # 4 bars, no 5th of silence


def test_send_prints_the_bridges_error(serve, segue_main, tmp_path) -> None:
    result = segue_main(  # each length is in range (send checks those); all together are not
        "send", REEL, "--port", serve.port, "--notes", "2048", "-n", "16", "-o", tmp_path / "x.mid"
    )
    assert result.returncode == 1
    assert "too_long" in result.stderr and "a request may have at most 8192" in result.stderr
    assert not (tmp_path / "x.mid").exists()


def test_send_says_a_played_wrong_note_as_generate_and_the_device_do(
    serve, segue_main, tmp_path
) -> None:
    """A C F Am G bass in 8ths with one Bb2 for the A2 of bar 3, beat 3.5 (a neighbour key
    caught): `segue generate --key auto` and the device's status line named it, `segue send
    --key auto` said nothing. It says the line now; with `--key C-major` (as the line
    advises) nothing is said."""
    import pretty_midi

    bars = [[36, 36, 43, 36] * 2, [41, 41, 48, 41] * 2, [45, 45, 52, 45] * 2, [43] * 8]
    bars[2][5] = 46
    midi = pretty_midi.PrettyMIDI(initial_tempo=120)
    bass = pretty_midi.Instrument(program=33)
    for b, bar in enumerate(bars):
        for i, pitch in enumerate(bar):
            at = 2 * b + 0.25 * i  # seconds at 120 BPM: an 8th is a quarter of a second
            bass.notes.append(pretty_midi.Note(96, pitch, at, at + 0.2))
    midi.instruments.append(bass)
    midi.write(str(tmp_path / "bass.mid"))
    for key, said in (("auto", True), ("C-major", False)):
        out = tmp_path / f"{key}.mid"
        args = ("--model", "producer", "--key", key, "--rng-seed", "1", "-o", out)
        result = segue_main("send", tmp_path / "bass.mid", "--port", serve.port, *args)
        assert result.returncode == 0, result.stderr
        named = "segue: A#2 at bar 3 beat 3.5 is played once and off C major, a slip?"
        assert (named in result.stderr) is said, result.stderr


def test_send_says_a_drum_file_is_drums_and_a_melodic_model_is_refused(
    serve, segue_cli, tmp_path
) -> None:
    """`segue send beat.mid --model melody` wrote the melodic model's notes as pads, where
    `segue generate` refused: send says the seed is drums, as the device does."""
    beat = ROOT / "examples" / "seeds" / "beat.mid"
    out = tmp_path / "x.mid"
    result = segue_cli("send", beat, "--port", serve.port, "--model", "tiny", "-o", out)
    assert result.returncode == 1 and not out.exists()
    assert result.stderr.strip().splitlines() == [
        "segue: error: the bridge answered melodic_model: the clip is a drum part, and tiny is "
        "a melodic model: its notes would play as drum pads; choose the drum model or auto"
    ]


def test_send_says_the_drum_model_named_for_a_melodic_part_plays_it_as_pads(
    serve, segue_cli, tmp_path
) -> None:
    """`segue send lead.mid --model drums` wrote drum pads on the lead's synth without a
    word; it says so in one line, as `segue generate` does (helper-69)."""
    lead = ROOT / "examples" / "seeds" / "lead.mid"
    out = tmp_path / "x.mid"
    args = ("send", lead, "--port", serve.port, "--notes", "4", "-o", out)
    result = segue_cli(*args, "--model", "drums")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"segue: drums is a drum model: it plays the notes of {lead}, which do not look like "
        "a General MIDI beat (no kick, or notes off the drum kit), as drum pads on the part's "
        "channel and instrument; for a melodic part, continue it with a melodic model or auto"
    ]
    plain = segue_cli(*args, "-f")
    assert plain.returncode == 0 and plain.stderr == ""
    from midi_files import gm_bass

    bass = gm_bass(tmp_path / "bass.mid")  # a bass line on GM drums: no beat
    on_kit = segue_cli("send", bass, "--port", serve.port, "--model", "drums", "-o", tmp_path / "b")
    assert on_kit.returncode == 0, on_kit.stderr
    assert "(one note at a time through 8 pitches, as a line moves)" in on_kit.stderr
    from midi_files import jazz_ride

    ride = jazz_ride(tmp_path / "ride.mid")  # no kick: told to give the drum model, as it is
    given = segue_cli("send", ride, "--port", serve.port, "--model", "drums", "-o", tmp_path / "r")
    assert given.returncode == 0 and given.stderr == ""


def test_send_refuses_a_seed_beyond_the_bridges_limits_as_the_device_does(
    segue_main, tmp_path
) -> None:
    from segue.midi_io import write_midi

    dense = tmp_path / "dense.mid"
    write_midi(
        Clip(tuple(Note(60 + i % 12, i * 0.125, 0.125, 90) for i in range(3000)), 375.0), dense
    )
    result = segue_main("send", dense, "--port", "9", "-o", tmp_path / "x.mid")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert (
        "3000 notes over 376 beats; the bridge takes at most 2048 notes" in result.stderr
    )  # whole bars


def test_send_says_when_fills_or_kit_do_nothing_on_a_clip_read_as_melodic(
    serve, segue_main, models_dir, tmp_path
) -> None:
    """A Drum Rack's clip exported from Live is on channel 1: read as a melodic part, it
    goes to a melodic model, and `--fills phrase` played no fill and said nothing. `segue
    send` says it in one line, as `segue generate` does, when the model is auto (the
    bridge's own, as its pong says, or named) or a bundled melodic one."""
    from segue.bridge.testing import running_server
    from segue.midi_io import write_midi

    hits = [Note(42 if i % 2 else 36, i * 0.5, 0.25, 100) for i in range(16)]
    beat = tmp_path / "beat.mid"
    write_midi(Clip(hits, 8.0), beat, channel=0)
    drums = tmp_path / "drums.mid"
    write_midi(Clip(hits, 8.0), drums, channel=9)
    said = (
        f"has no effect: {beat} was read as a melodic part (segue reads drums from MIDI "
        "channel 10); give --model drums to continue it as drums"
    )

    def send(port: int, *args: object) -> subprocess.CompletedProcess:
        out = tmp_path / "next.mid"
        result = segue_main("send", *args, "--port", port, "--notes", "4", "-o", out, "--force")
        assert result.returncode == 0, result.stderr
        return result

    with running_server(models_dir, model="auto") as bridge:
        port = bridge.address[1]
        assert send(port, beat, "--fills", "phrase").stderr.splitlines() == [
            f"segue: --fills {said}"
        ]
        named = send(port, beat, "--model", "melody", "--fills", "often", "--kit", "gm")
        have = said.replace("has", "have")
        assert named.stderr.splitlines() == [f"segue: --fills and --kit {have}"]
        for args in (
            (drums, "--fills", "phrase", "--kit", "gm"),  # read as drums: the drum model plays
            (beat, "--model", "drums", "--fills", "phrase"),  # the drum model, named
            (beat,),
            (beat, "--fills", "none", "--kit", "clip"),  # the defaults change nothing
        ):
            assert send(port, *args).stderr == "", args
        backbeat = tmp_path / "backbeat.mid"  # a beat with a snare: it looks like one
        write_midi(Clip((*hits, Note(38, 1.0, 0.25, 100), Note(38, 3.0, 0.25, 100)), 8.0), backbeat)
        drummed = send(port, backbeat, "--fills", "phrase")  # auto: the beat it looks like
        assert "model drums" in drummed.stdout
        assert drummed.stderr.splitlines() == [
            f"segue: {backbeat} looks like a drum beat on a melodic MIDI channel (a Drum "
            "Rack's clip exports on channel 1), so the drum model continues it on that "
            "channel; give --model producer (or another melodic model) to continue it as notes"
        ]
        assert send(port, backbeat, "--model", "producer").stderr.splitlines() == [
            f"segue: {backbeat} looks like a drum beat on a melodic MIDI channel (a Drum "
            "Rack's clip exports on channel 1; segue reads drums from channel 10), so a "
            "melodic model continues it; give --model drums to continue it as drums"
        ]
    # a model of the user's own (the bridge's "tiny") may be a drum model: nothing is said
    assert send(serve.port, beat, "--fills", "phrase").stderr == ""


def test_no_bridge_says_how_to_start_one(segue_cli, tmp_path) -> None:
    with silent_port() as port:  # held and read by no one: no bridge answers there
        result = segue_cli(
            "send", REEL, "--port", port, "--timeout", "0.5", "-o", tmp_path / "x.mid"
        )
    assert result.returncode == 1
    assert "no answer from a segue bridge" in result.stderr and "segue serve" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("where", ["/proc/x.mid", "FILE/x.mid"])
def test_send_says_in_one_line_when_it_cannot_write(serve, segue_cli, tmp_path, where) -> None:
    """Issue 15, row 6: a traceback when the output could not be written."""
    (tmp_path / "FILE").write_text("a file, not a folder", encoding="utf-8")
    out = where if where.startswith("/") else tmp_path / where
    result = segue_cli("send", REEL, "--port", serve.port, "--notes", "4", "-o", out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"segue: error: cannot write {out}: ")


def test_ctrl_c_stops_the_bridge_cleanly(serve) -> None:
    assert serve.stop() == 0
    serve.wait_for(r"segue bridge stopped")
    assert not any("Traceback" in line for line in serve.err)


def test_serve_refuses_an_unknown_model(models_dir) -> None:
    server = Serve("--port", "0", "--model", "nope", "--models-dir", str(models_dir))
    assert server.proc.wait(60) == 1
    server.wait_for(r"no model named 'nope' \(installed: [^)]*\btiny\b")


def test_an_empty_host_is_refused(segue_cli) -> None:
    """`serve --host ""` listened on every interface, its warning naming no address."""
    result = segue_cli("serve", "--host", "", "--port", "0")
    assert result.returncode == 2 and "Invalid value for '--host': is empty" in result.stderr


def test_protocol_check_command(segue_cli, tmp_path: Path) -> None:
    assert segue_cli("protocol", "--check", cwd=ROOT).returncode == 0
    stale = tmp_path / "protocol.md"
    stale.write_text(render().replace("9123", "9124"), encoding="utf-8")
    result = segue_cli("protocol", "--check", stale)
    assert result.returncode == 1 and "differs" in result.stderr
    binary = tmp_path / "seed.mid"
    binary.write_bytes(b"MThd\xe0\xff")  # no UTF-8: a traceback once
    result = segue_cli("protocol", "--check", binary)
    assert (
        result.returncode == 1 and "differs" in result.stderr and "Traceback" not in result.stderr
    )
    # -o keeps a file that exists unless -f says to replace it
    result = segue_cli("protocol", "-o", stale)
    assert result.returncode == 1 and "already exists; add -f" in result.stderr
    assert "9124" in stale.read_text(encoding="utf-8")
    assert segue_cli("protocol", "-o", stale, "-f").returncode == 0
    assert stale.read_text(encoding="utf-8") == render()


def test_segue_serve_abletonosc_process(models_dir, reply_port, held_ports: HeldPorts) -> None:
    live_set = keys_set([FakeClip("riff", 4.0, riff()), None])

    def start(reply_port: int) -> Serve:
        standin.answer_on(reply_port)
        serve = Serve(
            "--port",
            "0",
            "--model",
            "tiny",
            "--models-dir",
            str(models_dir),
            "--abletonosc",
            f"127.0.0.1:{standin.port}",
            "--abletonosc-reply-port",
            str(reply_port),
        )
        try:
            serve.wait_for("Live through AbletonOSC")
        except AssertionError:  # it stopped, and said why
            pass
        return serve

    def taken(serve: Serve, port: int) -> bool:
        return serve.proc.poll() is not None and reply_port_taken("\n".join(serve.err), port)

    with AbletonOSCStandin(live_set, reply_port) as standin:
        # the subprocess binds the reply port itself: tried again if another socket took it
        serve, reply_port = retry_taken(held_ports, reply_port, start, taken)
        try:
            port = int(serve.wait_for(r"listening on udp [\d.]+:(\d+)").group(1))
            line = serve.wait_for("Live through AbletonOSC").string
            assert f"udp 127.0.0.1:{standin.port} (answers on {reply_port})" in line
            with RawClient(("127.0.0.1", port)) as touchosc:
                touchosc.send(P.LIVE_CONTINUE, 1.0)
                replies = touchosc.until(P.DONE, timeout=60)
            assert [m.args[1:3] for m in replies if m.address == P.LIVE_CLIP] == [(0, 1)]
            serve.wait_for("Live: 1 clip in scene 2 of track 1")
        finally:
            assert serve.stop() == 0
    written = live_set.tracks[0].slots[1]
    assert isinstance(written, FakeClip) and written.name == "riff segue 1"
    assert written.length == 16.0  # the bridge's default: 4 bars


def _start_a_long_request(raw: RawClient, rid: int) -> None:
    """Ask for seconds of work from nothing and wait until the bridge runs it."""
    raw.send(P.SEED_BEGIN, rid, 0, 4.0, 4, 4)
    raw.send(P.SEED_END, rid)
    raw.send(P.GENERATE, rid, "notes", 2048, "variations", 4)
    while raw.until(P.STATUS, timeout=30)[-1].args[1] != "running":
        pass


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGINT"])
def test_a_stop_signal_answers_the_request_in_flight_and_exits_within_a_second(
    models_dir, stop
) -> None:
    """Issue 15, row 4: SIGTERM cut a running request off and the bridge took 5.5 s to go."""
    serve = Serve("--port", "0", "--model", "tiny", "--models-dir", str(models_dir))
    try:
        port = int(serve.wait_for(r"listening on udp [\d.]+:(\d+)").group(1))
        with RawClient(("127.0.0.1", port)) as raw:
            _start_a_long_request(raw, 8)
            signalled = time.monotonic()
            serve.proc.send_signal(getattr(signal, stop))
            last = raw.until([P.DONE, P.ERROR], timeout=5)[-1]
            assert last.args[:2] in ((8, "cancelled"), (8, 4))  # cancelled, or just done
            assert serve.proc.wait(5) == 0
            assert time.monotonic() - signalled < 1.0
    finally:
        if serve.proc.poll() is None:
            serve.proc.kill()
            serve.proc.wait()
    serve.wait_for(r"segue bridge stopped")
    assert not any("Traceback" in line for line in serve.err)


def test_closing_the_console_window_stops_the_bridge_after_its_answers(models_dir) -> None:
    """Windows ends the process when the close handler returns; `segue serve` had none, so
    closing its window cut the answer in flight off. It now stops the bridge as Ctrl-C
    does and holds the window until the answers are out (Windows' call: a stand-in)."""
    console = Console()
    config = ServerConfig(host="127.0.0.1", port=0, model="tiny", models_dir=models_dir)
    server = BridgeServer(config)
    port = server.open()[1]
    heard: list = []

    def client() -> None:
        with RawClient(("127.0.0.1", port)) as raw:
            _start_a_long_request(raw, 8)
            heard.append(console.send(2))  # CTRL_CLOSE_EVENT, from a thread of Windows'
            heard.append(raw.until([P.DONE, P.ERROR], timeout=5)[-1])

    talking = threading.Thread(target=client)
    with _stopped_by_signals(server.shutdown, console.register):
        talking.start()
        try:
            server.serve_forever()
        finally:
            server.close()
        assert heard and heard[0].is_alive()  # the window is held while the bridge stops
    talking.join(10)
    closing, last = heard
    closing.join(2)
    assert last.args[:2] in ((8, "cancelled"), (8, 4))  # answered before the window went
    assert console.answers[0][0] is True and console.handler is None


def test_an_allow_that_names_no_address_is_refused(segue_main) -> None:
    """Row 10: `--allow ""` and `--allow " , "` silently meant "allow everyone"."""
    for empty in ("", " , "):
        result = segue_main("serve", "--port", "0", "--allow", empty)
        assert result.returncode == 1
        assert result.stderr.startswith(f"segue: error: --allow {empty!r} names no address")
        assert len(result.stderr.splitlines()) == 1


def test_a_reply_port_that_is_the_bridges_own_is_refused(
    models_dir, segue_cli, held_ports: HeldPorts
) -> None:
    def start(port: int) -> subprocess.CompletedProcess:
        return segue_cli(
            "serve", "--port", port, "--reply-port", port, "--model", "tiny",
            "--models-dir", models_dir,
        )  # fmt: skip

    # the bridge binds the port itself (then refuses): tried again if another socket took it
    result, _ = retry_taken(
        held_ports,
        held_ports.take(),
        start,
        lambda r, port: f"cannot listen on 127.0.0.1:{port}: " in r.stderr,
    )
    assert result.returncode == 1 and "is the bridge's own port" in result.stderr


def test_ping_and_send_say_no_bridge_where_the_system_reports_it(
    segue_main, monkeypatch, tmp_path
) -> None:
    """Issue 19, row 4: Windows reports WSAECONNRESET on the next receive after a send to a
    port nobody listens on; `segue ping` showed a ConnectionResetError traceback."""

    def reset(self, *args):
        raise ConnectionResetError(10054, "An existing connection was forcibly closed")

    monkeypatch.setattr(socket.socket, "recv", reset)
    with silent_port() as port:  # held and read by no one: no bridge answers there
        for args in (["ping"], ["send", REEL, "-o", tmp_path / "x.mid"]):
            result = segue_main(*args, "--port", port)
            assert result.returncode == 1
            assert result.stderr == (
                f"segue: error: no bridge on 127.0.0.1:{port}: start one with `segue serve`\n"
            )


@pytest.mark.skipif(not hasattr(fcntl, "F_SETPIPE_SZ"), reason="needs Linux's pipe sizes")
def test_a_console_that_stops_taking_output_does_not_stop_the_answers(models_dir) -> None:
    """A Windows console with text selected in it blocks every write, as a full pipe does:
    here the bridge's output is a 4 KB pipe that stops being read after the banner, and
    it fills with the log lines of the first few dozen requests. Every request is still
    answered, and the lines come out once the console moves again."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    args = ["--port", "0", "--model", "tiny", "--models-dir", str(models_dir)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "segue", "serve", *args],
        stdout=write_end,
        stderr=write_end,
        **NEW_GROUP,
    )
    os.close(write_end)
    banner = b""
    while b"\n" not in banner.split(b"listening on udp", 1)[-1]:
        chunk = os.read(read_end, 1)
        assert chunk, banner
        banner += chunk
    port = int(re.search(rb"listening on udp [\d.]+:(\d+)", banner).group(1))
    seed = Clip(tuple(Note(60 + (i * 5) % 12, i * 0.5, 0.5, 90) for i in range(8)), 4.0)
    try:
        with BridgeClient(port=port, timeout=10) as client:
            for i in range(100):  # about 100 bytes of log each: the pipe is full by the 40th
                result = client.generate(seed, {"bars": 1, "variations": 1, "rng_seed": i})
                assert result.variations, i
    finally:
        said: list[bytes] = []
        drain = threading.Thread(target=lambda: said.append(_read_all(read_end)), daemon=True)
        drain.start()
        interrupt(proc)
        proc.wait(30)
        drain.join(10)
        os.close(read_end)
    lines = b"".join(said).decode("utf-8").splitlines()
    assert sum(" notes out " in line for line in lines) == 100, lines[-5:]
    assert lines[-1] == "segue bridge stopped"


def _read_all(fd: int) -> bytes:
    out = b""
    while chunk := os.read(fd, 65536):
        out += chunk
    return out


def test_send_refuses_a_length_of_0_as_generate_does(segue_cli, tmp_path) -> None:
    """`send --bars 0` went to the bridge, which reads 0 as "not in use": 4 bars came back
    without a word, where generate refuses it (helper-51). No bridge is needed to refuse."""
    for option in ("--bars", "--beats", "--notes"):
        sent = segue_cli("send", REEL, "--port", "9", "-o", tmp_path / "x.mid", option, "0")
        assert sent.returncode in (1, 2), sent
        assert f"{option} must be between" in sent.stderr and sent.stderr.count("\n") == 1


def test_serve_s_defaults_are_the_bridge_s_own() -> None:
    """`segue serve` with no option serves with the bridge's default config
    (``server.served_config`` of its options' defaults), and every option it passes on reaches
    the config: --queue 3 --reply-budget 2 --abletonosc --model tiny."""
    from segue.bridge.abletonosc.transport import DEFAULT_HOST, LIVE_PORT
    from segue.bridge.server import served_config
    from segue.cli.bridge_cmd import serve_command

    assert served_config(serve_command.make_context("serve", []).params) == ServerConfig()
    args = ["--queue", "3", "--reply-budget", "2", "--abletonosc", "--model", "tiny"]
    config = served_config(serve_command.make_context("serve", args).params)
    assert config == ServerConfig(
        model="tiny", queue_size=3, reply_budget=2048, abletonosc=(DEFAULT_HOST, LIVE_PORT)
    )


def _is_of(value: object, hint: object) -> bool:
    """Whether ``value`` is of the type ``hint`` names: a class, ``X | None`` or
    ``tuple[X, ...]`` (the types of ``server.ServedAsGiven``)."""
    if isinstance(hint, type):
        return isinstance(value, hint)
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        return isinstance(value, tuple) and all(isinstance(one, item) for one in value)
    return any(_is_of(value, one) for one in typing.get_args(hint))


def test_serve_s_options_given_as_they_are_are_the_config_s_fields_and_types() -> None:
    """``server.ServedAsGiven``, the one table of the options `segue serve` passes to the
    bridge's config as they are: each is a field of ``ServerConfig`` of the same type (the
    type checker matches them where ``served_config`` passes them on), and each an option of
    `segue serve` under that name whose value, given or not, is of that type (what the
    checker cannot see: click's values are untyped). An option or field renamed or retyped
    on one side alone fails here."""
    from segue.bridge.server import ServedAsGiven
    from segue.cli.bridge_cmd import serve_command

    given = typing.get_type_hints(ServedAsGiven)
    fields = typing.get_type_hints(ServerConfig)
    assert len(given) == 10 and {name: fields[name] for name in given} == given
    args = ["--host", "0.0.0.0", "--port", "9300", "--models-dir", "models"]
    args += ["--allow", "192.168.1.0/24", "--reply-port", "9400", "--upload-timeout", "2"]
    args += ["--queue", "3", "--workers", "2", "--client-timeout", "60"]
    args += ["--abletonosc-reply-port", "11002"]
    for words in ([], args):
        options = serve_command.make_context("serve", list(words)).params
        for name, hint in given.items():
            assert _is_of(options[name], hint), (name, options[name], hint)
        if words:  # every one given: none left at its default
            assert all(options[name] != getattr(ServerConfig(), name) for name in given)
