"""`segue train`: its help, runs, resuming and refusals, and one-line errors."""

from __future__ import annotations

import shlex
import sys

import pytest
import torch
from tiny_training import TINY_ARGS, one_line_error

from segue.cli.train_cmd import _command_line, train_command
from segue.model.checkpoint import load_checkpoint
from segue.model.training.run_folder import LAST


def test_train_help_shows_examples(segue_cli) -> None:
    result = segue_cli("train", "--help")
    assert result.returncode == 0
    assert "Examples:" in result.stdout and "--resume" in result.stdout
    assert "torchrun" in result.stdout


def test_cli_trains_and_refuses_to_overwrite_a_run(
    segue_cli, segue_main, dataset_path, tmp_path
) -> None:
    run = tmp_path / "run"
    result = segue_cli("train", dataset_path, "-o", run, "--epochs", "1", *TINY_ARGS)
    assert result.returncode == 0, result.stderr
    assert "epoch 1/1  train" in result.stdout and "valid" in result.stdout
    assert result.stdout.splitlines()[-1].endswith(f"segue models add {run} --name NAME")
    assert {p.name for p in run.iterdir()} == {"best.pt", "last.pt", "loss.png"}
    info = load_checkpoint(run / "best.pt").info
    assert info["commands"][0][:3] == ["segue", "train", str(dataset_path)]
    assert "--hidden" in info["commands"][0]
    one_line_error(
        segue_cli("train", dataset_path, "-o", run, "--epochs", "1", *TINY_ARGS),
        "already holds a training run",
        "--resume",
        "--force",
    )
    one_line_error(
        segue_main("train", "-o", run, "--resume", "--hidden", "64"), "hidden 64 (run has 32)"
    )
    result = segue_main("train", "-o", run, "--resume", "--epochs", "2", "-q")
    assert result.returncode == 0, result.stderr
    assert "resuming at epoch 2" in result.stdout and "epoch 2/2" in result.stdout
    assert len(load_checkpoint(run / "last.pt").info["commands"]) == 2
    result = segue_main("train", dataset_path, "-o", run, "--force", "--epochs", "1", *TINY_ARGS)
    assert result.returncode == 0, result.stderr
    assert len(load_checkpoint(run / "last.pt").info["history"]) == 1


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("{missing}", "-o", "{run}"), ("no such dataset",)),
        (("-o", "{run}"), ("name the DATASET",)),
        (("{data}", "-o", "{run}", "--transpose", "4", "-2"), ("transpose range",)),
        (("{data}", "-o", "{run}", "--device", "tpu"), ("device must be",)),
        (("{data}", "-o", "{run}", "--resume"), ("no last.pt to resume from",)),
        (("{data}", "-o", "{run}", "--resume", "--force"), ("either --resume",)),
        (("{data}", "-o", "{file}"), ("is a file",)),
    ],
)
def test_cli_errors_are_one_line(segue_main, dataset_path, tmp_path, args, fragments) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    names = {
        "missing": tmp_path / "nope",
        "run": tmp_path / "run",
        "data": dataset_path,
        "file": tmp_path / "file",
    }
    one_line_error(segue_main("train", *(a.format(**names) for a in args)), *fragments)


@pytest.mark.parametrize(
    "option, value",
    [
        ("--epochs", "0"),
        ("--window", "0"),
        ("--dropout", "1.5"),
        ("--lr", "nan"),
        ("--embed", "1"),
        ("--hidden", "100000"),  # tried to allocate 160 GB
        ("--window", "100000000"),  # --batch-size 1e8 took 5 GB before it failed
    ],
)
def test_a_value_out_of_range_names_its_option(segue_main, dataset_path, tmp_path, option, value):
    """`--epochs 0` said "epochs must be at least 1": the option is named, as elsewhere."""
    result = segue_main("train", dataset_path, "-o", tmp_path / "run", option, value)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"segue: error: Invalid value for '{option}': ")
    assert not (tmp_path / "run").exists()


def test_cli_error_in_a_real_process_is_one_line(segue_cli, tmp_path) -> None:
    one_line_error(segue_cli("train", tmp_path / "nope", "-o", tmp_path / "run"), "no such dataset")


def test_cli_resume_from_a_damaged_checkpoint_is_one_line(segue_main, trained, tmp_path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    data = (trained.run_dir / LAST).read_bytes()
    (run / "last.pt").write_bytes(data[: len(data) // 2])  # truncated
    one_line_error(segue_main("train", "-o", run, "--resume"), "truncated")


def test_cuda_without_a_gpu_is_one_line(segue_main, dataset_path, tmp_path) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    one_line_error(
        segue_main("train", dataset_path, "-o", tmp_path / "r", "--device", "cuda"), "no CUDA GPU"
    )


def test_a_run_on_a_dataset_with_drums_says_how_to_make_it_a_drum_model(tmp_path) -> None:
    """A model trained on a `data prepare --drums` dataset was refused by generate as a
    melodic model, and nothing said that `segue memory --drums` makes it a drum model."""
    from segue.dataset.prepare import prepare_dataset
    from segue.midi_io import write_midi
    from segue.notes import Clip, Note
    from segue.train_notices import with_drums

    midi = tmp_path / "midi"
    midi.mkdir()
    for k in range(2):
        notes = tuple(Note(60 + (i * (k + 3)) % 12, i * 0.5, 0.5, 90) for i in range(32))
        write_midi(Clip(notes, 16.0), midi / f"tune{k}.mid")
        hits = tuple(Note(36 + 6 * (i % 2), i * 0.5, 0.25, 100) for i in range(32))
        write_midi(Clip(hits, 16.0), midi / f"beat{k}.mid", channel=9)
    for drums in (True, False):
        out = tmp_path / f"ds-{drums}"
        prepare_dataset([midi], out, drums=drums, workers=1, progress=False)
        assert with_drums(out) is drums
    assert with_drums(tmp_path / "missing") is False


def test_the_drum_hint_fits_on_the_training_pieces_where_there_are_no_others(
    segue_cli, models_dir, tmp_path
) -> None:
    """A small drums dataset (no validation pieces) was told `segue memory RUN DATASET
    --in-place --loop --drums`, which failed: "its valid split has no notes"."""
    from segue.dataset.prepare import prepare_dataset
    from segue.midi_io import write_midi
    from segue.notes import Clip, Note
    from segue.train_notices import drum_hint

    midi = tmp_path / "midi"
    midi.mkdir()
    for k in range(4):
        hits = tuple(Note(36 + 6 * ((i + k) % 2), i * 0.5, 0.25, 100) for i in range(32))
        write_midi(Clip(hits, 16.0), midi / f"beat{k}.mid", channel=9)
    beats = tmp_path / "beats"
    prepare_dataset([midi], beats, drums=True, valid_fraction=0, workers=1, progress=False)
    hint = drum_hint(tmp_path / "run", beats)
    assert hint is not None and hint.endswith("--in-place --loop --drums --split train")
    both = tmp_path / "both"
    prepare_dataset([midi], both, drums=True, valid_fraction=0.5, workers=1, progress=False)
    assert str(drum_hint(tmp_path / "run", both)).endswith("--in-place --loop --drums")
    result = segue_cli("memory", models_dir / "tiny.pt", beats, "-o", tmp_path / "out.pt")
    said = "its valid split has no notes to fit the memory on; give --split train"
    assert result.returncode == 1 and said in result.stderr  # the command says it, too


def test_a_run_without_validation_pieces_says_it_has_no_clip_memory(
    segue_main, dataset_path, tmp_path
) -> None:
    """The clip memory and auto's figure were skipped without a word: the model then played
    without the memory, and auto gave it any clip."""
    from segue.dataset.prepare import prepare_dataset

    data = tmp_path / "no-valid"
    prepare_dataset(
        [dataset_path.parent / "midi"], data, valid_fraction=0, workers=1, progress=False
    )
    run = tmp_path / "my run"  # a folder with a space: the hint quotes it (it did not)
    result = segue_main("train", data, "-o", run, "--epochs", "1", *TINY_ARGS)
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if "no clip memory" in line]
    assert len(said) == 1 and "`auto` will give the model any clip" in said[0], result.stdout
    assert "(1 thread)" in result.stdout  # not "1 threads"
    best = shlex.quote(str(run / "best.pt"))
    assert f"segue memory {best} DATASET --split train --in-place" in said[0]
    fixed = segue_main("memory", run / "best.pt", data, "--split", "train", "--in-place")
    assert fixed.returncode == 0, fixed.stderr
    info = load_checkpoint(run / "best.pt").info
    assert info["memory"]["split"] == "train" and "surprise" in info


def test_ctrl_c_while_the_memory_is_fitted_says_how_to_fit_it(
    segue_main, dataset_path, tmp_path, monkeypatch
) -> None:
    """Ctrl-C after the last epoch, while the clip memory was fitted, said only "stopped":
    the model was left without its memory and nothing said so."""
    from segue.model.training import loop

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(loop, "fit_memory", interrupted)
    run = tmp_path / "run"
    result = segue_main("train", dataset_path, "-o", run, "--epochs", "1", *TINY_ARGS)
    assert result.returncode == 130
    said = result.stdout.splitlines()[-1]
    assert said.startswith("stopped before the clip memory was fitted and measured"), said
    assert f"`segue memory {run} {dataset_path} --in-place` fits them" in said
    assert not load_checkpoint(run / "best.pt").config.memory  # kept, as said, without it


def test_the_stored_command_uses_long_names_and_quotes_its_paths(monkeypatch) -> None:
    """The model card showed `--seed 7` (an old alias) and `segue train my beats ...`
    (two words where the folder is one)."""
    monkeypatch.setattr(sys, "platform", "linux")
    args = ["data/my beats", "-o", "runs/a b", "--seed", "7", "-f", "--transpose", "-3", "3"]
    with train_command.make_context("train", args) as ctx:
        words = _command_line(ctx)
    assert words == [
        "segue",
        "train",
        "'data/my beats'",
        "--output",
        "'runs/a b'",
        "--transpose",
        "-3",
        "3",
        "--rng-seed",
        "7",
        "--force",
    ]
