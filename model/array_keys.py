"""NumPy arrays as dictionary keys, whole: a cache of what was read of a clip (the network's
readings, ``architecture.Readings``) or worked out for a request (``turn_pitch_memo``) finds
an answer only for the very same arrays. No torch here: the takes' modules use it too."""

from __future__ import annotations

import numpy as np


def array_key(*arrays: np.ndarray) -> tuple[tuple[str, tuple[int, ...], bytes], ...]:
    """A key that holds NumPy arrays whole: dtype, shape and bytes."""
    return tuple((a.dtype.str, a.shape, np.ascontiguousarray(a).tobytes()) for a in arrays)
