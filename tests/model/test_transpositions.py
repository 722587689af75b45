"""A tuned model that hears the song's key: the mixture over transpositions (#18), its
likelihood against the network's at each move, and its takes in the clip's own key."""

from __future__ import annotations

import copy
import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from segue.grid import clip_rows, to_ticks
from segue.midi_io import read_midi
from segue.model.architecture import Network
from segue.model.checkpoint import load_checkpoint
from segue.model.generate import generate
from segue.model.likelihood import piece_losses
from segue.model.loop_fit import continuation_losses, windows_of
from segue.model.registry import find_model
from segue.model.settings import GenerationParams
from segue.model.training.batches import encode_pieces
from segue.model.transpositions import carried, heard_shift, shift_range
from segue.notes import Clip, Note

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
SHIFTS = shift_range(-5, 6)
F_SHARP_MAJOR = frozenset({6, 8, 10, 11, 1, 3, 5})


@pytest.fixture(scope="module")
def melody() -> Network:
    return load_checkpoint(find_model("melody")).model


def _with(model: Network, shifts: tuple[int, ...]) -> Network:
    out = copy.copy(model)  # the same weights, its own configuration
    out.config = dataclasses.replace(model.config, transpositions=shifts)
    return out


def _lse(values: list[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


def _tunes() -> list[tuple[np.ndarray, int]]:
    """Real clips' grid rows and bar ticks: segue's reel and jig, and the reel an octave
    and a fifth up (its top notes, 93 + 6, past 127 at no move: some moves impossible)."""
    out = []
    for name in ("reel.mid", "jig.mid"):
        clip = read_midi(SEEDS / name)
        out.append((clip_rows(clip).astype(np.int64), to_ticks(clip.time_signature.beats_per_bar)))
    high = out[0][0].copy()
    high[:, 1] += 127 - int(high[:, 1].max()) - 2  # its top note at 125: moves of +3..+6 fail
    return [*out, (high, out[0][1])]


def _plain_total(model: Network, rows: np.ndarray, bar_ticks: int, shift: int) -> float:
    """The network's (no mixture) loss of the whole piece moved by ``shift``; inf off the keys."""
    moved = rows.copy()
    moved[:, 1] += shift
    if moved[:, 1].min() < 0 or moved[:, 1].max() > 127:
        return math.inf
    data = encode_pieces([moved], [bar_ticks], model.config.vocab)
    return float(piece_losses(model, data)[0].sum())


def test_the_mixture_s_likelihood_is_the_logsumexp_over_the_transposed_pieces(melody) -> None:
    """log p(piece) = logsumexp_t log p(piece moved by t) - log 12, the network's at each
    move scored as it is (clip memory and all); note by note, field by field, the posterior
    carried: its losses sum to that, and every prefix of a piece scores as the prefix whole."""
    tunes = _tunes()
    mixture = _with(melody, SHIFTS)
    data = encode_pieces([r for r, _ in tunes], [b for _, b in tunes], melody.config.vocab)
    losses = piece_losses(mixture, data)
    for (rows, bars), got in zip(tunes, losses, strict=True):
        totals = [_plain_total(melody, rows, bars, s) for s in SHIFTS]
        expected = -(_lse([-t for t in totals]) - math.log(len(SHIFTS)))
        assert np.isfinite(got).all() and got.shape == (len(rows), 4)
        assert got.sum() == pytest.approx(expected, abs=1e-4)  # float32, batched apart
        assert got.sum() < totals[SHIFTS.index(0)]  # the reel and jig gain from it
        prefix = encode_pieces([rows[:20]], [bars], melody.config.vocab)
        assert piece_losses(mixture, prefix)[0] == pytest.approx(got[:20], abs=1e-5)
    assert sum(math.isinf(_plain_total(melody, *tunes[2], s)) for s in SHIFTS) == 4
    # without moves, the network as it is: the same as a model without the mixture
    alone = piece_losses(_with(melody, (0,)), data)
    for a, b in zip(alone, piece_losses(melody, data), strict=True):
        assert a == pytest.approx(b, abs=1e-9)


def test_carried_losses_sum_to_the_mixture_of_whole_pieces() -> None:
    """:func:`carried` on made-up losses (one move impossible at its third note)."""
    rng = np.random.default_rng(0)
    losses = rng.uniform(0.1, 3.0, size=(5, 7, 4))
    losses[2, 3, 1] = np.inf
    got = carried(losses)
    totals = losses.sum(axis=(1, 2))
    assert got.sum() == pytest.approx(-(_lse(list(-totals)) - math.log(5)))
    assert got[0, 0] == pytest.approx(-math.log(np.exp(-losses[:, 0, 0]).mean()))


def test_a_continuation_s_likelihood_is_the_mixture_given_its_clip(melody) -> None:
    """A window's continuation under the mixture: each move weighted by the clip's
    likelihood at it, ``-log sum_t p_t(clip) p_t(continuation | clip) / sum_t p_t(clip)``."""
    clip = read_midi(SEEDS / "reel.mid")
    window = windows_of(clip_rows(clip), clip.time_signature, 2, 2, 2)[0]
    got = continuation_losses(_with(melody, SHIFTS), [window])[0]
    whole, clips = [], []
    for s in SHIFTS:
        moved = dataclasses.replace(window, rows=window.rows + np.array([0, s, 0, 0]))
        after = float(continuation_losses(melody, [moved])[0].sum())
        before = _plain_total(melody, moved.rows[: window.seed_notes], window.bar_ticks, 0)
        whole.append(-(before + after))
        clips.append(-before)
    assert got.shape == (len(window.rows) - window.seed_notes, 4)
    assert got.sum() == pytest.approx(-(_lse(whole) - _lse(clips)), abs=1e-4)


def _prefers_c(model: Network) -> Network:
    """``model`` with its network leaning to C major's pitches: every white key's pitch
    logit raised by 2 nats, every black key's lowered by 2."""
    out = copy.deepcopy(model)
    with torch.no_grad():
        bias = out.pitch_head[-1].bias
        white = torch.tensor([p % 12 in {0, 2, 4, 5, 7, 9, 11} for p in range(len(bias))])
        bias += torch.where(white, 2.0, -2.0)
    return out


def _f_sharp_line() -> Clip:
    line = [66, 68, 70, 71, 73, 71, 70, 68, 66, 70, 73, 78, 75, 73, 71, 70] * 2
    return Clip(tuple(Note(p, i * 0.5, 0.5, 90) for i, p in enumerate(line)), 16.0)


def test_a_tuned_model_that_hears_keys_continues_a_clip_in_its_own_key_and_register(
    melody,
) -> None:
    """A seed in F# major, continued by a model whose network prefers C: heard a tritone
    away (in C), continued there and moved back, every note of its takes is in F# major
    and around the clip's register; the same network without the mixture plays C major's
    notes into it (about one in ten)."""
    seed, params = _f_sharp_line(), GenerationParams(bars=8, variations=4, rng_seed=1)
    network = _prefers_c(melody)
    rows = clip_rows(seed).astype(np.int64)
    hearing = _with(network, SHIFTS)
    assert heard_shift(hearing, rows, to_ticks(4.0)) == 6  # F# + 6 = C (the smaller: +6)
    assert heard_shift(network, rows, to_ticks(4.0)) == 0
    result = generate(hearing, seed, params)
    pitches = [n.pitch for v in result.variations for n in v.clip.notes]
    assert len(pitches) > 100
    assert all(p % 12 in F_SHARP_MAJOR for p in pitches)
    assert 66 <= np.median(pitches) <= 78 and min(pitches) >= 54 and max(pitches) <= 90
    plain = generate(network, seed, params)
    outside = [n.pitch for v in plain.variations for n in v.clip.notes]
    assert np.mean([p % 12 not in F_SHARP_MAJOR for p in outside]) > 0.05
    # the musician's range and key lock hold in the clip's key: its notes where asked
    locked = generate(hearing, seed, dataclasses.replace(params, key="F# major", low=66, high=75))
    kept = [n.pitch for v in locked.variations for n in v.clip.notes]
    assert kept and all(66 <= p <= 75 and p % 12 in F_SHARP_MAJOR for p in kept)
    assert str(locked.key) == "F# major"


def test_hear_keys_turns_the_mixture_on_only_where_the_held_out_pieces_score_better(
    melody,
) -> None:
    """``segue tune``'s choice (``tune.hear_keys``): a network that prefers C, held-out
    pieces in F# (heard better a tritone away): on; in C (heard best as they are, the
    mixture paying for the moves it spreads over): off, the network as it was."""
    from segue.model.tuning.tune import hear_keys

    f_sharp = clip_rows(_f_sharp_line()).astype(np.int64)
    in_c = f_sharp.copy()
    in_c[:, 1] -= 6
    for rows, on in ((f_sharp, True), (in_c, False)):
        network = _prefers_c(melody)
        held = encode_pieces([rows], [to_ticks(4.0)], network.config.vocab)
        record = hear_keys(network, held, SHIFTS)
        assert record["on"] is on and record["shifts"] == list(SHIFTS)
        assert (record["nats_with"] < record["nats_without"]) is on
        assert network.config.transpositions == (SHIFTS if on else ())
        assert record["notes"] == len(rows)
