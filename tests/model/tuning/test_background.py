"""A tuning in its own process: progress, done or a one-line failure, and a cancel."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from tuning_material import own_home, riff  # noqa: F401 (own_home: a fixture)

from segue.home import user_models_dir
from segue.model.tuning.background import BackgroundTuning, LearnRequest
from segue.model.tuning.priority import NICENESS


def _events(tuning: BackgroundTuning, timeout: float = 120.0) -> list[tuple]:
    said: list[tuple] = []
    deadline = time.monotonic() + timeout
    while not tuning.finished and time.monotonic() < deadline:
        said += tuning.events()
        time.sleep(0.05)
    tuning.end()
    return said


def test_a_background_tuning_reports_progress_and_installs_the_model(models_dir):
    clips = tuple((f"r{i}", riff(i), False) for i in range(8))
    request = LearnRequest(clips, "background", "tiny", 2.0, "test clips", str(models_dir))
    said = _events(BackgroundTuning(request))
    kinds = [e[0] for e in said]
    assert kinds[-1] == "done" and "progress" in kinds and "fitting" in kinds, said
    # installed before its refit: the fitting says what done would, should the refit be cut
    assert said[kinds.index("fitting")][1:] == said[-1][1:]
    name, before, after, seconds, drums_left_out, melodic_left_out = said[-1][1:]
    assert (drums_left_out, melodic_left_out) == (0, 0)
    assert name == "background" and after <= before and seconds < 10
    assert (user_models_dir() / "background.pt").exists()


def test_a_failure_is_one_line_and_a_cancel_ends_with_the_best_so_far(models_dir):
    little = LearnRequest(
        (("a", riff(0, bars=1), False),), "little", "tiny", 2.0, "x", str(models_dir)
    )
    said = _events(BackgroundTuning(little))
    assert said[-1][:2] == ("failed", "too_little") and "\n" not in said[-1][2]
    clips = tuple((f"r{i}", riff(i), False) for i in range(8))
    long = LearnRequest(clips, "cancelled", "tiny", 300.0, "x", str(models_dir))
    tuning = BackgroundTuning(long)
    said = []
    while not any(e[0] == "progress" for e in said):
        said += tuning.events()
        time.sleep(0.05)
    if hasattr(os, "getpriority"):  # the tuning lets the bridge go first (Linux, macOS)
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        theirs = os.getpriority(os.PRIO_PROCESS, tuning.process.pid or 0)
        assert theirs == min(ours + NICENESS, 19)
    tuning.cancel()
    said += _events(tuning)
    assert said[-1][0] == "done" and said[-1][4] < 60


def test_the_last_word_is_read_without_waiting_for_the_process_to_exit() -> None:
    """The bridge's receiving thread waited up to a second, at every learn's end, for the
    tuning process to exit: every client's requests stalled (953 ms) just before its
    /segue/learn/done."""
    import multiprocessing

    class Lingering:  # a process still releasing its memory after its last word
        joined = 0.0

        def join(self, timeout: float | None = None) -> None:
            time.sleep(1.0)
            Lingering.joined = time.monotonic()

    ours, theirs = multiprocessing.Pipe(duplex=False)
    tuning = object.__new__(BackgroundTuning)
    tuning.conn, tuning.process, tuning.finished = ours, Lingering(), False
    theirs.send(("done", "mine", 4.0, 2.5, 5.0))
    began = time.monotonic()
    assert tuning.events() == [("done", "mine", 4.0, 2.5, 5.0)] and tuning.finished
    assert time.monotonic() - began < 0.5
    deadline = time.monotonic() + 5
    while not Lingering.joined and time.monotonic() < deadline:  # reaped aside, not left
        time.sleep(0.05)
    assert Lingering.joined


def test_clips_travel_to_the_tuning_process_exactly_and_after_it_starts(
    models_dir, monkeypatch
) -> None:
    """A whole Live set's clips, pickled as notes in the process's arguments, held the
    bridge's receiving thread for 1.2 s (150,000 notes): they now go as arrays, on a
    thread, once the process has started, and arrive as they were sent."""
    from segue.model.tuning.background import packed, unpacked
    from segue.notes import Clip, Note, TimeSignature

    odd = Clip(
        (Note(0, 0.0, 1 / 3, 1), Note(127, 1 / 3, 0.1, 127), Note(60, 2.75, 4.5, 64)),
        7.0,
        TimeSignature(7, 8),
    )
    clips = (("odd", odd, False), ("empty", Clip((), 4.0), True), ("riff", riff(3), False))
    assert unpacked(packed(clips)) == list(clips)
    import multiprocessing

    spawn = multiprocessing.get_context("spawn")
    started: list[tuple] = []

    class Context:  # the spawn context, recording what each process is started with
        def __getattr__(self, name: str):
            return getattr(spawn, name)

        def Process(self, target, args, daemon):  # noqa: N802 (multiprocessing's name)
            started.append(args)
            return spawn.Process(target=target, args=args, daemon=daemon)

    monkeypatch.setattr(multiprocessing, "get_context", lambda method: Context())
    request = LearnRequest(clips, "travelled", "tiny", 2.0, "x", str(models_dir))
    said = _events(BackgroundTuning(request))
    assert [args[0].clips for args in started] == [()]  # not in the process's arguments
    assert said[-1][0] == "done", said  # they arrived


def test_ctrl_break_and_the_other_stops_are_left_to_the_bridge() -> None:
    """Windows gives Ctrl-Break to every process of the console: the tuning process died of
    it (its default action) and the Learn lost its best. SIGUSR1 stands in for SIGBREAK."""
    script = (
        "import signal\n"
        "signal.SIGBREAK = signal.SIGUSR1\n"
        "from segue.model.tuning.background import leave_stops_to_parent\n"
        "leave_stops_to_parent()\n"
        "for name in ('SIGBREAK', 'SIGINT', 'SIGHUP'):\n"
        "    signal.raise_signal(getattr(signal, name))\n"
        "print('still tuning')\n"
    )
    if not hasattr(signal, "SIGUSR1"):
        pytest.skip("needs a POSIX signal to stand in for SIGBREAK")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8"
    )
    assert done.stdout.strip() == "still tuning", done


@pytest.mark.skipif(sys.platform == "win32", reason="Windows ends a process without a signal")
def test_a_tuning_ended_while_it_installs_leaves_nothing_half_written(models_dir) -> None:
    """A bridge that ends its Learn (its tuning process terminated: SIGTERM) while the model
    is written left the hidden `.NAME.pt.PID.tmp` in the models folder for ever, Python's
    default for SIGTERM ending the process where it stood. The model is now installed whole,
    weights and card, and the process then ends."""
    from slow_install import tuning_whose_install_is_slow

    clips = tuple((f"r{i}", riff(i), False) for i in range(8))
    request = LearnRequest(clips, "ended", "tiny", 2.0, "x", str(models_dir))
    tuning = BackgroundTuning(request, tuning_whose_install_is_slow)
    said: list[tuple] = []
    deadline = time.monotonic() + 300
    while ("writing",) not in said and not tuning.finished:
        assert time.monotonic() < deadline, said
        said += tuning.events()
        time.sleep(0.02)
    assert ("writing",) in said, said
    tuning.end(0.05)  # the bridge's end: asked, then terminated while the weights wait
    assert tuning.process.exitcode == 128 + signal.SIGTERM
    folder = user_models_dir()
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    assert (folder / "ended.pt").exists() and (folder / "ended.md").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="Windows ends a process without a signal")
def test_a_tuning_sent_sigterm_stops_with_its_best_as_a_cancel_does(models_dir) -> None:
    """A logout sends SIGTERM to every process, the Learn's tuning too: it died where it stood
    ("the tuning process ended unexpectedly"), its steps lost. It now stops with its best
    and installs it, as a cancel does."""
    clips = tuple((f"r{i}", riff(i), False) for i in range(8))
    request = LearnRequest(clips, "logged-out", "tiny", 300.0, "x", str(models_dir))
    tuning = BackgroundTuning(request)
    said: list[tuple] = []
    deadline = time.monotonic() + 300
    while not any(e[0] == "progress" for e in said):
        assert time.monotonic() < deadline and not tuning.finished, said
        said += tuning.events()
        time.sleep(0.05)
    os.kill(tuning.process.pid or 0, signal.SIGTERM)
    said += _events(tuning)
    assert said[-1][0] == "done" and said[-1][1] == "logged-out", said[-1]
    assert (user_models_dir() / "logged-out.pt").exists()
