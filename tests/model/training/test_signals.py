"""Ctrl-C during training: the flag it sets, and `segue train` saving last.pt so that
resuming loses nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import replace

import pytest
from console_events import Console
from ctrl_c import NEW_GROUP, interrupt
from tiny_training import TINY, TINY_ARGS, quiet, same_weights

from segue.model.checkpoint import read_checkpoint
from segue.model.training import signals
from segue.model.training.loop import train
from segue.model.training.signals import StopFlag, console_close_waits, stop_on_signals


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
    """Windows sends SIGBREAK for Ctrl-Break; here another signal stands in for it."""
    monkeypatch.setattr(signal, "SIGBREAK", signal.SIGUSR1, raising=False)
    before = signal.getsignal(signal.SIGUSR1)
    with stop_on_signals(StopFlag()) as flag:
        signal.raise_signal(signal.SIGUSR1)
        assert flag.requested
    assert signal.getsignal(signal.SIGUSR1) is before


def test_closing_the_console_window_waits_for_the_save() -> None:
    """Windows ends the process when the close handler returns: it must not return before
    the block (the batch, the save) is done. Ctrl-C is left to Python's handlers."""
    console, flag = Console(), StopFlag()
    with console_close_waits(flag, console.register):
        console.send(0).join(1)  # Ctrl-C: not ours, answered at once
        assert console.answers == [(False, pytest.approx(0, abs=0.5))] and not flag.requested
        closing = console.send(2)  # CTRL_CLOSE_EVENT
        time.sleep(0.3)
        assert flag.requested and closing.is_alive()  # held while the work finishes
        saved = time.monotonic()
    closing.join(2)
    assert console.answers[-1][0] is True and console.answers[-1][1] >= 0.3
    assert time.monotonic() - saved < 1 and console.handler is None


def test_a_close_handler_waits_no_longer_than_windows_allows(monkeypatch) -> None:
    monkeypatch.setattr(signals, "CLOSE_WAIT", 0.2)
    console = Console()
    with console_close_waits(StopFlag(), console.register):
        console.send(2).join(2)  # the work never finishes: the handler gives up in time
        assert console.answers[0][0] is True and console.answers[0][1] < 1
    if sys.platform != "win32":  # without a stand-in, nothing is registered here
        with console_close_waits(StopFlag()):
            pass


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
