"""Which models are installed: the bundled defaults, the user's own in segue's home
(:func:`segue.home.user_models_dir`) and those of a folder named with ``--models-dir``.

A model is chosen by name ("melody", "polyphonic", or the file name of a
checkpoint in a models folder). Only the command line also accepts a path;
the bridge never opens a path it was sent.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from segue.errors import SegueError
from segue.home import user_models_dir
from segue.shell import suggested

BUNDLED_DIR = Path(__file__).parent / "defaults"
AUTO = "auto"
"""Not a model: segue chooses one for each clip (``segue.model.choice``)."""
DRUMS = "drums"
"""The model drum clips go to."""
DEFAULT_MODEL = AUTO
"""Every command's default: segue chooses the model for each clip (``segue.model.choice``)."""
NAME_PATTERN = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")  # \Z: no newline at its end
NAME_CHARACTERS = "ASCII letters (a-z, A-Z), digits, '.', '_' and '-'"
"""What a model's name is made of, in words: "letters" alone had a musician's "Zoë" refused
as no name of letters (helper-327)."""
NAME_RULE = f"up to 64 {NAME_CHARACTERS}, starting with a letter or digit"
""":data:`NAME_PATTERN` in words."""
WINDOWS_DEVICES = frozenset(
    [
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789\u00b9\u00b2\u00b3"),
    ]
)
"""Names Windows keeps for devices, whatever their case and extension: a file ``con.pt`` or
``nul.v2.pt`` is no file there (Windows 10 and earlier). COM and LPT take any digit, 0 and the
superscripts ¹ ² ³ too (Windows reads Latin-1's superscript digits as digits)."""


def bundled_name(name: str) -> bool:
    """Whether ``name`` is a bundled model's (or ``auto``), in any case: a user's model of that
    name would hide it everywhere (on macOS and Windows, ``MELODY.pt`` is ``melody.pt``)."""
    folded = name.casefold()
    return folded == AUTO or any(p.stem.casefold() == folded for p in BUNDLED_DIR.glob("*.pt"))


def one_file_there(a: str, b: str) -> bool:
    """Whether file names ``a`` and ``b`` name one file on macOS and Windows, whose file
    systems take a name in any case (and macOS's in either Unicode form, as Finder and a
    terminal write é): ``Bass`` and ``bass``, two files on Linux, are one there, and
    writing the second replaces the first."""
    return _folded(a) == _folded(b)


def _folded(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def case_twin(folder: Path, name: str) -> str | None:
    """The model in ``folder`` whose name is ``name`` written otherwise (``bass`` for
    ``Bass``): one file with it on macOS and Windows, another on Linux. None when there is
    none."""
    stems = sorted(p.stem for p in folder.glob("*.pt")) if folder.is_dir() else []
    return next((s for s in stems if s != name and one_file_there(s, name)), None)


def case_twins(entries: Collection[ModelEntry]) -> list[list[ModelEntry]]:
    """The models of one folder whose names are one file on macOS and Windows (``Bass``
    and ``bass``, made on Linux): copied there, one replaces the other."""
    groups: dict[tuple[Path, str], list[ModelEntry]] = {}
    for entry in entries:
        groups.setdefault((entry.path.parent, _folded(entry.name)), []).append(entry)
    return [group for group in groups.values() if len(group) > 1]


def twin_taken(name: str, twin: str, replacing: str = "") -> str:
    """Why ``name`` is refused beside its :func:`case_twin` ``twin``; ``replacing``: the
    options that replace the twin, where they were asked for."""
    return (
        f"{name!r} differs from your model {twin!r} only in case, and macOS and Windows take "
        "them for one name; choose another name"
        + (f" or replace it ({replacing})" if replacing else "")
    )


RESERVED_NAMES = {
    AUTO: "it is segue's choice of a model for each clip",
    "default": "the device's Model menu names the bridge's own model so",
}
"""Names that mean something else where models are chosen (in any case)."""


def check_new_name(name: str) -> None:
    """One line when ``name`` cannot name a model file that segue writes, on any OS."""
    if not NAME_PATTERN.match(name):
        raise SegueError(f"{name!r} is not a model name: {NAME_RULE}")
    if name.lower().endswith(".pt"):
        raise SegueError(
            f"{name!r} is a file name; name the model without .pt ({name[:-3]!r}): segue adds it"
        )
    reserved = RESERVED_NAMES.get(name.casefold())
    if reserved:
        raise SegueError(f"{name!r} cannot name a model: {reserved}; choose another name")
    device = name.split(".")[0].upper()
    if device in WINDOWS_DEVICES:
        raise SegueError(
            f"{name!r} cannot name a model: Windows keeps {device} for a device (as CON, PRN, "
            "AUX, NUL, COM0-9 and LPT0-9); choose another name"
        )


@dataclass(frozen=True)
class ModelEntry:
    name: str
    path: Path
    source: str  # "bundled" or "user" (segue's home or a --models-dir folder)
    size_bytes: int

    @property
    def card(self) -> Path:
        return self.path.with_suffix(".md")


def list_models(models_dir: str | os.PathLike[str] | None = None) -> list[ModelEntry]:
    """Bundled models, then the user's in segue's home, then those in ``models_dir``: of
    two models with one name, the later wins."""
    entries: dict[str, ModelEntry] = {}
    folders = [(BUNDLED_DIR, "bundled"), (user_models_dir(), "user")]
    if models_dir is not None:
        folder = Path(models_dir)
        if not folder.is_dir():
            raise SegueError(f"{folder}: models folder does not exist")
        folders.append((folder, "user"))
    for folder, source in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.pt")):
            takes = NAME_PATTERN.match(path.stem) if source == "bundled" else _takes(path.stem)
            if takes:
                try:
                    size = path.stat().st_size
                except OSError:  # a link to a drive unplugged, a file removed meanwhile:
                    size = 0  # listed (as unreadable), not a stop for every command
                entries[path.stem] = ModelEntry(path.stem, path, source, size)
    return list(entries.values())


def untaken_files(models_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """The ``.pt`` files in the folders :func:`list_models` reads whose names segue does not
    take as a model's (``my model!.pt``), hidden files apart: they were left out of the
    listing without a word."""
    folders = [user_models_dir(), *([Path(models_dir)] if models_dir is not None else [])]
    return [
        path
        for folder in folders
        if folder.is_dir()
        for path in sorted(folder.glob("*.pt"))
        if not path.name.startswith(".") and not _takes(path.stem)
    ]


def _takes(stem: str) -> bool:
    """Whether segue takes a user's model file of this ``stem`` as the model it names: one
    :func:`check_new_name` takes. ``auto.pt`` was listed as the default, and ``x.pt.pt`` as
    a model ``x.pt`` that ``--model x.pt`` could not find (helper-61)."""
    try:
        check_new_name(stem)
    except SegueError:
        return False
    return True


def name_for(stem: str, folder: Path | None = None, taken: Collection[str] = ()) -> str:
    """A name segue takes, made from a file's ``stem`` (``my model!`` -> ``my-model``): one
    that :func:`check_new_name` takes, that no bundled model has (it would hide it), and that
    names no model in ``folder`` yet (``-2``, ``-3``, ... after it). The listing suggested
    ``drums!.pt`` be renamed ``drums.pt``, hiding the bundled drum model, and ``my bass!.pt``
    ``my-bass.pt``, the name of a model already there: renaming it replaced that one.
    ``taken``: names suggested already (two files were told the same name). A letter with
    an accent is its letter (``Jörg`` -> ``Jorg``): as Finder names it (NFD), ``Jo-rg``
    was suggested, and as a terminal types it (NFC), ``J-rg``."""
    letters = "".join(
        c for c in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(c)
    )
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", letters).strip("-._")[:60].rstrip("-._")
    while base.lower().endswith(".pt"):
        base = base[:-3].rstrip("-._")
    base = base or "model"
    used = {name.casefold() for name in taken}
    if folder is not None and folder.is_dir():
        used |= {p.stem.casefold() for p in folder.iterdir() if p.suffix == ".pt"}
    for number in range(1, 1000):
        name = base if number == 1 else f"{base}-{number}"
        try:
            check_new_name(name)
        except SegueError:
            continue
        if not bundled_name(name) and name.casefold() not in used:
            return name
    return f"model-{secrets.token_hex(3)}"


def stray_card(card: Path, weights: Path, replace: str) -> None:
    """Refuse to write a model's card over a file of that name with no model beside it (a
    musician's own notes, or a card they kept after deleting its weights): installing
    overwrote it without a word (helper-50). ``replace``: the option that allows it."""
    if card.exists() and not weights.exists():
        raise SegueError(
            f"{card} is there without a model beside it (your own file?); choose another "
            f"name, or move it away (or give {replace} to write the new card over it)"
        )


def model_called(path: str | os.PathLike[str]) -> str:
    """How a message names the model in ``path``: "model 'bass'" for a file in a models
    folder (bundled, segue's home), else "this checkpoint"."""
    p = Path(path)
    if p.suffix == ".pt" and p.parent in (BUNDLED_DIR, user_models_dir()):
        return f"model {p.stem!r}"
    return "this checkpoint"


def how_to_replace(path: str | os.PathLike[str]) -> str:
    """What to do about the damaged model file ``path``: how to remove it, and to make it
    again."""
    p = Path(path)
    if p.parent == BUNDLED_DIR:
        return "install segue again to restore it"
    if p.suffix == ".pt" and p.parent == user_models_dir():
        return f"remove it (`segue models remove {p.stem}`), then tune or add it again"
    return "replace it with a good copy, or train, tune or add it again"


def run_checkpoint(path: str | os.PathLike[str]) -> Path:
    """The checkpoint ``path`` names: a file as it is, a run folder of ``segue train`` by
    its ``best.pt``. A run stopped before its first epoch ended has only ``last.pt``:
    that is said, with the two ways on, rather than that best.pt is missing."""
    p = Path(path)
    if not p.is_dir():
        return p
    if (p / "best.pt").exists():
        return p / "best.pt"
    if (p / "last.pt").exists():
        raise SegueError(
            f"{p}: no best.pt yet, as no epoch of its training has finished; carry on with "
            f"`{suggested('segue train -o', ('RUN', p), '--resume')}`, or use {p / 'last.pt'} "
            "as it is"
        )
    raise SegueError(f"{p}: a folder without best.pt; name a .pt checkpoint file")


def written_as_path(name: str) -> bool:
    """Whether ``name`` is written as a file's path (a folder in it, or ending in .pt), not
    as a model's name: ``run/best.pt`` and ``mine.pt`` are files, ``mine`` a model."""
    return "/" in name or os.sep in name or name.endswith(".pt")


def find_model(
    name: str | None = None,
    models_dir: str | os.PathLike[str] | None = None,
    allow_path: bool = False,
) -> Path:
    """The checkpoint file for a model name (or, with ``allow_path``, a path).

    A run folder written by ``segue train`` counts as a path: its ``best.pt``
    is used. An installed model's name names that model even where a folder of that
    name lies in the current folder (a producer's project holds ``drums/``); ``./drums``
    names the folder.
    """
    name = name or DEFAULT_MODEL
    as_path = written_as_path(name)
    if allow_path and (
        as_path or (Path(name).is_dir() and all(e.name != name for e in list_models(models_dir)))
    ):
        path = run_checkpoint(name)
        if not path.exists():
            raise SegueError(f"{path.absolute()}: no such model file")
        return path
    install = (
        f"install that file with `{suggested('segue models add', ('FILE', name), '--name NAME')}`"
        " and use NAME"
    )
    if not NAME_PATTERN.match(name):
        raise SegueError(
            f"{name!r} is not a model name ({NAME_CHARACTERS})"
            + (f"; {install}" if as_path and not allow_path else "")
        )
    for entry in list_models(models_dir):
        if entry.name == name:
            return entry.path
    if as_path and not allow_path:  # mine.pt: no model's name ends in .pt (check_new_name)
        raise SegueError(f"{name!r} is a file's name, not a model's; {install}")
    known = ", ".join(e.name for e in list_models(models_dir)) or "none installed"
    if allow_path and Path(name).is_file():  # (the bridge's names never look at files)
        raise SegueError(
            f"{name} is a file, not a model: a model is an installed name ({known}) or a "
            "checkpoint (.pt) that `segue train` wrote"
        )
    twin = next((e.name for e in list_models(models_dir) if one_file_there(e.name, name)), None)
    case = f"; a name's case counts: did you mean {twin!r}?" if twin else ""
    raise SegueError(f"no model named {name!r} (installed: {known}){case}")
