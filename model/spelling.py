"""How a note is named in a key, as a musician spells it: G#2 in A minor (the leading
tone), Ab2 in C minor, a major key's blue Eb and Bb as flats. The slip line names its note
so (``segue.model.wrong_notes``), and a key names the notes it holds besides its scale so
(``Key``: A minor + G#, the E chord of Am G F E)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from segue.model.keys import Key

PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MAJOR_TONICS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MINOR_TONICS = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")
"""A key's tonic as musicians spell it, by the scale's third: Db major (5 flats, not C#
major's 7 sharps: "Db major" was said back as "C# major"), C# and G# minor (4 and 5
sharps, not Db and Ab minor's 8 and 7 flats)."""
SIGNED = ("major", "minor")
"""The scales whose keys are said by their key signatures (:data:`MAJOR_TONICS`), however
the tonic was written; a key of another scale keeps the tonic as written (``Key.spelt``)."""
LETTERS = "CDEFGAB"
"""The note names' letters, from C: a key's degrees are its tonic's letter and the six after."""
NATURALS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
DEGREES = {True: (0, 0, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6), False: (0, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6, 6)}
"""The degree (0 the tonic) each semitone above a key's tonic is written on, by whether
the key's third is major: a major key raises its tonic and 4th (C# and F# in C) and flats
its blue 3rd, 6th and 7th (Eb, Ab, Bb); a minor key flats its 2nd and 5th (Bb, Eb in A
minor) and raises its 3rd, 6th and 7th (C#, F#, G#: the leading tone, not Ab)."""
LEADING_TONE = 11
"""A minor key's raised 7th (semitones above its tonic), its leading tone: spelt on the 7th
degree's letter even where that is a white key's name (E# in F# minor, B# in C# minor: the
E and G# chords' thirds) or takes a double sharp (F## in G# minor, the D# chord's third, as
a chart in G# minor writes it: "G" read as G# minor's b7), where any other white key keeps
its own name."""


def class_name(pitch_class: int, key: Key | None = None) -> str:
    """A pitch class as musicians name it: a black key, in ``key``, spelt as the key reads
    it (:data:`DEGREES`): G# in A minor, Ab in C minor, as :data:`PITCH_NAMES` spells it
    where no key is given or the key's letter would take a double sharp or flat. A white
    key keeps its own name (F, not E# in E major), but a minor key's leading tone
    (:data:`LEADING_TONE`: E# in F# minor, F## in G# minor)."""
    name = PITCH_NAMES[pitch_class % 12]
    if key is None:
        return name
    above = (pitch_class - key.tonic) % 12
    major = 4 in key.steps()
    if len(name) == 1 and (major or above != LEADING_TONE):
        return name
    tonic = key.spelt if key.spelt and key.mode not in SIGNED else ""
    tonic = tonic or (MAJOR_TONICS if major else MINOR_TONICS)[key.tonic]
    letter = LETTERS[(LETTERS.index(tonic[0].upper()) + DEGREES[major][above]) % 7]
    sharp = (pitch_class - NATURALS[letter] + 6) % 12 - 6
    if sharp == 2 and not major and above == LEADING_TONE:
        return f"{letter}##"
    return {-1: f"{letter}b", 1: f"{letter}#"}.get(sharp, name)


def pitch_name(pitch: int, key: Key | None = None, raised: bool = False) -> str:
    """A MIDI pitch as musicians name it, middle C (60) as C4, its pitch class named in
    ``key`` (:func:`class_name`): G#2 in A minor, Ab2 in C minor; B#3 in C# minor is
    middle C, the octave counted by the letter (F##3 in G# minor is G3). A black key played
    for the white key below it (``raised``: a slip, a finger a semitone high) is that note
    raised, whatever the key: D#5 for a D5 in G major, not Eb5."""
    if raised and len(PITCH_NAMES[pitch % 12]) > 1:
        return f"{PITCH_NAMES[(pitch - 1) % 12]}#{pitch // 12 - 1}"
    name = class_name(pitch, key)
    return f"{name}{pitch // 12 - 1 - (name == 'B#')}"
