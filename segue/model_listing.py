"""What ``segue models`` lists (:func:`listing_lines`): each installed model's row (the
default marked, its source, size and summary, or why it cannot be used), the ``.pt`` files
it does not take as models, names that are one file on macOS and Windows, which model is
the default, and where your models live."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from segue.errors import SegueError

if TYPE_CHECKING:
    from segue.model.registry import ModelEntry


def listing_lines(models_dir: Path | None, auto_choice: str) -> list[str]:
    """The lines of the listing of the models installed, and of ``models_dir``'s too;
    ``auto_choice``: how auto chooses, said where it is the default."""
    from segue.home import HOME_VARIABLE, user_models_dir
    from segue.model.registry import AUTO, DEFAULT_MODEL, list_models

    entries = list_models(models_dir)
    built: dict[str, Any] = {}  # the shapes of weights, by settings: each built once
    rows = [
        (e.name, e.source, f"{e.size_bytes / 1e6:.1f} MB", model_summary(e, built)) for e in entries
    ]
    marks = ["*" if entry.name == DEFAULT_MODEL else " " for entry in entries]
    lines = [f"{mark} {line}" for mark, line in zip(marks, columns(rows, right={2}), strict=True)]
    lines += unlisted_lines(models_dir, entries)
    if not entries:
        lines.append("no models installed")
    elif DEFAULT_MODEL == AUTO:
        lines.append(f"the default: {AUTO} ({auto_choice})")
    else:
        lines.append("(* = the default)")
    lines.append(f"your models: {user_models_dir()} (set {HOME_VARIABLE} to move segue's home)")
    return lines


def model_summary(entry: ModelEntry, built: dict[str, Any]) -> str:
    """The summary a model's checkpoint records, or why it cannot be used and how to remove
    it: one broken file must not hide the others (``built``: the shapes of weights already
    built, by settings, shared by the rows)."""
    from segue.home import user_models_dir
    from segue.model.checkpoint import WeightsMisfit, fitting_weights, read_checkpoint

    try:
        payload = read_checkpoint(entry.path)
        unfit = fitting_weights(payload, entry.path, built)
        if unfit is not None:
            raise unfit
        info = payload.get("info", {})
        return str(info.get("summary", "")) if isinstance(info, dict) else ""
    except WeightsMisfit as exc:  # its own way out said in it
        return f"unusable: {str(exc).removeprefix(f'{entry.path}: ')}"
    except SegueError as exc:
        reason = str(exc).removeprefix(f"{entry.path}: ")
        ways = (
            f"`segue models remove {entry.name}` removes it"
            if entry.source == "user" and entry.path.parent == user_models_dir()
            else f"delete {entry.path} to remove it"
        )
        return f"unreadable ({reason}); {ways}"


def unlisted_lines(models_dir: Path | None, entries: Sequence[ModelEntry]) -> list[str]:
    """The ``.pt`` files whose names segue does not take, each with a name it would (each
    file its own), then the models whose names are one file on macOS and Windows."""
    from segue.model.registry import NAME_RULE, case_twins, name_for, untaken_files

    lines, suggested = [], set[str]()
    for path in untaken_files(models_dir):
        name = name_for(path.stem, path.parent, suggested)
        suggested.add(name)
        lines.append(
            f"  not listed: {path} (a model's name is {NAME_RULE}); rename it, e.g. to {name}.pt"
        )
    for twins in case_twins(entries):
        lines.append(
            f"  one name on macOS and Windows: {' and '.join(e.name for e in twins)} in "
            f"{twins[0].path.parent}, of which a copy there keeps one; rename all but one"
        )
    return lines


def columns(rows: Sequence[Sequence[str]], right: set[int] | None = None) -> list[str]:
    """``rows`` as lines of aligned columns, each as wide as its widest cell (``right``: the
    columns aligned to the right), the last one as it is: names longer than a set width
    pushed the columns after them out of line."""
    widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
    return [
        "  ".join(
            cell if i == len(row) - 1 else cell.rjust(w) if i in (right or set()) else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
