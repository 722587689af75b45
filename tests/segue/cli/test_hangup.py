"""The terminal window closing (a hangup, macOS and Linux) while segue works: a tuning keeps
its best so far, the bridge stops as on Ctrl-C. Each command runs on a real pseudo-terminal,
closed under it as a terminal emulator closes a window; then its whole process group hears
SIGHUP, as an interactive shell (zsh, bash) passes it on to the job it ran."""

from __future__ import annotations

import os
import re
import select
import signal
import sys
import time
from pathlib import Path

import pytest
from tuning_material import write_riffs

pty = pytest.importorskip("pty")  # POSIX; Windows' console close is test_signals'

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a hangup is POSIX's")


def hang_up(fd: int, pid: int) -> None:
    """The window closes: the kernel hangs up the terminal, and the shell passes SIGHUP on to
    its job's process group (the command and the processes it started)."""
    os.close(fd)
    try:
        os.killpg(pid, signal.SIGHUP)
    except ProcessLookupError:  # already gone
        pass


def answers(port: int) -> None:
    """Wait until a bridge on ``port`` answers a ping: it serves, its stop signals taken (it
    says where it listens a moment before, and a signal then still ends it at once)."""
    from segue.bridge.client import BridgeClient
    from segue.errors import SegueError

    deadline = time.monotonic() + 60
    while True:
        try:
            with BridgeClient("127.0.0.1", port, timeout=1.0) as client:
                client.ping()
                return
        except SegueError:
            assert time.monotonic() < deadline, "the bridge never answered"


LISTENING = re.compile(rb"listening on udp [\d.]+:(\d+) ")
"""The bridge's first line, with the port it bound: each bridge here is started on port 0
and says which port it got (a port found free and let go may be taken before it binds)."""


def run_until_hangup(
    args: list[str], env: dict[str, str], ready: bytes, after: float, serves: bool = False
) -> int:
    """Run ``segue ARGS`` on a pseudo-terminal; once ``ready`` has been printed (and, if it
    ``serves``, a bridge answers on the port it says) and ``after`` more seconds have
    passed, close the terminal; the command's exit status (negative: the signal that ended
    it)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, on the terminal
        os.execve(sys.executable, [sys.executable, "-m", "segue", *args], env)

    def waiting() -> bool:
        return ready not in seen or (serves and not LISTENING.search(seen))

    seen, deadline = b"", time.monotonic() + 120
    while waiting() and time.monotonic() < deadline:
        if select.select([fd], [], [], 1.0)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the command ended first
                break
    assert not waiting(), seen.decode(errors="replace")
    if serves:
        answers(int(LISTENING.search(seen).group(1)))  # type: ignore[union-attr]
    end = time.monotonic() + after
    while time.monotonic() < end:  # keep reading, as a terminal does
        if select.select([fd], [], [], 0.1)[0]:
            try:
                os.read(fd, 4096)
            except OSError:
                break
    hang_up(fd, pid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.1)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    raise AssertionError("still running a minute after the hangup")


def test_a_tuning_keeps_its_best_when_its_terminal_closes(tmp_path: Path, models_dir) -> None:
    """Closing the Terminal window killed `segue tune` at once: the minute's learning lost."""
    write_riffs(tmp_path / "riffs", 10)
    home = tmp_path / "home"
    env = {**os.environ, "SEGUE_HOME": str(home)}
    args = ["tune", str(tmp_path / "riffs"), "-o", "kept", "--from", "tiny"]
    args += ["--models-dir", str(models_dir), "--seconds", "120", "--threads", "1"]
    code = run_until_hangup(args, env, b"tuning tiny on", 4.0)
    assert code == 0, code  # not killed by the hangup
    assert (home / "models" / "kept.pt").exists() and (home / "models" / "kept.md").exists()
    card = (home / "models" / "kept.md").read_text(encoding="utf-8")
    assert "it was stopped" in card


def test_the_bridge_stops_as_on_ctrl_c_when_its_terminal_closes(tmp_path: Path, models_dir):
    env = {**os.environ, "SEGUE_HOME": str(tmp_path / "home")}
    args = ["serve", "--port", "0", "--model", "tiny", "--models-dir", str(models_dir)]
    assert run_until_hangup(args, env, b"listening on udp", 0.2, serves=True) == 0


def test_a_learn_in_the_bridge_keeps_its_best_when_the_terminal_closes(
    tmp_path: Path, models_dir
) -> None:
    """The tuning process heard the hangup too, and died with the bridge: the Learn lost."""
    from tuning_material import riff

    from segue.bridge.client import BridgeClient

    home = tmp_path / "home"
    env = {**os.environ, "SEGUE_HOME": str(home)}
    args = ["serve", "--port", "0", "--model", "tiny", "--models-dir", str(models_dir)]
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "segue", *args], env)
    seen = b""
    while not (listening := LISTENING.search(seen)):
        assert select.select([fd], [], [], 60)[0], seen
        seen += os.read(fd, 4096)
    port = int(listening.group(1))
    closed = []

    def close_window(state: str, percent: float, loss: float) -> None:
        if state == "tuning" and not closed:  # it has learnt something: close the window
            hang_up(fd, pid)
            closed.append(True)

    try:
        with BridgeClient("127.0.0.1", port, timeout=30) as client:
            done = client.learn(
                [(riff(i), False) for i in range(10)], "hup", 120, "tiny", on_status=close_window
            )
    finally:
        if not closed:
            os.close(fd)
        _, status = os.waitpid(pid, 0)
    assert closed and os.waitstatus_to_exitcode(status) == 0
    assert done.name == "hup" and (home / "models" / "hup.pt").exists()


def test_a_hangup_ignored_from_the_start_is_left_alone_and_a_log_keeps_its_lines(
    tmp_path: Path, models_dir
) -> None:
    """`nohup segue serve > log &`: the hangup is ignored, so the bridge goes on (the stop
    signals took it over, and nohup no longer worked); and a bridge whose output goes to a
    file stops on a hangup with its last lines in the file (they went to the null device)."""
    import subprocess

    from segue.bridge.client import BridgeClient

    def serve(log: Path, ignore: bool) -> tuple[subprocess.Popen, int]:
        def nohup() -> None:
            if ignore:
                signal.signal(signal.SIGHUP, signal.SIG_IGN)

        out = log.open("wb")
        args = ["serve", "--port", "0", "--model", "tiny", "--models-dir", str(models_dir)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "segue", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "SEGUE_HOME": str(tmp_path / "home")},
            preexec_fn=nohup,
        )
        deadline = time.monotonic() + 60
        while not (listening := LISTENING.search(log.read_bytes())):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_bytes()
            time.sleep(0.05)
        port = int(listening.group(1))
        answers(port)
        return proc, port

    kept, port = serve(tmp_path / "nohup.log", ignore=True)
    try:
        kept.send_signal(signal.SIGHUP)
        time.sleep(1.0)
        assert kept.poll() is None  # still serving
        with BridgeClient("127.0.0.1", port) as client:
            assert client.ping().model == "tiny"
    finally:
        kept.terminate()
        assert kept.wait(30) == 0
    logged, _ = serve(tmp_path / "logged.log", ignore=False)
    logged.send_signal(signal.SIGHUP)
    assert logged.wait(30) == 0
    assert "segue bridge stopped" in (tmp_path / "logged.log").read_text(encoding="utf-8")
