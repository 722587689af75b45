"""The inbox: datagrams served one per source in turn, a flood dropped from its own share."""

from __future__ import annotations

from segue.bridge.inbox import MAX_DATAGRAMS, Inbox, source_of


def test_sources_are_hosts_but_on_loopback_host_and_port() -> None:
    assert source_of(("192.168.1.5", 5000)) == source_of(("192.168.1.5", 6000)) == "192.168.1.5"
    assert source_of(("127.0.0.1", 5000)) != source_of(("127.0.0.1", 6000))


def test_one_datagram_per_source_in_turn_and_a_flood_fills_only_its_own_share() -> None:
    inbox = Inbox()
    flood, device, phone = ("10.0.0.9", 4000), ("127.0.0.1", 5000), ("192.168.1.5", 6000)
    for i in range(MAX_DATAGRAMS + 100):
        accepted = inbox.put(b"x%d" % i, (flood[0], flood[1] + i % 7))  # any port of its host
        assert accepted == (i < MAX_DATAGRAMS)
    for i in range(3):
        assert inbox.put(b"d%d" % i, device) and inbox.put(b"p%d" % i, phone)
    served = [inbox.take() for _ in range(9)]
    order = [b"x0", b"d0", b"p0", b"x1", b"d1", b"p1", b"x2", b"d2", b"p2"]
    assert [data for data, _ in served] == order
    assert len(inbox) == MAX_DATAGRAMS - 3
    while inbox.take() is not None:
        pass
    assert len(inbox) == 0 and inbox.put(b"again", flood)
