"""The terminal window closing (a hangup, macOS and Linux) while segue works: a tuning keeps
its best so far, the bridge stops as on Ctrl-C. Each command runs on a real pseudo-terminal,
closed under it as a terminal emulator closes a window; then its whole process group hears
SIGHUP, as an interactive shell (zsh, bash) passes it on to the job it ran."""

from __future__ import annotations

import os
import re
import select
import signal
import struct
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tuning_material import write_riffs

pty = pytest.importorskip("pty")  # POSIX; Windows' console close is test_signals'
fcntl = pytest.importorskip("fcntl")
termios = pytest.importorskip("termios")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a hangup is POSIX's")


WAIT = 300.0
"""Seconds any one event here is awaited (a line printed, a port answering, a process
ending): each takes a few seconds on a quiet machine, and many times that on a machine
loaded 8-13 with other work (the whole suite beside other jobs), where the fixed waits these
tests had (4 s of tuning, a 30 s exit, a 1 s answer) ran out. A real hang still fails, with
what was awaited and what was seen."""


def hang_up(fd: int, pid: int) -> None:
    """The window closes: the kernel hangs up the terminal, and the shell passes SIGHUP on to
    its job's process group (the command and the processes it started)."""
    os.close(fd)
    try:
        os.killpg(pid, signal.SIGHUP)
    except ProcessLookupError:  # already gone
        pass


def answers(port: int, seconds: float = WAIT) -> Any:
    """Wait until a bridge on ``port`` answers a ping (its reply): it serves, its stop
    signals taken (it says where it listens a moment before, and a signal then still ends it
    at once)."""
    from segue.bridge.client import BridgeClient
    from segue.errors import SegueError

    deadline = time.monotonic() + seconds
    while True:
        try:
            with BridgeClient("127.0.0.1", port, timeout=2.0) as client:
                return client.ping()
        except SegueError as exc:
            assert time.monotonic() < deadline, (
                f"no answer to a ping on {port} in {seconds:g} s: {exc}"
            )


def ended(pid: int, seconds: float, what: str) -> int:
    """The exit status (negative: the signal that ended it) of child ``pid``, which is awaited
    up to ``seconds``; one still running then is killed, and the test fails saying ``what``
    it was awaited for."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError(f"still running {seconds:g} s after {what}")


LISTENING = re.compile(rb"listening on udp [\d.]+:(\d+) ")
"""The bridge's first line, with the port it bound: each bridge here is started on port 0
and says which port it got (a port found free and let go may be taken before it binds)."""

LEARNT = re.compile(rb"held-out loss ([\d.]+) \(best \1\)")
"""The progress bar of a round that lowered the held-out loss (its loss is the best so
far): the tuning has something to keep."""


def as_a_shell_starts_it(hangup: Any = signal.SIG_DFL) -> None:
    """In a child about to exec the command: a hangup at its default, as an interactive
    shell starts a job. Ignored signals stay ignored across exec, and a test run started
    with `nohup` (or from a job that ignores SIGHUP) ignores it: each command here then took
    the hangup for `nohup segue ...`'s and went on, and the tests failed or hung in such a
    whole-suite run, where alone they passed. (A shell that leaves its jobs running when it
    ends starts them with the ``hangup`` ignored.)"""
    signal.signal(signal.SIGHUP, hangup)


class Terminal:
    """``segue ARGS`` run on a pseudo-terminal of 24 lines of 120 columns (a real window has
    a size: the progress bar is drawn to fit it), and what it printed there so far."""

    def __init__(self, args: list[str], env: dict[str, str], hangup: Any = signal.SIG_DFL) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the command, on the terminal
            as_a_shell_starts_it(hangup)
            os.execve(sys.executable, [sys.executable, "-m", "segue", *args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
        self.seen = b""
        self.open = True

    def read(self, seconds: float) -> bool:
        """Read what is printed for up to ``seconds`` (as a terminal does: a command whose
        terminal is not read blocks on its output); False once the command has ended."""
        if select.select([self.fd], [], [], seconds)[0]:
            try:
                self.seen += os.read(self.fd, 4096)
            except OSError:  # the command ended: nothing more to read
                return False
        return True

    def wait_for(self, pattern: re.Pattern[bytes], what: str) -> re.Match[bytes]:
        """Read until ``pattern`` has been printed; fail, saying ``what`` was awaited and what
        was seen, if the command ends or :data:`WAIT` s pass first."""
        deadline = time.monotonic() + WAIT
        while not (found := pattern.search(self.seen)):
            alive = self.read(min(1.0, max(deadline - time.monotonic(), 0.0)))
            if not alive or time.monotonic() > deadline:
                said = "ended" if not alive else f"ran {WAIT:g} s"
                shown = self.seen.decode(errors="replace")[-2000:]
                raise AssertionError(f"awaited {what}; it {said}, having printed:\n{shown}")
        return found

    def keep_reading(self, seconds: float) -> None:
        """Read for ``seconds`` more."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and self.read(0.1):
            pass

    def hang_up(self) -> None:
        """Close the window (:func:`hang_up`)."""
        if self.open:
            self.open = False
            hang_up(self.fd, self.pid)

    def exit_code(self) -> int:
        """The command's exit status once it ends after the hangup (within :data:`WAIT` s)."""
        return ended(self.pid, WAIT, "the hangup")


def run_until_hangup(
    args: list[str], env: dict[str, str], ready: re.Pattern[bytes], what: str, serves: bool = False
) -> int:
    """Run ``segue ARGS`` on a pseudo-terminal; once ``ready`` (``what`` it says) has been
    printed (and, if it ``serves``, a bridge answers on the port it says), close the
    terminal; the command's exit status (negative: the signal that ended it)."""
    terminal = Terminal(args, env)
    try:
        terminal.wait_for(ready, what)
        if serves:
            answers(int(terminal.wait_for(LISTENING, "the bridge's port").group(1)))
            terminal.keep_reading(0.2)
    except BaseException:
        terminal.hang_up()
        ended(terminal.pid, 60, "a failed test's hangup")
        raise
    terminal.hang_up()
    return terminal.exit_code()


def test_a_tuning_keeps_its_best_when_its_terminal_closes(tmp_path: Path, models_dir) -> None:
    """Closing the Terminal window killed `segue tune` at once: the minute's learning lost."""
    write_riffs(tmp_path / "riffs", 10)
    home = tmp_path / "home"
    env = {**os.environ, "SEGUE_HOME": str(home)}
    args = ["tune", str(tmp_path / "riffs"), "-o", "kept", "--from", "tiny"]
    args += ["--models-dir", str(models_dir), "--seconds", "120", "--threads", "1"]
    code = run_until_hangup(args, env, LEARNT, "a round of the tuning that lowered its loss")
    assert code == 0, code  # not killed by the hangup
    assert (home / "models" / "kept.pt").exists() and (home / "models" / "kept.md").exists()
    card = (home / "models" / "kept.md").read_text(encoding="utf-8")
    assert "it was stopped" in card


def test_the_bridge_stops_as_on_ctrl_c_when_its_terminal_closes(tmp_path: Path, models_dir):
    env = {**os.environ, "SEGUE_HOME": str(tmp_path / "home")}
    args = ["serve", "--port", "0", "--model", "tiny", "--models-dir", str(models_dir)]
    assert run_until_hangup(args, env, LISTENING, "the bridge's first line", serves=True) == 0


def test_a_learn_in_the_bridge_keeps_its_best_when_the_terminal_closes(
    tmp_path: Path, models_dir
) -> None:
    """The tuning process heard the hangup too, and died with the bridge: the Learn lost."""
    from tuning_material import riff

    from segue.bridge.client import BridgeClient

    home = tmp_path / "home"
    env = {**os.environ, "SEGUE_HOME": str(home)}
    args = ["serve", "--port", "0", "--model", "tiny", "--models-dir", str(models_dir)]
    terminal = Terminal(args, env)
    closed: list[tuple[str, float, float]] = []
    heard: list[tuple[str, float, float]] = []

    def close_window(state: str, percent: float, loss: float) -> None:
        heard.append((state, percent, loss))
        if state == "tuning" and not closed:  # it has learnt something: close the window
            terminal.hang_up()
            closed.append((state, percent, loss))

    try:
        port = int(terminal.wait_for(LISTENING, "the bridge's first line").group(1))
        # a silence of 60 s is asked about with a ping, answered within 60 s more: the
        # bridge says where the learn stands every few seconds, and a stopping bridge
        # waits up to 30 s (KEEP_BEST_WAIT) for the tuning to install its best
        with BridgeClient("127.0.0.1", port, timeout=60) as client:
            done = client.learn(
                [(riff(i), False) for i in range(10)], "hup", 120, "tiny", on_status=close_window
            )
    except BaseException as exc:
        terminal.hang_up()
        ended(terminal.pid, 60, "a failed test's hangup")
        raise AssertionError(
            f"the learn heard {heard[-5:]}; the bridge printed:\n"
            f"{terminal.seen.decode(errors='replace')[-2000:]}"
        ) from exc
    assert closed, heard
    assert terminal.exit_code() == 0
    assert done.name == "hup" and (home / "models" / "hup.pt").exists()


def test_a_bridge_that_ignores_the_hangup_goes_on_quietly_after_its_terminal_closes(
    tmp_path: Path, models_dir
) -> None:
    """`segue serve &` from a shell that leaves its jobs running (the hangup ignored), its
    window then closed: the first log line written to the closed terminal (EIO) ended the
    thread that writes the log, every later line lost without a word, and at Ctrl-C the
    bridge's last line ended it with status 1 and a traceback. Its lines now go nowhere: it
    answers, and stops cleanly."""
    from tuning_material import riff

    from segue.bridge.client import BridgeClient

    env = {**os.environ, "SEGUE_HOME": str(tmp_path / "home")}
    args = ["serve", "--port", "0", "--model", "tiny", "--models-dir", str(models_dir)]
    terminal = Terminal(args, env, hangup=signal.SIG_IGN)
    try:
        port = int(terminal.wait_for(LISTENING, "the bridge's first line").group(1))
        answers(port)
        terminal.hang_up()
        with BridgeClient("127.0.0.1", port, timeout=WAIT) as client:
            for i in range(3):  # each logs a line to the closed terminal
                assert client.generate(riff(i), {"bars": 1}).variations
            assert client.ping().model == "tiny"
        os.kill(terminal.pid, signal.SIGINT)
    except BaseException:
        terminal.hang_up()
        os.kill(terminal.pid, signal.SIGTERM)
        ended(terminal.pid, 60, "a failed test's SIGTERM")
        raise
    assert ended(terminal.pid, WAIT, "Ctrl-C") == 0


def test_a_hangup_ignored_from_the_start_is_left_alone_and_a_log_keeps_its_lines(
    tmp_path: Path, models_dir
) -> None:
    """`nohup segue serve > log &`: the hangup is ignored, so the bridge goes on (the stop
    signals took it over, and nohup no longer worked); and a bridge whose output goes to a
    file stops on a hangup with its last lines in the file (they went to the null device)."""
    import subprocess

    from segue.bridge.client import BridgeClient

    def serve(log: Path, ignore: bool) -> tuple[subprocess.Popen, int]:
        def nohup() -> None:  # `nohup segue serve`, or as a shell starts it
            signal.signal(signal.SIGHUP, signal.SIG_IGN if ignore else signal.SIG_DFL)

        out = log.open("wb")
        args = ["serve", "--port", "0", "--model", "tiny", "--models-dir", str(models_dir)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "segue", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "SEGUE_HOME": str(tmp_path / "home")},
            preexec_fn=nohup,
        )
        deadline = time.monotonic() + WAIT
        while not (listening := LISTENING.search(log.read_bytes())):
            said = log.read_bytes().decode(errors="replace")
            assert proc.poll() is None, f"the bridge ended before its first line:\n{said}"
            assert time.monotonic() < deadline, f"no first line in {WAIT:g} s:\n{said}"
            time.sleep(0.05)
        port = int(listening.group(1))
        answers(port)
        return proc, port

    def stopped(proc: subprocess.Popen, what: str) -> int:
        try:
            return proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise AssertionError(f"still running {WAIT:g} s after {what}") from None

    kept, port = serve(tmp_path / "nohup.log", ignore=True)
    try:
        kept.send_signal(signal.SIGHUP)
        # an answer after the signal: the bridge has run since it was sent, so a hangup
        # left to its default would have ended it by now; its own stop handler, had it
        # taken the hangup over, is given a second more to end it
        assert answers(port).model == "tiny"
        time.sleep(1.0)
        assert kept.poll() is None  # still serving
        with BridgeClient("127.0.0.1", port, timeout=WAIT) as client:
            assert client.ping().model == "tiny"
    finally:
        kept.terminate()
        assert stopped(kept, "SIGTERM") == 0
    logged, _ = serve(tmp_path / "logged.log", ignore=False)
    logged.send_signal(signal.SIGHUP)
    assert stopped(logged, "the hangup") == 0
    assert "segue bridge stopped" in (tmp_path / "logged.log").read_text(encoding="utf-8")
