"""Slow commands that a test checks, started when the run begins and run one after another on a
thread beside the tests, so that a long check (mypy on each platform) uses the core that pytest,
which runs its tests on one, leaves idle; the test that checks one waits for its result.

``tests/conftest.py`` starts those of the collected tests (``start``) and stops what is left
when the run ends (``stop``); a test asks for its result with ``result(key)``, which runs the
command there and then when nothing started it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class _Run:
    args: list[str]
    done: threading.Event = field(default_factory=threading.Event)
    result: subprocess.CompletedProcess[str] | None = None
    error: BaseException | None = None
    process: subprocess.Popen[str] | None = None


_runs: dict[str, _Run] = {}
_lock = threading.Lock()
_stopping = threading.Event()


def _run(run: _Run) -> None:
    try:
        with _lock:
            if _stopping.is_set():
                raise RuntimeError("the test run ended before this command started")
            run.process = subprocess.Popen(
                run.args,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                # as tests/conftest.py's children_write_utf8 has every child write, though
                # these start before its fixture does
                env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            )
        out, err = run.process.communicate()
        run.result = subprocess.CompletedProcess(run.args, run.process.returncode, out, err)
    except BaseException as error:  # handed to the test that waits for it
        run.error = error
    finally:
        run.done.set()


def start(commands: Sequence[tuple[str, list[str]]]) -> None:
    """Run ``(key, args)`` commands one after another on a background thread."""
    queued = [_runs.setdefault(key, _Run(list(args))) for key, args in commands]

    def work() -> None:
        for run in queued:
            _run(run)

    threading.Thread(target=work, name="early-runs", daemon=True).start()


def result(key: str, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """The finished run of ``args`` (started early under ``key``, or now)."""
    run = _runs.get(key)
    if run is None:
        run = _Run(list(args))
        _run(run)
    run.done.wait()
    assert run.args == list(args), f"{key} was started as {run.args}"
    if run.error is not None:
        raise run.error
    assert run.result is not None
    return run.result


def stop() -> None:
    """End the commands still running (the run stopped before their tests) and start no more."""
    with _lock:
        _stopping.set()
        for run in _runs.values():
            if run.process is not None and run.process.poll() is None:
                run.process.kill()


def typecheck_command(platform: str) -> list[str]:
    """tests/support/typecheck.py as tests/test_project.py runs it for ``platform``, with a
    cache folder of its own for this checkout and platform (a second run rechecks only what
    changed)."""
    checkout = hashlib.sha1(str(ROOT).encode()).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"segue-test-mypy-{checkout}-{platform}"
    script = ROOT / "tests" / "support" / "typecheck.py"
    return [sys.executable, str(script), "--cache-dir", str(cache), "--platform", platform]
