"""Shared fixtures: real MIDI files from the music21 package, and the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _music21_dir() -> Path:
    import music21

    return Path(music21.__file__).parent


@pytest.fixture(scope="session")
def primitive_dir() -> Path:
    """music21/midi/testPrimitive: small real MIDI files with edge cases."""
    return _music21_dir() / "midi" / "testPrimitive"


@pytest.fixture(scope="session")
def primitive_files(primitive_dir: Path) -> list[Path]:
    files = sorted(primitive_dir.glob("*.mid"))
    assert len(files) >= 20, f"expected music21's test MIDI files in {primitive_dir}"
    return files


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    """A models folder with one small untrained model, "tiny" (tests need no quality)."""
    from segue.bridge.testing import make_test_model

    folder = tmp_path_factory.mktemp("models")
    make_test_model(folder, "tiny")
    return folder


@pytest.fixture(scope="module")
def tiny(models_dir):
    """The "tiny" model of ``models_dir``, loaded."""
    from segue.model.checkpoint import load_checkpoint

    return load_checkpoint(models_dir / "tiny.pt").model


@pytest.fixture
def reply_port() -> int:
    """A free UDP port for AbletonOSC's answers (each test its own)."""
    from abletonosc_standin import free_udp_port

    return free_udp_port()


@pytest.fixture(scope="session")
def segue_cli():
    """Run the real command line, `python -m segue ARGS...`, in a subprocess."""

    def run(*args: object, timeout: float = 300, cwd: Path | None = None):
        return subprocess.run(
            [sys.executable, "-m", "segue", *map(str, args)],
            capture_output=True, text=True, timeout=timeout, cwd=cwd,
        )

    return run


@pytest.fixture
def written_before():
    """``(checkpoint, key) -> path``: a copy of the checkpoint as segue wrote it before the
    configuration entry ``key`` existed."""
    import torch

    from segue.model.checkpoint import read_checkpoint

    def write(path: Path, key: str) -> Path:
        payload = read_checkpoint(path)
        payload["config"].pop(key)
        out = path.with_name(f"before-{key}.pt")
        torch.save(payload, out)
        return out

    return write
