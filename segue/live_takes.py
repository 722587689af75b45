"""The takes ``segue live continue`` plays for the clip Live sends (:class:`LiveTakes`: the
``generate`` that ``segue.bridge.live_continue.continue_in_live`` calls), and the lines it
says of the clip it read and the clips it wrote (:func:`source_line`, :func:`written_line`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from segue.bridge.live_continue import LiveContinuation, WrittenClip, place
from segue.bridge.values import counted
from segue.model.settings import GenerationParams, check_length
from segue.notes import Clip
from segue.part_notices import track_drum_options_notice
from segue.shown_names import shown_name
from segue.take_notices import take_notices

if TYPE_CHECKING:  # the network's modules (torch): loaded when a clip is continued
    from segue.model.choice import ModelChooser
    from segue.model.generate import GenerationResult


@dataclass(frozen=True)
class Played:
    """Who played the takes: the model's file, whether the clip's track drums, whether the
    model is a drum model, and the takes' rng seed and key (", key A minor", or "")."""

    path: Path
    drums: bool
    kit: bool
    rng_seed: int
    key: str


@dataclass
class LiveTakes:
    """Plays the takes of the clip Live sends, with ``params``, by the model ``chooser``
    chooses for it; ``given``: the drum options given (``part_notices.drum_options_given``),
    said through ``say`` where a melodic model continues the clip. After a run, ``played``
    says who played, and ``notices`` what to say of the takes (as ``segue generate`` says
    it; takes alike not again where ``said_same`` said so before)."""

    chooser: ModelChooser
    params: GenerationParams
    given: list[str]
    said_same: bool
    say: Callable[[str], None]
    played: Played | None = None
    notices: list[str] = field(default_factory=list)

    def __call__(self, seed_clip: Clip, drums: bool, downbeat: float | None) -> GenerationResult:
        """The takes of ``seed_clip`` (``drums``: its track drums), bar 1 at ``downbeat``
        after a pickup, as the clip's markers say it, unless --downbeat said it."""
        from segue.model.generate import generate

        params = self.params
        told = replace(params, downbeat=downbeat) if params.downbeat is None else params
        _, loaded = self.chooser.choose(seed_clip, drums)
        kit = bool(loaded.model.config.drums)
        if self.given and not kit:  # only a drum model plays them
            self.say(track_drum_options_notice(self.given))
        check_length(params, seed_clip.time_signature)  # as the bridge holds the device
        made = generate(loaded.model, seed_clip, told)
        key = f", key {made.key}" if made.key else ""
        self.played = Played(loaded.path, drums, kit, made.rng_seed, key)
        bar = seed_clip.time_signature.beats_per_bar
        # as segue generate says them; no take is cut at a share of notes here (check_length)
        self.notices = take_notices(made, 0, params, bar, kit, self.said_same)
        return made


def source_line(result: LiveContinuation, downbeat: float | None) -> str:
    """What ``segue live continue`` says of the clip it read: its slot, name, notes (and
    those left out), length, meter and pickup (``downbeat``: --downbeat's, else the
    clip's markers'), or that the clip was silent."""
    source = result.source
    left = f" ({result.left_out} muted or outside the loop left out)" if result.left_out else ""
    downbeat = source.downbeat if downbeat is None else downbeat
    pickup = f", a pickup of {counted(downbeat, 'beats')} before bar 1" if downbeat else ""
    return (
        f"{place(source.track, source.scene)}: clip {shown_name(source.name or '(no name)')}, "
        f"{counted(len(result.seed), 'notes')}{left}, {source.length:g} beats of "
        f"{source.time_signature}{pickup}" + ("; continued from silence" if not result.seed else "")
    )


def written_line(clip: WrittenClip) -> str:
    """What ``segue live continue`` says of a clip it wrote: its slot, name, notes, length."""
    return (
        f"  {place(clip.track, clip.scene)}: {shown_name(clip.name)}, {clip.notes} notes, "
        f"{clip.length:g} beats"
    )
