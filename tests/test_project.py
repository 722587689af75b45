"""Promises the project makes to a new user: README commands, CI, packaging, style."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import early_runs
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_readme_starts_with_the_run_and_test_commands() -> None:
    run, test = _readme_commands()[:2]
    assert run.startswith("pip install -e . && segue ")
    assert test == "pip install -e '.[test]' && pytest"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    test = _readme_commands()[1]
    assert test in ci, "the README's test command must be a line of .ci/run"
    assert "pip install --quiet torch==2.13.0" in "\n".join(ci)


def test_readme_run_command_names_files_that_exist() -> None:
    run = _readme_commands()[0]
    for word in run.split():
        if word.endswith(".mid") and "/" in word:
            assert (ROOT / word).exists(), word


def test_packages_map_bridge_and_model_inside_segue() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    assert mapping["segue.bridge"] == "bridge"
    assert mapping["segue.model"] == "model"
    import segue.bridge
    import segue.model

    assert Path(segue.model.__file__).parent == ROOT / "model"
    assert Path(segue.bridge.__file__).parent == ROOT / "bridge"


def test_every_folder_of_the_code_is_a_declared_package() -> None:
    """Each folder inside the installed packages' folders that Python could import (the
    bundled models' ``model/defaults/`` too, which holds data alone) is declared in
    ``packages`` and mapped to itself: setuptools otherwise warns, on the README's own
    ``pip install -e .``, that the folder "would be ignored" (a page of warning on a fresh
    set-up), and a later setuptools may leave its files out."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    mapping = setuptools["package-dir"]
    missing = []
    for package, folder in mapping.items():
        for inner in sorted((ROOT / folder).iterdir()):
            if inner.is_dir() and inner.name.isidentifier() and inner.name != "__pycache__":
                name = f"{package}.{inner.name}"
                where = (ROOT / mapping.get(name, "-")).resolve()
                if name not in setuptools["packages"] or where != inner.resolve():
                    missing.append(inner.relative_to(ROOT).as_posix())
    assert not missing, f"folders not declared as packages in pyproject.toml: {missing}"


def test_every_command_has_help_with_examples() -> None:
    from segue.cli import cli

    def walk(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from walk(command, prefix + (name,))
            else:
                yield prefix + (name,), command

    commands = list(walk(cli))
    assert len(commands) >= 5
    for path, command in commands:
        assert command.get_short_help_str(), path
        assert "Example" in (command.help or ""), f"segue {' '.join(path)} --help has no examples"


def test_top_level_help_lists_every_command(segue_cli) -> None:
    result = segue_cli("--help")
    assert result.returncode == 0
    from segue.cli import cli

    for name in cli.commands:
        assert re.search(rf"^\s+{name}\s+\S", result.stdout, re.M), name


def _tool(name: str) -> str:
    """A command-line tool of the [test] extra, from this environment."""
    return shutil.which(name) or str(Path(sys.executable).parent / name)


def test_code_is_ruff_clean_and_formatted() -> None:
    for args in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [_tool("ruff"), *args, str(ROOT)], capture_output=True, text=True, encoding="utf-8"
        )
        assert result.returncode == 0, f"ruff {' '.join(args)}:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_types_check_with_mypy(platform: str) -> None:
    """Zero mypy errors over the packages, benchmarks and examples ([tool.mypy]), each module
    named as it installs (tests/support/typecheck.py), as the code reads on Linux, macOS and
    Windows: a call that one OS lacks (``os.sched_getaffinity`` on macOS, ``os.nice`` on
    Windows) must sit behind a test that mypy understands (``sys.platform``, ``hasattr``)."""
    result = early_runs.result(f"mypy-{platform}", early_runs.typecheck_command(platform))
    assert result.returncode == 0, f"mypy:\n{result.stdout}{result.stderr}"
    assert "typecheck: no errors in" in result.stdout


NO_TEST_MODULE = {
    "segue/__main__.py",  # `python -m segue`: one call of segue.cli.main
    "segue/errors.py",  # exception classes; each message is tested where it is raised
    "bridge/testing.py",  # the bridge's helpers for tests: the tests use it throughout
}


def test_every_module_has_its_test_module_where_the_layout_says() -> None:
    """model/generate.py -> tests/model/test_generate.py; a package's __init__.py only when
    it defines something (segue/cli/__init__.py -> tests/segue/cli/test_cli.py)."""
    missing = []
    for folder in ("segue", "model", "bridge"):
        for module in sorted((ROOT / folder).rglob("*.py")):
            name = module.relative_to(ROOT).as_posix()
            test = ROOT / "tests" / module.parent.relative_to(ROOT) / f"test_{module.name}"
            if module.name == "__init__.py":
                tree = ast.parse(module.read_text(encoding="utf-8"))
                defines = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
                if not any(isinstance(node, defines) for node in tree.body):
                    continue
                test = test.with_name(f"test_{module.parent.name}.py")
            if name in NO_TEST_MODULE:
                continue
            if not test.exists():
                missing.append(f"{name} -> {test.relative_to(ROOT).as_posix()}")
    assert not missing, "modules without a test module:\n" + "\n".join(missing)


def _layout_row(folder: str) -> str:
    """The README's Layout table row of ``folder`` (``segue``: the row of `segue/`)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = text.split("\n## Layout", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in layout.splitlines() if line.startswith(f"| `{folder}/` |")]
    assert len(rows) == 1, f"the README's Layout table has no single row for {folder}/"
    return rows[0]


def test_the_layout_names_every_package_of_the_code() -> None:
    """Each package inside segue/, model/ and bridge/ is named in its folder's Layout row,
    so a developer finds where the code lives: `segue/idioms/`, which writes the producer and
    drum models' material, was missing from the table (helper-281's README audit)."""
    unnamed = [
        package.parent.relative_to(ROOT).as_posix()
        for folder in ("segue", "model", "bridge")
        for package in sorted((ROOT / folder).glob("*/__init__.py"))
        if f"`{package.parent.name}/`" not in _layout_row(folder)
    ]
    assert not unnamed, f"packages the README's Layout table does not name: {unnamed}"


_SUBPROCESS = {"run", "Popen", "check_output", "check_call", "call"}


def _without_encoding(call: ast.Call) -> bool:
    """Whether a call reads or writes text in the locale's encoding (it names no other)."""
    words = {k.arg for k in call.keywords}
    if "encoding" in words:
        return False
    func = call.func
    if (
        isinstance(func, ast.Name)
        and func.id == "open"
        or (isinstance(func, ast.Attribute) and func.attr == "open" and call.args[1:2] == [])
    ):
        args = call.args[1:2] if isinstance(func, ast.Name) else call.args[:1]
        mode = next((k.value for k in call.keywords if k.arg == "mode"), args[0] if args else None)
        if isinstance(func, ast.Attribute) and not isinstance(mode, ast.Constant):
            return False  # wave.open(name), a server's open(): not a file's text
        return not (isinstance(mode, ast.Constant) and "b" in str(mode.value))
    if isinstance(func, ast.Attribute) and func.attr == "read_text":
        return not call.args
    if isinstance(func, ast.Attribute) and func.attr == "write_text":
        return len(call.args) < 2
    if (
        isinstance(func, ast.Attribute)
        and func.attr in _SUBPROCESS
        and isinstance(func.value, ast.Name)
        and func.value.id == "subprocess"
    ):
        return bool(words & {"text", "universal_newlines"})
    return False


def test_every_text_file_and_pipe_names_its_encoding() -> None:
    """Windows reads and writes text in its code page (cp1252, ...) unless told otherwise."""
    found = []
    for folder in ("segue", "model", "bridge", "benchmarks", "examples", "max_for_live", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Call) and _without_encoding(node)
            ]
    assert not found, "text read or written in the locale's encoding at " + ", ".join(found)
