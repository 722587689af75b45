"""Ctrl-C during training: the flag it sets, and `segue train` saving last.pt so that
resuming loses nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import replace

import pytest
from ctrl_c import NEW_GROUP, interrupt
from tiny_training import TINY, TINY_ARGS, quiet, same_weights

from segue.model.checkpoint import read_checkpoint
from segue.model.training.loop import train
from segue.model.training.signals import StopFlag, stop_on_signals


def test_ctrl_c_asks_to_stop_and_a_second_one_later_stops_at_once() -> None:
    before = signal.getsignal(signal.SIGINT)
    with stop_on_signals(StopFlag()) as flag:
        assert not flag.requested
        signal.raise_signal(signal.SIGINT)
        assert flag.requested
        signal.raise_signal(signal.SIGINT)  # at once: the same request (torchrun's echo)
        flag.since -= 2.0
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="needs a POSIX signal to stand in")
def test_ctrl_break_on_windows_asks_to_stop_as_ctrl_c_does(monkeypatch) -> None:
    """Windows sends SIGBREAK for Ctrl-Break and when the console window closes; here another
    signal stands in for it."""
    monkeypatch.setattr(signal, "SIGBREAK", signal.SIGUSR1, raising=False)
    before = signal.getsignal(signal.SIGUSR1)
    with stop_on_signals(StopFlag()) as flag:
        signal.raise_signal(signal.SIGUSR1)
        assert flag.requested
    assert signal.getsignal(signal.SIGUSR1) is before


def test_ctrl_c_saves_and_resume_matches_an_uninterrupted_run(dataset_path, tmp_path) -> None:
    """SIGINT mid-run saves last.pt; resuming reaches the weights of a run never stopped."""
    run = tmp_path / "stopped"
    args = [
        sys.executable,
        "-m",
        "segue",
        "train",
        str(dataset_path),
        "-o",
        str(run),
        *TINY_ARGS,
        "--epochs",
        "1000",
    ]
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        **NEW_GROUP,
    )
    try:
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("epoch 2/"):
                interrupt(proc)
                break
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "--resume" in err.splitlines()[-1]
    state = read_checkpoint(run / "last.pt")["training_state"]
    done = state["epoch"] + (1 if state["batch"] else 0)
    assert 2 <= done < 1000
    target = done + 1
    resumed = train(None, run, replace(TINY, epochs=target), resume=True, progress=False, log=quiet)
    whole = train(
        dataset_path, tmp_path / "whole", replace(TINY, epochs=target), progress=False, log=quiet
    )
    assert resumed.status == whole.status == "completed"
    assert same_weights(run / "last.pt", tmp_path / "whole" / "last.pt")
    assert resumed.history == [
        {**h, "seconds": h2["seconds"], "elapsed": h2["elapsed"]}
        for h, h2 in zip(whole.history, resumed.history, strict=True)
    ]
