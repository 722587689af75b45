"""The pitches a turned note may take (``turn_pitches.turn_pitches``), worked out once per
request for each set of its arguments: it reads nothing but them, and a dense chord loop's
takes ask it again and again with the same ones (a trance gate's request: 64 asks, 8 sets of
arguments; about 35 us each). Keyed on every argument whole (an array's type, shape and
bytes), so two takes or two places share an answer only where they ask the very same."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, ParamSpec

import numpy as np

from segue.model.array_keys import array_key

MOST = 256
"""The most answers a request keeps; past it the memo starts again (a request's turns ask
a few dozen)."""

P = ParamSpec("P")


def _key(value: object) -> Hashable:
    """``value`` as a key: an array by its type, shape and bytes, a tuple item by item."""
    if isinstance(value, np.ndarray):
        return array_key(value)
    if isinstance(value, tuple):
        return tuple(_key(item) for item in value)
    return (type(value).__name__, value)


class ArgumentsMemo(Generic[P]):
    """A function of arrays that reads nothing but its arguments, its answers kept by them:
    called as the function is (the type checker sees its parameters), a copy of the answer
    worked out the first time they were given."""

    def __init__(self, function: Callable[P, np.ndarray]) -> None:
        self._function = function
        self._known: dict[Hashable, np.ndarray] = {}

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> np.ndarray:
        key = (_key(args), _key(tuple(sorted(kwargs.items()))))
        known = self._known.get(key)
        if known is None:
            if len(self._known) >= MOST:
                self._known.clear()
            known = self._known[key] = self._function(*args, **kwargs)
        return known.copy()
