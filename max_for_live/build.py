"""Build the segue Max for Live device from its readable sources.

The patcher lives in ``src/Segue.maxpat`` (JSON), the logic in ``segue.js``. Two devices
are built from them, both committed:

* ``Segue.amxd``, unfrozen: Max finds ``segue.js`` next to it (develop with this one);
* ``frozen/Segue.amxd``, frozen: it carries ``segue.js`` inside, so a Live set that uses it
  still works after Live's Collect All and Save, on another computer (install this one).

A ``.amxd`` is a flat list of chunks, each a 4-byte ASCII tag, a little-endian u32 payload
length and the payload::

    "ampf" 4  b"mmmm"                  device type: MIDI effect
    "meta" 4  u32 1 (unfrozen), 7 (frozen)
    "ptch" N  unfrozen: the patcher JSON, UTF-8, and a NUL (N counts it)
              frozen:   an "mx@c" container (below)

and the patcher's ``project.amxdtype`` is the type tag read as a big-endian u32. A frozen
device's container holds the files one after the other, then their directory; every
number in it is big-endian::

    "mx@c" u32 16 (its header's size) u64 offset of "dlst"
    the files' bytes, from offset 16: the device's patcher (JSON + NUL) first
    "dlst" u32 size, then per file: "dire" u32 size, then the fields
        "type" (4 bytes: JSON, TEXT), "fnam" (name, NUL-padded to a multiple of 4),
        "sz32", "of32" (offset in the container), "vers" (0), "flag", "mdat" (HFS+ seconds)
    each field: tag, u32 size counting its own 8-byte header, data.

These facts, and where they come from, are in max_for_live/README.md; tests/test_device.py
checks both devices against them.

    python max_for_live/build.py            # writes Segue.amxd and frozen/Segue.amxd
    python max_for_live/build.py --check    # exit 1 if a committed device is stale
    python max_for_live/build.py --extract ~/Music/.../Segue.amxd
                                            # after editing the device in Max: its patcher
                                            # back into src/Segue.maxpat
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "src" / "Segue.maxpat"
DEVICE = HERE / "Segue.amxd"
FROZEN = HERE / "frozen" / "Segue.amxd"

DEVICE_TYPES = {"audio": b"aaaa", "midi": b"mmmm", "instrument": b"iiii"}
MIDI_EFFECT = DEVICE_TYPES["midi"]
UNFROZEN_META = 1  # what every unfrozen device Max saved holds (max_for_live/README.md)
FROZEN_META = 7  # and every frozen one
HEADER = struct.Struct("<4sI")

CONTAINER = b"mx@c"
CONTAINER_HEADER = struct.Struct(">4sIQ")  # tag, header size, offset of the directory
FIELD = struct.Struct(">4sI")  # a tag and a big-endian size counting these 8 bytes
FIELD_ORDER = (b"type", b"fnam", b"sz32", b"of32", b"vers", b"flag", b"mdat")
DEVICE_FLAG = 0x11  # the flag of the device's own patcher in every frozen device
SCRIPT_FLAG = 0  # and of a classic js script
# Embedded files carry a modification date (HFS+ seconds, from 1904). Ours is derived from
# the file's bytes, a moment in 2024, so that a build is the same on every machine and a
# changed file gets another date.
HFS_2024 = 3786912000
SECONDS_PER_YEAR = 365 * 24 * 3600


class DeviceError(Exception):
    """The patcher or the device file is not what a Max for Live device must be."""


class Embedded(NamedTuple):
    """A file inside a frozen device."""

    name: str
    kind: bytes  # 4 bytes: b"JSON" for a patcher, b"TEXT" for a script
    data: bytes
    flag: int
    modified: int  # HFS+ seconds
    version: int = 0


class Device(NamedTuple):
    """What a .amxd holds: its type tag, meta value, patcher and, if frozen, its files."""

    device_type: bytes
    meta: int
    patcher: dict[str, Any]
    files: tuple[Embedded, ...] = ()


def amxdtype(device_type: bytes) -> int:
    """``project.amxdtype`` for a device type tag: the tag as a big-endian u32."""
    if len(device_type) != 4:
        raise DeviceError(f"a device type is 4 bytes, got {device_type!r}")
    return int.from_bytes(device_type, "big")


def _json(value: Any, indent: str) -> str:
    """JSON with two-space indents; a list of numbers and strings stays on one line."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {_json(v, inner)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"
        return "[\n" + ",\n".join(inner + _json(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def patcher_text(patcher: dict[str, Any]) -> str:
    """The patcher as the JSON both the source file and the device hold (one canonical form)."""
    return _json(patcher, "") + "\n"


def is_parameter(box: dict[str, Any]) -> bool:
    """Whether a box is a Live parameter: ``parameter_enable`` on the box (the ``live.*``
    controls) or in its ``saved_object_attributes`` (an object box such as ``pattr
    @parameter_enable 1``, as Max saves one)."""
    attributes = box.get("saved_object_attributes")
    return bool(
        box.get("parameter_enable")
        or (isinstance(attributes, dict) and attributes.get("parameter_enable"))
    )


def _parameter_problems(body: dict[str, Any]) -> list[str]:
    """What keeps the ``parameters`` block from matching the parameter boxes, as Max 8.6+
    writes it: box id -> [long name, short name, 0], then banks of 8 long names for Push."""
    block = body.get("parameters")
    if not isinstance(block, dict):
        return ['the patcher has no "parameters" block']
    expected: dict[str, list[Any]] = {}
    automatable = set()
    for entry in body.get("boxes", []):
        box = entry.get("box", {})
        if is_parameter(box):
            valueof = box.get("saved_attribute_attributes", {}).get("valueof", {})
            long, short = valueof.get("parameter_longname"), valueof.get("parameter_shortname")
            expected[box.get("id")] = [long, short, 0]
            if not valueof.get("parameter_invisible"):
                automatable.add(long)
    found = {k: v for k, v in block.items() if k.startswith("obj-")}
    problems = []
    if found != expected:
        problems.append(f'"parameters" is {found}, the boxes say {expected}')
    banks = block.get("parameterbanks")
    if not isinstance(banks, dict) or not banks:
        problems.append('"parameters" has no "parameterbanks"')
        return problems
    for index, bank in banks.items():
        names = bank.get("parameters") if isinstance(bank, dict) else None
        if not (isinstance(names, list) and len(names) == 8 and str(bank.get("index")) == index):
            problems.append(f"parameter bank {index} is not 8 names with its index")
        elif set(names) - automatable - {"-"}:
            problems.append(
                f"parameter bank {index} names what is not an automatable "
                f"parameter: {sorted(set(names) - automatable - {'-'})}"
            )
    return problems


def script_names(patcher: dict[str, Any]) -> list[str]:
    """The files the patcher's ``js`` boxes load (as Max resolves ``js name``)."""
    names = []
    for entry in patcher["patcher"].get("boxes", []):
        box = entry.get("box", {})
        words = str(box.get("text", "")).split()
        if box.get("maxclass") == "newobj" and words[:1] == ["js"] and len(words) > 1:
            names.append(words[1] if words[1].endswith(".js") else words[1] + ".js")
    return names


def check_patcher(patcher: Any, device_type: bytes = MIDI_EFFECT) -> list[str]:
    """What keeps ``patcher`` from being a device of ``device_type`` as Max 8.6+ saves one
    (empty when fine)."""
    if not isinstance(patcher, dict) or not isinstance(patcher.get("patcher"), dict):
        return ['the JSON has no top-level "patcher" object']
    body = patcher["patcher"]
    problems = []
    for key in ("boxes", "lines"):
        if not isinstance(body.get(key), list):
            problems.append(f'"patcher" has no "{key}" list')
    project = body.get("project")
    expected = amxdtype(device_type)
    if not isinstance(project, dict) or project.get("amxdtype") != expected:
        found = project.get("amxdtype") if isinstance(project, dict) else None
        problems.append(
            f"patcher.project.amxdtype is {found!r}, not {expected} ({device_type.decode()})"
        )
    if problems:
        return problems
    ids = [b.get("box", {}).get("id") for b in body["boxes"]]
    if len(ids) != len(set(ids)) or not all(re.fullmatch(r"obj-\d+", str(i)) for i in ids):
        problems.append('box ids are missing, not unique or not "obj-N"')
    rect = body.get("openrect")
    if not (isinstance(rect, list) and len(rect) == 4):
        problems.append('the patcher has no "openrect" [x, y, width, height]')
    problems += _parameter_problems(body)
    cache = body.get("dependency_cache")
    entries = [d for d in cache if isinstance(d, dict)] if isinstance(cache, list) else []
    names = [d.get("name") for d in entries]
    for name in script_names(patcher):
        entry = next((d for d in entries if d.get("name") == name), None)
        if entry is None or entry.get("type") != "TEXT" or entry.get("implicit") != 1:
            problems.append(f'"dependency_cache" does not name {name} (type TEXT, implicit 1)')
    if len(names) != len(set(names)):
        problems.append('"dependency_cache" names a file twice')
    return problems


def chunk(tag: bytes, payload: bytes) -> bytes:
    if len(tag) != 4:
        raise DeviceError(f"a chunk tag is 4 bytes, got {tag!r}")
    return HEADER.pack(tag, len(payload)) + payload


def _device_bytes(device_type: bytes, meta: int, ptch: bytes) -> bytes:
    return (
        chunk(b"ampf", device_type) + chunk(b"meta", struct.pack("<I", meta)) + chunk(b"ptch", ptch)
    )


def _patcher_bytes(patcher: dict[str, Any], device_type: bytes) -> bytes:
    problems = check_patcher(patcher, device_type)
    if problems:
        raise DeviceError("; ".join(problems))
    return patcher_text(patcher).encode("utf-8") + b"\x00"


def encode_device(
    patcher: dict[str, Any], device_type: bytes = MIDI_EFFECT, meta: int = UNFROZEN_META
) -> bytes:
    """The bytes of an unfrozen ``.amxd`` holding ``patcher``."""
    return _device_bytes(device_type, meta, _patcher_bytes(patcher, device_type))


def _field(tag: bytes, data: bytes) -> bytes:
    return FIELD.pack(tag, FIELD.size + len(data)) + data


def _u32(value: int) -> bytes:
    return struct.pack(">I", value)


def encode_container(files: Sequence[Embedded]) -> bytes:
    """An ``mx@c`` container holding ``files`` (the device's own patcher first)."""
    offset = CONTAINER_HEADER.size
    body, directory = [], []
    for f in files:
        if len(f.kind) != 4:
            raise DeviceError(f"{f.name}: a file type is 4 bytes, got {f.kind!r}")
        name = f.name.encode("ascii") + b"\x00"
        name += b"\x00" * (-len(name) % 4)
        fields = (
            _field(b"type", f.kind)
            + _field(b"fnam", name)
            + _field(b"sz32", _u32(len(f.data)))
            + _field(b"of32", _u32(offset))
            + _field(b"vers", _u32(f.version))
            + _field(b"flag", _u32(f.flag))
            + _field(b"mdat", _u32(f.modified))
        )
        directory.append(_field(b"dire", fields))
        body.append(f.data)
        offset += len(f.data)
    return (
        CONTAINER_HEADER.pack(CONTAINER, CONTAINER_HEADER.size, offset)
        + b"".join(body)
        + _field(b"dlst", b"".join(directory))
    )


def _fields(data: bytes, where: str) -> list[tuple[bytes, bytes]]:
    out, offset = [], 0
    while offset < len(data):
        if offset + FIELD.size > len(data):
            raise DeviceError(f"{where}: a field header is cut off at byte {offset}")
        tag, size = FIELD.unpack_from(data, offset)
        if size < FIELD.size or offset + size > len(data):
            raise DeviceError(f"{where}: field {tag!r} says {size} bytes")
        out.append((tag, data[offset + FIELD.size : offset + size]))
        offset += size
    return out


def decode_container(payload: bytes) -> list[Embedded]:
    """The files of an ``mx@c`` container, checked against its layout."""
    if len(payload) < CONTAINER_HEADER.size:
        raise DeviceError("the mx@c container is shorter than its header")
    tag, header, directory = CONTAINER_HEADER.unpack_from(payload)
    if tag != CONTAINER or header != CONTAINER_HEADER.size or directory > len(payload):
        raise DeviceError(f"not an mx@c container: {payload[:16].hex()}")
    found = _fields(payload[directory:], "the directory")
    if [tag for tag, _ in found] != [b"dlst"]:
        raise DeviceError(f"the directory holds {[tag for tag, _ in found]}, not one dlst")
    listing = found[0][1]
    files = []
    for tag, entry in _fields(listing, "dlst"):
        fields = _fields(entry, "dire")
        if tag != b"dire" or tuple(t for t, _ in fields) != FIELD_ORDER:
            raise DeviceError(f"a directory entry {tag!r} has fields {[t for t, _ in fields]}")
        kind, name, size, offset, version, flag, modified = (v for _, v in fields)
        start, length = int.from_bytes(offset, "big"), int.from_bytes(size, "big")
        if start + length > directory:
            raise DeviceError(f"{name!r} runs past the files into the directory")
        files.append(
            Embedded(
                name.rstrip(b"\x00").decode("ascii"),
                kind,
                payload[start : start + length],
                int.from_bytes(flag, "big"),
                int.from_bytes(modified, "big"),
                int.from_bytes(version, "big"),
            )
        )
    return files


def modified(data: bytes) -> int:
    """The date an embedded file is given: derived from its bytes (see HFS_2024)."""
    return HFS_2024 + zlib.crc32(data) % SECONDS_PER_YEAR


def encode_frozen(
    patcher: dict[str, Any],
    scripts: dict[str, bytes],
    device_type: bytes = MIDI_EFFECT,
    name: str = DEVICE.name,
) -> bytes:
    """The bytes of a frozen ``.amxd``: ``patcher`` and the ``scripts`` it loads, inside."""
    missing = set(script_names(patcher)) - set(scripts)
    if missing:
        raise DeviceError(f"the frozen device needs {sorted(missing)}")
    device = _patcher_bytes(patcher, device_type)
    files = [Embedded(name, b"JSON", device, DEVICE_FLAG, modified(device))] + [
        Embedded(script, b"TEXT", data, SCRIPT_FLAG, modified(data))
        for script, data in scripts.items()
    ]
    return _device_bytes(device_type, FROZEN_META, encode_container(files))


def read_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (tag, payload) chunks of a ``.amxd``."""
    chunks = []
    offset = 0
    while offset < len(data):
        if offset + HEADER.size > len(data):
            raise DeviceError(f"a chunk header is cut off at byte {offset}")
        tag, size = HEADER.unpack_from(data, offset)
        start = offset + HEADER.size
        if start + size > len(data):
            raise DeviceError(f"chunk {tag!r} says {size} bytes, {len(data) - start} are left")
        chunks.append((tag, data[start : start + size]))
        offset = start + size
    return chunks


def _patcher_json(ptch: bytes, where: str) -> dict[str, Any]:
    if not ptch.endswith(b"\x00"):
        raise DeviceError(f"{where} does not end with a NUL byte")
    try:
        patcher: dict[str, Any] = json.loads(ptch[:-1].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DeviceError(f"{where} is not JSON: {exc}") from None
    return patcher


def decode_device(data: bytes) -> Device:
    """What a ``.amxd``, unfrozen or frozen, holds."""
    chunks = read_chunks(data)
    tags = [tag for tag, _ in chunks]
    if tags != [b"ampf", b"meta", b"ptch"]:
        raise DeviceError(f"expected chunks ampf, meta, ptch; found {tags}")
    device_type, meta, ptch = (payload for _, payload in chunks)
    if len(device_type) != 4 or len(meta) != 4:
        raise DeviceError("the ampf and meta chunks must hold 4 bytes each")
    meta_value = struct.unpack("<I", meta)[0]
    if not ptch.startswith(CONTAINER):
        return Device(device_type, meta_value, _patcher_json(ptch, "the ptch chunk"))
    files = tuple(decode_container(ptch))
    if not files or files[0].kind != b"JSON":
        raise DeviceError("the frozen device's first file is not its patcher")
    patcher = _patcher_json(files[0].data, f"the frozen device's {files[0].name}")
    return Device(device_type, meta_value, patcher, files)


def load_source(path: Path = SOURCE) -> dict[str, Any]:
    try:
        patcher: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DeviceError(f"{path}: not JSON: {exc}") from None
    problems = check_patcher(patcher)
    if problems:
        raise DeviceError(f"{path}: " + "; ".join(problems))
    return patcher


def scripts_of(patcher: dict[str, Any], folder: Path = HERE) -> dict[str, bytes]:
    """The scripts the patcher loads, read from ``folder`` (where Max finds them)."""
    return {name: (folder / name).read_bytes() for name in script_names(patcher)}


def devices(source: Path = SOURCE) -> dict[Path, bytes]:
    """Each device's path -> its bytes, built from ``source`` and the scripts beside it."""
    patcher = load_source(source)
    return {DEVICE: encode_device(patcher), FROZEN: encode_frozen(patcher, scripts_of(patcher))}


def extract(device: Path, source: Path = SOURCE) -> Path:
    """Write the patcher of a device saved by Max back to ``source``, in canonical form."""
    found = decode_device(device.read_bytes())
    if found.device_type != MIDI_EFFECT:
        raise DeviceError(f"{device}: a {found.device_type.decode()} device, not a MIDI effect")
    source.write_text(patcher_text(found.patcher), encoding="utf-8")
    return source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build max_for_live/Segue.amxd and frozen/Segue.amxd from src/Segue.maxpat."
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check that the committed devices match their sources",
    )
    parser.add_argument(
        "--extract",
        type=Path,
        metavar="AMXD",
        help="copy the patcher of a device saved by Max into src/Segue.maxpat",
    )
    args = parser.parse_args(argv)
    try:
        if args.extract:
            print(f"wrote {extract(args.extract)}")
            return 0
        built = devices()
        if args.check:
            stale = [p for p, data in built.items() if not p.exists() or p.read_bytes() != data]
            for path in stale:
                print(f"{path} is stale: run python max_for_live/build.py", file=sys.stderr)
            if not stale:
                print("the devices match their sources")
            return 1 if stale else 0
        for path, data in built.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path}")
        return 0
    except (DeviceError, OSError) as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
