"""Which ``/segue/error`` code answers which exception: one declared table for the whole bridge.

A message's handler (on the receiving thread) and the jobs (generation and Live
continuation, on the worker threads) answer every failure through
:func:`error_for`, so an exception becomes the same code and sentence wherever
it is raised. An exception the table does not name is a fault of the bridge:
``internal``, and the caller logs its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from segue.bridge.errors import NO_REQUEST, ProtocolError
from segue.errors import LiveError, SegueError
from segue.model.generate import GenerationCancelled

INTERNAL = "internal"


@dataclass(frozen=True)
class ErrorCode:
    """An exception type and the error that answers it."""

    kind: type[Exception]
    code: str | None
    """None: the exception carries its own ``code``."""
    sentence: str | None = None
    """None: the exception's own message; else a sentence with ``{id}`` for the request."""


ERROR_CODES: tuple[ErrorCode, ...] = (
    ErrorCode(ProtocolError, None),  # bad_value, busy, unknown_model, no_seed, ...
    ErrorCode(LiveError, None),  # live_timeout, no_clip, no_empty_slot, live_error
    ErrorCode(GenerationCancelled, "cancelled", "request {id} was cancelled"),
    ErrorCode(SegueError, "cannot_generate"),  # parameters generation cannot meet
)
"""Exception type -> error code and sentence; the first entry that matches answers."""


def cancelled(request_id: int) -> ProtocolError:
    """The error a cancelled request ends with."""
    return error_for(GenerationCancelled(), request_id, "")


def stopping(request_id: int) -> ProtocolError:
    """The error of a request (or upload) the bridge drops because it is stopping."""
    return ProtocolError("cancelled", "the bridge is stopping", request_id)


def error_for(exc: BaseException, request_id: int, fault: str) -> ProtocolError:
    """The error that answers ``exc``, for ``request_id`` unless it names its own request.

    Anything :data:`ERROR_CODES` does not name is ``internal``: ``fault`` says what
    failed ("generation failed"), with the exception's type; the caller logs it.
    """
    own = getattr(exc, "request_id", NO_REQUEST)
    request_id = request_id if own == NO_REQUEST else own
    for entry in ERROR_CODES:
        if isinstance(exc, entry.kind):
            code = entry.code or str(getattr(exc, "code", INTERNAL))
            sentence = str(exc) if entry.sentence is None else entry.sentence.format(id=request_id)
            return ProtocolError(code, sentence, request_id)
    return ProtocolError(
        INTERNAL, f"{fault} ({type(exc).__name__}); see the bridge's log", request_id
    )
