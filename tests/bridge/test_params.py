"""The bridge's parameters: the settings table on the wire, casting, faders and labels."""

from __future__ import annotations

import math
import struct

import pytest

from segue.bridge import params
from segue.bridge.errors import ProtocolError
from segue.model.settings import LENGTH, SETTINGS, GenerationParams

# -- the settings table on the wire ------------------------------------------------------------


def test_every_setting_of_the_protocol_is_a_parameter_with_the_tables_declaration() -> None:
    wire = [s for s in SETTINGS if s.protocol]
    assert [p.name for p in params.PARAMS] == [s.name for s in wire] + ["model", "drums"]
    assert "include_seed" not in params.PARAMS_BY_NAME  # the command line's and the API's only
    for setting in wire:
        param = params.PARAMS_BY_NAME[setting.name]
        assert (param.value_type, param.fader, param.units, param.over) == (
            setting.value_type,
            setting.fader,
            setting.units,
            setting.over,
        ), setting.name
        assert param.help.startswith(setting.description), setting.name
        if setting.low is None:
            continue
        # the same range, except that "none" may be sent and OSC's whole numbers are 32-bit
        assert param.low == min(
            setting.low, setting.off if setting.off is not None else setting.low
        ), setting.name
        assert param.high == min(setting.high, params.MAX_ID), setting.name


def test_the_bridges_defaults_are_the_python_apis() -> None:
    kwargs = params.generation_kwargs(params.defaults())
    assert GenerationParams(**kwargs).validated() == GenerationParams().validated()
    defaults = params.defaults()
    assert defaults["rng_seed"] == -1 and defaults["key"] == "off" and defaults["model"] == ""
    assert [defaults[n] for n in LENGTH.members] == [4.0, 0.0, 0]
    assert isinstance(defaults["beats"], float) and isinstance(defaults["notes"], int)


def test_off_values_and_the_lengths_not_in_use_mean_the_apis_none() -> None:
    settings = params.apply_pairs(
        params.defaults(), ["beats", 6.0, "rng_seed", 12, "key", "auto", "polyphony", 3]
    )
    kwargs = params.generation_kwargs(settings)
    assert {n: kwargs[n] for n in ("beats", "key", "polyphony", "temperature")} == {
        "beats": 6.0,
        "key": "auto",
        "polyphony": 3,
        "temperature": 1.0,
    }
    assert not {"bars", "notes", "rng_seed", "model"} & set(kwargs)  # the bridge draws the seed
    assert GenerationParams(**params.generation_kwargs(params.defaults())).key is None


def test_low_above_high_is_refused_by_the_one_validation() -> None:
    settings = params.apply_pairs(params.defaults(), ["low", 80, "high", 70])
    with pytest.raises(Exception, match="pitch range"):
        GenerationParams(**params.generation_kwargs(settings)).validated()


# -- parameters and faders --------------------------------------------------------------------


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
    assert params.label(params.PARAMS_BY_NAME["polyphony"], 0) == "as the clip"
    assert params.label(params.PARAMS_BY_NAME["polyphony"], 4) == "4"
    assert params.label(temperature, 0.74) == "0.74"
    with pytest.raises(ProtocolError):
        params.fader_value(temperature, 1.5)


def test_a_length_parameter_clears_the_other_two() -> None:
    settings = params.apply(params.defaults(), "notes", 32.0)
    assert (settings["bars"], settings["beats"], settings["notes"]) == (0, 0, 32)
    kwargs = params.generation_kwargs(settings)
    assert kwargs["notes"] == 32 and "bars" not in kwargs


def test_a_length_of_0_as_get_reports_it_sets_that_length_out_of_use() -> None:
    """/segue/get said "beats 0", and /segue/set beats 0 was refused: a client restoring the
    settings it read was stopped. And bars came back a float, then the int 0 once cleared."""
    settings = params.apply(params.defaults(), "bars", 8.0)
    restored = params.apply_pairs(params.defaults(), ["bars", 8.0, "beats", 0, "notes", 0])
    assert restored == settings and params.generation_kwargs(restored)["bars"] == 8.0
    cleared = params.apply(settings, "notes", 16)
    assert type(cleared["bars"]) is float and type(cleared["beats"]) is float
    assert type(cleared["notes"]) is int
    assert params.apply(settings, "bars", 0.0)["bars"] == 0.0  # out of use: 4 bars again
    assert "bars" not in params.generation_kwargs(params.apply(settings, "bars", 0))


def test_parameter_errors_carry_their_codes() -> None:
    cases = [
        ("variations", 17, "too_many_variations"),
        ("bars", 65, "too_long"),
        ("notes", 5000, "too_long"),
        ("temperature", math.nan, "bad_value"),
        ("key", "H major", "bad_value"),
        ("model", "../melody", "unknown_model"),
        ("nope", 1, "unknown_parameter"),
        ("variations", 2.5, "bad_value"),
        ("rng_seed", -2, "bad_value"),
        ("rng_seed", 2**31, "bad_value"),
        ("bars", 0.1, "bad_value"),
        ("bars", -1, "bad_value"),
        ("include_seed", 1, "unknown_parameter"),
    ]
    for name, value, code in cases:
        with pytest.raises(ProtocolError) as info:
            params.apply(params.defaults(), name, value)
        assert info.value.code == code, (name, value)
    assert params.apply(params.defaults(), "key", 1.0)["key"] == "auto"
    float32 = struct.unpack(">f", struct.pack(">f", 0.9))[0]
    assert params.apply(params.defaults(), "temperature", float32)["temperature"] == 0.9
    assert params.apply(params.defaults(), "key", "a minor")["key"] == "A minor"
    assert params.apply(params.defaults(), "rng_seed", -1.0)["rng_seed"] == -1


def _another_value(param) -> object:
    """A value of ``param`` other than its default, as an OSC client sends it: a float for
    a number (TouchOSC and Max send floats), text for a text setting."""
    if param.name == "key":
        return "D dorian"
    if param.name == "model":
        return "melody"
    if param.value_type is str:
        return next(c for c in param.choices if c != param.default).upper()
    low, high = param.low, min(param.high, 64)
    if param.value_type is not int:
        return (low + high) / 2
    middle = float(round((low + high) / 2))
    return middle if middle != param.default else float(high)  # 0 .. 1: 1


@pytest.mark.parametrize("param", params.PARAMS, ids=lambda p: p.name)
def test_every_parameter_takes_a_value_a_client_sends(param) -> None:
    """Issue found in session 18: a text setting (drums' fills and kit) fell through to the
    number check, so `/segue/set fills phrase` and the device's Fills menu always failed."""
    value = _another_value(param)
    settings = params.apply(params.defaults(), param.name, value)
    assert settings[param.name] != params.defaults()[param.name]
    kwargs = params.generation_kwargs(settings)
    GenerationParams(**kwargs).validated()
    if param.value_type is str and param.choices:
        assert settings[param.name] == str(value).lower()
        with pytest.raises(ProtocolError, match="must be one of") as info:
            params.apply(params.defaults(), param.name, "sometimes")
        assert info.value.code == "bad_value"
        with pytest.raises(ProtocolError, match="must be a string"):
            params.apply(params.defaults(), param.name, 1.0)


def test_the_faders_stand_at_the_values_in_use() -> None:
    """/segue/faders: each fader at its parameter's value; of the lengths, the one in use,
    or 4 bars when none is (a fader at bars 0 would say "0 bars")."""
    shown = {p.name: v for p, v in params.fader_values(params.defaults())}
    assert shown["bars"] == 4.0 and "beats" not in shown and "notes" not in shown
    assert shown["temperature"] == 1.0
    notes = {
        p.name: v for p, v in params.fader_values(params.apply(params.defaults(), "notes", 16))
    }
    assert notes["notes"] == 16 and "bars" not in notes and "beats" not in notes
