"""`segue inspect`: what segue reads from one MIDI file."""

from __future__ import annotations

import click

from segue.midi_io import list_tracks, read_midi, track_choice


@click.command("inspect")
@click.argument("path", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--track",
    "track",
    default=None,
    metavar="INDEX|NAME|most",
    help="Read one track by index or name, or the track with the most notes. "
    "Default: all non-drum tracks merged.",
)
@click.option("--drums", is_flag=True, help="Include drum notes (MIDI channel 10).")
@click.option("--notes", "show_notes", is_flag=True, help="List every note as well.")
def inspect_command(path: str, track: str | None, drums: bool, show_notes: bool) -> None:
    """Show the tracks of a MIDI file and the clip segue reads from it.

    \b
    Examples:
      segue inspect song.mid
      segue inspect song.mid --track most --notes
      segue inspect beat.mid --drums
    """
    tracks = list_tracks(path)
    clip = read_midi(path, track=track_choice(track), include_drums=drums)
    click.echo(f"{path}")
    for t in tracks:
        channels = ",".join(str(c) for c in t.channels) or "-"
        drum = f", {t.drum_notes} drum notes" if t.drum_notes else ""
        click.echo(
            f"  track {t.index:>2} {t.name or '(no name)'!s:<24} {t.notes:>6} notes{drum}"
            f"  channels {channels}"
        )
    pitches = [n.pitch for n in clip.notes]
    click.echo(
        f"read: {len(clip)} notes, {clip.length:g} beats ({clip.bars:g} bars of "
        f"{clip.time_signature}), pitch {min(pitches)}-{max(pitches)}"
    )
    if show_notes:
        click.echo("  pitch    start  duration  velocity")
        for n in clip.notes:
            click.echo(f"  {n.pitch:>5} {n.start:>8.4g} {n.duration:>9.4g} {n.velocity:>9}")


def register(group: click.Group) -> None:
    group.add_command(inspect_command)
