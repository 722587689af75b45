"""The reply budget: a request with a forged sender cannot make the bridge flood anyone."""

from __future__ import annotations

import time

import pytest
from bridge_requests import made

from segue.bridge import codec
from segue.bridge import protocol as P
from segue.bridge.budget import ReplyBudget
from segue.bridge.testing import RawClient, bundle, running_server, this_computers_address


def test_each_host_gets_its_burst_then_its_rate_and_loopback_is_never_limited() -> None:
    now = [0.0]
    budget = ReplyBudget(rate=1000, burst=4000, clock=lambda: now[0])
    assert budget.take("192.168.1.5", 3000) and budget.take("192.168.1.5", 1000)
    assert not budget.take("192.168.1.5", 100)  # spent
    assert budget.take("192.168.1.6", 4000)  # another host has its own
    now[0] += 0.5
    assert budget.take("192.168.1.5", 500) and not budget.take("192.168.1.5", 1)
    now[0] += 100
    assert budget.take("192.168.1.5", 4000) and not budget.take("192.168.1.5", 1)  # burst
    for host in ("127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"):
        assert all(budget.take(host, 4000) for _ in range(10))


def test_waiting_for_room_stops_when_told() -> None:
    budget = ReplyBudget(rate=10, burst=10)
    assert budget.take("10.0.0.1", 10)
    started = time.monotonic()
    assert not budget.wait("10.0.0.1", 10, stop=lambda: time.monotonic() - started > 0.1)
    assert time.monotonic() - started < 0.5


def _this_computers_address() -> str:
    """An address of this computer that is not loopback (the budget spares loopback)."""
    address = this_computers_address()
    if address is None:
        pytest.skip("this computer has no network address besides loopback")
    return address


def test_one_small_datagram_cannot_make_the_bridge_flood_a_host(models_dir) -> None:
    """Issue 15, row 2: a 184-byte bundle made the bridge send 0.6-3.7 MB to any port."""
    address = _this_computers_address()
    rate = 8 * 1024
    with running_server(models_dir, host="0.0.0.0", reply_budget=rate, generate=made(400)) as srv:
        datagram = bundle(
            [
                codec.encode(P.SEED_BEGIN, (1, 0, 4.0, 4, 4)),
                codec.encode(P.SEED_END, (1,)),
                codec.encode(P.GENERATE, (1, "notes", 400, "variations", 2)),
            ]
        )
        assert len(datagram) < 200
        with RawClient((address, srv.address[1]), host=address) as victim:
            started = time.monotonic()
            victim.send_bytes(datagram)
            first, replies = 0, []
            while (m := victim.next(5.0)) is not None:
                replies.append(m)
                size = len(codec.encode(m.address, m.args))
                if time.monotonic() - started < 0.5:
                    first += size
                if m.address == P.DONE:
                    break
            took = time.monotonic() - started
    total = sum(len(codec.encode(m.address, m.args)) for m in replies)
    assert replies[-1].address == P.DONE  # all of it, only more slowly
    assert len([m for m in replies if m.address == P.VARIATION_NOTE]) == 800
    assert total > 4 * rate  # more than the burst...
    assert first <= 4 * rate + rate // 2 + 1024  # ...but the burst, then the rate
    assert took >= (total - 4 * rate) / rate * 0.8


def test_another_computer_s_paced_answer_does_not_hold_this_computer_s_request(
    models_dir, caplog
) -> None:
    """A request from another computer whose answer is paced by its reply budget (to a
    socket that is gone, say) held the worker: Live's request behind it waited 4.7 s
    (helper-46). The worker now hands the paced answer over and takes the next request."""
    address = _this_computers_address()
    rate = 4 * 1024
    with running_server(models_dir, host="0.0.0.0", reply_budget=rate, generate=made(400)) as srv:
        with RawClient((address, srv.address[1]), host=address) as remote:
            started = time.monotonic()
            remote.send(P.SEED_BEGIN, 1, 0, 4.0, 4, 4)
            remote.send(P.SEED_END, 1)
            remote.send(P.GENERATE, 1, "notes", 400, "variations", 2)  # 32 KB: 4 s past its burst
            remote.until(P.VARIATION_NOTE)  # it runs
        with RawClient(("127.0.0.1", srv.address[1])) as local:
            local.send(P.SEED_BEGIN, 1, 0, 4.0, 4, 4)
            local.send(P.SEED_END, 1)
            local.send(P.GENERATE, 1, "notes", 400, "variations", 2)
            replies = local.until(P.DONE, timeout=10)
            took = time.monotonic() - started
        assert replies[-1].address == P.DONE
        assert len([m for m in replies if m.address == P.VARIATION_NOTE]) == 800
        assert took < 2.0  # not after the other computer's answer (about 4 s)
        with RawClient((address, srv.address[1]), host=address) as again:
            again.send(P.SEED_BEGIN, 2, 0, 4.0, 4, 4)
            again.send(P.SEED_END, 2)
            again.send(P.GENERATE, 2)  # the other computer's request is still being answered,
            busy = f"error busy: a request from {address} is still queued or running"
            while busy not in caplog.text and time.monotonic() - started < 3.0:
                time.sleep(0.02)  # (the error is over that computer's budget: only logged)
            assert busy in caplog.text  # so it still has its one at a time


def test_another_computer_s_cancelled_request_is_told_so_within_its_budget(models_dir) -> None:
    """A request from another computer cancelled while its paced notes went out: its
    /segue/error cancelled was dropped over the host's budget, and the client waited on
    (helper-52). It waits for room, as done does."""
    address = _this_computers_address()
    with running_server(models_dir, host="0.0.0.0", reply_budget=64, generate=made(400)) as srv:
        with RawClient((address, srv.address[1]), host=address) as remote:
            remote.send(P.SEED_BEGIN, 1, 0, 4.0, 4, 4)
            remote.send(P.SEED_END, 1)
            remote.send(P.GENERATE, 1, "notes", 400, "variations", 2)
            remote.until(P.VARIATION_NOTE)  # its budget spent on the notes
            remote.send(P.CANCEL, 1)
            assert remote.error(timeout=10)[:2] == (1, "cancelled")
