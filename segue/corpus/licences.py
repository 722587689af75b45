"""A licence note for each collection of music21's corpus, from its files' own statements.

A licence or readme file in the collection's folder comes first; otherwise the
most common copyright statement in the scores' headers (Humdrum ``!!!YEC``, ABC
comments, MusicXML ``<rights>``), of which only the first few KB are read.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

LICENCE_FILE_PREFIXES = ("licence", "license", "readme", "copying")
GENERAL_LICENCE = (
    "believed public domain; encodings by permission, restricted only where a file's own "
    "header says so (music21/corpus/license.txt)"
)
"""What music21's corpus licence says of a file whose header states nothing: its
restrictions, where there are any, are "embedded in individual compositions or
directories", which :func:`licence_note` and :func:`restriction` read."""
HEAD_BYTES = 16_384  # how much of a file is read to look for licence statements


def _folder_licence(folder: Path) -> str | None:
    """A note from a licence or readme file in the collection's own folder."""
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name.lower().startswith(LICENCE_FILE_PREFIXES):
            text = path.read_text(encoding="utf-8", errors="replace")
            where = f"{folder.name}/{path.name}"
            if re.search(r"non-?\s*commercial", text, re.IGNORECASE):
                return f"by permission, non-commercial use only ({where})"
            return f"see {where}"
    return None


def _head(path: Path) -> str:
    """The first few KB of a score file as text (MusicXML inside .mxl archives too)."""
    try:
        if path.suffix.lower() == ".mxl":
            with zipfile.ZipFile(path) as archive:
                inner = [
                    n
                    for n in archive.namelist()
                    if n.lower().endswith((".xml", ".musicxml")) and not n.startswith("META")
                ]
                if not inner:
                    return ""
                with archive.open(inner[0]) as fh:
                    data = fh.read(HEAD_BYTES)
        else:
            with open(path, "rb") as fh:
                data = fh.read(HEAD_BYTES)
    except (OSError, zipfile.BadZipFile):
        return ""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8", errors="replace")


def _meaningful(statement: str) -> bool:
    """False for rights lines that say nothing ("Copyright ©", "(c)", "")."""
    words = re.sub(r"copyright|\(c\)|©|[^A-Za-z]", " ", statement, flags=re.IGNORECASE).split()
    return len(words) >= 2


def _clean(statement: str, limit: int = 80) -> str:
    """One line without e-mail addresses, at most ``limit`` characters."""
    statement = re.sub(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", "", html.unescape(statement))
    statement = re.sub(r"\s+([;,])", r"\1", " ".join(statement.split())).strip(" ;,")
    return statement if len(statement) <= limit else statement[: limit - 3].rstrip() + "..."


RESTRICTIVE = re.compile(
    r"reserved|non-?\s*commercial|\bgpl\b|gnu general public|licensing agreement|"
    r"share-?\s*alike|by-sa|sa-by|cc-sa",
    re.IGNORECASE,
)
"""Terms under which a work may not go into weights given away: rights reserved,
non-commercial use only, the GPL or a share-alike licence, a licensing agreement."""
FREE = re.compile(r"public domain|\bcc0\b|\bcc-by\b|creative commons", re.IGNORECASE)
"""Terms that let it: public domain, CC0, CC-BY (not share-alike, which RESTRICTIVE meets
first)."""


def restriction(path: Path) -> str | None:
    """Why the score file at ``path`` may not go into weights that are given away, or None:
    its folder's licence (:func:`folder_restriction`) or its own header
    (:func:`file_restriction`) restricts it."""
    return folder_restriction(path.parent) or file_restriction(path)


def folder_restriction(folder: Path) -> str | None:
    """The licence of a collection's folder, when it restricts every file in it (Essen's is
    non-commercial); read once for a whole collection."""
    note = _folder_licence(folder)
    return note if note and "non-commercial" in note else None


def file_restriction(path: Path) -> str | None:
    """How a score file's own header restricts its use: it reserves rights, says
    non-commercial, GPL or share-alike, names a licensing agreement, or states a copyright
    without terms known to be free. A file that states nothing falls under music21's corpus
    licence (free, but for restrictions embedded in the files themselves): None."""
    statement = _statement(path)
    if not _meaningful(statement):
        return None
    if RESTRICTIVE.search(statement) or not FREE.search(statement):
        return _clean(statement, limit=200)
    return None


def _embedded_licence(path: Path) -> str | None:
    """A copyright or licence statement in the file's header, if it has one."""
    statement = _clean(_statement(path))
    return statement if _meaningful(statement) else None


def _statement(path: Path) -> str:
    """The copyright or licence statement of a score file's header, whole ("" if none)."""
    head = _head(path)
    suffix = path.suffix.lower()
    if suffix == ".krn":
        found = re.search(r"^!!!YEC:\s*(.+)$", head, re.MULTILINE)
        terms = re.findall(r"^!!!YEM:\s*(.+)$", head, re.MULTILINE)  # the terms, in full
        statement = "; ".join([found.group(1), *terms]) if found else ""
    elif suffix == ".abc":
        comments = [
            line.lstrip("% ")
            for line in head.split("X:", 1)[0].splitlines()
            if line.startswith("%")
        ]
        hits = [c for c in comments if re.search(r"copyright|licen[cs]e|public domain", c, re.I)]
        statement = hits[0] if hits else ""
        if "GNU General Public License" in " ".join(comments):
            statement = f"{statement}; GNU GPL" if "GNU" not in statement else statement
    else:
        found = re.search(r"<rights[^>]*>(.*?)</rights>", head, re.DOTALL)
        statement = found.group(1) if found else ""
    return _clean(statement, limit=10_000)


def licence_note(folder: Path, files: Sequence[Path]) -> str:
    """What the collection in ``folder`` says about its licence, in one line."""
    own = _folder_licence(folder)
    if own:
        return own
    statements = Counter(s for s in map(_embedded_licence, files) if s)
    if not statements:
        return GENERAL_LICENCE
    text, count = statements.most_common(1)[0]
    if count == len(files):
        return f'"{text}" (file headers)'
    return f'{count} of {len(files)} files: "{text}"; rest: music21/corpus/license.txt'
