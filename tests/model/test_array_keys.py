"""NumPy arrays as keys, whole (segue.model.array_keys): the same arrays give the same key;
another dtype, shape or any value another; a view reads as the array it shows."""

from __future__ import annotations

import numpy as np

from segue.model.array_keys import array_key


def test_an_array_s_key_is_its_dtype_its_shape_and_every_value() -> None:
    rows = np.arange(12, dtype=np.int64).reshape(3, 4)
    assert array_key(rows) == array_key(rows.copy())
    assert array_key(rows) != array_key(rows.astype(np.int32))  # its dtype counts
    assert array_key(rows) != array_key(rows.reshape(4, 3))  # its shape counts
    changed = rows.copy()
    changed[2, 3] += 1  # its last value counts
    assert array_key(rows) != array_key(changed)
    assert array_key(rows, rows) != array_key(rows)  # each array given counts


def test_a_view_is_keyed_as_the_array_it_shows() -> None:
    rows = np.arange(12, dtype=np.int64).reshape(3, 4)
    columns = rows.T  # not contiguous
    assert array_key(columns) == array_key(np.ascontiguousarray(columns))
    assert array_key(rows[:, ::2]) == array_key(rows[:, ::2].copy())
