"""The chords a keyboard player strikes, as pitch classes over their root: one table for
the readings that ask whether notes are a chord (``segue.struck_chords``: a comping hand's chords on
drum notes are no beat; ``segue.model.broken_chords``: a left hand's broken shells)."""

from __future__ import annotations

KEYBOARD_CHORDS = (
    (0, 4, 7),  # major
    (0, 3, 7),  # minor
    (0, 3, 6),  # diminished
    (0, 4, 8),  # augmented
    (0, 2, 7),  # sus2
    (0, 5, 7),  # sus4
    (0, 4, 7, 10),  # dominant seventh
    (0, 4, 7, 11),  # major seventh
    (0, 3, 7, 10),  # minor seventh
    (0, 3, 7, 11),  # minor major seventh
    (0, 3, 6, 10),  # half-diminished
    (0, 3, 6, 9),  # diminished seventh
    (0, 5, 7, 10),  # seventh sus4
    (0, 4, 7, 9),  # sixth
    (0, 3, 7, 9),  # minor sixth
)
"""The chords a keyboard strikes, as pitch classes over their root: the triads (major,
minor, diminished, augmented, suspended) and the sixth and seventh chords, whose fifth a
left hand or a comping hand leaves out (a shell: root, third and seventh)."""
EXTENDED_CHORDS = (
    (0, 4, 7, 10, 2),  # ninth
    (0, 3, 7, 10, 2),  # minor ninth
    (0, 4, 7, 11, 2),  # major ninth
    (0, 4, 7, 9, 2),  # six-nine (and add9)
    (0, 3, 7, 9, 2),  # minor six-nine (and minor add9)
    (0, 4, 7, 10, 1),  # seventh flat nine
    (0, 4, 7, 10, 3),  # seventh sharp nine
    (0, 4, 7, 10, 6),  # seventh sharp eleven
    (0, 3, 7, 10, 2, 5),  # minor eleventh
    (0, 4, 7, 10, 9),  # thirteenth
    (0, 4, 7, 10, 8),  # seventh flat thirteen
)
"""The chords a keyboard's right hand voices over a bass, as pitch classes over that bass:
ninths, elevenths and thirteenths, altered or not, and add9 and 6/9 chords (a house or
neo-soul vamp's Cm9, C2 under Eb2 Bb2 D3). Apart from :data:`KEYBOARD_CHORDS`, which a
left hand's broken shells ask for too (``segue.model.broken_chords``); here only a chord
over a vamp's bass (``segue.struck_chords.vamped_chords``)."""
SEVENTHS = (10, 11)
"""A minor and a major seventh (semitones over a root): a jazz pianist's shell voicing plays
a chord's root and its seventh (D C: Dm7, G F: G7, C B: Cmaj7; C2+Bb2 for C7 or Cm7), or
its root and third, or its root, seventh and third, and no fifth."""
THIRDS = (3, 4)
"""A minor and a major third (semitones over a root): a shell's other guide tone."""
