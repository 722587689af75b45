"""Training: windows, augmentation, the loop, checkpoints, resuming, the CLI and torchrun.

The data are real MIDI files: a few Bach chorales exported from music21's
corpus and music21's own test files, prepared into a dataset in a temporary
folder. Models are tiny so the whole file runs in well under two minutes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from segue.dataset.loading import load_dataset
from segue.dataset.prepare import prepare_dataset
from segue.model.checkpoint import CheckpointError, load_checkpoint, read_checkpoint
from segue.model.network import field_losses
from segue.model.plots import plot_losses
from segue.model.train import (
    EncodedPieces,
    TrainConfig,
    Windows,
    encode_pieces,
    encode_split,
    evaluate,
    gather_rows,
    make_batch,
    plan_epoch,
    plan_validation,
    train,
    transpose_rows,
    validation_windows,
    window_notes,
)
from segue.model.vocab import Vocab, encode_notes

CHORALES = ("bwv66.6", "bwv7.7", "bwv10.7", "bwv11.6", "bwv110.7", "bwv111.6", "bwv113.8",
            "bwv114.7")
PNG = b"\x89PNG\r\n\x1a\n"

# a model small enough to train in a second or two on a busy CPU
TINY = TrainConfig(hidden=32, embed=8, layers=1, window=32, batch_size=8, epochs=2,
                   steps_per_epoch=6, patience=0, seed=7, threads=1, device="cpu")
TINY_ARGS = ("--hidden", "32", "--embed", "8", "--layers", "1", "--window", "32",
             "--batch-size", "8", "--steps-per-epoch", "6", "--patience", "0", "--seed", "7",
             "--threads", "1", "--device", "cpu", "--quiet")


def quiet(message: str) -> None:
    pass


@pytest.fixture(scope="session")
def dataset_path(tmp_path_factory: pytest.TempPathFactory, primitive_files: list[Path]) -> Path:
    """A dataset of eight Bach chorales (music21's corpus) and music21's test MIDI files."""
    from music21 import corpus

    root = tmp_path_factory.mktemp("train-data")
    midi = root / "midi"
    (midi / "bach").mkdir(parents=True)
    for name in CHORALES:
        corpus.parse(f"bach/{name}").write("midi", fp=str(midi / "bach" / f"{name}.mid"))
    (midi / "primitive").mkdir()
    for path in primitive_files:
        (midi / "primitive" / path.name).write_bytes(path.read_bytes())
    prepare_dataset([midi], root / "dataset", valid_fraction=0.3, test_fraction=0.05,
                    workers=1, progress=False)
    return root / "dataset"


@pytest.fixture(scope="session")
def encoded(dataset_path: Path) -> tuple[EncodedPieces, EncodedPieces]:
    dataset = load_dataset(dataset_path)
    vocab = Vocab(ticks_per_beat=dataset.ticks_per_beat)
    return encode_split(dataset, "train", vocab), encode_split(dataset, "valid", vocab)


def same_weights(a: Path, b: Path) -> bool:
    sa, sb = read_checkpoint(a)["state_dict"], read_checkpoint(b)["state_dict"]
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


# ---------------------------------------------------------------- encoding


def random_piece(rng: np.random.Generator, n: int) -> np.ndarray:
    starts = np.sort(rng.integers(0, 2000, n))
    return np.stack([starts, rng.integers(0, 128, n), rng.integers(1, 900, n),
                     rng.integers(1, 128, n)], axis=1).astype(np.int32)


def test_encode_pieces_equals_encode_notes_piece_by_piece() -> None:
    rng = np.random.default_rng(0)
    vocab = Vocab()
    pieces = [random_piece(rng, n) for n in (5, 0, 1, 40, 300)]
    pieces.append(np.array([[30, 60, 24, 100], [30, 64, 24, 90]], np.int32))  # opens with a rest
    bars = [96, 72, 96, 288, 36, 0]
    data = encode_pieces(pieces, bars, vocab)
    kept = [(p, b) for p, b in zip(pieces, bars, strict=True) if len(p)]
    assert data.pieces == len(kept)
    assert data.notes == sum(len(p) for p, _ in kept)
    for i, (notes, bar) in enumerate(kept):
        np.testing.assert_array_equal(data.piece_steps(i), encode_notes(notes, bar, vocab))


def test_encode_split_matches_the_dataset(dataset_path: Path, encoded) -> None:
    dataset = load_dataset(dataset_path)
    train, _ = encoded
    pieces = [p for p in dataset.pieces("train") if len(p.notes)]
    assert train.pieces == len(pieces) > 5
    for i, piece in enumerate(pieces):
        bar = round(piece.time_signature.beats_per_bar * dataset.ticks_per_beat)
        np.testing.assert_array_equal(train.piece_steps(i), encode_notes(piece.notes, bar, Vocab()))


# ---------------------------------------------------------------- windows


def test_validation_windows_cover_every_note_once(encoded) -> None:
    _, valid = encoded
    window = 16
    w = validation_windows(valid, window)
    assert (w.offset % window == 0).all()
    covered = [set() for _ in range(valid.pieces)]
    for piece, offset in zip(w.piece, w.offset, strict=True):
        n = int(window_notes(valid, np.array([piece]), np.array([offset]), window)[0])
        assert 1 <= n <= window
        new = set(range(offset, offset + n))
        assert not covered[piece] & new
        covered[piece] |= new
    assert [len(c) for c in covered] == valid.lengths.tolist()
    batches = plan_validation(valid, window, 5, rank=0, world=2) + plan_validation(
        valid, window, 5, rank=1, world=2)
    assert sum(len(b) for b in batches) == len(w.piece)


def test_batches_have_inputs_targets_and_mask(encoded) -> None:
    train, _ = encoded
    window, batch_size = 24, 6
    plan = plan_epoch(train, window, batch_size, seed=1, epoch=0)
    assert len(plan) == -(-int(np.ceil(train.lengths / window).sum()) // batch_size)
    vocab = Vocab()
    for windows in plan:
        assert len(windows) == batch_size
        rows, mask = gather_rows(train, windows, window)
        batch = make_batch(train, windows, window)  # shift None: no transposition
        length = batch.inputs.shape[1]
        assert batch.inputs.shape == batch.targets.shape == (batch_size, length, 5)
        assert batch.mask.shape == (batch_size, length) and length <= window
        np.testing.assert_array_equal(batch.inputs[:, 1:], batch.targets[:, :-1])
        np.testing.assert_array_equal(rows[:, 1:], batch.targets)
        real = window_notes(train, windows.piece, windows.offset, window)
        np.testing.assert_array_equal(batch.mask.sum(axis=1), real)
        assert length == real.max()
        # a window starting at a piece's first step begins with its BOS step
        first = windows.offset == 0
        assert (batch.inputs[first, 0, 1] == vocab.n_pitch).all()
        # every target, padding included, is a real class the heads can score
        t = batch.targets
        assert (t[..., 0] < vocab.n_offset).all() and (t[..., 1] < vocab.n_pitch).all()
        assert (t[..., 2] < vocab.n_duration).all() and (t[..., 3] < vocab.n_velocity).all()
        assert (t[..., 4] < vocab.n_position).all()


def test_short_pieces_are_padded_to_the_window(encoded) -> None:
    train, _ = encoded
    shortest = int(np.argmin(train.lengths))
    n = int(train.lengths[shortest])
    windows = Windows(np.array([shortest]), np.array([0]))
    rows, mask = gather_rows(train, windows, n + 10, trim=False)
    assert rows.shape == (1, n + 11, 5) and mask.shape == (1, n + 10)
    assert mask[0, :n].all() and not mask[0, n:].any()
    np.testing.assert_array_equal(rows[0, : n + 1], train.piece_steps(shortest))


def test_epoch_plans_depend_on_seed_epoch_and_rank_only(encoded) -> None:
    train, _ = encoded

    def plan(**kw: int) -> list[Windows]:
        return plan_epoch(train, 16, 4, **{"seed": 3, "epoch": 0, **kw})

    def flat(p: list[Windows]) -> np.ndarray:
        return np.concatenate([np.stack([w.piece, w.offset, w.shift]) for w in p], axis=1)

    np.testing.assert_array_equal(flat(plan()), flat(plan()))
    assert not np.array_equal(flat(plan()), flat(plan(epoch=1)))
    assert not np.array_equal(flat(plan()), flat(plan(seed=4)))
    r0, r1 = plan(rank=0, world=2), plan(rank=1, world=2)
    assert len(r0) == len(r1)  # every process runs the same number of batches
    assert not np.array_equal(flat(r0), flat(r1))
    assert len(plan(batches=3)) == 3


def test_transposition_stays_on_the_keyboard_and_leaves_bos_alone() -> None:
    rng = np.random.default_rng(5)
    rows = np.zeros((400, 9, 5), np.int64)
    rows[..., 1] = rng.integers(0, 128, (400, 9))
    rows[:100, :, 1] = rng.integers(55, 70, (100, 9))  # room to move either way
    rows[100:150, 3, 1] = 0
    rows[150:200, 4, 1] = 127
    rows[::3, 0, 1] = 128  # BOS steps
    out, shift = transpose_rows(rows, rng.random(400), -5, 6)
    bos = rows[..., 1] == 128
    assert (out[..., 1][bos] == 128).all()
    assert ((out[..., 1][~bos] >= 0) & (out[..., 1][~bos] <= 127)).all()
    assert (shift >= -5).all() and (shift <= 6).all()
    moved = out[..., 1] - rows[..., 1]
    assert (np.where(bos, shift[:, None], moved) == shift[:, None]).all()  # one shift a window
    assert (shift[100:150] >= 0).all() and (shift[150:200] <= 0).all()
    assert set(shift[:100]) == set(range(-5, 7))  # every allowed shift gets drawn
    np.testing.assert_array_equal(out[..., [0, 2, 3, 4]], rows[..., [0, 2, 3, 4]])


def test_training_batches_are_transposed_within_range(encoded) -> None:
    train, _ = encoded
    for windows in plan_epoch(train, 32, 8, seed=2, epoch=0)[:5]:
        plain = make_batch(train, windows, 32)
        moved = make_batch(train, windows, 32, transpose=(-5, 6))
        pitch, before = moved.inputs[..., 1], plain.inputs[..., 1]
        assert ((pitch == 128) == (before == 128)).all()
        diff = np.where(before == 128, 0, pitch - before)
        assert ((diff >= -5) & (diff <= 6)).all()
        assert (pitch[before != 128] <= 127).all() and (pitch >= 0).all()


# ---------------------------------------------------------------- the loop


@pytest.fixture(scope="module")
def trained(dataset_path: Path, tmp_path_factory: pytest.TempPathFactory):
    run = tmp_path_factory.mktemp("run") / "tiny"
    config = replace(TINY, epochs=3, steps_per_epoch=12)
    return train(dataset_path, run, config, progress=False, log=quiet, command=["test"])


def test_training_lowers_the_loss(trained, encoded) -> None:
    _, valid = encoded
    untrained = load_checkpoint(trained.best_path).model
    torch.manual_seed(0)
    fresh = type(untrained)(untrained.config)
    before = evaluate(fresh, valid, window=32)
    after = evaluate(trained.model, valid, window=32)
    assert after["total"] < before["total"] - 1.0
    history = trained.history
    assert [h["epoch"] for h in history] == [1, 2, 3]
    assert history[-1]["train"]["total"] < history[0]["train"]["total"]
    # the history's valid loss is what evaluate() gives for the saved model
    assert after["total"] == pytest.approx(history[-1]["valid"]["total"], rel=1e-5)
    assert trained.status == "completed" and trained.epochs == 3


def test_checkpoints_load_and_give_the_same_outputs(trained, encoded) -> None:
    train_data, _ = encoded
    loaded = load_checkpoint(trained.last_path)
    batch = make_batch(train_data, plan_epoch(train_data, 32, 4, seed=0, epoch=0)[0], 32)
    inputs, targets, mask = batch.tensors()
    with torch.no_grad():
        a, b = trained.model(inputs, targets), loaded.model(inputs, targets)
    for name in a:
        assert torch.equal(a[name], b[name])
    with torch.no_grad():
        losses = field_losses(b, targets, mask)
    assert all(torch.isfinite(v) for v in losses.values())
    for name in ("best.pt", "last.pt"):
        payload = torch.load(trained.run_dir / name, weights_only=True)
        info = payload["info"]
        assert info["dataset"]["path"] and "pieces" in info["dataset"]["summary"]
        assert info["parameters"] == sum(p.numel() for p in loaded.model.parameters())
        assert info["config"]["hidden"] == 32 and info["commands"] == [["test"]]
        assert len(info["history"]) == info["epoch"] and info["seconds"] > 0
    state = torch.load(trained.last_path, weights_only=True)["training_state"]
    assert state["epoch"] == 3 and state["seed"] == 7 and state["optimizer"]["state"]
    assert (trained.run_dir / "loss.png").read_bytes().startswith(PNG)


def test_resume_at_an_epoch_boundary_equals_an_uninterrupted_run(dataset_path, tmp_path) -> None:
    whole = train(dataset_path, tmp_path / "whole", TINY, progress=False, log=quiet)
    train(dataset_path, tmp_path / "parts", replace(TINY, epochs=1), progress=False, log=quiet)
    resumed = train(dataset_path, tmp_path / "parts", replace(TINY, epochs=2), resume=True,
                    progress=False, log=quiet)
    assert same_weights(tmp_path / "whole" / "last.pt", tmp_path / "parts" / "last.pt")
    assert resumed.history[-1]["valid"] == whole.history[-1]["valid"]
    assert resumed.history[-1]["train"] == whole.history[-1]["train"]
    # resuming a finished run changes nothing
    again = train(dataset_path, tmp_path / "parts", None, resume=True, progress=False,
                  log=quiet)
    assert again.status == "finished" and again.epochs == 2


def test_a_seed_repeats_a_run_exactly(dataset_path, tmp_path) -> None:
    one = replace(TINY, epochs=1)
    train(dataset_path, tmp_path / "a", one, progress=False, log=quiet)
    train(dataset_path, tmp_path / "b", one, progress=False, log=quiet)
    train(dataset_path, tmp_path / "c", replace(one, seed=8), progress=False, log=quiet)
    assert same_weights(tmp_path / "a" / "last.pt", tmp_path / "b" / "last.pt")
    assert not same_weights(tmp_path / "a" / "last.pt", tmp_path / "c" / "last.pt")


def test_early_stopping_and_ablations(dataset_path, tmp_path) -> None:
    config = replace(TINY, epochs=30, patience=1, lr=1.0, chained=False, bar_position=False,
                     steps_per_epoch=2, transpose=(0, 0))
    result = train(dataset_path, tmp_path / "run", config, progress=False, log=quiet)
    assert result.status == "early-stopped" and result.epochs < 30
    loaded = load_checkpoint(result.best_path)
    assert loaded.config.chained is False and loaded.config.bar_position is False
    assert loaded.info["epoch"] == result.best_epoch


def test_loss_plot_without_validation(tmp_path) -> None:
    history = [{"epoch": e, "train": {"offset": 1.0 / e, "pitch": 2.0, "duration": 1.0,
                                      "velocity": 0.5, "total": 3.5 + 1.0 / e}, "valid": None}
               for e in (1, 2, 3)]
    out = plot_losses(history, tmp_path / "sub" / "loss.png", title="x")
    assert out.read_bytes().startswith(PNG)
    assert not [p for p in out.parent.iterdir() if p.name != "loss.png"]


# ---------------------------------------------------------------- damaged checkpoints


def damage(kind: str, good: Path, bad: Path) -> None:
    if kind == "truncated":
        data = good.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "random bytes":
        bad.write_bytes(np.random.default_rng(0).bytes(4096))
    elif kind == "text":
        bad.write_text("hello, I am not a checkpoint\n")
    elif kind == "other torch file":
        torch.save({"weights": torch.zeros(3)}, bad)
    elif kind == "a tensor":
        torch.save(torch.zeros(3), bad)
    elif kind == "python objects":
        import collections

        torch.save({"x": collections.deque([1])}, bad)
    else:
        payload = torch.load(good, weights_only=True)
        if kind == "wrong version":
            payload["version"] = 99
        elif kind == "missing weights":
            del payload["state_dict"][next(iter(payload["state_dict"]))]
        torch.save(payload, bad)


DAMAGE = {
    "truncated": "truncated", "empty": "truncated", "random bytes": "another kind of file",
    "text": "another kind of file", "other torch file": "not a segue checkpoint",
    "a tensor": "not a segue checkpoint", "python objects": "Python objects",
    "wrong version": "version 99", "missing weights": "do not match",
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_checkpoints_give_a_one_line_error(trained, tmp_path, kind: str) -> None:
    bad = tmp_path / "bad.pt"
    damage(kind, trained.last_path, bad)
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(bad)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(bad))
    assert DAMAGE[kind] in message
    assert len(message) < 300


# ---------------------------------------------------------------- command line


def one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("segue: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_train_help_shows_examples(segue_cli) -> None:
    result = segue_cli("train", "--help")
    assert result.returncode == 0
    assert "Examples:" in result.stdout and "--resume" in result.stdout
    assert "torchrun" in result.stdout


@pytest.fixture
def segue_main(capsys: pytest.CaptureFixture[str]):
    """The CLI's main() in this process (faster than a subprocess): code, stdout, stderr."""
    from segue.cli import main

    def run(*args: object) -> subprocess.CompletedProcess:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


def test_cli_trains_and_refuses_to_overwrite_a_run(segue_cli, segue_main, dataset_path,
                                                   tmp_path) -> None:
    run = tmp_path / "run"
    result = segue_cli("train", dataset_path, "-o", run, "--epochs", "1", *TINY_ARGS)
    assert result.returncode == 0, result.stderr
    assert "epoch 1/1  train" in result.stdout and "valid" in result.stdout
    assert {p.name for p in run.iterdir()} == {"best.pt", "last.pt", "loss.png"}
    info = load_checkpoint(run / "best.pt").info
    assert info["commands"][0][:3] == ["segue", "train", str(dataset_path)]
    assert "--hidden" in info["commands"][0]
    one_line_error(segue_cli("train", dataset_path, "-o", run, "--epochs", "1", *TINY_ARGS),
                   "already holds a training run", "--resume", "--force")
    one_line_error(segue_main("train", "-o", run, "--resume", "--hidden", "64"),
                   "hidden 64 (run has 32)")
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
        (("{data}", "-o", "{run}", "--window", "0"), ("window must be at least 1",)),
        (("{data}", "-o", "{run}", "--transpose", "4", "-2"), ("transpose range",)),
        (("{data}", "-o", "{run}", "--dropout", "1.5"), ("dropout",)),
        (("{data}", "-o", "{run}", "--device", "tpu"), ("device must be",)),
        (("{data}", "-o", "{run}", "--resume"), ("no last.pt to resume from",)),
        (("{data}", "-o", "{run}", "--resume", "--force"), ("either --resume",)),
        (("{data}", "-o", "{file}"), ("is a file",)),
    ],
)
def test_cli_errors_are_one_line(segue_main, dataset_path, tmp_path, args, fragments) -> None:
    (tmp_path / "file").write_text("x")
    names = {"missing": tmp_path / "nope", "run": tmp_path / "run", "data": dataset_path,
             "file": tmp_path / "file"}
    one_line_error(segue_main("train", *(a.format(**names) for a in args)), *fragments)


def test_cli_error_in_a_real_process_is_one_line(segue_cli, tmp_path) -> None:
    one_line_error(segue_cli("train", tmp_path / "nope", "-o", tmp_path / "run"),
                   "no such dataset")


def test_cli_resume_from_a_damaged_checkpoint_is_one_line(segue_main, trained,
                                                          tmp_path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    damage("truncated", trained.last_path, run / "last.pt")
    one_line_error(segue_main("train", "-o", run, "--resume"), "truncated")


def test_cuda_without_a_gpu_is_one_line(segue_main, dataset_path, tmp_path) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    one_line_error(segue_main("train", dataset_path, "-o", tmp_path / "r", "--device", "cuda"),
                   "no CUDA GPU")


def test_ctrl_c_saves_and_resume_matches_an_uninterrupted_run(dataset_path, tmp_path) -> None:
    """SIGINT mid-run saves last.pt; resuming reaches the weights of a run never stopped."""
    run = tmp_path / "stopped"
    args = [sys.executable, "-m", "segue", "train", str(dataset_path), "-o", str(run),
            *TINY_ARGS, "--epochs", "1000"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("epoch 2/"):
                proc.send_signal(signal.SIGINT)
                break
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "--resume" in err.splitlines()[-1]
    state = read_checkpoint(run / "last.pt")["training_state"]
    done = state["epoch"] + (1 if state["batch"] else 0)
    assert 2 <= done < 1000
    target = done + 1
    resumed = train(None, run, replace(TINY, epochs=target), resume=True, progress=False,
                    log=quiet)
    whole = train(dataset_path, tmp_path / "whole", replace(TINY, epochs=target),
                  progress=False, log=quiet)
    assert resumed.status == whole.status == "completed"
    assert same_weights(run / "last.pt", tmp_path / "whole" / "last.pt")
    assert resumed.history == [{**h, "seconds": h2["seconds"], "elapsed": h2["elapsed"]}
                               for h, h2 in zip(whole.history, resumed.history, strict=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_torchrun_with_two_processes(dataset_path, tmp_path, encoded) -> None:
    run = tmp_path / "ddp"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
         "--master_addr", "127.0.0.1", "--master_port", str(free_port()),
         "-m", "segue", "train", str(dataset_path), "-o", str(run), *TINY_ARGS,
         "--epochs", "2"],
        capture_output=True, text=True, timeout=240, env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("epoch 2/2  train") == 1  # only rank 0 prints
    assert "x 2 processes" in result.stdout
    loaded = load_checkpoint(run / "best.pt")
    assert loaded.info["world_size"] == 2
    last = load_checkpoint(run / "last.pt")
    # the all-reduced validation loss is the loss of the whole valid split
    _, valid = encoded
    assert evaluate(last.model, valid, window=32)["total"] == pytest.approx(
        last.info["history"][-1]["valid"]["total"], rel=1e-5)


def test_velocity_shift_moves_whole_windows_and_spares_bos() -> None:
    from segue.model.train import shift_velocities

    rows = np.zeros((3, 5, 5), dtype=np.int64)
    rows[:, :, 3] = 24  # velocity 100 everywhere, as music21's export writes
    rows[0, 0, 3] = 32  # a BOS step
    out = shift_velocities(rows, np.array([0.0, 0.5, 0.999]), -48, 24)
    assert out[0, 0, 3] == 32
    assert set(out[0, 1:, 3]) == {24 - 12}  # softest: 100 - 48 = velocity 52
    assert set(out[2, :, 3]) == {24 + 6}  # loudest: 100 + 24 = velocity 124
    for window in out:
        assert len(set(window[window[:, 3] < 32, 3])) == 1  # one shift per window
    shifts = {int(shift_velocities(rows, np.array([u] * 3), -48, 24)[1, 0, 3]) - 24
              for u in np.linspace(0, 0.9999, 200)}
    assert shifts == set(range(-12, 7))  # every step from -48 to +24 is drawn


# ---------------------------------------------------------------- the clip memory


def test_training_fits_the_clip_memory_into_best(trained, encoded) -> None:
    from segue.model.memory import ORDERS

    best = load_checkpoint(trained.best_path)
    assert len(best.config.memory) == len(ORDERS)
    assert all(0 <= w < 1 for w in best.config.memory)
    fit = best.info["memory"]
    assert fit["split"] == "valid" and fit["notes"] == encoded[1].notes
    assert fit["nats_after"] <= fit["nats_before"]  # EM never does worse than no memory
    assert load_checkpoint(trained.last_path).config.memory == ()  # last.pt: to resume
    # the pitch-class pull was fitted with the weights, and their loss is the one reported
    from segue.model.likelihood import memory_losses, note_log_probs, recalls
    from segue.model.pitch_classes import GRID

    pull = best.config.pitch_class_weight
    assert pull in GRID and fit["pitch_class_weight"] == pull
    _, valid = encoded
    losses = memory_losses(note_log_probs(best.model, valid), recalls(valid), best.config.memory,
                           1.0, pull)
    assert losses["offset"] + losses["pitch"] + losses["duration"] + losses["velocity"] == \
        pytest.approx(fit["nats_after"], abs=1e-4)


def test_note_log_probs_agree_with_evaluate(trained, encoded) -> None:
    from segue.model.likelihood import memory_losses, note_log_probs

    _, valid = encoded
    model = load_checkpoint(trained.best_path).model
    per_note = memory_losses(note_log_probs(model, valid, batch_notes=500), [], ())
    whole = evaluate(model, valid, window=int(valid.lengths.max()))
    for name, value in whole.items():
        assert per_note[name] == pytest.approx(value, rel=1e-4, abs=1e-6)


def test_memory_command(segue_main, trained, dataset_path, tmp_path) -> None:
    one_line_error(segue_main("memory", trained.run_dir, dataset_path), "-o OUTPUT or --in-place")
    out = tmp_path / "fitted.pt"
    result = segue_main("memory", trained.run_dir, dataset_path, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "nats/note with the network alone" in result.stdout and "| 1+ |" in result.stdout
    assert load_checkpoint(out).config.memory == load_checkpoint(trained.best_path).config.memory
    assert same_weights(out, trained.best_path)
    one_line_error(segue_main("memory", trained.run_dir, dataset_path, "-o", out),
                   "already exists", "--force")
    copy = tmp_path / "copy.pt"
    copy.write_bytes(trained.last_path.read_bytes())
    result = segue_main("memory", copy, dataset_path, "--in-place", "--split", "train")
    assert result.returncode == 0, result.stderr
    assert load_checkpoint(copy).info["memory"]["split"] == "train"
    one_line_error(segue_main("memory", tmp_path / "nope.pt", dataset_path, "-o", tmp_path / "x"),
                   "no such checkpoint")
