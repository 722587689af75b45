"""`segue memory`: fit a checkpoint's clip memory on a dataset's validation split."""

from __future__ import annotations

from pathlib import Path

import click

from segue.files import writing


@click.command("memory")
@click.argument("checkpoint", type=click.Path(path_type=Path))
@click.argument("dataset", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the checkpoint with its memory here (never replaced unless --force).",
)
@click.option("--in-place", is_flag=True, help="Rewrite CHECKPOINT itself instead.")
@click.option(
    "--split",
    type=click.Choice(["train", "valid", "test"]),
    default="valid",
    show_default=True,
    help="The split to fit on (fit on test and its evaluation is no longer held out).",
)
@click.option(
    "--loop",
    is_flag=True,
    help="Also fit the loop: continuations keep the clip's loop and vary it, as producers' "
    "parts and beats do (for such material; see README, The loop).",
)
@click.option(
    "--palette",
    is_flag=True,
    help="Also mix each clip's palette (its rhythms, pitches and lengths) into the network's "
    "choices, as much as the clip's own notes ask: for a model that will meet music unlike "
    "what it learnt (see README, The palette).",
)
@click.option(
    "--drums",
    is_flag=True,
    help="Mark it a drum model (trained on drum parts): `auto` gives it drum clips, and it "
    "continues them as drums (the clip's kit, fills).",
)
@click.option("-f", "--force", is_flag=True, help="Replace an existing --output file.")
def memory_command(
    checkpoint: Path,
    dataset: Path,
    output: Path | None,
    in_place: bool,
    split: str,
    loop: bool,
    palette: bool,
    drums: bool,
    force: bool,
) -> None:
    """Fit the clip memory of CHECKPOINT (a .pt file or a run folder) on DATASET.

    The clip memory lets a continuation come back to the phrases of its own clip, as
    much as the music in DATASET does, and pulls its pitches towards the pitch
    classes the clip has used: its weights and the pull are chosen to give
    DATASET's validation pieces the highest likelihood. `segue train` fits it at the
    end of a run; this command fits it for a checkpoint trained before, or on other
    music. The weights of the network are not changed.

    \b
    Examples:
      segue memory runs/folk data/folk --in-place
      segue memory runs/folk/best.pt data/reels -o reels.pt
      segue memory runs/producer data/producer --in-place --loop --palette
      segue memory runs/drums data/drums --in-place --loop --drums
    """
    from segue.memory_fit import home_line, memory_paths, palette_line
    from segue.model.likelihood import fit_memory_file

    source, target = memory_paths(checkpoint, output, in_place, force)
    with writing(target):
        fit = fit_memory_file(source, dataset, target, split, views=not loop)
    click.echo(f"clip memory fitted on the {split} split, {fit.summary()}")
    click.echo(fit.table())
    if loop:
        from segue.model.loop_fit import fit_loop_file

        with writing(target):
            looped = fit_loop_file(target, dataset, target, split)
        click.echo(f"loop fitted on the {split} split, {looped.summary()}")
        click.echo(looped.markdown())
    if palette:
        from segue.model.palette_fit import palette_file

        with writing(target):
            gain = palette_file(target, dataset, target, split)
        click.echo(palette_line(split, gain))
    from segue.dataset.loading import load_dataset
    from segue.model.checkpoint import rewrite_checkpoint
    from segue.model.choice import record_home_surprise

    with writing(target):
        home = record_home_surprise(target, load_dataset(dataset), split)
    click.echo(home_line(split, home))
    if drums:
        with writing(target):
            rewrite_checkpoint(target, target, config={"drums": True}, info={"drums": True})
        click.echo("marked a drum model")
    click.echo(f"wrote {target}")


def register(group: click.Group) -> None:
    group.add_command(memory_command)
