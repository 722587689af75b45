"""The benchmark scripts run off Linux too: what they read of the machine is Linux's or
POSIX's, and they say so where it is missing rather than stop."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_bridge  # noqa: E402
import bench_generate  # noqa: E402
import bench_short_loops  # noqa: E402
import bench_takes  # noqa: E402


def test_without_a_load_average_as_on_windows(monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delattr(os, "getloadavg", raising=False)
    assert bench_generate.load_average() == "unknown"


def test_without_proc_as_on_macos_and_windows(tmp_path) -> None:
    assert bench_bridge.rss_mb(os.getpid(), proc=tmp_path) is None
    if Path("/proc/self/status").exists():
        assert (bench_bridge.rss_mb(os.getpid()) or 0) > 1


def test_short_loops_count_the_clips_loop_kept_bar_by_bar() -> None:
    from segue.grid import clip_rows, to_ticks
    from segue.midi_io import read_part

    whole, drums = read_part(bench_short_loops.SEEDS / "bassline.mid")
    clip = bench_short_loops.first_bars(whole, 1)
    assert clip.length == 4.0 and not drums and all(n.start < 4.0 for n in clip.notes)
    loop = clip_rows(clip)
    again = np.concatenate([loop + [b * to_ticks(4.0), 0, 0, 0] for b in range(8)])
    np.testing.assert_array_equal(bench_short_loops.kept_by_bar(clip, again), np.ones(8))
    moved = again.copy()
    moved[len(loop) * 3 : len(loop) * 4, 1] += 1  # the fourth bar a semitone up
    kept = bench_short_loops.kept_by_bar(clip, moved)
    assert kept[3] == 0.0 and (np.delete(kept, 3) == 1.0).all()


def test_takes_clips_rest_where_their_kinds_say_and_a_take_is_the_clip_again_by_its_notes() -> None:
    from segue.grid import clip_rows, to_ticks

    rng = np.random.default_rng(0)
    clips = {kind: make(rng) for kind, make in bench_takes.KINDS.items()}
    resting = clips["lead, rests in bar 4"]
    assert resting.length == 16.0 and max(n.start for n in resting.notes) < 12.0
    assert all(not 4.0 <= n.start < 8.0 for n in clips["bassline, rests in bars 2 and 4"].notes)
    held = clips["lead, last note held through bar 4"]
    assert held.notes[-1].end == 16.0 and held.notes[-1].start < 12.0
    loop = to_ticks(16.0)
    rows = clip_rows(resting)
    seed = bench_takes.keys(rows, loop)
    assert bench_takes.keys(rows + [loop, 0, 0, 0], loop) == seed  # one loop on: the clip again
    moved = rows.copy()
    moved[0, 1] += 2
    assert bench_takes.keys(moved, loop) != seed
