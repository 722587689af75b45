"""The small scales a clip fills on its key's tonic: of the seven-note key ``--key auto`` reads,
the pentatonic or the minor blues that holds every note the clip plays (:func:`smallest_scale`,
:func:`small_key`), or the key that leaves its third open where the clip never sounds it nor
anything else that tells major from minor (:func:`open_third`)."""

from __future__ import annotations

from segue.model.keys import OPEN_STEPS, OPEN_THIRD, SCALES, Key
from segue.notes import Note

SMALL_SCALES = ("major-pentatonic", "minor-pentatonic", "minor-blues")
"""The scales fewer than seven notes that a line's turns keep to where the line fills one
(:func:`smallest_scale`): a C major pentatonic hook's takes turned its notes to F or B in
7 of 32 takes, an A blues lead's in 5 (helper-89), read as C major and A minor + Eb."""
UNPLAYED = 1
"""How many of a small scale's notes a line may leave out and still fill it
(:func:`smallest_scale`): a pentatonic's 4 of 5 with no other note is a pentatonic tune (C
D E G: its A is the one note that the scale adds, not C major's F and B); 3 of 5 (C E G, a
triad) says no scale."""


def smallest_scale(notes: list[Note] | tuple[Note, ...], key: Key) -> Key:
    """The smallest of the :data:`SMALL_SCALES` on the tonic of ``key`` (the seven-note key
    :func:`lock_key` reads) that holds every pitch class of ``notes`` and leaves out at most
    :data:`UNPLAYED` of its own, the one of the key's 3rd first (a major key's major
    pentatonic); else ``key``. A hook of C D E G A read as C major is in C major
    pentatonic, an A minor lead of A C D Eb E G in A minor blues; an A F C G bass of A
    minor stays in A minor (its notes are F major's pentatonic, not A's: a bass on its
    chords' roots plays four notes of many keys)."""
    played = {n.pitch % 12 for n in notes}
    minor = 3 in key.steps() and 4 not in key.steps()
    fits = []
    for order, mode in enumerate(SMALL_SCALES):
        steps = SCALES[mode]
        scale = {(key.tonic + step) % 12 for step in steps}
        if played <= scale and len(scale - played) <= UNPLAYED:
            fits.append((len(steps), (3 in steps) != minor, order))
    return Key(key.tonic, SMALL_SCALES[min(fits)[2]]) if fits else key


def small_key(notes: list[Note] | tuple[Note, ...], key: Key) -> Key:
    """``key`` (a seven-note key :func:`lock_key` reads, with the clip's notes out of it), or
    the small scale the clip fills on its tonic (:func:`smallest_scale`), holding the
    clip's other notes too: the notes a clip says. An A minor pentatonic lead says nothing
    of A minor's B and F (A dorian's F#, A phrygian's Bb are as near); at ``--key auto``,
    ``--memory 0`` and ``-t 1.5``, 20% of its takes' notes were B or F (helper-109). The
    clip's notes out of the seven-note key stay held where no small scale holds the clip:
    an Andalusian pad's E chord (Am G F E, A minor + G#) had its G# folded to G in every
    take, its dominant minor (helper-180: 0 of 96 takes kept it)."""
    scale = smallest_scale(notes, key)
    if scale == key:
        return open_third(notes, key)
    own = Key(scale.tonic, scale.mode).pitch_classes()  # the scale's, without the extra
    return Key(scale.tonic, scale.mode, key.extra - own)


SAYS_MAJOR_OR_MINOR = frozenset({3, 4, 8, 9, 10, 11})
"""The degrees (semitones above a tonic) on which its plain major and minor differ: either
3rd, 6th and 7th. A clip that plays none of them says neither (:func:`open_third`)."""
OPEN_FRAME = (0, 7)
"""The degrees a clip sounds where it leaves its tonic's third open (:func:`open_third`): the
tonic and its fifth, a power chord's (A5: A E). A clip without them says no chord on that
tonic to leave a third of: held C and Bb octaves on a pad (I bVII in C), read as Bb major,
say Bb's 1 and 2 alone, and as "Bb no-third" (Bb C Eb F) their takes lost the C chord's G
and D and answered as far as Eb2 under the loop's C3 (helper-206)."""


def open_third(notes: list[Note] | tuple[Note, ...], key: Key) -> Key:
    """``key``, or where ``notes`` never sound its tonic's third and say nothing else that
    tells its major from its minor (no 3rd, 6th or 7th: :data:`SAYS_MAJOR_OR_MINOR`), the
    key that leaves them open: the notes the two share (:data:`OPEN_STEPS`, A B D E on A),
    holding the clip's other notes too ("A no-third + Eb"). A riff of power chords or a
    root-fifth bass of I IV V or i iv v (A5 D5 E5 E5: A D E) leaves its third open on
    purpose; read as A major, its takes at ``--key auto`` played C#, F# and G# it never
    plays (64 of 2048 notes, helper-200). A key whose scale lacks one of the shared notes
    (A phrygian's Bb, A lydian's D#) says them otherwise, and stays, as does a clip that
    never sounds its tonic and fifth (:data:`OPEN_FRAME`)."""
    played = frozenset(n.pitch % 12 for n in notes)
    if not {(key.tonic + s) % 12 for s in OPEN_FRAME} <= played:
        return key
    if any((c - key.tonic) % 12 in SAYS_MAJOR_OR_MINOR for c in played):
        return key
    if not set(OPEN_STEPS) <= set(key.steps()):
        return key
    core = Key(key.tonic, OPEN_THIRD)
    return Key(key.tonic, OPEN_THIRD, played - core.pitch_classes(), key.spelt)
