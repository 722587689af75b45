"""How a note is named in a key (``segue.model.spelling``)."""

from __future__ import annotations

from segue.model.keys import Key, parse_key
from segue.model.spelling import class_name, pitch_name


def test_a_note_is_named_as_its_key_reads_it() -> None:
    """A black key spelt by the key: A minor's raised 7th G#2 (not Ab2) and blue b5 Eb2, C
    minor's Ab2, C major's F#4 and blue Eb4 and Bb4, G minor's raised 7th F#2 and blue b5
    Db3, E major's A#3 and D#3; a white key keeps its name, and no key is C#4."""
    named = [
        pitch_name(44, Key(9, "minor")),
        pitch_name(39, Key(9, "minor")),
        pitch_name(44, Key(0, "minor")),
        pitch_name(66, Key(0, "major")),
        pitch_name(63, Key(0, "major")),
        pitch_name(70, Key(0, "major")),
        pitch_name(42, Key(7, "minor")),
        pitch_name(49, Key(7, "minor")),
        pitch_name(58, Key(4, "major")),
        pitch_name(51, Key(4, "major")),
        pitch_name(53, Key(4, "major")),
        pitch_name(61),
    ]
    assert named == [
        "G#2",
        "Eb2",
        "Ab2",
        "F#4",
        "Eb4",
        "Bb4",
        "F#2",
        "Db3",
        "A#3",
        "D#3",
        "F3",
        "C#4",
    ]


def test_a_note_played_for_the_one_below_is_named_as_that_note_raised() -> None:
    """A black key a finger played for the white key below it (``raised``) is that note
    raised, whatever the key: D#5 for a D5 in G major (the key's Eb5), A#2 for an A2 in C
    major (its blue Bb2), G#4 for G4 in C major (its Ab4); as the key reads it otherwise."""
    named = [
        pitch_name(75, Key(7, "major"), raised=True),
        pitch_name(46, Key(0, "major"), raised=True),
        pitch_name(68, Key(0, "major"), raised=True),
        pitch_name(75, Key(7, "major")),
        pitch_name(77, Key(0, "major"), raised=True),
    ]
    assert named == ["D#5", "A#2", "G#4", "Eb5", "F5"]


def test_a_minor_key_s_leading_tone_is_spelt_on_its_seventh_s_letter() -> None:
    """A minor key's raised 7th, the leading tone, is spelt on its 7th's letter, a white
    key's name too: E#3 in F# minor (not F3), B#3 in C# minor (middle C, not C4), G#2 in A
    minor, F##3 in G# minor (G3: "G" read in G# minor is its b7, and a chart writes the D#
    chord's third F##); a white key in a major key keeps its name (F3 in E major). A key
    names its notes besides its scale so: F# minor + E#, G# minor + F## (the Andalusian
    G#m F# E D#, whose D# chord's F## was named "G"), read back as the same key."""
    assert pitch_name(53, Key(6, "minor")) == "E#3"
    assert pitch_name(60, Key(1, "minor")) == "B#3"
    assert pitch_name(44, Key(9, "minor")) == "G#2"
    assert pitch_name(55, Key(8, "minor")) == "F##3"
    assert pitch_name(54, Key(8, "minor")) == "F#3"
    assert str(Key(8, "minor", frozenset({7}))) == "G# minor + F##"
    assert parse_key("G# minor + F##") == Key(8, "minor", frozenset({7}))
    assert pitch_name(53, Key(4, "major")) == "F3"
    assert class_name(5, Key(6, "minor")) == "E#"
    assert str(Key(6, "minor", frozenset({5}))) == "F# minor + E#"
    assert str(Key(9, "minor", frozenset({8}))) == "A minor + G#"
    assert str(Key(0, "major", frozenset({3, 8}))) == "C major + Eb + Ab"
