"""Generation parameters as the bridge sees them: names, ranges, defaults, fader mapping.

A client's settings are a plain dict from parameter name to value, changed by
``/segue/set``, by TouchOSC faders (``/segue/fader/NAME`` with a float 0..1),
or for one request by the name/value pairs of ``/segue/generate``. The ranges
here are the bridge's limits; they lie inside the generator's own
``segue.model.generate.LIMITS`` (a test keeps them so). Nothing here imports
torch, so the client and the protocol document can use it cheaply.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from segue.bridge import values
from segue.bridge.errors import ProtocolError

Value = int | float | str
Settings = dict[str, Value]

MAX_ID = 2**31 - 1
LENGTH_PARAMS = ("bars", "beats", "notes")


@dataclass(frozen=True)
class Param:
    """One parameter: its type, range, default, units and the fader that can set it."""

    name: str
    kind: str  # "float", "int" or "string"
    low: float | None
    high: float | None
    default: Value
    doc: str
    units: str = ""
    fader: tuple[float, float, float] | None = None  # (value at 0, value at 1, step)
    over: str = "bad_value"  # error code for a value above ``high``

    def range_text(self) -> str:
        if self.kind == "string":
            return "text"
        return (f"{values.num(self.low)} .. {values.num(self.high)}"
                + (f" {self.units}" if self.units else ""))


PARAMS: tuple[Param, ...] = (
    Param("temperature", "float", 0.0, 5.0, 1.0,
          "0 = always the likeliest note; higher = more adventurous", fader=(0.0, 2.0, 0.01)),
    Param("top_p", "float", 0.01, 1.0, 0.95,
          "sample only from the likeliest choices that add up to this probability",
          fader=(0.01, 1.0, 0.01)),
    Param("bars", "float", 0.25, 64.0, 4.0,
          "length of each variation in bars of the seed's time signature (setting one of "
          "bars, beats, notes clears the other two; they read 0 when not in use)",
          units="bars", fader=(1.0, 32.0, 1.0), over="too_long"),
    Param("beats", "float", 0.25, 256.0, 0.0, "length of each variation in beats",
          units="beats", fader=(1.0, 128.0, 1.0), over="too_long"),
    Param("notes", "int", 1, 2048, 0, "length of each variation in notes",
          units="notes", fader=(1.0, 256.0, 1.0), over="too_long"),
    Param("variations", "int", 1, 16, 1, "how many different continuations",
          fader=(1.0, 16.0, 1.0), over="too_many_variations"),
    Param("key", "string", None, None, "off",
          "key lock: off, auto (detect from the seed) or a key such as 'A minor', "
          "'F# dorian' or 'C# Half-whole Dim.' (any of Live 12's 35 scales, by Live's name), "
          "or a tonic and its scale's semitones, 'D 0,2,3,5,7,9,10'; the number 0 means off "
          "and 1 means auto (a TouchOSC toggle)"),
    Param("low", "int", 0, 127, 0, "lowest pitch allowed", fader=(0.0, 127.0, 1.0)),
    Param("high", "int", 0, 127, 127, "highest pitch allowed", fader=(0.0, 127.0, 1.0)),
    Param("polyphony", "int", 0, 16, 0, "most notes sounding at once; 0 = no limit",
          fader=(0.0, 16.0, 1.0)),
    Param("memory", "float", 0.0, 4.0, 1.0,
          "how strongly the seed's own phrases and pitch classes come back: 1 as often as "
          "in the music the model learnt from, 0 only when the network recalls them, up "
          "to 4 for loops",
          fader=(0.0, 2.0, 0.05)),
    Param("rng_seed", "int", -1, MAX_ID, -1,
          "random seed: the same number gives the same notes; -1 = a new one each time "
          "(the done message reports the one used)"),
    Param("model", "string", None, None, "",
          "an installed model's name; empty = the bridge's default model"),
)
PARAMS_BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}
FADERS: tuple[Param, ...] = tuple(p for p in PARAMS if p.fader is not None)


def defaults() -> Settings:
    return {p.name: p.default for p in PARAMS}


def lookup(name: object) -> Param:
    if not isinstance(name, str):
        raise ProtocolError("bad_arguments",
                            f"a parameter name must be a string, got {values.describe(name)}")
    param = PARAMS_BY_NAME.get(name)
    if param is None:
        known = ", ".join(p.name for p in PARAMS)
        raise ProtocolError("unknown_parameter",
                            f"no parameter named {values.clip_text(name, 32)!r} (known: {known})")
    return param


def _key(raw: object) -> str:
    from segue.model.keys import parse_key

    if isinstance(raw, bool):
        return "auto" if raw else "off"
    if isinstance(raw, int | float):
        return "auto" if values.whole("key", raw, 0, 1) else "off"
    text = values.text("key", raw).strip()
    if text.lower() in ("", "off", "none"):
        return "off"
    if text.lower() == "auto":
        return "auto"
    try:
        return str(parse_key(text))
    except Exception as exc:  # parse_key raises SegueError with the reason
        raise ProtocolError("bad_value", f"key: {exc}") from None


def _model(raw: object) -> str:
    from segue.model.registry import NAME_PATTERN

    text = values.text("model", raw).strip()
    if text and not NAME_PATTERN.match(text):
        raise ProtocolError("unknown_model",
                            "a model is chosen by name (letters, digits, '.', '_' and '-'), "
                            "never by path")
    return text


def cast(param: Param, raw: object) -> Value:
    """``raw`` checked and converted for ``param``; raises ProtocolError naming it."""
    if param.name == "key":
        return _key(raw)
    if param.name == "model":
        return _model(raw)
    if param.kind == "int":
        return values.whole(param.name, raw, int(param.low), int(param.high), param.over,
                            param.units)
    # A float32 sender means the decimal it shows: 0.9 arrives as 0.899999976; read 0.9.
    value = float(f"{values.number(param.name, raw):.7g}")
    return values.real(param.name, value, param.low, param.high, param.over, param.units)


def apply(settings: Mapping[str, Value], name: object, raw: object) -> Settings:
    """New settings with one parameter changed (a length parameter clears the other two)."""
    param = lookup(name)
    result = dict(settings)
    result[param.name] = cast(param, raw)
    if param.name in LENGTH_PARAMS:
        for other in LENGTH_PARAMS:
            if other != param.name:
                result[other] = 0
    return result


def apply_pairs(settings: Mapping[str, Value], pairs: list[Any]) -> Settings:
    """Settings with name/value pairs applied in order (the last of a name wins)."""
    if len(pairs) % 2:
        raise ProtocolError("bad_arguments",
                            "parameters come in name/value pairs; one value is missing")
    result = dict(settings)
    for i in range(0, len(pairs), 2):
        result = apply(result, pairs[i], pairs[i + 1])
    return result


def generation_kwargs(settings: Mapping[str, Value]) -> dict[str, Any]:
    """Keyword arguments for ``GenerationParams`` (without the rng seed and model)."""
    length = {n: settings[n] for n in LENGTH_PARAMS if settings[n]}
    if not length:
        length = {"bars": 4.0}
    key = settings["key"]
    return {
        "temperature": float(settings["temperature"]),
        "top_p": float(settings["top_p"]),
        **{n: (int(v) if n == "notes" else float(v)) for n, v in length.items()},
        "variations": int(settings["variations"]),
        "key": None if key == "off" else str(key),
        "pitch_low": int(settings["low"]),
        "pitch_high": int(settings["high"]),
        "max_polyphony": int(settings["polyphony"]) or None,
        "memory": float(settings["memory"]),
    }


def check_combination(settings: Mapping[str, Value]) -> None:
    if int(settings["low"]) > int(settings["high"]):
        raise ProtocolError("bad_value", f"low ({settings['low']}) must not be above high "
                                         f"({settings['high']})")


# -- TouchOSC faders: one float 0..1 mapped onto the parameter's range ----------------------

def fader_value(param: Param, position: object) -> Value:
    """The parameter value a fader position 0..1 stands for, on the fader's steps."""
    if param.fader is None:
        raise ProtocolError("unknown_address", f"{param.name} has no fader")
    x = values.real(f"{param.name} fader position", position, 0.0, 1.0)
    low, high, step = param.fader
    steps = round((x * (high - low)) / step)
    value = min(max(low + steps * step, min(low, high)), max(low, high))
    value = round(value, 6)
    return int(round(value)) if param.kind == "int" else value


def fader_position(param: Param, value: Value) -> float:
    """Where the fader sits for ``value`` (0..1, clamped to the fader's span)."""
    if param.fader is None or isinstance(value, str):
        return 0.0
    low, high, _ = param.fader
    if high == low:
        return 0.0
    return min(1.0, max(0.0, (float(value) - low) / (high - low)))


def label(param: Param, value: Value) -> str:
    """The text a TouchOSC label shows for a value: ``1.25``, ``8 bars``, ``no limit``."""
    if isinstance(value, str):
        return value or "default"
    if param.name == "polyphony" and value == 0:
        return "no limit"
    if param.name == "rng_seed" and value == -1:
        return "random"
    if param.kind == "int" or float(value).is_integer():
        shown = f"{int(value)}"
    else:
        shown = f"{float(value):.2f}".rstrip("0").rstrip(".")
    if param.units and not math.isnan(float(value)):
        unit = param.units[:-1] if shown == "1" else param.units
        return f"{shown} {unit}"
    return shown
