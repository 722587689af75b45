"""The bundled models: installed, listed, and behaving as a musician expects."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from segue.grid import TICKS_PER_BEAT
from segue.midi_io import read_midi
from segue.model.checkpoint import load_checkpoint
from segue.model.generate import generate
from segue.model.metrics import Context, as_rows, diversity, loop_metrics, mean_length, replay
from segue.model.registry import DEFAULT_MODEL, find_model, list_models
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


@pytest.fixture(scope="module")
def melody():
    return load_checkpoint(find_model("melody")).model


@pytest.fixture(scope="module")
def polyphonic():
    return load_checkpoint(find_model("polyphonic")).model


def test_the_bundled_models_are_installed_and_auto_is_the_default(segue_main) -> None:
    names = {e.name: e for e in list_models()}
    assert {"melody", "polyphonic", "producer", "drums"} <= set(names)
    assert DEFAULT_MODEL == "auto"
    assert sum(e.size_bytes for e in names.values()) < 20e6
    for entry in names.values():
        assert entry.card.exists(), f"{entry.name} has no model card"
    listing = segue_main("models")
    assert listing.returncode == 0
    assert all(f"  {name} " in listing.stdout for name in names)
    assert "the default: auto (segue chooses for each clip" in listing.stdout


def test_a_soft_seed_gets_a_soft_continuation(melody) -> None:
    reel = read_midi(SEEDS / "reel.mid")
    for level in (48, 100):
        seed = Clip(
            tuple(Note(n.pitch, n.start, n.duration, level) for n in reel.notes),
            reel.length,
            reel.time_signature,
        )
        result = generate(melody, seed, GenerationParams(bars=4, variations=4, rng_seed=1))
        velocities = [n.velocity for v in result.variations for n in v.clip.notes]
        assert abs(statistics.median(velocities) - level) <= 12, (level, velocities[:20])


def test_a_lead_s_accents_are_kept_by_the_models_that_learnt_no_dynamics(
    melody, polyphonic
) -> None:
    """A 16th-note lead accented 110/70/90/70: the melody and polyphonic models (their
    corpora have no dynamics) played every note at 72, the last note's level (helper-40)."""
    from segue.model.accents import echoes_velocity

    accent = (110, 70, 90, 70)
    line = (69, 72, 76, 72, 74, 72, 69, 67)
    seed = Clip(tuple(Note(line[i % 8], i / 4, 0.2, accent[i % 4]) for i in range(32)), 8.0)
    for model in (melody, polyphonic):
        assert echoes_velocity(model)
        result = generate(model, seed, GenerationParams(bars=4, variations=2, rng_seed=1))
        notes = [n for variation in result.variations for n in variation.clip.notes]
        on_16ths = [n for n in notes if (n.start * 4) % 1 == 0]
        assert len(on_16ths) > 16  # (a take of the polyphonic model may turn to triplets)
        for note in on_16ths:
            assert note.velocity == accent[int(note.start * 4) % 4], note
    drums = load_checkpoint(find_model("drums")).model
    assert not echoes_velocity(drums)  # it learnt its hits' dynamics: they stay its own


def test_key_auto_keeps_a_minor_chord_loop_s_own_notes() -> None:
    """Dm A Bb A under --key auto was locked to A major: its F and Bb came back as F# and
    B, the loop turned to D major (helper-47)."""
    chords = ((62, 65, 69), (61, 64, 69), (58, 62, 65), (57, 61, 64))
    seed = Clip(tuple(Note(p, 2.0 * i, 1.9, 90) for i, c in enumerate(chords * 2) for p in c))
    model = load_checkpoint(find_model("producer")).model
    result = generate(model, seed, GenerationParams(bars=4, variations=2, key="auto", rng_seed=1))
    assert str(result.key) == "D harmonic-minor"
    for variation in result.variations:
        classes = {n.pitch % 12 for n in variation.clip.notes}
        assert {5, 10} <= classes and not {6, 11} & classes  # F and Bb, not F# and B


def test_melody_model_writes_a_line_and_polyphonic_writes_chords(melody, polyphonic) -> None:
    def mean_polyphony(model, seed_name: str) -> float:
        seed = read_midi(SEEDS / seed_name)
        result = generate(model, seed, GenerationParams(bars=4, variations=4, rng_seed=2))
        counts = []
        for v in result.variations:
            notes = v.clip.notes
            counts += [sum(1 for m in notes if m.start <= n.start < m.end) for n in notes]
        return statistics.mean(counts)

    assert mean_polyphony(melody, "reel.mid") < 1.3
    assert mean_polyphony(polyphonic, "chorale.mid") > 2.5


@pytest.mark.parametrize(
    "seed, model",
    [
        ("reel.mid", "melody"),
        ("chorale.mid", "polyphonic"),
        ("bassline.mid", "producer"),
        ("chords.mid", "producer"),
        ("arp.mid", "producer"),
        ("lead.mid", "producer"),
        ("beat.mid", "drums"),
    ],
)
def test_generate_chooses_the_model_for_the_clip_by_default(
    seed: str, model: str, tmp_path: Path, segue_main
) -> None:
    out = tmp_path / "next.mid"
    result = segue_main("generate", SEEDS / seed, "-o", out, "--plot")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"model auto: {model}:")
    continuation = read_midi(out, drums=seed == "beat.mid")
    assert len(continuation) >= 8 and continuation.bars == 4
    assert out.with_suffix(".png").exists()


@pytest.mark.parametrize("name", ["bassline", "chords", "arp", "lead"])
def test_the_producer_model_keeps_a_producers_loop_and_varies_it(name: str) -> None:
    """The example clips of a producer's parts, continued as #16 asks of real songs: each
    take keeps the clip's register, rhythm, density and note lengths, plays its loop for
    the most part, and the four takes differ. The seed played again stands in for the
    real continuation."""
    seed = read_midi(SEEDS / f"{name}.mid")
    rows = as_rows(seed.notes)
    ticks = round(seed.length * TICKS_PER_BEAT)
    context = Context.of_seed(rows, ticks, 4, 4 * TICKS_PER_BEAT, real=replay(rows, ticks, ticks))
    model = load_checkpoint(find_model("producer")).model
    for rng_seed in (1, 2, 3):
        result = generate(model, seed, GenerationParams(bars=4, variations=4, rng_seed=rng_seed))
        takes = [as_rows(v.clip.notes) for v in result.variations]
        for take in takes:
            kept = loop_metrics(take, context)
            assert kept["register_error"] <= 2, (rng_seed, kept)
            assert kept["seed_positions"] >= 0.9, (rng_seed, kept)
            assert kept["loop_share"] >= 0.7, (rng_seed, kept)
            assert abs(len(take) / len(rows) - 1) <= 0.25, (rng_seed, len(take))
            assert abs(mean_length(take) / mean_length(rows) - 1) <= 0.2, rng_seed
        assert diversity(takes) >= 0.05, rng_seed


def test_the_readme_run_command_serves_the_default_model(tmp_path, segue_main) -> None:
    """The README's `segue serve` is a process of its own; the clients that ask it, `segue
    ping` and `segue send`, run in this process (``segue_main``): they show nothing here that
    only a process would."""
    from serving import Serve

    server = Serve("--port", "0")  # the README's `segue serve`, on a free port
    try:
        port = server.wait_for(r"listening on udp 127\.0\.0\.1:(\d+)").group(1)
        ping = segue_main("ping", "--port", port)
        assert ping.returncode == 0 and "auto" in ping.stdout, ping.stderr
        out = tmp_path / "next.mid"
        sent = segue_main("send", SEEDS / "jig.mid", "--port", port, "--bars", "2", "-o", out)
        assert sent.returncode == 0, sent.stderr
        clip = read_midi(out)
        assert clip.time_signature.numerator == 6 and clip.length == 6  # two bars of 6/8
        # the drum settings travel as text, as the device's Fills menu sends them
        beat = tmp_path / "beat-next.mid"
        fills = ("--fills", "phrase", "--kit", "gm", "--bars", "4")
        drums = segue_main("send", SEEDS / "beat.mid", "--port", port, *fills, "-o", beat)
        assert drums.returncode == 0, drums.stderr
        assert len(read_midi(beat, drums=True)) >= 8
    finally:
        assert server.stop() == 0
