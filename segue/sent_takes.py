"""The takes a bridge sent back to ``segue send``: the clips it writes of them
(:func:`sent_clips`), the lines it prints of them (:func:`sent_lines`) and the lines it says
of them after (:func:`sent_take_notices`), as
``segue generate`` says them of its own; ``settings``: the generation options as given
(None where not given, the bridge's default then)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from segue.bridge.client import BridgeResult
from segue.bridge.values import counted
from segue.generated_takes import take_line
from segue.model.drum_touches import length_setting, takes_notice
from segue.model.registry import DRUMS
from segue.model.settings import GenerationParams
from segue.model.voices import seed_and_take, voice_limit
from segue.model.wrong_notes import asked_slip_notice
from segue.notes import Clip
from segue.take_notices import cut_notice


def sent_clips(
    result: BridgeResult,
    seed_clip: Clip,
    settings: dict[str, Any],
    drums: bool,
    include_seed: bool,
) -> list[Clip]:
    """One clip per take of ``result``: the take alone, or with ``include_seed`` the seed and
    the take held to the voices asked (``--polyphony``), as ``generate``'s ``clips()`` has it."""
    if not include_seed:
        return [v.clip for v in result.variations]
    asked = int(settings.get("polyphony") or 0)
    limit = voice_limit(asked, seed_clip.notes, drums)
    return [seed_and_take(seed_clip, v.clip, v.start, limit) for v in result.variations]


def sent_lines(
    host: str, port: int, result: BridgeResult, clips: list[Clip], paths: list[Path]
) -> list[str]:
    """What ``segue send`` prints of the takes written: the bridge that played them (its
    model, the takes, its time and the round trip, the rng seed and key), then each file
    with its notes and bars."""
    by = f", model {result.model}" if result.model else ""
    key = f", key {result.key}" if result.key else ""
    lines = [
        f"bridge {host}:{port}{by}: {counted(len(clips), 'variations')}, "
        f"{result.server_ms:.0f} ms in the bridge, {result.round_trip_ms:.0f} ms round trip "
        f"(rng seed {result.rng_seed}{key})"
    ]
    for clip, path in zip(clips, paths, strict=False):
        lines.append(f"  {path}: {take_line(clip, path, None)}")
    return lines


def sent_take_notices(
    result: BridgeResult,
    seed_clip: Clip,
    settings: dict[str, Any],
    drums: bool,
    downbeat: float | None,
    said_same: bool,
) -> list[str]:
    """The lines to say after the takes of ``result`` (``drums``: the seed is a drum part;
    ``downbeat``: where bar 1 lies, as sent), in order: takes cut at their share of notes,
    a slip of the finger ``--key auto`` kept, and takes alike, unless ``said_same`` said
    before that they would be (``-t 0``)."""
    lines = [_cut(result, seed_clip, settings)]
    kit = drums or result.model.casefold() == DRUMS  # the drum model played it
    lines.append(asked_slip_notice(seed_clip, settings.get("key"), kit, downbeat))
    if not said_same:
        lines.append(_alike(result, seed_clip, settings, drums))
    return [line for line in lines if line]


def _cut(result: BridgeResult, seed_clip: Clip, settings: dict[str, Any]) -> str | None:
    """A take cut at its share of notes ends at the bar of its last note, before the length
    asked (the bridge's default where none was: helper-67); of --notes nothing is said."""
    if settings.get("notes") is not None or not result.variations:
        return None
    beats_per_bar = seed_clip.time_signature.beats_per_bar
    default_bars = GenerationParams().validated().bars or 0
    length = float(settings.get("beats") or (settings.get("bars") or default_bars) * beats_per_bar)
    cut = sum(v.clip.length < length - 1e-9 for v in result.variations)
    return cut_notice(cut, len(result.variations))


def _alike(result: BridgeResult, seed_clip: Clip, settings: dict[str, Any], drums: bool) -> str:
    """Takes alike, told in the settings as sent (a setting unsent: the bridge's default)."""
    bar = seed_clip.time_signature.beats_per_bar
    setting = length_setting(settings.get("beats"), settings.get("notes"))  # as sent
    told = GenerationParams()

    def sent(name: str) -> float:
        value = settings.get(name)
        return float(getattr(told, name) if value is None else value)

    takes = [v.clip for v in result.variations]
    return takes_notice(takes, drums, True, setting, bar, sent("temperature"), sent("memory"))
