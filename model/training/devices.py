"""Where training runs: the device, mixed precision, CPU threads and torchrun's processes."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

from segue.cores import usable_cores
from segue.errors import SegueError


@dataclass(frozen=True)
class Processes:
    """Where this process stands in a torchrun launch (rank 0 of 1 without one)."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0
    local_world: int = 1

    @property
    def main(self) -> bool:
        return self.rank == 0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Processes:
        values = os.environ if env is None else env
        world = int(values.get("WORLD_SIZE", "1"))
        rank = int(values.get("RANK", "0"))
        local_rank = int(values.get("LOCAL_RANK", str(rank)))
        local_world = int(values.get("LOCAL_WORLD_SIZE", str(world)))
        return cls(rank, world, local_rank, local_world)


DEVICE_NAMES = ("auto", "cpu", "cuda", "mps")
"""What ``--device`` takes, besides ``cuda:N`` for one GPU of several."""


def is_device_name(name: str) -> bool:
    return name in DEVICE_NAMES or re.fullmatch(r"cuda:\d+", name) is not None


def mps_available() -> bool:
    """Whether PyTorch sees a Mac's GPU (Metal Performance Shaders)."""
    backend = getattr(torch.backends, "mps", None)
    return backend is not None and bool(backend.is_available())


def resolve_device(name: str, local_rank: int = 0) -> torch.device:
    """``auto`` is CUDA when PyTorch sees an NVIDIA GPU, else a Mac's GPU (MPS), else the CPU."""
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "mps" if mps_available() else "cpu"
    if name == "cpu":
        return torch.device("cpu")
    if name == "mps":
        if not mps_available():
            raise SegueError(
                "device mps: PyTorch sees no Mac GPU here (MPS needs macOS 12.3 or newer on "
                "Apple Silicon or an AMD GPU); use --device cpu"
            )
        return torch.device("mps")
    if not torch.cuda.is_available():
        raise SegueError(f"device {name}: PyTorch sees no CUDA GPU here; use --device cpu")
    if name == "cuda":
        return torch.device("cuda", local_rank % torch.cuda.device_count())
    device = torch.device(name)
    if device.index is not None and device.index >= torch.cuda.device_count():
        raise SegueError(f"device {name}: there are only {torch.cuda.device_count()} GPUs")
    return device


def mixed_precision(device: torch.device) -> torch.dtype | None:
    """bfloat16 on GPUs that support it, else float16 (with a GradScaler); none on the CPU
    or a Mac's GPU."""
    if device.type != "cuda":
        return None
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def grad_scaler(device: torch.device, amp: torch.dtype | None) -> Any:
    """The loss scaler that float16 training needs (disabled otherwise): ``torch.amp``'s, or
    on PyTorch 2.2 (the last for Intel Macs, which have no CUDA) ``torch.cuda.amp``'s."""
    enabled = amp == torch.float16
    if hasattr(torch.amp, "GradScaler"):
        return torch.amp.GradScaler(device.type, enabled=enabled)
    return torch.cuda.amp.GradScaler(enabled=enabled)


def sums_dtype(device: torch.device) -> torch.dtype:
    """float64 for running sums of losses, but float32 on a Mac's GPU, which has no float64."""
    return torch.float32 if device.type == "mps" else torch.float64


def autocast(device: torch.device, amp: torch.dtype | None) -> Any:
    """Mixed precision ``amp`` on ``device`` for the ``with`` block (nothing when None)."""
    return torch.autocast(device.type, dtype=amp) if amp is not None else nullcontext()


@contextmanager
def torch_threads(device: torch.device, threads: int | None, procs: Processes) -> Iterator[int]:
    """On the CPU, use the given threads or this process's share of the cores."""
    before = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(threads or max(1, usable_cores() // procs.local_world))
    try:
        yield torch.get_num_threads()
    finally:
        torch.set_num_threads(before)


@contextmanager
def process_group(procs: Processes, device: torch.device) -> Iterator[None]:
    """torchrun's process group for the ``with`` block (nothing in a single process)."""
    if procs.world == 1:
        yield
        return
    import torch.distributed as dist

    if device.type == "cuda":
        torch.cuda.set_device(device)
    dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    try:
        yield
        # every rank ends together: rank 0 writes files after the last collective, and a
        # gloo group torn down under a peer still inside it can abort the process
        dist.barrier()
    finally:
        dist.destroy_process_group()


def all_reduce(t: Tensor, procs: Processes, op: str = "sum") -> Tensor:
    """``t`` summed (or its maximum taken) over all processes, in place."""
    if procs.world > 1:
        import torch.distributed as dist

        dist.all_reduce(t, op=dist.ReduceOp.MAX if op == "max" else dist.ReduceOp.SUM)
    return t
