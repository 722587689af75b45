"""Helpers for testing the bridge and its clients (the test suite, the Max device's tests).

* :func:`make_test_model` writes a small untrained checkpoint, so tests never
  depend on trained weights.
* :func:`running_server` serves in a background thread on an ephemeral port.
* :class:`RawClient` sends any bytes and reads replies one by one, with no
  protocol logic of its own; :func:`bundle` makes an OSC bundle for it to send
  (the bridge reads bundles but sends none).
* :func:`flood` sends :func:`garbage` as fast as asked (the flood tests, the soak
  benchmark); run it in another process with :data:`FLOOD_COMMAND`.
"""

from __future__ import annotations

import random
import socket
import struct
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from segue.bridge import protocol as P
from segue.bridge.codec import BUNDLE_TAG, Message, decode, encode
from segue.bridge.errors import ProtocolError


def make_test_model(
    models_dir: str | Path,
    name: str = "tiny",
    rng_seed: int = 0,
    hidden: int = 32,
    embed: int = 8,
    loops: bool = False,
) -> Path:
    """An untrained network of the default architecture saved as ``models_dir/NAME.pt``
    (deterministic weights); with ``loops``, a fitted loop that repeats the clip nearly
    always (``segue.model.loop``): takes whose notes a test can count on."""
    import torch

    from segue.model.architecture import ModelConfig
    from segue.model.architectures import build_network
    from segue.model.checkpoint import save_checkpoint
    from segue.model.loop import CELLS

    torch.manual_seed(rng_seed)
    config = ModelConfig(hidden=hidden, embed=embed)
    if loops:
        config = replace(config, loop=(0.999,) * CELLS, loop_strength=16.0)
    model = build_network(config)
    return save_checkpoint(Path(models_dir) / f"{name}.pt", model, {"summary": "test"})


@contextmanager
def running_server(models_dir: str | Path, model: str = "tiny", **options: Any) -> Iterator[Any]:
    """A BridgeServer on 127.0.0.1 and an ephemeral port, serving on a thread."""
    from segue.bridge.server import BridgeServer, ServerConfig

    generate = options.pop("generate", None)
    config = replace(
        ServerConfig(host="127.0.0.1", port=0, model=model, models_dir=Path(models_dir)), **options
    )
    server = BridgeServer(config, **({"generate": generate} if generate else {}))
    server.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.close()


def this_computers_address() -> str | None:
    """An IPv4 address of this computer that is not loopback, None where it has none (the
    bridge treats loopback apart: its reply budget and ``--allow`` spare it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no datagram is sent; only a route is chosen
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


class RawClient:
    """A bare OSC-over-UDP endpoint on 127.0.0.1 (or ``host``, an IPv4 address of this
    computer) talking to ``server`` (host, port)."""

    def __init__(self, server: tuple[str, int], port: int = 0, host: str = "127.0.0.1") -> None:
        self.server = server
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind((host, port))

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> RawClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, address: str, *args: Any) -> None:
        self.sock.sendto(encode(address, args), self.server)

    def send_bytes(self, data: bytes) -> None:
        self.sock.sendto(data, self.server)

    def next(self, timeout: float = 2.0) -> Message | None:
        """The next reply (None when nothing arrives in ``timeout`` seconds)."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            return None
        try:
            return decode(data)[0]
        except ProtocolError as exc:
            raise AssertionError(f"the bridge sent a malformed datagram: {exc}") from None

    def until(self, addresses: str | Iterable[str], timeout: float = 5.0) -> list[Message]:
        """Replies up to and including the first at one of ``addresses``."""
        wanted = {addresses} if isinstance(addresses, str) else set(addresses)
        out: list[Message] = []
        deadline = time.monotonic() + timeout
        while True:
            message = self.next(max(0.001, deadline - time.monotonic()))
            if message is None:
                got = ", ".join(m.address for m in out[-5:]) or "nothing"
                raise AssertionError(f"no {sorted(wanted)} within {timeout} s (got {got})")
            out.append(message)
            if message.address in wanted:
                return out

    def error(self, timeout: float = 5.0) -> tuple[int, str, str]:
        """The next /segue/error's (id, code, message)."""
        message = self.until(P.ERROR, timeout)[-1]
        rid, code, text = message.args
        if not isinstance(rid, int):
            raise AssertionError(f"/segue/error with the request id {rid!r}")
        return rid, str(code), str(text)

    def drain(self, quiet: float = 0.05) -> list[Message]:
        """Every reply until none arrives for ``quiet`` seconds."""
        out = []
        while (message := self.next(quiet)) is not None:
            out.append(message)
        return out


def bundle(packets: list[bytes], timetag: int = 1) -> bytes:
    """An OSC bundle of encoded packets, in order."""
    sized = (struct.pack(">i", len(packet)) + packet for packet in packets)
    return b"".join([BUNDLE_TAG, struct.pack(">Q", timetag), *sized])


def garbage(port: int, count: int = 1000, seed: int = 15) -> list[bytes]:
    """Datagrams a broken or hostile sender might send a bridge listening on ``port``:
    random bytes, truncated and oversized datagrams, unknown addresses, out-of-range and
    stray seed notes, a reply port that is the bridge's own, a length far too long."""
    rng = random.Random(seed)
    note = encode(P.SEED_NOTE, (1, 60, 0.0, 1.0, 90))
    kinds = [
        (30, lambda: rng.randbytes(rng.randrange(1, 200))),
        (10, lambda: note[: rng.randrange(4, len(note), 4)]),
        (1, lambda: rng.randbytes(9000)),
        (20, lambda: encode("/segue/nope", (rng.randrange(100),))),
        (15, lambda: encode(P.SEED_NOTE, (5, 200, -1.0, 0.0, 0))),
        (15, lambda: encode(P.SEED_NOTE, (rng.randrange(100), 60, 0.0, 1.0, 90))),
        (5, lambda: encode(P.REPLY_TO, (port,))),
        (4, lambda: encode(P.GENERATE, (3, "bars", 9999.0))),
    ]
    weights = [w for w, _ in kinds]
    return [rng.choices(kinds, weights)[0][1]() for _ in range(count)]


def flood(port: int, seconds: float, rate: int, sockets: int = 8) -> int:
    """Send :func:`garbage` to 127.0.0.1:``port`` from ``sockets`` sockets at ``rate``
    datagrams a second for ``seconds``; returns how many were sent."""
    target, pool = ("127.0.0.1", port), garbage(port)
    senders = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(sockets)]
    started, sent = time.monotonic(), 0
    while (now := time.monotonic()) < started + seconds:
        if sent > (now - started) * rate:
            time.sleep(0.001)
            continue
        for i in range(100):
            try:
                senders[i % sockets].sendto(pool[(sent + i) % len(pool)], target)
            except OSError:  # a full send buffer: a flood does not care
                pass
        sent += 100
    for sender in senders:
        sender.close()
    return sent


FLOOD_COMMAND = (
    "import sys; from segue.bridge.testing import flood; "
    "print(flood(int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])))"
)
"""``python -c FLOOD_COMMAND PORT SECONDS RATE``: a flood from another process."""
