"""The time limit of calls a test makes in its own process (tests/support/time_limit.py, and
``segue_main`` over it): a call that hangs fails its test soon, saying where it hung."""

from __future__ import annotations

import signal
import threading
import time

import pytest
from ports import silent_port
from time_limit import TimeLimitExceeded, time_limit

WAYS = [
    pytest.param(
        True,
        id="alarm",
        marks=pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="no SIGALRM here"),
    ),
    pytest.param(False, id="watchdog"),
]


def _hang_in_python() -> None:
    while True:
        time.sleep(0.01)


def test_a_hanging_in_process_command_fails_its_test_saying_where(segue_main) -> None:
    """`segue ping` to a bridge that never answers, told to wait a minute, under a limit of
    one second: the call ends in about a second, and says what ran, its limit and where it
    waited (the client's read of its socket)."""
    before = signal.getsignal(signal.SIGALRM) if hasattr(signal, "SIGALRM") else None
    began = time.monotonic()
    with silent_port() as port, pytest.raises(TimeLimitExceeded) as hung:
        segue_main("ping", "--port", port, "--timeout", "60", timeout=1)
    assert time.monotonic() - began < 30
    said = str(hung.value)
    assert said.startswith(f"segue ping --port {port} --timeout 60 ran past its 1 s limit"), said
    assert "in ping_command" in said and "bridge/client.py" in said, said
    if hasattr(signal, "SIGALRM"):  # the test run's own handler is back
        assert signal.getsignal(signal.SIGALRM) == before


@pytest.mark.parametrize("alarm", WAYS)
def test_a_hang_in_python_is_stopped_at_its_limit_either_way(alarm: bool) -> None:
    began = time.monotonic()
    with pytest.raises(TimeLimitExceeded) as hung, time_limit(0.3, "the loop", alarm) as limit:
        _hang_in_python()
    assert time.monotonic() - began < 10
    assert limit.fired and str(hung.value) == limit.message
    assert limit.message.startswith("the loop ran past its 0.3 s limit (hung?); it was here:")
    assert "in _hang_in_python" in limit.message, limit.message


@pytest.mark.parametrize("alarm", WAYS)
def test_a_limit_whose_exception_is_swallowed_still_says_it_fired(alarm: bool) -> None:
    """Code that catches everything and goes on: the limit says it fired (``segue_main``
    then fails the test with its message)."""
    with time_limit(0.3, "the loop", alarm) as limit:
        try:
            _hang_in_python()
        except BaseException:
            pass
    assert limit.fired and "in _hang_in_python" in limit.message


@pytest.mark.parametrize("alarm", WAYS)
def test_a_call_within_its_limit_is_left_alone(alarm: bool) -> None:
    before = signal.getsignal(signal.SIGALRM) if hasattr(signal, "SIGALRM") else None
    with time_limit(0.5, "a short call", alarm) as limit:
        time.sleep(0.05)
    time.sleep(0.7)  # past the limit: nothing is raised after the block
    assert not limit.fired and limit.message == ""
    if hasattr(signal, "SIGALRM"):
        assert signal.getsignal(signal.SIGALRM) == before
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert [t for t in threading.enumerate() if t.name == "time-limit"] == []
