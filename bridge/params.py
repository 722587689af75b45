"""Generation settings as the bridge sees them: the settings table on the wire, and faders.

A client's settings are a plain dict from parameter name to value, changed by
``/segue/set``, by TouchOSC faders (``/segue/fader/NAME`` with a float 0..1),
or for one request by the name/value pairs of ``/segue/generate``. Each parameter
is a setting of ``segue.model.settings`` (the table: names, ranges, defaults, help,
faders) as it travels: OSC whole numbers stop at :data:`MAX_ID`, a setting's ``off``
value may be sent for "none" (``rng_seed`` -1), and the lengths not in use read 0.
Only what is the bridge's own is declared here: the ``model`` parameter, the key's
0/1 toggle and a few words of help. Nothing here imports torch, so the client and
the protocol document can use it cheaply.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from segue.bridge import values
from segue.bridge.errors import ProtocolError
from segue.model.settings import ONE_OF, SETTINGS, Setting, api_values

Value = int | float | str
Settings = dict[str, Value]

MAX_ID = 2**31 - 1
NOTES = {  # what the bridge adds to a setting's help
    "key": "; the number 0 means off and 1 means auto (a TouchOSC toggle)",
    "rng_seed": " (the done message reports the one used)",
}


def _on_the_wire(setting: Setting) -> Setting:
    """``setting`` as a client sends and reads it: its range, default and help here."""
    low, high, default, help = setting.low, setting.high, setting.default, setting.description
    if isinstance(setting.off, int | float) and low is not None:
        low = min(low, setting.off)
    if setting.value_type is int and high is not None:
        high = min(high, MAX_ID)
    if default is None:
        default = setting.off
    for group in ONE_OF:
        if setting.name in group.members:
            first = setting.name == group.members[0]
            default = setting.value_type(group.fallback if first else group.unused)
            if first:
                help += (
                    f" (setting one of {', '.join(group.members)} clears the others; "
                    f"they read {group.unused} when not in use, and {group.unused} sets one "
                    "out of use)"
                )
    help += NOTES.get(setting.name, "")
    return replace(setting, low=low, high=high, default=default, help=help)


MODEL = Setting("model", str, "", "an installed model's name; empty = the bridge's default model")
DRUMS = Setting(
    "drums",
    int,
    0,
    "1: the seeds are drum parts (a Drum Rack's track): auto gives them a drum model (the "
    "least surprised of drums and any tuned on drum clips), and "
    "a melodic model named for them is refused (error melodic_model); 0: they are not",
    low=0,
    high=1,
)
PARAMS: tuple[Setting, ...] = (*(_on_the_wire(s) for s in SETTINGS if s.protocol), MODEL, DRUMS)
PARAMS_BY_NAME: dict[str, Setting] = {p.name: p for p in PARAMS}
FADERS: tuple[Setting, ...] = tuple(p for p in PARAMS if p.fader is not None)


def defaults() -> Settings:
    return {p.name: p.default for p in PARAMS}


def lookup(name: object) -> Setting:
    if not isinstance(name, str):
        raise ProtocolError(
            "bad_arguments", f"a parameter name must be a string, got {values.describe(name)}"
        )
    param = PARAMS_BY_NAME.get(name)
    if param is None:
        known = ", ".join(p.name for p in PARAMS)
        raise ProtocolError(
            "unknown_parameter",
            f"no parameter named {values.clip_text(name, 32)!r} (known: {known})",
        )
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
    from segue.model.registry import NAME_CHARACTERS, NAME_PATTERN

    text = values.model_name(
        "model", raw, advice="send an installed model's name (/segue/models lists them)"
    ).strip()
    if text and not NAME_PATTERN.match(text):
        raise ProtocolError(
            "unknown_model",
            f"{text!r} is not a model name ({NAME_CHARACTERS}): a model is chosen by its "
            "name, never by path",
        )
    return text


def _choice(param: Setting, raw: object) -> str:
    """A text setting (drums' ``fills`` and ``kit``): one of its choices, in any case."""
    text = values.text(param.name, raw).strip().lower()
    if param.choices and text not in param.choices:
        shown = values.clip_text(text, 32)
        raise ProtocolError(
            "bad_value", f"{param.name} must be one of {', '.join(param.choices)}, got {shown!r}"
        )
    return text


def cast(param: Setting, raw: object) -> Value:
    """``raw`` checked and converted for ``param``; raises ProtocolError naming it."""
    if param.name == "key":
        return _key(raw)
    if param.name == "model":
        return _model(raw)
    if param.value_type is str:
        return _choice(param, raw)
    if param.value_type is int:
        low = None if param.low is None else int(param.low)
        high = None if param.high is None else int(param.high)
        return values.whole(param.name, raw, low, high, param.over, param.units)
    # A float32 sender means the decimal it shows: 0.9 arrives as 0.899999976; read 0.9.
    value = float(f"{values.number(param.name, raw):.7g}")
    return values.real(param.name, value, param.low, param.high, param.over, param.units)


def apply(settings: Mapping[str, Value], name: object, raw: object) -> Settings:
    """New settings with one parameter changed (a length parameter clears the other two; its
    "not in use" value, 0, which ``/segue/get`` reports, clears it alone)."""
    param = lookup(name)
    result = dict(settings)
    group = next((g for g in ONE_OF if param.name in g.members), None)
    if group is not None and _unused(raw, group.unused):
        result[param.name] = param.value_type(group.unused)
        return result
    result[param.name] = cast(param, raw)
    if group is not None:
        for other in group.members:
            if other != param.name:
                result[other] = PARAMS_BY_NAME[other].value_type(group.unused)  # bars: 0.0
    return result


def _unused(raw: object, unused: int) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool) and raw == unused


def apply_pairs(settings: Mapping[str, Value], pairs: list[Any]) -> Settings:
    """Settings with name/value pairs applied in order (the last of a name wins)."""
    if len(pairs) % 2:
        raise ProtocolError(
            "bad_arguments", "parameters come in name/value pairs; one value is missing"
        )
    result = dict(settings)
    for i in range(0, len(pairs), 2):
        result = apply(result, pairs[i], pairs[i + 1])
    return result


def generation_kwargs(settings: Mapping[str, Value]) -> dict[str, Any]:
    """Keyword arguments for ``GenerationParams`` (without the rng seed, the model and
    whether the seed is drums)."""
    return api_values(
        {n: v for n, v in settings.items() if n not in ("rng_seed", MODEL.name, DRUMS.name)}
    )


# -- TouchOSC faders: one float 0..1 mapped onto the parameter's range ----------------------


def fader_value(param: Setting, position: object) -> Value:
    """The parameter value a fader position 0..1 stands for, on the fader's steps."""
    if param.fader is None:
        raise ProtocolError("unknown_address", f"{param.name} has no fader")
    x = values.real(f"{param.name} fader position", position, 0.0, 1.0)
    low, high, step = param.fader
    steps = round((x * (high - low)) / step)
    value = min(max(low + steps * step, min(low, high)), max(low, high))
    value = round(value, 6)
    return int(round(value)) if param.value_type is int else value


def fader_values(settings: Mapping[str, Value]) -> list[tuple[Setting, Value]]:
    """Each fader's parameter and the value it stands at: a length not in use is left out,
    or, when none is, the first stands at the length used (4 bars, not 0)."""
    kwargs = generation_kwargs(settings)
    out = []
    for param in FADERS:
        group = next((g for g in ONE_OF if param.name in g.members), None)
        if group is None:
            out.append((param, settings[param.name]))
        elif param.name in kwargs:
            out.append((param, kwargs[param.name]))
        elif param.name == group.members[0] and not any(m in kwargs for m in group.members):
            out.append((param, param.value_type(group.fallback)))
    return out


def fader_position(param: Setting, value: Value) -> float:
    """Where the fader sits for ``value`` (0..1, clamped to the fader's span)."""
    if param.fader is None or isinstance(value, str):
        return 0.0
    low, high, _ = param.fader
    if high == low:
        return 0.0
    return min(1.0, max(0.0, (float(value) - low) / (high - low)))


def label(param: Setting, value: Value) -> str:
    """The text a TouchOSC label shows for a value: ``1.25``, ``8 bars``, ``no limit``."""
    if isinstance(value, str):
        return value or "default"
    if param.off_label and value == param.off:
        return param.off_label
    if param.value_type is int or float(value).is_integer():
        shown = f"{int(value)}"
    else:
        shown = f"{float(value):.2f}".rstrip("0").rstrip(".")
    if param.units and not math.isnan(float(value)):
        unit = param.units[:-1] if shown == "1" else param.units
        return f"{shown} {unit}"
    return shown
