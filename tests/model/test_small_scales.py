"""The small scales a clip fills on its key's tonic: a pentatonic, the blues, a key whose third
it leaves open."""

from __future__ import annotations

from key_clips import auto_key_results, bars_of, line_of, power_chords, root_bass
from riffs import power_riff

from segue.model.key_lock import lock_key
from segue.model.keys import Key, parse_key
from segue.model.small_scales import open_third, small_key
from segue.notes import Clip, Note

A_PENTATONIC_LEAD = bars_of(
    ((69, 1.0), (72, 0.5), (74, 0.5), (76, 1.0), (74, 1.0)),
    ((72, 1.5), (69, 0.5), (67, 1.0), (69, 1.0)),
    ((76, 0.5), (79, 0.5), (76, 1.0), (74, 1.0), (72, 1.0)),
    ((74, 0.5), (72, 0.5), (69, 1.0), (69, 2.0)),
)
"""An A minor pentatonic lead of my own (A C D E G): no B nor F, the notes that A minor adds
(A dorian's would be B and F#, A phrygian's Bb and F)."""


def test_key_auto_keeps_a_pentatonic_lead_to_its_five_notes(tmp_path) -> None:
    """``--key auto`` locked an A minor pentatonic lead to A minor, and at --memory 0 and
    -t 1.5 (the network's own notes) 67 of 333 of its takes' notes (20%) were B or F, which
    the lead never plays; at --memory 1, 0 of 432 (its turns keep to the pentatonic
    already). It is locked to A minor pentatonic, the notes it says: none."""
    for rng_seed, result in enumerate(auto_key_results(tmp_path, A_PENTATONIC_LEAD, 81), 1):
        assert result.key == Key(9, "minor-pentatonic")
        classes = {n.pitch % 12 for take in result.variations for n in take.clip.notes}
        assert classes <= {9, 0, 2, 4, 7}, rng_seed


# an Andalusian pad (Am G F E, a chord a bar over its bass) and a secondary dominant (C A7 Dm G)
ANDALUSIAN = ((45, 69, 72, 76), (43, 67, 71, 74), (41, 65, 69, 72), (40, 64, 68, 71))
C_A7_DM_G = ((48, 67, 72, 76), (45, 67, 73, 76), (50, 65, 69, 74), (43, 67, 71, 74))


def _bars(chords: tuple[tuple[int, ...], ...]) -> tuple[Note, ...]:
    return tuple(Note(p, 4.0 * i, 3.9, 90) for i, chord in enumerate(chords) for p in chord)


def test_the_auto_lock_keeps_a_chord_s_third_out_of_the_key_where_no_small_scale_holds() -> None:
    """An Andalusian pad (Am G F E) is in A minor + G#, a C A7 Dm G pad in C major + C#:
    no small scale holds either, and ``small_key`` gave back A minor and C major without
    the clip's own G# and C#, so ``--key auto`` folded the E chord's G# to G in every take
    (helper-180: 0 of 96 takes kept it) and the A7's C# to C. A pentatonic clip's notes
    out of its scale are held as before."""
    for chords, key in (
        (ANDALUSIAN, Key(9, "minor", frozenset({8}))),
        (C_A7_DM_G, Key(0, "major", frozenset({1}))),
    ):
        notes = _bars(chords)
        assert lock_key(notes, 4.0, 16.0) == key
        assert small_key(notes, key) == key
    blues = Key(9, "minor", frozenset({3}))  # A minor + Eb: A C D Eb E G, A minor blues
    assert small_key(
        line_of((57, 1.0), (60, 1.0), (62, 1.0), (63, 1.0), (64, 1.0), (67, 1.0)), blues
    ) == Key(9, "minor-blues")


def test_an_andalusian_pad_s_takes_keep_its_e_chord_s_g_sharp_under_the_auto_lock() -> None:
    """Under ``--key auto`` every take of an Andalusian pad played its E chord (E2 E4 G#4
    B4) with G4, the loop's own G# folded into A minor's scale: the dominant of a minor key
    heard as a minor chord (helper-180). Its takes keep the G# where the loop plays it, and
    play no G natural on the E chord."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    for temperature in (0.3, 1.0):
        params = GenerationParams(
            key="auto", variations=4, bars=4, rng_seed=1, temperature=temperature
        )
        result = generate(producer, Clip(_bars(ANDALUSIAN), 16.0), params)
        assert result.key == Key(9, "minor", frozenset({8}))
        e_chords = [
            {n.pitch for n in take.clip.notes if 12.0 <= n.start < 16.0}
            for take in result.variations
        ]
        assert not any(p % 12 == 7 for chord in e_chords for p in chord), (temperature, e_chords)
        assert any(68 in chord for chord in e_chords), (temperature, e_chords)  # G#4


def _root_fifth_bass(roots: tuple[int, ...], bar: float = 4.0) -> tuple[Note, ...]:
    """A bass of its chords' roots and fifths in quarters, a chord a bar (A2 E3 A2 E3)."""
    return tuple(
        Note(root + 7 * (j % 2), bar * i + j, 0.9, 96)
        for i, root in enumerate(roots)
        for j in range(int(bar))
    )


def test_a_riff_that_never_sounds_its_tonic_s_third_leaves_it_open() -> None:
    """A rock riff of power chords or a root-fifth bass of I IV V or i iv v (A5 D5 E5 E5:
    A D E, no third) was locked to A major, and its takes at ``--key auto`` played C#, F#
    and G# it never plays (64 of 2048 notes, helper-200). It says neither third, nor a 6th
    or 7th: its key is the notes A major and A minor share, A B D E, named "A no-third",
    in every key, 4/4 and 3/4. Riffs that sound their third keep their key (A5 G5 F5 G5's
    F5 plays C: A minor), and so does a phrygian riff, whose Bb is no B."""
    for t in range(12):
        for bar in (4.0, 3.0):
            for roots in ((33, 38, 40, 40), (33, 38, 40, 38), (33, 33, 38, 40), (33, 38, 33, 40)):
                moved = tuple(28 + (r + t - 28) % 12 for r in roots)
                for part in (
                    power_chords(tuple(r + 12 for r in moved), bar),
                    _root_fifth_bass(moved, bar),
                    root_bass(moved, "eighths", bar),
                ):
                    read = lock_key(part, bar)
                    assert read is not None
                    key = small_key(part, read)
                    assert key == Key((9 + t) % 12, "no-third"), (roots, t, bar, read, key)
                    assert key.pitch_classes() == {(9 + t + s) % 12 for s in (0, 2, 5, 7)}
                    assert parse_key(str(key)) == key, str(key)
    for roots, kept in (((33, 31, 29, 31), "minor"), ((33, 34, 33, 34), "phrygian")):
        riff = power_chords(roots)
        assert small_key(riff, lock_key(riff)) == Key(9, kept)


def test_the_takes_of_a_power_chord_riff_play_no_third_it_leaves_open() -> None:
    """Under ``--key auto`` the takes of A5 D5 E5 E5 (I IV V V in 8ths) played C# and F#,
    its lock A major's (helper-200: 64 of 2048 notes at -n 4, rng 1-8): they keep to A B D
    E, and still differ from each other."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    riff = power_riff()  # A5 D5 E5 E5
    for rng in (1, 2, 3):
        result = generate(producer, riff, GenerationParams(key="auto", variations=4, rng_seed=rng))
        takes = [tuple((n.pitch, n.start) for n in t.clip.notes) for t in result.variations]
        outside = [p for take in takes for p, _ in take if p % 12 not in {9, 11, 2, 4}]
        assert outside == [] and len(set(takes)) == 4, (rng, outside)
        assert result.key == Key(9, "no-third")


def test_a_clip_without_its_tonic_and_fifth_has_no_third_to_leave_open() -> None:
    """Held C and Bb octaves on a pad (I bVII in C), read as Bb major, say Bb's 1 and 2
    alone: as "Bb no-third" (Bb C Eb F) their takes lost the C chord's G and D and answered
    as far as Eb2 under the next C3. A clip that never sounds its tonic and fifth keeps its
    key; an open fifth drone (D3 A3) and a root-only bass of I IV V V leave the third open."""
    pad = tuple(
        Note(root + step, at, 8.0, 96) for root, at in ((48, 0.0), (46, 8.0)) for step in (0, 12)
    )
    read = lock_key(pad)
    assert read == Key(10, "major")
    assert small_key(pad, read) == read
    assert open_third(pad, read) == read
    drone = (Note(50, 0.0, 16.0, 96), Note(57, 0.0, 16.0, 96))
    assert small_key(drone, Key(2, "major")) == Key(2, "no-third")
    bass = root_bass((36, 41, 43, 43), "eighths")  # C F G G: C's fifth G
    assert small_key(bass, lock_key(bass)) == Key(0, "no-third")
