"""Commands segue suggests in its messages, safe to paste into bash, zsh, cmd.exe and
PowerShell: paths quoted as this computer's shell reads them, and a Windows path that no
quoting keeps from every shell, or one that segue's output cannot write as it is, named by a
placeholder, its value said after."""

from __future__ import annotations

import codecs
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

UNQUOTABLE = "$`%\u201c\u201d\u201e"
"""Characters of a Windows path that no quoting keeps from both cmd.exe and PowerShell:
PowerShell reads $ (a variable) and ` (an escape) inside double quotes, and takes the
typographic double quotes “ ” „ (a folder named “Live” sets”, as Word writes it) for ",
which ends them; cmd reads %NAME%, and takes single quotes as part of the word."""


def quoted(path: Path | str | None) -> str | None:
    """A path as this computer's shell reads it: POSIX quoting; on Windows, double quotes
    where cmd.exe or PowerShell would read it otherwise (a space, &, ', ( ...: `rock&roll`
    split cmd's line, and a lone ' opened a PowerShell string), and None for a path with
    a character of :data:`UNQUOTABLE` (see :func:`suggested`)."""
    if path is None:
        return ""
    text = str(path)
    if sys.platform == "win32":
        if any(c in UNQUOTABLE for c in text):
            return None
        plain = all(c.isalnum() or c in "\\/:._-" for c in text)
        return text if plain else f'"{text}"'
    return shlex.quote(text)


def suggested(
    *words: str | tuple[str, Path | str | None], encodings: Sequence[str] | None = None
) -> str:
    """A command to suggest, safe to paste into bash, cmd.exe and PowerShell: each
    (PLACEHOLDER, path) as :func:`quoted` writes it, or, where no quoting serves every
    shell (a Windows folder named `$beats`, which PowerShell read as a variable), as its
    placeholder, the path said after the command. So is a path that one of ``encodings``
    (segue's output's, :func:`output_encodings`) lacks letters of: written with them
    escaped (``\\u65e5``), the pasted command named another path; the words after it say
    what the escapes are."""
    shown: list[str] = []
    named: list[str] = []
    for word in words:
        if isinstance(word, str):
            shown.append(word)
            continue
        placeholder, path = word
        text = quoted(path)
        lacking = unwritable(str(path), output_encodings() if encodings is None else encodings)
        if text is None:
            shown.append(placeholder)
            named.append(f"{placeholder} being {path}")
        elif text and lacking:
            shown.append(placeholder)
            named.append(
                f"{placeholder} being {path}, where each \\x.., \\u.. or \\U.. stands for a "
                f"letter that this {lacking} output cannot write: type the letters themselves"
            )
        elif text:
            shown.append(text)
    line = " ".join(shown)
    return f"{line} ({'; '.join(named)})" if named else line


def output_encodings() -> list[str]:
    """The encodings segue's messages are written in: its stdout's and its stderr's."""
    return [getattr(stream, "encoding", None) or "ascii" for stream in (sys.stdout, sys.stderr)]


def unwritable(text: str, encodings: Sequence[str]) -> str | None:
    """The first of ``encodings`` that cannot write ``text`` as it is (by its usual name,
    such as cp1252), or None where each can. A POSIX file name's undecodable bytes (held as
    lone surrogates) can be: segue's streams write them back as they came in."""
    for encoding in encodings:
        try:
            text.encode(encoding, "surrogateescape")
        except (UnicodeError, LookupError):
            try:  # segue-ascii: ASCII under a name of segue's own (segue.cli.console)
                return codecs.lookup(encoding).name.removeprefix("segue-")
            except LookupError:
                return encoding
    return None
