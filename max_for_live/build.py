"""Build the segue Max for Live device, ``Segue.amxd``, from its readable sources.

The patcher lives in ``src/Segue.maxpat`` (JSON) and the logic in ``segue.js``, which
Max finds next to the device. An unfrozen ``.amxd`` is a flat list of chunks, each a
4-byte ASCII tag, a little-endian u32 payload length and the payload::

    "ampf" 4  b"mmmm"                  device type: MIDI effect
    "meta" 4  u32 7                    meaning unknown; Ableton's devices hold 0, 1 or 7
    "ptch" N  patcher JSON, UTF-8, NUL  N counts the trailing NUL

and the patcher's ``project.amxdtype`` is the type tag read as a big-endian u32.

    python max_for_live/build.py            # writes max_for_live/Segue.amxd
    python max_for_live/build.py --check    # exit 1 if the committed device is stale
    python max_for_live/build.py --extract ~/Music/.../Segue.amxd
                                            # after editing the device in Max: its patcher
                                            # back into src/Segue.maxpat
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "src" / "Segue.maxpat"
DEVICE = HERE / "Segue.amxd"

DEVICE_TYPES = {"audio": b"aaaa", "midi": b"mmmm", "instrument": b"iiii"}
MIDI_EFFECT = DEVICE_TYPES["midi"]
META_VALUE = 7
HEADER = struct.Struct("<4sI")


class DeviceError(Exception):
    """The patcher or the device file is not what a Max for Live device must be."""


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


def check_patcher(patcher: Any, device_type: bytes = MIDI_EFFECT) -> list[str]:
    """What keeps ``patcher`` from being a device of ``device_type`` (empty when fine)."""
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
    ids = [b.get("box", {}).get("id") for b in body.get("boxes", [])]
    if len(ids) != len(set(ids)) or None in ids:
        problems.append("box ids are missing or not unique")
    return problems


def chunk(tag: bytes, payload: bytes) -> bytes:
    if len(tag) != 4:
        raise DeviceError(f"a chunk tag is 4 bytes, got {tag!r}")
    return HEADER.pack(tag, len(payload)) + payload


def encode_device(
    patcher: dict[str, Any], device_type: bytes = MIDI_EFFECT, meta: int = META_VALUE
) -> bytes:
    """The bytes of an unfrozen ``.amxd`` holding ``patcher``."""
    problems = check_patcher(patcher, device_type)
    if problems:
        raise DeviceError("; ".join(problems))
    text = patcher_text(patcher).encode("utf-8")
    return (
        chunk(b"ampf", device_type)
        + chunk(b"meta", struct.pack("<I", meta))
        + chunk(b"ptch", text + b"\x00")
    )


def read_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (tag, payload) chunks of an unfrozen ``.amxd``."""
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


def decode_device(data: bytes) -> tuple[bytes, int, dict[str, Any]]:
    """(device type, meta value, patcher) of an unfrozen ``.amxd``."""
    chunks = read_chunks(data)
    tags = [tag for tag, _ in chunks]
    if tags != [b"ampf", b"meta", b"ptch"]:
        raise DeviceError(
            f"expected chunks ampf, meta, ptch; found {tags} (a frozen "
            "device holds mx@c: unfreeze it in Max first)"
        )
    device_type, meta, ptch = (payload for _, payload in chunks)
    if len(device_type) != 4 or len(meta) != 4:
        raise DeviceError("the ampf and meta chunks must hold 4 bytes each")
    if not ptch.endswith(b"\x00"):
        raise DeviceError("the ptch chunk does not end with a NUL byte")
    try:
        patcher = json.loads(ptch[:-1].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DeviceError(f"the ptch chunk is not JSON: {exc}") from None
    return device_type, struct.unpack("<I", meta)[0], patcher


def load_source(path: Path = SOURCE) -> dict[str, Any]:
    try:
        patcher = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DeviceError(f"{path}: not JSON: {exc}") from None
    problems = check_patcher(patcher)
    if problems:
        raise DeviceError(f"{path}: " + "; ".join(problems))
    return patcher


def build(source: Path = SOURCE, output: Path = DEVICE) -> Path:
    """Write the device built from ``source`` to ``output``."""
    output.write_bytes(encode_device(load_source(source)))
    return output


def extract(device: Path, source: Path = SOURCE) -> Path:
    """Write the patcher of a device saved by Max back to ``source``, in canonical form."""
    device_type, _, patcher = decode_device(device.read_bytes())
    if device_type != MIDI_EFFECT:
        raise DeviceError(f"{device}: a {device_type.decode()} device, not a MIDI effect")
    source.write_text(patcher_text(patcher), encoding="utf-8")
    return source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build max_for_live/Segue.amxd from src/Segue.maxpat."
    )
    parser.add_argument("--out", type=Path, default=DEVICE, help="where to write the device")
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check that the committed device matches its sources",
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
        if args.check:
            fresh = encode_device(load_source())
            if not args.out.exists() or args.out.read_bytes() != fresh:
                print(f"{args.out} is stale: run python max_for_live/build.py", file=sys.stderr)
                return 1
            print(f"{args.out} matches its sources")
            return 0
        print(f"wrote {build(output=args.out)}")
        return 0
    except (DeviceError, OSError) as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
