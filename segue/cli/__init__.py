"""The `segue` command line: a thin layer over the library.

Each command group lives in its own module and registers itself on :data:`cli`.
User mistakes arrive as :class:`segue.errors.SegueError` and are printed as one
line, ``segue: error: ...``, with exit status 1; never as a traceback. So is a
file the system would not let segue read or write (an ``OSError`` naming it).
"""

from __future__ import annotations

import sys

import click

from segue import __version__
from segue.cli.console import forgiving_streams
from segue.errors import SegueError


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
      segue generate examples/seeds/reel.mid -o reel-next.mid --plot   # offline
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


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    forgiving_streams()
    try:
        cli.main(args=argv, prog_name="segue", standalone_mode=False)
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
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("segue: stopped", err=True)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
