"""Errors of the bridge: one a client caused (answered with /segue/error), one a client sees."""

from __future__ import annotations

from segue.errors import SegueError

NO_REQUEST = -1
"""The request id of an error about a message that carries none (or an unreadable one)."""


class ProtocolError(SegueError):
    """A message the bridge cannot act on: answered as ``/segue/error id code sentence``."""

    def __init__(self, code: str, message: str, request_id: int = NO_REQUEST) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.request_id = request_id

    def label(self, max_length: int) -> str:
        """The error for a button's status label (TouchOSC shows no ``/segue/error``): its
        code and its sentence, cut to ``max_length``."""
        from segue.bridge.values import clip_text

        return clip_text(f"error: {self.code}: {self.message}", max_length)

    def for_request(self, request_id: int) -> ProtocolError:
        """The same error, tagged with the request it belongs to."""
        if self.request_id != NO_REQUEST:
            return self
        return ProtocolError(self.code, self.message, request_id)
