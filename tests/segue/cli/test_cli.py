"""The command line's entry point: exit statuses, and one line for every user mistake."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from segue import __version__
from segue import cli as cli_module
from segue.cli.options import ExtraArgumentNamed, extra_for_option


def test_version_and_usage_mistakes(segue_main) -> None:
    version = segue_main("--version")
    assert version.returncode == 0 and __version__ in version.stdout
    usage = segue_main("generate", "--bars", "many")
    assert usage.returncode == 2 and usage.stderr == (
        "segue: error: Invalid value for '--bars': 'many' is not a valid float. "
        "(see 'segue generate --help')\n"
    )
    unknown = segue_main("generat")
    assert unknown.returncode == 2 and unknown.stderr == (
        "segue: error: No such command 'generat'. Did you mean 'generate'? (see 'segue --help')\n"
    )
    missing = segue_main("live", "continue", "--track", "1")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert "give both --track and --scene" in missing.stderr


def test_a_value_given_to_a_switch_is_said_to_be_one(segue_main, tmp_path) -> None:
    """`--plot out.png` said only "Got unexpected extra argument (out.png)" (helper-65)."""
    seed = tmp_path / "missing.mid"  # never read: the usage mistake comes first
    plot = segue_main("generate", seed, "-o", tmp_path / "o.mid", "--plot", tmp_path / "o.png")
    assert plot.returncode == 2 and plot.stderr.count("\n") == 1
    assert "(--plot is a switch: it takes no value)" in plot.stderr
    extra = segue_main("generate", seed, tmp_path / "other.mid")
    assert extra.returncode == 2 and "is a switch" not in extra.stderr


def test_an_extra_argument_for_a_missing_option_is_said_to_be_its_value(capsys, tmp_path) -> None:
    """`segue models add run mymodel` (the name without --name) said only "Missing option
    '--name'", and nothing of 'mymodel' (helper-323); so did a take's name without -o."""
    run, seed = tmp_path / "run", str(tmp_path / "seed.mid")
    run.mkdir()
    for words, extra, said in (
        (["models", "add", str(run)], "mymodel", "no --name: give it as --name mymodel"),
        (["generate", seed], "next.mid", "no -o: give it as -o next.mid"),
        (["send", seed], "next.mid", "no -o: give it as -o next.mid"),
    ):
        assert cli_module.main([*words, extra]) == 2, words
        command = " ".join(w for w in words if w not in (str(run), seed))
        assert capsys.readouterr().err == (
            f"segue: error: got an extra argument {extra!r} and {said} "
            f"(see 'segue {command} --help')\n"
        )
    assert cli_module.main(["models", "add", str(run)]) == 2  # no extra argument: click's line
    assert "Missing option '--name'" in capsys.readouterr().err
    assert cli_module.main(["models", "add", str(run), "my model"]) == 2
    assert "give it as --name 'my model' (see" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.mid")) and not list(run.iterdir())


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The words of every command under ``group`` that says to give its extra arguments as
    the option it misses (``options.ExtraArgumentNamed``)."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        elif isinstance(command, ExtraArgumentNamed):
            yield (*path, name)


def test_extra_arguments_for_a_missing_option_are_said_to_be_one_value_quoted(
    segue_main, tmp_path
) -> None:
    """`segue models add run my model` (a name with a space, unquoted, and no --name) said
    only click's "Missing option '--name'", with nothing of 'my' and 'model': every command
    that names one extra argument as the option it misses says what the several were and
    to give them quoted, as one value. Nothing is written."""
    run, seed = tmp_path / "run", tmp_path / "seed.mid"
    run.mkdir()
    cases = {
        ("models", "add"): ([run], ["my", "model"], "--name 'my model'"),
        ("generate",): ([seed], ["next", "take.mid"], "-o 'next take.mid'"),
        ("send",): ([seed], ["next", "take.mid"], "-o 'next take.mid'"),
        ("train",): ([tmp_path / "data"], ["my", "first", "run"], "-o 'my first run'"),
        ("live", "learn"): ([], ["my", "set"], "-o 'my set'"),
    }
    assert set(_commands(cli_module.cli)) == set(cases)
    for words, (given, extra, as_one) in cases.items():
        said = segue_main(*words, *given, *extra)
        flag = as_one.split()[0]
        listed = ", ".join(map(repr, extra))
        assert said.returncode == 2, words
        assert said.stderr == (
            f"segue: error: got extra arguments {listed} and no {flag}: a value with a space "
            f"is one argument only in quotes: give it as {as_one} "
            f"(see 'segue {' '.join(words)} --help')\n"
        )
    assert list(tmp_path.iterdir()) == [run] and not list(run.iterdir())


def test_a_value_split_at_its_space_after_its_option_is_said_to_want_quotes(
    segue_main, tmp_path
) -> None:
    """`--name my model` (the name unquoted) said only "Got unexpected extra argument
    (model)": where the arguments the command did not expect follow the value of an option
    that takes a word or a path, it says to give them quoted as one. Not after a number
    (`--port 9 10`) nor a switch's (`--plot out.png`, said to be a switch)."""
    run, seed = tmp_path / "run", tmp_path / "seed.mid"
    run.mkdir()
    split = {
        ("models", "add", run, "--name", "my", "model"): ("argument (model)", "--name 'my model'"),
        ("generate", seed, "-o", "my", "next", "take.mid"): (
            "arguments (next take.mid)",
            "-o 'my next take.mid'",
        ),
        ("live", "learn", "-o", "my", "set", "--seconds", "5"): ("argument (set)", "-o 'my set'"),
    }
    plot = ("generate", seed, "-o", tmp_path / "o.mid", "--plot", tmp_path / "o.png")
    _said_to_quote(segue_main, split, (("serve", "--port", "9", "10"), plot))
    assert list(tmp_path.iterdir()) == [run] and not list(run.iterdir())


def _said_to_quote(segue_main, split: dict, not_split: tuple) -> None:
    """Each command of ``split`` (its words: click's words of the extra arguments, and the
    option and value to give) is told to give its value quoted, in one line; none of
    ``not_split`` is."""
    for words, (extra, as_one) in split.items():
        said = segue_main(*words)
        assert said.returncode == 2 and said.stderr.count("\n") == 1, words
        assert (
            f"Got unexpected extra {extra} (a value with a space is one argument only in "
            f"quotes: give it as {as_one}) (see" in said.stderr
        ), said.stderr
    for words in not_split:
        said = segue_main(*words)
        assert said.returncode == 2 and "in quotes" not in said.stderr, words


def test_a_value_split_at_its_space_after_an_equals_sign_is_said_to_want_quotes(
    segue_main, tmp_path
) -> None:
    """`--name=my model` (the `=` form, the name unquoted) said only "Got unexpected extra
    argument (model)", where `--name my model` was told to give it quoted: the same line."""
    run, seed = tmp_path / "run", tmp_path / "seed.mid"
    run.mkdir()
    split = {
        ("models", "add", run, "--name=my", "model"): ("argument (model)", "--name 'my model'"),
        ("generate", seed, "--output=my", "next", "take.mid"): (
            "arguments (next take.mid)",
            "-o 'my next take.mid'",
        ),
    }
    not_split = (("serve", "--port=9", "10"), ("models", "add", run, "--name=", "model"))
    _said_to_quote(segue_main, split, not_split)  # a number's; an empty value's: no quotes
    assert list(tmp_path.iterdir()) == [run] and not list(run.iterdir())


def test_files_given_one_too_many_are_not_said_to_be_one_value_with_a_space(
    segue_main, tmp_path
) -> None:
    """`segue generate seed.mid -o out.mid other.mid` (two outputs) was told to give
    -o 'out.mid other.mid', and `segue generate a.mid b.mid c.mid` (three seeds, no -o)
    -o 'b.mid c.mid': names no file. Words that are files' names each are not said to be one
    value split at a space; click's own line says what was wrong."""
    run, seed = tmp_path / "run", tmp_path / "seed.mid"
    run.mkdir()
    cases = (
        ("generate", seed, "-o", "out.mid", "other.mid"),
        ("generate", seed, "b.mid", "c.mid"),
        ("models", "add", run, "--name", "a.pt", "b.pt"),
    )
    for words in cases:
        said = segue_main(*words)
        assert said.returncode == 2 and said.stderr.count("\n") == 1, (words, said.stderr)
        assert "in quotes" not in said.stderr, (words, said.stderr)
    said = segue_main("models", "add", run, "--name", "v1.2", "mix")
    assert "give it as --name 'v1.2 mix'" in said.stderr, said.stderr  # a version's dot
    assert list(tmp_path.iterdir()) == [run] and not list(run.iterdir())


def test_extra_arguments_are_said_quoted_as_this_computer_s_shell_reads_them(
    monkeypatch,
) -> None:
    """On Windows cmd.exe and PowerShell read a value with a space in double quotes, not
    single: the value to give is quoted so (``shell.quoted``), the extra arguments listed as
    they came."""
    name = click.Option(["--name"], required=True)
    monkeypatch.setattr(sys, "platform", "win32")
    assert extra_for_option(["my", "model"], name).endswith('give it as --name "my model"')
    assert extra_for_option(["folk"], name) == (
        "got an extra argument 'folk' and no --name: give it as --name folk"
    )


def test_a_bare_command_group_prints_its_help(segue_main) -> None:
    bare = segue_main("live")
    assert "Commands:" in bare.stdout + bare.stderr and "continue" in bare.stdout + bare.stderr


@pytest.mark.parametrize("stop", [KeyboardInterrupt, click.exceptions.Abort])
def test_ctrl_c_stops_with_130_and_one_line(stop, monkeypatch, capsys) -> None:
    def interrupted(*args, **kwargs):
        raise stop()

    monkeypatch.setattr(cli_module.cli, "main", interrupted)
    assert cli_module.main(["generate"]) == 130
    assert capsys.readouterr().err == "segue: stopped\n"


def _with_closed_stdout(tmp_path, *args: object) -> subprocess.CompletedProcess:
    """`segue ARGS | head -0`: the command's stdout is a pipe nobody reads any more."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "segue", *map(str, args)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=tmp_path,
            timeout=300,
        )
    finally:
        os.close(write)


def test_a_closed_stdout_lets_the_command_finish_its_files(tmp_path) -> None:
    """`segue generate SEED -o OUT --plot | head -1` exited with status 1, said nothing,
    and wrote no piano roll (click ended it at the first line it printed)."""
    seed = Path(__file__).resolve().parents[3] / "examples" / "seeds" / "chords.mid"
    made = _with_closed_stdout(tmp_path, "generate", seed, "-o", "next.mid", "--plot")
    assert (made.returncode, made.stderr) == (0, "")
    assert (tmp_path / "next.mid").is_file() and (tmp_path / "next.png").is_file()
    for args in (("models",), ("inspect", seed)):
        listed = _with_closed_stdout(tmp_path, *args)
        assert (listed.returncode, listed.stderr) == (0, ""), args


def test_a_closed_stderr_lets_the_command_finish_its_files_too(tmp_path) -> None:
    """`segue generate ... 2>&1 | head -1`: a notice (stderr) written after the reader left
    ended the command with status 1 and no files (helper-71)."""
    beat = Path(__file__).resolve().parents[3] / "examples" / "seeds" / "beat.mid"
    read, write = os.pipe()
    os.close(read)
    try:
        made = subprocess.run(
            [sys.executable, "-m", "segue", "generate", str(beat), "-o", "b.mid"]
            + ["--program", "5", "--plot"],
            stdout=write,
            stderr=write,
            cwd=tmp_path,
            timeout=300,
        )
    finally:
        os.close(write)
    assert made.returncode == 0
    assert (tmp_path / "b.mid").is_file() and (tmp_path / "b.png").is_file()


MOST_LINES = 40
"""The most lines a function of segue/cli/ may run to after its docstring (its signature
and its docstring apart: a command's options and its --help are the command line's)."""


def _body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The lines of ``function`` after its signature and docstring, to its last line."""
    first = function.body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    start = first.end_lineno if docstring else function.body[0].lineno - 1
    return (function.end_lineno or 0) - (start or 0)


def test_every_function_of_the_command_line_is_short() -> None:
    """The command line is a thin layer over the library: a command reads its options,
    calls the library and prints. send, serve, eval, generate, models, memory, train and
    tune ran to 41-69 lines after their docstrings, working out requests, settings, models,
    listings and what to say themselves (helper-317 moved that work into segue/; a function
    over the limit has work of the library's to move there)."""
    folder = Path(cli_module.__file__).parent
    long = []
    for module in sorted(folder.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = _body_lines(node)
                if lines > MOST_LINES:
                    long.append(f"{module.name}:{node.lineno} {node.name}: {lines} lines")
    assert not long, f"functions over {MOST_LINES} lines after their docstrings:\n" + "\n".join(
        long
    )
