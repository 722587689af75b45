"""The Python client of the bridge: lost notes are noticed, a bridge that died is noticed
quickly, a bridge that is alive is waited for, and no bridge at all is said in one line."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import pytest

from segue.bridge import codec
from segue.bridge import protocol as P
from segue.bridge.client import BridgeClient, BridgeTimeout
from segue.notes import TimeSignature


def test_the_client_notices_lost_notes() -> None:
    from segue.bridge.client import _Assembler
    from segue.errors import SegueError

    assembler = _Assembler(TimeSignature())
    assembler.add(P.VARIATION_BEGIN, [1, 0, 2, 4.0, 4.0])
    assembler.add(P.VARIATION_NOTE, [1, 0, 60, 0.0, 1.0, 90])
    with pytest.raises(SegueError, match="1 of 2 notes arrived"):
        assembler.add(P.VARIATION_END, [1, 0])


class FakeBridge:
    """A bridge on a real socket that answers an upload and a generate, then as told:
    ``answer_pings`` or not, and ``done_after`` seconds (None: never)."""

    def __init__(self, answer_pings: bool, done_after: float | None) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.address = self.sock.getsockname()
        self.answer_pings, self.done_after = answer_pings, done_after
        self.pings = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        due: tuple[float, Callable[[], None]] | None = None
        while not self._stop.is_set():
            if due is not None and time.monotonic() >= due[0]:
                due[1]()
                due = None
            try:
                data, client = self.sock.recvfrom(65536)
            except TimeoutError:
                continue
            message = codec.decode(data)[0]

            def reply(address: str, *args: object, to: tuple = client) -> None:
                self.sock.sendto(codec.encode(address, args), to)

            if message.address == P.PING:
                self.pings += 1
                if self.answer_pings:
                    reply(P.PONG, message.args[0], "fake", "fake", 1)
            elif message.address == P.SEED_END:
                reply(P.SEED_STORED, message.args[0], 0)
            elif message.address == P.GENERATE:
                rid = message.args[0]
                reply(P.STATUS, rid, "queued", 1)
                reply(P.STATUS, rid, "running", 0)
                if self.done_after is not None:
                    done = (P.DONE, rid, 0, 12.0, 5)
                    due = (time.monotonic() + self.done_after, lambda d=done: reply(*d))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def test_a_bridge_that_died_during_a_request_is_noticed_in_seconds() -> None:
    """Issue 15, row 8: `segue send` needed 120 s to notice a bridge killed mid-request."""
    fake = FakeBridge(answer_pings=False, done_after=None)  # answers, then is gone
    try:
        with BridgeClient(*fake.address, timeout=0.5) as client:
            started = time.monotonic()
            with pytest.raises(BridgeTimeout, match="stopped answering during request"):
                client.generate(None, {"notes": 4})
            assert time.monotonic() - started < 3
    finally:
        fake.close()
    assert fake.pings == 1


def test_a_bridge_that_is_alive_is_waited_for_past_the_timeout() -> None:
    fake = FakeBridge(answer_pings=True, done_after=2.0)  # a long request, or a long queue
    try:
        with BridgeClient(*fake.address, timeout=0.5) as client:
            result = client.generate(None, {"notes": 4})
    finally:
        fake.close()
    assert result.variations == () and result.rng_seed == 5
    assert fake.pings >= 2


@pytest.mark.parametrize("error", [ConnectionResetError, ConnectionRefusedError])
def test_no_bridge_is_said_in_one_line_where_the_system_reports_it(monkeypatch, error) -> None:
    """Issue 19, row 4: Windows reports a send to a closed port (WSAECONNRESET) at the next
    receive; `segue ping` showed a ConnectionResetError traceback."""

    def refused(self, *args):
        raise error(10054, "An existing connection was forcibly closed by the remote host")

    with BridgeClient("127.0.0.1", 9) as client:
        monkeypatch.setattr(socket.socket, "recv", refused)
        with pytest.raises(BridgeTimeout) as info:
            client.ping()
    assert str(info.value) == "no bridge on 127.0.0.1:9: start one with `segue serve`"


def test_a_client_of_a_bridge_on_this_computer_listens_on_loopback_only() -> None:
    """Issue 19, row 14: replies for a local bridge need no port open to the network."""
    for host in ("127.0.0.1", "localhost"):
        with BridgeClient(host, 9) as client:
            assert client._sock.getsockname()[0] == "127.0.0.1"


def test_a_request_given_up_on_is_cancelled_in_the_bridge(models_dir) -> None:
    """Ctrl-C (or a timeout) of `segue send` left its request running in the bridge: from
    another computer the next one was refused busy behind it (helper-46)."""
    from bridge_requests import until_stopped

    from segue.bridge.testing import running_server

    with running_server(models_dir, generate=until_stopped) as srv:
        with BridgeClient(*srv.address, timeout=2) as client:
            with pytest.raises(BridgeTimeout):
                client.generate(None, {"bars": 4.0}, patience=0.5)
        deadline = time.monotonic() + 5
        while srv.bridge.worker.busy() != (0, 0) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert srv.bridge.worker.busy() == (0, 0)  # it stopped at its next note
