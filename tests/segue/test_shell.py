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


def test_a_windows_path_with_typographic_double_quotes_is_named_by_its_placeholder(
    monkeypatch,
) -> None:
    """PowerShell takes “ ” „ for ": a folder named “Live” sets, as Word writes it, ended
    the double quotes around it, and the pasted command split the path in two."""
    monkeypatch.setattr(sys, "platform", "win32")
    for odd in ("runs/\u201cLive\u201d sets", "runs/\u201eLied\u201c"):
        assert suggested("segue train -o", ("RUN", Path(odd))) == (
            f"segue train -o RUN (RUN being {Path(odd)})"
        )
    assert quoted(Path("runs/\u2018Live\u2019 sets")) == '"runs/\u2018Live\u2019 sets"'  # ‘ ’: '


def test_hints_naming_a_path_quote_it_for_this_computers_shell(tmp_path, monkeypatch) -> None:
    """A run folder or a file with a space was pasted back unquoted from the hints of a run
    stopped before its first epoch and of `--model FILE.pt`, and split in two."""
    import pytest

    from segue.errors import SegueError
    from segue.model.registry import find_model, run_checkpoint

    run = tmp_path / "my runs" / "folk"
    run.mkdir(parents=True)
    (run / "last.pt").write_bytes(b"")
    with pytest.raises(SegueError, match=f"`segue train -o '{run}' --resume`"):
        run_checkpoint(run)
    with pytest.raises(SegueError, match="`segue models add 'my runs/x.pt' --name NAME`"):
        find_model("my runs/x.pt")
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(SegueError, match='`segue models add "my runs/x.pt" --name NAME`'):
        find_model("my runs/x.pt")
