"""The connection to AbletonOSC: endpoints, a taken reply port, silence, answers matched."""

from __future__ import annotations

import time

import pytest
from abletonosc_standin import AbletonOSCStandin, FakeClip
from live_sets import (
    keys_set,
    riff,
)
from ports import bound_udp, silent_port

from segue.bridge.abletonosc.clip import set_clip_name
from segue.bridge.abletonosc.transport import AbletonOSC, parse_endpoint
from segue.bridge.abletonosc.view import selected_clip
from segue.errors import LiveTimeout, SegueError


def test_a_taken_reply_port_is_named(capsys) -> None:
    with bound_udp() as holder:  # it takes the port itself: no other socket can have it
        reply_port = holder.getsockname()[1]
        with pytest.raises(
            SegueError,
            match=f"cannot listen on udp 127.0.0.1:{reply_port} for "
            "AbletonOSC's answers: .*another AbletonOSC client",
        ):
            AbletonOSC("127.0.0.1", 11000, reply_port).open()


def test_endpoints() -> None:
    assert parse_endpoint("127.0.0.1:11000") == ("127.0.0.1", 11000)
    assert parse_endpoint("studio.local") == ("studio.local", 11000)
    assert parse_endpoint(":12000") == ("127.0.0.1", 12000)
    with pytest.raises(SegueError, match="HOST:PORT"):
        parse_endpoint("live:port")
    with pytest.raises(SegueError, match=r"reply port \(47990\) must differ"):
        AbletonOSC("127.0.0.1", 47990, 47990)  # it read its own questions as answers


def test_a_silent_live_times_out_within_the_timeout(reply_port) -> None:
    with (
        silent_port() as silent,  # held and read by no one: no other socket answers there
        AbletonOSC("127.0.0.1", silent, reply_port, timeout=0.3) as live,
    ):
        started = time.monotonic()
        with pytest.raises(LiveTimeout, match="AbletonOSC"):
            selected_clip(live)
    assert time.monotonic() - started < 2


def test_the_standin_is_faithful_where_segue_relies_on_it(reply_port) -> None:
    """Answers echo the indices asked, TouchOSC floats are cast, setters answer nothing."""
    live_set = keys_set([FakeClip("riff", 4.0, riff()), None])
    with (
        AbletonOSCStandin(live_set, reply_port) as standin,
        AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live,
    ):
        assert live.ask("/live/clip/get/name", 0.0, 0.0) == ("riff",)
        assert live.ask("/live/clip_slot/get/has_clip", 0, 1) == (False,)
        set_clip_name(live, 0, 0, "renamed")
        assert live.ask("/live/clip/get/name", 0, 0) == ("renamed",)
        assert live.drain() == 0
