"""Cases: test pieces cut into a seed and the real continuation, and test copies of
training pieces left out."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from segue.dataset.loading import load_dataset
from segue.dataset.prepare import prepare_dataset
from segue.dataset.splits import split_for
from segue.model.evaluation.cases import continuation_cases, training_copies


def test_cases_cut_seed_and_real_continuation(tiny: dict[str, Path]) -> None:
    dataset = load_dataset(tiny["dataset"])
    cases, skipped, total = continuation_cases(dataset, 2, 2)
    assert total == len(dataset.indices("test")) == len(cases) + sum(skipped.values())
    for case in cases:
        assert case.seed[:, 0].max() < case.seed_ticks == 2 * case.bar_ticks
        assert case.real[:, 0].min() >= 0
        assert (case.real[:, 0] + case.real[:, 2]).max() <= case.span_ticks
        piece = dataset.piece(case.number)
        after = piece.notes[
            (piece.notes[:, 0] >= case.seed_ticks)
            & (piece.notes[:, 0] < case.seed_ticks + case.span_ticks)
        ]
        np.testing.assert_array_equal(case.real[:, 1], after[:, 1])
    few, skipped_few, _ = continuation_cases(dataset, 2, 2, max_pieces=1)
    assert len(few) == 1 and skipped_few["not chosen (--max-pieces)"] == len(cases) - 1


def test_test_pieces_with_a_training_pieces_notes_are_left_out(
    tmp_path: Path, primitive_files: list[Path]
) -> None:
    """The same tune in two collections is not held out: a test copy of a training piece
    counts neither in the likelihood nor among the continuations."""

    def named(split: str) -> str:
        return next(
            f"copy{i}.mid" for i in range(1000) if split_for(f"copy{i}.mid", 0.2, 0.3) == split
        )

    folder = tmp_path / "midi"
    folder.mkdir()
    tune = next(p for p in primitive_files if p.name == "test09.mid")  # notes from bar 1 on
    for split in ("train", "test"):
        (folder / named(split)).write_bytes(tune.read_bytes())
    (folder / named("valid")).write_bytes(primitive_files[0].read_bytes())
    prepare_dataset(
        [folder], tmp_path / "ds", valid_fraction=0.2, test_fraction=0.3, workers=1, progress=False
    )
    dataset = load_dataset(tmp_path / "ds")
    test_copy = {int(i) for i in dataset.indices("test")}
    assert test_copy and training_copies(dataset) == test_copy
    assert training_copies(dataset, "valid") == set()
    cases, skipped, total = continuation_cases(dataset, 1, 1, leave_out=training_copies(dataset))
    assert cases == [] and skipped == {"the same notes as a training piece": len(test_copy)}
    assert total == len(test_copy)
    kept, _, _ = continuation_cases(dataset, 1, 1)
    assert len(kept) == len(test_copy)  # without leave_out the copy would be evaluated
