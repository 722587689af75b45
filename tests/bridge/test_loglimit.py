"""One log line per kind per client per interval, and a count of what was left out."""

from __future__ import annotations

import logging

from segue.bridge.loglimit import LogLimiter


def test_one_line_per_kind_per_source_then_a_count(caplog) -> None:
    now = [0.0]
    log = logging.getLogger("segue.bridge.test-loglimit")
    limiter = LogLimiter(log, interval=10.0, clock=lambda: now[0])
    with caplog.at_level(logging.INFO, logger=log.name):
        for port in (5000, 5000, 5000, 6000):
            limiter.warning(("127.0.0.1", port), "malformed", "127.0.0.1:%d: malformed", port)
        for port in range(7000, 7100):  # another host, many ports: one source
            limiter.warning(("10.0.0.9", port), "malformed", "10.0.0.9:%d: malformed", port)
        limiter.warning(("10.0.0.9", 1), "unknown_address", "10.0.0.9: unknown address")
        limiter.log_line(logging.WARNING, ("10.0.0.9", 1), "over", "dropped", count=40)
        limiter.flush()  # the interval is not over: nothing yet
        assert [r.getMessage() for r in caplog.records] == [
            "127.0.0.1:5000: malformed",
            "127.0.0.1:6000: malformed",
            "10.0.0.9:7000: malformed",
            "10.0.0.9: unknown address",
            "dropped",
        ]
        caplog.clear()
        now[0] = 10.0
        limiter.flush()
        assert sorted(r.getMessage() for r in caplog.records) == [
            "10.0.0.9: 39 more over in the last 10 s (not logged one by one)",
            "10.0.0.9: 99 more malformed in the last 10 s (not logged one by one)",
            "127.0.0.1:5000: 2 more malformed in the last 10 s (not logged one by one)",
        ]
        caplog.clear()
        limiter.warning(("127.0.0.1", 5000), "malformed", "again")
        assert [r.getMessage() for r in caplog.records] == ["again"]
