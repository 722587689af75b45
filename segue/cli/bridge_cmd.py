"""`segue serve`, `segue send`, `segue ping` and `segue protocol`: the OSC bridge."""

from __future__ import annotations

import gc
import logging
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from segue.bridge.abletonosc.transport import DEFAULT_HOST, LIVE_PORT, REPLY_PORT
from segue.bridge.protocol import (
    CLIENT_TIMEOUT,
    DEFAULT_PORT,
    REPLY_BUDGET,
)
from segue.cli.console_log import EchoHandler, console_log
from segue.cli.options import (
    ExtraArgumentNamed,
    F,
    Finite,
    check_downbeat,
    check_seedless,
    force_option,
    generation_options,
    given_signature,
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
from segue.model.registry import DEFAULT_MODEL, DRUMS, bundled_name
from segue.model.settings import check_seed
from segue.take_files import SeedPart, write_takes

if TYPE_CHECKING:
    from segue.bridge.client import BridgeClient
    from segue.model.training.signals import Register
    from segue.notes import Clip

DOC = Path("docs") / "protocol.md"


def _named_host(host: str) -> str:
    """An empty --host would listen on every interface without saying so: refused."""
    if not host.strip():
        raise click.BadParameter("is empty; give 127.0.0.1 (this computer) or 0.0.0.0 (all)")
    return host


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    callback=lambda ctx, param, value: _named_host(value),
    help="Address to listen on; 0.0.0.0 for TouchOSC on a phone (see --allow).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="UDP port to listen on (0 = any free port).",
)
@click.option(
    "--model",
    "model_name",
    default=DEFAULT_MODEL,
    show_default=True,
    metavar="NAME",
    help="Model served by default (clients may choose another by name).",
)
@models_dir_option()
@click.option(
    "--allow",
    multiple=True,
    metavar="ADDR|NET",
    help="Only answer these clients, and this computer's through loopback (127.0.0.1, as the "
    "Live device sends): addresses or networks such as 192.168.1.0/24 (repeat or separate "
    "with commas). Default: anyone who can reach --host.",
)
@click.option(
    "--reply-port",
    type=click.IntRange(1024, 65535),
    default=None,
    help="Send replies to this port of the client's host instead of the port "
    "it sent from (clients can also choose with /segue/reply_to).",
)
@click.option(
    "--upload-timeout",
    type=Finite(0.1, 3600),
    default=10.0,
    show_default=True,
    help="Seconds a seed upload may take before it is dropped.",
)
@click.option(
    "--queue",
    "queue_size",
    type=click.IntRange(1, 1000),
    default=8,
    show_default=True,
    help="Requests that may wait; more are answered 'busy'.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=1,
    show_default=True,
    help="Generations at once (each uses one CPU thread).",
)
@click.option(
    "--client-timeout",
    type=Finite(10, 86400),
    default=CLIENT_TIMEOUT,
    show_default=True,
    help="Seconds without a message after which a client's reply port, parameters and "
    "seeds are forgotten (it is told so when it comes back).",
)
@click.option(
    "--reply-budget",
    type=click.IntRange(0, 1 << 20),
    default=REPLY_BUDGET // 1024,
    show_default=True,
    metavar="KIB",
    help="With --host beyond this computer: KiB of replies a second each other host may be "
    "sent (4 s worth at once), so the bridge cannot be used to flood anyone; 0 = no limit.",
)
@click.option(
    "--abletonosc",
    "abletonosc",
    is_flag=False,
    flag_value=f"{DEFAULT_HOST}:{LIVE_PORT}",
    default=None,
    metavar="[HOST:PORT]",
    help=f"Reach Live through AbletonOSC (default {DEFAULT_HOST}:{LIVE_PORT}), so that "
    "/segue/live/continue continues the clip selected in Live (no Max needed).",
)
@click.option(
    "--abletonosc-reply-port",
    type=click.IntRange(1, 65535),
    default=REPLY_PORT,
    show_default=True,
    help="The port AbletonOSC answers to.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="No line per request; errors only (as always, each kind once per client every 10 s).",
)
def serve_command(quiet: bool, **options: Any) -> None:
    """Run the OSC bridge: load a model once and answer OSC clients until stopped.

    Live (the Max for Live device), TouchOSC, Pure Data or `segue send` talk
    to it over UDP; the messages are listed in docs/protocol.md (`segue
    protocol`). It prints a line per request; Ctrl-C (or SIGTERM, or closing its
    terminal window) stops it, answering every request in flight.

    \b
    Examples:
      segue serve
      segue serve --model polyphonic --port 9200
      segue serve --host 0.0.0.0 --allow 192.168.1.0/24     # TouchOSC on a phone
      segue serve --abletonosc        # a button on /segue/live/continue continues Live's clip
    """
    from segue.bridge.allow import parse_allow
    from segue.bridge.server import BridgeServer, served_config
    from segue.serve_notices import started_lines

    networks = parse_allow(options["allow"])
    log = _bridge_log(quiet)
    config = served_config(options)
    server = BridgeServer(config, log=log)
    bound = server.open()
    live = server.live.where if server.live is not None else None
    reply_port = config.abletonosc_reply_port
    for said in started_lines(config.host, bound, config.model, networks, live, reply_port):
        click.echo(said.text, err=said.err)
    sys.stdout.flush()
    with console_log(log, log.handlers[0]), _stopped_by_signals(server.shutdown):
        try:
            server.serve_forever()
        finally:
            server.close()
    click.echo("segue bridge stopped")
    # Everything is answered and closed: spare Python's last collections the model's and
    # torch's objects, so the process ends within a second of Ctrl-C or SIGTERM.
    gc.freeze()


def _bridge_log(quiet: bool) -> logging.Logger:
    """The bridge's logger, said on the console (warnings only with ``quiet``): at once
    while it starts, through console_log's queue while it serves."""
    log = logging.getLogger("segue.bridge")
    log.propagate = False
    log.handlers[:] = [EchoHandler()]
    log.setLevel(logging.WARNING if quiet else logging.INFO)
    return log


@contextmanager
def _stopped_by_signals(
    stop: Callable[[], None], register: Register | None = None
) -> Iterator[None]:
    """While inside, each stop signal calls ``stop`` (the loop ends and the bridge answers
    what is in flight); a second one interrupts at once. On Windows, closing the console
    window stops it too, and the window is held (up to 4.5 s) until the block is left,
    the answers in flight sent (``register``: a stand-in for Windows' call, for tests)."""
    from segue.model.training.signals import (
        StopFlag,
        console_close_waits,
        hung_up,
        stop_signals,
        terminals,
    )

    class Stopping(StopFlag):
        def request(self) -> None:
            if not self.requested:
                super().request()
                stop()

    flag = Stopping()
    ttys = terminals()

    def handler(signum: int, frame: object) -> None:
        if hung_up(signum, ttys) and flag.requested:
            return  # the terminal closed while the bridge stops: let it finish
        if flag.requested:
            raise KeyboardInterrupt
        flag.request()

    previous = {number: signal.signal(number, handler) for number in stop_signals()}
    try:
        with console_close_waits(flag, register):
            yield
    finally:
        for number, before in previous.items():
            signal.signal(number, before)


def _client_options(f: F) -> F:
    f = click.option(
        "--timeout",
        type=Finite(0.1, 600),
        default=5.0,
        show_default=True,
        help="Seconds to wait for the bridge to answer.",
    )(f)
    f = click.option(
        "--port",
        type=click.IntRange(1, 65535),
        default=DEFAULT_PORT,
        show_default=True,
        help="The bridge's UDP port.",
    )(f)
    return click.option(
        "--host", default="127.0.0.1", show_default=True, help="Where the bridge runs."
    )(f)


@click.command("send", cls=ExtraArgumentNamed)
@click.argument("seed", required=False, type=click.Path(dir_okay=False, path_type=Path))
@output_option()
@_client_options
@click.option(
    "--model",
    "model_name",
    default=None,
    metavar="NAME",
    help="Model by name (default: the bridge's).",
)
@track_option()
@generation_options(defaults=False)
@seed_file_options()
@force_option()
def send_command(
    seed: Path | None,
    output: Path,
    host: str,
    port: int,
    timeout: float,
    model_name: str | None,
    track: str | None,
    time_sig: str | None,
    tempo: float | None,
    force: bool,
    include_seed: bool,
    **settings: Any,
) -> None:
    """Continue SEED through a running bridge, exactly as the Live device does.

    Uploads the seed one note per OSC message, asks for the continuation and
    writes the variations as MIDI (like `segue generate`, but the model runs
    in `segue serve`).

    \b
    Examples:
      segue send examples/seeds/reel.mid -o reel-next.mid
      segue send tune.mid --bars 8 -n 4 -t 0.9 -o next.mid      # next-1.mid ... next-4.mid
      segue send tune.mid --host 192.168.1.20 --model polyphonic -o next.mid
    """
    from segue.bridge.client import BridgeClient
    from segue.part_notices import drum_options_given, named_drums_notice, sent_part_notice
    from segue.sent_request import before_sending, drum_part_params, sent_params
    from segue.sent_takes import sent_clips, sent_lines, sent_take_notices

    downbeat = settings.pop("downbeat", None)  # the seed's, said in its upload
    params = sent_params(settings, model_name, downbeat)
    check_seedless(seed, track)
    drum_options = drum_options_given(settings)
    paths = output_paths(output, settings["variations"] or 1)
    refuse_existing(paths, force)
    check_writable(paths)
    seed_clip, drums, program = _seed_to_send(seed, track, time_sig, downbeat)
    params = drum_part_params(params, drums, model_name)
    out_tempo = output_tempo(seed, tempo)
    same = same_takes_notice(settings.get("temperature"), settings.get("variations"))
    _say(before_sending(same, settings, drums, model_name))
    with BridgeClient(host, port, timeout=timeout) as client:
        _say(filter(None, [named_drums_notice(seed, seed_clip, drums, model_name)]))
        result = client.generate(seed_clip, params, downbeat=downbeat)
        said = sent_part_notice(seed, seed_clip, drums, model_name, result.model, drum_options)
        if said:  # ("" from an older bridge: the one asked for played)
            _say_melodic(client, result.model or model_name, said[0], melodic_only=said[1])
    clips = sent_clips(result, seed_clip, settings, drums, include_seed)
    part = SeedPart(seed, track, given_signature(time_sig), seed_clip, drums, program)
    write_takes(clips, paths, part, tempo=out_tempo, include_seed=include_seed, force=force)
    for line in sent_lines(host, port, result, clips, paths):
        click.echo(line)
    _say(sent_take_notices(result, seed_clip, settings, drums, downbeat, bool(same)))


def _seed_to_send(
    seed: Path | None, track: str | None, time_sig: str | None, downbeat: float | None
) -> tuple[Clip, bool, int]:
    """The seed's part, whether it is a drum part, and its track's instrument, each
    checked as the device says it, before anything is sent."""
    seed_clip, drums = read_seed(seed, track, time_sig, downbeat=downbeat)
    check_downbeat(downbeat, seed, seed_clip)
    program = seed_program(seed, track, drums)  # the seed track's instrument
    check_seed(seed_clip, seed)
    return seed_clip, drums, program


def _say(lines: Iterable[str]) -> None:
    """Each of ``lines`` on stderr, after "segue: ", as each comes."""
    for line in lines:
        click.echo(f"segue: {line}", err=True)


def _say_melodic(
    client: BridgeClient, model_name: str | None, notice: str, melodic_only: bool = True
) -> None:
    """Say ``notice`` (the drum options given have no effect) when a melodic model will
    continue the seed, which is not a drum part: ``auto`` (it gives such a clip a melodic
    model) or a bundled melodic one, named or the bridge's own (its pong says which). A
    model of the user's own may be a drum model: of those nothing is said. Without
    ``melodic_only``, ``notice`` is said whoever plays."""
    if not melodic_only:
        click.echo(f"segue: {notice}", err=True)
        return
    model = model_name or client.ping().model
    if bundled_name(model) and model.casefold() != DRUMS:
        click.echo(f"segue: {notice}", err=True)


@click.command("ping")
@_client_options
def ping_command(host: str, port: int, timeout: float) -> None:
    """Check that a bridge answers: prints its version, model and the round trip.

    \b
    Examples:
      segue ping
      segue ping --host 192.168.1.20 --port 9123
    """
    from segue.bridge.client import BridgeClient

    with BridgeClient(host, port, timeout=timeout) as client:
        pong = client.ping()
    click.echo(
        f"segue bridge {pong.version} at {host}:{port}: model {pong.model}, "
        f"protocol {pong.protocol}, {pong.ms:.1f} ms round trip"
    )


@click.command("protocol")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the document to this file instead of printing it.",
)
@click.option(
    "--check",
    "check",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    is_flag=False,
    flag_value=str(DOC),
    help=f"Compare with a file (default {DOC}); exit 1 if it differs.",
)
@force_option()
def protocol_command(output: Path | None, check: Path | None, force: bool) -> None:
    """Print the bridge's OSC protocol (Markdown), generated from its address table.

    \b
    Examples:
      segue protocol | less
      segue protocol -o docs/protocol.md -f   # after a change to the table
      segue protocol --check              # is docs/protocol.md up to date?
    """
    from segue.bridge.docgen import render
    from segue.shell import suggested

    text = render()
    if check is not None:
        if not check.exists():
            again = suggested("segue protocol -o", ("FILE", check))
            raise SegueError(f"{check}: no such file; write it with `{again}`")
        if check.read_text(encoding="utf-8", errors="replace") != text:
            again = suggested("segue protocol -o", ("FILE", check), "-f")
            raise SegueError(
                f"{check} differs from the protocol table; regenerate it with `{again}`"
            )
        click.echo(f"{check} is up to date")
        return
    if output is not None:
        if output.exists() and not force:
            raise SegueError(f"{output} already exists; add -f to replace it")
        with writing(output):
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
        return
    click.echo(text, nl=False)


def register(group: click.Group) -> None:
    for command in (serve_command, send_command, ping_command, protocol_command):
        group.add_command(command)
