"""Shared fixtures: real MIDI files from the music21 package, the real CLI, a tiny training run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _music21_dir() -> Path:
    import music21

    return Path(music21.__file__).parent


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the type checks of the collected tests now, beside the other tests
    (tests/support/early_runs.py): mypy takes minutes, on a core pytest leaves idle."""
    import early_runs

    platforms = [
        item.callspec.params["platform"]
        for item in session.items
        if getattr(item, "originalname", None) == "test_types_check_with_mypy"
    ]
    early_runs.start(
        [(f"mypy-{platform}", early_runs.typecheck_command(platform)) for platform in platforms]
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    import early_runs

    early_runs.stop()


@pytest.fixture(scope="session", autouse=True)
def segue_home(tmp_path_factory: pytest.TempPathFactory):
    """segue's home for the whole run, empty: no test sees or changes the models of whoever
    runs the tests (subprocesses inherit it)."""
    home = tmp_path_factory.mktemp("segue-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SEGUE_HOME", str(home))
        yield home


@pytest.fixture(scope="session", autouse=True)
def children_write_utf8():
    """Python subprocesses write their output in UTF-8, which the tests read it as, on any OS
    (Windows' would be its code page). Files keep the locale's default, so a file that segue
    opens without naming UTF-8 still fails where it would (tests/test_consoles.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONIOENCODING", "utf-8")
        yield


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
def held_ports():
    """Ports this test holds until the code under test binds them (``ports.HeldPorts``)."""
    from ports import HeldPorts

    held = HeldPorts()
    try:
        yield held
    finally:
        held.close()


@pytest.fixture
def reply_port(held_ports, monkeypatch: pytest.MonkeyPatch) -> int:
    """A UDP port for AbletonOSC's answers (each test its own), held until segue's
    AbletonOSC client binds it in this process (a port let go at once was handed to another
    socket in CI); a test that gives it to a subprocess lets it go first
    (``held_ports.release``, or ``ports.retry_taken``)."""
    from ports import release_before

    from segue.bridge.abletonosc.transport import AbletonOSC

    release_before(monkeypatch, AbletonOSC, "open", held_ports, lambda live: live.reply_port)
    return held_ports.take()


@pytest.fixture(scope="session")
def segue_cli():
    """Run the real command line, `python -m segue ARGS...`, in a subprocess."""

    def run(*args: object, timeout: float = 300, cwd: Path | None = None):
        return subprocess.run(
            [sys.executable, "-m", "segue", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=cwd,
            encoding="utf-8",
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


@pytest.fixture
def segue_main(capsys: pytest.CaptureFixture[str]):
    """The CLI's main() in this process (faster than a subprocess): code, stdout, stderr.
    A call that runs past ``timeout`` seconds (as ``segue_cli``'s subprocess would) fails
    its test with the stack where it hung (tests/support/time_limit.py), rather than
    holding the run until CI's limit ends it."""
    from time_limit import time_limit

    from segue.cli import main

    def run(*args: object, timeout: float = 300) -> subprocess.CompletedProcess:
        argv = [str(a) for a in args]
        with time_limit(timeout, f"segue {' '.join(argv)}") as limit:
            code = main(argv)
        if limit.fired:  # its exception was caught on the way, and main() went on
            pytest.fail(limit.message, pytrace=False)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


@pytest.fixture(scope="session")
def dataset_path(tmp_path_factory: pytest.TempPathFactory, primitive_files: list[Path]) -> Path:
    """A dataset of eight Bach chorales (music21's corpus) and music21's test MIDI files."""
    from music21 import corpus
    from tiny_training import CHORALES

    from segue.dataset.prepare import prepare_dataset

    root = tmp_path_factory.mktemp("train-data")
    midi = root / "midi"
    (midi / "bach").mkdir(parents=True)
    for name in CHORALES:
        corpus.parse(f"bach/{name}").write("midi", fp=str(midi / "bach" / f"{name}.mid"))
    (midi / "primitive").mkdir()
    for path in primitive_files:
        (midi / "primitive" / path.name).write_bytes(path.read_bytes())
    prepare_dataset(
        [midi], root / "dataset", valid_fraction=0.3, test_fraction=0.05, workers=1, progress=False
    )
    return root / "dataset"


@pytest.fixture(scope="session")
def encoded(dataset_path: Path):
    """The train and valid splits of ``dataset_path``, encoded (``EncodedPieces``)."""
    from segue.dataset.loading import load_dataset
    from segue.model.training.batches import encode_split
    from segue.model.vocab import Vocab

    dataset = load_dataset(dataset_path)
    vocab = Vocab(ticks_per_beat=dataset.ticks_per_beat)
    return encode_split(dataset, "train", vocab), encode_split(dataset, "valid", vocab)


@pytest.fixture(scope="session")
def trained(dataset_path: Path, tmp_path_factory: pytest.TempPathFactory):
    """A tiny run of three epochs on ``dataset_path`` (its ``TrainResult``)."""
    from dataclasses import replace

    from tiny_training import TINY, quiet

    from segue.model.training.loop import train

    run = tmp_path_factory.mktemp("run") / "tiny"
    config = replace(TINY, epochs=3, steps_per_epoch=12)
    return train(dataset_path, run, config, progress=False, log=quiet, command=["test"])
