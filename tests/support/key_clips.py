"""Clips of my own for reading keys: lines, chord loops, pads over their roots, power-chord
riffs and root-only basses, loops in three modes, and the takes the producer model plays of
a clip at ``--key auto``."""

from __future__ import annotations

from riffs import power_riff

from segue.model.keys import Key
from segue.notes import Note


def chord_loop(*chords: tuple[int, ...]) -> tuple[Note, ...]:
    return tuple(Note(p, 2.0 * i, 1.9, 90) for i, chord in enumerate(chords * 2) for p in chord)


def line_of(*notes: tuple[int, float]) -> tuple[Note, ...]:
    """A monophonic part of (pitch, beats) notes, one after another."""
    starts = [sum(beats for _, beats in notes[:i]) for i in range(len(notes))]
    return tuple(Note(p, t, beats * 0.9, 96) for (p, beats), t in zip(notes, starts, strict=True))


def rotated_loop(notes: tuple[Note, ...], by: int, bars: int = 4) -> tuple[Note, ...]:
    """The loop of ``notes`` (``bars`` bars of 4/4) started ``by`` bars later."""
    span = 4.0 * bars
    moved = (Note(n.pitch, (n.start - 4.0 * by) % span, n.duration, n.velocity) for n in notes)
    return tuple(sorted(moved, key=lambda n: (n.start, n.pitch)))


def bars_of(*bars: tuple[tuple[int, float], ...]) -> tuple[Note, ...]:
    """A line of bars of (pitch, beats) notes, each bar 4 beats."""
    assert all(sum(beats for _, beats in bar) == 4 for bar in bars)
    return line_of(*(note for bar in bars for note in bar))


E_PHRYGIAN_BASS = bars_of(
    ((40, 1.0), (40, 0.5), (41, 0.5), (40, 1.0), (43, 1.0)),
    ((40, 1.0), (40, 0.5), (41, 0.5), (40, 1.0), (50, 1.0)),
    ((40, 1.0), (40, 0.5), (41, 0.5), (40, 1.0), (45, 0.5), (43, 0.5)),
    ((40, 1.0), (41, 0.5), (40, 0.5), (50, 1.0), (48, 1.0)),
)
"""An E phrygian bass on an E2 pedal, its F2 on the off-beats, D3 C3 leading back."""
MODAL_LOOPS = {
    Key(4, "phrygian"): (
        E_PHRYGIAN_BASS,
        bars_of(  # E F G F E | B- C B A | G F E F G | F E D E--
            ((64, 1.0), (65, 0.5), (67, 0.5), (65, 1.0), (64, 1.0)),
            ((71, 1.5), (72, 0.5), (71, 1.0), (69, 1.0)),
            ((67, 1.0), (65, 0.5), (64, 0.5), (65, 1.0), (67, 1.0)),
            ((65, 0.5), (64, 0.5), (62, 1.0), (64, 2.0)),
        ),
        chord_loop((40, 52, 55, 59), (41, 53, 57, 60)),  # Em/E F/F, twice: i bII
    ),
    Key(2, "dorian"): (
        bars_of(  # D2 over Dm7, G2 over G, B natural
            ((38, 1.0), (38, 0.5), (50, 0.5), (45, 1.0), (48, 1.0)),
            ((43, 1.0), (43, 0.5), (47, 0.5), (50, 1.0), (47, 1.0)),
            ((38, 1.0), (38, 0.5), (50, 0.5), (45, 1.0), (41, 1.0)),
            ((43, 1.0), (47, 0.5), (45, 0.5), (43, 1.0), (40, 1.0)),
        ),
        bars_of(
            ((62, 1.0), (65, 0.5), (69, 0.5), (71, 1.0), (69, 1.0)),
            ((67, 1.5), (65, 0.5), (64, 1.0), (62, 1.0)),
            ((62, 0.5), (64, 0.5), (65, 1.0), (67, 1.0), (69, 1.0)),
            ((71, 1.0), (72, 0.5), (71, 0.5), (69, 1.0), (65, 1.0)),
        ),
        chord_loop((50, 53, 57, 60), (50, 55, 59, 62)),  # Dm7 G/D, twice: i IV
    ),
    Key(7, "mixolydian"): (
        bars_of(  # G F C G: I bVII IV I
            ((43, 1.0), (43, 0.5), (50, 0.5), (55, 1.0), (50, 1.0)),
            ((41, 1.0), (41, 0.5), (48, 0.5), (53, 1.0), (48, 1.0)),
            ((48, 1.0), (48, 0.5), (43, 0.5), (52, 1.0), (48, 1.0)),
            ((43, 1.0), (47, 0.5), (50, 0.5), (53, 1.0), (50, 1.0)),
        ),
        bars_of(
            ((67, 1.0), (71, 0.5), (74, 0.5), (72, 1.0), (71, 1.0)),
            ((69, 1.5), (65, 0.5), (67, 1.0), (69, 1.0)),
            ((72, 1.0), (71, 0.5), (69, 0.5), (67, 1.0), (64, 1.0)),
            ((65, 1.0), (67, 0.5), (69, 0.5), (67, 2.0)),
        ),
        tuple(  # G F C/E G, a chord a bar, struck twice
            Note(p, 4.0 * bar + at, 1.9, 90)
            for bar, chord in enumerate(((55, 59, 62), (53, 57, 60), (52, 55, 60), (55, 59, 62)))
            for at in (0.0, 2.0)
            for p in chord
        ),
    ),
}
"""Loops of my own in three modes (a bass, a lead and chords each, 4 bars of 4/4), whose
tonic is heard in their bass, on their downbeats and in their longest notes."""


def pad_loop(*chords: tuple[int, ...]) -> tuple[Note, ...]:
    """A pad loop, a chord a bar in whole notes, over a bass of their roots from E1 to D#2
    (A1 under A3 C4 E4, F1, C2, G1), as a producer lays out a loop's chords."""
    return tuple(
        Note(p, 4.0 * bar, 3.8, 90)
        for bar, chord in enumerate(chords)
        for p in (28 + (chord[0] - 28) % 12, *chord)
    )


AM, F, C, G = (57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62)
DM, EM, BB = (50, 53, 57), (52, 55, 59), (46, 50, 53)


def auto_key_results(tmp_path, notes, program: int) -> list:
    """The producer model's results at ``--key auto``, 4 takes at -t 1.5 and --memory 0 (the
    network's own notes), rng seeds 1-3, of ``notes`` written to a MIDI file by pretty_midi
    (``program``, 120 bpm) and read back as segue reads a seed."""
    import pretty_midi

    from segue.midi_io import read_part
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    midi = pretty_midi.PrettyMIDI(initial_tempo=120)
    part = pretty_midi.Instrument(program=program)
    for note in notes:  # 120 bpm: a beat is half a second
        part.notes.append(pretty_midi.Note(96, note.pitch, note.start / 2, note.end / 2))
    midi.instruments.append(part)
    midi.write(str(tmp_path / "part.mid"))
    seed, _ = read_part(tmp_path / "part.mid")
    producer = load_checkpoint(find_model("producer")).model
    return [
        generate(
            producer,
            seed,
            GenerationParams(
                key="auto", variations=4, temperature=1.5, memory=0.0, rng_seed=rng_seed, bars=4
            ),
        )
        for rng_seed in (1, 2, 3)
    ]


def power_chords(roots: tuple[int, ...], bar: float = 4.0) -> tuple[Note, ...]:
    """A riff of power chords in 8ths, a chord a bar: each ``roots`` pitch (E2 to D#3) and
    its fifth, no third, as a rock guitar plays Am G F G (A5 G5 F5 G5)."""
    return power_riff(roots, bar).notes


def root_bass(roots: tuple[int, ...], style: str, bar: float = 4.0) -> tuple[Note, ...]:
    """A bass of its chords' ``roots`` alone, a chord a bar: a whole note, 8ths of the root,
    or 8ths in octaves, as producers play a loop's bass."""
    eighths = int(2 * bar)
    shapes = {
        "whole": lambda root: [(root, 0.0, bar - 0.1)],
        "eighths": lambda root: [(root, 0.5 * j, 0.45) for j in range(eighths)],
        "octave": lambda root: [(root + 12 * (j % 2), 0.5 * j, 0.45) for j in range(eighths)],
    }
    return tuple(
        Note(p, bar * i + at, length, 96)
        for i, root in enumerate(roots)
        for p, at, length in shapes[style](root)
    )
