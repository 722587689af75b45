"""Write generated pieces as MIDI files, one folder per role (``segue idioms``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from segue.dataset.prepare import is_hidden
from segue.errors import MidiFileError, SegueError
from segue.idioms.drums import drum_piece
from segue.idioms.harmony import Chord, progressions_from_chorales
from segue.idioms.pieces import ROLES as MELODIC_ROLES
from segue.idioms.pieces import piece
from segue.midi_io import DRUM_CHANNEL, read_midi, reads_as_midi, write_midi

ROLES = (*MELODIC_ROLES, "drums")
PROGRAMS = {"bass": 38, "chords": 89, "arp": 81, "lead": 80, "drums": 0}
"""General MIDI programs the files carry (synth bass, warm pad, square and saw leads)."""
CHORD_STEPS = (1.0, 2.0, 4.0)  # beats between the chords read from real pieces
LOOP_CHORDS = 4


@dataclass(frozen=True)
class Written:
    role: str
    folder: Path
    files: int
    notes: int


def chord_loops(folder: str | os.PathLike[str]) -> list[list[Chord]]:
    """Loops of 4 chords read from every MIDI file under ``folder`` (the chord sounding
    every beat, 2 beats and 4 beats)."""
    root = Path(folder)
    if not root.is_dir():
        raise SegueError(f"{root}: no such folder of MIDI files to read chords from")
    pieces = []
    found = (p for p in root.rglob("*") if reads_as_midi(p))  # hidden ones left out, as
    # data prepare leaves them (macOS's ._song.mid beside each file, an unfinished export)
    for path in sorted(p for p in found if not any(map(is_hidden, p.relative_to(root).parts))):
        try:
            clip = read_midi(path)
        except MidiFileError:
            continue
        pieces.append([(n.start, n.end, n.pitch) for n in clip.notes])
    loops: list[list[Chord]] = []
    for step in CHORD_STEPS:
        loops += progressions_from_chorales(pieces, step_beats=step, length=LOOP_CHORDS)
    if not loops:
        raise SegueError(f"{root}: no chords found in its MIDI files")
    return loops


def write_idioms(
    out: str | os.PathLike[str],
    roles: Sequence[str] = ROLES,
    pieces: int = 800,
    bars: int = 16,
    rng_seed: int = 1,
    chords_from: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> list[Written]:
    """Write ``pieces`` generated pieces of each role to ``out/ROLE/ROLE-NNNNN.mid``.

    The same ``rng_seed`` (and chords) writes the same files: each role draws from its
    own random stream, so asking for fewer roles changes none of their files.
    """
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise SegueError(f"no role {unknown[0]!r}; roles are {', '.join(ROLES)}")
    if not 1 <= pieces <= 100_000 or not 1 <= bars <= 256:
        raise SegueError("give 1 to 100000 pieces of 1 to 256 bars")
    if not overwrite:  # before any piece is written, not in the middle
        for role in roles:
            first = Path(out) / role / f"{role}-00000.mid"
            if first.exists():
                raise SegueError(
                    f"{first} already exists; choose another folder or use --force to replace "
                    f"the {role} pieces there"
                )
    loops = chord_loops(chords_from) if chords_from is not None else None
    written = []
    for role in roles:
        rng = np.random.default_rng([rng_seed, ROLES.index(role)])
        folder = Path(out) / role
        folder.mkdir(parents=True, exist_ok=True)
        notes = 0
        for i in range(pieces):
            clip = drum_piece(rng, bars) if role == "drums" else piece(rng, role, bars, loops)
            notes += len(clip.notes)
            write_midi(
                clip,
                folder / f"{role}-{i:05d}.mid",
                program=PROGRAMS[role],
                channel=DRUM_CHANNEL if role == "drums" else 0,
                overwrite=overwrite,
                track_name=role,
            )
            if progress is not None:
                progress(role, i + 1)
        written.append(Written(role, folder, pieces, notes))
    return written
