"""A tiny dataset (music21's test MIDI files), two untrained tiny models and one whole
`segue eval` run of them, shared by the evaluation's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval_args import SMALL

from segue.cli import main
from segue.dataset.prepare import prepare_dataset


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory, primitive_dir: Path) -> dict[str, Path]:
    """A dataset of music21's test MIDI files and two untrained tiny models."""
    from segue.bridge.testing import make_test_model

    root = tmp_path_factory.mktemp("eval")
    prepare_dataset(
        [primitive_dir],
        root / "dataset",
        valid_fraction=0.2,
        test_fraction=0.3,
        workers=1,
        progress=False,
    )
    return {
        "root": root,
        "dataset": root / "dataset",
        "model": make_test_model(root, "tiny", rng_seed=0),
        "other": make_test_model(root, "other", rng_seed=1),
    }


@pytest.fixture(scope="session")
def segue_eval(tiny: dict[str, Path]):
    """`segue eval ARGS...` of the tiny model on the tiny dataset; the exit status."""

    def run(*args: object) -> int:
        return main(["eval", str(tiny["model"]), str(tiny["dataset"]), *map(str, args)])

    return run


@pytest.fixture(scope="session")
def first_run(tiny: dict[str, Path], segue_eval) -> dict:
    """One full run: a report folder and the JSON in a file."""
    report, json_file = tiny["root"] / "report", tiny["root"] / "report.json"
    status = segue_eval(
        "-o", report, "--baseline", f"other={tiny['other']}", "--json", json_file, *SMALL
    )
    return {"status": status, "report": report, "json": json_file}
