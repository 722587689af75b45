"""A complete segue client in one page, with python-osc alone.

Start the bridge (`segue serve`), then:

    python examples/client.py                 # continue a C major phrase, 4 bars
    python examples/client.py --bars 8 --variations 2 --temperature 0.8

It shows the whole protocol (docs/protocol.md): upload a seed in small
messages, ask for a continuation, collect the variations note by note.
"""

from __future__ import annotations

import argparse
import socket
import sys

from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder

PHRASE = [
    (60, 0.0),
    (62, 0.5),
    (64, 1.0),
    (65, 1.5),
    (67, 2.0),
    (65, 2.5),
    (64, 3.0),
    (62, 3.5),
]  # (pitch, start in beats); every note an 8th, velocity 90


def message(address: str, *args: int | float | str) -> bytes:
    builder = OscMessageBuilder(address=address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


def main() -> int:
    parser = argparse.ArgumentParser(description="Continue a phrase through a segue bridge.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9123)
    parser.add_argument("--bars", type=float, default=4)
    parser.add_argument("--variations", type=int, default=1)
    parser.add_argument("--temperature", type=float, default=1.0)
    args = parser.parse_args()

    host = "127.0.0.1" if args.host == "localhost" else args.host  # IPv4, as the bridge
    bridge = (host, args.port)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # A long answer is hundreds of datagrams: room for them while this loop is busy (a
    # system's default buffer may hold only 256; the bridge paces them, but a loaded
    # computer drops the overflow, on loopback too)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind(("127.0.0.1" if host.startswith("127.") else "0.0.0.0", 0))  # local: loopback
    sock.settimeout(10.0)  # replies come back to the port we send from

    request = 1
    sock.sendto(message("/segue/seed/begin", request, len(PHRASE), 4.0, 4, 4), bridge)
    for pitch, start in PHRASE:
        sock.sendto(message("/segue/seed/note", request, pitch, start, 0.5, 90), bridge)
    sock.sendto(message("/segue/seed/end", request), bridge)
    sock.sendto(
        message(
            "/segue/generate",
            request,
            "bars",
            args.bars,
            "variations",
            args.variations,
            "temperature",
            args.temperature,
        ),
        bridge,
    )

    variations: dict[int, list[tuple[int, float, float, int]]] = {}
    announced: dict[int, int] = {}  # each variation's note count, as its begin says
    while True:
        try:
            reply = OscMessage(sock.recv(65536))
        except TimeoutError:
            print("no answer from the bridge: is `segue serve` running?", file=sys.stderr)
            return 1
        except (ConnectionResetError, ConnectionRefusedError):  # Windows: nobody listens there
            print(f"no bridge on {host}:{args.port}: start one with `segue serve`", file=sys.stderr)
            return 1
        values = list(reply.params)
        if reply.address == "/segue/error":
            print(f"bridge error {values[1]}: {values[2]}", file=sys.stderr)
            return 1
        if reply.address == "/segue/variation/begin":  # an empty variation has no notes
            variations.setdefault(values[1], [])
            announced[values[1]] = values[2]
        elif reply.address == "/segue/variation/note":
            _, index, pitch, start, duration, velocity = values
            variations.setdefault(index, []).append((pitch, start, duration, velocity))
        elif reply.address == "/segue/done":
            model, key = (*values[4:6], "", "")[:2]  # an older bridge sends neither
            by = f"model {model}: " if model else ""
            print(
                f"{by}{values[1]} variation{'' if values[1] == 1 else 's'} in {values[2]:.0f} ms "
                f"(rng seed {values[3]}" + (f", key {key})" if key else ")")
            )
            break
    for index in sorted(variations):
        lost = announced.get(index, len(variations[index])) - len(variations[index])
        print(
            f"variation {index + 1}: {len(variations[index])} notes"
            + (f" ({lost} lost on the way)" if lost else "")
        )
        for pitch, start, duration, velocity in variations[index]:
            print(
                f"  pitch {pitch:3}  start {start:7.3f}  duration {duration:6.3f}  "
                f"velocity {velocity:3}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
