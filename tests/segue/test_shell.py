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


def test_a_path_the_output_cannot_write_is_named_by_its_placeholder() -> None:
    """Written in cp1252, a path holding 日本 came out as \\u65e5\\u672c inside the command,
    which named another path when pasted. Where an output's encoding lacks a letter of it,
    the command names it by placeholder and says what the escapes in the path after are;
    a path it can write (and a POSIX name's undecodable bytes, written back as they came)
    is quoted in the command as before."""
    path = Path("runs/日本 folk")
    said = suggested("segue train -o", ("RUN", path), "--resume", encodings=["utf-8", "cp1252"])
    assert said == (
        f"segue train -o RUN --resume (RUN being {path}, where each \\x.., \\u.. or \\U.. "
        "stands for a letter that this cp1252 output cannot write: type the letters themselves)"
    )
    for fine, encodings in (
        ("runs/日本 folk", ["utf-8", "utf-8"]),
        ("runs/Zoë folk", ["cp1252", "cp1252"]),
        ("runs/Zo\udcc3\udcab", ["ascii", "ascii"]),
    ):
        assert suggested("segue train -o", ("RUN", Path(fine)), encodings=encodings) == (
            f"segue train -o {quoted(Path(fine))}"
        )


def _stderr_in_cp1252(*args: object) -> str:
    """What `python -m segue ARGS` says on stderr with its output redirected in cp1252 (a
    Western Windows' code page), decoded strictly in it."""
    import os
    import subprocess

    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run(
        [sys.executable, "-m", "segue", *map(str, args)], capture_output=True, env=env
    )
    assert done.returncode == 1, done.stderr
    return done.stderr.decode("cp1252")


def test_a_suggested_command_never_names_another_path_on_a_cp1252_console(tmp_path) -> None:
    """`segue protocol --check` and a run folder without best.pt suggest commands naming a
    path: in cp1252 a path with 日本 was written as /\\u65e5\\u672c/... in them."""
    folder = tmp_path / "日本 songs"
    (folder / "run").mkdir(parents=True)
    (folder / "run" / "last.pt").write_bytes(b"")

    def escaped(path: Path) -> str:  # as a cp1252 output writes it
        return str(path).encode("cp1252", "backslashreplace").decode("cp1252")

    why = "where each \\x.., \\u.. or \\U.. stands for a letter that this cp1252 output cannot"
    said = _stderr_in_cp1252("protocol", "--check", folder / "protocol.md")
    assert f"`segue protocol -o FILE (FILE being {escaped(folder / 'protocol.md')}, {why}" in said
    said = _stderr_in_cp1252("models", "add", folder / "run", "--name", "mine")
    assert f"`segue train -o RUN --resume (RUN being {escaped(folder / 'run')}, {why}" in said
    assert f"-o {quoted(escaped(folder / 'run'))}" not in said  # no command names it escaped
