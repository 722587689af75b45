"""Nothing is lost by ``--replace``: the installed model of a name against a tuning cut short.

A tuning that replaces the musician's own model of the same name (``segue tune --replace``)
and is stopped (Ctrl-C) or runs out of its time budget may be worse than the model it would
replace: a model tuned for 252 steps (held-out loss 4.238) was replaced by one stopped after
10 (6.993 on the same held-out song, helper-122). The installed model is scored on the same
held-out pieces as the tuning scored itself (:func:`installed_loss`), and kept where it does
better (:func:`kept_line` says so). A tuning that ran its course (it stopped improving)
replaces it as asked: the installed model may have learnt the pieces now held out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from segue.errors import SegueError
from segue.home import user_models_dir
from segue.model.checkpoint import load_checkpoint
from segue.model.choice import is_drum_model
from segue.model.training.batches import encode_pieces
from segue.model.tuning.fit import HELD_OUT_BATCH, Tuned, TuneSettings, held_out_loss
from segue.model.tuning.material import Piece

CUT_SHORT = ("stopped", "time")
"""How a tuning ends where the installed model it would replace is scored against it: asked
to stop, or out of time (not when it stopped improving)."""


def installed_loss(
    name: str, held: Sequence[Piece], settings: TuneSettings, drums: bool
) -> float | None:
    """The held-out loss (nats per note, the network alone) of the user model ``name`` on
    ``held``, as a tuning scores itself; None where none is installed, it is of the other
    kind (drums or not), or it cannot be read (then it is replaced)."""
    path = user_models_dir() / f"{name}.pt"
    if not path.exists():
        return None
    try:
        loaded = load_checkpoint(path)
        if is_drum_model(loaded) != drums:
            return None
        data = encode_pieces(
            [p.rows for p in held], [p.bar_ticks for p in held], loaded.config.vocab
        )
        loss = held_out_loss(
            loaded.model, data, settings.window, HELD_OUT_BATCH, torch.device("cpu")
        )
    except (SegueError, OSError, ValueError, KeyError, RuntimeError):
        return None
    return loss if math.isfinite(loss) else None


def kept_line(name: str, installed: float, tuned: Tuned, budget: float) -> str:
    """The one line that says the installed ``name`` was kept, and why."""
    how = "stopped" if tuned.status == "stopped" else f"its time budget of {budget:g} s spent"
    steps = f"{tuned.steps} step{'' if tuned.steps == 1 else 's'} in {tuned.seconds:.0f} s"
    return (
        f"kept the installed {name}: its held-out loss {installed:.3f} nats/note is lower "
        f"than this tuning's {tuned.after:.3f} ({steps}, {how}); {name} was not replaced "
        "(tune longer to pass it)"
    )
