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


STOPPED_INSTALLING = """
import os, signal, sys, time
from segue.model import bundle
from segue.model.tuning import install

def stopped_there(module, calls=[]):
    real = module.save_checkpoint

    def save(*args, **kwargs):  # the weights being written: a stop (the card not yet)
        calls.append(1)
        if len(calls) == 2:
            time.sleep(1.2)  # a second Ctrl-C, over a second after the first, ends a tuning
        os.kill(os.getpid(), signal.{signal})
        return real(*args, **kwargs)

    module.save_checkpoint = save

stopped_there(bundle)
stopped_there(install)
from segue.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""`segue` sent a signal while each install writes its model's weights."""


def _installed_whole(name: str, models: Path, args: list[str], signal_name: str) -> None:
    """Run ``segue ARGS`` stopped (``signal_name``) while it installs model ``name`` in
    ``models``: it says it stopped, exit 130, and that the model was installed whole."""
    script = STOPPED_INSTALLING.replace("{signal}", signal_name)
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=WAIT,
    )
    assert done.returncode == 130, (done.returncode, done.stderr)
    last = done.stderr.strip().splitlines()[-1]
    pt = models / f"{name}.pt"
    assert last == (
        f"segue: stopped: model {name} was installed whole first ({pt}); 'segue models' lists it"
    ), done.stderr
    assert pt.is_file() and pt.with_suffix(".md").is_file()


@pytest.mark.skipif(sys.platform == "win32", reason="Windows ends a process without a signal")
@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_stop_held_for_an_install_says_the_model_was_installed(name, models_dir, tmp_path):
    """Ctrl-C or SIGTERM during `segue models add` waits for the model to be whole, then
    ended it with a bare "segue: stopped": the musician took it for not installed, and the
    retry was refused as a name that exists. The line says it was installed, and where."""
    models = tmp_path / "models"
    args = ["models", "add", str(models_dir / "tiny.pt"), "--name", "mine"]
    _installed_whole("mine", models, [*args, "--models-dir", str(models)], name)


def test_a_second_ctrl_c_held_for_a_tunings_install_says_it_was_installed(models_dir, tmp_path):
    """`segue tune` stopped a second time while it installs its refitted model ends as a
    stop (130), saying the model is installed whole."""
    from tuning_material import write_riffs

    write_riffs(tmp_path / "riffs", 6)
    home = tmp_path / "home"
    args = ["tune", str(tmp_path / "riffs"), "-o", "kept", "--from", "tiny"]
    args += ["--models-dir", str(models_dir), "--seconds", "2", "--threads", "1"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SEGUE_HOME", str(home))
        _installed_whole("kept", home / "models", args, "SIGINT")
