"""The seven-note scales ``--key auto`` chooses among, in the order it prefers them
(:data:`LOCK_SCALES`), and the degrees of the chords that loops in each are made of
(:data:`LOOP_CHORDS`): what ``segue.model.key_lock``, ``segue.model.home_keys`` and
``segue.model.key_spans`` read a clip's key and its changes of key in."""

from __future__ import annotations

LOCK_SCALES = (
    "major",
    "minor",
    "harmonic-minor",
    "dorian",
    "mixolydian",
    "phrygian",
    "lydian",
    "melodic-minor",
)
"""The scales ``--key auto`` chooses among (:func:`lock_key`): the seven-note scales of
producers' and players' parts, the plain major and minor first, melodic minor last: where
its notes are a mode's as much (a Dm G triad vamp plays D F G A B, no C or C#), the loop is
in the mode (D dorian), and D melodic minor let its takes play a C# the clip never plays."""


LOOP_CHORDS = {
    "major": (0, 5, 7, 9),
    "minor": (0, 5, 7, 8, 10),
    "harmonic-minor": (0, 5, 7, 8),
    "melodic-minor": (0, 5, 7),
    "dorian": (0, 5, 7, 10),
    "mixolydian": (0, 5, 7, 10),
    "phrygian": (0, 1, 10),
    "lydian": (0, 2, 7),
}
"""The degrees (semitones above the tonic) of the roots of each :data:`LOCK_SCALES` key's
chords that loops are made of: I IV V vi; i iv v VI VII; dorian's i IV and VII, mixolydian's
I bVII IV, phrygian's i bII, lydian's I II. Where a loop's bars open and end on such roots
(:func:`lock_key`), the key is heard from whichever bar it starts: a bass of A F C G, a bar
each, is C major's vi IV I V, and was F major's iii I V ii (Bb, not B) read from its 2nd
bar; an Am G arp is A minor's i VII, not G major's I ii (F#, which it never plays)."""
