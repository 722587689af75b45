"""`segue eval`: measure a model's continuations beside baselines and real music."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from segue.cli.console import can_encode, plain
from segue.cli.options import (
    models_dir_option,
    setting_option,
    threads_type,
)
from segue.eval_outputs import EvalOutputs
from segue.files import writing

if TYPE_CHECKING:  # the evaluation's modules (torch): loaded when it runs
    from segue.model.evaluation.run import EvalResult


@click.command("eval")
@click.argument("checkpoint", metavar="CHECKPOINT")
@click.argument("dataset", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "report_dir",
    type=click.Path(path_type=Path),
    default=None,
    metavar="REPORT_DIR",
    help="Folder for report.md, report.json and the plots (never replaced unless --force).",
)
@click.option(
    "--json",
    "json_out",
    default=None,
    metavar="PATH|-",
    help="Also write the report as JSON to PATH, or to stdout with '-' (the tables "
    "then go to stderr).",
)
@click.option(
    "--baseline",
    "baselines",
    multiple=True,
    metavar="NAME=CHECKPOINT",
    help="Another segue checkpoint to evaluate beside it (with its clip memory off), e.g. "
    "one trained with --independent-heads --no-bar-position. Repeatable.",
)
@models_dir_option()
@click.option(
    "--temperatures",
    default="0,0.8,1.0,1.2",
    show_default=True,
    help="Sampling temperatures, separated by commas (0 = greedy).",
)
@click.option(
    "--recommended-temperature",
    type=float,
    default=1.0,
    show_default=True,
    help="The temperature whose metrics decide the verdict.",
)
@setting_option("top_p", help="nucleus of every model's sampling")
@click.option(
    "--samples",
    type=int,
    default=4,
    show_default=True,
    help="Continuations per seed and temperature (1 when greedy).",
)
@click.option(
    "--seed-bars",
    type=float,
    default=4.0,
    show_default=True,
    help="Bars of each test piece given as the seed.",
)
@setting_option(
    "bars", default=4.0, help="bars to continue (and of the real continuation to compare with)"
)
@click.option(
    "--max-pieces",
    type=int,
    default=None,
    help="Continue at most this many test pieces, spread over the split "
    "(likelihood always uses all of them).",
)
@setting_option(
    "rng_seed", default=0, help="random seed of the samples and of the pitch-only LSTM's training"
)
@click.option(
    "--tolerance",
    type=float,
    default=0.10,
    show_default=True,
    help="A metric is within tolerance within this fraction of the real value...",
)
@click.option(
    "--spread",
    type=float,
    default=1.0,
    show_default=True,
    help="...or within this many standard deviations of the real metric across "
    "pieces, whichever is larger (0: the fraction alone).",
)
@click.option(
    "--ngram-order",
    type=int,
    default=None,
    help="Order of the n-gram baseline. Default: each field's best order (1-6) on "
    "the validation split.",
)
@click.option("--no-ngram", is_flag=True, help="Leave the n-gram baseline out.")
@click.option(
    "--pitch-only",
    "pitch_only",
    default=None,
    metavar="PATH|none",
    help="A pitch-only LSTM saved by an earlier run (REPORT_DIR/pitch_only.pt), or "
    "'none' to leave it out. Default: train one in the run.",
)
@click.option(
    "--pitch-only-minutes",
    type=float,
    default=10.0,
    show_default=True,
    help="Most minutes to train the pitch-only LSTM.",
)
@click.option(
    "--pitch-only-epochs",
    type=int,
    default=30,
    show_default=True,
    help="Most epochs to train the pitch-only LSTM.",
)
@click.option(
    "--device",
    default="cpu",
    show_default=True,
    metavar="auto|cpu|cuda|mps",
    help="Where the pitch-only LSTM trains (everything else runs on the CPU).",
)
@click.option(
    "--examples", type=int, default=3, show_default=True, help="Piano rolls of this many seeds."
)
@setting_option(
    "memory", help="clip-memory strength of CHECKPOINT, if it has a fitted memory (0: off)"
)
@click.option(
    "--no-memory-ablation",
    is_flag=True,
    help="Leave out the row of CHECKPOINT with its memory off.",
)
@click.option(
    "--no-repeat",
    is_flag=True,
    help="Leave out the baseline that repeats the seed's last 4 bars.",
)
@click.option(
    "--threads", type=threads_type(), default=1, show_default=True, help="Torch CPU threads."
)
@click.option("-f", "--force", is_flag=True, help="Replace an existing report.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or log lines.")
def eval_command(
    checkpoint: str,
    dataset: Path,
    report_dir: Path | None,
    json_out: str | None,
    baselines: tuple[str, ...],
    models_dir: Path | None,
    force: bool,
    quiet: bool,
    **options: Any,
) -> None:
    """Evaluate CHECKPOINT (a model name or a checkpoint) on DATASET or a MIDI folder.

    CHECKPOINT is an installed model's name, a checkpoint or a run folder; DATASET a
    prepared dataset (its test split) or a folder of MIDI files (every piece).

    Prints held-out negative log-likelihood per note on the test split (per
    field, nats and bits) and, for each test piece, metrics of continuations of
    its first --seed-bars bars next to the same metrics of what the composer
    wrote: in-key rate, pitch-class, inter-onset and duration histogram
    distances from the seed, pitch range, mean interval, notes per bar,
    polyphony, onsets on the seed's grid, repeated patterns and copied runs.
    Baselines in the same table: CHECKPOINT with its clip memory off, any
    --baseline checkpoints, "repeat the seed's last 4 bars", and an n-gram model
    and a pitch-only LSTM with a fixed rhythm, both trained on the dataset's
    training split in the run (a folder of MIDI files has none). Each
    metric is marked within or outside tolerance of the real value. Test pieces
    with the same notes as a training piece (one tune in two collections) are
    not held out, and are left out.

    \b
    Examples:
      segue eval melody data/melody -o reports/melody
      segue eval melody data/melody -o reports/melody --baseline indep=runs/melody-indep
      segue eval runs/folk data/folk --max-pieces 20 --samples 2 --json -
      segue eval producer my_clips/ -o reports/mine     # every file of a MIDI folder
      segue eval polyphonic data/chorale -o reports/chorale --pitch-only reports/old/pitch_only.pt
    """
    from segue.eval_request import eval_settings, evaluated_models
    from segue.model.evaluation.run import run_evaluation

    outputs = EvalOutputs(report_dir, json_out, force)
    note = outputs.check()
    if note:
        click.echo(f"note: {note}", err=True)
    settings = eval_settings(**options)  # the run's options; the rest are the command's
    evaluated, others = evaluated_models(checkpoint, baselines, models_dir)

    def log(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    progress = not quiet and sys.stderr.isatty()
    result = run_evaluation(evaluated, dataset, others, settings, log=log, progress=progress)
    _report(result, outputs)


def _report(result: EvalResult, outputs: EvalOutputs) -> None:
    """Write the report's files, then print its tables (stderr with ``--json -``), where
    the report went, and the JSON (with ``--json -``) or where it went."""
    from segue.model.evaluation.folder import write_report
    from segue.model.evaluation.report import console_report, report_json

    # the files first: a console that cannot show the tables must not lose the run
    report_dir, json_path, to_stdout = outputs.report_dir, outputs.json_path, outputs.to_stdout
    files = []
    if report_dir is not None:
        with writing(report_dir):
            files = write_report(result, report_dir, force=outputs.force)
    text = report_json(result.report)
    if json_path is not None:
        with writing(str(outputs.json_out)):
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(text, encoding="utf-8")
    tables = console_report(result.report)  # stdout is for the JSON with --json -
    click.echo(plain(tables, sys.stderr if to_stdout else sys.stdout), err=to_stdout)
    if report_dir is not None:
        click.echo(f"report: {report_dir / 'report.md'} ({len(files)} files)", err=to_stdout)
    if to_stdout:
        if not can_encode(text):  # names as JSON's \u escapes, which any console can show
            text = json.dumps(json.loads(text), indent=1) + "\n"
        click.echo(text, nl=False)
    elif json_path is not None:
        click.echo(f"json: {outputs.json_out}")


def register(group: click.Group) -> None:
    group.add_command(eval_command)
