"""The benchmark scripts run off Linux too: what they read of the machine is Linux's or
POSIX's, and they say so where it is missing rather than stop."""

from __future__ import annotations

import os
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_bridge  # noqa: E402
import bench_generate  # noqa: E402


def test_without_a_load_average_as_on_windows(monkeypatch) -> None:
    monkeypatch.delattr(os, "getloadavg", raising=False)
    assert bench_generate.load_average() == "unknown"


def test_without_proc_as_on_macos_and_windows(tmp_path) -> None:
    assert bench_bridge.rss_mb(os.getpid(), proc=tmp_path) is None
    if Path("/proc/self/status").exists():
        assert (bench_bridge.rss_mb(os.getpid()) or 0) > 1
