"""`segue models add` and `segue generate` end to end, with an installed model."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import torch
from riffs import power_riff

from segue.errors import SegueError
from segue.midi_io import read_midi, write_midi
from segue.model.architecture import ModelConfig
from segue.model.architectures import build_network
from segue.model.checkpoint import load_checkpoint, read_checkpoint, save_checkpoint
from segue.notes import Clip, Note

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "examples" / "seeds" / "reel.mid"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A run folder as `segue train` leaves it (weights untrained: tests need no quality)."""
    folder = tmp_path_factory.mktemp("run")
    torch.manual_seed(0)
    info = {
        "config": {
            "hidden": 32,
            "layers": 1,
            "embed": 8,
            "dropout": 0.0,
            "chained": True,
            "bar_position": True,
            "transpose": [-5, 6],
            "velocity_shift": [-48, 24],
        },
        "best": {"epoch": 1},
        "parameters": 1000,
        "seconds": 60,
        "device": "cpu",
        "history": [
            {
                "epoch": 1,
                "train": {
                    "offset": 1.0,
                    "pitch": 2.0,
                    "duration": 1.0,
                    "velocity": 0.5,
                    "total": 4.5,
                },
                "valid": {
                    "offset": 1.1,
                    "pitch": 2.1,
                    "duration": 1.1,
                    "velocity": 0.6,
                    "total": 4.9,
                },
            }
        ],
        "dataset": {
            "path": "/somewhere/private",
            "summary": "dataset x\nmade by segue from "
            "2 folders: /data/midi/bach, /data/midi/trecento\n",
        },
        "commands": [["segue", "train", "data", "-o", "run"]],
    }
    save_checkpoint(
        folder / "best.pt", build_network(ModelConfig(hidden=32, embed=8, layers=1)), info
    )
    return folder


@pytest.fixture
def cli(segue_main):
    """`segue ARGS...` in this process (``segue_main``): its code, stdout and stderr. Each
    `python -m segue` paid some 10 s of `import torch` under load, and no test here checks
    what only a process of its own shows (the interpreter's exit, a console's encoding,
    signals, pipes, import side effects); the segue home and PATH a test sets, it sets
    with monkeypatch, which the command reads when it runs. Each call has the subprocess's
    old limit, 120 s: one that hangs fails its test, saying where (``segue_main``)."""

    def run(*args: object, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return segue_main(*args, timeout=timeout)

    return run


def test_models_add_writes_half_size_weights_and_a_card(cli, run_dir, tmp_path) -> None:
    models = tmp_path / "models"
    result = cli(
        "models",
        "add",
        run_dir,
        "--name",
        "mine",
        "--models-dir",
        models,
        "--summary",
        "my test model",
    )
    assert result.returncode == 0, result.stderr
    pt, card = models / "mine.pt", models / "mine.md"
    assert pt.stat().st_size < (run_dir / "best.pt").stat().st_size
    payload = read_checkpoint(pt)
    assert all(
        t.dtype == torch.float16 for t in payload["state_dict"].values() if t.is_floating_point()
    )
    assert "/somewhere/private" not in str(payload["info"])  # no local paths travel
    text = card.read_text(encoding="utf-8")
    assert "# mine" in text and "bach, trecento" in text and "| valid | 1.100 | 2.100" in text
    assert "LSTM 1 x 32, embeddings 8" in text  # a run from before there was a choice
    (models / "broken.pt").write_text("junk", encoding="utf-8")  # stopped the listing once
    listing = cli("models", "--models-dir", models)
    assert listing.returncode == 0, listing.stderr
    assert "my test model" in listing.stdout and "melody" in listing.stdout
    assert "broken" in listing.stdout and "unreadable (" in listing.stdout
    # the half-precision copy generates like the original
    loaded = load_checkpoint(pt)
    assert next(loaded.model.parameters()).dtype == torch.float32
    listing = cli("models", "--models-dir", models)
    assert "mine" in listing.stdout and "my test model" in listing.stdout
    again = cli("models", "add", run_dir, "--name", "mine", "--models-dir", models)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_a_model_added_without_a_folder_is_found_everywhere_by_name(
    cli, run_dir, tmp_path, monkeypatch
) -> None:
    """It goes into segue's home, which `segue models` names, and generate, the bridge (so
    the device's Model menu) and `segue models` find it without --models-dir."""
    from segue.bridge.client import BridgeClient
    from segue.bridge.testing import running_server

    home = tmp_path / "Jörg's segue"
    monkeypatch.setenv("SEGUE_HOME", str(home))
    added = cli("models", "add", run_dir, "--name", "mine", "--summary", "my own")
    assert added.returncode == 0, added.stderr
    for bundled, why in (
        ("melody", "is a model bundled with segue"),  # in segue's home it would hide it
        ("auto", "cannot name a model: it is segue's choice of a model for each clip"),
    ):
        hiding = cli("models", "add", run_dir, "--name", bundled, "-f")
        assert hiding.returncode == 1 and why in hiding.stderr, hiding.stderr
        assert not (home / "models" / f"{bundled}.pt").exists()
    assert (home / "models" / "mine.pt").exists() and (home / "models" / "mine.md").exists()
    listing = cli("models")
    assert re.search(r"^  mine +user .* my own$", listing.stdout, re.M), listing.stdout
    assert listing.stdout.splitlines()[-1] == (
        f"your models: {home / 'models'} (set SEGUE_HOME to move segue's home)"
    )
    out = tmp_path / "next.mid"
    made = cli("generate", SEED, "--model", "mine", "-o", out, "--bars", "1")
    assert made.returncode == 0, made.stderr
    (tmp_path / "empty").mkdir()
    with running_server(tmp_path / "empty", model="mine") as server:
        with BridgeClient(*server.address) as client:
            assert ("mine", "user", "my own") in client.models()
    # removed by name: its weights and card; a bundled model never, and nothing else
    for name in ("melody", "nothing", "../mine"):
        refused = cli("models", "remove", name)
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
        assert f"no model of your own named {name!r}" in refused.stderr
    assert (
        "(a bundled model, never removed); yours: mine" in cli("models", "remove", "melody").stderr
    )
    removed = cli("models", "remove", "mine")
    assert removed.returncode == 0 and removed.stdout.startswith("removed mine: ")
    assert not (home / "models" / "mine.pt").exists() and not (home / "models" / "mine.md").exists()
    assert "mine" not in cli("models").stdout


def test_a_model_linked_from_a_drive_unplugged_stops_nothing_and_can_be_removed(
    cli, tmp_path, monkeypatch
) -> None:
    """A broken link in the models folder stopped every command (generate with any model,
    serve, tune): "bass.pt: No such file or directory"; and `models remove` could not
    remove it (helper-50). It is listed as unreadable, with the way to remove it."""
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    (home / "models" / "bass.pt").symlink_to(tmp_path / "unplugged" / "bass.pt")
    monkeypatch.setenv("SEGUE_HOME", str(home))
    listing = cli("models")
    assert listing.returncode == 0, listing.stderr
    assert re.search(
        r"^  bass +user .*unreadable.*`segue models remove bass`", listing.stdout, re.M
    )
    made = cli("generate", SEED, "--model", "melody", "-o", tmp_path / "x.mid", "--bars", "1")
    assert made.returncode == 0, made.stderr
    removed = cli("models", "remove", "bass")
    assert removed.returncode == 0, removed.stderr
    assert not (home / "models" / "bass.pt").is_symlink()


def test_models_help_names_no_folder_that_cmd_exe_cannot_read(cli) -> None:
    commands = (("models",), ("models", "add"), ("serve",), ("generate",), ("data", "prepare"))
    for command in commands:
        text = cli(*command, "--help").stdout
        assert "~" not in text, command


def test_generate_with_an_installed_model_by_name(cli, run_dir, tmp_path) -> None:
    models = tmp_path / "models"
    assert cli("models", "add", run_dir, "--name", "mine", "--models-dir", models).returncode == 0
    out = tmp_path / "next.mid"
    result = cli(
        "generate",
        SEED,
        "--model",
        "mine",
        "--models-dir",
        models,
        "-o",
        out,
        "--notes",
        "12",
        "-n",
        "2",
        "--rng-seed",
        "3",
        "--plot",
        "--include-seed",
    )
    assert result.returncode == 0, result.stderr
    assert "model mine: 2 variations in " in result.stdout and "rng seed 3" in result.stdout
    for i in (1, 2):
        clip = read_midi(tmp_path / f"next-{i}.mid")
        assert len(clip) == 32 + 12  # the reel's 32 notes, then 12 new ones
    assert (tmp_path / "next.png").stat().st_size > 1000
    assert "temperature 0" not in result.stderr
    again = cli("generate", SEED, "--model", "mine", "--models-dir", models, "-o", out, "-n", "2")
    assert again.returncode == 1 and "already exists" in again.stderr
    same = ("generate", SEED, "--model", "mine", "--models-dir", models, "-t", "0", "--notes", "4")
    alike = cli(*same, "-n", "3", "-o", tmp_path / "alike.mid")
    assert alike.returncode == 0, alike.stderr
    assert "at temperature 0 all 3 takes are the same" in alike.stderr  # said, not left to find
    one = cli(*same, "-o", tmp_path / "one.mid")
    assert "temperature 0" not in one.stderr and "model mine: 1 variation in " in one.stdout


def test_takes_written_over_the_seed_itself_are_said_to_be(cli, tmp_path) -> None:
    """--force onto the seed replaced the musician's clip and said only "4 notes, 1 bar",
    as for any file (helper-174)."""
    seed = tmp_path / "Riff.mid"
    shutil.copy(SEED, seed)
    args = ("--model", "melody", "--notes", "4", "--rng-seed", "1", "--force")
    beside = cli("generate", seed, "-o", tmp_path / "next.mid", *args)
    assert beside.returncode == 0 and "in place of the seed" not in beside.stdout
    over = cli("generate", seed, "-o", seed, *args)
    assert over.returncode == 0, over.stderr
    assert f"  {seed}: 4 notes, 1 bar, in place of the seed" in over.stdout
    assert len(read_midi(seed)) == 4


def test_wav_without_fluidsynth_says_how_to_install_it(cli, run_dir, tmp_path, monkeypatch) -> None:
    """The MIDI file was written first and the command then failed: said before now."""
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))  # no fluidsynth on PATH
    font = tmp_path / "gm.sf2"
    font.write_bytes(b"RIFF\x04\x00\x00\x00sfbk")  # a soundfont's head: the font is found
    result = cli(
        "generate",
        SEED,
        "--model",
        run_dir / "best.pt",
        "-o",
        tmp_path / "x.mid",
        "--wav",
        "--soundfont",
        font,
    )
    assert result.returncode == 1 and not (tmp_path / "x.mid").exists()
    assert result.stderr.startswith("segue: error: --wav needs the fluidsynth program")
    assert "apt-get install" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_soundfont_without_wav_is_said_to_do_nothing(capsys, tmp_path) -> None:
    """`--soundfont gm.sf2` without --wav wrote the MIDI and no audio without a word, where
    other options that do nothing say so (helper-323); with --wav nothing more is said."""
    from segue.cli import main

    out = tmp_path / "x.mid"
    assert main(["generate", "-o", str(out), "--bars", "1", "--soundfont", "none.sf2"]) == 0
    assert capsys.readouterr().err == (
        "segue: --soundfont has no effect without --wav (the soundfont is what --wav renders "
        "the takes' audio with); give --wav for their audio\n"
    )
    assert out.exists() and not out.with_suffix(".wav").exists()
    from segue.render import soundfont_notice

    assert soundfont_notice("gm.sf2", wav=True) is None and soundfont_notice(None, False) is None


def test_missing_soundfont_fails_before_generating(cli, run_dir, tmp_path, monkeypatch) -> None:
    """Whether or not this machine has FluidSynth: a stand-in program is found first (it
    never runs), so the missing soundfont is what the command says."""
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "fluidsynth").write_text("#!/bin/sh\nexit 1\n", encoding="ascii")
    (tools / "fluidsynth").chmod(0o755)
    monkeypatch.setenv("PATH", os.pathsep.join([str(tools), str(Path(sys.executable).parent)]))
    result = cli(
        "generate",
        SEED,
        "--model",
        run_dir / "best.pt",
        "-o",
        tmp_path / "x.mid",
        "--wav",
        "--soundfont",
        tmp_path / "none.sf2",
    )
    assert result.returncode == 1 and "no such soundfont" in result.stderr
    assert not (tmp_path / "x.mid").exists()


@pytest.mark.skipif(
    __import__("shutil").which("fluidsynth") is None,
    reason="fluidsynth is not installed (apt-get install fluidsynth timgm6mb-soundfont)",
)
def test_wav_renders_audible_audio(cli, run_dir, tmp_path) -> None:
    import wave

    import numpy as np

    from segue.render import find_soundfont

    try:
        find_soundfont()
    except SegueError:
        pytest.skip("no General MIDI soundfont installed")
    out = tmp_path / "tune.mid"
    result = cli(
        "generate",
        SEED,
        "--model",
        run_dir / "best.pt",
        "-o",
        out,
        "--beats",
        "4",
        "--include-seed",
        "--tempo",
        "120",
        "--wav",
    )
    assert result.returncode == 0, result.stderr
    with wave.open(str(out.with_suffix(".wav"))) as wav:
        assert wav.getnchannels() == 2 and wav.getframerate() == 44100
        seconds = wav.getnframes() / wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    assert seconds >= 9  # 16 + 4 beats at 120 BPM = 10 s
    assert np.sqrt(np.mean(samples.astype(np.float64) ** 2)) > 100  # not silence


def _beat(path: Path, channel: int = 9) -> Path:
    """Two bars of 8ths, hats, kick on 1 and 3, snare on 2 and 4, on ``channel`` (9: MIDI's
    drum channel 10; 0: a Drum Rack's clip exported from Live)."""
    import mido

    file = mido.MidiFile(ticks_per_beat=96)
    track = mido.MidiTrack()
    for step in range(32):
        notes = [42] + ([36] if step % 4 == 0 else []) + ([38] if step % 4 == 2 else [])
        for note in notes:
            track.append(mido.Message("note_on", channel=channel, note=note, velocity=100, time=0))
        for i, note in enumerate(notes):
            time = 48 if i == 0 else 0
            track.append(mido.Message("note_off", channel=channel, note=note, time=time))
    file.tracks.append(track)
    file.save(path)
    return path


def test_a_drum_file_is_continued_as_drums_on_its_own_pads(cli, run_dir, tmp_path) -> None:
    from segue.midi_io import read_part
    from segue.model.checkpoint import rewrite_checkpoint

    models = tmp_path / "models"
    assert cli("models", "add", run_dir, "--name", "drums", "--models-dir", models).returncode == 0
    rewrite_checkpoint(
        models / "drums.pt", models / "drums.pt", config={"drums": True}, info={"drums": True}
    )
    beat = _beat(tmp_path / "beat.mid")
    out = tmp_path / "next.mid"
    assert cli("models", "add", run_dir, "--name", "tune", "--models-dir", models).returncode == 0
    named = cli("generate", beat, "--models-dir", models, "--model", "tune", "-o", out)
    assert named.returncode == 1 and not out.exists() and not (tmp_path / "next-1.mid").exists()
    assert named.stderr.strip().splitlines() == [
        "segue: error: the clip is a drum part, and tune is a melodic model: its notes would "
        "play as drum pads; continue it with the drum model (drums) or auto"
    ]
    result = cli("generate", beat, "--models-dir", models, "-o", out, "-n", "2", "--rng-seed", "1")
    assert result.returncode == 0, result.stderr
    assert "model auto: drums" in result.stdout and "(drums)" not in result.stdout
    for i in (1, 2):
        clip, is_drums = read_part(tmp_path / f"next-{i}.mid")
        assert is_drums  # written on the drum channel, as it came
        assert len(clip) and {n.pitch for n in clip.notes} <= {36, 38, 42}


def test_drum_takes_that_came_out_the_same_are_said_so(cli, tmp_path) -> None:
    """A one-bar house beat gave 4 takes of the same notes with no word (helper-88): a beat
    that is all backbone varies only in a phrase's last bar, or a shorter take's own last
    bar (2 bars: a touch each), or a take shorter than a bar on its last beat (half a bar:
    a touch each since d3efb05), and 16th hats alone not even there (told fills every 2
    bars, or at a bar or less Memory 0, not --fills phrase, whose fill a take of 2 bars
    never reaches). At Memory 0 the loop was not kept and Memory 0 is no advice: the same
    16th hats were told both. Takes whose hits differ only in a hat's length (rng seed 5)
    are the same beat."""
    import mido

    def beat(name: str, pads: list[tuple[int, float]]) -> Path:
        file = mido.MidiFile(ticks_per_beat=96)
        track = mido.MidiTrack()
        events = sorted([(round(t * 96), "note_on", p) for p, t in pads])
        events += sorted((round(t * 96) + 12, "note_off", p) for p, t in pads)
        now = 0
        for at, kind, pad in sorted(events):
            track.append(mido.Message(kind, channel=9, note=pad, velocity=100, time=at - now))
            now = at
        file.tracks.append(track)
        file.save(tmp_path / name)
        return tmp_path / name

    kicks = [(36, float(b)) for b in range(4)]
    house = beat("house.mid", [*kicks, (39, 1.0), (39, 3.0)] + [(42, b + 0.5) for b in range(4)])
    short = cli(
        "generate", house, "-o", tmp_path / "a.mid", "-n", "3", "--bars", "0.5", "--rng-seed", "5"
    )
    assert short.returncode == 0 and "same notes" not in short.stderr  # a touch each
    hats = beat("hats.mid", [(42, i / 4) for i in range(16)])  # nothing but 16th hats
    for bars, memory, advice in (
        (
            "4",
            "1",
            ": the loop is kept note for note, the beat has no pad free for a touch at "
            "its end; give --fills often for takes that differ",
        ),
        (
            "1",
            "1",
            ": the loop is kept note for note, the beat has no pad free for a touch at "
            "its end; give --memory 0, or --bars 2 or more with --fills often",
        ),
        (
            "0.5",
            "1",
            ": the loop is kept note for note, the beat has no pad free for a touch "
            "at its end; give --memory 0, or --bars 2 or more with --fills often",
        ),
        (
            "1",
            "0",
            ", the beat has no pad free for a touch at its end; give --bars 2 or more "
            "with --fills often",
        ),
        (
            "4",
            "0",
            ", the beat has no pad free for a touch at its end; give --fills often for "
            "takes that differ",
        ),
    ):
        out = tmp_path / f"b{bars}-{memory}.mid"
        given = ("-n", "2", "--bars", bars, "--memory", memory, "--rng-seed", "1")
        alike = cli("generate", hats, "-o", out, *given)
        assert alike.stderr.strip().splitlines()[-1] == (
            f"segue: all 2 takes are the same notes{advice}"
        )
    phrase = cli("generate", house, "-o", tmp_path / "c.mid", "-n", "3", "--bars", "4")
    assert phrase.returncode == 0 and "same notes" not in phrase.stderr  # a touch each
    two_bars = ("-n", "3", "--bars", "2", "--rng-seed", "5")  # the same notes before
    bars = cli("generate", house, "-o", tmp_path / "f.mid", *two_bars)
    assert bars.returncode == 0 and "same notes" not in bars.stderr  # a touch each
    two = beat("two.mid", [*kicks] + [(42, b + 0.5) for b in range(4)])  # a kick and a hat
    four = cli("generate", two, "-o", tmp_path / "d.mid", "-n", "4", "--rng-seed", "1")
    assert four.returncode == 0 and "differ" not in four.stderr  # 2 of 4 before, unsaid
    six = cli("generate", two, "-o", tmp_path / "e.mid", "-n", "6", "--rng-seed", "1")
    assert six.stderr.strip().splitlines()[-1] == (  # 4 touches at a phrase's end: no more
        "segue: only 4 of 6 takes differ: the loop is kept note for note, the beat has fewer "
        "touches than takes at its end; give --fills often for takes that differ"
    )


def test_fills_and_kit_on_a_clip_read_as_melodic_are_said_to_do_nothing(
    segue_main, tmp_path
) -> None:
    """A Drum Rack's clip exported from Live is on channel 1: segue reads it as a melodic
    part, and `--fills phrase` played no fill and said nothing. One line now says so where
    a melodic model plays it; a beat there goes to the drum model under auto, which plays
    the fills, and that is said."""
    beat = _beat(tmp_path / "beat.mid", channel=0)
    said = (
        f"has no effect: {beat} was read as a melodic part (segue reads drums from MIDI "
        "channel 10); give --model drums to continue it as drums"
    )
    drummed = (
        f"segue: {beat} looks like a drum beat on a melodic MIDI channel (a Drum Rack's clip "
        "exports on channel 1), so the drum model continues it on that channel; give --model "
        "producer (or another melodic model) to continue it as notes"
    )

    def generate(*args: object) -> subprocess.CompletedProcess:
        return segue_main("generate", *args, "--notes", "4")  # few notes: a quicker test

    named = generate(beat, "--model", "melody", "--kit", "gm", "-o", tmp_path / "c")
    assert named.stderr.splitlines() == [f"segue: --kit {said}"]
    both = generate(
        beat, "--model", "producer", "--fills", "often", "--kit", "gm", "-o", tmp_path / "b"
    )
    assert both.stderr.splitlines() == [f"segue: --fills and --kit {said.replace('has', 'have')}"]
    fresh = generate("--kit", "gm", "-o", tmp_path / "d.mid")
    assert fresh.stderr.splitlines() == [
        "segue: --kit has no effect: without a seed, segue starts a melodic part; give "
        "--model drums to start a drum part"
    ]

    drums = _beat(tmp_path / "drums.mid", channel=9)
    for i, args in enumerate(
        [
            (drums, "--fills", "phrase", "--kit", "gm"),  # read as drums: the drum model plays
            (beat, "--model", "drums", "--fills", "phrase"),  # the drum model, named
        ]
    ):
        quiet = generate(*args, "-o", tmp_path / f"quiet-{i}.mid")
        assert quiet.returncode == 0, quiet.stderr
        assert quiet.stderr == "", args
    # Under auto, a beat read as melodic is the beat it looks like: the drum model plays it
    # (the producer model played a Drum Rack's house beat as notes, and --key auto then took
    # its kick away), and its fills with it
    for i, args in enumerate([(beat,), (beat, "--fills", "phrase", "--kit", "gm")]):
        result = generate(*args, "-o", tmp_path / f"said-{i}.mid")
        assert result.returncode == 0, result.stderr
        assert "model auto: drums" in result.stdout
        assert result.stderr.splitlines() == [drummed], args
    melodic = generate(beat, "--model", "producer", "-o", tmp_path / "notes.mid")
    assert melodic.stderr.splitlines() == [
        f"segue: {beat} looks like a drum beat on a melodic MIDI channel (a Drum Rack's "
        "clip exports on channel 1; segue reads drums from channel 10), so a melodic "
        "model continues it; give --model drums to continue it as drums"
    ]


def test_a_keyboard_vamp_played_in_on_channel_1_is_continued_as_notes(segue_main, tmp_path) -> None:
    """A Cm9 house vamp played in on channel 1 (C2 on 1, Eb2 Bb2 D3 on the offbeats, each
    chord spread by the hand over some 40 ms) went to the drum model, which played its
    notes as a kick, a clap, an open hat and a tom: the musician's chord was lost. The
    producer model continues it, without a word."""
    import pretty_midi

    midi = pretty_midi.PrettyMIDI(initial_tempo=120)
    keys = pretty_midi.Instrument(program=4, name="Keys")
    late = ((-4.0, 10.0, 36.0), (-18.0, 16.0, 4.0), (8.0, -14.0, 26.0), (2.0, 34.0, 12.0))
    for bar in range(4):
        keys.notes.append(pretty_midi.Note(100, 36, 2.0 * bar, 2.0 * bar + 0.4))
        for i, off in enumerate((0.25, 0.75, 1.25, 1.75)):  # the offbeats, in seconds
            for pitch, ms in zip((39, 46, 50), late[(bar + i) % 4], strict=True):
                start = 2.0 * bar + off + ms / 1000
                keys.notes.append(pretty_midi.Note(90, pitch, start, start + 0.2))
    midi.instruments.append(keys)
    vamp = tmp_path / "cm9.mid"
    midi.write(str(vamp))
    result = segue_main("generate", vamp, "--notes", "4", "-o", tmp_path / "next.mid")
    assert result.returncode == 0, result.stderr
    assert "model auto: producer" in result.stdout
    assert "drum" not in result.stderr


def test_a_hat_loop_read_as_melodic_is_said_to_look_like_a_hat_part(segue_main, tmp_path) -> None:
    """A Drum Rack's hat loop (hats, a clap on 2 and 4, no kick) exported on channel 1 went
    to the producer model without a word: only a part with a kick looked like a beat."""
    import mido

    file = mido.MidiFile(ticks_per_beat=96)
    track = mido.MidiTrack()
    for step in range(32):
        notes = [42] + ([39] if step % 8 == 4 else [])
        for note in notes:
            track.append(mido.Message("note_on", channel=0, note=note, velocity=100, time=0))
        for i, note in enumerate(notes):
            track.append(mido.Message("note_off", channel=0, note=note, time=24 if i == 0 else 0))
    file.tracks.append(track)
    hats = tmp_path / "hats.mid"
    file.save(hats)
    said = segue_main("generate", hats, "--notes", "4", "-o", tmp_path / "next.mid")
    assert said.returncode == 0, said.stderr
    assert said.stderr.splitlines() == [
        f"segue: {hats} looks like a hat part on a melodic MIDI channel (a Drum Rack's clip "
        "exports on channel 1; segue reads drums from channel 10), so a melodic model "
        "continues it; give --model drums to continue it as drums"
    ]


def _ride_part_line(path) -> str:
    """What `generate` says of a ride part it reads on a melodic MIDI channel."""
    return (
        f"segue: {path} looks like a ride part on a melodic MIDI channel (a Drum Rack's clip "
        "exports on channel 1; segue reads drums from channel 10), so a melodic model "
        "continues it; give --model drums to continue it as drums"
    )


def test_a_ride_part_read_as_melodic_is_told_to_give_the_drum_model(segue_main, tmp_path) -> None:
    """A jazz ride over the pedal hat, no kick, exported on channel 1 went to the producer
    model without a word, where a hat loop was told to give --model drums; and given
    --model drums, a hat loop or a ride part was told that it did not look like a beat."""
    from midi_files import jazz_ride

    ride = jazz_ride(tmp_path / "ride.mid")
    said = segue_main("generate", ride, "--notes", "4", "-o", tmp_path / "a.mid")
    assert said.returncode == 0, said.stderr
    assert said.stderr.splitlines() == [_ride_part_line(ride)]
    drums = segue_main("generate", ride, "--model", "drums", "-n", "1", "-o", tmp_path / "b.mid")
    assert drums.returncode == 0 and drums.stderr == ""
    hats = tmp_path / "hats.mid"
    loop = [Note(42, b / 2, 0.2, 90) for b in range(16)] + [
        Note(39, 1.0 + 2 * b, 0.2, 90) for b in range(4)
    ]
    write_midi(Clip(tuple(loop), 8.0), hats)
    kit = segue_main("generate", hats, "--model", "drums", "-n", "1", "-o", tmp_path / "c.mid")
    assert kit.returncode == 0 and kit.stderr == ""


def test_a_12_8_brush_feel_read_as_melodic_is_told_to_give_the_drum_model(
    segue_main, tmp_path
) -> None:
    """A slow blues in 12/8 with brushes on channel 1 (the swirl on the snare in 8ths under
    the ride on the dotted quarters, the pedal hat on 2 and 4, a kick on 1) went to the
    producer model without a word (helper-180): read in quarter notes its swirl struck two
    a beat and its ride no swing. Read in the file's meter, its dotted quarter, it is told
    to give --model drums, and given it, is not told it is no beat."""
    from segue.notes import TimeSignature

    cell = [(i / 2, 38) for i in range(12)] + [(t, 51) for t in (0.0, 1.5, 3.0, 4.5)]
    cell += [(1.5, 44), (4.5, 44), (0.0, 36)]
    notes = tuple(Note(p, 6.0 * b + t, 0.2, 80) for b in range(4) for t, p in cell)
    blues = tmp_path / "blues.mid"
    write_midi(Clip(notes, 24.0, TimeSignature(12, 8)), blues)
    said = segue_main("generate", blues, "--notes", "4", "-o", tmp_path / "a.mid")
    assert said.returncode == 0, said.stderr
    assert said.stderr.splitlines() == [_ride_part_line(blues)]
    drums = segue_main("generate", blues, "--model", "drums", "-n", "1", "-o", tmp_path / "b.mid")
    assert drums.returncode == 0 and drums.stderr == ""


def test_a_seed_of_several_tracks_says_how_they_are_read(segue_main, tmp_path) -> None:
    """A bass and a lead in one file are read as one part, and a drum track beside them is
    left out, as the README says; it happened without a word."""
    import mido

    def part(name: str, pitch: int, channel: int) -> mido.MidiTrack:
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=name, time=0)])
        for _ in range(8):
            track.append(mido.Message("note_on", channel=channel, note=pitch, velocity=90))
            track.append(mido.Message("note_off", channel=channel, note=pitch, time=48))
        return track

    def save(name: str, *tracks: mido.MidiTrack) -> Path:
        path = tmp_path / name
        mido.MidiFile(type=1, ticks_per_beat=96, tracks=list(tracks)).save(path)
        return path

    two = save("two.mid", part("Bass", 40, 0), part("Lead", 72, 1))
    result = segue_main("generate", two, "--notes", "4", "-o", tmp_path / "a.mid")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"segue: {two}: its 2 tracks (Bass, Lead) are read as one part (--track NAME continues one)"
    ]
    drums = save("drums.mid", part("Bass", 40, 0), part("Kit", 36, 9))
    result = segue_main("generate", drums, "--notes", "4", "-o", tmp_path / "b.mid")
    assert result.stderr.splitlines() == [
        f"segue: {drums}: its drum track (Kit) is left out (--track 'Kit' continues it)"
    ]
    one_track = tmp_path / "type0.mid"  # a type-0 file: the beat shares the only track
    merged = mido.merge_tracks([part("", 40, 0), part("", 36, 9)])
    mido.MidiFile(type=0, ticks_per_beat=96, tracks=[merged]).save(one_track)
    result = segue_main("generate", one_track, "--notes", "4", "-o", tmp_path / "t.mid")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"segue: {one_track}: the drum notes (channel 10) in track 0 are left out (segue "
        "continues a beat from a track of drums alone: give the beat a track of its own)"
    ]
    parts = tmp_path / "parts0.mid"  # a bass (channel 2) and chords (channel 1), one track
    both = mido.merge_tracks([part("", 40, 1), part("", 64, 0)])
    mido.MidiFile(type=0, ticks_per_beat=96, tracks=[both]).save(parts)
    result = segue_main("generate", parts, "--notes", "4", "-o", tmp_path / "p.mid")
    assert result.stderr.splitlines() == [
        f"segue: {parts}: its parts on MIDI channels 1, 2 share one track and are read as one "
        "part (save the file as type 1, a track a part, to choose one with --track)"
    ]
    for chosen in ("0", "most"):  # a track chosen: its drum notes are left out as well
        result = segue_main(
            "generate", one_track, "--track", chosen, "--notes", "4", "-o", tmp_path / "t.mid", "-f"
        )
        assert result.stderr.splitlines() == [
            f"segue: {one_track}: the drum notes (channel 10) in track 0 are left out (segue "
            "continues a beat from a track of drums alone: give the beat a track of its own)"
        ], chosen
    for quiet in (("--track", "Bass"), ()):
        one = two if quiet else save("one.mid", part("Bass", 40, 0))
        result = segue_main("generate", one, *quiet, "--notes", "4", "-o", tmp_path / "c.mid", "-f")
        assert result.returncode == 0 and result.stderr == "", result.stderr


def test_a_seed_played_a_hair_before_the_clips_end_is_continued(segue_main, tmp_path) -> None:
    """A lone note 1/100 beat before the end of its bar: the producer model's takes found
    no note in the loop and generation ended in a traceback (IndexError)."""
    seed = tmp_path / "late.mid"
    write_midi(Clip((Note(60, 3.99, 0.01, 100),), 4.0), seed)
    result = segue_main("generate", seed, "--model", "producer", "-o", tmp_path / "next.mid")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert len(read_midi(tmp_path / "next.mid")) > 0


def test_a_part_that_comes_in_late_is_continued_from_where_it_plays(segue_main, tmp_path) -> None:
    """8 empty bars of 3/4, then a waltz (a song's track exported from its first bar): every
    take was a bar's note and silence, the empty bars looped (helper-40). A loop's own silent
    first bar is kept."""
    from segue.notes import TimeSignature

    waltz = tuple(Note(43 if i % 3 == 0 else 55, 24 + i, 1.0, 90) for i in range(24))
    late = tmp_path / "late.mid"
    write_midi(Clip(waltz, 48.0, TimeSignature(3, 4)), late)
    args = ("--bars", "4", "--rng-seed", "1", "-o", tmp_path / "next.mid")
    result = segue_main("generate", late, *args)
    assert result.returncode == 0, result.stderr
    assert "the part comes in at bar 9; the 8 empty bars before it are left out" in result.stderr
    assert {int(n.start // 3) for n in read_midi(tmp_path / "next.mid").notes} == {0, 1, 2, 3}
    rest = tuple(Note(40 + i % 3, 4 + i * 0.5, 0.5, 90) for i in range(24))  # bar 1 silent
    loop = tmp_path / "loop.mid"
    write_midi(Clip(rest, 16.0), loop)
    result = segue_main("generate", loop, "-o", tmp_path / "loop-next.mid")
    assert result.returncode == 0 and "comes in" not in result.stderr, result.stderr
    answer = tuple(Note(36 + i % 3, 4 + i * 0.5, 0.5, 90) for i in range(8))  # a bar of rest,
    call = tmp_path / "call.mid"  # then a bar of riff: exactly half, and the loop's (helper-46)
    write_midi(Clip(answer, 8.0), call)
    result = segue_main("generate", call, "-o", tmp_path / "call-next.mid")
    assert result.returncode == 0 and "comes in" not in result.stderr, result.stderr


def test_the_seed_written_with_its_continuation_keeps_its_tempo_changes(
    segue_main, tmp_path
) -> None:
    """--include-seed wrote one tempo, the one the seed ends in: a seed that slowed from 120
    to 90 BPM at beat 8 came back at 90 from its first beat (helper-40)."""
    import mido
    from midi_files import slowing_seed, tempo_map

    seed = slowing_seed(tmp_path / "slows.mid")
    args = ("--include-seed", "--bars", "2", "--rng-seed", "1", "--tempo", "100")
    result = segue_main("generate", seed, *args, "-o", tmp_path / "out.mid")
    assert result.returncode == 0, result.stderr
    tempos = tempo_map(tmp_path / "out.mid")
    assert tempos == [(0.0, 120), (8.0, 90), (16.0, 100)]  # the seed's, then the continuation's
    plain = segue_main("generate", seed, "--bars", "2", "-o", tmp_path / "plain.mid")
    assert plain.returncode == 0  # without the seed: one tempo, the one it ends in
    assert [
        round(mido.tempo2bpm(m.tempo))
        for m in mido.MidiFile(tmp_path / "plain.mid").tracks[0]
        if m.type == "set_tempo"
    ] == [90]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["--bars", "64", "--time-signature", "7/4"],
            "64 bars of 7/4 are 448 beats; a variation may be at most 256 beats (ask for fewer "
            "bars)",
        ),
        (
            ["--notes", "2048", "-n", "16"],
            "a request may have at most 8192, so at most 512 per variation (ask for fewer notes "
            "or variations)",
        ),
    ],
)
def test_generate_refuses_the_lengths_the_bridge_refuses(segue_main, tmp_path, args, said) -> None:
    """64 bars of 7/4 (448 beats) were refused by the bridge, and so by the device, but
    generated by `segue generate`: a musician trying a length offline got what Live would not."""
    out = tmp_path / "long.mid"
    result = segue_main("generate", SEED, "--model", "melody", *args, "-o", out)
    assert result.returncode == 1 and not out.exists()
    line = result.stderr.strip()
    assert line.startswith("segue: error: ") and line.endswith(said) and "\n" not in line


def _listing(cli, run_dir: Path, tmp_path: Path, monkeypatch, names: tuple[str, ...]):
    """`segue models` with a copy of a trained model as each of ``names`` (.pt) in a segue
    home of its own; the home and the command's result."""
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    for name in names:
        (home / "models" / f"{name}.pt").write_bytes((run_dir / "best.pt").read_bytes())
    monkeypatch.setenv("SEGUE_HOME", str(home))
    listing = cli("models")
    assert listing.returncode == 0, listing.stderr
    return home, listing


def test_the_listing_s_columns_are_as_wide_as_the_names_in_them(
    cli, run_dir, tmp_path, monkeypatch
) -> None:
    """A name over 14 characters pushed its row's columns out of line with the others'."""
    _, listing = _listing(
        cli, run_dir, tmp_path, monkeypatch, ("a", "bass-for-the-second-verse-take-3")
    )
    rows = [line for line in listing.stdout.splitlines() if re.search(r" (user|bundled) ", line)]
    assert len(rows) == 6, listing.stdout  # 4 bundled, 2 of the musician's
    assert len({re.search(r" (user|bundled) ", row).start() for row in rows}) == 1, rows
    assert len({row.index(" MB") for row in rows}) == 1, rows


def test_a_model_whose_weights_do_not_fit_its_settings_is_marked_and_refused_in_one_line(
    cli, run_dir, tmp_path, monkeypatch
) -> None:
    """Listed as healthy, and generate said PyTorch's "size mismatch ..." text."""
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    payload = read_checkpoint(run_dir / "best.pt")
    payload["config"]["hidden"] = 16  # edited: the weights are of 32
    torch.save(payload, home / "models" / "bass.pt")
    monkeypatch.setenv("SEGUE_HOME", str(home))
    listing = cli("models")
    assert listing.returncode == 0, listing.stderr
    assert re.search(
        r"^  bass +user .* unusable: the weights of model 'bass' do not match its settings .*"
        r"`segue models remove bass`",
        listing.stdout,
        re.M,
    ), listing.stdout
    made = cli("generate", SEED, "--model", "bass", "-o", tmp_path / "x.mid", "--bars", "1")
    assert made.returncode == 1 and made.stderr.count("\n") == 1, made.stderr
    assert "the weights of model 'bass' do not match its settings" in made.stderr
    assert "size mismatch" not in made.stderr


def test_model_files_with_names_segue_does_not_take_are_said_with_what_to_do(
    cli, run_dir, tmp_path, monkeypatch
) -> None:
    """A file `my model!.pt` was left out of the listing without a word."""
    home, listing = _listing(cli, run_dir, tmp_path, monkeypatch, ("my model!", ".hidden"))
    said = [line for line in listing.stdout.splitlines() if "not listed" in line]
    assert len(said) == 1, listing.stdout  # hidden files apart
    assert f"not listed: {home / 'models' / 'my model!.pt'} (a model's name is up to 64" in said[0]
    assert said[0].endswith("rename it, e.g. to my-model.pt"), said[0]


def _song(path: Path) -> Path:
    """A bass (GM 33, Electric Bass finger) on channel 2, a lead (GM 80) and a kit."""
    import mido

    def part(name: str, pitch: int, channel: int, program: int) -> mido.MidiTrack:
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=name, time=0)])
        track.append(mido.Message("program_change", channel=channel, program=program))
        for _ in range(8):
            track.append(mido.Message("note_on", channel=channel, note=pitch, velocity=90))
            track.append(mido.Message("note_off", channel=channel, note=pitch, time=48))
        return track

    tracks = [part("Bass", 40, 1, 33), part("Lead", 72, 0, 80), part("Kit", 36, 9, 0)]
    mido.MidiFile(type=1, ticks_per_beat=96, tracks=tracks).save(path)
    return path


def _programs(path: Path) -> list[tuple[int, int]]:
    import mido

    return [
        (m.channel, m.program)
        for t in mido.MidiFile(path).tracks
        for m in t
        if m.type == "program_change"
    ]


def test_a_continuation_plays_on_the_seed_track_s_instrument(segue_main, tmp_path) -> None:
    """`--track Bass` of a song whose bass is GM 33 was written as program 0: `--wav`
    played the bassline on piano."""
    song = _song(tmp_path / "song.mid")
    base = ("generate", song, "--notes", "4", "--include-seed")
    assert segue_main(*base, "--track", "Bass", "-o", tmp_path / "b.mid").returncode == 0
    assert _programs(tmp_path / "b.mid") == [(0, 33)]
    assert segue_main(*base, "--track", "Lead", "-o", tmp_path / "l.mid").returncode == 0
    assert _programs(tmp_path / "l.mid") == [(0, 80)]
    asked = segue_main(*base, "--track", "Bass", "--program", "Violin", "-o", tmp_path / "v.mid")
    assert asked.returncode == 0 and _programs(tmp_path / "v.mid") == [(0, 40)]  # as asked
    assert segue_main(*base, "--track", "Kit", "-o", tmp_path / "k.mid").returncode == 0
    assert _programs(tmp_path / "k.mid") == [(9, 0)]  # drums stay on channel 10


def test_generate_says_the_seed_s_sustain_pedal_is_not_read(segue_main, tmp_path) -> None:
    """A pedalled line was continued as dry staccato without a word (helper-58)."""
    import mido

    seed = tmp_path / "pedal.mid"
    mid = mido.MidiFile(SEED)
    mid.tracks[-1].insert(0, mido.Message("control_change", channel=0, control=64, value=127))
    mid.save(seed)
    result = segue_main("generate", seed, "--notes", "4", "-o", tmp_path / "out.mid")
    assert result.returncode == 0, result.stderr
    assert f"segue: {seed} holds the sustain pedal (CC64)" in result.stderr


def test_the_listing_suggests_each_file_its_own_name_and_lists_no_name_segue_refuses(
    cli, run_dir, tmp_path, monkeypatch
) -> None:
    """`my bass!.pt` and `my bass?.pt` were both told my-bass-2.pt (renaming the second
    replaced the first); `auto.pt` was listed as the default, and `x.pt.pt` as a model
    `x.pt` that --model x.pt could not find (helper-61)."""
    _, listing = _listing(
        cli, run_dir, tmp_path, monkeypatch, ("my bass!", "my bass?", "my-bass", "auto", "x.pt")
    )
    said = [line for line in listing.stdout.splitlines() if "not listed" in line]
    names = [line.rsplit("rename it, e.g. to ", 1)[1] for line in said]
    assert len(said) == 4 and len({n.casefold() for n in names}) == 4, said
    assert not any(n.casefold() == "my-bass.pt" for n in names)
    listed = [line.split()[:2] for line in listing.stdout.splitlines() if " user " in line]
    assert [row for row in listed if "auto" in row or "x.pt" in row] == [], listing.stdout


def test_a_model_is_removed_and_found_by_its_name_as_listed_not_in_another_case(
    run_dir, tmp_path, monkeypatch, capsys
) -> None:
    """`models remove BASS` removed bass on macOS and Windows (BASS.pt opens bass.pt) and
    said "removed BASS"; on Linux it said only that there is no BASS. Both OSes now say the
    model's name as listed, and `--model Bass` says which name was meant."""
    from segue.cli import main
    from segue.model.registry import find_model

    home = tmp_path / "home"
    monkeypatch.setenv("SEGUE_HOME", str(home))
    assert main(["models", "add", str(run_dir), "--name", "bass"]) == 0
    capsys.readouterr()
    as_on_a_mac = {m: getattr(Path, m) for m in ("is_file", "exists", "unlink")}
    for method, real in as_on_a_mac.items():  # a file found in any case, as on macOS

        def folded(path: Path, *args: Any, real: Any = real, **kwargs: Any) -> Any:
            twins = [p for p in path.parent.glob("*") if p.name.lower() == path.name.lower()]
            return real(twins[0] if twins else path, *args, **kwargs)

        monkeypatch.setattr(Path, method, folded)
    assert main(["models", "remove", "BASS"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "segue: error: no model of your own named 'BASS' (yours is 'bass': a name's case "
        "counts); yours: bass\n"
    )
    assert (home / "models" / "bass.pt").exists()
    for name, meant in (("Bass", "bass"), ("MELODY", "melody")):
        with pytest.raises(SegueError, match=f"case counts: did you mean '{meant}'\\?$"):
            find_model(name)
    assert main(["models", "remove", "bass"]) == 0


def test_models_of_one_folder_that_are_one_file_on_macos_and_windows_are_said(
    run_dir, tmp_path, monkeypatch, capsys
) -> None:
    """Bass and bass, two models in a Linux home (or a folder made there), were listed
    without a word: copied to a Mac or a PC, one replaced the other."""
    from segue.cli import main

    home = tmp_path / "home"
    monkeypatch.setenv("SEGUE_HOME", str(home))
    assert main(["models", "add", str(run_dir), "--name", "bass"]) == 0
    for twin in ("Bass.pt", "BASS.pt"):
        shutil.copy(home / "models" / "bass.pt", home / "models" / twin)
    capsys.readouterr()
    assert main(["models"]) == 0
    assert (
        f"  one name on macOS and Windows: BASS and Bass and bass in {home / 'models'}, of "
        "which a copy there keeps one; rename all but one\n"
    ) in capsys.readouterr().out


def test_melodic_settings_on_a_drum_part_leave_the_beat_as_it_is_and_are_said(
    segue_main, tmp_path
) -> None:
    """--polyphony 1 on a beat dropped every hat struck with a kick or a snare (85 hits ->
    66), and --key on a beat was ignored by generate but refused by the bridge (helper-62):
    a kit's pads are not voices and have no key, and segue says so."""
    from segue.midi_io import read_midi

    beat = ROOT / "examples" / "seeds" / "beat.mid"
    plain = segue_main("generate", beat, "--rng-seed", "7", "-o", tmp_path / "a.mid")
    assert plain.returncode == 0, plain.stderr
    assert "no effect" not in plain.stderr
    one = segue_main(
        "generate", beat, "--rng-seed", "7", "--polyphony", "1", "-o", tmp_path / "b.mid"
    )
    assert one.returncode == 0, one.stderr
    assert "segue: --polyphony has no effect on a drum part" in one.stderr
    assert read_midi(tmp_path / "b.mid", drums=True) == read_midi(tmp_path / "a.mid", drums=True)
    assert one.stderr.count("\n") == 1 and "a kit's pads are not voices" in one.stderr
    assert "no key" not in one.stderr  # no key was given (helper-67)
    bad = segue_main("generate", beat, "--key", "H major", "-o", tmp_path / "c.mid")
    assert bad.returncode != 0 and "cannot read key 'H major'" in bad.stderr
    assert bad.stderr.count("\n") == 1  # the one line: no notice first (helper-67)
    keyed = segue_main("generate", beat, "--key", "A minor", "-o", tmp_path / "d.mid")
    assert "segue: --key has no effect on a drum part: a kit has no key\n" in keyed.stderr


def test_a_drum_model_on_a_melodic_part_and_a_program_on_a_drum_part_are_said(
    segue_main, tmp_path
) -> None:
    """`--model drums` on a lead played drum pads on the lead's synth, and `--program 5` on
    a beat wrote program 5 on the drum channel, where a synth plays a kit (helper-69):
    neither said a word. Each is one line now, and a drum part keeps its own kit."""
    lead = ROOT / "examples" / "seeds" / "lead.mid"
    named = segue_main("generate", lead, "--model", "drums", "--notes", "4", "-o", tmp_path / "a")
    assert named.returncode == 0, named.stderr
    assert named.stderr.splitlines() == [
        f"segue: drums is a drum model: it plays the notes of {lead}, which do not look like "
        "a General MIDI beat (no kick, or notes off the drum kit), as drum pads on the part's "
        "channel and instrument; for a melodic part, continue it with a melodic model or auto"
    ]
    plain = segue_main("generate", lead, "--notes", "4", "-o", tmp_path / "b")
    assert plain.returncode == 0 and plain.stderr == ""
    from midi_files import gm_bass

    bass = gm_bass(tmp_path / "bass.mid")  # a bass line on a kick, a snare and hats: no beat
    on_kit = segue_main("generate", bass, "--model", "drums", "--notes", "4", "-o", tmp_path / "c")
    assert on_kit.returncode == 0, on_kit.stderr
    assert on_kit.stderr.splitlines() == [
        f"segue: drums is a drum model: it plays the notes of {bass}, which do not look like "
        "a General MIDI beat (one note at a time through 8 pitches, as a line moves), as drum "
        "pads on the part's channel and instrument; for a melodic part, continue it with a "
        "melodic model or auto"
    ]
    melodic = segue_main("generate", bass, "--notes", "4", "-o", tmp_path / "d")
    assert melodic.returncode == 0 and melodic.stderr == ""  # auto: not called a beat
    song = _song(tmp_path / "song.mid")
    base = ("generate", song, "--track", "Kit", "--notes", "4", "--program")
    kit = segue_main(*base, "5", "-o", tmp_path / "k.mid")
    assert kit.returncode == 0, kit.stderr
    assert kit.stderr.splitlines() == [
        "segue: --program 5 has no effect on a drum part: its hits stay on the drum channel "
        "(10), where a synth plays a drum kit, not an instrument, and the part's own kit is "
        "kept; choose the kit in your synth or Drum Rack"
    ]
    assert _programs(tmp_path / "k.mid") == [(9, 0)]  # the part's own, not program 5
    bad = segue_main(*base, "Foo", "-o", tmp_path / "f.mid")  # a bad one is still its one line
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1
    assert "unknown General MIDI instrument 'Foo'" in bad.stderr


def test_generate_a_length_in_notes_past_the_step_cap_comes_back_whole(cli, tmp_path) -> None:
    """`segue generate CHORDS.mid --notes 1100 --polyphony 1` on a loop of 4-note chords
    wrote 1,024 notes, without a word: the reduction to one voice needs more than the 4,096
    steps a take had (``segue.model.request_plan.steps_for``)."""
    from segue.bridge.testing import make_test_model

    make_test_model(tmp_path, "loops", rng_seed=3, loops=True)
    pad = [(48, 52, 55, 60), (45, 52, 57, 60), (41, 53, 57, 60), (43, 50, 55, 59)]
    chords = tmp_path / "chords.mid"
    write_midi(
        Clip(tuple(Note(p, i * 2.0, 1.9, 90) for i, c in enumerate(pad * 2) for p in c)), chords
    )
    out = tmp_path / "next.mid"
    result = cli(
        "generate", chords, "--model", "loops", "--models-dir", tmp_path,
        "--notes", "1100", "--polyphony", "1", "--rng-seed", "4", "-o", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1100 notes" in result.stdout and not result.stderr
    assert len(read_midi(out).notes) == 1100


def test_generate_says_when_the_range_has_no_room_for_a_part_s_octaves(cli, tmp_path) -> None:
    """An octave bass (C2 Eb2 F2 G2 Bb2 in 8ths, doubled an octave up) under --low 40
    --high 50: its takes dropped voices (a C3 alone, no octave under or over it) without a
    word. The range, narrower than the octave, is said in one line; one that has room for
    every root says nothing."""
    bass = (36, 36, 36, 39, 41, 41, 43, 46) * 2
    seed = tmp_path / "octaves.mid"
    notes = tuple(Note(r + s, 0.5 * i, 0.4, 96) for i, r in enumerate(bass) for s in (0, 12))
    write_midi(Clip(notes, 8.0), seed)
    common = ("generate", seed, "--model", "producer", "--rng-seed", "1", "-f")
    narrow = cli(*common, "--low", "40", "--high", "50", "-o", tmp_path / "narrow.mid")
    assert narrow.returncode == 0, narrow.stderr
    said = [line for line in narrow.stderr.splitlines() if "octaves" in line]
    assert said == [
        "segue: the range 40-50 is narrower than the clip's octaves (12 semitones): its takes "
        "cannot keep that shape; widen the range to keep it"
    ], narrow.stderr
    wide = cli(*common, "--high", "50", "-o", tmp_path / "wide.mid")
    assert wide.returncode == 0 and "octaves" not in wide.stderr, wide.stderr


def _walk_up_bass() -> tuple[tuple[Note, ...], tuple[Note, ...]]:
    """An E phrygian bass's 4 bars, and its B1 C2 D2 walk-up a beat and a half before them."""
    bar = [(40, 1.0), (40, 0.5), (41, 0.5), (40, 1.0), (43, 1.0)]
    body, t = [], 0.0
    for pitch, beats in bar * 3 + [(40, 1.0), (41, 0.5), (40, 0.5), (50, 1.0), (48, 1.0)]:
        body.append(Note(pitch, t, beats * 0.75, 96))
        t += beats
    pickup = tuple(Note(p, 0.5 * i, 0.375, 90) for i, p in enumerate((35, 36, 38)))
    return pickup, tuple(body)


def test_generate_downbeat_says_where_bar_1_lies_after_a_pickup(segue_main, tmp_path) -> None:
    """A file of a bass after its walk-up, the walk-up at beat 0: its takes went on with the
    whole file (read 20 beats long), the walk-up again at each take's start. With --downbeat
    1.5 they go on as the 4 bars alone do, E2 on every take's downbeat. A downbeat past the
    file is refused in one line."""
    pickup, body = _walk_up_bass()
    seed, alone = tmp_path / "walk.mid", tmp_path / "bars.mid"
    write_midi(Clip(pickup + tuple(n.shifted(1.5) for n in body), 17.5), seed)
    write_midi(Clip(body, 16.0), alone)
    same = ("--model", "producer", "--rng-seed", "2", "-n", "3", "--bars", "4")
    told = segue_main("generate", seed, "--downbeat", "1.5", *same, "-o", tmp_path / "A")
    assert told.returncode == 0, told.stderr
    made = segue_main("generate", alone, *same, "-o", tmp_path / "B")
    assert made.returncode == 0, made.stderr
    for i in (1, 2, 3):
        got, want = read_midi(tmp_path / f"A-{i}.mid"), read_midi(tmp_path / f"B-{i}.mid")
        assert got.notes == want.notes
        assert (got.notes[0].pitch, got.notes[0].start) == (40, 0.0)
    refused = segue_main("generate", seed, "--downbeat", "20", *same, "-o", tmp_path / "C")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "--downbeat 20 lies at or past the seed's end" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    # the file reads 20 beats: bar 1 at 17.5 would begin 2.5 beats of nothing (helper-151)
    empty = segue_main("generate", seed, "--downbeat", "17.5", *same, "-o", tmp_path / "D")
    assert empty.returncode != 0 and "Traceback" not in empty.stderr
    assert "--downbeat 17.5 leaves 2.5 beats of the seed after it, less than a bar" in empty.stderr
    assert len(empty.stderr.strip().splitlines()) == 1, empty.stderr
    # read before the settings were checked, nan ended in a traceback (helper-162)
    nan = segue_main("generate", seed, "--downbeat", "nan", *same, "-o", tmp_path / "E")
    assert nan.returncode != 0 and "Traceback" not in nan.stderr
    assert "--downbeat must be a finite number" in nan.stderr
    assert len(nan.stderr.strip().splitlines()) == 1, nan.stderr


def test_an_inverted_sevenths_pad_s_takes_differ_at_a_wild_temperature_and_memory_0(
    cli, tmp_path
) -> None:
    """A pad of inverted sevenths (Dm7/C, G7/B, Cmaj7/B, A7/C# in close position) whose
    chords had no voicing of their own clear of clashes in the part's range kept its loop
    at -t 1.3 and 2 alike, and was told to give -t 1.3 or more, then --memory 0 (the
    advice's wording: test_drum_touches). Its sevenths' ninths for their fifths give its
    turns voicings (helper-157): at -t 1 and 1.3 its takes differ and nothing is said, as
    at --memory 0, where the network plays the takes itself."""
    chords = ((60, 62, 65, 69), (59, 62, 65, 67), (59, 60, 64, 67), (61, 64, 67, 69))
    notes = tuple(Note(p, 4.0 * bar, 4.0, 80) for bar, c in enumerate(chords) for p in c)
    seed = tmp_path / "inv7.mid"
    write_midi(Clip(notes, 16.0), seed)
    same = ("-n", "4", "--rng-seed", "1", "--model", "producer")
    for name, extra in (("t1", ("-t", "1")), ("t13", ("-t", "1.3")), ("m0", ("--memory", "0"))):
        told = cli("generate", seed, "-o", tmp_path / f"{name}.mid", *extra, *same)
        assert told.returncode == 0, told.stderr
        assert "same notes" not in told.stderr and "differ" not in told.stderr, told.stderr
        takes = {read_midi(tmp_path / f"{name}-{i}.mid").notes for i in (1, 2, 3, 4)}
        assert len(takes) == 4, name


def test_a_power_chord_riff_s_open_third_is_said_and_can_be_asked_for(segue_main, tmp_path) -> None:
    """generate --key auto said "key A major" for a riff of A5 D5 E5 E5 (no third), and its
    takes played the C# and F# of that key; it says "key A no-third", and --key "A no-third"
    (or "A (no third)", as a musician writes it) asks for that key, whose takes play only A
    B D E (--key "A no-third" was an unknown scale)."""
    riff = power_riff()  # A5 D5 E5 E5
    write_midi(riff, tmp_path / "riff.mid", program=30)
    for i, key in enumerate(("auto", "A no-third", "A (no third)")):
        out = tmp_path / f"takes{i}.mid"
        run = segue_main("generate", tmp_path / "riff.mid", "--key", key, "-o", out, "-n", "2")
        assert run.returncode == 0, run.stderr
        assert "key A no-third)" in run.stdout, run.stdout
        for take in (1, 2):
            took = read_midi(tmp_path / f"takes{i}-{take}.mid")
            assert {n.pitch % 12 for n in took.notes} <= {9, 11, 2, 4}, key


def test_a_key_with_a_word_segue_does_not_know_exits_with_one_line(segue_main, tmp_path) -> None:
    """--key "C 日本 major" played takes locked to C major without a word (helper-263): the
    run stops with one line naming the word and Live's scales, and writes nothing."""
    riff = power_riff()
    write_midi(riff, tmp_path / "riff.mid", program=30)
    out = tmp_path / "takes.mid"
    run = segue_main("generate", tmp_path / "riff.mid", "--key", "C 日本 major", "-o", out)
    assert run.returncode != 0 and run.stdout == ""
    assert run.stderr.startswith("segue: error: unknown scale '日本 major' in key 'C 日本 major':")
    assert run.stderr.count("\n") == 1 and "Messiaen 7), no-third" in run.stderr
    assert not list(tmp_path.glob("takes*"))


def test_a_stray_note_far_past_the_seed_is_refused_as_segue_send_refuses_it(
    segue_main, tmp_path
) -> None:
    """A bass of 4 quarter notes with one stray note 100,000 beats late: segue send refused
    it in one line, segue generate read a 25,003-bar seed and played a 1-note take without a
    word (helper-263). Both say the same line, and write nothing."""
    import mido

    midi = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    midi.tracks.append(track)
    for i, pitch in enumerate((45, 45, 52, 55)):  # a beat apart, 0.9 beats long
        track.append(mido.Message("note_on", note=pitch, velocity=100, time=48 if i else 0))
        track.append(mido.Message("note_off", note=pitch, time=432))
    late = 100_000 * 480 - 4 * 480 + 48  # beat 100,000
    track.append(mido.Message("note_on", note=57, velocity=100, time=late))
    track.append(mido.Message("note_off", note=57, time=240))
    seed = tmp_path / "stray.mid"
    midi.save(seed)
    runs = (
        segue_main("generate", seed, "-o", tmp_path / "o.mid"),
        segue_main("send", seed, "--port", 9, "-o", tmp_path / "o.mid"),
    )
    for run in runs:
        assert run.returncode == 1 and run.stdout == "" and run.stderr.count("\n") == 1, run
        assert run.stderr == (
            f"segue: error: {seed}: 5 notes over 100004 beats; the bridge takes at most 2048 "
            "notes and 4096 beats, and 1 note runs past beat 4096, the first at bar 25001 beat "
            "1 (choose a track with --track, or cut the file)\n"
        )
    assert not list(tmp_path.glob("o*"))


def test_a_riff_midi_seed_is_continued_and_written_as_mid(segue_main, tmp_path) -> None:
    """A clip saved on Windows as .rmi (RIFF MIDI) was refused as not a MIDI file: it is
    continued as the MIDI file inside it, and the takes are written as .mid."""
    from midi_files import riff_midi

    from segue.midi_io import write_midi
    from segue.notes import Clip, Note

    smf = tmp_path / "bass.mid"
    write_midi(Clip([Note(45 + 7 * (i % 2), i * 0.5, 0.4, 100) for i in range(16)], 8.0), smf)
    seed = tmp_path / "bass.rmi"
    seed.write_bytes(riff_midi(smf.read_bytes()))
    run = segue_main("generate", seed, "-n", 1, "--rng-seed", 1, "-o", tmp_path / "next")
    assert run.returncode == 0, run.stderr
    again = segue_main("generate", smf, "-n", 1, "--rng-seed", 1, "-o", tmp_path / "again")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "next.mid").read_bytes() == (tmp_path / "again.mid").read_bytes()
