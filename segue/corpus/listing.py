"""The collections of music21's corpus, counted without parsing a score.

Listing counts files and ``X:`` lines and reads only the head of each file for
licence statements (:mod:`segue.corpus.licences`), so it takes well under a second.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from segue.corpus.licences import licence_note
from segue.errors import SegueError

SCORE_SUFFIXES = (".abc", ".krn", ".mxl", ".xml", ".musicxml")
INSTALL_HINT = 'pip install "segue[corpus]"'  # double quotes: cmd.exe, PowerShell and POSIX shells


@dataclass(frozen=True, slots=True)
class Collection:
    """One top-level folder of music21's corpus."""

    name: str
    path: Path
    files: int  # score files
    works: int  # one per score file, one per tune in ABC files
    licence: str


def corpus_root() -> Path:
    """The ``corpus`` folder inside the installed music21 package (not imported here)."""
    try:
        spec = importlib.util.find_spec("music21")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise SegueError(f"music21 is not installed; install it with: {INSTALL_HINT}")
    root = Path(next(iter(spec.submodule_search_locations))) / "corpus"
    if not root.is_dir():
        raise SegueError(f"music21 is installed without its corpus (no folder {root})")
    return root


def score_files(folder: Path) -> list[Path]:
    """Score files under ``folder`` in a stable order (by relative path)."""
    files = [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in SCORE_SUFFIXES and p.is_file() and not p.name.startswith(".")
    ]
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def is_tune_header(line: str) -> bool:
    """An ABC tune starts with its ``X:`` line."""
    return line.lstrip().startswith("X:")


def _count_abc_tunes(path: Path) -> int:
    """Tunes in an ABC file: its ``X:`` headers (a file without any is one tune)."""
    return max(1, sum(1 for line in read_text(path).splitlines() if is_tune_header(line)))


def _count_works(files: Sequence[Path]) -> int:
    return sum(_count_abc_tunes(p) if p.suffix.lower() == ".abc" else 1 for p in files)


def list_collections(root: Path | None = None) -> list[Collection]:
    """Every collection of music21's corpus with its number of works and a licence note.

    Fast: scores are counted, never parsed.
    """
    root = root or corpus_root()
    collections = []
    for folder in sorted(root.iterdir(), key=lambda p: p.name.lower()):
        if not folder.is_dir() or folder.name.startswith(("_", ".")):
            continue
        files = score_files(folder)
        if files:
            collections.append(
                Collection(
                    folder.name,
                    folder,
                    len(files),
                    _count_works(files),
                    licence_note(folder, files),
                )
            )
    return collections


def find_collections(names: Sequence[str], root: Path | None = None) -> list[Collection]:
    """The named collections in the order given; ``all`` means every collection.

    Names match exactly or, failing that, ignoring case. An unknown name is a
    :class:`SegueError` listing the valid names.
    """
    available = list_collections(root)
    by_name = {c.name: c for c in available}
    by_folded = {c.name.casefold(): c for c in available}
    chosen: list[Collection] = []
    unknown = []
    for name in names:
        if name == "all":
            picks = available
        else:
            found = by_name.get(name) or by_folded.get(name.casefold())
            picks = [found] if found else []
            if not found:
                unknown.append(name)
        chosen.extend(c for c in picks if c not in chosen)
    if unknown:
        valid = ", ".join(c.name for c in available)
        plural = "s" if len(unknown) > 1 else ""
        raise SegueError(
            f"unknown collection{plural} {', '.join(map(repr, unknown))}; "
            f"choose from: {valid} (or all)"
        )
    if not chosen:
        raise SegueError("name at least one collection (see `segue corpus list`)")
    return chosen
