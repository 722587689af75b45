"""The model a tuning starts from: the one named, or segue's own choice for the material."""

from __future__ import annotations

import pytest
from tuning_material import own_home, riff  # noqa: F401 (own_home: a fixture)

from segue.errors import SegueError
from segue.model.tuning.base import check_kind, choose_base, named_base
from segue.model.tuning.material import clips_material


def test_a_named_model_is_taken_and_auto_chooses_a_melodic_one(models_dir):
    pieces = clips_material([(f"r{i}", riff(i), False) for i in range(4)], "x").pieces
    loaded = named_base("tiny", models_dir)
    assert loaded.path.name == "tiny.pt"
    name, loaded = choose_base(pieces, False, models_dir)
    assert name in {"melody", "polyphonic", "producer"}
    assert not loaded.info.get("drums")


def test_auto_tunes_a_bundled_model_never_one_tuned_before(models_dir, tmp_path):
    """Tuning a folder again without --from started from the model already tuned on it:
    pieces it had learnt were held out and flattered it ("3.420 -> 3.420 ... more
    material"), and every tuning added a model to read the material with."""
    import shutil

    from segue.model.checkpoint import load_checkpoint, rewrite_checkpoint
    from segue.model.choice import ModelChooser
    from segue.model.registry import find_model

    mine = tmp_path / "models"
    mine.mkdir()
    shutil.copy(models_dir / "tiny.pt", mine / "tiny.pt")
    producer = find_model("producer")  # a copy of the producer model under a user's name
    rewrite_checkpoint(producer, mine / "mine.pt", info={})
    assert load_checkpoint(mine / "mine.pt").config.loop_table() is not None
    pieces = clips_material([(f"r{i}", riff(i, bars=16), False) for i in range(4)], "x").pieces
    assert set(ModelChooser("auto", mine).candidates()) >= {"mine", "tiny"}
    assert set(ModelChooser("auto", mine, bundled_only=True).candidates()) == {
        "drums",
        "melody",
        "polyphonic",
        "producer",
    }
    assert choose_base(pieces, False, mine)[0] == "producer"
    assert named_base("mine", mine).path == mine / "mine.pt"  # named, it is tuned
    # a user's Producer.pt (a bundled name in another case) is the user's, not segue's own:
    # it was taken for the bundled producer, and tuned without being named (helper-63)
    shutil.copy(mine / "tiny.pt", mine / "Producer.pt")
    assert "Producer" not in ModelChooser("auto", mine, bundled_only=True).candidates()
    assert choose_base(pieces, False, mine)[0] == "producer"


def test_drums_go_to_the_drum_model_and_without_one_are_one_line(models_dir, monkeypatch):
    from segue.model.choice import ModelChooser

    pieces = clips_material([("beat", riff(0), True)], "x").pieces
    name, chosen = choose_base(pieces, True, models_dir)
    assert name == "drums" and chosen.info.get("drums")  # the bundled drum model
    everything = ModelChooser.candidates
    monkeypatch.setattr(
        ModelChooser,
        "candidates",
        lambda self: {n: m for n, m in everything(self).items() if n != "drums"},
    )
    with pytest.raises(SegueError, match="no drum model"):
        choose_base(pieces, True, models_dir)
    with pytest.raises(SegueError, match="no model named 'none'"):
        named_base("none", models_dir)


def test_a_named_model_of_the_other_kind_is_one_line(models_dir):
    """`segue tune beats/ --from melody` tuned the melody model on drum clips, in silence."""
    with pytest.raises(SegueError, match=r"every clip is drums, and melody is a melodic model"):
        check_kind("melody", named_base("melody"), True)
    with pytest.raises(SegueError, match="the clips are melodic, and drums is a drum model"):
        check_kind("drums", named_base("drums"), False)


def bundled(*names: str) -> dict:
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    return {name: load_checkpoint(find_model(name)) for name in names}


def test_auto_starts_from_the_model_least_surprised_by_the_materials_continuations(tmp_path):
    """Riffs go to the producer model, which keeps their loop; Bach chorales (music21's
    corpus) to the polyphonic model, and without their windows the pieces vote."""
    from music21 import corpus

    from segue.model.choice import AUTO, ModelChooser
    from segue.model.tuning.base import least_surprised, voted
    from segue.model.tuning.material import read_sources

    models = bundled("melody", "polyphonic", "producer")
    riffs = clips_material([(f"r{i}", riff(i, bars=16), False) for i in range(4)], "x").pieces
    assert least_surprised(models, riffs) == "producer"
    for name in ("bwv66.6", "bwv269", "bwv347"):
        corpus.parse(f"bach/{name}").write("midi", fp=str(tmp_path / f"{name}.mid"))
    chorales = read_sources([tmp_path]).pieces
    assert least_surprised(models, chorales) == "polyphonic"
    # too short for a window (8 bars): no choice by windows, and the pieces' votes decide
    short = clips_material([(f"s{i}", riff(i, bars=4), False) for i in range(4)], "x").pieces
    assert least_surprised(models, short) is None
    assert voted(ModelChooser(AUTO), models, short) in models
    assert voted(ModelChooser(AUTO), models, []) == "producer"  # the empty clip's model


def test_a_long_song_among_short_loops_counts_as_one_piece() -> None:
    """The base was chosen on 32 windows spread over all the material's windows at once:
    a song of 200 bars among four 16-bar loops gave 26 of them."""
    from segue.model.tuning.base import scored_windows

    loops = clips_material([(f"r{i}", riff(i, bars=16), False) for i in range(4)], "x").pieces
    song = clips_material([("song", riff(9, bars=200), False)], "x").pieces
    shares = [len(scored_windows([p])) for p in loops]
    assert shares == [3, 3, 3, 3]  # a loop of 16 bars has 3 windows of 8 bars
    chosen = scored_windows([*loops, *song])
    song_windows = scored_windows(song, 1000)
    assert len(song_windows) == 49
    from_song = [
        w
        for w in chosen
        if any((w.rows.shape == x.rows.shape and (w.rows == x.rows).all()) for x in song_windows)
    ]
    assert len(chosen) == 15 and len(from_song) == 3  # as many as each loop
