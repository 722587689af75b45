"""segue.serve_notices: what `segue serve` says once its bridge listens, on networks read
as --allow reads them."""

from __future__ import annotations

from segue.bridge.allow import parse_allow
from segue.serve_notices import Said, started_lines

LISTENING = "segue bridge listening on udp 127.0.0.1:9123 (model auto; protocol in docs/"


def test_a_bridge_on_this_computer_says_where_it_listens_only() -> None:
    (line,) = started_lines("127.0.0.1", ("127.0.0.1", 9123), "auto", ())
    assert line.text.startswith(LISTENING) and line.text.endswith("Ctrl-C stops)")
    assert not line.err


def test_an_open_host_is_warned_of_on_stderr_and_the_allowed_are_named() -> None:
    lines = started_lines("0.0.0.0", ("0.0.0.0", 9123), "tiny", ())
    assert [said.err for said in lines] == [False, True]
    assert lines[1].text.endswith("use this bridge; restrict it with --allow ADDR|NET")
    allowed = parse_allow(["127.0.0.1,192.168.1.0/24"])
    lines = started_lines("0.0.0.0", ("0.0.0.0", 9123), "tiny", allowed)
    assert "only the --allow addresses and loopback (127.0.0.1) get answers" in lines[1].text
    assert lines[2] == Said("answering only 127.0.0.1/32, 192.168.1.0/24")
    assert len(started_lines("127.0.0.1", ("127.0.0.1", 1), "tiny", allowed)) == 2  # no warning


def test_live_through_abletonosc_is_said_last() -> None:
    lines = started_lines(
        "127.0.0.1", ("127.0.0.1", 9123), "auto", (), "udp 127.0.0.1:11000", 11001
    )
    assert lines[-1] == Said(
        "Live through AbletonOSC at udp 127.0.0.1:11000 (answers on 11001): "
        "/segue/live/continue continues the selected clip"
    )
