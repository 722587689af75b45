"""The bridge's parameters: ranges, faders, labels, lengths and error codes."""

from __future__ import annotations

import math
import struct

import pytest

from segue.bridge import params
from segue.bridge.errors import ProtocolError


def test_param_ranges_lie_inside_the_generator_limits() -> None:
    from segue.model.generate import LIMITS

    for name, (low, high) in LIMITS.items():
        ours = params.PARAMS_BY_NAME.get({"max_polyphony": "polyphony"}.get(name, name))
        if ours is None or name == "max_polyphony":
            continue
        assert low <= ours.low and ours.high <= high, name


def test_faders_map_onto_the_span_and_feed_back_their_position() -> None:
    temperature = params.PARAMS_BY_NAME["temperature"]
    assert params.fader_value(temperature, 0.0) == 0.0
    assert params.fader_value(temperature, 1.0) == 2.0
    assert params.fader_value(temperature, 0.37) == 0.74
    bars = params.PARAMS_BY_NAME["bars"]
    assert params.fader_value(bars, 0.0) == 1.0 and params.fader_value(bars, 1.0) == 32.0
    variations = params.PARAMS_BY_NAME["variations"]
    value = params.fader_value(variations, 0.52)
    assert value == 9 and isinstance(value, int)
    assert params.fader_position(variations, value) == pytest.approx(8 / 15)
    assert params.label(bars, 1.0) == "1 bar" and params.label(bars, 8.0) == "8 bars"
    assert params.label(params.PARAMS_BY_NAME["polyphony"], 0) == "no limit"
    assert params.label(temperature, 0.74) == "0.74"
    with pytest.raises(ProtocolError):
        params.fader_value(temperature, 1.5)


def test_a_length_parameter_clears_the_other_two() -> None:
    settings = params.apply(params.defaults(), "notes", 32.0)
    assert (settings["bars"], settings["beats"], settings["notes"]) == (0, 0, 32)
    kwargs = params.generation_kwargs(settings)
    assert kwargs["notes"] == 32 and "bars" not in kwargs


def test_parameter_errors_carry_their_codes() -> None:
    cases = [("variations", 17, "too_many_variations"), ("bars", 65, "too_long"),
             ("notes", 5000, "too_long"), ("temperature", math.nan, "bad_value"),
             ("key", "H major", "bad_value"), ("model", "../melody", "unknown_model"),
             ("nope", 1, "unknown_parameter"), ("variations", 2.5, "bad_value")]
    for name, value, code in cases:
        with pytest.raises(ProtocolError) as info:
            params.apply(params.defaults(), name, value)
        assert info.value.code == code, (name, value)
    assert params.apply(params.defaults(), "key", 1.0)["key"] == "auto"
    float32 = struct.unpack(">f", struct.pack(">f", 0.9))[0]
    assert params.apply(params.defaults(), "temperature", float32)["temperature"] == 0.9
    assert params.apply(params.defaults(), "key", "a minor")["key"] == "A minor"
