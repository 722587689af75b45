"""Of the keys with a loop's notes, the one it is at home in: its relative minor or major, a
mode's passing chord, a lydian vamp, a bass of roots."""

from __future__ import annotations

from key_clips import (
    AM,
    BB,
    DM,
    EM,
    C,
    F,
    G,
    auto_key_results,
    line_of,
    pad_loop,
    power_chords,
    root_bass,
    rotated_loop,
)

from segue.model.key_lock import lock_key
from segue.model.keys import Key
from segue.notes import Note


def test_a_loop_is_in_the_relative_minor_it_opens_on_and_comes_home_to() -> None:
    """An A minor pad loop, Am F C G over A1 F1 C2 G1 (i-VI-III-VII, the commonest minor
    loop), was said to be in C major: its bars vote for A as much as for C (each opens on
    its own chord), and C major's I IV V vi took it. Each pass opens on Am, and a musician
    hears A minor; so too Dm Bb F C (D minor, not F major) and an Em C G D arp (E minor, not
    G major). The same notes: the key holds the same pitch classes. A loop that opens on
    its major tonic (C G Am F, C Am F G), on its IV (F G C C), or opens on Am and ends on
    its V-I (Am F G C: a perfect cadence onto C) is in C major; a melody in C that starts
    on A and ends on C, in C major; one that starts on A and ends on A, in A minor."""
    am_f_c_g = pad_loop(AM, F, C, G)
    assert lock_key(am_f_c_g) == Key(9, "minor")
    assert lock_key(am_f_c_g).pitch_classes() == Key(0, "major").pitch_classes()
    assert lock_key(pad_loop(DM, BB, F, C)) == Key(2, "minor")
    em_c_g_d = tuple(
        Note(chord[i % 3] + 12, 4.0 * bar + 0.5 * i, 0.4, 90)
        for bar, chord in enumerate((EM, C, G, (50, 54, 57)))
        for i in range(8)
    )
    assert lock_key(em_c_g_d) == Key(4, "minor")
    for major in ((C, G, AM, F), (C, AM, F, G), (F, G, C, C), (AM, F, G, C), (G, AM, F, C)):
        assert lock_key(pad_loop(*major)) == Key(0, "major"), major
    melody = ((69, 1.0), (67, 0.5), (64, 0.5), (62, 1.0), (60, 1.0), (62, 0.5), (64, 0.5))
    melody += ((65, 1.0), (67, 1.0), (64, 1.0), (69, 0.5), (71, 0.5), (72, 1.0), (67, 1.0))
    assert lock_key(line_of(*melody, (65, 0.5), (64, 0.5), (62, 0.5), (59, 0.5), (60, 2.0))) == Key(
        0, "major"
    )
    assert lock_key(line_of(*melody, (65, 0.5), (64, 0.5), (62, 0.5), (71, 0.5), (69, 2.0))) == Key(
        9, "minor"
    )


def test_a_minor_loop_whose_flat_seventh_passes_between_its_chords_is_in_minor() -> None:
    """An A minor pad loop Am G F G over A1 G1 F1 G1 (i bVII bVI bVII, among the commonest
    minor loops in rock, EDM and film music) was said to be G mixolydian, and so were Em D C
    D (D mixolydian), Dm C Bb C, Gm F Eb F and Am F G G: the bVII opens two bars of four and
    voted for its own root twice as often as the i. Each pass opens on the minor chord and
    comes home to it; the bVII only passes between it and the bVI, a step from each. The
    same notes: the key holds the mode's pitch classes. A major loop that opens on its I
    and has its V as often (C G F G: I V IV V) is in C major; a mixolydian loop that opens
    on its I (G F C G), or comes to it by a fourth and holds it (C G G F, G F C G from its
    3rd bar), keeps its mode, and so do dorian's Dm7 G and phrygian's Em F."""
    gm, ab, eb, bb = (55, 58, 62), (56, 60, 63), (51, 55, 58), (58, 62, 65)
    em, d = (52, 55, 59), (50, 54, 57)
    minor = {
        "Am G F G": (pad_loop(AM, G, F, G), Key(9, "minor"), Key(7, "mixolydian")),
        "Em D C D": (pad_loop(em, d, C, d), Key(4, "minor"), Key(2, "mixolydian")),
        "Dm C Bb C": (pad_loop(DM, C, BB, C), Key(2, "minor"), Key(0, "mixolydian")),
        "Gm F Eb F": (pad_loop(gm, F, eb, F), Key(7, "minor"), Key(5, "mixolydian")),
        "Am F G G": (pad_loop(AM, F, G, G), Key(9, "minor"), Key(7, "mixolydian")),
        "Gm F Eb F arp": (
            tuple(
                Note(chord[i % 3] + 12, 4.0 * bar + 0.5 * i, 0.4, 90)
                for bar, chord in enumerate((gm, F, eb, F))
                for i in range(8)
            ),
            Key(7, "minor"),
            Key(5, "mixolydian"),
        ),
    }
    for name, (loop, key, mode) in minor.items():
        assert lock_key(loop) == key, name
        assert key.pitch_classes() == mode.pitch_classes(), name
    assert lock_key(pad_loop(C, G, F, G)) == Key(0, "major")
    assert lock_key(pad_loop((51, 55, 58), bb, ab, bb)) == Key(3, "major")  # Eb Bb Ab Bb
    g_f_c_g = pad_loop(G, F, C, G)
    for by in range(4):
        assert lock_key(rotated_loop(g_f_c_g, by)) == Key(7, "mixolydian"), by
    dm7, em7, fmaj7 = (50, 53, 57, 60), (52, 55, 59, 62), (53, 57, 60, 64)
    assert lock_key(pad_loop(dm7, G, dm7, G)) == Key(2, "dorian")
    assert lock_key(pad_loop(em7, fmaj7, em7, fmaj7)) == Key(4, "phrygian")


def test_a_minor_loop_started_from_its_bvi_or_bvii_is_still_in_minor() -> None:
    """Am G F G started from its F or its G (F G Am G, G Am G F, G F G Am) is the same loop,
    its G a neighbour between Am and F, and Am the chord that feels home: the minor chord
    with its bVI and bVII around it. They were said to be G mixolydian, and so was Am Dm G
    G (i iv bVII), whose G rises to the Am each pass opens on; all are A minor, and so in E
    (C D Em D, Em Am D D). G F C G (I bVII IV I) keeps its mode from every bar, and loops a
    musician hears either way keep the key they were read in: C G G F (C major's I V V IV,
    G mixolydian's IV I I bVII) and Am G G G, whose G holds three bars of four."""
    em, d = (52, 55, 59), (50, 54, 57)
    minor = {
        "F G Am G": (pad_loop(F, G, AM, G), Key(9, "minor")),
        "G Am G F": (pad_loop(G, AM, G, F), Key(9, "minor")),
        "G F G Am": (pad_loop(G, F, G, AM), Key(9, "minor")),
        "Am Dm G G": (pad_loop(AM, DM, G, G), Key(9, "minor")),
        "C D Em D": (pad_loop(C, d, em, d), Key(4, "minor")),
        "Em Am D D": (pad_loop(em, AM, d, d), Key(4, "minor")),
    }
    for name, (loop, key) in minor.items():
        assert lock_key(loop) == key, name
        assert lock_key(loop).pitch_classes() == key.pitch_classes(), name
    g_f_c_g = pad_loop(G, F, C, G)
    assert {lock_key(rotated_loop(g_f_c_g, by)) for by in range(4)} == {Key(7, "mixolydian")}
    assert lock_key(pad_loop(C, G, G, F)) == Key(7, "mixolydian")
    assert lock_key(pad_loop(AM, G, G, G)) == Key(7, "major")


def test_a_vamp_of_two_major_chords_a_step_apart_is_lydian_where_it_opens_on_the_lower() -> None:
    """Cmaj7 D (lydian's I II, its D chord's F# the #4) was said to be D mixolydian, the
    same notes; musicians call that vamp C lydian, and Fmaj7 G F lydian. Opened on the upper
    chord (D C: mixolydian's I bVII), or dwelling on it (Cmaj7 D D D), it stays mixolydian;
    Em7 Fmaj7 stays E phrygian (its i is minor)."""
    cmaj7, d = (48, 52, 55, 59), (50, 54, 57)
    fmaj7 = (53, 57, 60, 64)
    assert lock_key(pad_loop(cmaj7, d, cmaj7, d)) == Key(0, "lydian")
    assert lock_key(pad_loop(fmaj7, G, fmaj7, G)) == Key(5, "lydian")
    assert lock_key(pad_loop(C, d, C, d)) == Key(0, "lydian")
    assert lock_key(pad_loop(d, C, d, C)) == Key(2, "mixolydian")
    assert lock_key(pad_loop(cmaj7, d, d, d)) == Key(2, "mixolydian")
    em7 = (52, 55, 59, 62)
    assert lock_key(pad_loop(em7, fmaj7, em7, fmaj7)) == Key(4, "phrygian")


def test_key_auto_says_an_am_f_c_g_loop_is_in_a_minor(tmp_path) -> None:
    """`segue generate amfcg.mid --key auto` said "key C major" of an A minor pad loop (Am F
    C G over A1 F1 C2 G1), and the slip line and the device's status line with it. Read from
    a MIDI file, it is A minor, and its takes keep to the same notes, C major's."""
    for rng_seed, result in enumerate(auto_key_results(tmp_path, pad_loop(AM, F, C, G), 89), 1):
        assert str(result.key) == "A minor", rng_seed
        classes = {n.pitch % 12 for take in result.variations for n in take.clip.notes}
        assert classes <= Key(0, "major").pitch_classes(), rng_seed


def test_a_power_chord_riff_is_in_the_minor_key_its_roots_say() -> None:
    """A rock riff of power chords A5 G5 F5 G5 (root and fifth, no third: i bVII bVI bVII)
    was said to be F major (before, G dorian): the thirds left the mode open, and the plain
    key was the one with the notes of the G dorian read first (Bb), F major's iii ii I ii.
    It is in A minor, as the same loop of triads is, from whichever bar it starts, in 4/4
    and 3/4, on every tonic; so are E5 D5 C5 D5 and A5 F5 G5 G5 (E minor, A minor); and
    its lock holds B natural, the notes of the triads' loop."""
    for t in range(12):
        for bar in (4.0, 3.0):
            for name, roots, tonic in (
                ("A5 G5 F5 G5", (45, 43, 41, 43), 9),
                ("E5 D5 C5 D5", (40, 38, 36, 38), 4),
                ("A5 F5 G5 G5", (45, 41, 43, 43), 9),
            ):
                riff = power_chords(tuple(40 + (r + t - 40) % 12 for r in roots), bar)
                want = Key((tonic + t) % 12, "minor")
                for by in range(4):
                    turned = tuple(
                        sorted(
                            (
                                Note(n.pitch, (n.start - bar * by) % (4 * bar), 0.45, 96)
                                for n in riff
                            ),
                            key=lambda n: (n.start, n.pitch),
                        )
                    )
                    assert lock_key(turned, bar) == want, (name, t, bar, by)


def test_an_e_phrygian_vamp_whose_f_passes_between_em_and_g_is_e_phrygian() -> None:
    """Em F G F (i bII bIII bII, a metal and flamenco staple), opening on Em each pass with
    its F a neighbour above it, was said to be F lydian: the F opens two bars of four, and
    no plain key's tonic is a chord of the loop. It is E phrygian, as pads, power chords
    and in 3/4, and so are F G F Em (which lands on its Em) and Am Bb C Bb (A phrygian);
    the same notes as before. Em F Em F, a two-chord vamp, stays E phrygian."""
    phrygian = {
        "Em F G F": (pad_loop(EM, F, G, F), Key(4, "phrygian")),
        "F G F Em": (pad_loop(F, G, F, EM), Key(4, "phrygian")),
        "Am Bb C Bb": (pad_loop(AM, (58, 62, 65), C, (58, 62, 65)), Key(9, "phrygian")),
        "E5 F5 G5 F5": (power_chords((40, 41, 43, 41)), Key(4, "phrygian")),
    }
    for name, (loop, key) in phrygian.items():
        assert lock_key(loop) == key, name
    assert lock_key(power_chords((40, 41, 43, 41), 3.0), 3.0) == Key(4, "phrygian")
    assert Key(4, "phrygian").pitch_classes() == Key(5, "lydian").pitch_classes()
    assert lock_key(pad_loop(EM, F, EM, F)) == Key(4, "phrygian")


def test_a_root_only_bass_is_in_the_key_of_the_chord_it_opens_on_and_comes_home_to() -> None:
    """A root-only bass of Am G F G (A2 G2 F2 G2, a bar each: the aeolian shuttle) was read G
    minor, its G opening two bars of four (Bb and Eb where the song has B and E); Am F G G
    too; A Bb C Bb (a phrygian riff landing on A) Bb major (Eb for E); A D E E (I IV V V)
    E minor, A D E D D major, and their power chords likewise. The G and the Bb only pass
    between the chords either side, the E and the D are the V and the IV that go home to
    the A each pass opens on: A minor, A phrygian, and on A, in 4/4 and 3/4, every key."""
    loops = (
        ((33, 31, 29, 31), {"minor"}),  # from A1, as a bass of E1 to D#2 plays them
        ((33, 29, 31, 31), {"minor"}),
        ((33, 34, 36, 34), {"phrygian"}),
        ((33, 38, 40, 40), None),
        ((33, 38, 40, 38), None),
    )
    for t in range(12):
        for bar in (4.0, 3.0):
            for roots, modes in loops:
                moved = tuple(28 + (r + t - 28) % 12 for r in roots)
                parts = [root_bass(moved, style, bar) for style in ("whole", "eighths", "octave")]
                if modes is None:
                    parts.append(power_chords(moved, bar))
                for part in parts:
                    key = lock_key(part, bar)
                    assert key is not None and key.tonic == (9 + t) % 12, (roots, t, bar, key)
                    assert modes is None or key.mode in modes, (roots, t, bar, key)
