"""The `segue` command line: a thin layer over the library.

Each command group lives in its own module and registers itself on :data:`cli`.
User mistakes arrive as :class:`segue.errors.SegueError` and are printed as one
line, ``segue: error: ...``, with exit status 1; never as a traceback. A mistake in
how a command was typed (click's usage errors) is one line too, with exit status 2. So is a
file the system would not let segue read or write (an ``OSError`` naming it).
"""

from __future__ import annotations

import re
import sys

import click

from segue import __version__
from segue.cli.console import forgiving_streams, quiet_when_closed
from segue.errors import SegueError, Stopped


@click.group(
    context_settings={
        "help_option_names": ["-h", "--help"],
        "max_content_width": 120,
        "terminal_width": 120,
    }
)
@click.version_option(__version__, prog_name="segue")
def cli() -> None:
    """segue continues your MIDI clips with a neural network.

    \b
    Quick start:
      segue serve                                          # the OSC bridge
      segue send examples/seeds/reel.mid -o reel-next.mid  # from another terminal
      segue generate examples/seeds/reel.mid -o reel-offline.mid --plot   # offline
    """


def _register() -> None:
    from segue.cli import (
        bridge_cmd,
        corpus_cmd,
        data_cmd,
        eval_cmd,
        generate_cmd,
        idioms_cmd,
        inspect_cmd,
        live_cmd,
        memory_cmd,
        train_cmd,
        tune_cmd,
    )

    for module in (
        bridge_cmd,
        corpus_cmd,
        data_cmd,
        eval_cmd,
        generate_cmd,
        idioms_cmd,
        inspect_cmd,
        live_cmd,
        memory_cmd,
        train_cmd,
        tune_cmd,
    ):
        module.register(cli)


_register()


_HELP_ASKED: tuple[type[click.UsageError], ...] = tuple(
    getattr(click.exceptions, name)
    for name in ("NoArgsIsHelpError",)
    if hasattr(click.exceptions, name)
)
"""The usage error by which click 8.2 and later answer a group called without a command."""


def usage_line(exc: click.UsageError, argv: list[str] | None = None) -> str:
    """A mistake in how a command was typed, in one line: what was wrong and where the
    command's help is (click itself prints the usage, a hint and the error in four)."""
    command = exc.ctx.command_path if exc.ctx is not None else "segue"
    message = " ".join(exc.format_message().split())
    switch = _switch_given_a_value(exc, argv or [])
    if switch:
        message += f" ({switch} is a switch: it takes no value)"
    split = _value_split_at_spaces(exc, argv or [])
    if split:
        message += f" ({split})"
    return f"segue: error: {message} (see '{command} --help')"


def _unexpected(exc: click.UsageError) -> list[str]:
    """The arguments click said the command did not expect, as its message lists them
    ("Got unexpected extra arguments (my model)"); none for another mistake."""
    found = re.search(r"unexpected extra arguments? \((.*)\)$", exc.format_message())
    return found.group(1).split(" ") if found else []


def _switch_given_a_value(exc: click.UsageError, argv: list[str]) -> str | None:
    """The switch (an option without a value) typed just before an argument the command did
    not expect: `--plot out.png` said only "Got unexpected extra argument (out.png)"
    (helper-65)."""
    extra = _unexpected(exc)
    if exc.ctx is None or not extra:
        return None
    switches = {
        name
        for param in exc.ctx.command.params
        if isinstance(param, click.Option) and param.is_flag
        for name in param.opts
    }
    for before, word in zip(argv, argv[1:], strict=False):
        if word == extra[0] and before in switches:
            return before
    return None


def _value_split_at_spaces(exc: click.UsageError, argv: list[str]) -> str | None:
    """What to do where the arguments the command did not expect follow an option's value
    in ``argv``, as a name or path with a space unquoted does: `--name my model` said only
    "Got unexpected extra argument (model)", as `--name=my model` did; the option is one that
    takes a word or a path (not a number, a choice or a switch)."""
    from segue.cli.options import as_one_value, one_value_split

    extra = _unexpected(exc)
    if exc.ctx is None or not extra:
        return None
    worded = {
        name: param
        for param in exc.ctx.command.params
        if isinstance(param, click.Option) and not param.is_flag and param.nargs == 1
        if isinstance(param.type, click.types.StringParamType | click.Path)
        for name in param.opts
    }
    for at, word in enumerate(argv):
        name, joined, first = word.partition("=")
        if joined and first and name.startswith("--"):  # `--name=my model`: its first word in it
            value = [first, *argv[at + 1 : at + 1 + len(extra)]]
        else:
            name, value = word, argv[at + 1 : at + 2 + len(extra)]
        if name in worded and value[1:] == extra and one_value_split(value):
            return as_one_value(worded[name], value)
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    from segue.model.training.signals import ended_as_ctrl_c

    forgiving_streams()
    try:
        # `segue ... | head -1` finishes its files; SIGTERM or a closed terminal, as Ctrl-C
        with quiet_when_closed(), ended_as_ctrl_c():
            cli.main(args=argv, prog_name="segue", standalone_mode=False)
    except Stopped as exc:
        click.echo(f"segue: stopped: {exc}", err=True)
        return 130
    except SegueError as exc:
        click.echo(f"segue: error: {exc}", err=True)
        return 1
    except OSError as exc:
        if exc.filename is None:
            raise
        click.echo(f"segue: error: {exc.filename}: {exc.strerror or exc}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("segue: stopped", err=True)
        return 130
    except click.UsageError as exc:
        if isinstance(exc, _HELP_ASKED):  # a bare `segue` or group: its help, as click prints it
            exc.show()
        else:
            click.echo(usage_line(exc, argv if argv is not None else sys.argv[1:]), err=True)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("segue: stopped", err=True)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
