"""How a note is named in a key, as a musician spells it: G#2 in A minor (the leading
tone), Ab2 in C minor, a major key's blue Eb and Bb as flats. The slip line names its note
so (``segue.model.wrong_notes``)."""

from __future__ import annotations

from segue.model.keys import MAJOR_TONICS, MINOR_TONICS, PITCH_NAMES, SIGNED, Key

LETTERS = "CDEFGAB"
"""The note names' letters, from C: a key's degrees are its tonic's letter and the six after."""
NATURALS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
DEGREES = {True: (0, 0, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6), False: (0, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6, 6)}
"""The degree (0 the tonic) each semitone above a key's tonic is written on, by whether
the key's third is major: a major key raises its tonic and 4th (C# and F# in C) and flats
its blue 3rd, 6th and 7th (Eb, Ab, Bb); a minor key flats its 2nd and 5th (Bb, Eb in A
minor) and raises its 3rd, 6th and 7th (C#, F#, G#: the leading tone, not Ab)."""


def pitch_name(pitch: int, key: Key | None = None, raised: bool = False) -> str:
    """A MIDI pitch as musicians name it, middle C (60) as C4; a black key, in ``key``,
    spelt as the key reads it (:data:`DEGREES`): G#2 in A minor, Ab2 in C minor, as
    :data:`PITCH_NAMES` spells it where no key is given or the key's letter would take a
    double sharp or flat. A white key keeps its own name (F, not E# in E major). A black
    key played for the white key below it (``raised``: a slip, a finger a semitone high)
    is that note raised, whatever the key: D#5 for a D5 in G major, not Eb5."""
    name = PITCH_NAMES[pitch % 12]
    if raised and len(name) > 1:
        name = f"{PITCH_NAMES[(pitch - 1) % 12]}#"
    elif key is not None and len(name) > 1:
        major = 4 in key.steps()
        tonic = key.spelt if key.spelt and key.mode not in SIGNED else ""
        tonic = tonic or (MAJOR_TONICS if major else MINOR_TONICS)[key.tonic]
        degree = DEGREES[major][(pitch - key.tonic) % 12]
        letter = LETTERS[(LETTERS.index(tonic[0].upper()) + degree) % 7]
        sharp = (pitch - NATURALS[letter] + 6) % 12 - 6
        name = {-1: f"{letter}b", 1: f"{letter}#"}.get(sharp, name)
    return f"{name}{pitch // 12 - 1}"
