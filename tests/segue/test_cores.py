"""The cores a process may use: Linux's confinement known, every core elsewhere."""

from __future__ import annotations

import os
import sys

import pytest
from fresh_python import fresh_python

from segue.cores import usable_cores, worker_count


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux confines a process to cores")
def test_a_process_confined_to_one_core_uses_one() -> None:
    code = (
        "import os; from segue.cores import usable_cores; "
        "os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]}); print(usable_cores())"
    )
    assert fresh_python(code).strip() == "1"
    assert usable_cores() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_macos_and_windows_count_every_core(monkeypatch, platform) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert usable_cores() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # Python may not know
    assert usable_cores() == 1


def test_a_pool_on_windows_has_no_more_workers_than_one_wait_can_watch() -> None:
    """A 32-thread processor: Windows' waits watch 63 handles (only a PC can run them)."""
    assert worker_count(64, platform="win32") == 61  # multiprocessing's Pool
    assert worker_count(32, handles=2, spare=0, platform="win32") == 31  # the corpus export
    assert worker_count(8, handles=2, spare=0, platform="win32") == 8
    assert worker_count(64, platform="linux") == 64 and worker_count(0, platform="darwin") == 1
