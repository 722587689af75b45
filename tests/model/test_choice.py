"""Auto: the least surprised model continues a clip; drum clips go to the drum model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import torch

from segue.errors import SegueError
from segue.grid import clip_rows
from segue.model.architecture import ModelConfig
from segue.model.checkpoint import load_checkpoint, save_checkpoint
from segue.model.choice import (
    AUTO,
    DRUMS,
    LOOP_MARGIN,
    LOOPING,
    REMEMBERED,
    ModelChooser,
    best_of,
    is_drum_model,
    is_produced,
    surprise,
)
from segue.model.loop import CELLS, self_repetition
from segue.model.lstm import SegueLSTM
from segue.notes import Clip, Note, TimeSignature


def biased(pitch: int, rng_seed: int) -> SegueLSTM:
    """An untrained network pushed hard towards 8th notes of one pitch."""
    torch.manual_seed(rng_seed)
    model = SegueLSTM(ModelConfig(hidden=16, embed=8, layers=1))
    with torch.no_grad():
        model.pitch_head[-1].bias[pitch] += 20.0
        model.offset_head[-1].bias[12] += 20.0  # 12 ticks: an 8th note
        model.duration_head[-1].bias[11] += 20.0  # duration class 11: 12 ticks
    return model


def clip_of(pitch: int) -> Clip:
    return Clip(tuple(Note(pitch, 0.5 + i * 0.5, 0.5, 90) for i in range(7)), 4.0, TimeSignature())


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("choice")
    save_checkpoint(folder / "low.pt", biased(40, 1), {"summary": "low"})
    save_checkpoint(folder / "high.pt", biased(80, 2), {"summary": "high"})
    save_checkpoint(folder / f"{DRUMS}.pt", biased(36, 3), {"summary": "beats", "drums": True})
    return folder


def test_the_least_surprised_model_is_chosen(models_dir: Path) -> None:
    low = load_checkpoint(models_dir / "low.pt")
    high = load_checkpoint(models_dir / "high.pt")
    assert surprise(low, clip_of(40)) < surprise(high, clip_of(40))
    assert best_of([("low", low), ("high", high)], clip_of(80))[0] == "high"
    assert best_of([("low", low), ("high", high)], clip_of(40))[0] == "low"


def test_auto_chooses_among_installed_models_and_keeps_drums_apart(models_dir: Path) -> None:
    chooser = ModelChooser(AUTO, models_dir)
    assert chooser.choose(clip_of(80))[0] == "high"
    assert chooser.choose(clip_of(36))[0] != DRUMS  # a melodic clip never goes to drums
    assert chooser.choose(clip_of(36), drums=True)[0] == DRUMS
    named = ModelChooser("low", models_dir)
    assert named.choose(clip_of(80))[0] == "low"  # a named model is always the one


def test_auto_chooses_a_drum_model_of_your_own_for_the_beats_it_knows(
    models_dir: Path, tmp_path: Path
) -> None:
    """A drum model tuned on the musician's beats (Learn with the drum model) was never
    chosen by auto: a drum clip always went to the bundled one."""
    for path in models_dir.glob("*.pt"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    save_checkpoint(tmp_path / "kit.pt", biased(38, 5), {"summary": "mine", "drums": True})
    chooser = ModelChooser(AUTO, tmp_path)
    assert chooser.choose(clip_of(38), drums=True)[0] == "kit"
    assert chooser.choose(clip_of(36), drums=True)[0] == DRUMS
    assert chooser.choose(Clip((), 4.0), drums=True)[0] == DRUMS  # from nothing: bundled
    assert chooser.choose(clip_of(38))[0] not in {"kit", DRUMS}  # melodic: never a kit


def test_auto_reads_a_clip_asked_for_again_only_once(
    models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import segue.model.choice as choice

    reads: list[Clip] = []
    real = choice.surprise
    monkeypatch.setattr(choice, "surprise", lambda m, c: reads.append(c) or real(m, c))
    chooser = ModelChooser(AUTO, models_dir)
    first = chooser.choose(clip_of(80))
    passes = len(reads)
    assert passes >= 2  # every candidate read it
    assert chooser.choose(clip_of(80)) == first and len(reads) == passes  # the same clip again
    assert chooser.choose(clip_of(80), drums=True)[0] == DRUMS  # a drum track is another ask
    chooser.choose(clip_of(79))
    assert len(reads) == 2 * passes  # a new clip is read
    for pitch in range(60, 60 + REMEMBERED):  # older clips are forgotten, the latest kept
        chooser.choose(clip_of(pitch))
    reads.clear()
    chooser.choose(clip_of(60 + REMEMBERED - 1))
    assert not reads
    assert chooser.choose(clip_of(80))[0] == "high" and len(reads) == passes


def test_a_new_clip_scored_by_auto_is_read_once_for_its_generation_too(models_dir: Path) -> None:
    # a new clip (every edit in Live): auto's pass over it is the chosen model's reading of
    # the seed, kept with its weights (architecture.seed_readings), so generating from it
    # reads it no more, and plays what a model that never scored it plays; the score is the
    # network's own teacher-forced loss, bit for bit, without running the velocity head
    import torch.nn.functional as F

    from segue.grid import to_ticks
    from segue.model.choice import SCORED_FIELDS
    from segue.model.generate import generate, intra_op_threads
    from segue.model.lstm_fused import fused
    from segue.model.settings import GenerationParams
    from segue.model.vocab import steps_of

    chooser = ModelChooser(AUTO, models_dir)
    loaded, fresh = chooser.candidates()["high"], load_checkpoint(models_dir / "high.pt")
    model = loaded.model
    reads: list[int] = []  # passes over the clip's steps whole (octave_for hears its moves)
    velocity: list[int] = []
    encode = model.encode
    whole = (1, len(clip_of(80).notes) + 1, 5)  # the start of a piece and every note

    def counted(steps: torch.Tensor, *state: object) -> object:
        reads.extend([1] if tuple(steps.shape) == whole else [])
        return encode(steps, *state)

    model.encode = counted  # type: ignore[method-assign]
    model.velocity_head.register_forward_hook(lambda *a: velocity.append(1))
    clip = clip_of(80)

    def forward_loss() -> float:  # the score as the network's forward gives it (a copy's)
        steps = torch.from_numpy(steps_of(clip_rows(clip), to_ticks(4), model.config.vocab))
        with torch.inference_mode(), intra_op_threads(1):  # as auto scores
            logits = fresh.model(steps[None, :-1], steps[None, 1:])
        return sum(
            F.cross_entropy(logits[f][0].float(), steps[1:, i], reduction="sum").item()
            for i, f in enumerate(SCORED_FIELDS)
        ) / len(clip.notes)

    assert chooser.choose(clip) == ("high", loaded) and len(reads) == 1 and not velocity
    with intra_op_threads(1):
        score = surprise(loaded, clip)
    assert score == forward_loss() and len(reads) == 1
    params = GenerationParams(bars=2, variations=2, rng_seed=3)
    takes = generate(model, clip, params).variations
    assert len(reads) == 1  # the chosen model's seed: read by the choice
    assert takes == generate(fresh.model, clip, params).variations
    model.train()  # dropout on: a reading of its own, not the kept one
    with torch.inference_mode():
        fused(model).start(steps_of(clip_rows(clip), to_ticks(4), model.config.vocab), 1)
    model.eval()
    assert len(reads) == 2
    with torch.no_grad():  # new weights (a tuning): read afresh
        for net in (model, fresh.model):
            net.offset_head[-1].bias[12] -= 10.0  # 8ths less sure
    with intra_op_threads(1):
        assert surprise(loaded, clip) == forward_loss() != score and len(reads) == 3


def test_an_empty_clip_goes_to_a_model_anyway(models_dir: Path) -> None:
    name, _ = ModelChooser(AUTO, models_dir).choose(Clip((), None, TimeSignature()))
    assert name in {"low", "high", "melody", "polyphonic", "producer"}


def test_a_clip_that_loops_goes_to_a_model_that_keeps_loops(tmp_path: Path) -> None:
    save_checkpoint(tmp_path / "sure.pt", biased(40, 4), {})  # the least surprised
    looper = biased(80, 5)
    looper.config = replace(looper.config, loop=(0.9,) * CELLS)
    save_checkpoint(tmp_path / "looper.pt", looper, {})
    riff = Clip(tuple(Note(40, 0.5 + i * 0.5, 0.5, 90) for i in range(15)), 8.0, TimeSignature())
    assert is_produced(riff)
    tune = Clip(tuple(Note(64 + i % 3, i * 0.5, 0.5, 90) for i in range(8)), 4.0)
    assert not is_produced(tune)  # no loop (one bar), not low, no rests
    assert is_produced(Clip(tuple(Note(45 + i % 3, i * 0.5, 0.5, 90) for i in range(8)), 4.0))
    stabs = Clip(tuple(Note(64 + i % 3, i * 1.0, 0.5, 90) for i in range(4)), 4.0)
    assert is_produced(stabs)  # silent half the time
    chooser = ModelChooser(AUTO, tmp_path)
    name, chosen = chooser.choose(riff)
    assert chosen.config.loop_table() is not None  # looper, or a bundled model with a loop
    assert surprise(chooser.candidates()["sure"], riff) < surprise(chosen, riff)
    everyone = [(n, m) for n, m in chooser.candidates().items() if n != DRUMS]
    assert chooser.choose(tune)[0] == best_of(everyone, tune)[0]  # all of them compete
    scores = {n: surprise(m, tune) for n, m in everyone}
    best = min(scores, key=scores.__getitem__)
    keepers = [n for n, m in everyone if m.config.loop_table() is not None]
    keeper = min(keepers, key=scores.__getitem__)
    expected = keeper if scores[keeper] <= scores[best] + LOOP_MARGIN else best
    assert best_of(everyone, tune)[0] == expected


def test_a_clip_like_none_of_the_others_music_goes_to_a_loop_keeper(tmp_path: Path) -> None:
    from segue.model.choice import at_home

    tune = clip_of(64)
    save_checkpoint(tmp_path / "tunes.pt", biased(64, 6), {})
    chooser = ModelChooser(AUTO, tmp_path)
    assert chooser.choose(tune)[0] == "tunes"  # at home: nothing says otherwise
    score = surprise(chooser.candidates()["tunes"], tune)
    far = {"surprise": {"p50": score / 4, "p95": score / 2, "clips": 10, "split": "valid"}}
    save_checkpoint(tmp_path / "tunes.pt", biased(64, 6), far)
    assert not at_home(load_checkpoint(tmp_path / "tunes.pt"), score)
    name, chosen = ModelChooser(AUTO, tmp_path).choose(tune)
    assert name != "tunes" and chosen.config.loop_table() is not None


def test_home_surprise_reads_the_4_bar_clips_of_a_split(tmp_path: Path) -> None:
    from segue.dataset.loading import load_dataset
    from segue.dataset.prepare import prepare_dataset
    from segue.midi_io import write_midi
    from segue.model.choice import home_surprise

    folder = tmp_path / "midi"
    folder.mkdir()
    for k in range(6):
        notes = tuple(Note(60 + (i * (k + 2)) % 12, i * 0.5, 0.5, 90) for i in range(64))
        write_midi(Clip(notes, 32.0), folder / f"piece{k}.mid")
    prepare_dataset([folder], tmp_path / "ds", valid_fraction=0.0, test_fraction=1.0, workers=1)
    loaded = load_checkpoint(save_checkpoint(tmp_path / "m.pt", biased(60, 1), {}))
    home = home_surprise(loaded, load_dataset(tmp_path / "ds"), "test")
    assert home is not None and home["clips"] == 6 * 2  # 8 bars each: two clips of 4
    assert 0 < home["p50"] <= home["p95"] and home["split"] == "test"
    assert home_surprise(loaded, load_dataset(tmp_path / "ds"), "valid") is None


def test_a_named_melodic_model_refuses_a_drum_clip_and_a_drum_model_plays_any(
    models_dir: Path,
) -> None:
    beat = clip_of(36)
    with pytest.raises(SegueError, match="the clip is a drum part, and low is a melodic model"):
        ModelChooser("low", models_dir).choose(beat, drums=True)
    assert ModelChooser("low", models_dir).choose(beat)[0] == "low"
    drums = ModelChooser(DRUMS, models_dir)
    assert drums.choose(beat, drums=True)[0] == DRUMS
    assert drums.choose(beat)[0] == DRUMS  # a beat from Live, on channel 1


def test_a_tuned_loop_keeper_competes_only_for_clips_like_its_own(tmp_path: Path) -> None:
    """A loop keeper competed for every clip, and the producer model tuned on basslines took
    chorales and reels from the bundled models; a tuned model now competes only where it is
    at home, as the bundled loop keeper still does everywhere."""
    from segue.model.choice import at_home

    keeper = biased(40, 6)
    keeper.config = replace(keeper.config, loop=(0.9,) * CELLS)
    low = clip_of(40)
    score = surprise(load_checkpoint(save_checkpoint(tmp_path / "k.pt", keeper, {})), low)
    home = {"p50": score, "p95": score * 1.01, "clips": 4, "split": "tuning, held out"}
    save_checkpoint(tmp_path / "mine.pt", keeper, {"tuned": {"base": "x"}, "surprise": home})
    # another model, the clip like none of its music either: a keeper took such a clip
    strict = {"surprise": {"p50": 0.0, "p95": 0.0, "clips": 4, "split": "valid"}}
    save_checkpoint(tmp_path / "high.pt", biased(80, 7), strict)
    mine, high = load_checkpoint(tmp_path / "mine.pt"), load_checkpoint(tmp_path / "high.pt")
    high_clip = clip_of(80)
    assert at_home(mine, surprise(mine, low)) and not at_home(mine, surprise(mine, high_clip))
    assert not at_home(high, surprise(high, high_clip))
    pairs = [("mine", mine), ("high", high)]
    assert best_of(pairs, low)[0] == "mine"  # its own music
    assert best_of(pairs, high_clip)[0] == "high"  # not its own: the keeper's right is gone
    untuned = load_checkpoint(tmp_path / "k.pt")  # the same weights, not tuned: as before,
    assert best_of([("k", untuned), ("high", high)], low)[0] == "k"  # a keeper competes
    assert best_of([("mine", mine)], high_clip)[0] == "mine"  # alone, it is the one


def test_a_tuning_that_knows_a_clip_better_than_its_base_plays_where_the_base_would(
    tmp_path: Path,
) -> None:
    """A drum model tuned on a musician's beats lost those very beats to the bundled drum
    model (helper-42): one held-out clip had set its limit. Where its base is the choice
    anyway, a tuning of it that the clip surprises less plays it; a tuning of another
    base still does not (a polyphonic model tuned on basslines took the producer model's
    chord loop)."""
    base = biased(80, 8)  # the base: far from the clip
    beat = clip_of(40)
    save_checkpoint(tmp_path / "base.pt", base, {})
    strict = {"p50": 0.0, "p95": 0.0, "clips": 1, "split": "tuning, held out"}
    for name, of in (("mine", "base"), ("other", "elsewhere")):  # both know the clip well
        save_checkpoint(
            tmp_path / f"{name}.pt", biased(40, 9), {"tuned": {"base": of}, "surprise": strict}
        )
    loaded = {n: load_checkpoint(tmp_path / f"{n}.pt") for n in ("base", "mine", "other")}
    assert surprise(loaded["mine"], beat) < surprise(loaded["base"], beat)
    pairs = [(n, loaded[n]) for n in ("base", "mine", "other")]
    assert best_of(pairs, beat)[0] == "mine"  # away from home, but the base's better
    assert best_of([("base", loaded["base"]), ("other", loaded["other"])], beat)[0] == "base"
    far = clip_of(80)  # a clip the base knows better: the base plays it
    assert best_of(pairs, far)[0] == "base"
    # a Learn from a Learn, and a tuning whose base was named by its path (helper-45)
    save_checkpoint(tmp_path / "first.pt", base, {"tuned": {"base": "base"}, "surprise": strict})
    for name, of in (("second", "first"), ("by_path", "C:\\Users\\me\\segue\\base.pt")):
        info = {"tuned": {"base": of}, "surprise": strict}
        save_checkpoint(tmp_path / f"{name}.pt", biased(40, 9), info)
        chain = [(n, load_checkpoint(tmp_path / f"{n}.pt")) for n in ("base", "first", name)]
        assert best_of(chain, beat)[0] == name
    # tuned again into its own name: its record's base is itself, its lineage's the root
    again = {"tuned": {"base": "again", "lineage": [{"base": "base"}]}, "surprise": strict}
    save_checkpoint(tmp_path / "again.pt", biased(40, 9), again)
    chain = [(n, load_checkpoint(tmp_path / f"{n}.pt")) for n in ("base", "again")]
    assert best_of(chain, beat)[0] == "again"


@pytest.mark.parametrize(
    ("melody", "producer", "riffs", "chosen"),
    [
        (2.98, 3.85, 3.41, "melody"),  # the keeper's margin is the bundled keeper's alone
        (3.0, 3.2, 3.1, "riffs"),  # the bundled keeper wins by its margin: its tuning plays
        (3.0, 3.2, 2.9, "riffs"),  # the least surprised
        (3.0, 3.3, 3.6, "producer"),  # the bundled keeper's margin, as before
    ],
)
def test_a_tuned_loop_keeper_wins_a_tune_only_where_its_base_would_or_on_its_score(
    monkeypatch: pytest.MonkeyPatch, melody: float, producer: float, riffs: float, chosen: str
) -> None:
    """A producer model tuned on 4 basslines (its limit its base's, so at home nearly
    everywhere) took a piano melody from the melody model: less surprised by it than its
    base, it came within the loop keeper's margin (helper-55: 3.41 against 2.98), which was
    measured between the bundled models' music."""
    from segue.model import choice
    from segue.model.checkpoint import LoadedModel

    looper = biased(40, 10)
    looper.config = replace(looper.config, loop=(0.9,) * CELLS)
    wide = {"p50": 1.0, "p95": 6.53, "clips": 40, "split": "valid"}
    models = {
        "melody": LoadedModel(biased(80, 11), biased(80, 11).config, {"surprise": wide}, Path()),
        "producer": LoadedModel(looper, looper.config, {"surprise": wide}, Path()),
        "riffs": LoadedModel(
            looper, looper.config, {"tuned": {"base": "producer"}, "surprise": wide}, Path()
        ),
    }
    scores = {id(models["melody"]): melody, id(models["producer"]): producer}
    scores[id(models["riffs"])] = riffs
    monkeypatch.setattr(choice, "surprise", lambda loaded, clip: scores[id(loaded)])
    tune = Clip(tuple(Note(72 + i % 5, i * 0.5, 0.5, 90) for i in range(8)), 4.0)
    assert not is_produced(tune)
    assert best_of(models.items(), tune)[0] == chosen


def test_a_drum_part_with_no_readable_drum_model_says_so(tmp_path: Path) -> None:
    """A damaged drums.pt: auto gave the beat to a melodic model, which played it as notes,
    without a word (helper-45)."""
    (tmp_path / f"{DRUMS}.pt").write_bytes(b"not a checkpoint")  # in the bundled one's place
    chooser = ModelChooser(AUTO, tmp_path)
    if any(is_drum_model(m) for m in chooser.candidates().values()):
        pytest.skip("a drum model of this computer's own is installed")
    with pytest.raises(SegueError, match="the clip is a drum part, and no drum model can be read"):
        chooser.choose(clip_of(36), drums=True)
    assert chooser.choose(clip_of(60))[0] != DRUMS  # a melodic clip is continued as before


def test_a_riff_after_a_pickup_is_a_producer_s_loop() -> None:
    """A two-note pickup, then a one-bar riff three times: bar 2 was compared with the
    pickup's empty beats, 0.78 of its notes repeated, under LOOPING, and the folk model
    dropped the riff (helper-51). Notes are compared only from the clip's first note."""
    pickup = [Note(67, 2.0, 1.0, 90), Note(71, 3.0, 1.0, 90)]
    riff = [(74, 0.0, 1.0), (72, 1.0, 0.5), (71, 1.5, 0.5), (69, 2.0, 1.0), (67, 3.0, 0.5)]
    riff += [(71, 3.5, 0.5)]  # legato: no rests to count it a producer's part by
    notes = pickup + [Note(p, 4.0 * bar + t, d, 90) for bar in (1, 2, 3) for p, t, d in riff]
    clip = Clip(tuple(notes), 16.0)
    rows = clip_rows(clip)
    assert self_repetition(rows[:, 0], rows[:, 1], 96) < LOOPING  # as read before
    assert is_produced(clip)


def _write_song(path: Path, notes: list[tuple[int, float, float]], program: int = 0) -> Path:
    """A MIDI file at 120 BPM of (pitch, start, end) in beats (half a second each)."""
    import pretty_midi

    song = pretty_midi.PrettyMIDI(initial_tempo=120.0)
    part = pretty_midi.Instrument(program=program)
    for pitch, start, end in notes:
        part.notes.append(pretty_midi.Note(90, pitch, start / 2, end / 2))
    song.instruments.append(part)
    song.write(str(path))
    return path


def test_a_melody_played_in_is_chosen_as_its_quantized_twin(tmp_path: Path) -> None:
    """A 16-note A minor melody played from a keyboard (struck 5-25 ms around the beat, each
    note held 20-60 ms into the next) surprised the melody model 19.6 nats a note against
    3.1 quantized, by its played lengths alone, and went to the producer model, which copied
    it 84-94% (helper-102). The models read the clip as written (``feel.as_written``): it goes
    where its quantized twin goes, the melody model, as surprised."""
    from segue.midi_io import read_midi

    tune = [(69, 0, 1), (72, 1, 0.5), (71, 1.5, 0.5), (69, 2, 1), (67, 3, 1), (64, 4, 1.5)]
    tune += [(67, 5.5, 0.5), (69, 6, 2), (72, 8, 1), (74, 9, 0.5), (76, 9.5, 0.5), (74, 10, 1)]
    tune += [(72, 11, 1), (71, 12, 1.5), (72, 13.5, 0.5), (69, 14, 2)]
    ms = 1 / 500  # beats a millisecond at 120 BPM
    struck = [
        start + (5, -15, 25, -5, 10, -25, 20, -10)[i % 8] * ms
        for i, (_, start, _) in enumerate(tune)
    ]
    played = []
    for i, (pitch, _, _) in enumerate(tune):
        end = struck[i + 1] + (20, 40, 60)[i % 3] * ms if i + 1 < len(tune) else 15.94
        played.append((pitch, max(struck[i], 0.0), end))
    twin = read_midi(_write_song(tmp_path / "twin.mid", [(p, s, s + d) for p, s, d in tune], 81))
    clip = read_midi(_write_song(tmp_path / "played.mid", played, 81))
    chooser = ModelChooser(AUTO)
    name, loaded = chooser.choose(clip)
    assert name == chooser.choose(twin)[0] == "melody"
    from segue.model.feel import as_written

    assert surprise(loaded, as_written(clip)) == pytest.approx(surprise(loaded, twin), abs=0.01)
    assert not is_produced(as_written(clip))


def test_a_chord_loop_of_quarter_note_triads_played_in_goes_to_the_producer_model(
    tmp_path: Path,
) -> None:
    """Am F C G, each triad struck on every beat of its bar, played from a keyboard (struck
    up to 25 ms around the beat, let go 50 ms before the next): as written, block chords a
    beat long repeating nothing a bar later, so no loop by the bars, and the chorale model,
    less surprised, continued it: takes opening on a G chord, an F# or a D# in most
    (helper-273). It strikes every note again a beat later: a producer's part."""
    from segue.midi_io import read_midi
    from segue.model.feel import as_written

    ms = 1 / 500  # beats a millisecond at 120 BPM
    triads = [(57, 60, 64), (53, 57, 60), (55, 60, 64), (55, 59, 62)]
    played = []
    for beat in range(16):
        for voice, pitch in enumerate(triads[beat // 4]):
            start = max(0.0, beat + (5, -15, 25, -5, 10, -25, 20, -10)[(beat + voice) % 8] * ms)
            played.append((pitch, start, beat + 1 - 25 * ms))
    clip = read_midi(_write_song(tmp_path / "loop.mid", played, 4))
    assert ModelChooser(AUTO).choose(clip)[0] == "producer"
    assert is_produced(as_written(clip))
    ode = [64, 64, 65, 67, 67, 65, 64, 62, 60, 60, 62, 64]  # a tune of repeated notes
    tune = [(pitch, beat, beat + 1) for beat, pitch in enumerate(ode)]
    tune += [(64, 12, 13.5), (62, 13.5, 14), (62, 14, 16)]
    assert not is_produced(read_midi(_write_song(tmp_path / "ode.mid", tune)))


def test_auto_gives_a_beat_on_a_melodic_channel_to_the_drum_model(models_dir: Path) -> None:
    """A Drum Rack's clip exported from Live is on MIDI channel 1, where segue reads a
    melodic part: a house beat there (kick on every beat, clap on 2 and 4, hats between)
    went to a melodic model, which played its kick, clap and hats as notes. It looks like
    a General MIDI beat, and auto gives it the drum model; a bass line in power chords on
    the same notes (a kick, a tom, a clap, an open hat) stays a melodic part."""
    house = [Note(36, float(b), 0.25, 115) for b in range(8)]
    house += [Note(39, b + 1.0, 0.25, 100) for b in range(0, 8, 2)]
    house += [Note(42, b + 0.5, 0.25, 80) for b in range(8)]
    beat = Clip(tuple(sorted(house, key=lambda n: (n.start, n.pitch))), 8.0, TimeSignature())
    chooser = ModelChooser(AUTO, models_dir)
    assert chooser.choose(beat)[0] == DRUMS
    roots = [36, 36, 39, 39, 41, 41, 43, 38] * 2  # C5 Eb5 F5 G5 D5 in 8ths, on C2 to A2
    fifths = [Note(r + up, i / 2, 0.45, 100) for i, r in enumerate(roots) for up in (0, 7)]
    riff = Clip(tuple(fifths), 8.0, TimeSignature())
    assert chooser.choose(riff)[0] != DRUMS
    assert ModelChooser("low", models_dir).choose(beat)[0] == "low"  # named: that one


def test_a_drum_track_s_clip_is_not_asked_whether_it_looks_like_a_beat(
    models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a clip on a drum track is a beat: what the notes look like decides nothing there, and
    # the drum request's first press paid 0.4 ms for asking (examples/seeds/beat.mid)
    import segue.model.choice as choice

    asked: list[int] = []
    real = choice.looks_like_drums
    monkeypatch.setattr(choice, "looks_like_drums", lambda n: asked.append(1) or real(n))
    house = [Note(36, float(b), 0.25, 115) for b in range(8)]
    house += [Note(39, b + 1.0, 0.25, 100) for b in range(0, 8, 2)]
    house += [Note(42, b + 0.5, 0.25, 80) for b in range(8)]
    beat = Clip(tuple(sorted(house, key=lambda n: (n.start, n.pitch))), 8.0, TimeSignature())
    assert ModelChooser(AUTO, models_dir).choose(beat, drums=True)[0] == DRUMS and not asked
    assert ModelChooser(AUTO, models_dir).choose(beat)[0] == DRUMS and len(asked) == 1


def test_auto_gives_a_half_time_beat_on_channel_1_to_the_drum_model(
    models_dir: Path, tmp_path: Path
) -> None:
    """A half-time beat exported from a Drum Rack on channel 1 (a kick on 1 of bars 1 and
    3, a snare on 3, 8th hats) went to a melodic model, with a line saying to give --model
    drums; a pedal bass on F sharp 1 (a closed hat's note) in 8ths, its C1 alone, stays a
    melodic part."""
    from segue.midi_io import read_midi, write_midi

    hits = [Note(36, k, 0.25, 110) for k in (0.0, 8.0)]
    hits += [Note(38, 4.0 * b + 2, 0.25, 100) for b in range(4)]
    hits += [Note(42, e / 2, 0.25, 80) for e in range(32)]
    half = Clip(tuple(sorted(hits, key=lambda n: (n.start, n.pitch))), 16.0, TimeSignature())
    bass = [Note(36 if i == 24 else 42, i / 2, 0.45, 90) for i in range(32)]
    bass += [Note(38, 4.0 * b + 2.5, 0.45, 90) for b in range(4)]
    pedal = Clip(tuple(sorted(bass, key=lambda n: (n.start, n.pitch))), 16.0, TimeSignature())
    chooser = ModelChooser(AUTO, models_dir)
    for clip, drums in ((half, True), (pedal, False)):
        path = write_midi(clip, tmp_path / f"{drums}.mid", channel=0)  # MIDI channel 1
        read = read_midi(path)
        assert len(read.notes) == len(clip.notes)
        assert (chooser.choose(read)[0] == DRUMS) is drums
