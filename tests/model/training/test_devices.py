"""Where training runs: the device, CPU threads, and several processes under torchrun."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import replace

import pytest
import torch
from ports import HeldPorts, retry_taken
from tiny_training import TINY, TINY_ARGS, evaluate, quiet

from segue.errors import SegueError
from segue.model.checkpoint import load_checkpoint
from segue.model.training.devices import (
    Processes,
    autocast,
    grad_scaler,
    mixed_precision,
    resolve_device,
    sums_dtype,
    torch_threads,
)
from segue.model.training.loop import train


def test_processes_read_torchruns_environment() -> None:
    assert Processes.from_env({}) == Processes(0, 1, 0, 1) and Processes().main
    launched = Processes.from_env(
        {"WORLD_SIZE": "4", "RANK": "3", "LOCAL_RANK": "1", "LOCAL_WORLD_SIZE": "2"}
    )
    assert launched == Processes(3, 4, 1, 2) and not launched.main


def test_the_cpu_trains_in_full_precision_on_its_share_of_threads() -> None:
    cpu = resolve_device("cpu")
    assert cpu == torch.device("cpu") and mixed_precision(cpu) is None
    with autocast(cpu, None):
        assert not torch.is_autocast_enabled()
    before = torch.get_num_threads()
    with torch_threads(cpu, 1, Processes()) as threads:
        assert threads == torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    if not torch.cuda.is_available():
        with pytest.raises(SegueError, match="no CUDA GPU here; use --device cpu"):
            resolve_device("cuda")


def _gpus(monkeypatch, cuda: bool, mps: bool) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)


def test_auto_takes_cuda_then_a_macs_gpu_then_the_cpu(monkeypatch) -> None:
    _gpus(monkeypatch, cuda=False, mps=True)
    mps = resolve_device("auto")
    assert mps == resolve_device("mps") == torch.device("mps")
    assert mixed_precision(mps) is None and sums_dtype(mps) == torch.float32  # MPS: no float64
    _gpus(monkeypatch, cuda=False, mps=False)
    assert resolve_device("auto") == torch.device("cpu")
    assert sums_dtype(torch.device("cpu")) == torch.float64
    with pytest.raises(SegueError, match="device mps: PyTorch sees no Mac GPU here") as caught:
        resolve_device("mps")
    assert "use --device cpu" in str(caught.value) and "\n" not in str(caught.value)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    _gpus(monkeypatch, cuda=True, mps=True)
    assert resolve_device("auto") == torch.device("cuda", 0)


@pytest.mark.filterwarnings("ignore:`torch.cuda.amp.GradScaler:FutureWarning")
def test_training_without_torch_amps_scaler_as_on_pytorch_2_2(
    monkeypatch, dataset_path, tmp_path
) -> None:
    """Intel Macs get PyTorch 2.2, whose GradScaler lives in torch.cuda.amp only."""
    monkeypatch.delattr(torch.amp, "GradScaler")
    scaler = grad_scaler(torch.device("cpu"), None)
    assert isinstance(scaler, torch.cuda.amp.GradScaler) and not scaler.is_enabled()
    result = train(dataset_path, tmp_path / "run", replace(TINY, epochs=1), log=quiet)
    assert result.status == "completed" and (tmp_path / "run" / "best.pt").exists()


def test_torchrun_with_two_processes(dataset_path, tmp_path, encoded) -> None:
    run = tmp_path / "ddp"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}

    def start(master_port: int) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "torch.distributed.run",
                "--nproc_per_node",
                "2",
                "--master_addr",
                "127.0.0.1",
                "--master_port",
                str(master_port),
                "-m",
                "segue",
                "train",
                str(dataset_path),
                "-o",
                str(run),
                *TINY_ARGS,
                "--epochs",
                "2",
            ],
            capture_output=True,
            text=True,
            timeout=240,
            env=env,
            encoding="utf-8",
        )

    # torchrun binds the master port itself, once it runs (its TCP store): started again on
    # a fresh port if another socket took that one meanwhile
    held = HeldPorts(socket.SOCK_STREAM)
    try:
        result, _ = retry_taken(held, held.take(), start, lambda r, port: "EADDRINUSE" in r.stderr)
    finally:
        held.close()
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("epoch 2/2  train") == 1  # only rank 0 prints
    assert "x 2 processes" in result.stdout
    loaded = load_checkpoint(run / "best.pt")
    assert loaded.info["world_size"] == 2
    last = load_checkpoint(run / "last.pt")
    # the all-reduced validation loss is the loss of the whole valid split
    _, valid = encoded
    assert evaluate(last.model, valid, window=32)["total"] == pytest.approx(
        last.info["history"][-1]["valid"]["total"], rel=1e-5
    )
