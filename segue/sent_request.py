"""What ``segue send`` asks a bridge: the generation options given, checked as ``segue
generate`` checks them, as the bridge's parameters (:func:`sent_params`), a drum part's own
(:func:`drum_part_params`), and the lines said before it asks (:func:`before_sending`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from segue.errors import SegueError
from segue.model.registry import AUTO, DRUMS
from segue.model.settings import DRAWN_SEEDS, ONE_OF, SETTINGS_BY_NAME
from segue.part_notices import melodic_options_notice


def sent_params(
    settings: dict[str, Any], model_name: str | None, downbeat: float | None
) -> dict[str, object]:
    """The generation options given (``settings``; None: not given, the bridge's default
    then) as the bridge's parameters, with ``model_name`` where one is named; each checked
    first, ``downbeat`` (the seed's, said in its upload) before the rest."""
    if downbeat is not None:
        SETTINGS_BY_NAME["downbeat"].check_option(downbeat)
    given = {name: value for name, value in settings.items() if value is not None}
    for group in ONE_OF:
        group.check(given)
    for name, value in given.items():  # as generate checks them: --bars 0 is the bridge's
        if name in SETTINGS_BY_NAME:  # "not in use", and 4 bars came back without a word
            SETTINGS_BY_NAME[name].check_option(value)  # (helper-51)
    if given.get("rng_seed", 0) >= DRAWN_SEEDS:
        raise SegueError(
            f"--rng-seed {given['rng_seed']} cannot go through the bridge: an OSC message "
            f"carries 32-bit numbers, so at most {DRAWN_SEEDS - 1} (segue's own seeds are)"
        )
    return given if model_name is None else {**given, "model": model_name}


def drum_part_params(
    params: dict[str, object], drums: bool, model_name: str | None
) -> dict[str, object]:
    """``params`` for a drum track, as the device says it: ``drums`` on, and auto's drum
    model unless one is named (the bridge's own default may be a melodic model)."""
    if not drums:
        return params
    return (
        {**params, "drums": 1} if model_name is not None else {**params, "drums": 1, "model": AUTO}
    )


def before_sending(
    same: str | None, settings: dict[str, Any], drums: bool, model_name: str | None
) -> Iterator[str]:
    """The lines said before the bridge is asked, in order: ``same`` (every take will be
    the same), then the melodic options given where a drum model plays the part (a bad
    ``--key`` is its own error, after the line before it)."""
    if same:
        yield same
    melodic = melodic_options_notice(settings) if drums or model_name == DRUMS else None
    if melodic:
        yield melodic
