"""What segue says about a part and the model that plays it, one line each: options that
model ignores (``--fills`` for a melodic model, ``--key`` for a kit, ``--program`` for a
drum part), a beat on a melodic channel, a drum model named for a part that is no beat.
``segue generate`` says them all (:func:`part_notices`); ``segue send`` and ``segue live
continue`` say some of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segue.beat_reading import beat_part, not_a_beat
from segue.model.drumming import pulse_beats
from segue.model.keys import parse_key
from segue.model.registry import AUTO, DRUMS
from segue.model.settings import SETTINGS_BY_NAME
from segue.notes import Clip

DRUM_SETTINGS = ("fills", "kit")
"""Settings only the drum model plays (:func:`drum_options_given`)."""
MELODIC_SETTINGS = ("key", "polyphony")
"""Settings a drum part has no use for (:func:`melodic_options_notice`)."""


def _given(settings: dict[str, Any], names: Sequence[str]) -> list[str]:
    given = []
    for name in names:
        setting, value = SETTINGS_BY_NAME[name], settings.get(name)
        if value is not None and str(value).casefold() != str(setting.default).casefold():
            given.append(setting.option)
    return given


def drum_options_given(settings: dict[str, Any]) -> list[str]:
    """The options of the drum model's settings given away from their defaults
    (``--fills phrase``, ``--kit gm``), by name: ``["--fills"]``."""
    return _given(settings, DRUM_SETTINGS)


MELODIC_WHY = {"key": "a kit has no key", "polyphony": "a kit's pads are not voices"}
"""Why each of :data:`MELODIC_SETTINGS` does nothing to a drum part."""


def melodic_options_notice(settings: dict[str, Any]) -> str | None:
    """One line for melodic settings given where a drum model plays the part (None for
    none): --polyphony 1 dropped every hat struck with a kick, and --key was ignored,
    without a word (helper-62). A key is read first: a bad one is its own one line, as
    the bridge says it (helper-67: both lines were printed)."""
    given = [name for name in MELODIC_SETTINGS if _given(settings, (name,))]
    if not given:
        return None
    key = settings.get("key")
    if "key" in given and str(key).strip().casefold() not in ("auto", "off", "none", ""):
        parse_key(str(key))
    options = " and ".join(SETTINGS_BY_NAME[name].option for name in given)
    verb = "has" if len(given) == 1 else "have"
    why = ", and ".join(MELODIC_WHY[name] for name in given)
    return f"{options} {verb} no effect on a drum part: {why}"


def drum_options_notice(given: list[str], seed: Path | None) -> str:
    """One line for drum options given where a melodic model continues (or starts) the
    part: a Drum Rack's clip exported from Live is on channel 1, so segue reads it as a
    melodic part, and the options would be dropped without a word."""
    options = " and ".join(given)
    verb = "has" if len(given) == 1 else "have"
    if seed is None:
        return (
            f"{options} {verb} no effect: without a seed, segue starts a melodic part; give "
            f"--model {DRUMS} to start a drum part"
        )
    return (
        f"{options} {verb} no effect: {seed} was read as a melodic part (segue reads drums "
        f"from MIDI channel 10); give --model {DRUMS} to continue it as drums"
    )


def track_drum_options_notice(given: list[str]) -> str:
    """One line for drum options given where a melodic model continues a clip in Live: its
    track has no Drum Rack (``segue live continue``)."""
    options = " and ".join(given)
    return (
        f"{options} {'has' if len(given) == 1 else 'have'} no effect: a melodic model "
        f"continues the clip (its track has no Drum Rack; give --model {DRUMS} to continue it "
        "as drums)"
    )


def beat_notice(seed: Path, part: str = "a drum beat") -> str:
    """One line for a seed read as a melodic part that looks like a General MIDI beat
    (``part``: "a hat part" or "a ride part" for one without a kick,
    ``segue.beat_reading.beat_part``)."""
    return (
        f"{seed} looks like {part} on a melodic MIDI channel (a Drum Rack's clip "
        f"exports on channel 1; segue reads drums from channel 10), so a melodic model "
        f"continues it; give --model {DRUMS} to continue it as drums"
    )


def beat_drums_notice(seed: Path, part: str = "a drum beat") -> str:
    """One line for a seed read as a melodic part that ``auto`` gave the drum model, as
    the beat it looks like (``segue.model.choice.beat_or_not``), and how to have it played
    as notes."""
    return (
        f"{seed} looks like {part} on a melodic MIDI channel (a Drum Rack's clip exports on "
        f"channel 1), so the drum model continues it on that channel; give --model producer "
        "(or another melodic model) to continue it as notes"
    )


def drum_model_notice(seed: Path, model: str, why: str) -> str:
    """One line for a drum model named for a part that does not look like a beat, and
    ``why`` (``segue.beat_reading.not_a_beat``): `--model drums` on a lead played drum pads on the
    lead's instrument without a word (a Drum Rack's beat exported on channel 1 is what it
    is for). It says what is known, not that the part is melodic: a conga loop has no
    kick, and a Drum Rack's pads lie off General MIDI's drums (helper-71)."""
    return (
        f"{model} is a drum model: it plays the notes of {seed}, which do not look like a "
        f"General MIDI beat ({why}), as drum pads on the part's channel and instrument; for "
        "a melodic part, continue it with a melodic model or auto"
    )


def program_notice(program: str) -> str:
    """One line for --program given for a drum part, whose hits stay on the drum channel."""
    return (
        f"--program {program} has no effect on a drum part: its hits stay on the drum channel "
        "(10), where a synth plays a drum kit, not an instrument, and the part's own kit is "
        "kept; choose the kit in your synth or Drum Rack"
    )


@dataclass(frozen=True)
class Casting:
    """A part and the model cast to play it: what :func:`part_notices` reads. These travel
    together from the seed's reading and the model's choice to every notice about them."""

    seed: Path | None
    """The seed file (None: a part started from nothing)."""
    clip: Clip
    """The seed's notes (empty without a seed)."""
    drums: bool
    """The seed was read from the drum channel."""
    asked: str | None
    """The model asked for (None or ``auto``: segue's choice)."""
    name: str
    """The model chosen."""
    kit: bool
    """The chosen model is a drum model."""


def part_notices(
    casting: Casting, settings: dict[str, Any], program: str | None = None
) -> list[str]:
    """The lines ``segue generate`` says before it plays ``casting``, in order (none for a
    part and model that fit): melodic options a kit ignores, drum options a melodic model
    ignores, or else a beat on a melodic channel or a drum model named for a part that is
    no beat, and ``--program`` (``program``) for a drum part. A bad ``--key`` for a kit
    raises its own one line (:func:`melodic_options_notice`)."""
    lines = []
    given = drum_options_given(settings)
    melodic = melodic_options_notice(settings) if casting.kit else None
    if melodic:
        lines.append(melodic)
    if given and not casting.kit:  # only a drum model plays them
        lines.append(drum_options_notice(given, casting.seed))
    elif casting.seed is not None and not casting.drums and len(casting.clip):
        lines.extend(_beat_notices(casting, casting.seed))
    if program is not None and casting.drums:
        lines.append(program_notice(program))
    return lines


def _beat_notices(casting: Casting, seed: Path) -> list[str]:
    """A melodic channel's seed: whether it looks like a beat, and to which model."""
    notes = casting.clip.notes
    pulse = pulse_beats(casting.clip.time_signature)  # a 12/8 brush feel's dotted quarter
    part = beat_part([(n.start, n.pitch) for n in notes], pulse)
    if part and not casting.kit:
        return [beat_notice(seed, part)]
    if part and casting.asked in (None, AUTO):  # auto's drum model: the beat it looks like
        return [beat_drums_notice(seed, part)]
    if casting.kit and casting.asked not in (None, AUTO):
        why = not_a_beat(((n.start, n.pitch) for n in notes), pulse)
        if why:
            return [drum_model_notice(seed, casting.name, why)]
    return []


def named_drums_notice(seed: Path | None, clip: Clip, drums: bool, asked: str | None) -> str | None:
    """``segue send``'s line, before it sends, for the bundled drum model named for a part
    read as melodic that does not look like a beat (:func:`drum_model_notice`: of a drum
    model of the user's own nothing is known); None elsewhere."""
    if seed is None or drums or not len(clip) or asked is None or asked.casefold() != DRUMS:
        return None
    pulse = pulse_beats(clip.time_signature)  # a 12/8 brush feel's dotted quarter
    why = not_a_beat(((n.start, n.pitch) for n in clip.notes), pulse)
    return drum_model_notice(seed, asked, why) if why else None


def sent_part_notice(
    seed: Path | None,
    clip: Clip,
    drums: bool,
    asked: str | None,
    played: str,
    drum_options: list[str],
) -> tuple[str, bool] | None:
    """``segue send``'s line once the bridge says which model ``played`` (auto gives a beat
    the drum model; "" from an older bridge), and whether it holds only where a melodic
    model played (a model of the user's own may be a drum model): the drum options given
    for a melodic part, or else a beat on a melodic channel; None for none."""
    kit = played.casefold() == DRUMS
    if drum_options and not drums and not kit:
        return drum_options_notice(drum_options, seed), True
    if seed is None or drums:
        return None
    pulse = pulse_beats(clip.time_signature)
    part = beat_part([(n.start, n.pitch) for n in clip.notes], pulse)
    if part and not kit:
        return beat_notice(seed, part), True
    if part and (asked or AUTO).casefold() == AUTO:
        return beat_drums_notice(seed, part), False
    return None
