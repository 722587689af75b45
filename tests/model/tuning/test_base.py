"""The model a tuning starts from: the one named, or segue's own choice for the material."""

from __future__ import annotations

import pytest
from tuning_material import own_home, riff  # noqa: F401 (own_home: a fixture)

from segue.errors import SegueError
from segue.model.tuning.base import choose_base
from segue.model.tuning.material import clips_material


def test_a_named_model_is_taken_and_auto_chooses_a_melodic_one(models_dir):
    pieces = clips_material([(f"r{i}", riff(i), False) for i in range(4)], "x").pieces
    name, loaded = choose_base("tiny", pieces, False, models_dir)
    assert name == "tiny" and loaded.path.name == "tiny.pt"
    name, loaded = choose_base(None, pieces, False, models_dir)
    assert name in {"melody", "polyphonic", "producer", "tiny"}
    assert not loaded.info.get("drums")


def test_drums_go_to_the_drum_model_and_without_one_are_one_line(models_dir, monkeypatch):
    from segue.model.choice import ModelChooser

    pieces = clips_material([("beat", riff(0), True)], "x").pieces
    name, chosen = choose_base(None, pieces, True, models_dir)
    assert name == "drums" and chosen.info.get("drums")  # the bundled drum model
    everything = ModelChooser.candidates
    monkeypatch.setattr(
        ModelChooser,
        "candidates",
        lambda self: {n: m for n, m in everything(self).items() if n != "drums"},
    )
    with pytest.raises(SegueError, match="no drum model"):
        choose_base(None, pieces, True, models_dir)
    with pytest.raises(SegueError, match="no model named 'none'"):
        choose_base("none", pieces, False, models_dir)
