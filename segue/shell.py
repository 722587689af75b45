"""Commands segue suggests in its messages, safe to paste into bash, zsh, cmd.exe and
PowerShell: paths quoted as this computer's shell reads them, and a Windows path that no
quoting keeps from every shell named by a placeholder, its value said after."""

from __future__ import annotations

import shlex
import sys
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


def suggested(*words: str | tuple[str, Path | str | None]) -> str:
    """A command to suggest, safe to paste into bash, cmd.exe and PowerShell: each
    (PLACEHOLDER, path) as :func:`quoted` writes it, or, where no quoting serves every
    shell (a Windows folder named `$beats`, which PowerShell read as a variable), as its
    placeholder, the path said after the command."""
    shown: list[str] = []
    named: list[str] = []
    for word in words:
        if isinstance(word, str):
            shown.append(word)
            continue
        placeholder, path = word
        text = quoted(path)
        if text is None:
            shown.append(placeholder)
            named.append(f"{placeholder} being {path}")
        elif text:
            shown.append(text)
    line = " ".join(shown)
    return f"{line} ({'; '.join(named)})" if named else line
