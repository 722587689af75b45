"""mypy over the project, each module under the name it installs as.

pyproject.toml installs bridge/ and model/ inside the segue package (`package-dir`), which plain
mypy cannot follow: it would call model/vocab.py `model.vocab`, find no `segue.model`, and report
every `from segue.model... import` as missing. This runs mypy with the settings and the `files`
of [tool.mypy], naming each file from the package-dir table (model/vocab.py is
segue.model.vocab); a file outside the packages (a benchmark, an example) is named by its stem,
as a script. Extra arguments go to mypy (tests/test_project.py passes a cache folder).

    python tests/support/typecheck.py
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from mypy import build
from mypy.errors import CompileError
from mypy.main import process_options
from mypy.modulefinder import BuildSource

ROOT = Path(__file__).resolve().parents[2]


def package_folders(root: Path = ROOT) -> dict[Path, str]:
    """Each package's folder -> the package's installed name, from pyproject.toml."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {(root / folder).resolve(): package for package, folder in mapping.items()}


def installed_name(path: Path, packages: dict[Path, str]) -> str:
    """The module name of a source file once installed (its stem when no package holds it)."""
    package = packages.get(path.resolve().parent)
    if package is None:
        return path.stem
    return package if path.stem == "__init__" else f"{package}.{path.stem}"


def main(args: list[str]) -> int:
    os.chdir(ROOT)
    try:
        found, options = process_options(
            ["--config-file", str(ROOT / "pyproject.toml"), *args], program="typecheck.py"
        )
    except SystemExit as stop:
        return int(stop.code or 0)
    packages = package_folders()
    sources = [
        BuildSource(source.path, installed_name(Path(source.path), packages))
        for source in found
        if source.path is not None
    ]
    try:
        messages = build.build(sources, options).errors
    except CompileError as error:
        messages = error.messages
    for line in messages:
        print(line)
    errors = sum(": error:" in line for line in messages)
    said = {0: "no errors", 1: "1 error"}.get(errors, f"{errors} errors")
    print(f"typecheck: {said} in {len(sources)} source files")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
