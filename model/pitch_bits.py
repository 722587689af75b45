"""Sets of pitches (0-127) and of pitch classes (0-11) as the bits of one Python int.

A chord's turned voices ask the same small questions again and again, voice by voice and
take by take (which pitches a voice may take, which classes those are, which classes are
left to place: ``segue.model.voicings``): on ints, each is a few operations where a (128,)
bool array took a NumPy call apiece. Bit ``p`` of a pitch set is pitch ``p``; bit ``c`` of a
class set is pitch class ``c``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

PITCHES = (1 << 128) - 1
"""Every pitch."""

CLASSES = (1 << 12) - 1
"""Every pitch class."""

_EVERY_OCTAVE = sum(1 << (12 * octave) for octave in range(11))


def from_array(pitches: np.ndarray) -> int:
    """The set of ``pitches`` ((128,) bool)."""
    packed = np.packbits(np.asarray(pitches, dtype=bool), bitorder="little")
    return int.from_bytes(packed.tobytes(), "little")


def to_array(bits: int) -> np.ndarray:
    """(128,) bool: the pitches of ``bits``."""
    packed = np.frombuffer((bits & PITCHES).to_bytes(16, "little"), dtype=np.uint8)
    return np.unpackbits(packed, bitorder="little").astype(bool)


def to_row(bits: int, width: int) -> np.ndarray:
    """(width,) bool: the pitches of ``bits`` below ``width``."""
    packed = np.frombuffer(bits.to_bytes(-(-width // 8), "little"), dtype=np.uint8)
    return np.unpackbits(packed, count=width, bitorder="little").astype(bool)


def of(pitches: Iterator[int] | list[int] | tuple[int, ...]) -> int:
    """The set of ``pitches`` (or of pitch classes)."""
    out = 0
    for p in pitches:
        out |= 1 << int(p)
    return out


def from_classes(classes: np.ndarray | tuple[bool, ...] | list[bool]) -> int:
    """The set of the pitch classes ``classes`` ((12,) bool): of its nonzero entries, as
    ``of(np.flatnonzero(classes).tolist())`` (on a list, 4.5 -> 1.3 us: a chord loop's
    turned voice asks it at every step, helper-308)."""
    return sum(1 << c for c, there in enumerate(np.ravel(classes).tolist()) if there)


def of_classes(pitches: tuple[int, ...]) -> int:
    """The set of the pitch classes of ``pitches``."""
    out = 0
    for p in pitches:
        out |= 1 << p % 12
    return out


def rows_of(matrix: np.ndarray) -> tuple[int, ...]:
    """Each row of ``matrix`` ((rows, 128) bool) as a set of pitches."""
    packed = np.packbits(np.asarray(matrix, dtype=bool), axis=1, bitorder="little")
    if packed.shape[1] == 16:  # 128 pitches: each row two 64-bit words, read in one call
        return tuple(low | high << 64 for low, high in packed.view("<u8").tolist())
    return tuple(int.from_bytes(row.tobytes(), "little") for row in packed)


def members(bits: int) -> Iterator[int]:
    """The pitches (or classes) of ``bits``, low to high."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


def classes(bits: int) -> int:
    """The pitch classes of the pitches ``bits``."""
    out = 0
    while bits:
        out |= bits & CLASSES
        bits >>= 12
    return out


def in_every_octave(classes: int) -> int:
    """The pitches of the pitch classes ``classes``, as ``np.tile(classes, 11)[:128]``."""
    return (classes * _EVERY_OCTAVE) & PITCHES
