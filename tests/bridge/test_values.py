"""Casting OSC values: whole numbers arrive as floats too."""

from __future__ import annotations

import math

import pytest

from segue.bridge.errors import ProtocolError
from segue.bridge.values import whole


def test_whole_numbers_accept_floats_without_a_fraction() -> None:
    assert whole("pitch", 60.0, 0, 127) == 60
    assert whole("pitch", 60, 0, 127) == 60
    for bad, code in (
        (60.5, "bad_value"),
        (math.nan, "bad_value"),
        (math.inf, "bad_value"),
        (128, "bad_value"),
        ("60", "bad_arguments"),
        (b"x", "bad_arguments"),
    ):
        with pytest.raises(ProtocolError) as info:
            whole("pitch", bad, 0, 127)
        assert info.value.code == code
