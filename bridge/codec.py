"""OSC 1.0 packets to and from bytes, strictly, with no surprises on hostile input.

:func:`decode` turns one datagram into its messages (a bundle may hold several,
nested up to :data:`MAX_BUNDLE_DEPTH` deep) or raises :class:`ProtocolError` ``malformed``:
never another exception, whatever the bytes. Padding after a string is skipped
without being checked (senders differ); everything else is checked: the size
is a multiple of 4, strings end inside the packet, the type tag string is
there (even with no arguments, so a message cut after its address is caught),
every argument fits, and nothing is left over. Blobs decode to bytes; other
types the bridge does not use (MIDI, colours, time tags, arrays, ...) decode
to :class:`Unsupported`, so the caller can answer ``bad_arguments`` naming them.

:func:`encode` writes int as ``i``, float as ``f`` (float32), str as ``s`` and
bool as ``T``/``F``, the types every OSC implementation reads.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from segue.bridge.errors import ProtocolError

BUNDLE_TAG = b"#bundle\x00"
MAX_BUNDLE_DEPTH = 4
"""Bundles a datagram may nest (a bundle in a bundle is 2 deep); deeper ones are refused."""

_INT = struct.Struct(">i")
_FLOAT = struct.Struct(">f")
_DOUBLE = struct.Struct(">d")
_LONG = struct.Struct(">q")
_FIXED_SIZES = {"c": 4, "r": 4, "m": 4, "t": 8}
_NO_DATA = {"T": True, "F": False, "N": None}

Arg = int | float | str | bool | bytes | None


@dataclass(frozen=True, slots=True)
class Unsupported:
    """An argument of a type the bridge reads but does not accept (``tag`` is its type)."""

    tag: str


@dataclass(frozen=True, slots=True)
class Message:
    address: str
    args: tuple[object, ...]


def _malformed(reason: str) -> ProtocolError:
    return ProtocolError("malformed", f"not a valid OSC packet: {reason}")


def _string(data: bytes, pos: int, what: str) -> tuple[bytes, int]:
    end = data.find(b"\x00", pos)
    if end < 0:
        raise _malformed(f"the {what} has no terminating zero byte")
    return data[pos:end], (end + 4) & ~3


def _message(data: bytes) -> Message:
    raw_address, pos = _string(data, 0, "address")
    try:
        address = raw_address.decode("ascii")
    except UnicodeDecodeError:
        raise _malformed("the address is not ASCII") from None
    if not address.startswith("/") or not address.isprintable():
        raise _malformed("the address must start with '/' and hold printable characters")
    if data[pos : pos + 1] != b",":
        raise _malformed("the type tag string (starting with ',') is missing")
    raw_tags, pos = _string(data, pos, "type tag string")
    try:
        tags = raw_tags[1:].decode("ascii")
    except UnicodeDecodeError:
        raise _malformed("the type tags are not ASCII") from None
    args: list[object] = []
    size = len(data)
    for tag in tags:
        if tag in _NO_DATA:
            args.append(_NO_DATA[tag])
            continue
        if tag in "ifsSbhd" or tag in _FIXED_SIZES:
            pass
        elif tag in "[]I":
            args.append(Unsupported(tag))
            continue
        else:
            raise _malformed(f"unknown argument type {tag!r}")
        if tag == "i":
            if pos + 4 > size:
                raise _malformed("the packet ends inside an int argument")
            args.append(_INT.unpack_from(data, pos)[0])
            pos += 4
        elif tag == "f":
            if pos + 4 > size:
                raise _malformed("the packet ends inside a float argument")
            args.append(_FLOAT.unpack_from(data, pos)[0])
            pos += 4
        elif tag in "sS":
            raw, pos = _string(data, pos, "string argument")
            if pos > size:
                raise _malformed("the packet ends inside a string argument")
            try:
                args.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                raise _malformed("a string argument is not UTF-8") from None
        elif tag in "hd":
            if pos + 8 > size:
                raise _malformed("the packet ends inside a 64-bit argument")
            args.append((_LONG if tag == "h" else _DOUBLE).unpack_from(data, pos)[0])
            pos += 8
        elif tag == "b":
            if pos + 4 > size:
                raise _malformed("the packet ends inside a blob size")
            length = _INT.unpack_from(data, pos)[0]
            end = pos + 4 + length
            if length < 0 or end > size:
                raise _malformed("a blob runs past the end of the packet")
            args.append(bytes(data[pos + 4 : end]))
            pos = (end + 3) & ~3
        else:
            width = _FIXED_SIZES[tag]
            if pos + width > size:
                raise _malformed(f"the packet ends inside a {tag!r} argument")
            args.append(Unsupported(tag))
            pos += width
    if pos != size:
        raise _malformed(f"{size - pos} bytes left over after the arguments")
    return Message(address, tuple(args))


def _packet(data: bytes, depth: int, out: list[Message]) -> None:
    if len(data) == 0 or len(data) % 4:
        raise _malformed(f"its size ({len(data)} bytes) is not a positive multiple of 4")
    if data[:8] != BUNDLE_TAG:
        out.append(_message(data))
        return
    if depth >= MAX_BUNDLE_DEPTH:  # valid OSC, but the bridge's limit: say it, and the way on
        raise ProtocolError(
            "malformed",
            f"bundles nested more than {MAX_BUNDLE_DEPTH} deep (a bundle in a bundle is 2 "
            f"deep); the bridge reads up to {MAX_BUNDLE_DEPTH}: send flatter bundles, or the "
            "messages one by one",
        )
    if len(data) < 16:
        raise _malformed("a bundle shorter than its header")
    pos = 16  # tag and time tag (the bridge acts at once, whatever the time tag)
    while pos < len(data):
        if pos + 4 > len(data):
            raise _malformed("a bundle ends inside an element size")
        length = _INT.unpack_from(data, pos)[0]
        if length <= 0 or pos + 4 + length > len(data):
            raise _malformed("a bundle element runs past the end of the bundle")
        _packet(data[pos + 4 : pos + 4 + length], depth + 1, out)
        pos += 4 + length


def decode(data: bytes) -> list[Message]:
    """The messages of one datagram (one, or those of a bundle in order)."""
    out: list[Message] = []
    try:
        _packet(bytes(data), 0, out)
    except ProtocolError:
        raise
    except Exception as exc:  # defensive: no input may raise anything but ProtocolError
        raise _malformed(type(exc).__name__) from None
    return out


def _pad(raw: bytes) -> bytes:
    return raw + b"\x00" * (4 - len(raw) % 4)


def encode(address: str, args: tuple[object, ...] | list[object] = ()) -> bytes:
    """One OSC message. Ints must fit 32 bits; floats go out as float32."""
    tags = [","]
    body: list[bytes] = []
    for arg in args:
        if arg is True or arg is False:
            tags.append("T" if arg else "F")
        elif isinstance(arg, int):
            tags.append("i")
            body.append(_INT.pack(arg))
        elif isinstance(arg, float):
            tags.append("f")
            body.append(_FLOAT.pack(arg))
        elif isinstance(arg, str):
            tags.append("s")
            body.append(_pad(arg.encode("utf-8")))
        else:
            raise TypeError(f"cannot send {type(arg).__name__} over OSC")
    return _pad(address.encode("ascii")) + _pad("".join(tags).encode("ascii")) + b"".join(body)
