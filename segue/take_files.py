"""The MIDI files ``segue generate`` and ``segue send`` write their takes to
(:func:`write_takes`): one a take, at the continuation's tempo (after the seed file's own
tempos where the seed is written first), on the seed track's instrument, a drum part on the
drum channel."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from segue.files import writing
from segue.midi_io import read_part, seed_tempos, track_choice, write_midi
from segue.notes import Clip, TimeSignature


@dataclass(frozen=True)
class SeedPart:
    """The part a command continues, as it read it: the seed file (``path``; None: none),
    the track asked for (``track``, --track; None: segue's choice) and the time signature
    (``signature``, --time-signature; None: the file's), its notes as read (``clip``: the
    empty bars before a late part left out), whether it is a drum part (``drums``) and the
    General MIDI program its takes are written with (``program``)."""

    path: Path | None
    track: str | None
    signature: TimeSignature | None
    clip: Clip
    drums: bool
    program: int


def seed_tempo_map(seed: Path, part: SeedPart, then: float) -> list[tuple[float, float]]:
    """The tempo map of a continuation written with its ``seed`` file (``--include-seed``):
    the seed file's tempos over the seed, as its ``part``'s notes were read (empty bars before
    a late part left out), then ``then``. One tempo was written for both, and a seed that
    slowed from 120 to 90 BPM played at 90 from its first beat."""
    whole, _ = read_part(seed, track=track_choice(part.track), time_signature=part.signature)
    cut = whole.length - part.clip.length  # the empty bars left out (late_entry)
    out: list[tuple[float, float]] = []
    for beat, bpm in seed_tempos(seed, whole.length, then, part.signature):
        if beat - cut <= 0:
            out = [(0.0, bpm)]  # the tempo in force where the part comes in
        else:
            out.append((beat - cut, bpm))
    return out


def write_takes(
    clips: list[Clip],
    paths: list[Path],
    part: SeedPart,
    *,
    tempo: float,
    include_seed: bool,
    force: bool,
) -> None:
    """Write each continuation of the seed's ``part`` to its file (``generate`` and ``send``
    alike): at ``tempo`` (BPM), after the seed file's own tempos where the seed is included,
    on the part's ``program``, a drum part on the drum channel (10) as it came; a file that
    exists replaced only with ``force``, and a failure to write is one line. A bridge that
    answers fewer takes than asked fills fewer files."""
    tempos = (
        seed_tempo_map(part.path, part, tempo) if include_seed and part.path is not None else []
    )
    for clip, path in zip(clips, paths, strict=False):
        with writing(path):
            write_midi(
                clip,
                path,
                tempo=tempo,
                program=part.program,
                channel=9 if part.drums else 0,
                overwrite=force,
                tempos=tempos,
            )
