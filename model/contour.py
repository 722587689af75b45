"""A line's contour: the widest interval its loop moves by from one note to the next, and the
most times in a row it strikes one pitch; a take's turned note keeps within both, from the
take's latest note and into the loop's note its turn gives back to
(``loop_steps.near_the_loop``). A stepwise lead's turned notes drawn each on its own leapt
out of the line (D4 A3 B4 B3: up 14 semitones and down 12) or struck one pitch four times
(A3 A3 A3 A3), where the line moves by steps and never strikes a pitch twice."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def contour_of(pitches: Sequence[int] | np.ndarray) -> tuple[int, int]:
    """The widest interval (semitones) between the successive notes of a loop (``pitches``
    in the order it plays them, its last note followed by its first again), and the
    longest run of one pitch in it, around the loop (a loop of one pitch: its length)."""
    line = np.asarray(pitches, dtype=np.int64)
    if len(line) < 2:
        return 0, len(line)
    wide = int(np.abs(np.diff(np.append(line, line[0]))).max())
    same = np.append(line, line[0])[1:] == line  # each note struck again after it
    if same.all():
        return wide, len(line)
    start = int(np.flatnonzero(~same)[0]) + 1  # a run's first note: after a change of pitch
    run = longest = 1
    for repeated in np.roll(same, -start)[:-1].tolist():
        run = run + 1 if repeated else 1
        longest = max(longest, run)
    return wide, longest


def runs_ahead(pitches: Sequence[int] | np.ndarray) -> np.ndarray:
    """(n,) int: for each note of a loop (``pitches`` in the order it plays them), how many
    times in a row the loop strikes its pitch from that note on, around the loop (a loop of
    one pitch: its length): a lead's turned E4 before its G4 G4, turned to G4, strikes G4
    three times in a row, not two."""
    line = np.asarray(pitches, dtype=np.int64)
    out = np.full(len(line), len(line), dtype=np.int64)
    if len(line) < 2 or (line == line[0]).all():
        return out
    twice = np.append(line, line)
    ahead = np.ones(len(twice), dtype=np.int64)
    for i in range(len(twice) - 2, -1, -1):
        if twice[i] == twice[i + 1]:
            ahead[i] = ahead[i + 1] + 1
    return ahead[: len(line)]


def line_end(pitches: Sequence[int]) -> tuple[int, int]:
    """A take's latest pitch (``pitches``: its notes so far, in order) and how many times in
    a row it has struck it; (-1, 0) for none."""
    if not len(pitches):
        return -1, 0
    last = int(pitches[-1])
    run = 1
    while run < len(pitches) and int(pitches[-1 - run]) == last:
        run += 1
    return last, run


def in_contour(
    last: np.ndarray,
    run: np.ndarray,
    following: np.ndarray,
    contour: tuple[int, int],
    size: int = 128,
    ahead: np.ndarray | None = None,
) -> np.ndarray:
    """(rows, ``size``) bool: the pitches a take's next note may take and keep the line's
    ``contour`` (:func:`contour_of`): within its widest interval of the take's ``last``
    pitch (per row; -1: any) and of the loop's note that ``following`` (per row; -1: none)
    the take plays next, and no run of one pitch longer than the loop's, with the times in
    a row the take has struck its latest pitch (``run``) and the times in a row the loop
    strikes its note after from there on (``ahead``, per row, :func:`runs_ahead`; 1 where
    None): a pitch struck twice in a row does not take a turned note before its first."""
    wide, longest = contour
    pitch = np.arange(size)[None]
    last = np.asarray(last, dtype=np.int64)[:, None]
    following = np.asarray(following, dtype=np.int64)[:, None]
    out = (last < 0) | (np.abs(pitch - last) <= wide)
    out &= (following < 0) | (np.abs(pitch - following) <= wide)
    then = np.ones_like(following) if ahead is None else np.asarray(ahead, dtype=np.int64)[:, None]
    run_at = np.where(pitch == last, np.asarray(run)[:, None] + 1, 1)
    run_at = run_at + np.where(pitch == following, then, 0)
    return out & (run_at <= longest)
