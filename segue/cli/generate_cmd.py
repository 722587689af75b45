"""`segue generate` and `segue models`: offline generation from the command line."""

from __future__ import annotations

import time
from pathlib import Path

import click

from segue.errors import SegueError
from segue.midi_io import gm_program, read_midi, read_tempo, write_midi
from segue.notes import Clip, TimeSignature


def _outputs(out: Path, count: int) -> list[Path]:
    if count == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{i}{out.suffix or '.mid'}") for i in range(1, count + 1)]


def _time_signature(text: str) -> TimeSignature:
    try:
        num, den = text.split("/")
        return TimeSignature(int(num), int(den))
    except ValueError:
        raise SegueError(f"time signature must look like 4/4 or 6/8, got {text!r}") from None


@click.command("generate")
@click.argument("seed", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="MIDI file to write; with several variations NAME-1.mid, NAME-2.mid, ...")
@click.option("--model", "model_name", default=None, metavar="NAME|PATH",
              help="Installed model name (see `segue models`) or a checkpoint/run folder. "
                   "Default: melody.")
@click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder with your own models (NAME.pt).")
@click.option("--track", default=None, metavar="INDEX|NAME|most",
              help="Seed track: index, name or 'most'. Default: all non-drum tracks.")
@click.option("--bars", type=float, default=None, help="Length of each continuation in bars "
              "(the default is 4 bars).")
@click.option("--beats", type=float, default=None, help="Length in beats instead.")
@click.option("--notes", "n_notes", type=int, default=None, help="Length in notes instead.")
@click.option("-n", "--variations", type=int, default=1, show_default=True,
              help="How many different continuations (generated as one batch).")
@click.option("-t", "--temperature", type=float, default=1.0, show_default=True,
              help="0 = always the likeliest note; higher = more adventurous.")
@click.option("--top-p", type=float, default=0.95, show_default=True,
              help="Sample only from the likeliest choices that make up this probability.")
@click.option("--key", default=None, metavar="auto|KEY",
              help="Lock notes to a key: 'auto' (detect from the seed) or e.g. 'A minor', "
                   "'F# dorian'. Default: no lock.")
@click.option("--low", "pitch_low", type=int, default=0, show_default=True,
              help="Lowest pitch allowed.")
@click.option("--high", "pitch_high", type=int, default=127, show_default=True,
              help="Highest pitch allowed.")
@click.option("--max-polyphony", type=int, default=None, help="Most notes sounding at once.")
@click.option("--seed-rng", "rng_seed", type=int, default=None,
              help="Random seed: the same number gives the same notes.")
@click.option("--include-seed", is_flag=True, help="Write the seed before the continuation.")
@click.option("--time-signature", "time_sig", default="4/4", show_default=True,
              help="Time signature when there is no seed file.")
@click.option("--tempo", type=float, default=None, help="Tempo of the output in BPM "
              "(default: the seed's, else 120).")
@click.option("--program", default="0", show_default=True,
              help="General MIDI program of the output: number or name ('Violin').")
@click.option("--plot", is_flag=True, help="Also write a piano-roll PNG next to the output.")
@click.option("--wav", is_flag=True, help="Also render WAV audio with FluidSynth.")
@click.option("--soundfont", type=click.Path(dir_okay=False), default=None,
              help="Soundfont for --wav.")
@click.option("-f", "--force", is_flag=True, help="Replace output files that exist.")
def generate_command(seed: Path | None, output: Path, model_name: str | None,
                     models_dir: Path | None, track: str | None, bars: float | None,
                     beats: float | None, n_notes: int | None, variations: int,
                     temperature: float, top_p: float, key: str | None, pitch_low: int,
                     pitch_high: int, max_polyphony: int | None, rng_seed: int | None,
                     include_seed: bool, time_sig: str, tempo: float | None, program: str,
                     plot: bool, wav: bool, soundfont: str | None, force: bool) -> None:
    """Continue SEED (a MIDI file) with a model, or generate from scratch without one.

    The continuation starts where the seed's clip ends (its length rounded up
    to whole bars) and is written as a new clip starting at 0, unless
    --include-seed puts the seed first.

    \b
    Examples:
      segue generate examples/seeds/reel.mid -o reel-next.mid
      segue generate chorale.mid --model polyphonic --bars 8 -n 4 -o next.mid --plot
      segue generate tune.mid --key auto -t 0.8 --seed-rng 7 -o next.mid --wav
      segue generate --bars 8 --time-signature 6/8 -o fresh.mid
    """
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import GenerationParams, generate
    from segue.model.registry import find_model

    track_choice = int(track) if track is not None and track.isdigit() else track
    seed_clip = (read_midi(seed, track=track_choice) if seed is not None
                 else Clip((), None, _time_signature(time_sig)))
    out_tempo = tempo if tempo is not None else (read_tempo(seed) if seed else 120.0)
    params = GenerationParams(
        temperature=temperature, top_p=top_p, bars=bars, beats=beats, notes=n_notes,
        variations=variations, key=key, pitch_low=pitch_low, pitch_high=pitch_high,
        max_polyphony=max_polyphony, seed=rng_seed, include_seed=include_seed,
    ).validated()
    gm = gm_program(program)
    paths = _outputs(output, variations)
    extra = [p.with_suffix(".wav") for p in paths] if wav else []
    if plot:
        extra.append(output.with_suffix(".png"))
    existing = [p for p in paths + extra if p.exists()]
    if existing and not force:
        raise SegueError(f"{existing[0]} already exists; choose another name or use --force")
    if wav:
        from segue.render import find_soundfont

        find_soundfont(soundfont)  # fail before generating, not after

    loaded = load_checkpoint(find_model(model_name, models_dir, allow_path=True))
    model_label = (loaded.path.parent.name if loaded.path.stem in ("best", "last")
                   else loaded.path.stem)
    started = time.perf_counter()
    result = generate(loaded.model, seed_clip, params)
    elapsed = (time.perf_counter() - started) * 1000
    clips = result.clips()
    for clip, path in zip(clips, paths, strict=True):
        write_midi(clip, path, tempo=out_tempo, program=gm, overwrite=force)
    click.echo(f"model {model_label}: {len(clips)} variation(s) in {elapsed:.0f} ms"
               f" (rng seed {result.rng_seed}{', key ' + str(result.key) if result.key else ''})")
    for clip, path in zip(clips, paths, strict=True):
        click.echo(f"  {path}: {len(clip)} notes, {clip.bars:g} bars")
    if plot:
        from segue.pianoroll import plot_piano_roll

        png = plot_piano_roll(seed_clip, [v.clip for v in result.variations],
                              output.with_suffix(".png"),
                              title=f"{seed.name if seed else 'no seed'} -> {model_label}")
        click.echo(f"  {png}: piano roll")
    if wav:
        from segue.render import render_wav

        for path in paths:
            click.echo(f"  {render_wav(path, path.with_suffix('.wav'), soundfont)}: audio")


@click.group("models", invoke_without_command=True)
@click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also list the models in this folder.")
@click.pass_context
def models_command(ctx: click.Context, models_dir: Path | None) -> None:
    """List the installed models (the bundled defaults and your own), or add one.

    \b
    Examples:
      segue models
      segue models --models-dir ~/segue-models
      segue models add runs/folk --name folk --models-dir ~/segue-models
    """
    if ctx.invoked_subcommand is not None:
        return
    from segue.model.checkpoint import read_checkpoint
    from segue.model.registry import DEFAULT_MODEL, list_models

    entries = list_models(models_dir)
    if not entries:
        click.echo("no models installed")
        return
    for entry in entries:
        info = read_checkpoint(entry.path).get("info", {})
        mark = "*" if entry.name == DEFAULT_MODEL else " "
        summary = info.get("summary", "")
        click.echo(f"{mark} {entry.name:<14} {entry.source:<8} {entry.size_bytes / 1e6:5.1f} MB"
                   f"  {summary}")
    click.echo("(* = the default)")


@models_command.command("add")
@click.argument("run", type=click.Path(exists=True, path_type=Path))
@click.option("--name", required=True, help="Name to choose the model by.")
@click.option("--models-dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of your models (created if needed).")
@click.option("--summary", default="", help="One line saying what the model is for.")
@click.option("--data-note", default="", help="A sentence about the data (e.g. its licence).")
@click.option("-f", "--force", is_flag=True, help="Replace a model of the same name.")
def models_add_command(run: Path, name: str, models_dir: Path, summary: str, data_note: str,
                       force: bool) -> None:
    """Install a trained run (RUN folder or checkpoint) as model NAME, with a model card.

    The weights are stored as float16 (half the size) without training state;
    the card NAME.md lists the data, sizes, training command and losses.

    \b
    Examples:
      segue models add runs/folk --name folk --models-dir ~/segue-models
      segue generate tune.mid --model folk --models-dir ~/segue-models -o next.mid
    """
    from segue.model.bundle import install_model

    models_dir.mkdir(parents=True, exist_ok=True)
    pt, card = install_model(run, name, models_dir, summary or f"segue model {name}",
                             data_note, force)
    click.echo(f"installed {name}: {pt} ({pt.stat().st_size / 1e6:.1f} MB), card {card}")


def register(group: click.Group) -> None:
    group.add_command(generate_command)
    group.add_command(models_command)
