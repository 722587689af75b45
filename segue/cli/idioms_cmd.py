"""`segue idioms`: write idiomatic parts generated from musical knowledge, as training
material for producers' clips (basslines, chord loops, arpeggios, leads, drum beats)."""

from __future__ import annotations

from pathlib import Path

import click

from segue.idioms.export import ROLES, write_idioms


@click.command("idioms")
@click.argument("roles", nargs=-1, type=click.Choice(ROLES))
@click.option(
    "-o",
    "--out",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Folder for the MIDI files (DIR/ROLE/).",
)
@click.option(
    "--pieces",
    type=click.IntRange(1, 100_000),
    default=800,
    show_default=True,
    help="Pieces of each role.",
)
@click.option(
    "--bars", type=click.IntRange(1, 256), default=16, show_default=True, help="Bars of each piece."
)
@click.option(
    "--chords-from",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also loop chords read from the MIDI files in DIR (for "
    "example Bach chorales from `segue corpus export bach`); half the pieces use "
    "them, half use common progressions.",
)
@click.option(
    "--rng-seed",
    type=click.IntRange(0, 2**63 - 1),
    default=1,
    show_default=True,
    help="The same number writes the same files.",
)
@click.option("-f", "--force", is_flag=True, help="Replace files that exist.")
def idioms_command(
    roles: tuple[str, ...],
    out: Path,
    pieces: int,
    bars: int,
    chords_from: Path | None,
    rng_seed: int,
    force: bool,
) -> None:
    (
        """Write generated basslines, chord parts, arpeggios, leads and drum grooves as MIDI files.

    Every piece is a loop (1, 2 or 4 bars of pattern over a chord loop, or a groove of one
    of ten drum styles) kept across 8-bar sections with the variations producers play:
    fills and changes at phrase ends, a new section, a slip now and then. segue's own code
    writes all of it, so it is free to train on and to bundle. ROLES: any of
    bass, chords, arp, lead, drums (default: all).

    \b
    Examples:
      segue idioms -o data/idioms --chords-from data/midi/bach
      segue idioms drums -o data/idioms --pieces 1500
      segue data prepare data/idioms/bass data/idioms/chords data/idioms/arp """
        """data/idioms/lead -o data/producer
      segue data prepare data/idioms/drums --drums -o data/drums
    """
    )  # the long line in two literals, one line in the help (no {a,b}: sh, cmd, PowerShell)
    chosen = roles or ROLES
    for w in write_idioms(out, chosen, pieces, bars, rng_seed, chords_from, overwrite=force):
        click.echo(f"{w.role}: {w.files} files, {w.notes:,} notes in {w.folder}")


def register(cli: click.Group) -> None:
    cli.add_command(idioms_command)
