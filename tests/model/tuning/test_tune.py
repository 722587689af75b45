"""Tuning a model end to end: a tiny model tuned on a few files, installed, listed, generating."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from tuning_material import (  # noqa: F401 (own_home: a fixture)
    QUICK,
    StopAfter,
    own_home,
    riff,
    write_riffs,
)

from segue.errors import SegueError
from segue.midi_io import write_midi
from segue.model.checkpoint import load_checkpoint
from segue.model.generate import generate
from segue.model.registry import list_models
from segue.model.settings import GenerationParams
from segue.model.tuning.install import NameTaken
from segue.model.tuning.material import TooLittle, read_sources
from segue.model.tuning.tune import tune
from segue.notes import Clip, Note


@pytest.fixture(scope="module")
def riffs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("riffs")
    write_riffs(folder, 10)
    return folder


@pytest.fixture(scope="module")
def tuned(riffs: Path, models_dir: Path):
    return tune(read_sources([riffs]), "riffs-tuned", "tiny", QUICK, models_dir=models_dir)


def test_tuning_lowers_the_held_out_loss_and_installs_a_user_model(tuned, models_dir):
    card = tuned.card
    assert card.base == "tiny"
    assert card.after < card.before - 0.5, (card.before, card.after)
    assert card.counts["pieces"] + card.counts["held_out_pieces"] == 10
    # the network learnt them at double and half their note values too (the riffs are
    # 4/4 eighths: every one both ways); the memory was fitted on them as they are
    assert card.counts["time_scaled_pieces"] == 2 * card.counts["pieces"]
    assert card.seconds < QUICK.seconds + 5
    entry = next(e for e in list_models(models_dir) if e.name == "riffs-tuned")
    assert entry.source == "user" and entry.path == tuned.path
    text = tuned.card_path.read_text(encoding="utf-8")
    assert "# riffs-tuned" in text and "riffs" in text and f"{card.after:.3f}" in text


def test_a_tuned_model_loads_keeps_its_memory_and_generates(tuned):
    loaded = load_checkpoint(tuned.path)
    assert loaded.config.memory  # refitted on the held-out pieces
    assert loaded.info["tuned"]["base"] == "tiny"
    assert loaded.info["memory"]["split"] == "held out"
    assert "refitted" not in loaded.info["tuned"]  # the refit replaced the one before it
    result = generate(loaded.model, riff(99), GenerationParams(bars=2, rng_seed=1))
    assert len(result.variations[0].clip.notes) > 0


def test_a_tuned_model_s_confidence_is_fitted_on_its_held_out_pieces(tuned):
    """The network's heads are tempered where the held-out riffs' continuations score
    best (``segue.model.tuning.calibrate``); the info and the card say how."""
    from segue.model.tuning.calibrate import TEMPERATURES

    fit = load_checkpoint(tuned.path).info["calibration"]
    assert fit["temperature"] in TEMPERATURES and fit["windows"] >= 2
    assert fit["after"] <= fit["before"]
    text = tuned.card_path.read_text(encoding="utf-8")
    assert "its confidence" in text


def test_a_tuned_model_knows_its_own_music_for_auto(tuned):
    """A tuned model carries the surprise of its own material (the held-out riffs), which
    auto reads: without it, a tuned model was at home with every clip, and took the
    producers' clips from the producer model."""
    from segue.model.choice import at_home, surprise

    loaded = load_checkpoint(tuned.path)
    home = loaded.info["surprise"]
    assert home["split"] == "tuning, held out" and home["clips"] >= 2  # 2 riffs of 8 bars
    assert 0 < home["p50"] <= home["p95"]
    assert sum(at_home(loaded, surprise(loaded, riff(i))) for i in range(10)) >= 8  # its own
    # the limit is never below its base's (what the base learnt is its music too), and a
    # model with no 4-bar clip of 4 notes to read has no figure
    from segue.grid import clip_rows, to_ticks
    from segue.model.tuning.material import Piece
    from segue.model.tuning.tune import home_of_tuning

    riffs = [Piece(f"r{i}", clip_rows(riff(i)), to_ticks(32.0)) for i in (1, 2)]
    own = home_of_tuning(loaded.model, riffs, [])
    assert own is not None and own["clips"] == 4 and "limit" not in own
    loose = home_of_tuning(loaded.model, riffs, [], {"p95": own["p95"] + 5})
    assert loose == {**own, "p95": own["p95"] + 5, "limit": "the base's"}
    assert home_of_tuning(loaded.model, riffs, [], {"p95": 0.0}) == own
    few = [Piece("few", clip_rows(riff(3))[:3], to_ticks(32.0))]
    assert home_of_tuning(loaded.model, few, few) is None
    far = Clip(tuple(Note(90 + (i * 7) % 30, i * 0.37, 0.1, 20) for i in range(32)), 16.0)
    assert not at_home(loaded, surprise(loaded, far))


def test_a_tuning_records_whether_its_model_hears_the_song_s_key(tuned, written_before):
    """`segue tune` scores its held-out pieces with and without the mixture over the moves
    it tuned with (``segue.model.transpositions``), turns it on only where they score
    better, and records the choice in the checkpoint and on the card; a tuned checkpoint
    written before it loads as the network it was, its card without the line."""
    from segue.model.tuning.install import tuned_card

    loaded = load_checkpoint(tuned.path)
    record = loaded.info["transpositions"]
    assert record["shifts"] == list(range(-5, 7)) and record["split"] == "held out"
    assert record["on"] == (record["nats_with"] < record["nats_without"])
    assert loaded.config.transpositions == (tuple(range(-5, 7)) if record["on"] else ())
    text = tuned.card_path.read_text(encoding="utf-8")
    assert f"Keys: {tuned.card.keys}." in text and f"{record['nats_with']:.3f}" in text
    assert tuned_card("riffs-tuned", loaded).keys == tuned.card.keys
    older = load_checkpoint(written_before(tuned.path, "transpositions"))
    assert older.config.transpositions == ()
    older.info.pop("transpositions")
    assert tuned_card("riffs-tuned", older).keys == ""
    assert "Keys:" not in tuned_card("riffs-tuned", older).markdown()


def test_tuning_a_model_again_in_its_own_name_keeps_its_lineage(tuned, riffs, models_dir):
    """`segue tune SRC -o mine --from mine --replace` recorded base "mine" and dropped the
    earlier tuning: `segue models` said "mine tuned on ...", the bundled base was lost."""
    import shutil

    again = tuned.path.with_name("again.pt")
    shutil.copyfile(tuned.path, again)
    shutil.copyfile(tuned.card_path, again.with_suffix(".md"))
    first = load_checkpoint(again).info["tuned"]
    result = tune(
        read_sources([riffs]), "again", "again", QUICK, models_dir=models_dir, replace=True
    )
    record = load_checkpoint(result.path).info["tuned"]
    assert record["base"] == "again" and record["date"]
    assert record["lineage"] == [{k: v for k, v in first.items() if k != "lineage"}]
    assert record["lineage"][0]["base"] == "tiny"
    entry = next(e for e in list_models(models_dir) if e.name == "again")
    summary = load_checkpoint(entry.path).info["summary"]
    assert summary.startswith("tiny tuned twice, last on 10 pieces of your own from riffs")
    assert "## Lineage" in result.card_path.read_text(encoding="utf-8")


def test_a_taken_name_is_refused_before_any_work(tuned, riffs, models_dir):
    with pytest.raises(NameTaken, match="already installed"):
        tune(read_sources([riffs]), "riffs-tuned", "tiny", QUICK, models_dir=models_dir)
    with pytest.raises(NameTaken, match="bundled"):
        tune(read_sources([riffs]), "melody", "tiny", QUICK, models_dir=models_dir)
    # a model of that name in --models-dir would hide the new one in every listing
    with pytest.raises(NameTaken, match=r"'tiny' is in .* \(--models-dir\), where it would hide"):
        tune(read_sources([riffs]), "tiny", "tiny", QUICK, models_dir=models_dir)


def test_stopped_before_the_first_step_installs_nothing(riffs, models_dir):
    """Ctrl-C or a cancel while the base model was still being scored installed a copy of
    it ("0 steps in 0 s"), which auto could then choose as a base."""
    from segue.errors import Stopped
    from segue.model.training.signals import StopFlag
    from segue.model.tuning.install import tuned_paths

    stop = StopFlag()
    stop.request()
    with pytest.raises(Stopped, match="before the first tuning step; early was not installed"):
        tune(read_sources([riffs]), "early", "tiny", QUICK, models_dir=models_dir, stop=stop)
    assert not any(p.exists() for p in tuned_paths("early", replace=True))
    assert "early" not in {e.name for e in list_models(models_dir)}


def test_a_second_ctrl_c_during_the_refit_keeps_the_best_installed_before_it(
    riffs, models_dir, monkeypatch
):
    """Ctrl-C keeps the best so far, and a second one while the clip memory was refitted
    (a long refit on a busy computer) lost it all: the steps were done, nothing was
    installed. The best is installed before the refit, with its base's memory, and stays,
    its card saying so, as a bridge ending its Learn during the refit leaves it."""
    from segue.model.tuning import tune as tuning

    def interrupted(model, held):
        raise KeyboardInterrupt

    monkeypatch.setattr(tuning, "refit", interrupted)
    said: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        material = read_sources([riffs])
        tune(material, "halfway", "tiny", QUICK, models_dir=models_dir, log=said.append)
    entry = next(e for e in list_models(models_dir) if e.name == "halfway")
    assert said[-1] == (
        "stopped before the clip memory was refitted: halfway is installed with its base's "
        f"({entry.path}), as its card says"
    )
    loaded = load_checkpoint(entry.path)
    tiny = load_checkpoint(models_dir / "tiny.pt")
    assert loaded.config.memory == tiny.config.memory and "memory" not in loaded.info
    assert loaded.info["tuned"]["refitted"] is False and loaded.info["tuned"]["steps"] > 0
    card = entry.path.with_suffix(".md").read_text(encoding="utf-8")
    assert "Clip memory: its base's, not refitted" in card
    result = generate(loaded.model, riff(99), GenerationParams(bars=2, rng_seed=1))
    assert result.variations[0].clip.notes


def test_ctrl_c_while_the_base_is_chosen_stops_after_the_model_being_scored(
    riffs, models_dir, monkeypatch
):
    """Ctrl-C while segue scored the bundled models to choose the base waited for all of
    them (about 8 s on a busy 2-core machine), then stopped anyway."""
    from segue.errors import Stopped
    from segue.model.tuning import base

    scored: list[int] = []
    real = base.mean_continuation_nats

    def counted(model, windows):
        scored.append(len(windows))
        return real(model, windows)

    monkeypatch.setattr(base, "mean_continuation_nats", counted)
    with pytest.raises(Stopped, match="before the first tuning step; early was not installed"):
        tune(read_sources([riffs]), "early", None, QUICK, models_dir=models_dir, stop=StopAfter(0))
    assert len(scored) == 1  # of the three bundled melodic models


def test_stopped_without_a_gain_installs_nothing_and_replaces_nothing(tuned, riffs, models_dir):
    """Ctrl-C early in a tune with --replace installed the base's weights over the musician's
    own model ("3 steps in 0 s ... 14.515 before, 14.515 after")."""
    from dataclasses import replace as changed

    from segue.errors import Stopped

    before = tuned.path.read_bytes(), tuned.card_path.read_bytes()
    still = changed(QUICK, lr=0.0, seconds=600)  # steps that learn nothing
    with pytest.raises(Stopped) as stopped:
        tune(
            read_sources([riffs]),
            "riffs-tuned",
            "tiny",
            still,
            models_dir=models_dir,
            replace=True,
            stop=StopAfter(5),
        )
    assert str(stopped.value) == (
        "after 5 steps, before the tuning lowered the held-out loss; riffs-tuned was not "
        "installed (the one installed is as it was)"
    )
    assert (tuned.path.read_bytes(), tuned.card_path.read_bytes()) == before
    # a stop after steps that learnt: installed, with what they learnt
    kept = tune(
        read_sources([riffs]),
        "riffs-stopped",
        "tiny",
        changed(QUICK, seconds=600),
        models_dir=models_dir,
        stop=StopAfter(40),
    )
    assert kept.card.status == "stopped" and kept.card.steps == 40
    assert kept.card.after < kept.card.before - 0.5


def test_a_replace_cut_short_keeps_the_installed_model_where_it_does_better(
    tuned, riffs, models_dir
):
    """`segue tune --replace` stopped with Ctrl-C after 10 steps swapped the musician's model
    (held-out loss 4.238, 252 steps) for the 10-step one (6.993 on the same held-out song),
    "keeping the best so far" (helper-122). Stopped, or out of time, a tuning replaces the
    installed model only where it does better on the same held-out pieces."""
    from dataclasses import replace as changed

    before = tuned.path.read_bytes(), tuned.card_path.read_bytes()
    short = changed(QUICK, lr=1e-3, seconds=600)  # a few steps that learn a little
    for settings, stop in ((short, StopAfter(3)), (changed(short, seconds=0.3), None)):
        result = tune(
            read_sources([riffs]),
            "riffs-tuned",
            "tiny",
            settings,
            models_dir=models_dir,
            replace=True,
            stop=stop,
        )
        card = result.card
        assert card.status == ("stopped" if stop else "time") and card.after < card.before
        assert (tuned.path.read_bytes(), tuned.card_path.read_bytes()) == before
        assert result.kept.startswith(
            "kept the installed riffs-tuned: its held-out loss "
        ) and result.kept.endswith(
            f"is lower than this tuning's {card.after:.3f} ({card.steps} steps in "
            f"{card.seconds:.0f} s, {'stopped' if stop else 'its time budget of 0.3 s spent'})"
            "; riffs-tuned was not replaced (tune longer to pass it)"
        ), result.kept
        assert result.path == tuned.path
    # cut short and better than the one installed: it replaces it
    weak = tune(
        read_sources([riffs]), "weak", "tiny", short, models_dir=models_dir, stop=StopAfter(3)
    )
    stronger = tune(
        read_sources([riffs]), "weak", "tiny", QUICK, models_dir=models_dir, replace=True
    )
    assert stronger.card.status == "time" and not stronger.kept
    assert stronger.card.after < weak.card.after
    assert load_checkpoint(stronger.path).info["tuned"]["held_out_after"] == pytest.approx(
        stronger.card.after, abs=1e-5
    )


@pytest.mark.skipif(os.name == "nt", reason="Windows names are Unicode: no bytes outside UTF-8")
def test_a_big_held_out_file_is_read_up_to_a_cap_after_the_steps(tmp_path, models_dir):
    """A held-out file of 6,400 notes among riffs: the clip memory's refit, the calibration
    and the held-out scoring read at most HELD_OUT_NOTES of the held-out notes (a 20,000-note
    file took a 3 s tuning over two minutes), drawn from each held-out piece; the card says
    how many of how many."""
    from segue.model.tuning.material import HELD_OUT_NOTES, hold_out, learnable, piece_of_clip

    write_riffs(tmp_path, 10)
    riffs = learnable(read_sources([tmp_path])).pieces
    folder = tmp_path.name
    for tag in range(100):  # a name the hold-out takes (a hash of name and notes), found on
        # the clip itself: writing and reading 6,400 notes a try took most of a minute
        name = f"{folder}/long{tag}.mid"
        long = piece_of_clip(name, riff(100 + tag, bars=800), song=folder)
        if any(p.name == name for p in hold_out([*riffs, long]).held):
            break
    big = write_midi(riff(100 + tag, bars=800), tmp_path / f"long{tag}.mid")
    held = hold_out(learnable(read_sources([tmp_path])).pieces).held
    assert any(p.name.endswith(big.name) for p in held) and len(held) > 1
    # one key: hearing the song's key (hear_keys) scores the held-out notes at each move
    # QUICK tunes with (-5..6: 12 times, three quarters of this tuning), where the cap is read
    # off the memory's refit and the card's counts, the same at any move
    settings = dataclasses.replace(QUICK, transpose=(0, 0))
    result = tune(read_sources([tmp_path]), "big-held", "tiny", settings, models_dir=models_dir)
    counts = result.card.counts
    assert counts["held_out_notes"] == sum(p.notes for p in held) > HELD_OUT_NOTES
    fit = load_checkpoint(result.path).info["memory"]
    assert HELD_OUT_NOTES - 256 < fit["notes"] == counts["held_out_notes_scored"] <= HELD_OUT_NOTES
    assert fit["notes"] > sum(p.notes for p in held if p.notes < 800)  # the long one too
    assert "of them scored" in result.card_path.read_text(encoding="utf-8")


def test_a_folder_named_in_no_utf8_is_named_on_the_card(tmp_path, models_dir):
    """A folder named in Latin-1 (an old zip, a Linux copy) was read and tuned on, and then
    writing the card failed with a UnicodeEncodeError traceback: the tuning was lost."""
    folder = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"caf\xe9")))
    folder.mkdir()
    write_riffs(folder, 6)
    result = tune(read_sources([folder]), "cafe", "tiny", QUICK, models_dir=models_dir)
    text = result.card_path.read_text(encoding="utf-8")
    assert "caf\ufffd" in text and result.card.sources == (f"{tmp_path}{os.sep}caf\ufffd",)
    assert load_checkpoint(result.path).info["tuned"]["sources"] == list(result.card.sources)


def test_drum_racks_clips_on_channel_1_tune_the_drum_model_named(tmp_path, models_dir):
    """`segue tune rack/ --from drums` refused a Drum Rack's export ("the clips are
    melodic, and drums is a drum model")."""
    write_riffs(tmp_path, 6)
    result = tune(read_sources([tmp_path]), "rack", "drums", QUICK, models_dir=models_dir)
    assert result.card.base == "drums" and result.card.counts["pads"] == 6
    assert load_checkpoint(result.path).info.get("drums")
    assert "| pieces on a melodic channel learnt as drum pads | 6 |" in result.card.markdown()


def test_too_little_material_is_one_line(tmp_path, models_dir):
    write_riffs(tmp_path, 1, bars=1)
    with pytest.raises(TooLittle) as error:
        tune(read_sources([tmp_path]), "little", "tiny", QUICK, models_dir=models_dir)
    assert "\n" not in str(error.value) and "too little to learn from" in str(error.value)


def test_too_little_says_what_was_left_out_of_the_material(models_dir):
    """Drum clips beside melodic ones are left out, and copies count once: the line says so,
    or "1 clip with 16 notes" would not add up to the clips given."""
    from segue.model.tuning.material import clips_material

    short = riff(0, bars=1)
    clips = [("a", short, False), ("a again", short, False), ("k", riff(1), True)]
    clips.append(("s", riff(2), True))
    with pytest.raises(TooLittle) as error:
        tune(clips_material(clips, "test"), "little", "tiny", QUICK, models_dir=models_dir)
    said = str(error.value)
    assert "\n" not in said and "too little to learn from: 1 clip" in said
    assert "2 drum clips left out" in said and "1 copy of a clip counted once" in said
    enough = [(f"r{i}", riff(i), False) for i in range(6)] + [("k", riff(1), True)]
    lines: list[str] = []
    tune(
        clips_material(enough, "test"),
        "enough",
        "tiny",
        QUICK,
        models_dir=models_dir,
        log=lines.append,
    )  # a tuning that goes ahead says it in its first line
    assert lines[0].startswith("tuning tiny on ") and lines[0].endswith(
        "; 1 drum clip left out "
        "(a melodic model does not learn drums; tune on drum clips alone for the drum model)"
    )


def test_an_unknown_base_model_is_one_line(riffs, models_dir):
    with pytest.raises(SegueError, match="no model named 'nothing'"):
        tune(read_sources([riffs]), "x", "nothing", QUICK, models_dir=models_dir)


def test_a_tuned_model_keeps_its_bases_loop_and_refits_its_memory(tmp_path, models_dir):
    from dataclasses import replace

    from segue.model.checkpoint import save_checkpoint
    from segue.model.loop import CELLS
    from segue.model.tuning.install import KEPT_LOOP

    base = load_checkpoint(models_dir / "tiny.pt")
    phi = tuple(0.3 + 0.1 * i for i in range(CELLS))
    base.model.config = replace(base.config, loop=phi, loop_strength=2.0, loop_slip=0.05)
    save_checkpoint(models_dir / "looped.pt", base.model, dict(base.info))
    write_riffs(tmp_path, 10, bars=16)  # 3 windows each: enough to count rates on
    result = tune(read_sources([tmp_path]), "looped-tuned", "looped", QUICK, models_dir=models_dir)
    tuned = load_checkpoint(result.path).config
    # the riffs repeat every bar: counted on them, the rates would be near 1
    assert tuned.loop == phi and tuned.loop_strength == 2.0 and tuned.loop_slip == 0.05
    assert tuned.memory and tuned.memory != base.config.memory
    kept = KEPT_LOOP.format(parts="producers' parts")
    assert result.card.loop == kept
    assert f"Loop: {kept}." in result.card_path.read_text(encoding="utf-8")
    # a drum model's loop was counted on drum grooves, and its card says so
    save_checkpoint(models_dir / "looped-kit.pt", base.model, {**base.info, "drums": {"kit": []}})
    drums = tune(read_sources([tmp_path]), "kit-tuned", "looped-kit", QUICK, models_dir=models_dir)
    assert drums.card.loop == KEPT_LOOP.format(parts="drum grooves")
