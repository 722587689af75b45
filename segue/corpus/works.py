"""The works of a collection: one per score file, one per tune of an ABC file, with stable names.

A work's name becomes its MIDI file's name: readable (the tune's number and
title), file-system safe and unique within its collection.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from segue.corpus.listing import Collection, is_tune_header, read_text, score_files

MAX_NAME = 60  # characters of a title kept in a file name


@dataclass(frozen=True, slots=True)
class Work:
    """One work to export: a whole score file, or one tune of an ABC file.

    ``tune`` holds the ABC text of that one tune (with the file's header); it is
    None when the whole file is the work.
    """

    collection: str
    name: str  # file name without ``.mid``, unique within the collection
    source: Path
    tune: str | None = None

    @property
    def label(self) -> str:
        return f"{self.collection}/{self.name}"


def slug(text: str, limit: int = MAX_NAME) -> str:
    """A readable, file-system-safe name: ASCII letters, digits, '.', '_' and '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._]+", "-", ascii_text).strip("-._")
    return cleaned[:limit].rstrip("-._") or "untitled"


def split_abc(text: str) -> tuple[str, list[str]]:
    """The file header (text before the first ``X:``) and the text of each tune."""
    header: list[str] = []
    tunes: list[list[str]] = []
    for line in text.splitlines():
        if is_tune_header(line):
            tunes.append([])
        (tunes[-1] if tunes else header).append(line)
    if not tunes:
        return "", [text]
    return "\n".join(header), ["\n".join(t) for t in tunes]


def _tune_field(tune: str, key: str) -> str:
    for line in tune.splitlines():
        stripped = line.strip()
        if stripped.startswith(f"{key}:"):
            return stripped[2:].strip()
    return ""


def _tune_name(base: str, tune: str) -> str:
    ref = _tune_field(tune, "X")
    ref = ref.zfill(4) if ref.isdigit() else slug(ref, 12)
    title = _tune_field(tune, "T")
    return f"{base}-{ref}-{slug(title)}" if title else f"{base}-{ref}"


def _dedupe(names: list[str]) -> list[str]:
    """Make names unique by numbering repeats (-2, -3, ...) in order."""
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return unique


def _file_bases(folder: Path, files: Sequence[Path]) -> list[str]:
    """One readable base name per file; files that differ only by suffix keep it."""
    stems = [
        slug(p.relative_to(folder).with_suffix("").as_posix().replace("/", "-"), 120) for p in files
    ]
    repeated = {s for s, n in Counter(stems).items() if n > 1}
    return [
        f"{s}-{p.suffix.lstrip('.').lower()}" if s in repeated else s
        for s, p in zip(stems, files, strict=True)
    ]


def collection_works(collection: Collection, limit: int | None = None) -> list[Work]:
    """The works of a collection in a stable order, the first ``limit`` of them if given."""
    works: list[Work] = []
    files = score_files(collection.path)
    for path, base in zip(files, _file_bases(collection.path, files), strict=True):
        if limit is not None and len(works) >= limit:
            break
        if path.suffix.lower() != ".abc":
            works.append(Work(collection.name, base, path))
            continue
        header, tunes = split_abc(read_text(path))
        if len(tunes) == 1:
            works.append(Work(collection.name, base, path, f"{header}\n{tunes[0]}"))
            continue
        names = _dedupe([_tune_name(base, t) for t in tunes])
        works.extend(
            Work(collection.name, n, path, f"{header}\n{t}")
            for n, t in zip(names, tunes, strict=True)
        )
    names = _dedupe([w.name for w in works])
    works = [
        w if w.name == n else Work(w.collection, n, w.source, w.tune)
        for w, n in zip(works, names, strict=True)
    ]
    return works if limit is None else works[:limit]
