"""The pitch-only baseline: its rhythm from the seed, a tiny LSTM trained, saved and loaded,
and continuations on that rhythm."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch
from phrases import phrase

from segue.errors import SegueError
from segue.model.baselines.pitch_only import (
    PitchLSTMConfig,
    PitchOnly,
    fixed_rhythm,
    load_pitch_lstm,
    save_pitch_lstm,
    train_pitch_lstm,
)
from segue.model.training.batches import encode_pieces
from segue.model.vocab import Vocab

TUNE = phrase([60, 62, 64, 65, 67, 65, 64, 62] * 8)
TINY = PitchLSTMConfig(embed=8, hidden=16, layers=1, dropout=0.0)


def test_fixed_rhythm_comes_from_the_seed() -> None:
    seed = np.concatenate([phrase([60] * 6, 12, 6), phrase([62, 64], 24, 24, start=72)])
    ioi, duration, velocity = fixed_rhythm(seed)
    assert (ioi, duration, velocity) == (12, 6, 100)


def test_a_trained_pitch_lstm_is_saved_loaded_and_continues_on_the_seeds_rhythm(
    tmp_path: Path,
) -> None:
    vocab = Vocab()
    data = encode_pieces([TUNE, TUNE], [96, 96], vocab)
    model, training = train_pitch_lstm(data, data, TINY, epochs=2, window=32, batch_size=4)
    assert training.epochs == 2 and training.stopped == "epochs"
    assert training.best_valid is not None and 0 < training.best_valid < math.log(128)
    path = save_pitch_lstm(tmp_path / "pitch.pt", model, {"note": "test"})
    loaded, info = load_pitch_lstm(path)
    assert info == {"note": "test"} and loaded.config == TINY
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, loaded.state_dict()[name]), name
    baseline = PitchOnly.with_unigrams(loaded, vocab, data)
    nll = baseline.nll(data)
    assert nll["notes"] == data.notes and all(0 <= nll[f] < 5 for f in ("offset", "pitch"))
    seed = TUNE[:16]  # 8th notes: 12 ticks apart, 12 long, velocity 100
    out = baseline.continuations(seed, 192, 96, 96, 1.0, 0.95, samples=2, rng_seed=3)
    assert len(out) == 2
    for rows in out:
        np.testing.assert_array_equal(rows[:, 0], np.arange(0, 96, 12))
        assert set(rows[:, 2]) == {12} and set(rows[:, 3]) == {100}
    again = baseline.continuations(seed, 192, 96, 96, 1.0, 0.95, samples=2, rng_seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(out, again, strict=True))


def test_a_file_that_is_no_pitch_lstm_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(SegueError, match="no such pitch-only LSTM file"):
        load_pitch_lstm(tmp_path / "missing.pt")
    text = tmp_path / "text.pt"
    text.write_text("not a model\n", encoding="utf-8")
    with pytest.raises(SegueError, match="not a readable pitch-only LSTM"):
        load_pitch_lstm(text)
    other = tmp_path / "other.pt"
    torch.save({"format": "something else"}, other)
    with pytest.raises(SegueError, match="not a pitch-only LSTM saved by segue eval"):
        load_pitch_lstm(other)


def test_a_midi_file_or_a_folder_given_as_the_pitch_lstm_is_said_in_segues_words(
    tmp_path: Path,
) -> None:
    reel = Path(__file__).parents[3] / "examples" / "seeds" / "reel.mid"
    with pytest.raises(SegueError) as caught:  # `segue eval --pitch-only reel.mid`
        load_pitch_lstm(reel)
    said = str(caught.value)
    assert said == f"{reel}: not a readable pitch-only LSTM (damaged, or another kind of file)"
    with pytest.raises(SegueError, match="is a folder; name the pitch_only.pt inside it"):
        load_pitch_lstm(tmp_path)
