"""`segue generate` and `segue models`: offline generation from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from segue.cli.options import (
    AUTO_CHOICE,
    ExtraArgumentNamed,
    check_downbeat,
    check_seedless,
    force_option,
    generation_options,
    generation_params,
    given_signature,
    midi_name,
    model_label,
    model_options,
    models_dir_option,
    output_option,
    output_paths,
    output_tempo,
    read_seed,
    refuse_existing,
    same_takes_notice,
    seed_file_options,
    seed_program,
    track_option,
)
from segue.errors import SegueError
from segue.files import check_writable, writing
from segue.midi_io import gm_program
from segue.model.registry import bundled_name
from segue.model.settings import check_length, check_seed
from segue.notes import Clip
from segue.part_notices import Casting, part_notices
from segue.render import soundfont_notice
from segue.take_files import SeedPart, write_takes
from segue.take_notices import take_notices

if TYPE_CHECKING:  # the network's modules (torch): loaded when it generates
    from segue.model.generate import GenerationResult


@click.command("generate", cls=ExtraArgumentNamed)
@click.argument("seed", required=False, type=click.Path(dir_okay=False, path_type=Path))
@output_option()
@model_options()
@track_option()
@generation_options()
@seed_file_options()
@click.option(
    "--program",
    default=None,
    help="General MIDI program of the output: number or name ('Violin'). "
    "Default: the seed track's (0, piano, where it sets none).",
)
@click.option("--plot", is_flag=True, help="Also write a piano-roll PNG next to the output.")
@click.option("--wav", is_flag=True, help="Also render WAV audio with FluidSynth.")
@click.option(
    "--soundfont", type=click.Path(dir_okay=False), default=None, help="Soundfont for --wav."
)
@force_option()
def generate_command(
    seed: Path | None,
    output: Path,
    model_name: str | None,
    models_dir: Path | None,
    track: str | None,
    time_sig: str | None,
    tempo: float | None,
    program: str | None,
    plot: bool,
    wav: bool,
    soundfont: str | None,
    force: bool,
    **settings: Any,
) -> None:
    """Continue SEED (a MIDI file) with a model, or generate from scratch without one.

    The continuation starts where the seed's clip ends (its length rounded up
    to whole bars; a last note that rings on into the next bar for no more
    than half of it adds no bar) and is written as a new clip starting at 0, unless
    --include-seed puts the seed first.

    \b
    Examples:
      segue generate examples/seeds/reel.mid -o reel-next.mid
      segue generate examples/seeds/chorale.mid --model polyphonic --bars 8 -n 4 -o next.mid --plot
      segue generate tune.mid --key auto -t 0.8 --rng-seed 7 -o next.mid --wav
      segue generate --bars 8 --time-signature 6/8 -o fresh.mid
    """
    from segue.generated_takes import generated_lines, made_takes
    from segue.model.choice import choose_model

    params = generation_params(settings)  # --downbeat nan: one line before the seed reads it
    check_seedless(seed, track)
    seed_clip, drums = read_seed(seed, track, time_sig, downbeat=params.downbeat)
    out_tempo = output_tempo(seed, tempo)
    check_downbeat(params.downbeat, seed, seed_clip)
    check_seed(seed_clip, seed)  # the bridge's limits, as segue send says them
    check_length(params, seed_clip.time_signature)  # the bridge's limits: the device's lengths
    gm = _program(program, seed, track, drums)
    output = midi_name(output)
    paths = output_paths(output, params.variations)
    _check_outputs(paths, output, plot, wav, soundfont, force)
    name, loaded = choose_model(model_name, models_dir).choose(seed_clip, drums=drums)
    kit = bool(loaded.model.config.drums)
    label = model_label(model_name, loaded.path, drums, kit)
    casting = Casting(seed, seed_clip, drums, model_name, name, kit)
    same = same_takes_notice(params.temperature, params.variations)
    unused = soundfont_notice(soundfont, wav)
    _say(part_notices(casting, settings, program) + [line for line in (same, unused) if line])
    result, cut, elapsed = made_takes(loaded.model, seed_clip, params)
    clips = result.clips()
    part = SeedPart(seed, track, given_signature(time_sig), seed_clip, drums, gm)
    write_takes(clips, paths, part, tempo=out_tempo, include_seed=params.include_seed, force=force)
    for line in generated_lines(label, elapsed, result, clips, paths, seed):
        click.echo(line)
    bar = seed_clip.time_signature.beats_per_bar
    _say(take_notices(result, cut, params, bar, kit, said_same=bool(same)))
    _plot_and_render(plot, wav, seed, seed_clip, result, label, output, paths, soundfont)


def _plot_and_render(
    plot: bool,
    wav: bool,
    seed: Path | None,
    seed_clip: Clip,
    result: GenerationResult,
    label: str,
    output: Path,
    paths: list[Path],
    soundfont: str | None,
) -> None:
    """With --plot, the takes' piano roll next to the output; with --wav, each take's
    audio."""
    if plot:
        title = f"{seed.name if seed else 'no seed'} -> {label}"
        _plot(seed_clip, [v.clip for v in result.variations], output.with_suffix(".png"), title)
    if wav:
        _render(paths, soundfont)


def _program(program: str | None, seed: Path | None, track: str | None, drums: bool) -> int:
    """The takes' General MIDI program: ``program`` (--program; a bad one: its one line
    first), else the seed track's, as a drum part's always is (it keeps its kit)."""
    gm = gm_program(program) if program is not None else 0
    if program is None or drums:
        gm = seed_program(seed, track, drums)
    return gm


def _say(lines: list[str]) -> None:
    """Each of ``lines`` on stderr, after "segue: "."""
    for line in lines:
        click.echo(f"segue: {line}", err=True)


def _check_outputs(
    paths: list[Path], output: Path, plot: bool, wav: bool, soundfont: str | None, force: bool
) -> None:
    """Refuse, before generating, the takes' files (``paths``) and their piano roll
    (``plot``) and audio (``wav``) where they exist (without ``force``) or cannot be written,
    and audio without FluidSynth or a soundfont: each its one line, not after the takes."""
    extra = [p.with_suffix(".wav") for p in paths] if wav else []
    if plot:
        extra.append(output.with_suffix(".png"))
    refuse_existing(paths + extra, force)
    check_writable(paths + extra)
    if wav:
        from segue.render import find_soundfont, fluidsynth_program

        fluidsynth_program()  # fail before generating and writing, not after
        find_soundfont(soundfont)


def _plot(seed_clip: Clip, takes: list[Clip], png: Path, title: str) -> None:
    from segue.model.plots import plot_variations

    with writing(png):
        written = plot_variations(seed_clip, takes, png, title=title)
    click.echo(f"  {written}: piano roll")


def _render(paths: list[Path], soundfont: str | None) -> None:
    from segue.render import render_wav

    for path in paths:
        with writing(path.with_suffix(".wav")):
            wav_path = render_wav(path, path.with_suffix(".wav"), soundfont)
        click.echo(f"  {wav_path}: audio")


@click.group("models", invoke_without_command=True)
@models_dir_option(help="Also list the models in this folder.")
@click.pass_context
def models_command(ctx: click.Context, models_dir: Path | None) -> None:
    """List the installed models (the bundled defaults and your own), or add one.

    Your own models live in segue's home (its folder is the last line); every
    command, the bridge and the Max for Live device's Model menu find them by
    name. The environment variable SEGUE_HOME moves that folder.

    \b
    Examples:
      segue models
      segue models add runs/folk --name folk
      segue models remove folk
      segue models --models-dir "D:/more models"
    """
    if ctx.invoked_subcommand is not None:
        return
    from segue.model_listing import listing_lines

    for line in listing_lines(models_dir, AUTO_CHOICE):
        click.echo(line)


@models_command.command("add", cls=ExtraArgumentNamed)
@click.argument("run", type=click.Path(exists=True, path_type=Path))
@click.option("--name", required=True, help="Name to choose the model by.")
@models_dir_option(help="Install into this folder instead of segue's home (see `segue models`).")
@click.option("--summary", default="", help="One line saying what the model is for.")
@click.option("--data-note", default="", help="A sentence about the data (e.g. its licence).")
@click.option(
    "--evaluation",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    metavar="REPORT_DIR",
    help="A `segue eval` report of this model: its tables go into the card.",
)
@click.option("-f", "--force", is_flag=True, help="Replace a model of the same name.")
def models_add_command(
    run: Path,
    name: str,
    models_dir: Path | None,
    summary: str,
    data_note: str,
    evaluation: Path | None,
    force: bool,
) -> None:
    """Install a trained run (RUN folder or checkpoint) as model NAME, with a model card.

    It goes into segue's home (`segue models` says where), so that every
    command, the bridge and the device's Model menu offer it by name. The
    weights are stored as float16 (half the size) without training state;
    the card NAME.md lists the data, sizes, training command and losses, and
    with --evaluation the tables of a `segue eval` report. Without --summary or
    --data-note, what the checkpoint records is kept.

    \b
    Examples:
      segue models add runs/folk --name folk
      segue models add runs/folk --name folk -f --evaluation reports/folk
      segue generate tune.mid --model folk -o next.mid
    """
    from segue.home import user_models_dir
    from segue.model.bundle import install_model
    from segue.model.registry import check_new_name

    folder = models_dir if models_dir is not None else user_models_dir()
    check_new_name(name)
    if models_dir is None and bundled_name(name):  # in segue's home it would hide segue's own
        raise SegueError(
            f"{name!r} is a model bundled with segue; choose another name (a folder of your "
            "own, --models-dir, may hold one of that name for the commands given it)"
        )
    check_writable([folder / f"{name}.pt"])  # the folder itself, not only its parent
    with writing(folder / f"{name}.pt"):
        folder.mkdir(parents=True, exist_ok=True)
        pt, card = install_model(run, name, folder, summary, data_note, force, evaluation)
    click.echo(f"installed {name}: {pt} ({pt.stat().st_size / 1e6:.1f} MB), card {card}")


@models_command.command("remove")
@click.argument("name")
def models_remove_command(name: str) -> None:
    """Remove NAME, a model of your own in segue's home: its NAME.pt and its card NAME.md.

    A bundled model is never removed. A running bridge stops offering it at its next
    request.

    \b
    Examples:
      segue models remove learned-20261204-101500
    """
    from segue.home import user_models_dir
    from segue.model.registry import NAME_PATTERN, one_file_there

    folder = user_models_dir()
    path = folder / f"{name}.pt"
    own = sorted(
        p.stem
        for p in (folder.glob("*.pt") if folder.is_dir() else ())
        if NAME_PATTERN.match(p.stem) and (p.is_file() or p.is_symlink())
    )
    if name not in own:  # by its name as listed: on macOS and Windows BASS.pt opens bass.pt
        twin = next((o for o in own if one_file_there(o, name)), None)
        why = (
            f" ({name} is segue's choice of a model, not a model)"
            if name.casefold() == "auto"
            else f" (yours is {twin!r}: a name's case counts)"
            if twin is not None
            else " (a bundled model, never removed)"
            if bundled_name(name)
            else ""
        )
        raise SegueError(
            f"no model of your own named {name!r}{why}; yours: " + (", ".join(own) or "none")
        )
    removed = [p for p in (path, path.with_suffix(".md")) if p.exists() or p.is_symlink()]
    for p in removed:
        with writing(p):
            p.unlink()
    click.echo(f"removed {name}: " + ", ".join(str(p) for p in removed))


def register(group: click.Group) -> None:
    group.add_command(generate_command)
    group.add_command(models_command)
