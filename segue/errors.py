"""The one exception family for mistakes a user can make and fix.

Anything raised as a :class:`SegueError` is shown to the user as one line
(``segue: error: ...``) without a traceback. Its message says what was wrong
and, where it helps, what to do about it.
"""

from __future__ import annotations


class SegueError(Exception):
    """A user-facing error: bad input, a missing file, an absurd parameter."""


class NoteError(SegueError, ValueError):
    """A note or clip field is out of range."""


class MidiFileError(SegueError):
    """A MIDI file cannot be read or holds nothing usable."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
