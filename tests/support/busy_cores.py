"""A busy 2-core computer, made certain: steps on two threads cost ``delay`` seconds more
(PyTorch's threads waiting for each other), for the tests of ``training.pace``'s users."""

from __future__ import annotations

import time
from types import ModuleType
from typing import Any

import pytest
import torch


def busy_two_cores(monkeypatch: pytest.MonkeyPatch, module: ModuleType, delay: float) -> list[int]:
    """Give segue 2 usable cores and slow ``module.train_step`` by ``delay`` on more than one
    thread; the list it returns fills with the thread count of every step taken."""
    from segue.model.training import devices

    monkeypatch.setattr(devices, "usable_cores", lambda: 2)
    threads: list[int] = []
    step = module.train_step

    def busy(*args: Any, **kwargs: Any) -> Any:
        threads.append(torch.get_num_threads())
        if threads[-1] > 1:
            time.sleep(delay)
        return step(*args, **kwargs)

    monkeypatch.setattr(module, "train_step", busy)
    return threads
