"""segue: continue a MIDI clip with an LSTM, from Ableton Live or any OSC client."""

from segue.errors import SegueError
from segue.notes import Clip, Note, TimeSignature

__version__ = "0.1.0"

__all__ = ["Clip", "Note", "SegueError", "TimeSignature", "__version__"]
