"""What differs on macOS and Windows, simulated on Linux: some of the suite again in a
Python that starts processes only by spawning them (Windows has nothing else, and macOS
calls fork unsafe), and the pinned notes from a PyTorch without FBGEMM (Apple Silicon).
Each runs pytest in a fresh Python set up that way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pytest(setup: str, *args: str, after: str = "") -> subprocess.CompletedProcess[str]:
    """pytest ``args`` in a new Python after ``setup`` (then ``after``, if they passed)."""
    code = "\n".join(
        [
            "import sys, pytest",
            setup,
            f"status = pytest.main({['-q', '-p', 'no:cacheprovider', *args]!r})",
            f"if status == 0:\n    {after or 'pass'}",
            "sys.exit(status)",
        ]
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=900,
    )


def _passed(result: subprocess.CompletedProcess[str]) -> str:
    tail = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0 and " passed" in tail and "failed" not in tail, (
        result.stdout[-4000:] + result.stderr[-2000:]
    )
    return tail


def test_datasets_and_corpus_export_with_spawned_processes_only() -> None:
    run = _pytest(
        "import multiprocessing\nmultiprocessing.set_start_method('spawn', force=True)",
        "tests/segue/dataset",
        "tests/segue/corpus/test_export.py",
        after="assert multiprocessing.get_start_method() == 'spawn'",
    )
    _passed(run)


def test_the_pinned_notes_without_fbgemm_as_on_apple_silicon() -> None:
    """The fused step's fp32 path (ARM has no FBGEMM) gives the very notes pinned."""
    run = _pytest(
        "from segue.model import lstm_fused\nlstm_fused._fbgemm_available = lambda: False",
        "tests/test_pinned_notes.py",
        "-k",
        "python_api or bridge",
        after=(
            "from segue.model.checkpoint import load_checkpoint\n    "
            "from segue.model.registry import find_model\n    "
            "assert not lstm_fused.fused(load_checkpoint(find_model('melody')).model).half"
        ),
    )
    _passed(run)
