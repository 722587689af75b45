"""Whether any take's note of a step reaches a phrase's last bars: the question a step of
4 takes asks several times (``TakesApart.varies``, ``AnswerCuts.answers`` and ``cut``), on
a trance gate's every step, where most answer no. Plain Python on the takes' few ticks: the
same answer as the masks of NumPy calls it stands in front of, for a fifth of their cost
(0.5 us where the masks took 3). Each function answers the mask's ``any``; the callers
build the masks themselves where the answer is yes."""

from __future__ import annotations


def any_in_phrase_end(onsets: list[int], clip_end: int, phrase: int, end: int) -> bool:
    """Whether any of ``onsets`` (ticks) falls at or after ``clip_end`` in the last ``end``
    ticks of its phrase (``phrase`` ticks long, counted from ``clip_end``)."""
    edge = phrase - end
    for onset in onsets:
        after = onset - clip_end
        if after >= 0 and after % phrase >= edge:
            return True
    return False


def any_into_phrase_end(
    onsets: list[int], ends: list[int], clip_end: int, phrase: int, end: int
) -> bool:
    """Whether any note (from ``onsets`` to ``ends``, ticks), struck at or after
    ``clip_end``, sounds past the start of the last ``end`` ticks of the phrase it is
    struck in (``phrase`` ticks long, counted from ``clip_end``)."""
    for onset, stop in zip(onsets, ends, strict=True):
        after = onset - clip_end
        if after >= 0 and stop - clip_end > after // phrase * phrase + phrase - end:
            return True
    return False


def any_further(latest: list[int], proposed: list[int], far: int) -> bool:
    """Whether any take's ``proposed`` next note (ticks) lies more than ``far`` ticks after
    its ``latest``."""
    for last, then in zip(latest, proposed, strict=True):
        if then - last > far:
            return True
    return False
