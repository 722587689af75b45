"""Generation speed: segue's carried state against the predecessor projects' sliding window.

The standard request: a 32-note seed, 4 variations, 8 bars each. The ways
run in the same process, alternating, on the same model and seed, so machine
noise hits them alike. Prints a table; it is a script, not a timed test.

The sliding-window way (:class:`SlidingWindowLSTM`: segue's network with
another step; it lives here, segue has no use for it) is measured twice: one
variation after another, as the predecessor projects generate (they know no
variations; the speed goal is set against this way), and with the four
variations in one batch, which isolates what carrying the state saves
(everything else is segue's own code, heads and sampling included, in both).
All three draw their notes with the clip memory when the model has one; a
fourth row shows segue with the memory off, what the memory costs.

    python benchmarks/bench_generate.py [--model melody] [--repeats 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TypeVar

import numpy as np
import torch
from torch import Tensor

from segue.model.architecture import ModelConfig, Network
from segue.model.architectures import build_network
from segue.model.checkpoint import load_checkpoint
from segue.model.generate import generate
from segue.model.lstm import SegueLSTM
from segue.model.lstm_fused import FusedStep
from segue.model.registry import find_model
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

T = TypeVar("T")


class SlidingWindow:
    """The predecessor projects' step: no state carried; every note re-reads the last
    ``window`` notes from a zero state through ``nn.LSTM`` (20-100x the work). The heads
    are segue's own (its fused step's); the state is the notes so far."""

    def __init__(self, model: SegueLSTM, window: int) -> None:
        heads = FusedStep(model)
        self.begin = heads.begin
        self.offset_logits = heads.offset_logits
        self.after_offset = heads.after_offset
        self.pitch_logits = heads.pitch_logits
        self.duration_velocity_logits = heads.duration_velocity_logits
        self.duration_logits = heads.duration_logits
        self.encode = model.encode
        self.window = window

    def start(
        self, seed_steps: np.ndarray, variations: int, outputs: list[Tensor] | None = None
    ) -> tuple[Tensor, Tensor]:
        history = torch.from_numpy(seed_steps)[None].expand(variations, -1, -1)
        if outputs is not None:
            outputs.append(self.encode(history[:1])[0][0])
        return self._reread(history), history

    def step(self, fields: np.ndarray, history: Tensor) -> tuple[Tensor, Tensor]:
        history = torch.cat([history, torch.from_numpy(fields)[:, None]], dim=1)
        return self._reread(history), history

    def _reread(self, history: Tensor) -> Tensor:
        return self.encode(history[:, -self.window :])[0][:, -1].contiguous()


class SlidingWindowLSTM(SegueLSTM):
    """``model``'s network and weights, generating the sliding-window way."""

    def __init__(self, model: Network, window: int) -> None:
        super().__init__(model.config)
        self.load_state_dict(model.state_dict())
        self.eval()
        self.sliding = SlidingWindow(self, window)

    def stepper(self) -> SlidingWindow:
        return self.sliding


def standard_seed() -> Clip:
    """32 notes of a G major reel-like line in 8ths and quarters (4 bars of 4/4)."""
    line = [
        67,
        71,
        74,
        71,
        67,
        71,
        74,
        79,
        78,
        74,
        72,
        71,
        69,
        72,
        76,
        72,
        67,
        71,
        74,
        71,
        67,
        71,
        74,
        79,
        81,
        79,
        78,
        76,
        74,
        71,
        69,
        67,
    ]
    notes, t = [], 0.0
    for i, pitch in enumerate(line):
        length = 1.0 if i % 8 == 7 else 0.5
        notes.append(Note(pitch, t, length, 90))
        t += length
    return Clip(tuple(notes), length=18.0 if t > 16 else 16.0)


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    out = fn()
    return (time.perf_counter() - start) * 1000, out


def load_average() -> str:
    """The load average over 1, 5 and 15 minutes, where the OS keeps one (not Windows)."""
    if sys.platform == "win32":
        return "unknown"
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)"
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="melody")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument(
        "--window", type=int, default=100, help="notes re-fed per step by the sliding-window way"
    )
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        loaded = load_checkpoint(find_model(args.model, allow_path=True))
        model, name = loaded.model, loaded.path.stem
    except Exception as exc:  # no bundled model yet: an untrained one of the default size
        print(f"(no model {args.model!r}: {exc}; timing an untrained default-size model)")
        model, name = build_network(ModelConfig()).eval(), "untrained"
    windowed = SlidingWindowLSTM(model, args.window)
    seed = standard_seed()
    request = GenerationParams(bars=8, variations=4, temperature=1.0, rng_seed=1)
    generate(model, seed, request)  # warm up
    # The sliding window way must make the same number of steps: ask for that many notes.
    carried, forgetful, sliding, one_by_one, steps = [], [], [], [], []
    for r in range(args.repeats):
        params = GenerationParams(bars=8, variations=4, rng_seed=r + 1)
        ms, result = timed(partial(generate, model, seed, params))
        carried.append(ms)
        steps.append(result.steps)
        without = replace(params, memory=0.0)
        ms_off, _ = timed(partial(generate, model, seed, without))
        forgetful.append(ms_off)
        same_work = GenerationParams(notes=result.steps, variations=4, rng_seed=r + 1)
        ms_window, _ = timed(partial(generate, windowed, seed, same_work))
        sliding.append(ms_window)
        singles = [
            replace(same_work, variations=1, rng_seed=v) for v in range(r * 4 + 1, r * 4 + 5)
        ]
        ms_single = sum(timed(partial(generate, windowed, seed, p))[0] for p in singles)
        one_by_one.append(ms_single)
    med_steps = statistics.median(steps)
    c, s = statistics.median(carried), statistics.median(sliding)
    print(f"machine: {os.cpu_count()} cores, load average {load_average()} at the end")
    print(
        f"model: {name} ({sum(p.numel() for p in model.parameters()) / 1e6:.2f} M params, "
        f"hidden {model.config.hidden} x {model.config.layers}); generation runs on one "
        f"torch thread (the process has {torch.get_num_threads()}); clip memory "
        f"{'fitted' if model.config.memory else 'not fitted'}"
    )
    print(
        "standard request: 32-note seed, 4 variations, 8 bars each; "
        f"{args.repeats} runs, median {med_steps:.0f} steps"
    )
    print()
    print("| way | request p50 ms | request p90 ms | ms per note step (4 variations) |")
    print("|---|---|---|---|")
    for label, times in (
        ("segue: state carried", carried),
        (f"sliding window of {args.window}, variations in one batch", sliding),
        (
            f"sliding window of {args.window}, one variation at a time "
            "(the predecessor projects' way)",
            one_by_one,
        ),
        ("segue: state carried, clip memory off", forgetful),
    ):
        p90 = sorted(times)[int(0.9 * (len(times) - 1))]
        per_step = statistics.median(t / n for t, n in zip(times, steps, strict=True))
        print(f"| {label} | {statistics.median(times):.1f} | {p90:.1f} | {per_step:.3f} |")
    print()
    predecessors_way = statistics.median(one_by_one) / c
    print(
        f"speed-up of carried state: {s / c:.1f}x over the batched sliding window, "
        f"{predecessors_way:.1f}x over the predecessor projects' way"
    )
    print(
        f"goal: the standard request under 100 ms ({'met' if c < 100 else 'missed'}: "
        f"{c:.1f} ms), at least 20x faster than the predecessor projects' sliding window "
        f"({'met' if predecessors_way >= 20 else 'missed'}: {predecessors_way:.1f}x)"
    )


if __name__ == "__main__":
    main()
