"""A command ended by SIGTERM (`kill`, a logout, a service manager) or a hangup (its terminal
closed) while it writes ends as on Ctrl-C: "stopped", and nothing half-written left. Python's
own defaults ended it where it stood, its hidden temporary file left beside its output."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "examples" / "seeds" / "reel.mid"
WAIT = 300.0
"""Seconds the command is given to reach its write (loading torch and the model: seconds on
a quiet computer, many times that on a loaded one)."""

SLOW_WRITE = """
import sys, time
import segue.files as files

def held(tmp, out, platform=None):  # the file written, not yet in its place
    print("writing", flush=True)
    time.sleep(120)

files.replace_file = held
from segue.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""`segue` with each atomic write held just before its rename, said on stdout."""


@pytest.mark.skipif(sys.platform == "win32", reason="Windows ends a process without a signal")
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_command_ended_while_it_writes_stops_as_on_ctrl_c(name, models_dir, tmp_path) -> None:
    out = tmp_path / "next.mid"
    command = [sys.executable, "-c", SLOW_WRITE, "generate", str(SEED), "--model", "tiny"]
    command += ["--models-dir", str(models_dir), "--bars", "1", "-o", str(out)]
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == "writing\n", (line, child.stderr.read() if child.stderr else "")
        child.send_signal(getattr(signal, name))
        _, err = child.communicate(timeout=WAIT)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 130, (child.returncode, err)
    assert err.strip().endswith("segue: stopped"), err
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "nothing half-written is left"


def test_a_hangup_ignored_stays_ignored() -> None:
    """`nohup segue ...` goes on when its terminal closes: an ignored SIGHUP stays ignored."""
    if not hasattr(signal, "SIGHUP"):
        pytest.skip("no hangup on Windows")
    from segue.model.training.signals import ended_as_ctrl_c

    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with ended_as_ctrl_c():
            assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    finally:
        signal.signal(signal.SIGHUP, before)
