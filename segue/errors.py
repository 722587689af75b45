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


class LiveError(SegueError):
    """Ableton Live, reached through AbletonOSC, could not do what was asked.

    ``code`` names the reason for OSC clients (``/segue/error 0 CODE sentence``).
    """

    code = "live_error"


class LiveTimeout(LiveError):
    """Live did not answer through AbletonOSC in time (not running, or AbletonOSC is off)."""

    code = "live_timeout"


class NoClipError(LiveError):
    """No MIDI clip where one was expected (an empty slot, an audio clip, a return track)."""

    code = "no_clip"


class NoEmptySlotError(LiveError):
    """No empty clip slot is left on the track to write a continuation into."""

    code = "no_empty_slot"


class Stopped(SegueError):
    """The musician stopped the work (Ctrl-C, a cancel) before it had anything to keep; the
    message says what was left undone."""
