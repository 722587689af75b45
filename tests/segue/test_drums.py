"""The General MIDI drum map and the Drum Rack's layout."""

from __future__ import annotations

from segue.drums import CRASHES, FIRST_PAD, GM_DRUMS, GM_NOTES, drum_name, family, fill_pads, pad


def test_the_general_midi_drum_map() -> None:
    assert GM_NOTES == tuple(range(35, 82))  # GM level 1: 35 to 81, every note
    assert (family(36), family(38), family(42), family(46), family(51)) == (
        "kick",
        "snare",
        "hat",
        "open hat",
        "ride",
    )
    assert CRASHES == (49, 57)
    assert family(30) is None and family(90) is None
    assert len({d.name for d in GM_DRUMS}) == len(GM_DRUMS)


def test_the_drum_racks_pads_start_on_c1() -> None:
    assert FIRST_PAD == 36
    assert pad(36) == (0, 0) and pad(51) == (0, 15) and pad(52) == (1, 0)
    assert pad(35) is None
    assert drum_name(38) == "Acoustic Snare"
    assert drum_name(100) == "pad 1 of page 5"


def test_fills_are_played_on_snares_and_toms_or_else_claps_and_rims_or_else_hats() -> None:
    assert fill_pads([36, 38, 42, 45, 50]) == (38, 45, 50)
    assert fill_pads([36, 39, 42]) == (39,)
    assert fill_pads([36, 42, 46, 100]) == (42,)  # a kick and hats: a hat roll
    assert fill_pads([42, 44, 46]) == (42, 44)
    assert fill_pads([36, 46]) == (46,)
    assert fill_pads([36, 100]) == ()


def test_a_hat_loop_without_a_kick_looks_like_a_hat_part_and_a_line_does_not() -> None:
    from segue.drums import looks_like_drums, looks_like_hats

    hats = [(b / 4, 42) for b in range(32)] + [(b + 0.5, 46) for b in range(8)]
    clap = hats + [(b, 39) for b in (1.0, 3.0, 5.0, 7.0)]
    assert not looks_like_drums(hats) and not looks_like_drums(clap)  # no kick
    assert looks_like_hats(hats) and looks_like_hats(clap)
    riff = [(i / 2, p) for i, p in enumerate([42, 44, 46, 37, 39] * 4)]  # F# pentatonic
    assert not looks_like_hats(riff)  # one note at a time through 5 pitches: a line
    assert not looks_like_hats([(b, 39) for b in range(8)] + [(0.5, 42)])  # claps keep time
    assert not looks_like_hats([(0.0, 42), (0.5, 60)])  # a note off the hats and claps
    assert not looks_like_hats([])


def test_a_beat_on_gm_drum_notes_looks_like_drums_and_a_bass_line_does_not() -> None:
    from segue.drums import looks_like_drums

    house = [(b / 2, 36) for b in range(0, 8, 2)] + [(b / 4, 42) for b in range(16)]
    house += [(1.0, 39), (3.0, 39)]
    assert looks_like_drums(house)
    bass = [(float(i), p) for i, p in enumerate([36, 39, 42, 39, 36, 38, 42, 46])]
    assert not looks_like_drums(bass)  # C, E flat, F sharp: GM notes, one at a time
    assert not looks_like_drums(house + [(0.5, 30)])  # a note off the GM map: a custom rack
    assert not looks_like_drums([(0.0, 36), (0.0, 42), (1.0, 36), (1.0, 42)])  # no snare
    assert not looks_like_drums([])
    # an octave bass in C minor, every note doubled an octave up, on kick, clap and hat notes
    line = [36, 39, 41, 43, 46, 43, 42, 39]  # C2 Eb2 F2 G2 Bb2 G2 F#2 Eb2
    octaves = [(i / 2, p + up) for i, p in enumerate(line) for up in (0, 12)]
    assert not looks_like_drums(octaves)
    assert looks_like_drums(house + [(0.0, 48)])  # a kick and a tom an octave up: still a beat


def test_power_chords_and_keyboard_chords_on_drum_notes_are_no_beat() -> None:
    """A bass line in power chords in C minor (C2+G2, Eb2+Bb2, F2+C3, G2+D3) lies on a
    kick, toms, a clap and an open hat, and F sharp minor's (F#2+C#3, B1+F#2 ...) on a hat,
    a crash and a kick: both were taken for beats, and ``auto`` now gives a beat on a
    melodic channel the drum model. One shape struck on three lowest notes or more moves as
    a line; four notes struck at half the onsets are chords. A beat's kick and clap, and
    its clap and hat, lie a minor third apart, one shape on two notes: still a beat."""
    from segue.drums import looks_like_drums

    for roots in ([36, 36, 39, 39, 41, 41, 43, 38], [42, 42, 45, 45, 35, 35, 38, 40]):
        fifths = [(i / 2, r + up) for i, r in enumerate(roots * 2) for up in (0, 7)]
        assert not looks_like_drums(fifths), roots
    chords = [(4.0 * b, p) for b, c in enumerate([(44, 56, 59, 63), (40, 56, 59, 63)]) for p in c]
    chords += [(4.0 * b + 2, p) for b, c in enumerate([(35, 51, 54), (42, 49, 54)]) for p in c]
    assert not looks_like_drums(chords)  # a keyboard's chords over a bass in the 2nd octave
    house = [(float(b), 36) for b in range(8)] + [(b + 0.5, 42) for b in range(8)]
    house += [(b + 1.0, 39) for b in range(0, 8, 2)] + [(7.5, 39)]  # a clap on the last hat
    assert looks_like_drums(house)


def test_a_part_on_a_kit_s_kick_and_snare_or_hat_may_be_drums_and_a_lead_is_not() -> None:
    """`--model drums` on a lead played pads on the lead's synth without a word: a lead
    lies on GM percussion (bongos to a triangle) but on no kick, snare or hat (helper-69)."""
    from segue.drums import may_be_drums

    assert may_be_drums([36, 42, 36, 42])  # a kick and hat pattern, on channel 1
    assert may_be_drums([36, 38, 42, 46])
    assert not may_be_drums([67, 69, 71, 72, 74, 76, 79])  # a lead: all on the GM map
    assert not may_be_drums([36, 38, 42, 30])  # a note below the map
    assert not may_be_drums([38, 42, 46])  # no kick
    assert not may_be_drums([])


def test_a_line_on_gm_drum_notes_is_no_beat_and_a_kick_and_hat_pattern_may_be() -> None:
    """`--model drums` on a bass line from C2 to C3 (on a kick, a snare, a clap, toms and
    hats) played it as pads without a word: the part may have been a beat by its notes. One
    note at a time through 5 pitches or more, it moves as a line; a kick and hat pattern one
    hit at a time, and a beat played by hand (its hits a few ms apart), may be a beat."""
    from segue.drums import not_a_beat

    walk = [36, 36, 48, 36, 39, 41, 42, 43, 36, 36, 46, 36, 43, 41, 39, 38]
    bass = [(i / 2, p) for i, p in enumerate(walk)]
    assert not_a_beat(bass) == "one note at a time through 8 pitches, as a line moves"
    assert not_a_beat([(i / 2, (36, 42)[i % 2]) for i in range(16)]) is None
    played = [(i / 2 + 0.04 * (p == 42), p) for i in range(16) for p in (42, (36, 38)[i % 2])]
    played += [(7.75, 46), (7.8, 49), (7.0, 45)]  # a played beat: kick and hat 20 ms apart
    assert not_a_beat(played) is None
    assert not_a_beat([(i / 2, p) for i, p in enumerate([36, 38, 42, 46])]) is None
    assert not_a_beat([(0.0, 67), (1.0, 69)]) == "no kick, or notes off the drum kit"
