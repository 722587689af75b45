"""The command line's entry point: exit statuses, and one line for every user mistake."""

from __future__ import annotations

import click
import pytest

from segue import __version__
from segue import cli as cli_module


def test_version_and_usage_mistakes(segue_main) -> None:
    version = segue_main("--version")
    assert version.returncode == 0 and __version__ in version.stdout
    usage = segue_main("generate", "--bars", "many")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    assert "'many' is not a valid float" in usage.stderr
    unknown = segue_main("no-such-command")
    assert unknown.returncode == 2 and "No such command" in unknown.stderr


@pytest.mark.parametrize("stop", [KeyboardInterrupt, click.exceptions.Abort])
def test_ctrl_c_stops_with_130_and_one_line(stop, monkeypatch, capsys) -> None:
    def interrupted(*args, **kwargs):
        raise stop()

    monkeypatch.setattr(cli_module.cli, "main", interrupted)
    assert cli_module.main(["generate"]) == 130
    assert capsys.readouterr().err == "segue: stopped\n"
