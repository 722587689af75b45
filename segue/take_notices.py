"""What segue says about the takes a model played, one line each: takes cut at their share
of a request's notes, a range with no room for the part's shape, a slip of the finger kept
in the key, takes that came out alike. ``segue generate`` says them after its takes
(:func:`take_notices`); ``segue send`` says the cut (:func:`cut_notice`)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from segue.bridge.lengths import capped
from segue.bridge.values import counted
from segue.model.drum_touches import length_setting, takes_notice
from segue.model.settings import MAX_REQUEST_NOTES, GenerationParams, notes_per_variation

if TYPE_CHECKING:  # the network's module (torch): loaded by the commands that generate
    from segue.model.generate import GenerationResult


def cut_notice(cut: int, variations: int) -> str | None:
    """What to say when ``cut`` of ``variations`` takes were cut at their share of notes
    (``segue.bridge.lengths.capped``, in ``generate`` and the bridge alike), None for none:
    a take cut at 510 notes of its 512 was 22 bars of 64 asked, without a word (helper-62)."""
    if not cut:
        return None
    most = notes_per_variation(variations)
    if variations == 1:  # its own cap: fewer variations would not help (helper-67)
        return (
            f"the variation was cut at {most} notes, segue's most for one, and ends early: ask "
            "for a shorter length"
        )
    which = "the variations were" if cut == variations else f"{cut} of {variations} variations were"
    return (
        f"{which} cut at {most} notes, segue's most for "
        f"{counted(variations, 'variations')} ({MAX_REQUEST_NOTES} a request), and end "
        "early: ask for fewer variations or a shorter length"
    )


def capped_takes(result: GenerationResult) -> tuple[GenerationResult, int]:
    """``result`` with each take cut at its share of notes, as the bridge cuts it
    (``segue.bridge.lengths.capped``), and how many takes were cut."""
    kept = capped(result.variations)
    cut = sum(a is not b for a, b in zip(result.variations, kept, strict=True))
    return replace(result, variations=kept), cut


def take_notices(
    result: GenerationResult,
    cut: int,
    params: GenerationParams,
    bar: float,
    kit: bool,
    said_same: bool,
) -> list[str]:
    """The lines to say after the takes of ``result`` (:func:`capped_takes`, ``cut`` of
    them cut), in order, asked with ``params`` in bars of ``bar`` beats (the seed's), of a
    drum model or not (``kit``): the cut,
    a range with no room for the part's shape, a note played once off the key of all the
    others (``--key auto`` keeps it), and takes alike, unless ``said_same`` said before
    that they would be (``-t 0``)."""
    lines = [
        cut_notice(cut, len(result.variations)),
        result.shape_notice(),
        result.slip_notice(kit),
    ]
    if not said_same:
        clips = [v.clip for v in result.variations]
        length = length_setting(params.beats, params.notes)  # the one given names the advice
        hot, memory = params.temperature, params.memory
        lines.append(takes_notice(clips, kit, True, length, bar, hot, memory))
    return [line for line in lines if line]
