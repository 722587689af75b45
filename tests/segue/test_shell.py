"""Suggested commands: safe to paste into bash, cmd.exe and PowerShell."""

from __future__ import annotations

import sys
from pathlib import Path

from segue.shell import quoted, suggested


def test_the_resume_hint_is_quoted_for_this_computers_shell(monkeypatch) -> None:
    assert quoted(Path("runs/my folk")) == "'runs/my folk'"
    monkeypatch.setattr(sys, "platform", "win32")  # cmd.exe and PowerShell: double quotes
    assert quoted(Path("C:/Users/Jörg Müller/runs/folk")) == '"C:/Users/Jörg Müller/runs/folk"'
    assert quoted(Path("runs/folk")) == "runs/folk"
    for odd in ("runs/rock&roll", "runs/jorg's-bass", "runs/(b)"):  # cmd's &, PowerShell's '
        assert quoted(Path(odd)) == f'"{odd}"'


def test_a_suggested_command_is_safe_in_powershell_cmd_and_bash(monkeypatch) -> None:
    """A Windows folder named $beats was suggested as "runs/$beats": PowerShell reads $beats
    inside double quotes as a variable (empty), and cmd reads %NAME% there; no quoting
    keeps both, so the command names it by placeholder and says the path after it."""
    words = ("segue train", ("DATASET", Path("data/$beats.ds")), "-o", ("RUN", Path("runs/a b")))
    assert suggested(*words, "--resume") == "segue train 'data/$beats.ds' -o 'runs/a b' --resume"
    monkeypatch.setattr(sys, "platform", "win32")
    assert suggested(*words, "--resume") == (
        'segue train DATASET -o "runs/a b" --resume (DATASET being data/$beats.ds)'
    )
    for odd in ("runs/100%", "runs/a`b"):
        assert (
            suggested("segue models add", ("RUN", Path(odd)))
            == f"segue models add RUN (RUN being {odd})"
        )
    assert (
        suggested("segue train", ("DATASET", None), "-o", ("RUN", Path("r"))) == "segue train -o r"
    )
