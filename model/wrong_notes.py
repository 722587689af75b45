"""A played wrong note: a note of a clip that sounds like a slip of the finger.

``--key auto`` reads a clip's key from its notes and holds its notes out of the key too
(``segue.model.keys.lock_key``): a deliberate chromatic note stays, and so does a slip. A
bass played in C major with one Bb2 for A2 (a neighbour key caught, an eighth off the beat)
was read in F major, and all four takes played the Bb. A musician who played a wrong note
and one who meant it sound the same to a key reading; they differ in how the note is
played. So segue tells them (one line, :func:`slip_notice`), and changes no note: a note
off the key read from all the others, heard once (its pitch class nowhere else in the clip),
short (:data:`SHORT`), off the beat, and left by a leap or a whole step, not a semitone:
a blue note bent into the third (Eb E), a chromatic passing or neighbour note (G G# A, G F#
G), a note that recurs or is struck in every bar, a long note on the beat are the music's.
"""

from __future__ import annotations

from collections import Counter

from segue.model.feel import as_written
from segue.model.keys import PITCH_NAMES, Key, chromatic_passing, lock_key, metric_weight
from segue.notes import Clip, Note

SHORT = 0.5
"""The longest (beats) a slip sounds: an eighth. A wrong note held longer is heard and let
ring; a finger that catches a neighbour key lets it go at once."""
FEWEST = 8
"""The fewest notes a clip has for a single note of it to be told from its key: in a
clip of four notes, each is a quarter of the key."""


def slips(
    notes: tuple[Note, ...] | list[Note], bar: float = 4.0, length: float | None = None
) -> list[tuple[Note, Key]]:
    """The notes of a clip (``notes``, ``bar`` beats a bar, ``length`` beats long) that
    sound like a slip, each with the key its other notes are in (:func:`lock_key`, without
    their own notes out of it): a note whose pitch class the clip plays once, at most
    :data:`SHORT` long, off the beat (``keys.metric_weight``), no chromatic passing note
    (``keys.chromatic_passing``), not left by a semitone (a bent blue note, a neighbour
    note), and out of that key."""
    notes = list(notes)
    if len(notes) < FEWEST:
        return []
    heard = Counter(n.pitch % 12 for n in notes)
    weights = metric_weight(notes)
    passing = chromatic_passing(notes)
    out = []
    for i, note in enumerate(notes):
        if heard[note.pitch % 12] > 1 or note.duration > SHORT + 1e-6:
            continue
        if weights[i] >= 1.0 or passing[i] or _resolves(note, notes):
            continue
        key = lock_key([n for j, n in enumerate(notes) if j != i], bar, length)
        if key is None:
            continue
        plain = Key(key.tonic, key.mode)
        if note.pitch % 12 not in plain.pitch_classes() | key.extra:
            out.append((note, plain))
    return out


def _resolves(note: Note, notes: list[Note]) -> bool:
    """Whether a note at the next onset after ``note`` lies a semitone from it (a blue note
    bent into the third, a chromatic neighbour or approach resolving)."""
    later = [n.start for n in notes if n.start > note.start + 1e-6]
    if not later:
        return False
    nxt = min(later)
    return any(abs(n.pitch - note.pitch) == 1 for n in notes if abs(n.start - nxt) < 1e-6)


def pitch_name(pitch: int) -> str:
    """A MIDI pitch as musicians name it, middle C (60) as C4."""
    return f"{PITCH_NAMES[pitch % 12]}{pitch // 12 - 1}"


def slip_notice(clip: Clip) -> str | None:
    """One line naming the first note of ``clip`` that sounds like a slip (:func:`slips`,
    of the clip as written: ``feel.as_written``, a played note on the beat is on it) for a
    request in ``--key auto``, the key that reads with it where that is another, and how to
    leave it out; None where none does."""
    bar = clip.time_signature.beats_per_bar
    written = as_written(clip).notes
    found = slips(written, bar, clip.length)
    if not found:
        return None
    note, key = found[0]
    where = f"bar {int(note.start // bar) + 1} beat {round(note.start % bar + 1, 2):g}"
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    read = lock_key(written, bar, clip.length)
    said = (
        f"--key auto reads {Key(read.tonic, read.mode)} with it; "
        if read is not None and (read.tonic, read.mode) != (key.tonic, key.mode)
        else ""
    )
    name = str(key).replace(" ", "-")
    return (
        f"{pitch_name(note.pitch)} at {where} is played once and off {key}{more}, a slip? "
        f"{said}--key {name} leaves it out of the takes"
    )
