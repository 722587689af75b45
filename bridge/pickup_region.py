"""Where bar 1 lies in the part of a Live clip that plays: after a pickup, or nowhere said.

A Live clip's beat 0 is its position 1.1.1, bar 1. A musician holds a pickup by moving
the start marker (or the loop) back before it: a 4-bar bass after its walk-up of a beat
and a half plays from -1.5 for 17.5 beats, and bar 1 lies 1.5 beats into what plays. Its
notes alone cannot tell that from a phrase that ends mid-bar; the clip's markers can.

A loop of whole bars that starts off the start marker's bar lines (a beat after it) is
read turned to begin on that bar line (:func:`turned_by`, :func:`turn`), as a launched clip
plays its bars.

This is the rule the Max for Live device keeps in ``clipRegion``, ``pickupDownbeat`` and
``seedNotes`` (``max_for_live/segue.js``), for the clips read through AbletonOSC (``segue
live continue``, the bridge's ``/segue/live/continue``); ``tests/test_device.py`` runs both
on the same clips.
"""

from __future__ import annotations

from segue.grid import snap

_EPS = 1e-6


def pickup_downbeat(start: float, length: float, bar: float) -> float | None:
    """Where bar 1 (the clip's beat 0) lies in the part of a clip that plays from ``start``
    for ``length`` beats, in bars of ``bar`` beats: ``-start`` (on the grid) where that part
    begins before bar 1 and whole bars, one or more, follow bar 1 to its end (from -1.5,
    17.5 beats long: bar 1 at 1.5); None where it begins on or after bar 1, or its end
    leaves no whole bars after bar 1."""
    if not bar > 0 or not start < -_EPS or -start > length - bar + _EPS:
        return None
    bars = (length + start) / bar
    return snap(-start) if abs(bars - round(bars)) < _EPS else None


def turned_by(
    looping: bool, loop_start: float, start_marker: float, length: float, bar: float
) -> float:
    """How far (beats, under a bar) a loop of whole bars starts after the start marker's bar
    line: the device turns such a loop to begin on that bar line (helper-48) and tells it no
    downbeat; 0 for a loop on a bar line from the marker, a loop of no whole bars, or a clip
    that does not loop."""
    if not looping or not bar > 0 or abs(length / bar - round(length / bar)) >= _EPS:
        return 0.0
    lead = (loop_start - start_marker) % bar
    return 0.0 if lead < _EPS or bar - lead < _EPS else lead


def clip_downbeat(
    length: float, looping: bool, loop_start: float, start_marker: float, bar: float
) -> float | None:
    """Where bar 1 lies in what a clip plays (its loop when ``looping``, else from its start
    marker, ``length`` beats), as the device tells the bridge: :func:`pickup_downbeat` of
    that part, None for a loop the device turns (:func:`turned_by`)."""
    if turned_by(looping, loop_start, start_marker, length, bar):
        return None
    return pickup_downbeat(loop_start if looping else start_marker, length, bar)


def turn(start: float, length: float, lead: float) -> tuple[float, float]:
    """Where a note that starts ``start`` beats into a loop ``length`` beats long lies in the
    loop turned by ``lead`` beats (:func:`turned_by`) to begin on its bar line, and where the
    loop cuts it (beats), as the device's ``seedNotes`` reads it, in beats before it snaps
    to ticks: a note of the loop's last ``lead`` beats comes first, cut where the loop ends
    (now at ``lead``); the others come ``lead`` later, cut at the turned loop's end. A loop
    not turned (``lead`` 0) cuts its notes at its end."""
    if lead > 0 and start >= length - lead:
        return start + lead - length, lead
    return start + lead, length
