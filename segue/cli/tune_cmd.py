"""`segue tune`: tune an installed model on your own MIDI files (over segue.model.tuning)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from segue.cli.options import Finite, models_dir_option, threads_type
from segue.model.tuning.material import HELD_OUT_NOTES, HOLD_OUT_BY, HoldOutBy
from segue.tune_notices import beats_on_a_melodic_channel, left_out, tuned_lines

if TYPE_CHECKING:
    from tqdm import tqdm

    from segue.model.tuning.fit import Progress
    from segue.model.tuning.material import Material


_TUNE_OPTIONS = (
    click.option(
        "-o",
        "--output",
        "name",
        required=True,
        metavar="NAME",
        help="The new model's name.",
    ),
    click.option(
        "--from",
        "base",
        default=None,
        metavar="NAME|PATH",
        help="The model to start from (see `segue models`). Default: the one "
        "least surprised by how your pieces continue.",
    ),
    click.option(
        "--seconds",
        type=Finite(min=1, max=3600),
        default=60,
        show_default=True,
        help="The time budget for tuning. The refit of the clip memory and the fit of "
        f"its confidence come after it, on at most {HELD_OUT_NOTES:,} of the held-out "
        "notes (drawn from each held-out piece in turn), so they take about as long "
        "for one long file held out as for a few clips.",
    ),
    click.option(
        "--threads",
        type=threads_type(),
        default=None,
        help="CPU threads. Default: all cores, or one while they take steps slower (a "
        "busy computer). 1 leaves the others to Live while it plays.",
    ),
    click.option("--replace", is_flag=True, help="Replace your own model of the same name."),
    click.option(
        "-q",
        "--quiet",
        is_flag=True,
        help="No progress bar or steps (what is tuned on, held out and left out is still said).",
    ),
    models_dir_option(),
)
"""-o NAME, --from, --seconds, --threads, --replace, --quiet and --models-dir."""


def tune_options(command: Callable[..., None]) -> Callable[..., None]:
    """-o NAME, --from, --seconds, --threads, --replace, --quiet and --models-dir."""
    for option in reversed(_TUNE_OPTIONS):
        command = option(command)
    return command


@click.command("tune")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@tune_options
@click.option(
    "--hold-out",
    "hold_out_by",
    type=click.Choice(list(HOLD_OUT_BY)),
    default="auto",
    show_default=True,
    help="Which pieces are held out to stop early and to report the gain: "
    + "; ".join(f"{way}, {meaning}" for way, meaning in HOLD_OUT_BY.items())
    + ".",
)
def tune_command(
    sources: tuple[Path, ...],
    name: str,
    base: str | None,
    seconds: float,
    threads: int | None,
    replace: bool,
    quiet: bool,
    models_dir: Path | None,
    hold_out_by: HoldOutBy,
) -> None:
    """Tune an installed model on SOURCES (MIDI files or folders) and install it as NAME.

    Each file is one piece (its tracks merged, drums apart: a file of drums only tunes
    the drum model). A share of the pieces is held out: tuning keeps the weights that
    score best on them and stops when they stop improving or the time is spent; Ctrl-C
    stops it with the best so far. The clip memory is then refitted on the held-out pieces
    (a model's loop stays its base's), and the model installed in segue's home with a
    card, for `segue models`, `generate`, `serve` and the device's Model menu. A bundled
    model is never replaced. Without --from, tuning starts from the bundled model least
    surprised by how the pieces continue (a model of your own only when named). With a
    drum model named, a Drum Rack's clips on channel 1 are learnt as drum pads.

    \b
    Examples:
      segue tune my-clips/ -o mine
      segue tune a.mid b.mid c.mid d.mid -o riffs --from producer --seconds 120
      segue tune bass/ pads/ leads/ arps/ -o mine --hold-out clips
      segue generate seed.mid --model mine -o next.mid
    """
    from segue.model.tuning.material import read_sources
    from segue.model.tuning.tune import check_request

    check_request(name, base, models_dir, allow_path=True, replace=replace)
    material = read_sources(sources)
    if material.skipped:
        click.echo(f"left out files: {left_out(material.skipped)}")
    tune_and_report(material, name, base, seconds, threads, replace, quiet, models_dir, hold_out_by)


def tune_and_report(
    material: Material,
    name: str,
    base: str | None,
    seconds: float,
    threads: int | None,
    replace: bool,
    quiet: bool,
    models_dir: Path | None,
    hold_out_by: HoldOutBy = "auto",
) -> None:
    """Tune on ``material`` with a progress bar (Ctrl-C keeps the best so far) and say how it
    went (``segue tune``, ``segue live learn``)."""
    from segue.model.training.signals import StopFlag, stop_on_signals
    from segue.model.tuning.fit import TuneSettings
    from segue.model.tuning.tune import tune

    bar, report = _progress_bar(seconds, quiet)
    beats = beats_on_a_melodic_channel(material, base)
    if beats:
        click.echo(f"segue: {beats}", err=True)
    with bar, stop_on_signals(StopFlag()) as stop:
        result = tune(
            material,
            name,
            base,
            TuneSettings(seconds=seconds, threads=threads),
            models_dir=models_dir,
            allow_path=True,
            replace=replace,
            stop=stop,
            report=report,
            log=_news if quiet else click.echo,
            hold_out_by=hold_out_by,
        )
    for line in tuned_lines(name, result):
        click.echo(line)


def _progress_bar(seconds: float, quiet: bool) -> tuple[tqdm[Any], Callable[[Progress], None]]:
    """The tuning's progress bar on stderr (only on a terminal, not in a pipe or a log;
    none with ``quiet``), and what the tuning reports each round to it."""
    from tqdm import tqdm

    bar = tqdm(
        total=round(seconds),
        unit="s",
        desc="tuning",
        disable=True if quiet else None,  # None: only on a terminal, not in a pipe or a log
        leave=False,
        file=sys.stderr,
        dynamic_ncols=True,
        bar_format="{desc} {bar} {n_fmt}/{total_fmt} s {postfix}",
    )

    def report(progress: Progress) -> None:
        bar.update(min(round(progress.seconds), round(seconds)) - bar.n)
        bar.set_postfix_str(f"held-out loss {progress.held_out:.3f} (best {progress.best:.3f})")

    return bar, report


def _news(message: str) -> None:
    """What ``--quiet`` still says: what is tuned on, held out and left out (a folder
    sorted by instrument held out whole is said there), not the steps."""
    from segue.model.tuning.tune import REFITTING

    if message != REFITTING:
        click.echo(message)


def register(group: click.Group) -> None:
    group.add_command(tune_command)
