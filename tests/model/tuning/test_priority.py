"""A background process lowers its priority on every OS: a real niceness here, Windows'
kernel32 calls through a stand-in (only a PC can run the real one)."""

from __future__ import annotations

import os
import sys

import pytest
from fresh_python import fresh_python

from segue.model.tuning.priority import (
    BELOW_NORMAL_PRIORITY_CLASS,
    NICENESS,
    lower_priority,
)


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no niceness on this OS")
def test_on_linux_and_macos_the_process_becomes_nicer() -> None:
    code = (
        "import os; from segue.model.tuning.priority import lower_priority; "
        "print(os.nice(0)); print(lower_priority()); print(os.nice(0))"
    )
    out = fresh_python(code).split("\n")
    before, said, after = int(out[0]), out[1], int(out[2])
    assert after == min(before + NICENESS, 19) and said == f"niceness {after}"
    assert os.nice(0) == before  # this process is untouched


class FakeKernel32:
    """Windows' kernel32 as far as segue calls it: the calls made, and an answer."""

    def __init__(self, succeeds: bool) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.succeeds = succeeds

    def GetCurrentProcess(self) -> int:  # noqa: N802 (Windows' name)
        return -1  # the pseudo-handle Windows gives

    def SetPriorityClass(self, handle: int, priority: int) -> int:  # noqa: N802
        self.calls.append((handle, priority))
        return 1 if self.succeeds else 0


def test_on_windows_the_process_is_below_normal() -> None:
    kernel32 = FakeKernel32(succeeds=True)
    assert lower_priority("win32", kernel32) == "priority below normal"
    assert kernel32.calls == [(-1, BELOW_NORMAL_PRIORITY_CLASS)]
    assert BELOW_NORMAL_PRIORITY_CLASS == 0x4000  # WinBase.h


def test_a_refusal_or_a_missing_library_leaves_the_priority_and_carries_on() -> None:
    assert lower_priority("win32", FakeKernel32(succeeds=False)) == (
        "priority unchanged (Windows refused)"
    )
    if sys.platform != "win32":  # kernel32 cannot load here: no exception, a reason
        said = lower_priority("win32")
        assert said.startswith("priority unchanged (") and "Windows" in said
