"""Arguments checked and cast by the protocol table, so no handler sees a raw value.

:func:`parse` checks the count (optional arguments and name/value pairs
included) and casts each argument by its declared type: TouchOSC's ``60.0`` is
the int 60, a float32 beat time is snapped to the grid (a note's duration where it ends;
a seed note's times are kept as played, and generation snaps them), NaN is refused.
"""

from __future__ import annotations

from segue.bridge import values
from segue.bridge.errors import NO_REQUEST, ProtocolError
from segue.bridge.protocol import Address, Arg
from segue.grid import TICK


def cast(arg: Arg, raw: object) -> object:
    if arg.kind == "int":
        return values.whole(arg.name, raw, _int(arg.low), _int(arg.high), arg.over, arg.units)
    if arg.kind == "float":
        return values.real(arg.name, raw, arg.low, arg.high, arg.over, arg.units)
    if arg.kind == "beats":  # a positive one says "greater than 0" to a negative value too
        low = None if arg.positive else arg.low
        number = values.real(arg.name, raw, low, arg.high, arg.over, arg.units)
        if arg.positive and number <= 0:
            raise ProtocolError(
                "bad_value", f"{arg.name} must be greater than 0 beats, got {number:g}"
            )
        snapped = values.beats(arg.name, number, low=arg.low or 0.0, high=arg.high)
        if arg.played:  # checked on the grid, kept as it came
            return number
        return max(snapped, TICK) if arg.positive else snapped
    if arg.kind == "string":
        return values.text(arg.name, raw, arg.max_length)
    if arg.kind == "name":
        return values.model_name(arg.name, raw, arg.max_length)
    if arg.kind == "value":
        if isinstance(raw, str | int | float):
            return raw
        raise ProtocolError(
            "bad_arguments", f"{arg.name} must be a number or a string, got {values.describe(raw)}"
        )
    raise ValueError(f"unknown argument kind {arg.kind!r}")  # a mistake in the table


def _snap_ends(address: Address, raw: tuple[object, ...], out: list[object]) -> None:
    """Each length ``after`` another argument (a note's duration after its start) snapped
    where it ends, from the times as they arrived: rounding the start and the length apart
    puts a played note's end a tick away from where `segue generate` puts it."""
    names = [arg.name for arg in address.args]
    for index, arg in enumerate(address.args[: len(out)]):
        if arg.after and not arg.played:
            begin = names.index(arg.after)
            start = values.number(address.args[begin].name, raw[begin])
            length = values.number(arg.name, raw[index])
            out[index] = values.note_times(start, length)[1]


def _int(bound: float | None) -> int | None:
    return None if bound is None else int(bound)


KEY_IN_ONE_WORD = (
    "; a key is one word (Am, A-minor, F#-dorian): Pd and TouchOSC send each word apart"
)


def _key_hint(words: tuple[object, ...] | list[object]) -> str:
    """:data:`KEY_IN_ONE_WORD` where the words name the key (``key A minor``, as Pd sends)."""
    return KEY_IN_ONE_WORD if any(str(w).lower() == "key" for w in words) else ""


def _count_error(address: Address, path: str, raw: tuple[object, ...]) -> ProtocolError:
    wanted = address.signature() or "no arguments"
    got = len(raw)
    return ProtocolError(
        "bad_arguments",
        f"{path} takes {wanted}; got {got} argument{'' if got == 1 else 's'}{_key_hint(raw)}",
    )


def request_id(address: Address, raw: tuple[object, ...]) -> int:
    """The message's request id if its first argument is one and reads as one."""
    if not address.args or address.args[0].name != "id" or not raw:
        return NO_REQUEST
    try:
        value = cast(address.args[0], raw[0])
    except ProtocolError:
        return NO_REQUEST
    return value if isinstance(value, int) else NO_REQUEST


def parse(address: Address, path: str, raw: tuple[object, ...]) -> list[object]:
    """The arguments cast by the table: fixed ones, then (with ``pairs``) the pairs as given.

    Pair values stay raw here; the parameter table casts them by name.
    """
    if any(getattr(value, "tag", None) in ("[", "]") for value in raw):
        raise ProtocolError(
            "bad_arguments",
            f"{path}: OSC arrays ([...]) are not accepted; send the values as separate arguments",
        )
    fixed = len(address.args)
    if len(raw) < address.required or (len(raw) > fixed and not address.pairs):
        raise _count_error(address, path, raw)
    out = [cast(arg, value) for arg, value in zip(address.args, raw, strict=False)]
    _snap_ends(address, raw, out)
    if address.pairs:
        rest = list(raw[fixed:])
        if len(rest) % 2:
            words = (
                "1 word after the id is"
                if len(rest) == 1
                else f"{len(rest)} words after the id are"
            )
            raise ProtocolError(
                "bad_arguments",
                f"{path}: parameters come in name/value pairs, and {words} an odd number"
                f"{_key_hint(rest)}",
            )
        for value in rest[1::2]:
            if not isinstance(value, str | int | float):
                raise ProtocolError(
                    "bad_arguments",
                    f"a parameter value must be a number or a string, got {values.describe(value)}",
                )
        out.extend(rest)
    return out
