"""Pieces to steps, windows and batches, transposition and velocity shifts, on real MIDI.

The data (fixtures ``dataset_path`` and ``encoded``, in tests/conftest.py) are a few
Bach chorales exported from music21's corpus and music21's own test files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from segue.dataset.loading import load_dataset
from segue.model.training.batches import (
    Windows,
    encode_pieces,
    gather_rows,
    make_batch,
    plan_epoch,
    plan_validation,
    shift_velocities,
    transpose_rows,
    validation_windows,
    window_notes,
)
from segue.model.vocab import Vocab, steps_of

# ---------------------------------------------------------------- encoding


def random_piece(rng: np.random.Generator, n: int) -> np.ndarray:
    starts = np.sort(rng.integers(0, 2000, n))
    return np.stack(
        [starts, rng.integers(0, 128, n), rng.integers(1, 900, n), rng.integers(1, 128, n)], axis=1
    ).astype(np.int32)


def test_encode_pieces_equals_steps_of_piece_by_piece() -> None:
    rng = np.random.default_rng(0)
    vocab = Vocab()
    pieces = [random_piece(rng, n) for n in (5, 0, 1, 40, 300)]
    pieces.append(np.array([[30, 60, 24, 100], [30, 64, 24, 90]], np.int32))  # opens with a rest
    bars = [96, 72, 96, 288, 36, 0]
    data = encode_pieces(pieces, bars, vocab)
    kept = [(p, b) for p, b in zip(pieces, bars, strict=True) if len(p)]
    assert data.pieces == len(kept)
    assert data.notes == sum(len(p) for p, _ in kept)
    for i, (notes, bar) in enumerate(kept):
        np.testing.assert_array_equal(data.piece_steps(i), steps_of(notes, bar, vocab))


def test_encode_split_matches_the_dataset(dataset_path: Path, encoded) -> None:
    dataset = load_dataset(dataset_path)
    train, _ = encoded
    pieces = [p for p in dataset.pieces("train") if len(p.notes)]
    assert train.pieces == len(pieces) > 5
    for i, piece in enumerate(pieces):
        bar = round(piece.time_signature.beats_per_bar * dataset.ticks_per_beat)
        np.testing.assert_array_equal(train.piece_steps(i), steps_of(piece.notes, bar, Vocab()))


# ---------------------------------------------------------------- windows


def test_validation_windows_cover_every_note_once(encoded) -> None:
    _, valid = encoded
    window = 16
    w = validation_windows(valid, window)
    assert (w.offset % window == 0).all()
    covered = [set() for _ in range(valid.pieces)]
    for piece, offset in zip(w.piece, w.offset, strict=True):
        n = int(window_notes(valid, np.array([piece]), np.array([offset]), window)[0])
        assert 1 <= n <= window
        new = set(range(offset, offset + n))
        assert not covered[piece] & new
        covered[piece] |= new
    assert [len(c) for c in covered] == valid.lengths.tolist()
    batches = plan_validation(valid, window, 5, rank=0, world=2) + plan_validation(
        valid, window, 5, rank=1, world=2
    )
    assert sum(len(b) for b in batches) == len(w.piece)


def test_batches_have_inputs_targets_and_mask(encoded) -> None:
    train, _ = encoded
    window, batch_size = 24, 6
    plan = plan_epoch(train, window, batch_size, rng_seed=1, epoch=0)
    assert len(plan) == -(-int(np.ceil(train.lengths / window).sum()) // batch_size)
    vocab = Vocab()
    for windows in plan:
        assert len(windows) == batch_size
        rows, mask = gather_rows(train, windows, window)
        batch = make_batch(train, windows, window)  # shift None: no transposition
        length = batch.inputs.shape[1]
        assert batch.inputs.shape == batch.targets.shape == (batch_size, length, 5)
        assert batch.mask.shape == (batch_size, length) and length <= window
        np.testing.assert_array_equal(batch.inputs[:, 1:], batch.targets[:, :-1])
        np.testing.assert_array_equal(rows[:, 1:], batch.targets)
        real = window_notes(train, windows.piece, windows.offset, window)
        np.testing.assert_array_equal(batch.mask.sum(axis=1), real)
        assert length == real.max()
        # a window starting at a piece's first step begins with its BOS step
        first = windows.offset == 0
        assert (batch.inputs[first, 0, 1] == vocab.n_pitch).all()
        # every target, padding included, is a real class the heads can score
        t = batch.targets
        assert (t[..., 0] < vocab.n_offset).all() and (t[..., 1] < vocab.n_pitch).all()
        assert (t[..., 2] < vocab.n_duration).all() and (t[..., 3] < vocab.n_velocity).all()
        assert (t[..., 4] < vocab.n_position).all()


def test_short_pieces_are_padded_to_the_window(encoded) -> None:
    train, _ = encoded
    shortest = int(np.argmin(train.lengths))
    n = int(train.lengths[shortest])
    windows = Windows(np.array([shortest]), np.array([0]))
    rows, mask = gather_rows(train, windows, n + 10, trim=False)
    assert rows.shape == (1, n + 11, 5) and mask.shape == (1, n + 10)
    assert mask[0, :n].all() and not mask[0, n:].any()
    np.testing.assert_array_equal(rows[0, : n + 1], train.piece_steps(shortest))


def test_epoch_plans_depend_on_seed_epoch_and_rank_only(encoded) -> None:
    train, _ = encoded

    def plan(**kw: int) -> list[Windows]:
        return plan_epoch(train, 16, 4, **{"rng_seed": 3, "epoch": 0, **kw})

    def flat(p: list[Windows]) -> np.ndarray:
        return np.concatenate([np.stack([w.piece, w.offset, w.shift]) for w in p], axis=1)

    np.testing.assert_array_equal(flat(plan()), flat(plan()))
    assert not np.array_equal(flat(plan()), flat(plan(epoch=1)))
    assert not np.array_equal(flat(plan()), flat(plan(rng_seed=4)))
    r0, r1 = plan(rank=0, world=2), plan(rank=1, world=2)
    assert len(r0) == len(r1)  # every process runs the same number of batches
    assert not np.array_equal(flat(r0), flat(r1))
    assert len(plan(batches=3)) == 3


def test_transposition_stays_on_the_keyboard_and_leaves_bos_alone() -> None:
    rng = np.random.default_rng(5)
    rows = np.zeros((400, 9, 5), np.int64)
    rows[..., 1] = rng.integers(0, 128, (400, 9))
    rows[:100, :, 1] = rng.integers(55, 70, (100, 9))  # room to move either way
    rows[100:150, 3, 1] = 0
    rows[150:200, 4, 1] = 127
    rows[::3, 0, 1] = 128  # BOS steps
    out, shift = transpose_rows(rows, rng.random(400), -5, 6)
    bos = rows[..., 1] == 128
    assert (out[..., 1][bos] == 128).all()
    assert ((out[..., 1][~bos] >= 0) & (out[..., 1][~bos] <= 127)).all()
    assert (shift >= -5).all() and (shift <= 6).all()
    moved = out[..., 1] - rows[..., 1]
    assert (np.where(bos, shift[:, None], moved) == shift[:, None]).all()  # one shift a window
    assert (shift[100:150] >= 0).all() and (shift[150:200] <= 0).all()
    assert set(shift[:100]) == set(range(-5, 7))  # every allowed shift gets drawn
    np.testing.assert_array_equal(out[..., [0, 2, 3, 4]], rows[..., [0, 2, 3, 4]])


def test_training_batches_are_transposed_within_range(encoded) -> None:
    train, _ = encoded
    for windows in plan_epoch(train, 32, 8, rng_seed=2, epoch=0)[:5]:
        plain = make_batch(train, windows, 32)
        moved = make_batch(train, windows, 32, transpose=(-5, 6))
        pitch, before = moved.inputs[..., 1], plain.inputs[..., 1]
        assert ((pitch == 128) == (before == 128)).all()
        diff = np.where(before == 128, 0, pitch - before)
        assert ((diff >= -5) & (diff <= 6)).all()
        assert (pitch[before != 128] <= 127).all() and (pitch >= 0).all()


def test_velocity_shift_moves_whole_windows_and_spares_bos() -> None:
    rows = np.zeros((3, 5, 5), dtype=np.int64)
    rows[:, :, 3] = 24  # velocity 100 everywhere, as music21's export writes
    rows[0, 0, 3] = 32  # a BOS step
    out = shift_velocities(rows, np.array([0.0, 0.5, 0.999]), -48, 24)
    assert out[0, 0, 3] == 32
    assert set(out[0, 1:, 3]) == {24 - 12}  # softest: 100 - 48 = velocity 52
    assert set(out[2, :, 3]) == {24 + 6}  # loudest: 100 + 24 = velocity 124
    for window in out:
        assert len(set(window[window[:, 3] < 32, 3])) == 1  # one shift per window
    shifts = {
        int(shift_velocities(rows, np.array([u] * 3), -48, 24)[1, 0, 3]) - 24
        for u in np.linspace(0, 0.9999, 200)
    }
    assert shifts == set(range(-12, 7))  # every step from -48 to +24 is drawn


def test_only_a_cuda_copy_of_a_batch_is_left_running(encoded, monkeypatch) -> None:
    """The arrays a batch is copied from are freed once ``tensors`` returns: only CUDA may
    copy them without blocking (Apple's GPU, MPS, can read them after they are freed).
    Neither GPU runs here, so ``Tensor.to`` stands in and says how it was asked."""
    import torch

    asked: list[tuple[str, bool]] = []

    def to(self, device, non_blocking=False):
        asked.append((torch.device(device).type, non_blocking))
        return self

    train, _ = encoded
    batch = make_batch(train, validation_windows(train, 16), 16)
    monkeypatch.setattr(torch.Tensor, "to", to)
    for device in ("cuda", "mps", "cpu"):
        batch.tensors(device)
    assert asked == [("cuda", True)] * 3 + [("mps", False)] * 3 + [("cpu", False)] * 3
