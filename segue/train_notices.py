"""What ``segue train`` says when its run ends: how to continue a run stopped by Ctrl-C
(:func:`stopped_line`), and, for a run finished, how to make it a drum model where its
dataset holds drum tracks (:func:`drum_hint`) and how to choose it by name
(:func:`trained_lines`). Each suggested command is quoted for this computer's shell."""

from __future__ import annotations

from pathlib import Path

from segue.errors import SegueError
from segue.shell import suggested


def stopped_line(dataset: Path | None, run_dir: Path, world: int) -> str:
    """How to continue a run that stopped in ``run_dir`` (``world``: its processes, under
    torchrun when more than one)."""
    again = suggested("segue train", ("DATASET", dataset), "-o", ("RUN", run_dir), "--resume")
    if world > 1:
        again = f"torchrun --nproc_per_node {world} -m {again}"
    return f"training stopped; continue it with: {again}"


def trained_lines(run_dir: Path, dataset: Path | None) -> list[str]:
    """What to do with a finished run: make it a drum model (where :func:`drum_hint` says
    so), and install it to choose it by name."""
    hint = drum_hint(run_dir, dataset)
    return ([hint] if hint else []) + [
        "to choose it by name, here and in Live's Model menu: "
        + suggested("segue models add", ("RUN", run_dir), "--name NAME")
    ]


def drum_hint(run_dir: Path, dataset: Path | None) -> str | None:
    """How to make the run of a dataset with drum tracks a drum model (None for another
    dataset); on the training split where the dataset has no validation pieces, where
    `segue memory` fits by default (the hint failed there: "its valid split has no notes")."""
    if not with_drums(dataset):
        return None
    split = "" if has_valid_notes(dataset) else " --split train"
    return (
        "the dataset holds drum tracks: for a drum model (the clip's kit, fills, and "
        "a Drum Rack's clips in Live), fit its drums and loop with: "
        + suggested(
            "segue memory",
            ("RUN", run_dir),
            ("DATASET", dataset),
            "--in-place --loop --drums" + split,
        )
    )


def with_drums(dataset: object) -> bool:
    """Whether a prepared dataset was read with its drum tracks (`data prepare --drums`):
    a model trained on it plays melodic notes until `segue memory --drums` marks it (the
    run of a drums dataset was refused by generate as a melodic model, and nothing said
    how to make it a drum model)."""
    from segue.dataset.storage import read_meta

    try:
        return bool(read_meta(Path(str(dataset)))["settings"]["include_drums"])
    except (SegueError, KeyError, TypeError):
        return False


def has_valid_notes(dataset: object) -> bool:
    """Whether a prepared dataset's validation split holds notes (a small one has none)."""
    from segue.dataset.storage import read_meta

    try:
        return int(read_meta(Path(str(dataset)))["counts"]["splits"]["valid"]["notes"]) > 0
    except (SegueError, KeyError, TypeError, ValueError):
        return True
