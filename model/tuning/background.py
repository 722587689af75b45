"""A tuning in a process of its own, so that whoever starts it keeps answering (the bridge).

:class:`BackgroundTuning` spawns a fresh Python (the one way on every OS, see
``segue.corpus.workers``) that runs :func:`segue.model.tuning.tune.tune` on clips with one
torch thread, at a lower priority (``segue.model.tuning.priority``), and reports what
happens as :class:`Event` tuples through a pipe: progress, the refit, then done or failed.
A cancel asks it to stop; it keeps the best weights so far and installs them, as Ctrl-C
does for ``segue tune`` (none when nothing has lowered the held-out loss yet). The best is
installed before the clip memory is refitted (``fitting`` says so, with what ``done`` would
say): a process ended during the refit leaves that model installed.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

import numpy as np

from segue.errors import SegueError, Stopped
from segue.model.training.signals import StopFlag
from segue.model.tuning.material import Clips
from segue.model.tuning.priority import lower_priority
from segue.notes import Clip, Note, TimeSignature

if TYPE_CHECKING:  # the tuning's modules (torch): loaded in the tuning process
    from segue.model.tuning.tune import TuneResult

Event = tuple[Any, ...]
"""``("progress", share 0-1, held-out loss, best)``, ``("fitting", *done)`` (the best is
installed, its clip memory the base's, and is being refitted), ``("done", *done)``, where
``done`` is (name, before, after, seconds, drum clips left out, melodic clips left out), or
``("failed", kind, message)``, where kind is ``too_little``, ``name_taken``,
``cannot_learn`` (another one-line reason) or ``internal``."""
TERMINATE_WAIT = 10.0
"""Seconds the tuning process is given to end once terminated (:func:`stop_on_terminate`)
before it is killed: it ends within a second, after the write it may be finishing, but it
runs at a low priority (``segue.model.tuning.priority``), slow on a busy computer."""
STOP_POLL = 0.1
"""Seconds between the tuning process's looks at the parent's request to stop."""


@dataclass(frozen=True)
class LearnRequest:
    """What to tune: clips (name, clip, drums), the new model's name, the model to start
    from (None: segue's choice), the time budget, where the clips came from, and a folder
    of models besides the installed ones."""

    clips: Clips
    name: str
    base: str | None
    seconds: float
    source: str
    models_dir: str | None = None


PackedClip = tuple[str, bool, float, int, int, np.ndarray]
"""A clip as it travels to the tuning process: its name, whether it plays drums, its length
in beats, its time signature (numerator, denominator), and its notes as one float64 array
of (pitch, start, duration, velocity) rows. Pickling a whole Live set's clips as notes took
the bridge's receiving thread 0.9 s for 150,000 notes (every client waited); as arrays,
a few milliseconds."""


def packed(clips: Clips) -> list[PackedClip]:
    """Clips in the form they travel to the tuning process (:func:`unpacked` undoes it)."""
    out = []
    for name, clip, drums in clips:
        rows = [(n.pitch, n.start, n.duration, n.velocity) for n in clip.notes]
        notes = np.array(rows, dtype=np.float64).reshape(-1, 4)
        signature = clip.time_signature
        out.append((name, drums, clip.length, signature.numerator, signature.denominator, notes))
    return out


def unpacked(clips: list[PackedClip]) -> list[tuple[str, Clip, bool]]:
    """The clips :func:`packed` packed, exactly as they were."""
    return [
        (
            name,
            Clip(
                (Note(int(p), s, d, int(v)) for p, s, d, v in notes.tolist()),
                length,
                TimeSignature(numerator, denominator),
            ),
            drums,
        )
        for name, drums, length, numerator, denominator, notes in clips
    ]


def _failure(exc: BaseException) -> Event:
    from segue.model.tuning.install import NameTaken
    from segue.model.tuning.material import TooLittle

    if isinstance(exc, TooLittle):
        return ("failed", "too_little", str(exc))
    if isinstance(exc, NameTaken):
        return ("failed", "name_taken", str(exc))
    if isinstance(exc, Stopped):
        return ("failed", "cancelled", f"stopped {exc}")
    if isinstance(exc, SegueError):
        return ("failed", "cannot_learn", str(exc))
    return ("failed", "internal", f"the tuning failed ({type(exc).__name__}: {exc})")


PARENTS_SIGNALS = ("SIGINT", "SIGHUP", "SIGBREAK")
"""Ctrl-C, a closed terminal and Windows' Ctrl-Break reach every process of the terminal
or console, the tuning's too; they are the bridge's to handle (it asks the tuning to stop
with its best). Before SIGBREAK was here, Ctrl-Break killed a Learn's tuning on Windows."""


def leave_stops_to_parent() -> None:
    """The tuning process ignores :data:`PARENTS_SIGNALS` (where the platform has each)."""
    for name in PARENTS_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)


def stop_on_terminate(flag: StopFlag, asked: Callable[[], bool] = lambda: False) -> None:
    """SIGTERM asks the tuning process to stop with its best, as a cancel does (a logout
    sends it to every process), and ends it at once when a stop was asked already (the
    bridge ending it after its wait; ``asked``: whether the parent asked, which ``flag``
    hears a moment later): as SystemExit, so that what it was writing is cleaned
    up. Python's default ended it where it stood, and a model half written was left in the
    models folder as a hidden ``.NAME.pt.segue-PID.tmp`` for ever. (Windows ends a process
    without a signal: what it leaves is removed by the next write, ``segue.leftovers``.)"""

    def handle(signum: int, frame: object) -> None:
        if flag.requested or asked():
            raise SystemExit(128 + signum)
        flag.request()

    signal.signal(signal.SIGTERM, handle)


def run_tuning(request: LearnRequest, inbox: Connection, conn: Connection, stop: Any) -> None:
    """The tuning process: tune ``request`` on the clips that arrive on ``inbox``
    (:func:`packed`; the request comes without them), sending each :data:`Event` on
    ``conn``; ``stop`` (a multiprocessing Event) set asks it to stop with the best so far."""
    leave_stops_to_parent()
    lower_priority()  # the parent (the bridge) and Live go first, on every OS
    from segue.model.training.signals import console_close_waits
    from segue.model.tuning.fit import Progress, TuneSettings
    from segue.model.tuning.material import clips_material
    from segue.model.tuning.tune import tune

    flag = StopFlag()
    stop_on_terminate(flag, stop.is_set)

    def watch() -> None:  # polled: a process waiting in Event.wait() when it ends would
        while not stop.is_set():  # leave the parent's Event.set() waiting for it forever
            time.sleep(STOP_POLL)
        flag.request()

    threading.Thread(target=watch, daemon=True).start()

    def report(progress: Progress) -> None:
        conn.send(("progress", progress.share, progress.held_out, progress.best))

    def unrefitted(result: TuneResult) -> None:
        conn.send(("fitting", *said_done(request.name, result)))

    try:
        clips = unpacked(inbox.recv())
        inbox.close()
        with console_close_waits(flag):  # Windows: the window closing reaches us too
            result = tune(
                clips_material(clips, request.source),
                request.name,
                request.base,
                TuneSettings(seconds=request.seconds, threads=1, device="cpu"),
                models_dir=request.models_dir,
                stop=flag,
                report=report,
                unrefitted=unrefitted,
            )
        conn.send(("done", *said_done(request.name, result)))
    except Exception as exc:  # every failure is told to the parent, never lost
        conn.send(_failure(exc))
    finally:
        conn.close()


def said_done(name: str, result: TuneResult) -> tuple[Any, ...]:
    """What ``done`` says of the model ``name`` a tuning installed (``result``): its held-out
    loss before and after, its seconds, and the drum and melodic clips left out."""
    card = result.card
    left_out = (card.counts.get("drums_left_out", 0), card.counts.get("melodic_left_out", 0))
    return (name, card.before, card.after, card.seconds, *left_out)


def _send(conn: Connection, clips: Clips) -> None:
    """Send the clips to the tuning process; one that already ended says so itself."""
    try:
        conn.send(packed(clips))
    except OSError:  # the process ended before it read them: events() says it ended
        pass
    finally:
        conn.close()


Run = Callable[[LearnRequest, Connection, Connection, Any], None]
"""What the tuning process runs: :func:`run_tuning` (a test's stand-in wraps it)."""


class BackgroundTuning:
    """A tuning running in its own process; :meth:`events` reads what it said so far."""

    def __init__(self, request: LearnRequest, run: Run = run_tuning) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe(duplex=False)
        inbox, clips = context.Pipe(duplex=False)
        self._stop = context.Event()
        self.process = context.Process(
            target=run,
            args=(replace(request, clips=()), inbox, theirs, self._stop),
            daemon=True,
        )
        self.process.start()
        theirs.close()
        inbox.close()
        # The clips follow on a thread: the new process reads them once its Python has
        # started, and whoever starts a tuning (the bridge's receiving thread) goes on at
        # once; measured with a Live set of 150,000 notes, it waited 1.2 s, and 13 ms now.
        threading.Thread(target=_send, args=(clips, request.clips), daemon=True).start()
        self.finished = False

    def events(self) -> list[Event]:
        """What the process has said since the last call, without waiting; a process that
        ended without a last word gives a failure."""
        out: list[Event] = []
        try:
            while not self.finished and self.conn.poll():
                event = self.conn.recv()
                out.append(event)
                self.finished = event[0] in ("done", "failed")
        except (EOFError, OSError):
            if not self.finished:
                out.append(("failed", "internal", "the tuning process ended unexpectedly"))
                self.finished = True
        if self.finished and out:  # reaped aside: the caller (the bridge's receiving
            # thread) waited up to a second here for the process to exit, every learn
            threading.Thread(target=self.process.join, daemon=True).start()
        return out

    def cancel(self) -> None:
        """Ask the tuning to stop with the best so far (it then installs that)."""
        self._stop.set()

    def end(self, seconds: float = 2.0) -> list[Event]:
        """Stop the process: asked first, then ended from outside after ``seconds``; what it
        said before it ended (a tuning stopped with steps behind it is installed and says
        "done")."""
        self._stop.set()
        self.process.join(seconds)
        if self.process.is_alive():
            self.process.terminate()  # it cleans up what it was writing, and ends
            self.process.join(TERMINATE_WAIT)
        if self.process.is_alive():  # stuck in one long call of torch's: killed
            self.process.kill()
            self.process.join()
        said = [e for e in self.events() if e[:2] != ("failed", "internal")]  # not "ended"
        self.conn.close()
        return said
