"""Options that several commands share, declared once, and what their values become.

Each ``*_option(s)`` function returns a decorator that adds its options to a
command in the order they appear in its help: the model (``segue generate``,
``segue live continue``, ``segue eval``, ``segue serve``, ``segue models``),
the generation settings (``segue generate``, ``segue send``, ``segue live
continue``) and the seed file and MIDI output (``segue generate``, ``segue
send``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from segue.errors import SegueError
from segue.midi_io import read_midi, read_tempo
from segue.model.registry import DEFAULT_MODEL
from segue.notes import Clip, TimeSignature

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]


def _stack(*options: Decorator) -> Decorator:
    """One decorator applying ``options`` so that they are listed in the order given."""

    def apply(f: F) -> F:
        for option in reversed(options):
            f = option(f)
        return f

    return apply


# -- the model ---------------------------------------------------------------------------------


def models_dir_option(
    help: str = "Folder with your own models (NAME.pt).", required: bool = False
) -> Decorator:
    return click.option(
        "--models-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        required=required,
        help=help,
    )


def model_options() -> Decorator:
    """--model and --models-dir, for a command that runs the model itself."""
    return _stack(
        click.option(
            "--model",
            "model_name",
            default=None,
            metavar="NAME|PATH",
            help="Installed model name (see `segue models`) or a checkpoint/run folder. "
            f"Default: {DEFAULT_MODEL}.",
        ),
        models_dir_option(),
    )


# -- generation ------------------------------------------------------------------------------


def generation_options(
    *,
    seed: str = "seed",
    variations_help: str = "How many different continuations (generated as one batch).",
    defaults: bool = True,
) -> Decorator:
    """--bars, --beats, --notes, -n, -t, --top-p, --key, --low, --high, --max-polyphony,
    --memory and --seed-rng, the settings of :class:`segue.model.generate.GenerationParams`.

    ``seed`` is what the command calls the notes it continues. With ``defaults`` False
    every option is None unless given (``segue send`` passes on only what is given, and
    the bridge applies its own defaults, which are the same); the help still names them.
    """

    def option(*decls: str, default: object = None, help: str, **kwargs: Any) -> Decorator:
        if default is None:
            return click.option(*decls, default=None, help=help, **kwargs)
        if defaults:
            return click.option(*decls, default=default, show_default=True, help=help, **kwargs)
        return click.option(*decls, default=None, help=f"{help}  [default: {default}]", **kwargs)

    return _stack(
        option(
            "--bars",
            type=float,
            help=f"Length of each continuation in bars of the {seed}'s time signature "
            "(the default is 4 bars).",
        ),
        option("--beats", type=float, help="Length in beats instead."),
        option("--notes", "n_notes", type=int, help="Length in notes instead."),
        option("-n", "--variations", type=int, default=1, help=variations_help),
        option(
            "-t",
            "--temperature",
            type=float,
            default=1.0,
            help="0 = always the likeliest note; higher = more adventurous.",
        ),
        option(
            "--top-p",
            type=float,
            default=0.95,
            help="Sample only from the likeliest choices that make up this probability.",
        ),
        option(
            "--key",
            metavar="auto|KEY",
            help=f"Lock notes to a key: 'auto' (detect from the {seed}) or e.g. 'A minor', "
            "'F# dorian'. Default: no lock.",
        ),
        option("--low", "pitch_low", type=int, default=0, help="Lowest pitch allowed."),
        option("--high", "pitch_high", type=int, default=127, help="Highest pitch allowed."),
        option("--max-polyphony", type=int, help="Most notes sounding at once."),
        option(
            "--memory",
            type=float,
            default=1.0,
            help=f"How strongly the {seed}'s own phrases and pitch classes come back: 1 as "
            "often as in the music the model learnt from, 0 only when the network recalls "
            "them, up to 4 for loops.",
        ),
        option(
            "--seed-rng",
            "rng_seed",
            type=int,
            help="Random seed: the same number gives the same notes.",
        ),
    )


# -- the seed file and the MIDI output -------------------------------------------------------


def output_option() -> Decorator:
    return click.option(
        "-o",
        "--output",
        "output",
        required=True,
        type=click.Path(path_type=Path),
        help="MIDI file to write; with several variations NAME-1.mid, NAME-2.mid, ...",
    )


def track_option() -> Decorator:
    return click.option(
        "--track",
        default=None,
        metavar="INDEX|NAME|most",
        help="Seed track: index, name or 'most'. Default: all non-drum tracks.",
    )


def seed_file_options() -> Decorator:
    """--include-seed, --time-signature and --tempo."""
    return _stack(
        click.option(
            "--include-seed", is_flag=True, help="Write the seed before the continuation."
        ),
        click.option(
            "--time-signature",
            "time_sig",
            default="4/4",
            show_default=True,
            help="Time signature when there is no seed file.",
        ),
        click.option(
            "--tempo",
            type=float,
            default=None,
            help="Tempo of the output in BPM (default: the seed's, else 120).",
        ),
    )


def force_option() -> Decorator:
    return click.option("-f", "--force", is_flag=True, help="Replace output files that exist.")


def read_seed(seed: Path | None, track: str | None, time_sig: str) -> Clip:
    """The clip to continue: SEED's notes (of --track), or none in --time-signature."""
    if seed is not None:
        return read_midi(seed, track=int(track) if track is not None and track.isdigit() else track)
    try:
        num, den = time_sig.split("/")
        signature = TimeSignature(int(num), int(den))
    except ValueError:
        raise SegueError(f"time signature must look like 4/4 or 6/8, got {time_sig!r}") from None
    return Clip((), None, signature)


def output_tempo(seed: Path | None, tempo: float | None) -> float:
    """--tempo, else the seed file's, else 120 BPM."""
    return tempo if tempo is not None else (read_tempo(seed) if seed else 120.0)


def output_paths(output: Path, count: int) -> list[Path]:
    """The MIDI file of each of ``count`` variations: OUTPUT, or NAME-1.mid, NAME-2.mid, ..."""
    if count == 1:
        return [output]
    suffix = output.suffix or ".mid"
    return [output.with_name(f"{output.stem}-{i}{suffix}") for i in range(1, count + 1)]


def refuse_existing(paths: list[Path], force: bool) -> None:
    """Stop before any work if a file to write exists, unless --force."""
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise SegueError(f"{existing[0]} already exists; choose another name or use --force")
