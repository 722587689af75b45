"""Request plans built as ``generate`` builds them (``segue.model.request_plan``), on tiny
untrained networks: for the tests of what reads a plan."""

from __future__ import annotations

import numpy as np
import torch

from segue.grid import clip_rows
from segue.model.architecture import ModelConfig, Network
from segue.model.feel import as_heard, as_written, hearing_of, written_ends
from segue.model.loop import CELLS
from segue.model.lstm import SegueLSTM
from segue.model.request_plan import RequestPlan, plan_request, resolve_key
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note, TimeSignature

LINE = (60, 62, 64, 65, 67, 65, 64, 62)


def tiny_net(drums: bool = False, loops: bool = False) -> Network:
    """A tiny untrained network (``loops``: with a loop table)."""
    torch.manual_seed(0)
    loop = (0.5,) * CELLS if loops else ()
    return SegueLSTM(ModelConfig(hidden=32, embed=8, layers=1, drums=drums, loop=loop)).eval()


def planned(model: Network, clip: Clip, **settings: object) -> RequestPlan:
    """The plan ``generate`` reads for ``clip``, the clip read as it reads it."""
    params = GenerationParams(**settings).validated()  # type: ignore[arg-type]
    drums = model.config.drums
    hearing = hearing_of(clip, drums)
    written = None if drums else written_ends(clip, hearing)
    read = as_heard(clip, hearing) if written is None else as_written(clip, hearing, written)
    key = None if drums else resolve_key(params.key, read)
    rows = clip_rows(read).astype(np.int64)
    return plan_request(model, clip, read, hearing, rows, params, key, None)


def eighths(bars: int = 2, beats: int = 4, length: float = 0.5) -> Clip:
    """A line of 8ths up and down C major's first five notes, ``bars`` of ``beats``/4."""
    notes = tuple(Note(LINE[i % 8], i * 0.5, length, 90) for i in range(bars * beats * 2))
    return Clip(notes, float(bars * beats), TimeSignature(beats, 4))
