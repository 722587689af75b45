"""pyproject.toml's PyTorch and NumPy ranges, with their markers, against the wheels PyPI has
for each platform a musician runs Live on (tests/support/pypi_wheels.toml, recorded from the
index; this test reads no network): pip must find a PyTorch, and the pair it installs must
work together."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
WHEELS = tomllib.loads((ROOT / "tests" / "support" / "pypi_wheels.toml").read_text("utf-8"))
PLATFORMS = WHEELS["platforms"]

FIRST_FOR_NUMPY_2 = Version("2.3")
"""PyTorch releases before 2.3 were built against NumPy 1 and fail under NumPy 2 ("Numpy is
not available", "A module that was compiled using NumPy 1.x cannot be run in NumPy 2")."""

MARKERS = {  # what pip's marker environment says on each platform
    "macosx_11_0_arm64": {"sys_platform": "darwin", "platform_machine": "arm64"},
    "macosx_14_0_arm64": {"sys_platform": "darwin", "platform_machine": "arm64"},
    "macosx_13_0_x86_64": {"sys_platform": "darwin", "platform_machine": "x86_64"},
    "win_amd64": {"sys_platform": "win32", "platform_machine": "AMD64"},
}
SYSTEMS = {"darwin": ("Darwin", "posix"), "win32": ("Windows", "nt")}

NO_PYTORCH = {("macosx_13_0_x86_64", "3.13"), ("macosx_13_0_x86_64", "3.14")}
NO_PYTORCH |= {("macosx_13_0_x86_64", "3.15"), ("macosx_11_0_arm64", "3.15")}
"""Platforms and Pythons with no PyTorch wheel at all: pip stops with 'No matching
distribution found for torch' (the README says Intel Macs need Python 3.11 or 3.12)."""


def _environment(platform: str, python: str) -> dict[str, str]:
    markers = MARKERS[platform]
    system, os_name = SYSTEMS[markers["sys_platform"]]
    return {
        **markers,
        "platform_system": system,
        "os_name": os_name,
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }


def _ranges(platform: str, python: str) -> dict[str, SpecifierSet]:
    """What pyproject.toml asks of torch and numpy on this platform and Python."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    wanted: dict[str, SpecifierSet] = {"torch": SpecifierSet(), "numpy": SpecifierSet()}
    for line in config["project"]["dependencies"]:
        requirement = Requirement(line)
        applies = requirement.marker is None or requirement.marker.evaluate(
            _environment(platform, python)
        )
        if requirement.name in wanted and applies:
            wanted[requirement.name] &= requirement.specifier
    return wanted


def _wheels(platform: str, package: str, python: str) -> list[Version]:
    listed = PLATFORMS[platform][package].get(python, "")
    return sorted(Version(v) for v in listed.split(", ") if v)


def _works(torch: Version, numpy: Version) -> bool:
    return torch >= FIRST_FOR_NUMPY_2 or numpy.major < 2


CASES = [(p, py) for p in PLATFORMS for py in PLATFORMS[p]["torch"]]


@pytest.mark.parametrize(("platform", "python"), CASES)
def test_pip_installs_a_pytorch_and_numpy_that_work_together(platform: str, python: str) -> None:
    ranges = _ranges(platform, python)
    torches = [v for v in _wheels(platform, "torch", python) if v in ranges["torch"]]
    numpys = [v for v in _wheels(platform, "numpy", python) if v in ranges["numpy"]]
    name = f"{PLATFORMS[platform]['name']}, Python {python}"
    if (platform, python) in NO_PYTORCH:
        assert not _wheels(platform, "torch", python), f"{name} has PyTorch wheels now"
        return
    assert torches, f"{name}: no PyTorch wheel in {ranges['torch']}"
    assert numpys, f"{name}: no NumPy wheel in {ranges['numpy']}"
    # pip takes the newest of each (torch declares no NumPy requirement to steer it); an
    # older PyTorch within the range (a user's pin) must work with that NumPy too
    for torch in torches:
        assert _works(torch, numpys[-1]), f"{name}: torch {torch} with numpy {numpys[-1]}"


def test_intel_macs_get_the_last_pytorch_built_for_them() -> None:
    ranges = _ranges("macosx_13_0_x86_64", "3.12")
    assert max(v for v in _wheels("macosx_13_0_x86_64", "torch", "3.12")) == Version("2.2.2")
    assert Version("2.2.2") in ranges["torch"]
    assert Version("1.26.4") in ranges["numpy"] and Version("2.0.0") not in ranges["numpy"]


def test_the_readme_says_which_python_an_intel_mac_needs() -> None:
    readme = " ".join((ROOT / "README.md").read_text("utf-8").replace("**", "").split())
    assert "Intel Macs: PyTorch's last release for them is 2.2" in readme
    assert "Python 3.11 or 3.12 only" in readme
