"""A played wrong note: told from the music's own chromatic notes, and said in one line."""

from __future__ import annotations

import random
from pathlib import Path

import pretty_midi

from segue.midi_io import read_part
from segue.model.wrong_notes import slip_notice, slips
from segue.notes import Clip

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
    assert [(n.pitch, str(k)) for n, k in slips(lead.notes)] == [(66, "C major")]
    assert slip_notice(lead) == (
        "F#4 at bar 2 beat 3.5 is played once and off C major, a slip? "
        "--key C-major leaves it out of the takes"
    )
    bass = played(tmp_path / "bass.mid", line(with_note(BASS, 2, 5, 46), 0.4), program=33)
    assert slip_notice(bass) == (
        "Bb2 at bar 3 beat 3.5 is played once and off C major, a slip? --key auto reads "
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
        assert ("Bb2 at bar 3 beat 3.5 is played once and off C major" in run.stderr) is said
        takes = [pm.PrettyMIDI(str(tmp_path / f"{key}-{i}.mid")) for i in range(1, 5)]
        bb = [sum(n.pitch % 12 == 10 for t in m.instruments for n in t.notes) for m in takes]
        assert all(bb) if said else not any(bb), (key, bb)
