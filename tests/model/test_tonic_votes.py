"""Where a clip says its tonic: the harmony each bar opens and ends on, and its lowest note,
in bars counted from the first downbeat after a pickup."""

from __future__ import annotations

from key_clips import E_PHRYGIAN_BASS, MODAL_LOOPS, bars_of, chord_loop, line_of, rotated_loop

from segue.model.key_lock import lock_key
from segue.model.keys import Key
from segue.model.pickups import first_downbeat
from segue.notes import Note

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
