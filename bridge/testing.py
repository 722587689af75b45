"""Helpers for testing the bridge and its clients (the test suite, the Max device's tests).

* :func:`make_test_model` writes a small untrained checkpoint, so tests never
  depend on trained weights.
* :func:`running_server` serves in a background thread on an ephemeral port.
* :class:`RawClient` sends any bytes and reads replies one by one, with no
  protocol logic of its own; :func:`bundle` makes an OSC bundle for it to send
  (the bridge reads bundles but sends none).
"""

from __future__ import annotations

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
    models_dir: str | Path, name: str = "tiny", rng_seed: int = 0, hidden: int = 32, embed: int = 8
) -> Path:
    """An untrained network of the default architecture saved as ``models_dir/NAME.pt``
    (deterministic weights)."""
    import torch

    from segue.model.architecture import ModelConfig
    from segue.model.architectures import build_network
    from segue.model.checkpoint import save_checkpoint

    torch.manual_seed(rng_seed)
    model = build_network(ModelConfig(hidden=hidden, embed=embed))
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


class RawClient:
    """A bare OSC-over-UDP endpoint on 127.0.0.1 talking to ``server`` (host, port)."""

    def __init__(self, server: tuple[str, int], port: int = 0) -> None:
        self.server = server
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind(("127.0.0.1", port))

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
