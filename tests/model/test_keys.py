"""Keys and scales: reading a key lock, Live 12's scales, key detection, pitch masks."""

from __future__ import annotations

import numpy as np
import pytest
from key_clips import (
    AM,
    DM,
    E_PHRYGIAN_BASS,
    MODAL_LOOPS,
    C,
    F,
    G,
    auto_key_results,
    bars_of,
    chord_loop,
    line_of,
    pad_loop,
    power_chords,
    rotated_loop,
)

from segue.errors import SegueError
from segue.model.key_lock import lock_key
from segue.model.keys import (
    LIVE_SCALES,
    SCALES,
    Key,
    altered,
    detect_key,
    parse_key,
    pitch_mask,
    scale_name,
)
from segue.model.pickups import first_downbeat
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


def test_detect_key_on_scales() -> None:
    a_minor = [57, 59, 60, 62, 64, 65, 67, 69, 64, 60, 57]
    assert detect_key([Note(p, i, 1) for i, p in enumerate(a_minor)]) == Key(9, "minor")
    assert detect_key([]) is None


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


C_HOOK = ((64, 0.5), (67, 0.5), (69, 0.5), (67, 0.5), (64, 1.0), (62, 0.5), (60, 0.5)) * 2
"""E G A G E- D C, twice: a hook of C D E G A whose longest note is its E."""


F_LEAD = ((72, 0.5), (74, 0.5), (72, 1.0), (69, 0.5), (67, 0.5), (69, 0.5), (65, 0.5)) * 2
"""C D C- A G A F, twice: a lead of F G A C D that ends on F, its lowest note."""


def test_the_auto_key_lock_is_on_the_tonic_the_clip_opens_or_ends_on() -> None:
    """Among keys that hold all of a clip's notes, the key profile alone chose: a C major
    hook was locked to E minor (its takes played F#, not F), an F major lead to C major
    (B natural, not Bb), an A minor bass (A F C G, lowest F) to F major (Bb), and an Am F
    C G chord loop to C major (helper-73). The tonic is now the one the clip says where
    it opens, where it ends and where it goes lowest."""
    assert lock_key(line_of(*C_HOOK)) == Key(0, "major")
    e_first = ((64, 0.5), (64, 0.5), (67, 0.5), (69, 0.5), (67, 0.5), (64, 0.5), (62, 0.5))
    assert lock_key(line_of(*(e_first + ((60, 0.5),)) * 2)) == Key(0, "major")
    assert lock_key(line_of(*F_LEAD)) == Key(5, "major")
    g_first = ((67, 0.5), (69, 0.5), (72, 0.5), (69, 0.5), (67, 0.5), (65, 0.5), (67, 1.0))
    assert lock_key(line_of(*g_first * 2, (65, 1.0))) == Key(5, "major")
    # A F C G, a bar each, and Am F C G: the notes of C major (B natural, not F major's Bb)
    # from whichever bar they start; A minor where each pass opens on A (the relative
    # minor's i-VI-III-VII), C major where it opens on F, C or G
    a_minor_bass = line_of(*((p, 0.5) for p in (45, 45, 41, 41, 48, 48, 43, 43) for _ in range(4)))
    assert [lock_key(rotated_loop(a_minor_bass, by)) for by in range(4)] == [
        Key(9, "minor"),
        *[Key(0, "major")] * 3,
    ]
    am_f_c_g = chord_loop((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))  # 2 a bar
    assert [lock_key(rotated_loop(am_f_c_g, by)) for by in range(4)] == [
        Key(9, "minor"),
        Key(0, "major"),
    ] * 2


def test_an_arp_opens_on_the_root_of_its_chord_not_on_its_lowest_note() -> None:
    """An Am-G arp in 16ths, its chords from their fifths up (E A C, D G B), was locked to
    G major, whose F# it never plays (helper-73). The harmony it opens on is the A minor
    chord it spells, not the E it starts from."""
    chords = ((64, 69, 72), (62, 67, 71))
    arp = tuple(
        Note(chord[i % 3], 4.0 * bar + i / 4, 0.2, 90)
        for bar, chord in enumerate(chords * 2)
        for i in range(16)
    )
    assert lock_key(arp) == Key(9, "minor")


def test_an_f_major_lead_s_takes_play_its_bb_and_no_b_natural(tmp_path) -> None:
    """The F major lead C D C- A G A F (no Bb nor B in it), locked to C major, had its
    takes play B natural: 15 of 155 notes, at -t 1.5 and --memory 0, where the network
    plays notes of its own (helper-73). Read from a MIDI file and locked to F major, they
    play none; it fills F major's pentatonic, and is locked to it (helper-109)."""
    import pretty_midi

    from segue.midi_io import read_part
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    midi = pretty_midi.PrettyMIDI(initial_tempo=120)
    lead = pretty_midi.Instrument(program=81)
    for note in line_of(*F_LEAD):  # 120 bpm: a beat is half a second
        lead.notes.append(pretty_midi.Note(96, note.pitch, note.start / 2, note.end / 2))
    midi.instruments.append(lead)
    midi.write(str(tmp_path / "lead.mid"))
    seed, _ = read_part(tmp_path / "lead.mid")
    producer = load_checkpoint(find_model("producer")).model
    for rng_seed in (1, 2, 3):
        params = GenerationParams(
            key="auto", variations=4, temperature=1.5, memory=0.0, rng_seed=rng_seed
        )
        result = generate(producer, seed, params)
        assert result.key == Key(5, "major-pentatonic")
        classes = {n.pitch % 12 for take in result.variations for n in take.clip.notes}
        assert 11 not in classes, rng_seed


def test_a_tune_s_first_note_is_no_harmony() -> None:
    """A tune that opens on its third or fifth and goes no lower: its first note counted as
    the harmony it opens on (two votes) and its lowest as a third, so a C major hook of E G
    A G E D C that never goes below its E was locked to E minor (its takes played F#), a G
    pickup into a C pentatonic hook to G major, and an F major hook opening on its A3 to A
    minor (B natural, helper-81). A tune's single first note is melody; its last note and
    its tonic triad say its key."""
    e_hook = ((64, 0.5), (67, 0.5), (64, 0.5), (67, 0.5), (69, 0.5), (67, 0.5), (64, 0.5))
    assert lock_key(line_of(*(e_hook + ((74, 0.5), (72, 1.0))) * 2)) == Key(0, "major")
    g_pickup = ((67, 0.5), (69, 0.5), (72, 0.5), (74, 0.5), (76, 0.5), (74, 0.5), (72, 1.0))
    assert lock_key(line_of(*g_pickup * 2)) == Key(0, "major")
    a_hook = ((57, 0.5), (60, 0.5), (57, 0.5), (60, 0.5), (62, 0.5), (60, 0.5), (57, 0.5))
    assert lock_key(line_of(*(a_hook + ((67, 0.5), (65, 1.0))) * 2)) == Key(5, "major")
    a_bass = ((45, 0.5), (45, 0.5), (41, 0.5), (41, 0.5), (48, 0.5), (48, 0.5), (43, 1.0))
    assert lock_key(line_of(*a_bass * 2)) == Key(9, "minor")  # a bass's first note: harmony


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


def test_a_dm_g_triad_vamp_is_d_dorian_and_its_takes_play_no_c_sharp(tmp_path) -> None:
    """A Dm G pad of triads (D F A, G B D: no C) holds as much of D melodic minor as of D
    dorian, and --key auto locked it to D melodic minor, whose C# the clip never plays; its
    takes at -t 1.5 and --memory 0 could play C#. Dm G is D dorian (B natural, C natural),
    and its takes play no C#."""
    assert lock_key(pad_loop(DM, G, DM, G)) == Key(2, "dorian")
    for rng_seed, result in enumerate(auto_key_results(tmp_path, pad_loop(DM, G, DM, G), 89), 1):
        assert result.key == Key(2, "dorian"), rng_seed
        classes = {n.pitch % 12 for take in result.variations for n in take.clip.notes}
        assert 1 not in classes, rng_seed


def _pickup_clip(pickup: tuple[tuple[int, float], ...], body: tuple[Note, ...], form: str):
    """``body`` (4 bars from beat 0) after ``pickup`` ((pitch, beats) notes), as Live sends
    it: "marker", the clip's start marker moved back to the pickup (its notes from there,
    the clip 16 beats and the pickup's long); "bar", a clip of 5 bars whose first holds
    nothing but the pickup, in its last beats (as a MIDI file reads one written as a short
    bar)."""
    from segue.notes import Clip

    span = sum(beats for _, beats in pickup)
    at = 0.0 if form == "marker" else 4.0 - span
    lead = line_of(*pickup)
    later = at + span
    notes = tuple(Note(n.pitch, n.start + at, n.duration, n.velocity) for n in lead)
    notes += tuple(Note(n.pitch, n.start + later, n.duration, n.velocity) for n in body)
    return Clip(notes, 16.0 + span if form == "marker" else 20.0)


D_DORIAN_BASS = bars_of(  # Dm7 G Dm7 G, B natural
    ((38, 1.0), (38, 0.5), (50, 0.5), (48, 1.0), (45, 1.0)),
    ((43, 1.0), (43, 0.5), (55, 0.5), (47, 1.0), (45, 1.0)),
    ((38, 1.0), (38, 0.5), (50, 0.5), (48, 1.0), (45, 1.0)),
    ((43, 1.0), (43, 0.5), (47, 0.5), (48, 1.0), (40, 1.0)),
)
"""A D dorian bass of my own over Dm7 and G: D2 and G2 on the downbeats."""


PICKUP_CLIPS = (
    (Key(4, "phrygian"), ((35, 0.5), (36, 0.5), (38, 0.5)), E_PHRYGIAN_BASS),  # B1 C2 D2
    (Key(2, "dorian"), ((33, 0.5), (36, 0.5)), D_DORIAN_BASS),  # A1 C2
    (  # C G Am F, walking up G1 A1 B1 into C2
        Key(0, "major"),
        ((31, 0.5), (33, 0.5), (35, 0.5)),
        bars_of(
            ((36, 1.5), (36, 0.5), (43, 1.0), (36, 1.0)),
            ((43, 1.5), (43, 0.5), (38, 1.0), (43, 1.0)),
            ((45, 1.5), (45, 0.5), (40, 1.0), (45, 1.0)),
            ((41, 1.5), (41, 0.5), (36, 1.0), (43, 1.0)),
        ),
    ),
    (  # an E4 leading a tune into A4
        Key(9, "minor"),
        ((64, 1.0),),
        bars_of(
            ((69, 2.0), (72, 1.0), (71, 1.0)),
            ((69, 1.0), (67, 1.0), (64, 2.0)),
            ((65, 1.0), (69, 1.0), (72, 1.0), (74, 1.0)),
            ((71, 1.0), (67, 1.0), (69, 2.0)),
        ),
    ),
)
"""Clips of my own in E phrygian, D dorian, C major and A minor, each after its pickup."""


def test_a_pickup_leads_into_the_first_bar_and_is_no_bar_of_its_own() -> None:
    """A clip that opens with a pickup was read in bars from its beat 0: with its start
    marker moved back to the pickup, every bar straddled two harmonies, and the E phrygian
    bass was read C major, the C G Am F bass G mixolydian, the A minor tune C major, the D
    dorian bass A minor (which its A1 C2 pickup also made it in a clip whose first bar holds
    the pickup alone): 5 of the 8 clips. The bars are read from the first downbeat, the
    pickup none of them; each clip's key is its loop's without the pickup."""
    for key, pickup, body in PICKUP_CLIPS:
        assert lock_key(body) == key
        marker = _pickup_clip(pickup, body, "marker")
        span = sum(beats for _, beats in pickup)
        assert first_downbeat(marker.notes, 4.0, marker.length) == span
        assert lock_key(marker.notes, 4.0, marker.length) == key, (key, "marker")
        bar = _pickup_clip(pickup, body, "bar")
        assert first_downbeat(bar.notes, 4.0, bar.length) == 4.0
        assert lock_key(bar.notes, 4.0, bar.length) == key, (key, "bar")
    # loops without a pickup are read from their beat 0, as before, from every bar
    loops = [loop for loops in MODAL_LOOPS.values() for loop in loops]
    for loop in loops + [body for _, _, body in PICKUP_CLIPS]:
        for by in range(4):
            assert first_downbeat(rotated_loop(loop, by), 4.0, 16.0) == 0.0
    # a note struck in the first bar's last beats and held over the bar line is the next
    # bar's harmony struck early (an anticipation): no pickup
    held = (
        Note(43, 3.5, 1.5, 96),
        *(Note(n.pitch, n.start + 4, n.duration) for n in D_DORIAN_BASS),
    )
    assert first_downbeat(held, 4.0, 20.0) == 0.0


def test_key_auto_reads_a_pickup_clip_from_its_first_downbeat(tmp_path) -> None:
    """The D dorian bass after its A1 C2 pickup, written to a MIDI file with pretty_midi in
    a bar that holds nothing else, was locked to A minor at --key auto; with its start
    marker before bar 1 (17 beats, as the device sends it), the E phrygian bass to C major.
    Both are read in their own key."""
    import pretty_midi

    from segue.midi_io import read_part
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    midi = pretty_midi.PrettyMIDI(initial_tempo=120)
    part = pretty_midi.Instrument(program=33)
    for note in _pickup_clip(((33, 0.5), (36, 0.5)), D_DORIAN_BASS, "bar").notes:
        part.notes.append(pretty_midi.Note(96, note.pitch, note.start / 2, note.end / 2))
    midi.instruments.append(part)
    midi.write(str(tmp_path / "pickup.mid"))
    seed, _ = read_part(tmp_path / "pickup.mid")
    marker = _pickup_clip(((35, 0.5), (36, 0.5), (38, 0.5)), E_PHRYGIAN_BASS, "marker")
    producer = load_checkpoint(find_model("producer")).model
    for clip, key in ((seed, Key(2, "dorian")), (marker, Key(4, "phrygian"))):
        params = GenerationParams(key="auto", variations=2, rng_seed=1, bars=1)
        assert generate(producer, clip, params).key == key


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
