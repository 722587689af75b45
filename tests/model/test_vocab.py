"""The vocabulary: grid rows to model steps, and the classes of each note field."""

from __future__ import annotations

import numpy as np

from segue.model.vocab import VELOCITY_BIN, Vocab, bar_positions, columns, steps_of, where_set


def test_steps_start_with_bos_and_measure_the_first_offset_from_the_clip_start() -> None:
    vocab = Vocab(ticks_per_beat=24, max_bar_ticks=192)
    rows = np.array([[12, 60, 24, 100], [12, 64, 24, 80], [60, 67, 48, 64]])  # a rest first
    steps = steps_of(rows, 96, vocab)
    assert steps.dtype == np.int64 and steps.shape == (4, 5)
    assert steps[0].tolist() == [
        vocab.n_offset,
        vocab.n_pitch,
        vocab.n_duration,
        vocab.n_velocity,
        0,
    ]
    offsets = np.asarray(vocab.time_values)[steps[1:, 0]]
    assert list(offsets) == [12, 0, 48]  # 0: the same chord
    assert steps[1:, 1].tolist() == [60, 64, 67]
    assert vocab.duration_ticks(steps[1:, 2]).tolist() == [24, 24, 48]
    assert vocab.velocity_value(steps[1:, 3]).tolist() == [100, 80, 64]
    assert steps[1:, 4].tolist() == [12, 12, 60]  # ticks into the bar
    assert steps_of(np.zeros((0, 4)), 96, vocab).shape == (1, 5)


def test_exact_values_come_back_and_others_fall_into_a_near_class() -> None:
    vocab = Vocab()
    ticks = np.array(vocab.time_values[1:])
    assert vocab.duration_ticks(vocab.duration_class(ticks)).tolist() == ticks.tolist()
    # past 4 beats only whole beats are classes; longer than the table is the largest
    tpb = vocab.ticks_per_beat
    assert vocab.duration_ticks(vocab.duration_class(np.array([5 * tpb + 7]))) == 5 * tpb
    near = vocab.duration_class(np.array([8 * tpb - 1, 5 * tpb + 12, 5 * tpb + 13, 4 * tpb + 1]))
    assert vocab.duration_ticks(near).tolist() == [8 * tpb, 5 * tpb, 6 * tpb, 4 * tpb]
    assert vocab.time_values[int(vocab.offset_class(np.array(8 * tpb - 1)))] == 7 * tpb
    assert vocab.duration_class(np.array([100 * tpb])) == vocab.n_duration - 1
    assert vocab.offset_class(np.array([0])) == 0
    for velocity in (64, 80, 100, 127):
        assert vocab.velocity_value(vocab.velocity_class(np.array([velocity]))) == velocity
    every = vocab.velocity_value(vocab.velocity_class(np.arange(1, 128)))
    assert every[:3].tolist() == [4, 4, 4]  # the softest class
    assert np.abs(every[3:] - np.arange(4, 128)).max() <= VELOCITY_BIN // 2  # the nearest


def test_bar_positions_wrap_at_the_bar_and_stop_at_the_table() -> None:
    assert bar_positions(np.array([0, 95, 96, 200]), 96, 192).tolist() == [0, 95, 0, 8]
    assert bar_positions(np.array([300]), 400, 192).tolist() == [191]  # a bar longer than 8 beats
    assert bar_positions(np.array([5]), 0, 192).tolist() == [0]  # no meter


def test_a_vocab_survives_its_dict() -> None:
    vocab = Vocab(ticks_per_beat=12, max_bar_ticks=96)
    assert Vocab.from_dict(vocab.to_dict()) == vocab
    assert vocab.sizes()["pitch"] == vocab.n_pitch == 128


def test_where_set_is_flatnonzero_s_answer() -> None:
    """``where_set`` answers as ``np.flatnonzero`` (a dense loop's step asks it about nine
    times, at a tenth of its cost): of a take's rows, of none, of a (rows, 128) mask
    (flattened), of ints and of one value."""
    rng = np.random.default_rng(3)
    masks = [
        np.array([True, False, True, False]),
        np.zeros(4, dtype=bool),
        np.zeros(0, dtype=bool),
        rng.random((4, 128)) < 0.1,
        rng.random((4, 128))[:, ::3] < 0.5,  # not contiguous
        np.array([0, 3, 0, -2]),
        np.array(True),
        np.bool_(False),
    ]
    for mask in masks:
        found = where_set(mask)
        assert found.dtype == np.flatnonzero(mask).dtype
        assert np.array_equal(found, np.flatnonzero(mask)), mask


def test_columns_are_the_fields_side_by_side_as_np_stack_puts_them() -> None:
    """A note step's fields go to the network and the memory as (rows, fields): the values
    and the type ``np.stack(..., axis=1)`` gives, whatever the fields' types."""
    off, pitch = np.array([3, 0, 12, 5]), np.array([60, 64, 67, 72], dtype=np.int64)
    position = np.array([0, 4, 8, 12], dtype=np.int32)
    got = columns(off, pitch, position)
    want = np.stack([off, pitch, position], axis=1)
    assert got.shape == (4, 3) and got.dtype == want.dtype
    assert np.array_equal(got, want)
    assert got[2].tolist() == [12, 67, 8]
