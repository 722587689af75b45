"""What ``segue memory`` fits and says: the checkpoint it reads and the one it writes,
refused in one line before any fit (:func:`memory_paths`), and the lines of the palette's
gain (:func:`palette_line`) and the clips `auto` gives the model (:func:`home_line`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from segue.errors import SegueError
from segue.files import check_writable
from segue.model.registry import (
    BUNDLED_DIR,
    NAME_PATTERN,
    find_model,
    run_checkpoint,
    written_as_path,
)


def memory_paths(
    checkpoint: Path, output: Path | None, in_place: bool, force: bool
) -> tuple[Path, Path]:
    """The checkpoint read (a .pt file, a run folder, or an installed model by name, as
    generate and eval take it: helper-50) and the one written (``output``, or itself with
    ``in_place``): one of the two given, never a bundled model, an existing ``output``
    only with ``force``, and a place that can be written."""
    name = str(checkpoint)
    if checkpoint.exists() or written_as_path(name) or not NAME_PATTERN.match(name):
        source = run_checkpoint(checkpoint)
        if not source.exists():
            raise SegueError(f"{source}: no such checkpoint file")
    else:
        source = find_model(name)
    if (output is None) == (not in_place):
        raise SegueError("give either -o OUTPUT or --in-place")
    target = source if in_place or output is None else output
    if target.resolve().parent == BUNDLED_DIR.resolve():
        raise SegueError(
            f"{target} is one of the models bundled with segue, which segue never rewrites; "
            "write the fit to a new file with -o, then `segue models add` it"
        )
    if not in_place and target.exists() and not force:
        raise SegueError(f"{target} already exists; use --force to replace it")
    check_writable([target])
    return source, target


def palette_line(split: str, gain: dict[str, Any]) -> str:
    """The palette's gain on ``split``'s continuations (``segue.model.palette_fit``)."""
    return (
        f"palette on: the {split} split's continuations (o+p+d, {gain['windows']:,} "
        f"windows) {gain['without']:.3f} -> {gain['with']:.3f} nats/note"
    )


def home_line(split: str, home: dict[str, Any] | None) -> str:
    """How much the model's own ``split`` clips surprise it, the clips `auto` gives it
    (``segue.model.choice.record_home_surprise``; None: no clip of 4 bars, any clip)."""
    if home is None:
        return f"no clip of 4 bars in the {split} split: `auto` will give it any clip"
    return (
        f"its own {split} clips surprise it {home['p50']:.2f} nats/note (median), "
        f"{home['p95']:.2f} at most for 95% ({home['clips']:,} clips of 4 bars): `auto` "
        "gives it clips like them"
    )
