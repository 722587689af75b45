"""What a key is: Live 12's scales and segue's, a key's names as read and said, its pitch
mask, its altered notes and a chart's spelling."""

from __future__ import annotations

import numpy as np
import pytest
from key_clips import AM, DM, C, F, G, line_of, pad_loop, power_chords

from segue.errors import SegueError
from segue.model.key_lock import lock_key
from segue.model.keys import LIVE_SCALES, SCALES, Key, altered, parse_key, pitch_mask, scale_name
from segue.model.small_scales import open_third
from segue.notes import Note


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("C major", Key(0, "major")),
        ("a minor", Key(9, "minor")),
        ("F# dorian", Key(6, "dorian")),
        ("Bb", Key(10, "major")),
        ("Am", Key(9, "minor")),
        ("eb harmonic-minor", Key(3, "harmonic-minor")),
    ],
)
def test_parse_key(text, key) -> None:
    assert parse_key(text) == key


def test_live_scales_are_one_table_of_35_distinct_scales() -> None:
    names = [name for name, _ in LIVE_SCALES]
    assert len(names) == len(set(names)) == 35
    assert names[:7] == ["Major", "Minor", "Dorian", "Mixolydian", "Lydian", "Phrygian", "Locrian"]
    steps = [s for _, s in LIVE_SCALES]
    assert len(set(steps)) == 35, "two of Live's names with the same notes"
    for name, s in LIVE_SCALES:
        assert s[0] == 0 and list(s) == sorted(set(s)) and s[-1] < 12, name
    assert list(SCALES) == [scale_name(n) for n in names]
    assert SCALES["major"] == (0, 2, 4, 5, 7, 9, 11)
    assert SCALES["half-whole-dim"] == (0, 1, 3, 4, 6, 7, 9, 10)
    # Modes of one another: Dorian and Mixolydian are the major scale from its 2nd and 5th.
    major = SCALES["major"]
    for mode, degree in (
        ("dorian", 1),
        ("phrygian", 2),
        ("lydian", 3),
        ("mixolydian", 4),
        ("minor", 5),
        ("locrian", 6),
    ):
        rotated = sorted((step - major[degree]) % 12 for step in major)
        assert tuple(rotated) == SCALES[mode], mode


@pytest.mark.parametrize(("live", "steps"), LIVE_SCALES)
def test_every_live_scale_is_a_key_by_name_and_by_its_steps(live, steps) -> None:
    by_name = parse_key(f"D {live}")
    assert by_name == Key(2, scale_name(live))
    assert by_name.steps() == steps
    assert parse_key("D " + ",".join(map(str, steps))) == by_name
    assert parse_key(str(by_name)) == by_name  # what the bridge stores reads back
    assert by_name.pitch_classes() == frozenset((2 + s) % 12 for s in steps)


def test_names_are_read_as_live_and_segue_spell_them() -> None:
    assert (
        parse_key("C# Half-whole Dim.")
        == parse_key("c# half-whole-dim")
        == Key(1, "half-whole-dim")
    )
    assert parse_key("G Dorian #4") == parse_key("G dorian-#4") == Key(7, "dorian-#4")
    assert parse_key("E 8-Tone Spanish") == Key(4, "8-tone-spanish")
    assert parse_key("F Messiaen 3") == Key(5, "messiaen-3")
    assert parse_key("A blues") == Key(9, "minor-blues")  # segue's older name
    assert parse_key("Cmajor") == parse_key("C ionian") == Key(0, "major")
    assert str(parse_key("Bb lydian dominant")) == "Bb lydian-dominant"


def test_a_scale_given_by_its_steps() -> None:
    key = parse_key("D 0,1,4,6,8")  # no scale of Live's: kept as its steps
    assert key == Key(2, "0,1,4,6,8") and str(key) == "D 0,1,4,6,8"
    assert key.steps() == (0, 1, 4, 6, 8)
    assert sorted(key.pitch_classes()) == [2, 3, 6, 8, 10]
    assert parse_key(str(key)) == key
    assert parse_key("D 0, 2, 3, 5, 7, 9, 10") == Key(2, "dorian")
    mask = pitch_mask(key, 60, 72)
    assert [p for p in range(128) if mask[p]] == [62, 63, 66, 68, 70]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("H major", "cannot read key 'H major'"),
        ("C foo", "unknown scale 'foo' in key 'C foo': name one of Live 12's 35 scales"),
        ("D 0,3,2", "the scale '0,3,2' of key 'D 0,3,2' is not semitones above the tonic"),
        ("D 2,4", "the scale '2,4' of key 'D 2,4' is not"),
        ("D 0,12", "is not semitones above the tonic"),
    ],
)
def test_bad_keys_say_what_is_wrong(text, message) -> None:
    with pytest.raises(SegueError, match=message.replace(".", r"\.").replace("(", r"\(")):
        parse_key(text)


# Every key the docs and help give (README, docs/protocol.md, --key's help, parse_key's own
# docstring, the bridge's advice), with the aliases segue has always read.
DOCUMENTED_KEYS = {
    "C major": Key(0, "major"),
    "a minor": Key(9, "minor"),
    "A minor": Key(9, "minor"),
    "F# dorian": Key(6, "dorian"),
    "D dorian": Key(2, "dorian"),
    "Bb": Key(10, "major"),
    "Am": Key(9, "minor"),
    "A-minor": Key(9, "minor"),
    "C-major": Key(0, "major"),
    "C# Half-whole Dim.": Key(1, "half-whole-dim"),
    "D dorian-#4": Key(2, "dorian-#4"),
    "A minor-pentatonic": Key(9, "minor-pentatonic"),
    "A no-third": Key(9, "no-third"),
    "A (no third)": Key(9, "no-third"),
    "A-no-third": Key(9, "no-third"),
    "a no 3rd": Key(9, "no-third"),
    "D 0,2,3,5,7,9,10": Key(2, "dorian"),
    "C major + Eb + Ab": Key(0, "major", frozenset({3, 8})),
    "A minor + G#": Key(9, "minor", frozenset({8})),
    "A min": Key(9, "minor"),
    "A aeolian": Key(9, "minor"),
    "C maj": Key(0, "major"),
    "C ionian": Key(0, "major"),
    "A blues": Key(9, "minor-blues"),
    "C minor_pentatonic": Key(0, "minor-pentatonic"),
}


@pytest.mark.parametrize(
    "text", ["C 日本 major", "C major 日本", "Cé major", "C ~~ major", "C maj♪"]
)
def test_a_word_segue_does_not_know_is_refused_not_read_as_a_separator(text) -> None:
    """ "C 日本 major" was read as C major: the scale's name kept a-z alone and took every
    other character for a space (helper-263). A word segue does not know is refused in one
    line that names it and lists what segue reads; every key the docs give still reads."""
    with pytest.raises(SegueError) as info:
        parse_key(text)
    message = str(info.value)
    assert message.startswith(f"unknown scale {text[1:].strip()!r} in key {text!r}: name one")
    assert "\n" not in message
    for live, _ in LIVE_SCALES:
        assert live in message, live
    assert "no-third" in message and "'D 0,2,3,5,7,9,10'" in message
    for written, key in DOCUMENTED_KEYS.items():
        assert parse_key(written) == key, written
    for live, _ in LIVE_SCALES:
        assert parse_key(f"Eb {live}") == Key(3, scale_name(live)), live


def test_a_sharp_or_flat_sign_is_read_as_its_note() -> None:
    """ "C♯ minor" (a chart's sign) was read as C minor, the ♯ taken for a space: it is C#."""
    assert parse_key("C♯ minor") == Key(1, "minor") == parse_key("C# minor")
    assert str(parse_key("B♭ Dorian #4")) == "Bb dorian-#4"
    assert parse_key("C major + E♭") == Key(0, "major", frozenset({3}))


def test_pitch_mask_keeps_range_and_key() -> None:
    mask = pitch_mask(Key(0, "major"), 60, 72)
    assert [p for p in range(128) if mask[p]] == [60, 62, 64, 65, 67, 69, 71, 72]
    assert pitch_mask(None).all()


def test_a_key_is_spelt_as_musicians_spell_it() -> None:
    """--key "Db major" was said back as "C# major" (helper-44)."""
    from segue.model.keys import parse_key

    assert str(parse_key("Db major")) == "Db major" == str(parse_key("C# major"))
    assert str(parse_key("Ab major")) == "Ab major"
    assert str(parse_key("C# minor")) == "C# minor" and str(parse_key("Ab minor")) == "G# minor"
    assert str(parse_key("Bb minor")) == "Bb minor" and str(parse_key("D dorian")) == "D dorian"


def test_a_key_as_key_auto_says_it_is_read_back() -> None:
    """`--key auto` said 'C major + Eb + Ab', which --key and /segue/set key refused
    ("unknown scale 'major + Eb + Ab'", helper-52)."""
    for key in (Key(0, "major", frozenset({3, 8})), Key(2, "harmonic-minor"), Key(9, "0,2,3")):
        assert parse_key(str(key)) == key
    assert parse_key("c major+eb") == Key(0, "major", frozenset({3}))
    assert parse_key("C major + E") == Key(0, "major")  # held by the scale already
    with pytest.raises(SegueError, match="after '\\+' name a note"):
        parse_key("C major + H")


def test_a_key_keeps_its_tonic_as_written_but_for_major_and_minor() -> None:
    """--key "C# Half-whole Dim." was said back as "Db half-whole-dim"; major and minor
    keys keep their key signature's spelling (Db major, G# minor, as above)."""
    from segue.model.keys import parse_key

    assert str(parse_key("C# Half-whole Dim.")) == "C# half-whole-dim"
    assert str(parse_key("Db Half-whole Dim.")) == "Db half-whole-dim"
    assert str(parse_key("db dorian")) == "Db dorian" and str(parse_key("C# dorian")) == "C# dorian"
    assert str(parse_key("A# 0,1,4,6,8")) == "A# 0,1,4,6,8"
    assert str(parse_key("Gb lydian + D")) == "Gb lydian + D"
    assert str(parse_key("C# major")) == "Db major" and str(parse_key("Ab minor")) == "G# minor"
    assert parse_key("C# Half-whole Dim.") == parse_key("Db half-whole-dim")  # the same key


def test_the_andalusian_cadence_s_raised_seventh_is_spelt_as_its_e_chord_s_third() -> None:
    """Am G F E (the Andalusian cadence) was said to be "A minor + Ab": its E chord's G#,
    harmonic minor's raised 7th, spelt as an Ab. It is A minor + G#, and so Em D C B is E
    minor + D#, F#m E D C# F# minor + E# (the leading tone on E's letter), and each is read
    back as the same key."""
    e_chord = (52, 56, 59)
    said = {
        "A minor + G#": pad_loop(AM, G, F, e_chord),
        "E minor + D#": pad_loop((52, 55, 59), (50, 54, 57), C, (47, 51, 54)),
        "F# minor + E#": pad_loop((54, 57, 61), (52, 56, 59), (50, 54, 57), (49, 53, 56)),
    }
    for name, loop in said.items():
        assert str(lock_key(loop)) == name
        assert parse_key(name) == lock_key(loop)


def test_a_minor_clip_with_both_its_sevenths_is_said_as_a_chart_writes_it() -> None:
    """The Andalusian cadence Am G F E as a lead of its chord tones (A C E C, G B D B, F A C
    A, E G# B G#) was said to be "A harmonic-minor + G", and as a pad "A minor + G#": the
    same notes, two names. A chart writes it in A minor, the G# where it is played: A minor
    + G#, either way, read back as the same key. Am Dm E7 Am, which plays G# and no G, is
    A harmonic-minor (Live's Harmonic Minor), the notes its lock holds."""
    lead = line_of(
        *((p, 1.0) for p in (81, 84, 88, 84, 79, 83, 86, 83, 77, 81, 84, 81, 76, 80, 83, 80))
    )
    for loop in (lead, pad_loop(AM, G, F, (52, 56, 59))):
        assert str(lock_key(loop)) == "A minor + G#"
        assert parse_key("A minor + G#") == lock_key(loop)
    e7 = (52, 56, 59, 62)
    assert str(lock_key(pad_loop(AM, DM, e7, AM))) == "A harmonic-minor"


def test_a_key_s_altered_notes_are_those_its_plain_major_or_minor_lacks() -> None:
    """The notes of a loop's key that a plain major or minor on its tonic lacks: the clip's
    own out of its scale (an Andalusian pad's G# in A minor), a harmonic minor's leading
    tone, a melodic minor's raised sixth and seventh (``takes.Turns``: a plain chord's third
    there is held)."""
    assert altered(Key(9, "minor", frozenset({8}))) == {8}
    assert altered(Key(0, "major", frozenset({1}))) == {1}
    assert altered(Key(9, "harmonic-minor")) == {8}
    assert altered(Key(9, "melodic-minor")) == {6, 8}
    assert altered(Key(0, "major")) == altered(Key(2, "dorian")) == altered(None) == set()


def test_an_open_third_s_key_is_named_and_read_as_a_musician_writes_it() -> None:
    """The key of a riff that leaves its third open reads "A no-third" back ("A (no third)",
    "A no 3rd" and its semitones too), holds the riff's own notes besides ("A no-third +
    Eb", its blue fifth passing) and its pitch mask allows those notes alone."""
    key = Key(9, "no-third")
    assert str(key) == "A no-third"
    for text in ("A no-third", "A (no third)", "a no 3rd", "A 0,2,5,7", "A-no-third"):
        assert parse_key(text) == key, text
    assert str(parse_key("F# (no third)")) == "F# no-third"
    riff = (*power_chords((45, 50, 52, 52)), Note(51, 7.75, 0.25, 80))  # an Eb3 into E5
    passing = open_third(riff, Key(9, "major"))
    assert passing == Key(9, "no-third", frozenset({3}))
    assert str(passing) == "A no-third + Eb" and parse_key(str(passing)) == passing
    assert np.flatnonzero(pitch_mask(passing, 60, 71)).tolist() == [62, 63, 64, 69, 71]
    assert open_third(riff, Key(9, "phrygian")) == Key(9, "phrygian")  # no B to share
