"""Sets of pitches and pitch classes as the bits of an int (``segue.model.pitch_bits``): the
same sets as the (128,) and (12,) bool arrays they stand for."""

from __future__ import annotations

import numpy as np

from segue.model import pitch_bits as bits


def test_a_set_of_pitches_comes_back_as_the_same_array() -> None:
    rng = np.random.default_rng(7)
    for _ in range(50):
        pitches = rng.random(128) < 0.3
        assert np.array_equal(bits.to_array(bits.from_array(pitches)), pitches)
        assert bits.from_array(pitches) == bits.of(np.flatnonzero(pitches).tolist())
        assert list(bits.members(bits.from_array(pitches))) == np.flatnonzero(pitches).tolist()


def test_a_set_s_classes_and_their_every_octave_are_numpy_s() -> None:
    cm7 = [48, 52, 55, 58, 127]  # C3 E3 G3 Bb3 and G9
    assert bits.classes(bits.of(cm7)) == bits.of([0, 4, 7, 10])
    assert bits.of_classes(tuple(cm7)) == bits.of([0, 4, 7, 10])
    classes = np.isin(np.arange(12), (0, 4, 7, 10))
    assert bits.from_classes(classes) == bits.of([0, 4, 7, 10])
    every = np.tile(classes, 11)[:128]  # up to G9: its C, E and G, no Bb
    assert np.array_equal(bits.to_array(bits.in_every_octave(bits.from_classes(classes))), every)


def test_a_matrix_s_rows_are_each_pitch_s_set() -> None:
    rng = np.random.default_rng(3)
    matrix = rng.random((128, 128)) < 0.5
    rows = bits.rows_of(matrix)
    assert len(rows) == 128
    assert all(np.array_equal(bits.to_array(r), matrix[p]) for p, r in enumerate(rows))


def test_a_set_comes_back_as_a_row_of_any_width() -> None:
    rng = np.random.default_rng(11)
    for width in (128, 100, 12, 1):
        row = rng.random(width) < 0.5
        assert np.array_equal(bits.to_row(bits.from_array(row), width), row)
    assert np.array_equal(bits.to_row(bits.of([0, 127]), 128), np.isin(np.arange(128), (0, 127)))


def test_rows_of_any_width_are_each_row_s_set() -> None:
    # 128 pitches read as two 64-bit words a row; any other width byte by byte: one answer
    rng = np.random.default_rng(5)
    for shape in ((0, 128), (1, 128), (4, 128), (3, 100), (2, 12)):
        matrix = rng.random(shape) < 0.5
        sets = tuple(bits.of(np.flatnonzero(row).tolist()) for row in matrix)
        assert bits.rows_of(matrix) == sets


def test_the_classes_of_a_mask_are_its_nonzero_entries() -> None:
    # from_classes reads a list (helper-308): the set np.flatnonzero gave, of bools and ints
    rng = np.random.default_rng(308)
    for _ in range(300):
        classes = rng.random(12) < rng.random()
        expected = bits.of(np.flatnonzero(classes).tolist())
        assert bits.from_classes(classes) == expected
        assert bits.from_classes(classes.astype(np.int8) * 3) == expected
    assert bits.from_classes(np.zeros(12, dtype=bool)) == 0
