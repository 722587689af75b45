"""The `segue` command's entry point: Ctrl-C while its modules load."""

from __future__ import annotations

import sys

from segue import launch


def test_ctrl_c_while_the_command_loads_says_stopped(monkeypatch, capsys) -> None:
    """Ctrl-C in the command's first moments printed a traceback from an import (helper-43):
    here the import of the command line is what Ctrl-C interrupts."""

    class Interrupted:
        def find_spec(self, name, path=None, target=None):
            if name == "segue.cli":
                raise KeyboardInterrupt
            return None

    monkeypatch.delitem(sys.modules, "segue.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [Interrupted(), *sys.meta_path])
    assert launch.main(["--version"]) == 130
    assert capsys.readouterr().err == "segue: stopped\n"


def test_the_entry_point_runs_the_command(capsys) -> None:
    assert launch.main(["--version"]) == 0
    assert "segue" in capsys.readouterr().out
