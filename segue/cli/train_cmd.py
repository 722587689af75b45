"""`segue train`: fit a model to a prepared dataset (a thin layer over segue.model.training)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from segue.cli.options import AliasedOption, ExtraArgumentNamed, Finite, threads_type
from segue.errors import SegueError
from segue.files import check_writable
from segue.shell import quoted

# CLI option name -> (TrainConfig field, conversion)
_OPTIONS: dict[str, tuple[str, Any]] = {
    "epochs": ("epochs", None),
    "batch_size": ("batch_size", None),
    "window": ("window", None),
    "lr": ("lr", None),
    "weight_decay": ("weight_decay", None),
    "grad_clip": ("grad_clip", None),
    "hidden": ("hidden", None),
    "layers": ("layers", None),
    "embed": ("embed", None),
    "dropout": ("dropout", None),
    "independent_heads": ("chained", lambda v: not v),
    "no_bar_position": ("bar_position", lambda v: not v),
    "transpose": ("transpose", tuple),
    "no_transpose": ("transpose", None),
    "velocity_shift": ("velocity_shift", tuple),
    "steps_per_epoch": ("steps_per_epoch", None),
    "patience": ("patience", None),
    "rng_seed": ("rng_seed", None),
    "device": ("device", None),
    "threads": ("threads", None),
}


def _settings(ctx: click.Context, values: dict[str, Any], explicit_only: bool) -> dict[str, Any]:
    """TrainConfig fields from the options (only those typed on the command line, if asked)."""
    out: dict[str, Any] = {}
    for option, (name, convert) in _OPTIONS.items():
        if explicit_only and ctx.get_parameter_source(option) is not ParameterSource.COMMANDLINE:
            continue
        value = values[option]
        if option == "no_transpose":
            if value:
                out[name] = (0, 0)
            continue
        out[name] = convert(value) if convert else value
    return out


@click.command("train", cls=ExtraArgumentNamed)
@click.argument("dataset", required=False, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "run_dir",
    required=True,
    metavar="RUN_DIR",
    type=click.Path(path_type=Path),
    help="Run folder: best.pt, last.pt and loss.png go here.",
)
@click.option(
    "--epochs",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Most epochs (one epoch covers every training note once).",
)
@click.option(
    "--batch-size",
    "-b",
    type=click.IntRange(1, 4096),
    default=32,
    show_default=True,
    help="Windows per batch (per process under torchrun).",
)
@click.option(
    "--window",
    type=click.IntRange(1, 4096),
    default=128,
    show_default=True,
    help="Notes per training window.",
)
@click.option(
    "--lr",
    type=Finite(min=0, min_open=True),
    default=2e-3,
    show_default=True,
    help="AdamW learning rate.",
)
@click.option(
    "--weight-decay",
    type=Finite(min=0),
    default=0.01,
    show_default=True,
    help="AdamW weight decay.",
)
@click.option(
    "--grad-clip",
    type=Finite(min=0),
    default=1.0,
    show_default=True,
    help="Clip the gradient norm to this (0: no clipping).",
)
@click.option(
    "--hidden",
    type=click.IntRange(1, 4096),
    default=256,
    show_default=True,
    help="LSTM units per layer.",
)
@click.option(
    "--layers", type=click.IntRange(1, 8), default=2, show_default=True, help="LSTM layers."
)
@click.option(
    "--embed",
    type=click.IntRange(2, 1024),
    default=64,
    show_default=True,
    help="Embedding size of each note field.",
)
@click.option(
    "--dropout", type=Finite(0, 1, max_open=True), default=0.1, show_default=True, help="Dropout."
)
@click.option(
    "--independent-heads",
    is_flag=True,
    help="Predict the four note fields independently (ablation; default: each "
    "field sees the ones chosen before it).",
)
@click.option(
    "--no-bar-position",
    is_flag=True,
    help="Hide each note's place in the bar from the model (ablation).",
)
@click.option(
    "--transpose",
    type=int,
    nargs=2,
    default=(-5, 6),
    show_default=True,
    metavar="LOW HIGH",
    help="Transpose each window by a random number of semitones "
    "in this range (kept on the keyboard).",
)
@click.option("--no-transpose", is_flag=True, help="No transposition (same as --transpose 0 0).")
@click.option(
    "--velocity-shift",
    type=int,
    nargs=2,
    default=(-88, 24),
    show_default=True,
    metavar="LOW HIGH",
    help="Make each window louder or softer by a random velocity "
    "step in this range (0 0: off), so the model follows "
    "the seed's loudness.",
)
@click.option(
    "--steps-per-epoch",
    type=click.IntRange(min=1),
    default=None,
    help="Batches per epoch (per process) instead of one pass over the notes.",
)
@click.option(
    "--patience",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Stop after this many epochs without a better validation loss (0: never).",
)
@click.option(
    "--rng-seed",
    "--seed",
    "rng_seed",
    cls=AliasedOption,
    aliases=("--seed",),
    type=int,
    default=None,
    help="Random seed; the same number and settings repeat a run exactly. "
    "Default: a fresh one (printed and stored).",
)
@click.option(
    "--device",
    default="auto",
    show_default=True,
    metavar="auto|cpu|cuda|mps",
    help="Where to train: auto takes an NVIDIA GPU (cuda), else a Mac's GPU (mps), else the CPU.",
)
@click.option(
    "--threads",
    type=threads_type(),
    default=None,
    help="CPU threads. Default: all cores (shared out under torchrun), or one while they take "
    "steps slower (a busy computer).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the run in RUN_DIR from its last.pt with its own settings "
    "(--epochs, --patience, --device and --threads may change).",
)
@click.option(
    "-f", "--force", is_flag=True, help="Start over in a RUN_DIR that already holds a run."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def train_command(
    ctx: click.Context,
    dataset: Path | None,
    run_dir: Path,
    resume: bool,
    force: bool,
    quiet: bool,
    **options: Any,
) -> None:
    """Train a model on DATASET (made by `segue data prepare`); results go to RUN_DIR.

    Each epoch prints the loss of each note field (nats per note) on the
    training windows and on the validation pieces, and keeps the model with the
    lowest validation loss in RUN_DIR/best.pt. Training stops early when the
    validation loss has not improved for --patience epochs. Ctrl-C stops after
    the current batch and saves RUN_DIR/last.pt (so do Ctrl-Break and closing
    the console window on Windows); --resume carries on from it. A GPU is
    used when there is one (mixed precision on NVIDIA's); under torchrun each
    process trains on its own share of the windows.

    \b
    Examples:
      segue train data/folk -o runs/folk
      segue train data/folk -o runs/small --hidden 128 --epochs 10 --rng-seed 1
      segue train data/folk -o runs/folk --resume            # after Ctrl-C
      segue train -o runs/folk --resume --epochs 40          # go on for longer
      segue train data/bach -o runs/bach --transpose -3 3 --window 256
      torchrun --nproc_per_node 4 -m segue train data/folk -o runs/folk
    """
    from segue.model.training.config import TrainConfig
    from segue.model.training.loop import train
    from segue.model.training.run_folder import read_run_config
    from segue.train_notices import stopped_line, trained_lines

    if resume and force:
        raise SegueError("choose either --resume (continue the run) or --force (start over)")
    check_writable([run_dir])
    if resume:
        stored, stored_dataset = read_run_config(run_dir)
        config = replace(stored, **_settings(ctx, options, explicit_only=True))
        dataset = dataset or stored_dataset
    else:
        if dataset is None:
            raise SegueError("name the DATASET to train on (or add --resume to continue a run)")
        config = TrainConfig(**_settings(ctx, options, explicit_only=False))
    result = train(
        dataset,
        run_dir,
        config,
        resume=resume,
        force=force,
        progress=not quiet,
        command=_command_line(ctx),
    )
    if result.status == "interrupted":
        if result.rank == 0:
            click.echo(f"segue: {stopped_line(dataset, run_dir, result.world)}", err=True)
        raise SystemExit(130)
    if result.rank == 0:
        for line in trained_lines(run_dir, dataset):
            click.echo(line)


def _command_line(ctx: click.Context) -> list[str]:
    """The command as typed (as far as it matters): `segue train`, then the given options,
    each by its first long name (not an old alias such as --seed), and each value quoted
    as :func:`_quote` quotes it, so that the words joined by spaces read as one command in
    this computer's shell (a dataset in `my beats` was two words on the model card)."""
    words = ["segue", "train"]
    for param in ctx.command.params:
        if ctx.get_parameter_source(param.name) is not ParameterSource.COMMANDLINE:
            continue
        value = ctx.params[param.name]
        values = value if isinstance(value, tuple) else (value,)
        shown = [quoted(str(v)) or str(v) for v in values]
        if isinstance(param, click.Argument):
            words += shown
        elif getattr(param, "is_flag", False):
            words.append(_long_name(param))
        else:
            words += [_long_name(param), *shown]
    return words


def _long_name(param: click.Parameter) -> str:
    """An option's first `--` name (`--rng-seed`, not its alias `--seed`), else its first."""
    return next((o for o in param.opts if o.startswith("--")), param.opts[0])


def register(group: click.Group) -> None:
    group.add_command(train_command)
