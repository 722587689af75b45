"""Four takes on one clip: how many of them are the clip again, and how many differ.

A musician who asks for four variations of a clip wants four takes on it, not the clip
four times. This continues a few kinds of 4-bar clips with segue's default choices
(``auto``, 4 variations of 4 bars, several random seeds) and prints, per kind, the share
of takes that repeat the clip exactly (onsets and pitches, one loop on), how many
different takes a request gives, and how many notes a take adds to or changes from the
clip's loop. The clips are made here, in A minor: a 16th-note arpeggio (plays every
bar), a lead that plays three bars and rests through the fourth (a call and its
silence), a bassline that rests in bars 2 and 4, and a lead whose last note is held
through the fourth bar.

    python benchmarks/bench_takes.py [--requests 10]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.choice import choose_model
from segue.model.generate import generate
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_requests import arpeggio  # noqa: E402

SCALE = (57, 60, 62, 64, 67, 69, 72, 74, 76)  # A minor pentatonic, two octaves


def lead(rng: np.random.Generator, bars: tuple[int, ...], held: bool = False) -> Clip:
    """Eighth notes (a quarter of them left out) in ``bars`` of a 4-bar clip; ``held``:
    the last note rings on to the clip's end."""
    notes = [
        Note(int(rng.choice(SCALE)) + 12, bar * 4 + i * 0.5, 0.5, 100)
        for bar in bars
        for i in range(8)
        if rng.random() >= 0.25
    ]
    if held:
        last = notes[-1]
        notes[-1] = Note(last.pitch, last.start, 16.0 - last.start, last.velocity)
    return Clip(tuple(notes), 16.0)


def bassline(rng: np.random.Generator) -> Clip:
    """An eighth-note root line in bars 1 and 3, resting in bars 2 and 4."""
    root = int(rng.choice((45, 41, 43)))
    notes = [
        Note(root + (7 if i % 4 == 3 else 0), bar * 4 + i * 0.5, 0.4, 110)
        for bar in (0, 2)
        for i in range(8)
    ]
    return Clip(tuple(notes), 16.0)


KINDS: dict[str, Callable[[np.random.Generator], Clip]] = {
    "arpeggio, every bar": lambda rng: arpeggio(),
    "lead, rests in bar 4": lambda rng: lead(rng, (0, 1, 2)),
    "bassline, rests in bars 2 and 4": bassline,
    "lead, last note held through bar 4": lambda rng: lead(rng, (0, 1, 2), held=True),
}


def keys(rows: np.ndarray, loop: int) -> frozenset[tuple[int, int]]:
    """A take's notes as (onset within the loop, pitch), one per note."""
    return frozenset((int(t) % loop, int(p)) for t, p, *_ in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10, help="requests per kind of clip")
    args = parser.parse_args()
    chooser = choose_model("auto")
    print(f"{args.requests} requests of 4 takes x 4 bars per kind of clip; auto\n")
    print(
        "| clip | model | takes that are the clip again | different takes per request "
        "| notes a take adds or changes |"
    )
    print("|---|---|---:|---:|---:|")
    for kind, make in KINDS.items():
        rng = np.random.default_rng(7)
        again, different, changed, names = 0, [], [], set()
        for request in range(args.requests):
            clip = make(rng)
            name, loaded = chooser.choose(clip)
            names.add(name)
            loop = to_ticks(clip.length)
            seed = keys(clip_rows(clip), loop)
            params = GenerationParams(bars=4, variations=4, rng_seed=request)
            takes = [
                keys(clip_rows(v.clip), loop)
                for v in generate(loaded.model, clip, params).variations
            ]
            again += sum(take == seed for take in takes)
            different.append(len(set(takes)))
            changed += [len(take - seed) for take in takes]
        total = 4 * args.requests
        print(
            f"| {kind} | {', '.join(sorted(names))} | {again}/{total} = {again / total:.2f} "
            f"| {np.mean(different):.2f} | {np.mean(changed):.2f} |"
        )


if __name__ == "__main__":
    main()
