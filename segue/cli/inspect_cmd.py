"""`segue inspect`: what segue reads from one MIDI file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from segue.bridge.values import counted
from segue.cli.console import padded
from segue.cli.options import merged_tracks_notice, read_seed
from segue.drums import drum_name
from segue.midi_io import list_tracks, read_midi, track_choice
from segue.shown_names import bare_name


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
@click.option(
    "--drums",
    is_flag=True,
    help="Read the drum notes (MIDI channel 10) alone, as `segue data prepare --drums` "
    "does. A drum-only file or track is read as drums without it.",
)
@click.option(
    "--time-signature",
    "time_sig",
    default=None,
    help="Read the file in this time signature instead of the one it states, as "
    "`segue generate --time-signature` does.",
)
@click.option("--notes", "show_notes", is_flag=True, help="List every note as well.")
def inspect_command(
    path: str, track: str | None, drums: bool, time_sig: str | None, show_notes: bool
) -> None:
    """Show the tracks of a MIDI file and the clip segue reads from it.

    A track whose notes are all drums (channel 10) is marked; a file of nothing but
    drums, or such a track chosen with --track, is read as a drum part (as `segue
    generate` continues it), with its pads by General MIDI name.

    \b
    Examples:
      segue inspect song.mid
      segue inspect song.mid --track most --notes
      segue inspect song.mid --drums     # its drum notes alone
      segue inspect waltz.mid --time-signature 3/4
    """
    tracks = list_tracks(path)
    notes: list[str] = []
    clip, part = read_seed(Path(path), track, time_sig, notes.append)
    if drums and not part:  # a drum part reads as drums with or without --drums
        clip = read_midi(
            path, track=track_choice(track), drums=True, time_signature=clip.time_signature
        )
        part = True
        merged = merged_tracks_notice(Path(path))  # of the melodic read, which --drums is not
        notes = [line for line in notes if merged is None or not line.endswith(merged)]
    click.echo(f"{path}")
    for t in tracks:
        channels = ",".join(str(c) for c in t.channels) or "-"
        drum = f", {t.drum_notes} drum notes" if t.drum_notes else ""
        kind = "  (drums)" if t.drum_notes and not t.notes else ""
        name = padded(bare_name(t.name) or "(no name)", 24)
        click.echo(
            f"  track {t.index:>2} {name} {t.notes:>6} notes{drum}  channels {channels}{kind}"
        )
    pitches = [n.pitch for n in clip.notes]
    what = f"as drums, {len(set(pitches))} pads" if part else f"pitch {min(pitches)}-{max(pitches)}"
    click.echo(
        f"read: {counted(len(clip), 'notes')}, {counted(clip.length, 'beats')} "
        f"({counted(clip.bars, 'bars')} of "
        f"{clip.time_signature}), {what}"
    )
    for line in notes:  # the file's time signatures, when it is not read in the one it states
        click.echo(f"note: {line.removeprefix(f'{Path(path)} ')}")
    if part:
        for note, hits in sorted(Counter(pitches).items()):
            click.echo(f"  {note:>5} {drum_name(note):<24} {hits:>6} hit{'' if hits == 1 else 's'}")
    if show_notes:
        click.echo("  pitch    start  duration  velocity")
        for n in clip.notes:
            click.echo(f"  {n.pitch:>5} {n.start:>8.4g} {n.duration:>9.4g} {n.velocity:>9}")


def register(group: click.Group) -> None:
    group.add_command(inspect_command)
