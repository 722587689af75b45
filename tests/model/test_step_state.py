"""What a request's step loop carries from one step to the next and the tools each step
reads (``segue.model.step_state``): records whose every field says what it is."""

from __future__ import annotations

import inspect
from dataclasses import FrozenInstanceError, fields

import numpy as np
import pytest

from segue.model import step_state
from segue.model.step_state import StepTools, TakesSoFar
from segue.model.voices import Voices


def test_takes_so_far_and_step_tools_say_what_each_field_is() -> None:
    source = inspect.getsource(step_state)
    for record in (TakesSoFar, StepTools):
        for name in (f.name for f in fields(record)):
            assert f"    {name}: " in source
            after = source.split(f"    {name}: ", 1)[1].split("\n", 2)[1]
            assert after.strip().startswith('"""'), f"{record.__name__}.{name} has no docstring"


def test_the_takes_so_far_change_in_place_and_the_tools_do_not() -> None:
    live = np.ones(2, dtype=bool)
    zeros = np.zeros(2, dtype=np.int64)
    so_far = TakesSoFar(
        Voices(2, np.zeros((0, 4), dtype=np.int64)),
        *(zeros,) * 5,
        np.zeros((1, 2, 4), dtype=np.int64),
        np.zeros((1, 2), dtype=bool),
        live,
        zeros,
        live.copy(),
        None,  # type: ignore[arg-type]
        None,
    )
    assert so_far.count == 0 and so_far.live is live  # the phases update its arrays
    so_far.count += 1
    assert so_far.count == 1
    tools = StepTools(*(None,) * len(fields(StepTools)))  # type: ignore[arg-type]
    with pytest.raises(FrozenInstanceError):
        tools.greedy = True  # type: ignore[misc]
