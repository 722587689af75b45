"""`segue data`: prepare a training dataset from folders of MIDI files, and describe one."""

from __future__ import annotations

from pathlib import Path

import click

from segue.cli.options import Finite
from segue.dataset.loading import load_dataset
from segue.dataset.prepare import prepare_dataset
from segue.dataset.reading import READERS
from segue.files import check_writable, writing
from segue.midi_io import track_choice


def _show_skipped(skipped: list[dict[str, str]]) -> None:
    if not skipped:
        return
    click.echo("skipped files:")
    for item in skipped:
        click.echo(f"  {item['input']}/{item['source']}: {item['reason']}")


@click.group("data")
def data_group() -> None:
    """Prepare MIDI files for training, and describe a prepared dataset.

    \b
    Examples:
      segue data prepare data/midi/folk -o data/folk
      segue data info data/folk
    """


@data_group.command("prepare")
@click.argument(
    "folders",
    nargs=-1,
    required=True,
    type=click.Path(file_okay=True, dir_okay=True, path_type=str),
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    metavar="DATASET",
    type=click.Path(path_type=str),
    help="Folder to write the dataset to.",
)
@click.option(
    "--track",
    "track",
    default=None,
    metavar="INDEX|NAME|most",
    help="Read one track of each file by index or name, or the track with the most "
    "notes. Default: all non-drum tracks merged.",
)
@click.option(
    "--drums",
    is_flag=True,
    help="Read each file's drum notes (MIDI channel 10) alone, for a drum model; files "
    "without drums are skipped.",
)
@click.option(
    "--valid",
    "valid_fraction",
    default=None,
    metavar="FRACTION",
    type=Finite(0, 1, max_open=True),
    help="Share of the files held out for validation.  [default: 0.05; 0 with --test 1]",
)
@click.option(
    "--test",
    "test_fraction",
    default=0.05,
    show_default=True,
    metavar="FRACTION",
    type=Finite(0, 1),
    help="Share of the files held out for testing (1: every file, a dataset to evaluate on only).",
)
@click.option(
    "--workers",
    "-j",
    default=None,
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes reading files in parallel. Default: one per CPU core.",
)
@click.option("-f", "--force", is_flag=True, help="Replace DATASET if it exists.")
@click.option("--verbose", "-v", is_flag=True, help="List the skipped files with reasons.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--reader",
    type=click.Choice(READERS),
    default="fast",
    hidden=True,
    help="MIDI reader: fast (default) or mido (segue's reference reader, slower).",
)
def prepare_command(
    folders: tuple[str, ...],
    output: str,
    track: str | None,
    drums: bool,
    valid_fraction: float | None,
    test_fraction: float,
    workers: int | None,
    force: bool,
    verbose: bool,
    quiet: bool,
    reader: str,
) -> None:
    """Read every MIDI file under FOLDERS into a dataset for training.

    Every .mid/.midi/.rmi file in the folders and their subfolders is read, put on
    segue's grid (24 ticks per beat) and assigned to train, valid or test by a
    hash of its path inside its folder: adding files never moves the old ones,
    and moving the whole folder moves nothing. The parts of one work (a folder
    that `segue corpus export --parts` wrote) go to the same split. Hidden files
    and folders (names that begin with a dot, such as the ._ files macOS leaves
    on shared drives) are left out. Files that cannot be read are skipped and
    counted by reason; --verbose lists them.

    \b
    Examples:
      segue data prepare data/midi/folk -o data/folk
      segue data prepare data/midi/bach data/midi/folk -o data/mixed --valid 0.1
      segue data prepare midi/piano -o data/piano --track most --workers 4
      segue data prepare data/midi/beats -o data/beats --drums --force
    """
    check_writable([Path(output)])
    with writing(output):
        summary = prepare_dataset(
            folders,
            output,
            workers=workers,
            track=track_choice(track),
            drums=drums,
            valid_fraction=(
                valid_fraction
                if valid_fraction is not None
                else (0.0 if test_fraction == 1 else 0.05)
            ),
            test_fraction=test_fraction,
            force=force,
            progress=not quiet,
            reader=reader,
        )
    if verbose:
        _show_skipped(summary.skipped_files)
    click.echo(summary.text())


@data_group.command("info")
@click.argument("dataset", type=click.Path(path_type=str))
@click.option("--verbose", "-v", is_flag=True, help="List the skipped files with reasons.")
def info_command(dataset: str, verbose: bool) -> None:
    """Show what a prepared dataset holds: files, pieces and notes per split, skips.

    \b
    Examples:
      segue data info data/folk
      segue data info data/folk --verbose
    """
    ds = load_dataset(dataset)
    if verbose:
        _show_skipped(ds.skipped_files())
    click.echo(ds.summary())


def register(group: click.Group) -> None:
    group.add_command(data_group)
