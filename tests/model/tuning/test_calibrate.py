"""A tuned network's confidence, fitted on held-out pieces (real MIDI files of riffs)."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import torch
from tuning_material import own_home, write_riffs  # noqa: F401 (own_home: a fixture)

from segue.model.loop_fit import mean_continuation_nats, windows_of
from segue.model.tuning.calibrate import (
    TEMPERATURES,
    calibrate,
    held_windows,
    last_layers,
    temper,
)
from segue.model.tuning.material import read_sources


def test_temper_divides_each_scored_head_s_logits_and_leaves_velocity(tiny):
    model = copy.deepcopy(tiny).eval()
    h = torch.randn(3, model.config.hidden)
    ctx = model.after_offset(h, torch.tensor([1, 2, 3]), torch.tensor([0, 4, 8]))
    pitch = torch.tensor([60, 62, 64])
    before = (model.offset_logits(h), model.pitch_logits(ctx))
    velocity = model.duration_velocity_logits(ctx, pitch, torch.tensor([5, 5, 5]))
    assert len(last_layers(model)) == 3
    temper(model, 2.0)
    after = (model.offset_logits(h), model.pitch_logits(ctx))
    again = model.duration_velocity_logits(ctx, pitch, torch.tensor([5, 5, 5]))
    for b, a in zip(before, after, strict=True):
        torch.testing.assert_close(a, b / 2)
    torch.testing.assert_close(again[0], velocity[0] / 2)
    torch.testing.assert_close(again[1], velocity[1])  # velocity is not scored


def test_an_overconfident_network_is_tempered_where_its_held_out_continuations_score_best(
    tiny, tmp_path: Path
):
    """A network too sure of itself (its heads' logits eight times as large) gives the
    held-out riffs' next notes almost nothing; calibrate keeps the temperature under which
    their continuations (loop, memory and palette mixed in) score best, and says so."""
    pieces = read_sources(write_riffs(tmp_path, 3)).pieces
    model = copy.deepcopy(tiny).eval()
    temper(model, 1 / 8)
    windows = held_windows(pieces)
    assert windows
    sure = mean_continuation_nats(model, windows)
    fit = calibrate(model, pieces)
    assert fit.temperature > 1 and fit.temperature in TEMPERATURES
    assert math.isclose(fit.before, sure)
    assert fit.after < fit.before
    assert math.isclose(mean_continuation_nats(model, windows), fit.after)  # left at it
    assert f"tempered by {fit.temperature:g}" in fit.summary()


def test_the_recurrent_pass_runs_once_over_each_held_out_window_whatever_the_temperatures(
    tiny, tmp_path: Path
):
    """A temperature changes only the heads' last layers: calibrating runs the network's
    recurrent part (its LSTM, most of the work) over each held-out window once, and scores
    every temperature from that, the same as scoring each afresh."""
    pieces = read_sources(write_riffs(tmp_path, 3)).pieces
    windows = held_windows(pieces)
    for temperatures in ((1.0, 1.5), (1.0, 1.25, 1.5, 2.0, 3.0)):
        model = copy.deepcopy(tiny).eval()
        temper(model, 1 / 8)
        encoded = []  # the windows (batch rows) each call of the recurrent part runs over
        encode = model.encode

        def counted(steps, state=None, encode=encode, encoded=encoded):
            encoded.append(steps.shape[0])
            return encode(steps, state)

        model.encode = counted
        fit = calibrate(model, pieces, temperatures)
        assert sum(encoded) == len(windows) == fit.windows
        del model.encode
        assert math.isclose(mean_continuation_nats(model, windows), fit.after, rel_tol=1e-6)


def test_nothing_to_score_keeps_the_network_as_tuned(tiny, tmp_path: Path):
    pieces = read_sources(write_riffs(tmp_path, 1, bars=4)).pieces  # no 8-bar window
    model = copy.deepcopy(tiny).eval()
    weights = copy.deepcopy(model.state_dict())
    fit = calibrate(model, pieces)
    assert fit.temperature == 1.0 and fit.windows == 0
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in weights.items())


def test_a_temperature_above_one_and_a_half_is_not_fitted(tiny, tmp_path: Path):
    """However sure of itself a network is, the held-out pieces temper it by 1.5 at most: a
    song or two held out fitted 2 where the next songs did best at 1.25 (the LMMS folds of
    ``calibrate.TEMPERATURES``). A network sixteen times too sure scores its held-out riffs
    better at 2 than at 1.5, and is tempered by 1.5."""
    pieces = read_sources(write_riffs(tmp_path, 3)).pieces
    model = copy.deepcopy(tiny).eval()
    temper(model, 1 / 16)
    windows = held_windows(pieces)
    at_two = copy.deepcopy(model)
    temper(at_two, 2.0)
    fit = calibrate(model, pieces)
    assert fit.temperature == 1.5
    assert mean_continuation_nats(at_two, windows) < fit.after  # 2 would have scored better
    assert math.isclose(mean_continuation_nats(model, windows), fit.after)


def test_up_to_a_hundred_held_out_windows_score_each_temperature(tmp_path: Path):
    """Three temperatures scored on 100 windows, spread over all of them (a few more than
    five on 64: on the LMMS folds, 64 of a song's 224 windows fitted 1 where 100 and all
    224 fitted what the other songs did best at)."""
    pieces = read_sources(write_riffs(tmp_path, 8, bars=64)).pieces
    every = [w for p in pieces for w in windows_of(p.rows, p.time_signature)]
    assert len(every) > 100
    chosen = held_windows(pieces)
    assert len(chosen) == 100
    assert chosen[0].rows.tolist() == every[0].rows.tolist()
    assert chosen[-1].rows.tolist() == every[99 * len(every) // 100].rows.tolist()
    first = pieces[0]
    assert len(held_windows([first])) == len(windows_of(first.rows, first.time_signature))
