"""`segue live continue`: continue a clip in Ableton Live through AbletonOSC (no Max for Live)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from segue.bridge.abletonosc.transport import DEFAULT_HOST, DEFAULT_TIMEOUT, LIVE_PORT, REPLY_PORT
from segue.cli.options import (
    ExtraArgumentNamed,
    Finite,
    generation_options,
    generation_params,
    model_label,
    model_options,
    same_takes_notice,
)
from segue.cli.tune_cmd import tune_and_report, tune_options


@click.group("live")
def live_group() -> None:
    """Work on a Live set through AbletonOSC: Live Standard, Intro or Suite, no Max needed.

    AbletonOSC is a free Remote Script (github.com/ideoforms/AbletonOSC): put
    it in Live's User Library/Remote Scripts folder, restart Live and choose it
    as a Control Surface in Settings > Link, Tempo & MIDI. It listens on UDP
    11000 and answers on 11001.
    """


def _live_options(command: Any) -> Any:
    """--host, --port, --reply-port and --timeout: where AbletonOSC listens and answers."""
    for option in reversed(
        (
            click.option(
                "--host",
                default=DEFAULT_HOST,
                show_default=True,
                help="Where Live runs with AbletonOSC.",
            ),
            click.option(
                "--port",
                type=click.IntRange(1, 65535),
                default=LIVE_PORT,
                show_default=True,
                help="AbletonOSC's port.",
            ),
            click.option(
                "--reply-port",
                type=click.IntRange(1, 65535),
                default=REPLY_PORT,
                show_default=True,
                help="The port AbletonOSC answers to.",
            ),
            click.option(
                "--timeout",
                type=Finite(0.1, 600),
                default=DEFAULT_TIMEOUT,
                show_default=True,
                help="Seconds to wait for each answer from Live.",
            ),
        )
    ):
        command = option(command)
    return command


@live_group.command("continue")
@click.argument("which", required=False, type=click.Choice(["selected"]))
@click.option(
    "--track",
    type=click.IntRange(1, 1000),
    default=None,
    help="Track of the clip, numbered from 1 as in Live (with --scene).",
)
@click.option(
    "--scene",
    type=click.IntRange(1, 100000),
    default=None,
    help="Scene of the clip, numbered from 1 (with --track).",
)
@model_options()
@generation_options(without=("include_seed",))
@click.option(
    "--no-new-scenes",
    is_flag=True,
    help="Fail instead of adding scenes when the track has too few empty slots after the clip.",
)
@_live_options
def continue_command(
    which: str | None,
    track: int | None,
    scene: int | None,
    model_name: str | None,
    models_dir: Path | None,
    no_new_scenes: bool,
    host: str,
    port: int,
    reply_port: int,
    timeout: float,
    **settings: Any,
) -> None:
    """Continue the clip selected in Live ('selected', the default) or the one at
    --track/--scene.

    Reads the clip through AbletonOSC, continues it and writes each variation
    as a new clip into the next empty slots of the same track, named after
    the source ("riff segue 1", ...). The source clip is never changed. When
    too few slots are empty, scenes are added at the end of the set.

    \b
    Examples:
      segue live continue                          # the selected clip
      segue live continue --track 2 --scene 1 --bars 8 -n 3
      segue live continue -t 0.8 --key auto --model polyphonic
    """
    from segue.bridge.abletonosc.transport import AbletonOSC
    from segue.bridge.live_continue import continue_in_live, meter_note, summary
    from segue.live_takes import LiveTakes, source_line, written_line
    from segue.model.choice import choose_model
    from segue.part_notices import drum_options_given

    if (track is None) != (scene is None):
        raise click.UsageError("give both --track and --scene, or neither (the selected clip)")
    if which and track is not None:
        raise click.UsageError("give 'selected' or --track/--scene, not both")
    params = generation_params(settings)
    same = same_takes_notice(params.temperature, params.variations)
    if same:  # as generate and send say it (3 identical clips were written without a word)
        click.echo(f"segue: {same}", err=True)
    given = drum_options_given(settings)
    chooser = choose_model(model_name, models_dir)
    takes = LiveTakes(chooser, params, given, bool(same), lambda line: _say([line]))
    with AbletonOSC(host, port, reply_port, timeout) as live:
        result = continue_in_live(
            live,
            takes,
            params.variations,
            track=None if track is None else track - 1,
            scene=None if scene is None else scene - 1,
            add_scenes=not no_new_scenes,
        )
    click.echo(source_line(result, params.downbeat))
    played = takes.played
    assert played is not None  # continue_in_live ran the takes, or raised
    label = model_label(model_name, played.path, played.drums, played.kit)
    click.echo(f"model {label} (rng seed {played.rng_seed}{played.key})")
    for clip in result.written:
        click.echo(written_line(clip))
    if result.scenes_added:
        click.echo(f"added {result.scenes_added} scene(s) at the end of the set")
    meter = meter_note(result)
    if meter:
        click.echo(f"note: {meter}")
    _say(takes.notices if result.written else [])
    click.echo(summary(result))


def _say(lines: list[str]) -> None:
    """Each of ``lines`` on stderr, after "segue: "."""
    for line in lines:
        click.echo(f"segue: {line}", err=True)


@live_group.command("learn", cls=ExtraArgumentNamed)
@tune_options
@_live_options
def learn_command(
    name: str,
    base: str | None,
    seconds: float,
    threads: int | None,
    replace: bool,
    quiet: bool,
    models_dir: Path | None,
    host: str,
    port: int,
    reply_port: int,
    timeout: float,
) -> None:
    """Tune a model on the MIDI clips of the Live set and install it as NAME.

    Reads every MIDI clip of the Session View through AbletonOSC (the part that
    plays; muted notes left out; clips on a track with a Drum Rack kept apart, so a
    melodic model never learns drum pads as pitches), then tunes as `segue tune`
    does. AbletonOSC cannot read Arrangement clips: segue says how many it passed
    over (the Max for Live device's Learn reads them).

    \b
    Examples:
      segue live learn -o my-set
      segue live learn -o my-set --from producer --seconds 120
      segue live continue --model my-set
    """
    from segue.bridge.abletonosc.transport import AbletonOSC
    from segue.bridge.live_learn import read_set
    from segue.learnt_set import set_lines
    from segue.model.tuning.material import clips_material
    from segue.model.tuning.tune import check_request

    check_request(name, base, models_dir, allow_path=True, replace=replace)  # before Live is read
    with AbletonOSC(host, port, reply_port, timeout) as live:
        found = read_set(live, None if quiet else click.echo)
    for line in set_lines(found):
        click.echo(line)
    material = clips_material(found.clips, f"Live set at {host}:{port} (AbletonOSC)")
    tune_and_report(material, name, base, seconds, threads, replace, quiet, models_dir)


def register(group: click.Group) -> None:
    group.add_command(live_group)
