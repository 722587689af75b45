"""Casting OSC arguments: every number may arrive as an int or a float.

TouchOSC and Max send floats where an integer is meant (pitch ``60.0``), so a
whole-number float is accepted wherever an int is; ``60.5`` is an error. Times
in beats arrive as float32 (``0.33333334``) and are snapped to segue's grid: of a
note, its start and its end, as :func:`segue.grid.grid_rows` snaps them
(:func:`note_times`), not its duration. Every function raises
:class:`ProtocolError` with the code ``bad_arguments`` (wrong type) or
``bad_value`` (right type, impossible value), naming the field.
"""

from __future__ import annotations

import math
import unicodedata

from segue.bridge.errors import ProtocolError
from segue.grid import snap, to_beats, to_ticks

Number = int | float


def num(value: float | None) -> str:
    """A number for people: 2147483647 stays whole, 0.95 stays 0.95, 1e30 stays 1e+30."""
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def counted(value: float, units: str) -> str:
    """``value`` and its units: "1 clip", "2 clips", "1 s"."""
    unit = units[:-1] if value == 1 and units.endswith("s") and len(units) > 2 else units
    return f"{num(value)} {unit}".rstrip()


def describe(value: object) -> str:
    """A short, safe rendering of a received value for an error sentence."""
    if isinstance(value, str):
        shown = value if len(value) <= 24 else value[:21] + "..."
        return f"the string {shown!r}"
    if isinstance(value, bytes):
        return f"a blob of {len(value)} bytes"
    if value is None:
        return "nil"
    if isinstance(value, float):  # as sent: an OSC float carries 7 digits (1e+30, not
        return f"{value:.7g}"  # 1.0000000150474662e+30)
    if isinstance(value, bool | int):
        return f"{value!r}"
    return f"an argument of OSC type {getattr(value, 'tag', '?')!r}"


def number(name: str, value: object) -> float:
    """Any finite number (int, float, or an OSC true/false as 1/0)."""
    if isinstance(value, bool):
        return float(value)
    if not isinstance(value, int | float):
        raise ProtocolError("bad_arguments", f"{name} must be a number, got {describe(value)}")
    result = float(value)
    if not math.isfinite(result):
        raise ProtocolError("bad_value", f"{name} must be a finite number, got {describe(value)}")
    return result


def _in_range(
    name: str, value: Number, low: Number | None, high: Number | None, over: str, units: str = ""
) -> None:
    if low is not None and value < low:
        raise ProtocolError(
            "bad_value", f"{name} must be at least {counted(low, units)}, got {num(value)}"
        )
    if high is not None and value > high:
        raise ProtocolError(
            over, f"{name} must be at most {counted(high, units)}, got {num(value)}"
        )


def whole(
    name: str,
    value: object,
    low: int | None = None,
    high: int | None = None,
    over: str = "bad_value",
    units: str = "",
) -> int:
    """A whole number: ``60`` and ``60.0`` are 60; ``60.5`` is an error."""
    result = number(name, value)
    if result != int(result):
        raise ProtocolError("bad_value", f"{name} must be a whole number, got {describe(value)}")
    _in_range(name, result, low, high, over, units)
    return int(result)


def real(
    name: str,
    value: object,
    low: float | None = None,
    high: float | None = None,
    over: str = "bad_value",
    units: str = "",
) -> float:
    result = number(name, value)
    _in_range(name, result, low, high, over, units)
    return result


def beats(
    name: str, value: object, low: float = 0.0, high: float | None = None, over: str = "bad_value"
) -> float:
    """A time in beats, snapped to the 24-ticks-per-beat grid after the range check."""
    return snap(real(name, value, low, high, over, "beats"))


def note_times(start: float, duration: float) -> tuple[float, float]:
    """A note's start and duration in beats on the grid, as :func:`segue.grid.grid_rows`
    (so `segue generate`) and the Live device put them: the start and the end snap to the
    nearest tick, and the duration is what lies between, at least one tick. The duration
    snapped by itself would differ: a note at 0.015 beats held 0.2625 (ticks 0.36 to 6.66)
    is ticks 0 to 7, where 0.36 and 6.3 ticks rounded apart would end it at tick 6."""
    start_ticks = to_ticks(start)
    duration_ticks = max(to_ticks(start + duration) - start_ticks, 1)
    return to_beats(start_ticks), to_beats(duration_ticks)


def text(name: str, value: object, max_length: int = 64, advice: str = "") -> str:
    """A string argument of at most ``max_length`` characters (``advice``: what to send
    instead, said with a refusal)."""
    if not isinstance(value, str):
        raise ProtocolError("bad_arguments", f"{name} must be a string, got {describe(value)}")
    if len(value) > max_length:
        raise ProtocolError(
            "bad_value",
            f"{name} is longer than {max_length} characters" + (f": {advice}" if advice else ""),
        )
    return value


def model_name(name: str, value: object, max_length: int = 64, advice: str = "") -> str:
    """A model's name: a string, or a whole number read as its digits (Pure Data and Max
    send a word of digits, a model named 808, as a number, and it was refused)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value) and value == int(value) and value >= 0:
            return str(int(value))
    return text(name, value, max_length, advice)


def clip_text(value: str, max_length: int) -> str:
    """``value`` cut to ``max_length`` characters (an ellipsis marks the cut), between words
    where a word boundary lies in the last quarter, and never inside a letter of several
    characters (:func:`whole_letters`)."""
    if len(value) <= max_length:
        return value
    cut = value[: whole_letters(value, max_length - 3)]
    space = cut.rfind(" ")
    if space >= max_length * 3 // 4:
        cut = cut[:space].rstrip(" ,;:(")
    return cut + "..."


_ZWJ = "\u200d"


def _regional(c: str) -> bool:
    """A regional indicator: two of them are a flag (🇯 and 🇵 are 🇯🇵)."""
    return "\U0001f1e6" <= c <= "\U0001f1ff"


def _hangul_follows(c: str) -> bool:
    """A Korean vowel or final consonant jamo: a decomposed syllable's second or third part
    (한 decomposed, as a Mac writes a file's name, is ᄒ, ᅡ and ᆫ), never a letter's first."""
    return "\u1160" <= c <= "\u11ff" or "\ud7b0" <= c <= "\ud7ff"


def _joins(before: str, after: str) -> bool:
    """Whether ``after`` is shown as part of the letter ``before`` is in: a combining accent
    (a Mac's decomposed é), a variation selector, a skin tone, an emoji's tag, either side
    of a zero-width joiner (👩‍🎤 is 👩, the joiner, 🎤), or a decomposed Korean syllable's
    vowel or final consonant."""
    return (
        unicodedata.category(after) in ("Mn", "Mc", "Me")
        or _ZWJ in (before, after)
        or "\ufe00" <= after <= "\ufe0f"
        or "\U0001f3fb" <= after <= "\U0001f3ff"
        or "\U000e0020" <= after <= "\U000e007f"
        or _hangul_follows(after)
    )


def whole_letters(text: str, end: int) -> int:
    """The last place at or before ``end`` where ``text`` may be cut with no letter on screen
    cut in two: a clip "Zoë’s riff 👩‍🎤🇯🇵" cut at its length in characters kept a lone 👩 and
    joiner, or half a flag, at the end of its continuation's name in Live (helper-327)."""
    end = max(0, min(end, len(text)))
    while 0 < end < len(text) and _joins(text[end - 1], text[end]):
        end -= 1
    if 0 < end < len(text) and _regional(text[end]):
        run = 0
        while run < end and _regional(text[end - 1 - run]):
            run += 1
        end -= run % 2  # flags pair from the first: an odd run before the cut ends in half of one
    return end
