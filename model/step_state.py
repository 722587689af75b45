"""What a request's step loop carries from one step to the next (:class:`TakesSoFar`) and
the tools it reads at every step, made once per request (:class:`StepTools`).

``segue.model.generate`` builds both before its first step; each phase of a step
(``segue.model.step_phases``) reads the tools and the takes so far, and the note kept at the
end of a step updates the takes. Every array holds one row per take (variation), in the
network's units: ticks for onsets and lengths, vocabulary classes for the fields drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from segue.model.accents import Accents
from segue.model.architecture import Stepper
from segue.model.keys import Key
from segue.model.loop import LoopRows
from segue.model.memory import Matcher
from segue.model.memory_views import ViewMemory
from segue.model.palette import PaletteRows
from segue.model.sampling import Sampler
from segue.model.takes import Turns
from segue.model.vocab import Vocab
from segue.model.voices import Voices


@dataclass(slots=True)
class TakesSoFar:
    """The takes as far as the steps have made them: what the next step reads."""

    voices: Voices
    """The notes still sounding in each take, with their ends and onsets (polyphony)."""
    last_onset: np.ndarray
    """Each take's latest onset (ticks); the clip's last before the first step."""
    made: np.ndarray
    """How many notes each take has so far (heard ones: a folded note is not)."""
    chord_at: np.ndarray
    """The onset of each take's first note (ticks), -1 before it."""
    one_chord: np.ndarray
    """Each take's notes so far all struck at its first onset (``finished_takes``)."""
    budget: np.ndarray
    """How many notes each take is to make (``step_phases._short_of_reduced`` raises it where chords
    are reduced after)."""
    notes_out: np.ndarray
    """Every step's note, per take: onset, pitch (-1: no note), length (ticks), velocity."""
    drawn_out: np.ndarray
    """Every step's note, per take: the network drew its length (not the loop nor a copy)."""
    live: np.ndarray
    """The takes still making notes."""
    previous_vel: np.ndarray
    """Each take's latest velocity class (the network reads it with the next duration)."""
    own_latest: np.ndarray
    """The network played each take's latest note: not the loop's, a turn, a fold nor an
    answer (``finishing_chords``)."""
    h: torch.Tensor
    """The network's output after the latest step."""
    state: Any
    """The network's recurrent state after the latest step."""
    count: int = 0
    """The steps taken."""


@dataclass(frozen=True, slots=True)
class StepTools:
    """What every step of one request reads, made once before its first step."""

    net: Stepper
    """The network's own step (the LSTM's is fused for speed)."""
    vocab: Vocab
    """The model's vocabulary: offset, duration and velocity classes."""
    sample: Sampler
    """Draws a class from logits, at the request's temperature and top-p."""
    generator: np.random.Generator
    """The request's random generator: every draw, in order."""
    greedy: bool
    """Temperature 0: every draw the likeliest."""
    drums: bool
    """A drum model: pads, not pitches; no key."""
    key: Key | None
    """The key the takes keep to, None for none (a drum kit, a key not locked)."""
    in_notes: bool
    """A length in notes (``--notes``): a take of one chord goes on until it has them."""
    time_values: np.ndarray
    """Each offset class's ticks."""
    duration_values: np.ndarray
    """Each duration class's ticks."""
    velocity_values: np.ndarray
    """Each velocity class's velocity (1-127)."""
    loop: LoopRows | None
    """The clip's loop, repeated and varied in each take (``segue.model.loop``), or None."""
    turns: Turns | None
    """Each take's turn and answer (``segue.model.takes``), or None."""
    matcher: Matcher | None
    """The clip memory (``segue.model.memory``), or None where it is off."""
    views: ViewMemory | None
    """The memory's views, for a model without a loop (``segue.model.memory_views``)."""
    palette: PaletteRows | None
    """The clip's palette (``segue.model.palette``), or None."""
    accents: Accents | None
    """The clip's accents, for a model without dynamics of its own (``segue.model.accents``)."""
    by_length: np.ndarray
    """The memory's weight for a copy of each length (``memory.length_weights``)."""
    counts: np.ndarray | None
    """Each take's count of each pitch class so far, the clip's included (the pull towards
    the clip's pitch classes), or None without a pull."""
    pull: float
    """How strongly the pitch classes so far pull the pitch drawn."""
    loudness: tuple[int, int]
    """Where velocity slips stay (``slips.loop_loudness``)."""
