"""A drum take's touch of its own at a phrase's end, on a beat that is all backbone.

A beat whose every hit is its backbone (``segue.model.drumming.backbone``: a house beat's
kick on every beat, clap on 2 and 4, hats on the offbeats) is kept by the loop note for
note, and without fills nothing else plays: 4 takes of a one-bar house beat were one take,
and at 16 and 32 bars the clip's bar tiled (helper-88). A drummer keeping such a groove
still marks a phrase's end without a fill, with one small touch: a ghost note on the snare
or clap, a soft extra hat, the hat opened on the last offbeat; the kick, the groove's
backbone, stays as it is (a kick pickup turns a house beat around). So each take plays one
touch (:func:`touches`) in the last bar of every 4-bar phrase, the backbone kept: a
different one for each take while the beat has enough of them, drawn anew each phrase
(:func:`with_touches`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from segue.drums import family
from segue.model.drumming import GHOST, backbeat_pads, laid_out_as_gm
from segue.model.loop import PHRASE_BARS, loop_ticks
from segue.notes import Clip

KEEPERS = ("hat", "ride", "percussion")
"""The families a touch's extra hit may fall on besides the backbeat's pads (a hat first):
never a kick, the beat's backbone."""
OPEN_HAT = 46  # General MIDI's open hi-hat, where the kit has no open hat of its own


@dataclass(frozen=True)
class Touch:
    """One hit a take adds at a phrase's end: where in the bar (ticks), on which pad, how
    loud and how long; ``opens``: the closed hat it replaces there (a hat opened)."""

    place: int
    pad: int
    velocity: int
    length: int
    opens: int | None = None


def loop_rows(seed_rows: np.ndarray, clip_end: int, bar: int) -> np.ndarray:
    """The rows of the clip's loop (``segue.model.loop.loop_ticks``)."""
    loop = loop_ticks(clip_end, bar)
    return seed_rows[(seed_rows[:, 0] >= clip_end - loop) & (seed_rows[:, 0] < clip_end)]


def all_backbone(
    seed_rows: np.ndarray, clip_end: int, bar: int, kept: frozenset[tuple[int, int]]
) -> bool:
    """Whether every hit of the clip's loop is one of its backbone's (``kept``): then the
    loop plays it note for note, and its takes are one take."""
    rows = loop_rows(seed_rows, clip_end, bar)
    if not len(rows) or not kept:
        return False
    start = clip_end - loop_ticks(clip_end, bar)
    return all(
        ((int(o) - start) % bar, int(p)) in kept
        for o, p in zip(rows[:, 0], rows[:, 1], strict=True)
    )


def touches(
    seed_rows: np.ndarray,
    clip_end: int,
    bar: int,
    kit: np.ndarray,
    ticks_per_beat: int,
    beat: int,
    beats_per_bar: int,
) -> tuple[Touch, ...]:
    """The touches a take may add to the last bar of a phrase of this beat, each on a pad of
    ``kit`` ((128,) bool) where the loop's bar has none on it: a ghost note
    (:data:`segue.model.drumming.GHOST` of its loudest) on the backbeat's snare or clap on
    the last 16th of the bar (a pickup into the downbeat) and on the 16th after the last
    beat; a hat (:data:`KEEPERS`) at its softest on the same 16ths; the closed hat on the
    bar's last offbeat opened. A 16th is a quarter of a beat of ``ticks_per_beat``;
    ``beat`` (ticks) and ``beats_per_bar`` are the meter's, for the backbeat."""
    rows = loop_rows(seed_rows, clip_end, bar)
    if not len(rows) or bar < ticks_per_beat:
        return ()
    start = clip_end - loop_ticks(clip_end, bar)
    places = {((int(o) - start) % bar, int(p)) for o, p in zip(rows[:, 0], rows[:, 1], strict=True)}
    sixteenth = ticks_per_beat // 4
    last = bar - ticks_per_beat  # the bar's last beat
    spots = (last + 3 * sixteenth, last + sixteenth)  # its "a", its "e"

    def level(pad: int, most: bool) -> int:
        levels = rows[rows[:, 1] == pad, 3]
        return int(levels.max() if most else levels.min())

    def length(pad: int) -> int:
        return int(rows[rows[:, 1] == pad, 2][0])

    ghosts: list[Touch] = []
    backbeat = [p for p in backbeat_pads(rows, beat, beats_per_bar) if kit[p]][:1]
    for pad in backbeat:
        soft = max(1, int(GHOST * level(pad, True)))
        ghosts += [Touch(at, pad, soft, length(pad)) for at in spots if (at, pad) not in places]
    gm = laid_out_as_gm(rows)
    pads = [int(p) for p in np.unique(rows[:, 1]) if kit[p] and int(p) not in backbeat]
    if gm:
        keepers = [p for kind in KEEPERS for p in pads if family(p) == kind]
    else:  # a rack laid out its own way: its busiest pad keeps time
        counts = {p: int(np.count_nonzero(rows[:, 1] == p)) for p in pads}
        keepers = sorted(counts, key=lambda p: -counts[p])
    hats: list[Touch] = []
    for pad in keepers[:1]:
        hats += [
            Touch(at, pad, level(pad, False), length(pad))
            for at in spots
            if (at, pad) not in places
        ]
    opened: list[Touch] = []
    offbeat = bar - ticks_per_beat // 2
    closed = [p for p in pads if family(p) == "hat" and (offbeat, p) in places] if gm else []
    own_open = [p for p in pads if family(p) == "open hat"]
    open_pad = own_open[0] if own_open else OPEN_HAT if kit[OPEN_HAT] else None
    if closed and open_pad is not None and (offbeat, open_pad) not in places:
        loud = level(open_pad, True) if open_pad in pads else level(closed[0], True)
        opened.append(Touch(offbeat, open_pad, loud, length(closed[0]), closed[0]))
    # in the order a take is given them when it cannot have its own: the ghosts first
    return tuple(ghosts[:1] + opened + hats[:1] + ghosts[1:] + hats[1:])


def with_touches(
    takes: list[np.ndarray],
    kinds: tuple[Touch, ...],
    clip_end: int,
    bar: int,
    end: int,
    rng: np.random.Generator,
) -> list[np.ndarray]:
    """Each take's rows (onset, pad, length, velocity ticks, in time order) with a touch of
    ``kinds`` in the last bar of every phrase (:data:`segue.model.loop.PHRASE_BARS` bars from
    ``clip_end``) before ``end`` (ticks): each phrase, the takes take them in an order drawn
    from ``rng``, one each, a different one while there are enough; where there are fewer
    kinds than takes, the takes that share one pair up differently each phrase, so that a
    second phrase tells them apart (two kinds, 4 takes: 2 takes of 4 at 16 bars before)."""
    if not kinds or not takes:
        return takes
    out = list(takes)
    phrase = PHRASE_BARS - 1
    while clip_end + phrase * bar < end:
        order = rng.permutation(len(kinds))
        start = clip_end + phrase * bar
        for index, rows in enumerate(out):  # takes past the kinds: another pairing a phrase
            touch = kinds[
                int(order[(index + index // len(kinds) * phrase // PHRASE_BARS) % len(kinds)])
            ]
            onset = start + touch.place
            if onset >= end:
                continue
            if touch.opens is not None:
                rows = rows[~((rows[:, 0] == onset) & (rows[:, 1] == touch.opens))]
            hit = np.array([[onset, touch.pad, touch.length, touch.velocity]], dtype=rows.dtype)
            both = np.concatenate([rows, hit])
            out[index] = both[np.lexsort((both[:, 1], both[:, 0]))]
        phrase += PHRASE_BARS
    return out


def alike_notice(takes: int, phrase: bool, flags: bool = True) -> str:
    """What to say when ``takes`` takes came out with the same notes above temperature 0
    (where ``segue.cli.options.same_takes_notice`` says it beforehand): a loop kept note for
    note (a beat that is all backbone) varies only in the last bar of a 4-bar phrase
    (``phrase``: the takes reach one), and a beat with no pad for a touch not even there.
    ``flags``: named as the command line's options, else as the bridge's settings."""
    bars, fills = ("--bars 4", "--fills phrase") if flags else ("bars 4", "fills phrase")
    head = f"all {takes} takes are the same notes: the loop is kept note for note"
    if phrase:
        return f"{head}; give {fills} for takes that differ"
    return f"{head} and varies only in a 4-bar phrase's last bar; give {bars} or more, or {fills}"


def alike_takes(clips: Sequence[Clip], drums: bool = False) -> bool:
    """Whether there are several takes and every one has the same notes (``drums``: the same
    hits, whatever a one-shot's length: a take whose one hat slipped to a 16th was the same
    beat)."""

    def notes(clip: Clip) -> frozenset[tuple[int, float, float, int]]:
        return frozenset(
            (n.pitch, round(n.start, 6), 0.0 if drums else round(n.duration, 6), n.velocity)
            for n in clip.notes
        )

    return len(clips) > 1 and len({notes(c) for c in clips}) == 1
