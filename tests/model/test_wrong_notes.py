"""A played wrong note: told from the music's own chromatic notes, and said in one line."""

from __future__ import annotations

import random
from pathlib import Path

import pretty_midi

from segue.midi_io import read_part
from segue.model.keys import parse_key
from segue.model.wrong_notes import slip_notice, slips, where
from segue.notes import Clip, Note, TimeSignature

LEAD = [
    [60, 64, 67, 64, 65, 67, 69, 67],
    [65, 69, 72, 69, 67, 65, 64, 62],
    [60, 64, 67, 72, 71, 67, 64, 62],
    [60, 62, 64, 65, 67, 65, 64, 60],
]
"""A C major lead in 8ths, 4 bars."""
BASS = [[36, 36, 43, 36] * 2, [41, 41, 48, 41] * 2, [45, 45, 52, 45] * 2, [43, 43, 50, 43] * 2]
"""A C F Am G bass in 8ths: root, root, fifth, root."""


def played(path: Path, notes: list[tuple[int, float, float]], program: int = 81) -> Clip:
    """``notes`` (pitch, start and length in beats) played in at 120 BPM, each a little off
    the grid and at a velocity of its own, written to a MIDI file and read back."""
    rnd = random.Random(str(path.name))
    midi = pretty_midi.PrettyMIDI(initial_tempo=120)
    track = pretty_midi.Instrument(program=program)
    for pitch, start, length in notes:
        at = max(0.0, start + rnd.uniform(-0.02, 0.02))
        track.notes.append(pretty_midi.Note(rnd.randint(85, 105), pitch, at / 2, (at + length) / 2))
    midi.instruments.append(track)
    midi.write(str(path))
    return read_part(path)[0]


def line(bars: list[list[int]], length: float = 0.45) -> list[tuple[int, float, float]]:
    return [(p, 4 * b + 0.5 * i, length) for b, bar in enumerate(bars) for i, p in enumerate(bar)]


def with_note(bars: list[list[int]], bar: int, index: int, pitch: int) -> list[list[int]]:
    out = [list(b) for b in bars]
    out[bar][index] = pitch
    return out


def test_a_wrong_note_played_once_off_the_beat_is_named_with_its_place_and_the_key(
    tmp_path,
) -> None:
    """An F#4 for the F4 of bar 2, beat 3.5 (a neighbour key caught), and a bass's Bb2 for
    A2 at bar 3, beat 3.5: each the clip's one note of its class, short, off the beat, left
    by a leap or a whole step. The bass's slip reads the clip in F major (its takes all
    played the Bb); the line says so and names the key of all the other notes."""
    lead = played(tmp_path / "lead.mid", line(with_note(LEAD, 1, 5, 66)))
    assert [(n.pitch, str(k)) for n, k, _ in slips(lead.notes)] == [(66, "C major")]
    assert slip_notice(lead) == (
        "F#4 at bar 2 beat 3.5 is played once and off C major, a slip? "
        "--key C-major leaves it out of the takes"
    )
    bass = played(tmp_path / "bass.mid", line(with_note(BASS, 2, 5, 46), 0.4), program=33)
    assert slip_notice(bass) == (
        "A#2 at bar 3 beat 3.5 is played once and off C major, a slip? --key auto reads "
        "F major with it; --key C-major leaves it out of the takes"
    )


def test_the_music_s_own_chromatic_notes_are_no_slip(tmp_path) -> None:
    """Played as meant, none is named: a blue note bent into the third in every bar (Eb4
    E4), a chromatic passing note that recurs (G G# A in bars 1 and 3) or is played once
    (E F F# G), an F# struck on a downbeat and held two beats, a chromatic approach to the
    next note (Bb2 A2), and the clip with no note off its key."""
    blues = [
        note
        for b in range(4)
        for note in (
            (60, 4 * b, 0.5),
            (63, 4 * b + 0.5, 0.25),
            (64, 4 * b + 0.75, 0.75),
            (67, 4 * b + 1.5, 0.5),
            (69, 4 * b + 2, 1.0),
            (67, 4 * b + 3, 1.0),
        )
    ]
    recurring = with_note(with_note(LEAD, 0, 5, 68), 2, 5, 68)  # ... G G# A
    recurring[0][4], recurring[0][6] = 67, 69
    recurring[2][4], recurring[2][6] = 67, 69
    once = with_note(LEAD, 1, 0, 64)
    once[1][1:4] = [65, 66, 67]  # E F F# G
    held = [n for n in line(LEAD) if not 8.0 < n[1] < 10.0]
    held = [(66, 8.0, 2.0) if n[1] == 8.0 else n for n in held]
    approach = with_note(BASS, 2, 3, 46)  # Bb2 before the A2 of beat 3
    clips = {
        "blues": played(tmp_path / "blues.mid", blues),
        "recurring": played(tmp_path / "recurring.mid", line(recurring)),
        "once": played(tmp_path / "once.mid", line(once)),
        "held": played(tmp_path / "held.mid", held),
        "approach": played(tmp_path / "approach.mid", line(approach, 0.4), program=33),
        "clean": played(tmp_path / "clean.mid", line(LEAD)),
    }
    assert {name: slip_notice(clip) for name, clip in clips.items()} == dict.fromkeys(clips)


def test_generate_in_key_auto_says_the_slip_and_the_key_it_names_leaves_it_out(
    tmp_path, segue_cli
) -> None:
    """`segue generate --key auto` on the bass with its Bb2 slip: the takes (in F major)
    play the Bb, and one line says so; `--key C-major`, as the line advises, leaves it out
    of every take, and says nothing."""
    import pretty_midi as pm

    played(tmp_path / "bass.mid", line(with_note(BASS, 2, 5, 46), 0.4), program=33)
    for key, said in (("auto", True), ("C-major", False)):
        out = tmp_path / f"{key}.mid"
        args = ("generate", tmp_path / "bass.mid", "--model", "producer", "-n", "4")
        run = segue_cli(*args, "--key", key, "--rng-seed", "1", "-o", out)
        assert run.returncode == 0, run.stderr
        assert ("A#2 at bar 3 beat 3.5 is played once and off C major" in run.stderr) is said
        takes = [pm.PrettyMIDI(str(tmp_path / f"{key}-{i}.mid")) for i in range(1, 5)]
        bb = [sum(n.pitch % 12 == 10 for t in m.instruments for n in t.notes) for m in takes]
        assert all(bb) if said else not any(bb), (key, bb)


TUNE = [
    (72, 0.0, 0.9), (74, 0.5, 0.45), (76, 1.0, 0.9), (79, 1.5, 0.45), (76, 2.0, 0.9),
    (74, 2.5, 0.45), (72, 3.0, 0.9), (76, 4.0, 0.9), (77, 4.5, 0.45), (79, 5.0, 0.9),
    (81, 5.5, 0.45), (79, 6.0, 0.9), (77, 6.5, 0.45), (76, 7.0, 0.9), (74, 8.0, 0.9),
    (76, 8.5, 0.45), (77, 9.0, 0.9), (79, 9.5, 0.45), (81, 10.0, 0.9), (79, 11.0, 0.9),
    (76, 12.0, 0.9), (74, 13.0, 0.9), (72, 13.5, 0.45), (72, 14.0, 0.9),
]  # fmt: skip
"""A C major lead of quarters and 8ths, 4 bars (helper-134's audit)."""


def tune(changes: dict[float, int]) -> list[tuple[int, float, float]]:
    return [(changes.get(start, pitch), start, length) for pitch, start, length in TUNE]


def test_a_blue_note_a_mode_s_note_an_enclosure_and_a_late_downbeat_are_no_slip(
    tmp_path,
) -> None:
    """Each of these was named a slip, and each is the music's: a blue b3 (Eb5) falling a
    third to C5, a blue b7 (Bb4) over the I bar leaping down to G4, a Bb4 that makes the
    lead read as C mixolydian, a bebop enclosure (C#5 B4 C5 in 8ths: the note after next
    resolves it), an A minor lead's raised 7th (G#4) leaping up to E5 (the harmonic minor),
    and an F#5 struck on beat 2 played 45 ms late (0.09 beats at 120 BPM: on the beat)."""
    enclosure = [
        (p, 0.5 * i, 0.45)
        for i, p in enumerate([76, 74, 72, 71, 69, 67, 65, 64, 62, 65, 69, 72, 71, 67, 64, 62])
    ] + [
        (p, 8 + 0.5 * i, 0.45)
        for i, p in enumerate([64, 65, 67, 69, 71, 73, 71, 72, 76, 74, 72, 71, 72])
    ]
    minor = [
        (p, 0.5 * i, 0.45)
        for i, p in enumerate(
            [69, 72, 76, 72, 74, 72, 71, 69, 74, 77, 81, 77, 76, 68, 76, 71]
            + [72, 76, 79, 76, 74, 72, 71, 72, 69, 71, 72, 76, 69]
        )
    ]
    late = [(p, s, 0.45 if s == 5.0 else length) for p, s, length in tune({5.0: 78})]
    clips = {
        "blue_b3": played(tmp_path / "blue_b3.mid", tune({13.5: 75})),
        "blue_b7": played(tmp_path / "blue_b7.mid", tune({2.5: 70, 3.0: 67})),
        "mixolydian": played(tmp_path / "mixolydian.mid", tune({6.5: 70})),
        "enclosure": played(tmp_path / "enclosure.mid", enclosure),
        "raised_7th": played(tmp_path / "raised_7th.mid", minor),
        "late": played(tmp_path / "late.mid", [(p, s + 0.09 * (s == 5.0), d) for p, s, d in late]),
    }
    assert {name: slip_notice(clip) for name, clip in clips.items()} == dict.fromkeys(clips)


def test_a_slip_is_a_semitone_from_what_the_hand_meant(tmp_path) -> None:
    """Still named: an F#5 for the G5 of a run F G A (its A held a quarter, then G5: no
    enclosure's even figure), a C#2 in a bass's bar of A C E, an F#4 for the F4 that a
    one-bar loop plays in its other three passes; and (the first test) a bass's Bb2 among
    the A2s of its bar, a b7 of C major but a minor ninth over the bar's root."""
    bass = [(36, 0.0, 0.9), (43, 1.0, 0.9), (40, 1.5, 0.45), (41, 2.0, 0.9), (43, 3.0, 0.9)]
    bass += [(45, 4.0, 0.9), (43, 5.0, 0.9), (41, 5.5, 0.45), (40, 6.0, 0.9), (38, 7.0, 0.9)]
    bass += [(36, 8.0, 0.9), (40, 9.0, 0.9), (43, 9.5, 0.45), (45, 10.0, 0.45)]
    bass += [(37, 10.5, 0.45), (45, 11.0, 0.9), (43, 12.0, 0.9), (41, 13.0, 0.9)]
    bass += [(40, 13.5, 0.45), (38, 14.0, 0.9), (36, 15.0, 0.9)]
    loop = line(with_note([[60, 64, 67, 64, 62, 65, 69, 65]] * 4, 2, 5, 66))
    clips = {
        "run": played(tmp_path / "run.mid", tune({9.5: 78})),
        "bass": played(tmp_path / "bass.mid", bass, program=33),
        "loop": played(tmp_path / "loop.mid", loop),
    }
    said = {name: [n.pitch for n, *_ in slips(c.notes, 4.0, c.length)] for name, c in clips.items()}
    assert said == {"run": [78], "bass": [37], "loop": [66]}


def bar_two(bars: list[list[int]], notes: list[tuple[int, float, float]], held: bool = False):
    """``bars`` in 8ths with bar 2 played as ``notes``, over the C Dm G C chords held a bar
    each in a keyboard's left hand where ``held``."""
    chords = [(48, 52, 55), (50, 53, 57), (43, 47, 50), (48, 52, 55)]
    pad = [(p, 4.0 * b, 3.9) for b, chord in enumerate(chords) for p in chord] if held else []
    return [n for n in line(bars) if not 4 <= n[1] < 8] + pad + notes


SONG = [
    [60, 64, 67, 64, 72, 67, 64, 62],
    [62, 65, 69, 65, 62, 65, 69, 72],
    [67, 71, 74, 71, 67, 65, 62, 59],
    [60, 64, 67, 72, 67, 64, 62, 60],
]
"""A C major lead in 8ths over C Dm G C, 4 bars."""


def test_a_major_key_s_b5_moving_in_the_blues_scale_or_bent_into_the_5th_is_no_slip(
    tmp_path,
) -> None:
    """The blues scale's b5 is a C major lead's as a C minor one's: an F#4 (Gb) stepped
    down to from G4 and left for the blue Eb4 (A4 G4 Gb4 Eb4 C4), one stepped up to from
    F4 (F4 Gb4 Eb4 C4), and one crushed into an off-beat G4 as a grace (played 0.04 beats
    before it, 0.05 long; as written, struck with it) then falling to E4, each in a bar of
    F A C. Each was named a slip. The lead's G4 F#4 E4 D4 (F# for F: E is no note of the
    blues scale) is still named (the first test)."""
    down = [(69, 4, 0.45), (67, 4.5, 0.45), (66, 5.5, 0.45), (63, 6, 0.45), (60, 6.5, 0.45)]
    up = [(69, 4, 0.45), (65, 4.5, 0.45), (66, 5.5, 0.45), (63, 6, 0.45), (60, 6.5, 0.45)]
    bent = [(65, 4, 0.9), (69, 5, 0.45), (72, 5.5, 0.45), (66, 6.46, 0.05), (67, 6.5, 0.45)]
    clips = {
        "down": played(tmp_path / "down.mid", bar_two(SONG, [*down, (65, 7, 0.9)])),
        "up": played(tmp_path / "up.mid", bar_two(SONG, [*up, (65, 7, 0.9)])),
        "bent": played(
            tmp_path / "bent.mid", bar_two(SONG, [*bent, (64, 7, 0.45), (60, 7.5, 0.45)])
        ),
    }
    assert {name: slip_notice(clip) for name, clip in clips.items()} == dict.fromkeys(clips)


def test_the_key_s_blue_third_over_its_ii_chord_is_no_slip_in_a_blues_figure(tmp_path) -> None:
    """A keyboard's right hand over C Dm G C held in its left: an Eb4 over the D
    minor bar (a minor ninth over its root D) falling from F4 to C4, rising from C4 to F4,
    and crushed into E4 as a grace: the key's blue third, as a blues player plays it over
    every chord, and each was named. Still named: an Eb5 for the D5 between C5 and A4 (A is
    no note of the blues scale), and a bass's Eb2 for D2 between D2 and A2."""
    opening = [(74, 4, 0.9), (69, 5, 0.45), (74, 5.5, 0.45)]
    meant = {
        "falling": [(65, 6, 0.45), (63, 6.5, 0.45), (60, 7, 0.9)],
        "rising": [(60, 6, 0.45), (63, 6.5, 0.45), (65, 7, 0.45), (62, 7.5, 0.45)],
        "crushed": [(65, 6, 0.45), (63, 6.46, 0.05), (64, 6.5, 0.45), (60, 7, 0.9)],
    }
    clips = {
        name: played(tmp_path / f"{name}.mid", bar_two(SONG, opening + notes, held=True), 0)
        for name, notes in meant.items()
    }
    assert {name: slip_notice(clip) for name, clip in clips.items()} == dict.fromkeys(clips)
    keys = [(74, 4, 0.9), (69, 5, 0.45), (72, 5.5, 0.45), (75, 6.5, 0.45), (69, 7, 0.45)]
    keys = played(tmp_path / "keys.mid", bar_two(SONG, [*keys, (65, 7.5, 0.45)], held=True), 0)
    bars = [[36, 40, 43, 40] * 2, [38, 38, 45, 38, 38, 39, 45, 38], [43, 47, 50, 47] * 2]
    bass = played(tmp_path / "bass.mid", line([*bars, [36, 40, 43, 40] * 2], 0.4), program=33)
    said = {name: slip_notice(clip) or "" for name, clip in (("keys", keys), ("bass", bass))}
    assert said["keys"].startswith("D#5 at bar 2 beat 3.5 is played once and off C major")
    assert said["bass"].startswith("D#2 at bar 2 beat 3.5 is played once and off C major")


def test_a_riff_s_step_missed_in_one_pass_is_named_though_it_falls_into_the_tonic(
    tmp_path,
) -> None:
    """An E minor bass riff of E E B E G F# E D, 4 passes, whose third pass plays G F2 E: F2
    for F#2, the b2 falling a semitone into E2 (E phrygian reads it), and one that plays E
    F2 E for E F#2 E; each was said nothing of. Still unnamed: a riff that plays its F2 in
    every pass (E phrygian), and a C major bass riff whose second pass plays C E G#2 A for
    C E G A (a chromatic approach, leapt to from E2)."""
    riff = [[40, 40, 47, 40, 43, 42, 40, 38]] * 4
    turn = [[40, 52, 40, 50, 40, 42, 40, 47]] * 4
    slipped = {
        "riff": played(tmp_path / "riff.mid", line(with_note(riff, 2, 5, 41), 0.4), 33),
        "turn": played(tmp_path / "turn.mid", line(with_note(turn, 2, 5, 41), 0.4), 33),
    }
    for clip in slipped.values():
        assert slip_notice(clip) == (
            "F2 at bar 3 beat 3.5 is played once and off E minor, a slip? "
            "--key E-minor leaves it out of the takes"
        )
    approach = with_note([[36, 36, 40, 43, 45, 43, 40, 36]] * 4, 1, 3, 44)
    meant = {
        "phrygian": played(
            tmp_path / "phrygian.mid", line([[40, 41, 40, 47, 40, 41, 43, 40]] * 4, 0.4), 33
        ),
        "approach": played(tmp_path / "approach.mid", line(approach, 0.4), 33),
    }
    assert {name: slip_notice(clip) for name, clip in meant.items()} == dict.fromkeys(meant)


RIFF = [[72, 76, 79, 76, 74, 77, 81, 77], [79, 71, 74, 71, 72, 76, 79, 84]]
"""A 2-bar C major lead in 8ths (helper-147's audit), a loop."""
MINOR_RIFF = [[69, 72, 76, 72, 74, 77, 81, 77], [76, 79, 83, 79, 81, 76, 72, 69]]
"""A 2-bar A minor lead in 8ths, a loop."""
MINOR_BASS = [[33, 33, 40, 36, 38, 38, 41, 45], [40, 40, 43, 47, 45, 40, 36, 40]]
"""A 2-bar A minor bass in 8ths, a loop."""


def passes(riff: list[list[int]], times: int = 4) -> list[list[int]]:
    return [list(bar) for _ in range(times) for bar in riff]


def test_a_blue_note_or_a_mode_s_note_in_one_pass_of_a_loop_is_named(tmp_path) -> None:
    """A 2-bar loop played four times whose third pass plays, once, off the beat, a semitone
    from the note the three other passes play there: a C major lead's Eb5 for E5 (the blue
    b3) and Bb4 for B4 (the b7), an A minor lead's F#5 for F5 (the dorian 6th) and G#5 for
    G5 (the leading tone), an A minor bass's D#2 for E2 (the blue b5). The loop says what
    the hand meant; each was said nothing of, read as the key's colour. The G#5 is named as
    A minor reads it, its leading tone (it was written Ab5)."""
    slipped = {
        "b3": (RIFF, 4, 1, 75, 81),
        "b7": (RIFF, 5, 1, 70, 81),
        "raised_6th": (MINOR_RIFF, 4, 7, 78, 81),
        "raised_7th": (MINOR_RIFF, 5, 1, 80, 81),
        "blue_b5": (MINOR_BASS, 5, 5, 39, 33),
    }
    said = {
        name: slip_notice(
            played(tmp_path / f"{name}.mid", line(with_note(passes(riff), b, i, p)), prog)
        )
        for name, (riff, b, i, p, prog) in slipped.items()
    }
    assert said == {
        "b3": "Eb5 at bar 5 beat 1.5 is played once and off C major, a slip? "
        "--key C-major leaves it out of the takes",
        "b7": "Bb4 at bar 6 beat 1.5 is played once and off C major, a slip? "
        "--key C-major leaves it out of the takes",
        "raised_6th": "F#5 at bar 5 beat 4.5 is played once and off A minor, a slip? "
        "--key A-minor leaves it out of the takes",
        "raised_7th": "G#5 at bar 6 beat 1.5 is played once and off A minor, a slip? "
        "--key A-minor leaves it out of the takes",
        "blue_b5": "Eb2 at bar 6 beat 3.5 is played once and off A minor, a slip? "
        "--key A-minor leaves it out of the takes",
    }


def test_a_loop_played_with_the_blues_in_more_than_one_pass_is_the_blues(tmp_path) -> None:
    """Still unnamed: the C major loop with its Eb5 for E5 in two passes (the second and
    the fourth: a blues player varying E and Eb), and with the Eb5 in the third pass where
    the first plays a blue Bb4 falling from G5 to G4 (a blue note in a blues figure in two
    passes); and the loop played three times (two other passes) with an F#5 struck on beat
    2 of its third pass, an 8th a semitone from the G5 of the others (an accent meant as
    often as a slip: it takes three other passes to say), or held a quarter on the beat in
    the fourth pass of four (a colour held); and a fill, a pass that plays other notes than
    the loop's about its blue note: the C major loop's last bar of pass 4 played as a blues
    lick G5 F5 Eb5 C5 Bb4 C5 G4 C5, the A minor loop's as a dorian run E5 F#5 G5 A5 B5."""
    twice = with_note(with_note(passes(RIFF), 2, 1, 75), 6, 1, 75)
    blues = with_note(with_note(passes(RIFF), 4, 1, 75), 1, 1, 70)
    blues[1][2] = 67  # G5 Bb4 G4
    accent = line(with_note(passes(RIFF, 3), 4, 2, 78))
    held = [n for n in line(passes(RIFF)) if n[1] != 25.5]
    held = [(78, 25.0, 0.95) if n[1] == 25.0 else n for n in held]
    fill = passes(RIFF)
    fill[7] = [79, 77, 75, 72, 70, 72, 67, 72]
    dorian = passes(MINOR_RIFF)
    dorian[7] = [76, 78, 79, 81, 83, 81, 79, 76]
    clips = {
        "fill": played(tmp_path / "fill.mid", line(fill)),
        "dorian": played(tmp_path / "dorian.mid", line(dorian)),
        "twice": played(tmp_path / "twice.mid", line(twice)),
        "blues": played(tmp_path / "blues.mid", line(blues)),
        "accent": played(tmp_path / "accent.mid", accent),
        "held": played(tmp_path / "held.mid", held),
    }
    assert {name: slip_notice(clip) for name, clip in clips.items()} == dict.fromkeys(clips)


def test_a_short_note_struck_on_the_beat_in_one_pass_of_four_is_named(tmp_path) -> None:
    """The C major loop played four times whose fourth pass strikes an 8th on beat 3 of its
    first bar a semitone from the G5 the three other passes play there (F#5 for G5), and
    the A minor bass whose third pass plays a Bb2 for the A2 on beat 3 of its second bar
    (a minor ninth over the bar's A): the hand
    meant the others' note, and each was said nothing of, being on the beat."""
    lead = played(tmp_path / "lead.mid", line(with_note(passes(RIFF), 6, 2, 78)))
    bass = played(tmp_path / "bass.mid", line(with_note(passes(MINOR_BASS), 5, 4, 46)), 33)
    assert slip_notice(lead) == (
        "F#5 at bar 7 beat 2 is played once and off C major, a slip? "
        "--key C-major leaves it out of the takes"
    )
    assert slip_notice(bass) == (
        "A#2 at bar 6 beat 3 is played once and off A minor, a slip? "
        "--key A-minor leaves it out of the takes"
    )


AM_BASS = [[45, 45, 48, 45, 52, 45, 47, 43], [41, 41, 45, 41, 40, 40, 47, 43]]
"""A 2-bar A minor bass in 8ths ending on G2 (helper-151's audit), a loop."""
AM_LEAD = [[69, 72, 76, 72, 74, 72, 71, 67], [65, 69, 72, 69, 71, 69, 64, 67]]
"""A 2-bar A minor lead in 8ths ending on G4, a loop."""
DORIAN_BASS = [[38, 38, 50, 38, 45, 47, 48, 36], [43, 43, 55, 43, 41, 40, 38, 36]]
"""A 2-bar D dorian bass in 8ths ending D2 C2, turning round the D2 it starts on."""
TURN = [[72, 76, 79, 76, 74, 77, 81, 77], [76, 74, 72, 71, 72, 67, 69, 71]]
"""A 2-bar C major lead in 8ths, a loop (helper-151's audit)."""


def test_a_loop_s_turnaround_and_a_lower_neighbour_are_no_slip(tmp_path) -> None:
    """A loop goes round, its first note following its last. Each was named "a slip?": the
    A minor bass's last G2 played G#2 in its fourth pass, leading back to its A2 (and the
    lead's G4 as G#4); the D dorian bass's last C2 played C#2 into its D2, in the fourth
    pass and in the second (D2 C#2 D2: a lower neighbour, the leading tone of the D it
    turns round, though the other passes turn round it by a whole step); and in the C
    major lead's last pass, its borrowed iv (Ab5 for A5, on beat 4 or off it) and its bVII
    (Bb4 for B4): a turnaround's colour."""
    iv_off = [[72, 76, 79, 76, 74, 77, 77, 81], TURN[1]]
    clips = {
        "bass_leading_tone": (passes(AM_BASS), 7, 7, 44, 33),
        "lead_leading_tone": (passes(AM_LEAD), 7, 7, 68, 81),
        "dorian_last": (passes(DORIAN_BASS), 7, 7, 37, 33),
        "dorian_neighbour": (passes(DORIAN_BASS), 3, 7, 37, 33),
        "minor_iv": (passes(TURN), 6, 6, 80, 81),
        "minor_iv_off": (passes(iv_off), 6, 7, 80, 81),
        "flat_7": (passes(TURN), 7, 3, 70, 81),
    }
    said = {
        name: slip_notice(played(tmp_path / f"{name}.mid", line(with_note(riff, b, i, p)), prog))
        for name, (riff, b, i, p, prog) in clips.items()
    }
    assert said == dict.fromkeys(clips)


def test_a_slip_of_no_borrowed_note_in_a_loop_s_last_pass_is_still_named(tmp_path) -> None:
    """Still named: the C major lead's F#5 for F5 in its last pass (no note of C minor: no
    borrowed colour: a finger on the key between F and G), an A minor bass's C#2 for the D2
    of its last pass (a note of A major, but no degree of the loop's raised: C# for C is
    the Picardy third, C# for D a slip) and the lead's Eb5 for E5 in the third pass (a pass
    that leads nowhere: the loop goes on)."""
    lead = played(tmp_path / "lead.mid", line(with_note(passes(TURN), 6, 5, 78)))
    assert (slip_notice(lead) or "").startswith(
        "F#5 at bar 7 beat 3.5 is played once and off C major"
    )
    bass = played(tmp_path / "bass.mid", line(with_note(passes(MINOR_BASS), 6, 5, 37)), 33)
    assert (slip_notice(bass) or "").startswith(
        "C#2 at bar 7 beat 3.5 is played once and off A minor"
    )
    third = played(tmp_path / "third.mid", line(with_note(passes(TURN), 4, 1, 75)))
    assert (slip_notice(third) or "").startswith(
        "Eb5 at bar 5 beat 1.5 is played once and off C major"
    )


def after_pickup(pickup: list[int], bars: list[list[int]], downbeat: float) -> Clip:
    """``pickup`` in 8ths up to bar 1 at ``downbeat``, then ``bars`` in 8ths (a Live clip
    whose start marker is moved back before bar 1 to hold the pickup)."""
    from segue.notes import Note

    first = downbeat - 0.5 * len(pickup)
    notes = [Note(p, first + 0.5 * i, 0.4, 96) for i, p in enumerate(pickup)]
    notes += [
        Note(p, downbeat + 4 * b + 0.5 * i, 0.4, 96)
        for b, bar in enumerate(bars)
        for i, p in enumerate(bar)
    ]
    return Clip(tuple(notes), downbeat + 4 * len(bars))


def test_a_slip_after_a_pickup_is_placed_in_live_s_bars(tmp_path) -> None:
    """The C F Am G bass with its Bb2 for A2 (bar 3, beat 3.5), after a walk-up before bar 1
    (a Live clip's start marker moved back to hold it). Its bars and beats were counted from
    the clip's start: after a pickup of a beat, the line said bar 3 beat 4.5; after one of a
    beat and a half, every 8th off the beat fell on one and the slip was not told at all.
    Told where bar 1 lies, they are Live's; a slip in the pickup is said to be in it."""
    slipped = with_note(BASS, 2, 5, 46)
    beat = after_pickup([43, 40], slipped, 1.0)
    assert slip_notice(beat) is not None and "bar 3 beat 4.5" in slip_notice(beat)
    assert slip_notice(beat, 1.0) == (
        "A#2 at bar 3 beat 3.5 is played once and off C major, a slip? --key auto reads "
        "F major with it; --key C-major leaves it out of the takes"
    )
    walk = after_pickup([31, 33, 35], slipped, 1.5)  # G1 A1 B1: the B keeps it in C major
    assert slip_notice(walk) is None
    assert slip_notice(walk, 1.5) == (
        "A#2 at bar 3 beat 3.5 is played once and off C major, a slip? --key C-major leaves "
        "it out of the takes"
    )
    assert [(n.pitch, n.start) for n, *_ in slips(walk.notes, 4.0, 17.5, 1.5)] == [(46, 12.0)]
    caught = after_pickup([31, 33, 30], BASS, 1.5)  # an F#1 for the walk-up's last note
    assert slip_notice(caught) is None
    assert slip_notice(caught, 1.5) == (
        "F#1 in the pickup (0.5 beats before bar 1) is played once and off C major, a slip? "
        "--key C-major leaves it out of the takes"
    )


def test_a_take_continued_after_a_pickup_says_its_slip_in_live_s_bars(tiny) -> None:
    """GenerationResult.slip_notice, which `segue generate --downbeat` and the bridge's label
    say: the bars from where the request said bar 1 lies."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    walk = after_pickup([31, 33, 35], with_note(BASS, 2, 5, 46), 1.5)
    said = {}
    for downbeat in (None, 1.5):
        params = GenerationParams(key="auto", bars=1, rng_seed=1, downbeat=downbeat)
        said[downbeat] = generate(tiny, walk, params).slip_notice()
    assert said[None] is None
    assert said[1.5] is not None and said[1.5].startswith("A#2 at bar 3 beat 3.5 is played once")


def test_a_slip_against_its_own_chord_in_a_loop_s_last_pass_is_named(tmp_path) -> None:
    """The loop's last pass with one note a semitone off and the rest as the loop, the
    loop's own note played in the same chord: the C major lead's C5 Eb5 G5 E5 (Eb5 for E5)
    and G4 Bb4 D5 B4 | C5 ... as G4 B4 D5 Bb4 | C5 (Bb4 for B4), the A minor lead's E5 G#5
    B5 G5 (G#5 for G5). Each was taken for a turnaround's borrowed colour (C minor's i,
    the bVII, A major's V) and said nothing of: a borrowed chord changes its notes, and a
    hand that plays E and Eb in one C chord slipped. The borrowed colours are still said
    nothing of (a loop's turnaround, above)."""
    clips = {
        "b3": (RIFF, 6, 1, 75),
        "b7": (RIFF, 7, 3, 70),
        "raised_7th": (MINOR_RIFF, 7, 1, 80),
    }
    said = {
        name: (
            slip_notice(played(tmp_path / f"{name}.mid", line(with_note(passes(riff), b, i, p))))
            or ""
        ).split(", a slip?")[0]
        for name, (riff, b, i, p) in clips.items()
    }
    assert said == {
        "b3": "Eb5 at bar 7 beat 1.5 is played once and off C major",
        "b7": "Bb4 at bar 8 beat 2.5 is played once and off C major",
        "raised_7th": "G#5 at bar 8 beat 1.5 is played once and off A minor",
    }


G_INTO_A = [[72, 79, 76, 72, 67, 69, 72, 76], [77, 74, 71, 74, 79, 77, 76, 74]]
"""A 2-bar C major lead in 8ths whose G4 on beat 3 goes into A4 off the beat, a loop."""


def test_a_slip_that_falls_a_semitone_into_the_loop_s_next_note_is_named(tmp_path) -> None:
    """The C major lead played four times with a G#4 struck on beat 3 of its third pass for
    the G4 the three other passes play there, into their A4 off the beat: it was taken for
    a chromatic approach to the A4 and said nothing of. An approach note leads into its
    note, shorter or struck more weakly; this one is struck on the beat and falls to the
    weaker 8th, where every other pass plays G4: the G4 slipped. Told of a pickup of half a
    beat before bar 1, the line is the same. A G#4 off the beat into the A4 on it, where
    the others play G4 A4 (C2 E2 G#2 A2 in a bass), is still an approach: the music's."""
    slipped = line(with_note(passes(G_INTO_A), 4, 4, 68))
    said = slip_notice(played(tmp_path / "slip.mid", slipped))
    assert said == (
        "G#4 at bar 5 beat 3 is played once and off C major, a slip? "
        "--key C-major leaves it out of the takes"
    )
    pickup = played(
        tmp_path / "pickup.mid", [(71, 0.0, 0.45)] + [(p, t + 0.5, d) for p, t, d in slipped]
    )
    assert slip_notice(Clip(pickup.notes, 32.5, pickup.time_signature), 0.5) == said
    approach = [list(bar) for bar in passes(G_INTO_A)]
    for bar in approach[::2]:
        bar[3:5] = [67, 69]  # G4 off the beat into A4 on it
    approach[4][3] = 68
    assert slip_notice(played(tmp_path / "approach.mid", line(approach))) is None


E_LEAD = [64, 71, 67, 64, 69, 68, 66, 71]
"""A bar of an E minor lead in 8ths, E4 B4 G4 E4 A4 G#4 F#4 B4: its G on the beat, a G# off
it, on its way down from A4 to F#4."""


def test_after_a_half_beat_pickup_the_beats_are_counted_from_bar_1(tmp_path) -> None:
    """The E minor lead played four times with a Bb4 for the B4 of its fourth bar, after a
    B3 pickup of half a beat (the clip's start marker before bar 1, ``--downbeat 0.5``):
    said nothing of. Its beats were counted from the clip's start, its G on the beat read
    off it and its G# on it: the key read was E major + G, and its G a blue note bent in
    every bar (the blues). Counted from bar 1, it is E minor, as without the pickup, with
    the G# it passes through in every bar, which ``--key`` keeps."""
    bars = [E_LEAD] * 3 + [with_note([E_LEAD], 0, 1, 70)[0]]
    notes = [(59, 0.0, 0.45)] + [(p, t + 0.5, d) for p, t, d in line(bars)]
    clip = played(tmp_path / "pickup.mid", notes)
    clip = Clip(clip.notes, 16.5, clip.time_signature)
    assert slip_notice(clip, 0.5) == (
        "Bb4 at bar 4 beat 1.5 is played once and off E minor, a slip? "
        '--key "E minor + G#" leaves it out of the takes'
    )


def test_a_slip_in_a_lead_with_a_triplet_pickup_is_named(tmp_path) -> None:
    """A C major lead in staccato quarters (0.45 beats), a 2-bar loop played four times after
    a pickup of triplet 8ths (G4 A4 B4), with an Eb5 for E5 on its third pass's downbeat: as
    written, the triplets put the clip's releases on the triplet grid and the quarters read
    0.67 long, so no note was short enough to be a slip, told the downbeat or not
    (helper-162). A slip is short as the hand plays it."""
    loop = [76, 79, 81, 79, 77, 76, 74, 72]
    pitches = loop * 2 + [75, *loop[1:]] + loop
    notes = [(67 + 2 * k - (k == 2), k / 3, 0.3) for k in range(3)]
    notes += [(p, 1.0 + i, 0.45) for i, p in enumerate(pitches)]
    clip = played(tmp_path / "triplet_pickup.mid", notes)
    said = slip_notice(clip, 1.0)
    assert said is not None and said.startswith("Eb5 at bar 5 beat 1 is played once"), said
    assert slip_notice(clip) is not None


def test_a_place_a_hair_before_a_bar_line_is_said_on_it() -> None:
    """A downbeat told a hair late (1.001) put the 17th beat's note 'at bar 4 beat 5'; a
    place is rounded as it is said, then counted in bars."""
    assert where(17.0, 4.0, 1.001) == "at bar 5 beat 1"
    assert where(17.0, 4.0, 1.0) == "at bar 5 beat 1"
    assert where(16.5, 4.0) == "at bar 5 beat 1.5"
    assert where(0.999, 4.0, 1.0) == "at bar 1 beat 1"
    assert where(0.5, 4.0, 1.0) == "in the pickup (0.5 beats before bar 1)"
    assert where(5.0, 3.0) == "at bar 2 beat 3"


def test_a_place_in_6_8_is_said_in_live_s_beats_of_an_eighth() -> None:
    """Live's beat is the time signature's denominator (an eighth in 6/8: a bar's second
    dotted quarter is its beat 4); the line said 'bar 6 beat 2' for what Live shows as 6.3."""
    loop = [72, 76, 79, 76, 74, 72, 71, 74, 77, 74, 72, 67]  # 2 bars of C major 8ths
    pitches = loop * 2 + [*loop[:8], 78, *loop[9:]] + loop  # F#5 for F5 in the third pass
    notes = tuple(Note(p, 0.5 * i, 0.4, 90) for i, p in enumerate(pitches))
    said = slip_notice(Clip(notes, 24.0, TimeSignature(6, 8)))
    assert said is not None and said.startswith("F#5 at bar 6 beat 3 is played once"), said
    assert where(5.0, 3.0, None, 0.5) == "at bar 2 beat 5"
    assert where(0.0, 3.0, 0.75, 0.5) == "in the pickup (0.75 beats before bar 1)"
    assert where(5.0, 3.0) == "at bar 2 beat 3"  # in quarters, where the beat is one


C_LEAD = [72, 76, 79, 76, 77, 74, 71, 74]
"""A bar of a C major lead in 8ths, C5 E5 G5 E5 F5 D5 B4 D5: a 1-bar loop."""


def test_a_slip_after_a_pickup_on_the_loop_s_grid_is_named(tmp_path) -> None:
    """The C major lead played four times with an Eb5 for the D5 at beat 4.5 of its second
    pass, after a walk-up into bar 1 of half a beat (B4), a beat (A4 B4) or a beat and a half
    (G4 A4 B4): said nothing of, told where bar 1 lies or not, though it was named without
    the pickup. The pickup's 8ths fall on the loop's, and were counted as one more pass
    playing B4 where the loop plays D5: no agreement there. A pickup is heard once, no pass
    of the loop. Untold, a Live clip's length (its start marker before bar 1) says where."""
    slipped = line([C_LEAD, with_note([C_LEAD], 0, 7, 75)[0], C_LEAD, C_LEAD])
    for pickup in ([71], [69, 71], [67, 69, 71]):
        downbeat = 0.5 * len(pickup)
        notes = [(p, 0.5 * i, 0.45) for i, p in enumerate(pickup)]
        notes += [(p, t + downbeat, d) for p, t, d in slipped]
        clip = played(tmp_path / f"pickup_{len(pickup)}.mid", notes)
        clip = Clip(clip.notes, downbeat + 16, clip.time_signature)
        assert slip_notice(clip, downbeat) == (
            "D#5 at bar 2 beat 4.5 is played once and off C major, a slip? "
            "--key C-major leaves it out of the takes"
        )
        untold = slip_notice(clip)
        assert untold is not None and untold.startswith("D#5 at bar ")


def test_an_enclosure_put_into_a_pass_is_no_slip(tmp_path) -> None:
    """The C major lead played four times whose second pass ends C#5 B4 in 16ths for its
    D5, into the C5 of the next downbeat: an enclosure (a note above the target and one
    below, turning round it), played on purpose, was named "C#5 at bar 2 beat 4.5 ... a
    slip?" because the C#5 is stepped to from B4 a semitone from the loop's D5 (a step
    missed). Its B4 is no note the loop plays there: a figure put in. Where the loop's own
    line is D5 B4 | C5 in 8ths, a C#5 for its D5 still missed a step: named."""
    notes = line([C_LEAD, C_LEAD[:7], C_LEAD, C_LEAD]) + [(73, 7.5, 0.2), (71, 7.75, 0.2)]
    assert slip_notice(played(tmp_path / "enclosure.mid", notes)) is None
    own = [72, 76, 79, 76, 77, 71, 74, 71]  # ... B4 D5 B4 | C5
    missed = line([own, with_note([own], 0, 6, 73)[0], own, own])
    assert slip_notice(played(tmp_path / "missed.mid", missed)) == (
        "C#5 at bar 2 beat 4 is played once and off C major, a slip? "
        "--key C-major leaves it out of the takes"
    )


def test_a_slip_in_an_am_g_f_g_bass_is_said_off_a_minor(tmp_path) -> None:
    """An A minor bass of my own, Am G F G twice (i bVII bVI bVII: root, root, octave, fifth,
    third), with a Bb2 for the A2 octave of bar 5: the line said it was "off G mixolydian"
    and offered --key G-mixolydian, a key whose tonic is the loop's passing chord. Each pass
    opens on Am and comes home to it: off A minor, the same notes."""
    notes, at = [], 0.0
    for bar, root in enumerate((45, 43, 41, 43) * 2):
        third = 3 if root == 45 else 4
        for step, beats in ((0, 1.0), (0, 0.5), (12, 0.5), (7, 1.0), (third, 1.0)):
            pitch = 46 if (bar, step) == (4, 12) else root - 12 + step
            notes.append((pitch, at, beats * 0.9))
            at += beats
    bass = played(tmp_path / "am_g_f_g.mid", notes, program=33)
    assert slip_notice(bass) == (
        "A#2 at bar 5 beat 2.5 is played once and off A minor, a slip? "
        "--key A-minor leaves it out of the takes"
    )


A_BASS = [33, 33, 40, 33, 31, 33, 36, 38]
"""A bar of an A minor bass in 8ths, A1 A1 E2 A1 G1 A1 C2 D2: a 1-bar loop."""


def test_a_slip_whose_pitch_class_the_pickup_plays_is_named(tmp_path) -> None:
    """A slip in a pass of the loop after a pickup that plays its pitch class on its way into
    bar 1: the C major lead's C#5 for the D5 of its second pass after an A4 A#4 B4 C#5
    walk-up, the A minor bass's F#1 for G1 or G#1 for A1 after an E1 F#1 G#1 one. Said
    nothing of, told where bar 1 lies: the pickup's note made its pitch class heard twice and
    held it in the key read (C major + C#, A dorian). A pickup is heard once, before the
    loop: its notes of the slip's pitch class are no evidence of the passes' key."""

    def said(pickup: list[int], bars: list[list[int]], name: str) -> str | None:
        downbeat = 0.5 * len(pickup)
        notes = [(p, 0.5 * i, 0.45) for i, p in enumerate(pickup)]
        notes += [(p, t + downbeat, d) for p, t, d in line(bars)]
        clip = played(tmp_path / f"{name}.mid", notes, program=33 if bars[0][0] < 48 else 81)
        return slip_notice(Clip(clip.notes, downbeat + 16, clip.time_signature), downbeat)

    lead = said([69, 70, 71, 73], [C_LEAD, with_note([C_LEAD], 0, 5, 73)[0], C_LEAD, C_LEAD], "c")
    assert lead == (
        "C#5 at bar 2 beat 3.5 is played once and off C major, a slip? "
        "--key C-major leaves it out of the takes"
    )
    walk = [28, 30, 32]  # E1 F#1 G#1
    for index, pitch, place in ((4, 30, "bar 2 beat 3"), (1, 32, "bar 2 beat 1.5")):
        bars = [A_BASS, with_note([A_BASS], 0, index, pitch)[0], A_BASS, A_BASS]
        bass = said(walk, bars, f"bass_{pitch}")
        assert bass is not None and bass.startswith(f"{'F#1' if pitch == 30 else 'G#1'} at {place}")


def walked(tmp_path: Path, pickup: list[int]) -> Clip:
    """The C major lead played four times, an Eb5 for the D5 at beat 4.5 of its third pass,
    after ``pickup`` in 8ths: a MIDI file whose beat 0 is the pickup's first note."""
    slipped = line([C_LEAD, C_LEAD, with_note([C_LEAD], 0, 7, 75)[0], C_LEAD])
    downbeat = 0.5 * len(pickup)
    notes = [(p, 0.5 * i, 0.45) for i, p in enumerate(pickup)]
    notes += [(p, t + downbeat, d) for p, t, d in slipped]
    return played(tmp_path / f"walk_{len(pickup)}.mid", notes)


WALKS = {"bar 4 beat 2.5": [64, 65, 67, 69], "bar 4 beat 4": [60, 62, 64, 65, 67, 69, 71]}
"""Walk-ups into C5 of two beats (E4 F4 G4 A4) and three and a half (C4 up to B4), by where
the Eb5 after them lies from the clip's start."""


def test_a_pickup_the_loop_tells_is_heard_once_untold(tmp_path) -> None:
    """A MIDI file of the C major lead played four times after a walk-up of two beats or
    three and a half, the file's beat 0 the pickup's first note and its length rounded up
    to whole bars (20 beats), with an Eb5 for the D5 at beat 4.5 of its third pass: said
    nothing of, untold (the walk-up's bar read as one more pass, the loop's passes read a
    bar apart from it). The loop's notes tell where its bar 1 lies; the place is still said
    from the clip's start, as untold."""
    for place, pickup in WALKS.items():
        clip = walked(tmp_path, pickup)
        assert clip.length == 20.0
        assert (slip_notice(clip) or "").startswith(f"D#5 at {place} is played once")


def test_only_a_loop_s_notes_that_tell_a_pickup_are_read_as_one(tmp_path) -> None:
    """Where the loop's bar 1 lies after a pickup, untold (``wrong_notes._loop_start``): from
    the note struck there the notes loop, the notes before it are played once and lead into
    it, and the last pass ends as far past a bar line as the pickup lies before one. A loop
    without a pickup, its first pass opening otherwise (D5 F5 for C5 E5) or its clip ending
    on the next downbeat's C5, is none: its notes end on a bar line."""
    from segue.model.feel import as_written
    from segue.model.wrong_notes import _loop_start

    for pickup in WALKS.values():
        clip = walked(tmp_path, pickup)
        read = _loop_start(list(as_written(clip).notes), 4.0, clip.length)
        assert read == (0.5 * len(pickup), 16 + 0.5 * len(pickup))
    plain = [Note(p, t, d, 96) for p, t, d in line([C_LEAD] * 4)]
    varied = [Note(74, 0.0, 0.45, 96), Note(77, 0.5, 0.45, 96), *plain[2:]]  # D5 F5 for C5 E5
    ending = [*varied, Note(72, 16.0, 0.45, 96)]
    for notes in (plain, varied, ending):
        assert _loop_start(notes, 4.0, 16.0) is None
        assert _loop_start(notes, 4.0, 20.0) is None


CALL = [(76, 0.0, 0.45), (79, 0.5, 0.45), (81, 1.0, 0.45), (79, 1.5, 0.45), (76, 2.0, 0.45)]
CALL += [(74, 2.5, 0.45), (72, 3.0, 0.45), (74, 3.5, 0.45), (76, 4.0, 3.5)]
"""Two bars of a C major call and answer: E5 G5 A5 G5 E5 D5 C5 D5 | E5 held."""


def opened(notes: list[tuple[int, float, float]], how: str) -> list[tuple[int, float, float]]:
    """``notes`` with their first note struck an octave low, or slid into from a whole step
    below (a grace of a 32nd)."""
    (pitch, start, length), rest = notes[0], notes[1:]
    if how == "octave":
        return [(pitch - 12, start, length), *rest]
    return [(pitch - 2, start, 0.1), (pitch, start + 0.125, length - 0.125), *rest]


def test_a_loop_ending_on_a_held_note_has_no_pickup_read_from_it(tmp_path) -> None:
    """The C major call and answer played four times, its second pass playing Eb5 for the
    E5 at bar 3 beat 3, the first note struck an octave low or slid into: said nothing
    (helper-176), where it is named as the first note is played plainly. Its last note, the
    E5 held from bar 8's downbeat, was read as the pass before's E5 played again past the
    loop's last bar line, the first note as a pickup of half a beat: the notes read half a
    beat late. A note held on past where the last pass would end is a final note, no pass."""
    from segue.model.feel import as_written
    from segue.model.wrong_notes import _loop_start

    passes = [(p, t + 8 * k, d) for k in range(4) for p, t, d in CALL]
    passes[CALL.index((76, 2.0, 0.45)) + len(CALL)] = (75, 10.0, 0.45)
    for how in ("octave", "grace"):
        clip = played(tmp_path / f"call_{how}.mid", opened(passes, how))
        assert slip_notice(clip) == (
            "Eb5 at bar 3 beat 3 is played once and off C major, a slip? --key auto reads "
            "E minor with it; --key C-major leaves it out of the takes"
        )
        assert _loop_start(list(as_written(clip).notes), 4.0, clip.length) is None


def test_a_bass_ending_on_its_root_keeps_its_approach_note(tmp_path) -> None:
    """An A minor bass, A1 A1 C2 A1 E2 G2 A2 G2 eight times and its A1 held on bar 9, the
    first A1 slid into from G1, its third pass playing G#2 into the A2 at beat 4: said "G#2
    at bar 3 beat 3.5 ... a slip?" (helper-176), read half a beat late from a pickup read in
    the slide, where the plain opening's G#2 is a chromatic approach, the music's."""
    bar = [33, 33, 36, 33, 40, 43, 45, 43]
    notes = [(p, 4 * k + 0.5 * i, 0.45) for k in range(8) for i, p in enumerate(bar)]
    notes[2 * 8 + 5] = (44, 10.5, 0.45)
    notes.append((33, 32.0, 3.5))
    for how, opening in (("plain", notes), ("slid", opened(notes, "grace"))):
        assert slip_notice(played(tmp_path / f"bass_{how}.mid", opening, program=33)) is None


def test_a_pickup_is_read_though_the_next_pass_slips_its_downbeat(tmp_path) -> None:
    """An A minor bass, A1 A1 E2 A1 G1 A1 C2 D2 four times after a walk-up of three beats
    (A1 C2 E2 E1 G1 G#1), untold, its second pass striking A#1 on its downbeat: said
    nothing, the loop's downbeat read only a pass later, where the slip lies. Any later pass
    playing the loop's first note tells it; its other passes play A1 there."""
    walk = [(p, 0.5 * i, 0.45) for i, p in enumerate([33, 36, 40, 28, 31, 32])]
    passes = line([A_BASS, with_note([A_BASS], 0, 0, 34)[0], A_BASS, A_BASS])
    clip = played(tmp_path / "walk_3.mid", walk + [(p, t + 3, d) for p, t, d in passes], 33)
    assert (slip_notice(clip) or "").startswith("A#1 at bar 2 beat 4 is played once")


G_LEAD = [67, 71, 74, 71, 72, 74, 66, 69]
"""A bar of a G major lead in 8ths, G4 B4 D5 B4 C5 D5 F#4 A4: a 1-bar loop."""


def test_a_slip_a_semitone_above_its_note_is_named_as_that_note_raised(tmp_path) -> None:
    """The G major lead played four times with a D#5 for the D5 at beat 3.5 of its second
    pass: named "Eb5", as G major spells the note, though the finger raised the D5 (helper
    -168). It is named as the meant note raised, D#5; a note a semitone below its note
    (a Db5 for the D5) is named as the key spells it, C#5."""
    for slip, name in ((75, "D#5"), (73, "C#5")):
        notes = line([G_LEAD, with_note([G_LEAD], 0, 5, slip)[0], G_LEAD, G_LEAD])
        said = slip_notice(played(tmp_path / f"g_{slip}.mid", notes))
        assert (said or "").startswith(f"{name} at bar 2 beat 3.5 is played once and off G major")


C_BASS = [36, 36, 43, 40, 41, 41, 45, 43, 43, 43, 47, 50, 48, 43, 40, 38]
"""Two bars of a C major bass in 8ths, C2 C2 G2 E2 F2 F2 A2 G2 | G2 G2 B2 D3 C3 G2 E2 D2:
its G2 E2 F2 turns round the F2 (a step above, a semitone below)."""


def test_a_slip_opening_the_loop_s_own_turn_round_a_note_is_named(tmp_path) -> None:
    """The C major bass played four times, its last pass striking F#2 on beat 2 of bar 7 for
    the G2 the three other passes play there, before the loop's E2 F2: said nothing of, as
    an enclosure of F2 (F#2 above it, E2 below), which the loop plays with its G2 in every
    other pass. A figure the loop plays with one note a semitone off is the loop missing a
    note, named; one put into a pass (its middle note no other pass plays there) stays the
    music's."""
    bars = [C_BASS[:8], C_BASS[8:]] * 4
    bars[6] = with_note(bars, 6, 2, 42)[6]
    said = slip_notice(played(tmp_path / "c_bass.mid", line(bars), program=33))
    assert (said or "").startswith("F#2 at bar 7 beat 2 is played once and off C major"), said


def test_the_slip_line_s_key_keeps_the_notes_the_clip_holds_besides_its_scale() -> None:
    """An Andalusian lead (A C E C | G B D B | F A C A | E G# B G#, four passes) with one
    stray 16th: the slip line's ``--key`` holds the G# of its E chord (it said ``--key
    A-minor``, whose lock took that G# out of every take), and reads back as the key."""
    base = (81, 84, 88, 84, 79, 83, 86, 83, 77, 81, 84, 81, 76, 80, 83, 80)
    notes = [Note(p, 16 * n + i, 0.9, 96) for n in range(4) for i, p in enumerate(base)]
    notes.append(Note(82, 21.5, 0.25, 96))  # a Bb5 between the G and B chords' notes
    line = slip_notice(Clip(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))), 64.0))
    assert line == (
        "Bb5 at bar 6 beat 2.5 is played once and off A minor, a slip? "
        '--key "A minor + G#" leaves it out of the takes'
    )
    assert 8 in parse_key("A minor + G#").pitch_classes()


def test_a_slip_in_a_power_chord_riff_is_told_off_its_open_third(tmp_path) -> None:
    """A5 D5 E5 E5 in 8ths with an A#2 for the A2 at bar 1 beat 4.5 (a finger a fret high):
    the slip line said it was off A major and ``--key A-major`` left it out, a key whose C#,
    F# and G# the riff never plays. The riff leaves its third open: off A no-third, ``--key
    A-no-third``; the device's line sets no Live scale, which has none of those 4 notes."""
    from riffs import power_riff

    from segue.model.wrong_notes import slip_lines

    riff = [(n.pitch, n.start, n.duration) for n in power_riff().notes]  # A5 D5 E5 E5
    riff[14] = (46, 3.5, 0.45)
    lines = slip_lines(played(tmp_path / "power.mid", riff, program=30))
    assert lines == (
        "A#2 at bar 1 beat 4.5 is played once and off A no-third, a slip? --key A-no-third "
        "leaves it out of the takes",
        "A#2 at bar 1 beat 4.5 is played once and off A no-third, a slip? Key lock auto keeps "
        "it in the takes; mend it in the clip",
    )
    assert parse_key("A-no-third") == parse_key("A no-third")
