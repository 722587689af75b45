"""The requests a musician waits for, timed as segue serves them: the model's choice included.

Four clips: the standard request (a 32-note reel-like line, 4 variations of 8 bars), a
producer's request (a 4-bar 16th-note arpeggio, 4 variations of 4 bars), a musician's
dense chord clip (a trance gate: a triad on every 16th of 4 bars, 192 notes, 4 variations
of 4 bars) and a drum request (``examples/seeds/beat.mid``: 4 bars of 16th-note hats, kick
and snare, 4 variations of 4 bars). Each is timed with a named model and with ``auto``, which first
chooses the model for the clip (each candidate reads the clip once; the models stay
loaded, as in the bridge). ``auto`` remembers its choice for a clip asked for again (a
musician's next takes); the row "a new clip each time" changes the clip's velocities at
every request, each time to another of the network's velocity classes, so that it measures
the first request for a clip: the models keep their readings of a clip by its steps, whose
velocities are classes of 4 (velocities 2-16 were 4 clips to them). The rows run
interleaved in one process, so machine noise hits them alike; the first row, the
standard request on the melody model as segue has always served it, is the baseline. A
script that prints a table, not a timed test.

    python benchmarks/bench_requests.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from segue.midi_io import read_part
from segue.model.choice import choose_model
from segue.model.generate import generate
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

sys.path.insert(0, str(Path(__file__).resolve().parent))
SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
from bench_generate import load_average, standard_seed  # noqa: E402


def arpeggio() -> Clip:
    """4 bars of 16ths up and down an A minor - F - C - G loop, one chord a bar."""
    chords = [(57, 60, 64, 69), (53, 57, 60, 65), (48, 52, 55, 60), (55, 59, 62, 67)]
    notes = []
    for bar, chord in enumerate(chords):
        shape = [*chord, *reversed(chord)] * 2
        notes += [
            Note(p, bar * 4 + i * 0.25, 0.25, 100 - 20 * (i % 2)) for i, p in enumerate(shape)
        ]
    return Clip(tuple(notes), 16.0)


def trance_gate() -> Clip:
    """4 bars of 16th-note triads, A minor - F - C - G, one chord a bar: 100 on the beat,
    75 between (192 notes)."""
    chords = [(57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62)]
    notes = [
        Note(p, bar * 4 + i * 0.25, 0.2, 100 if i % 4 == 0 else 75)
        for bar, chord in enumerate(chords)
        for i in range(16)
        for p in chord
    ]
    return Clip(tuple(notes), 16.0)


Request = Callable[[int], int]
"""One request with a random seed: the number of notes it made."""


def request(
    model: str, clip: Clip, bars: int, drums: bool = False, new: bool = False, **settings: Any
) -> Request:
    """A request for ``clip`` (``new``: with other velocities each time, a clip ``auto`` has
    not chosen for and no model has read yet)."""
    chooser = choose_model(model)

    def run(rng_seed: int) -> int:
        params = GenerationParams(bars=bars, variations=4, rng_seed=rng_seed, **settings)
        asked = clip
        if new:
            velocity = 1 + 4 * rng_seed % 127  # another velocity class (of 4), 31 runs long
            asked = replace(clip, notes=tuple(replace(n, velocity=velocity) for n in clip.notes))
        loaded = chooser(asked, drums)
        result = generate(loaded.model, asked, params)
        return sum(len(v.clip) for v in result.variations)

    run(0)  # loads the models and warms up
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    torch.set_num_threads(1)
    reel, arp = standard_seed(), arpeggio()
    beat, drums = read_part(SEEDS / "beat.mid")
    assert drums, "examples/seeds/beat.mid is a drum part"
    rows: list[tuple[str, Request]] = [
        ("standard request, melody (the baseline)", request("melody", reel, 8)),
        ("standard request, auto", request("auto", reel, 8)),
        ("standard request, auto, a new clip each time", request("auto", reel, 8, new=True)),
        ("producer request, melody", request("melody", arp, 4)),
        ("producer request, producer", request("producer", arp, 4)),
        ("producer request, auto", request("auto", arp, 4)),
        ("producer request, auto, a new clip each time", request("auto", arp, 4, new=True)),
        ("dense chord request (a trance gate), auto", request("auto", trance_gate(), 4)),
        ("drum request, drums", request("drums", beat, 4, drums=True)),
        ("drum request, auto (a drum track)", request("auto", beat, 4, drums=True)),
        ("drum request, auto, fills phrase", request("auto", beat, 4, drums=True, fills="phrase")),
    ]
    times: dict[str, list[float]] = {label: [] for label, _ in rows}
    notes: dict[str, list[int]] = {label: [] for label, _ in rows}
    for r in range(args.repeats):
        for label, run in rows:
            began = time.perf_counter()
            notes[label].append(run(r + 1))
            times[label].append((time.perf_counter() - began) * 1000)
    print(f"machine: {os.cpu_count()} cores, load average {load_average()} at the end")
    print(f"{args.repeats} runs of each, interleaved; one torch thread")
    print()
    print("| request | p50 ms | p90 ms | notes (4 variations) | p50 / baseline |")
    print("|---|---:|---:|---:|---:|")
    base = statistics.median(times[rows[0][0]])
    for label, _ in rows:
        t = sorted(times[label])
        p50, p90 = statistics.median(t), t[min(len(t) - 1, round(0.9 * (len(t) - 1)))]
        print(
            f"| {label} | {p50:.1f} | {p90:.1f} | {statistics.median(notes[label]):.0f} | "
            f"{p50 / base:.2f}x |"
        )


if __name__ == "__main__":
    main()
