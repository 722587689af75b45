"""The bridge's error for a client: its code, its sentence, the request it belongs to."""

from __future__ import annotations

from segue.bridge.errors import NO_REQUEST, ProtocolError
from segue.errors import SegueError


def test_an_error_is_tagged_with_its_request_once() -> None:
    error = ProtocolError("bad_value", "bars must be between 0.25 and 64, got 0")
    assert isinstance(error, SegueError) and str(error) == error.message
    assert error.request_id == NO_REQUEST
    tagged = error.for_request(7)
    assert (tagged.code, tagged.message, tagged.request_id) == ("bad_value", error.message, 7)
    assert tagged.for_request(8) is tagged  # the request it was raised for stays
