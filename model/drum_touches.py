"""A drum take's touch of its own at a phrase's end, on a beat that is all backbone.

A beat whose every hit is its backbone (``segue.model.drumming.backbone``: a house beat's
kick on every beat, clap on 2 and 4, hats on the offbeats) is kept by the loop note for
note, and without fills nothing else plays: 4 takes of a one-bar house beat were one take,
and at 16 and 32 bars the clip's bar tiled (helper-88). A drummer keeping such a groove
still marks a phrase's end without a fill, with one small touch: a ghost note on the snare
or clap, a soft extra hat, the hat opened on the last offbeat; the kick, the groove's
backbone, stays as it is (a kick pickup turns a house beat around). So each take plays one
touch (:func:`touches`) in the last bar of every 4-bar phrase, or of the take where it
ends before its phrase does (a take of 2 bars), the backbone kept: a different one for each
take while the beat has enough of them, drawn anew each phrase (:func:`with_touches`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from segue.drums import family
from segue.grid import TICKS_PER_BEAT
from segue.model.drumming import GHOST, backbeat_pads_on, half_time, laid_out_as_gm
from segue.model.loop import PHRASE_BARS, loop_ticks
from segue.notes import Clip

KEEPERS = ("hat", "ride", "percussion", "open hat")
"""The families a touch's extra hit may fall on besides the backbeat's pads (a hat first):
never a kick, the beat's backbone, while another pad has a touch (:func:`kick_pickups`). An
open hat last, where the beat has no other keeper (a kick under an open hat on the
offbeats): struck again a 16th after its last offbeat, it chokes the one ringing, and a
kick and open hat's takes were the clip again in 32 of 32 (helper-213)."""
OPEN_HAT = 46  # General MIDI's open hi-hat, where the kit has no open hat of its own


@dataclass(frozen=True)
class Touch:
    """One hit a take adds at a phrase's end: where in the bar (ticks), on which pad, how
    loud and how long; ``opens``: the closed hat it replaces there (a hat opened);
    ``rolls``: the places (ticks into the bar) of a roll's further hits, struck as this
    one is (a hat roll's 32nds)."""

    place: int
    pad: int
    velocity: int
    length: int
    opens: int | None = None
    rolls: tuple[int, ...] = ()

    @property
    def places(self) -> tuple[int, ...]:
        """Where in the bar (ticks) its hits fall: its place and its roll's."""
        return (self.place, *self.rolls)


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
    takes: int = 0,
    pulse: int | None = None,
) -> tuple[Touch, ...]:
    """The touches a take may add to the last bar of a phrase of this beat, each on a pad of
    ``kit`` ((128,) bool) where the loop's bar has none on it: a ghost note
    (:data:`segue.model.drumming.GHOST` of its loudest) on the backbeat's snare or clap on
    the last 16th of the bar (a pickup into the downbeat) and on the 16th after the last
    beat; a hat (:data:`KEEPERS`) at its softest on the same 16ths; the closed hat on the
    bar's last offbeat opened. A 16th is a quarter of a beat of ``ticks_per_beat``;
    ``beat`` (ticks) and ``beats_per_bar`` are the meter's, for the backbeat. Where those
    are fewer than the ``takes``, the same ghost notes and hats a beat earlier (on the 16ths
    of the bar's second-last beat, which lead into the last) make up the rest, as far as
    they go: a beat of two drums (a kick and a hat, a kick and a snare) has two touches on
    the last beat, and its 4 takes were 2 (helper-107). A beat in threes (:func:`in_threes`:
    a shuffle, a 12/8 feel, of the meter's ``pulse`` in ticks, a beat where None) has them
    on its own grid, the last pulse's last and second thirds, and opens its hat on the
    last pulse's last third: a shuffle's touch fell on a straight 16th, off its groove.
    A half-time beat (:func:`segue.model.drumming.half_time`: a trap beat's clap on 3)
    whose hats leave no 16th free has a hat roll too (:func:`_roll`); a house or funk beat
    with 16th hats keeps its ghost notes and opened hat, where no drummer rolls the hats
    (a roll fell in 7 of 32 of their 1-bar takes)."""
    rows = loop_rows(seed_rows, clip_end, bar)
    pulse = pulse or ticks_per_beat
    if not len(rows) or bar < pulse:
        return ()
    start = clip_end - loop_ticks(clip_end, bar)
    places = {((int(o) - start) % bar, int(p)) for o, p in zip(rows[:, 0], rows[:, 1], strict=True)}
    threes = in_threes({o for o, _ in places}, pulse, ticks_per_beat)
    step = pulse // 3 if threes else ticks_per_beat // 4  # a third of the pulse, or a 16th
    beat_ticks = pulse if threes else ticks_per_beat
    last = bar - beat_ticks  # the bar's last beat
    # its "a" and its "e"; in threes its last third and its second
    spots = (last + (2 if threes else 3) * step, last + step)
    before = last - beat_ticks  # the beat before it: its "a", its "e", where there is one
    earlier = tuple(at - beat_ticks for at in spots) if before >= 0 else ()

    def level(pad: int, most: bool) -> int:
        levels = rows[rows[:, 1] == pad, 3]
        return int(levels.max() if most else levels.min())

    def length(pad: int) -> int:
        return int(rows[rows[:, 1] == pad, 2][0])

    ghosts: list[Touch] = []
    more: list[Touch] = []  # a beat earlier, where there are fewer touches than takes
    backs, on = backbeat_pads_on(rows, beat, beats_per_bar)
    backbeat = [p for p in backs if kit[p]][:1]
    for pad in backbeat:
        soft = max(1, int(GHOST * level(pad, True)))
        ghosts += [Touch(at, pad, soft, length(pad)) for at in spots if (at, pad) not in places]
        more += [Touch(at, pad, soft, length(pad)) for at in earlier if (at, pad) not in places]
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
        more += [
            Touch(at, pad, level(pad, False), length(pad))
            for at in earlier
            if (at, pad) not in places
        ]
    rolls = [
        Touch(first, pad, level(pad, False), min(length(pad), then - first), rolls=(then,))
        for pad in (keepers[:1] if half_time(on, beats_per_bar) else [])
        for first, then in [_roll(places, pad, bar, ticks_per_beat)]
        if first is not None and then is not None
    ]
    opened: list[Touch] = []
    offbeat = last + 2 * step if threes else bar - ticks_per_beat // 2  # a shuffle's: swung
    closed = [p for p in pads if family(p) == "hat" and (offbeat, p) in places] if gm else []
    own_open = [p for p in pads if family(p) == "open hat"]
    open_pad = own_open[0] if own_open else OPEN_HAT if kit[OPEN_HAT] else None
    if closed and open_pad is not None and (offbeat, open_pad) not in places:
        loud = level(open_pad, True) if open_pad in pads else level(closed[0], True)
        opened.append(Touch(offbeat, open_pad, loud, length(closed[0]), closed[0]))
    # in the order a take is given them when it cannot have its own: the ghosts first
    kinds = ghosts[:1] + opened + hats[:1] + rolls + ghosts[1:] + hats[1:]
    if not kinds and not more:  # a kick alone: its pickup is the beat's only touch
        kicks = kick_pickups(rows, places, kit, spots, earlier, bar, ticks_per_beat, threes)
        kinds, more = kicks[:2], list(kicks[2:])
    return tuple(kinds + more[: max(takes - len(kinds), 0)])


def kick_pickups(
    rows: np.ndarray,
    places: set[tuple[int, int]],
    kit: np.ndarray,
    spots: tuple[int, ...],
    earlier: tuple[int, ...],
    bar: int,
    ticks_per_beat: int,
    threes: bool,
) -> list[Touch]:
    """The touches of a beat that has no pad but its kick free for one (a four-on-the-floor
    kick alone): a ghost kick (:data:`segue.model.drumming.GHOST` of its loudest) on the
    "and" of the bar's last beat and on its last 16th (in threes, its last pulse's last
    third), a pickup into the next phrase's downbeat, then the same a beat earlier. A kick
    alone's takes were the clip again in 32 of 32 at the defaults and at ``--memory`` 0
    (helper-213): it had no touch, its kick being the backbone other pads leave alone."""
    kicks = [int(p) for p in np.unique(rows[:, 1]) if kit[p] and family(int(p)) == "kick"]
    if not kicks:
        return []
    pad = kicks[0]
    on = rows[rows[:, 1] == pad]
    soft, length = max(1, int(GHOST * int(on[:, 3].max()))), int(on[0, 2])
    and_of = () if threes else (bar - ticks_per_beat // 2,)
    last = (spots[0], *and_of)
    before = (*earlier[:1], *(at - ticks_per_beat for at in and_of if earlier))
    return [Touch(at, pad, soft, length) for at in (*last, *before) if (at, pad) not in places]


def _roll(
    places: set[tuple[int, int]], pad: int, bar: int, ticks_per_beat: int
) -> tuple[int | None, int | None]:
    """Where (ticks into the bar) a roll on ``pad`` adds its two hits, where the loop's bar
    strikes it on every step of its own (``places``: place in the bar, pad), a 16th or a
    16th triplet (of a beat of ``ticks_per_beat``) and none finer: half a step after the
    bar's last two, over the last beat's last 8th (its last third in 16th triplets), 32nds
    between the 16ths (32nd triplets between the 16th triplets), as a trap drummer rolls
    the hats into a phrase's next bar. Such a beat has no free place for a soft extra hat
    (a half-time trap beat's 1-bar takes were the clip in 15 of 32). (None, None) where
    the pad leaves a step of the bar out."""
    at = sorted(o for o, p in places if p == pad)
    step = int(np.diff(at).min()) if len(at) > 1 else 0
    if not step or step % 2 or step > ticks_per_beat // 4 or bar % step:
        return None, None
    if set(range(0, bar, step)) - set(at):
        return None, None
    return bar - 2 * step + step // 2, bar - step + step // 2


def in_threes(places: Iterable[int], pulse: int, ticks_per_beat: int) -> bool:
    """Whether a beat whose hits lie at ``places`` (ticks into the bar) is in threes: a
    compound meter's (a ``pulse`` other than a beat of ``ticks_per_beat``: 12/8's dotted
    quarter, three 8ths), or every hit off the beat on a sixth of it (a 16th triplet) and
    one at least off its straight 8ths (a shuffle, a 12/8 figure written in 4/4: its hats
    or ride on the triplets; a trap beat's 16th-triplet hats, which were read as straight
    and had their touches on the straight 16ths between them)."""
    if pulse != ticks_per_beat:
        return pulse % 3 == 0
    offs = {at % pulse for at in places} - {0}
    return (
        pulse % 6 == 0
        and any(at % (pulse // 2) for at in offs)
        and all(at % (pulse // 6) == 0 for at in offs)
    )


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
    ``clip_end``) before ``end`` (ticks), or in the take's own last bar where it ends before
    its phrase does (:func:`touch_bar`): each phrase, the takes take them in an order drawn
    from ``rng``, one each, a different one while there are enough; where there are fewer
    kinds than takes, the takes that share one pair up differently each phrase, so that a
    second phrase tells them apart (two kinds, 4 takes: 2 takes of 4 at 16 bars before)."""
    if not kinds or not takes:
        return takes
    out = list(takes)
    phrase = PHRASE_BARS - 1
    while (start := touch_bar(clip_end, phrase, bar, end)) is not None:
        order = rng.permutation(len(kinds))
        picked = [  # takes past the kinds: another pairing a phrase
            _struck_or_not(
                kinds,
                int(order[(index + index // len(kinds) * phrase // PHRASE_BARS) % len(kinds)]),
                start,
                rows,
            )
            for index, rows in enumerate(out)
        ]
        used = {free[0] for free in picked if free and free[0] is not None}
        for index, rows in enumerate(out):
            touch = _free_touch(picked[index], used)
            if touch is None:
                continue
            used.add(touch)
            onsets = [start + at for at in touch.places if clip_end <= start + at < end]
            if not onsets:
                continue
            if touch.opens is not None:
                rows = rows[~((rows[:, 0] == onsets[0]) & (rows[:, 1] == touch.opens))]
            hit = np.array(
                [[at, touch.pad, touch.length, touch.velocity] for at in onsets], dtype=rows.dtype
            )
            both = np.concatenate([rows, hit])
            out[index] = both[np.lexsort((both[:, 1], both[:, 0]))]
        phrase += PHRASE_BARS
    return out


def touch_bar(clip_end: int, phrase: int, bar: int, end: int) -> int | None:
    """Where (ticks) the bar of a phrase's touch begins, the phrase's last bar being bar
    ``phrase`` from ``clip_end`` (bars of ``bar`` ticks): that bar where the take reaches
    it (ends after its start, ``end``), else the take's own last whole bar where the take
    ends inside the phrase, before its last bar (a take of 1 or 2 bars of a 1-bar beat was
    the clip again, hit for hit, in 20 of 32 takes: it never reached the phrase's last bar).
    A take shorter than a bar has its touch on its own last beat, as a bar's last beat: the
    bar ending where the take does, from before ``clip_end`` (a house beat's takes of half
    a bar and three quarters were the clip again in 32 of 32, helper-213). None where the
    take ends before the phrase has a whole bar, after the take's first phrase."""
    start = clip_end + phrase * bar
    if start < end:
        return start
    first = start - (PHRASE_BARS - 1) * bar  # the phrase's first bar
    if first == clip_end and clip_end < end < clip_end + bar:  # no whole bar: its last beat
        return end - bar
    own = clip_end + ((end - clip_end) // bar - 1) * bar  # the take's last whole bar
    return own if own >= first and own + bar <= end else None


def _struck_or_not(
    kinds: tuple[Touch, ...], drawn: int, start: int, rows: np.ndarray
) -> list[Touch | None]:
    """The touches of ``kinds`` from the one ``drawn`` on, as a take's ``rows`` may have
    them in the bar from ``start`` (ticks): the drawn first, None in its place where the
    take strikes its pad there already (a fill on the snare took its ghost note's place),
    then the others it does not strike."""
    struck = {(int(o), int(p)) for o, p in rows[rows[:, 0] >= start, :2]}
    order = [kinds[(drawn + k) % len(kinds)] for k in range(len(kinds))]
    free: list[Touch | None] = [
        t for t in order if not any((start + at, t.pad) in struck for at in t.places)
    ]
    return free if free and free[0] is order[0] else [None, *free]


def _free_touch(free: list[Touch | None], used: set[Touch]) -> Touch | None:
    """A take's touch of those it may have (:func:`_struck_or_not`): the drawn one, else the
    first that no other take has this phrase (``used``), else the first it may have."""
    if free and free[0] is not None:
        return free[0]
    rest = [t for t in free if t is not None]
    return next((t for t in rest if t not in used), rest[0] if rest else None)


def same_hits(onsets: Iterable[float], pads: Iterable[int]) -> frozenset[tuple[float, int]]:
    """A drum take's hits as two takes are told apart, by :func:`repeated` (rows, ticks) and
    by :func:`takes_notice` (notes, beats) alike: where each pad is struck, not how loud nor
    how long (a one-shot's length). :func:`repeated` counted a velocity as a difference
    where the notice did not: two takes that differed in one velocity got no touch, and
    were then said to be the same notes."""
    return frozenset(zip(onsets, pads, strict=True))


def repeated(takes: Sequence[np.ndarray]) -> list[int]:
    """The takes (indices into ``takes``, rows of onset, pad, length, velocity) whose hits
    (:func:`same_hits`: onset and pad) are another take's too."""
    hits = [same_hits(rows[:, 0].tolist(), rows[:, 1].tolist()) for rows in takes]
    return [i for i, h in enumerate(hits) if hits.count(h) > 1]


def played_on(seed_rows: np.ndarray, clip_end: int, bar: int, end: int) -> np.ndarray:
    """The clip's loop (:func:`loop_rows`) played on from ``clip_end`` up to ``end`` (ticks),
    hit for hit: what a take that keeps every hit of it plays."""
    rows = loop_rows(seed_rows, clip_end, bar)
    loop = loop_ticks(clip_end, bar)
    if not len(rows) or loop <= 0 or end <= clip_end:
        return rows[:0]
    times = -(-(end - clip_end) // loop)
    out = np.concatenate([rows + [k * loop, 0, 0, 0] for k in range(1, times + 1)])
    return out[out[:, 0] < end]


def clip_copies(
    takes: Sequence[np.ndarray], seed_rows: np.ndarray, clip_end: int, bar: int, end: int | None
) -> list[int]:
    """The takes (indices into ``takes``) whose hits (:func:`same_hits`) are the clip's loop
    played on (:func:`played_on`) up to ``end`` (ticks; None: up to each take's last hit):
    the clip again, hit for hit, where the musician asked for a variation (a breakbeat's
    takes were the clip in 3 of 32 at the defaults, helper-185)."""
    out = []
    for index, rows in enumerate(takes):
        if not len(rows):
            continue
        stop = end if end is not None else int(rows[:, 0].max()) + 1
        clip = played_on(seed_rows, clip_end, bar, stop)
        if len(clip) and _hits_of(rows) == _hits_of(clip):
            out.append(index)
    return out


def _hits_of(rows: np.ndarray) -> frozenset[tuple[float, int]]:
    """``rows``' hits (:func:`same_hits`)."""
    return same_hits(rows[:, 0].tolist(), rows[:, 1].tolist())


def touch_repeats(
    takes: list[np.ndarray],
    kinds: tuple[Touch, ...],
    clip_end: int,
    bar: int,
    end: int,
    rng: np.random.Generator,
    clip: np.ndarray | None = None,
    stop: int | None = None,
) -> list[np.ndarray]:
    """``takes`` with a touch of ``kinds`` (:func:`with_touches`) in each take whose hits
    are another's (:func:`repeated`), or the clip's (:func:`clip_copies` of the ``clip``'s
    rows, played on up to ``stop``, where the takes were asked to stop; None: a length in
    notes, up to each take's last hit): on a beat whose loop varies what is not its backbone
    (a kick on 1 and 3 under 8th-note hats), at a loop's strength some takes vary nothing
    and come out the same (3 distinct takes of 4 in 4 of 6 requests at 4 bars,
    helper-107), or come out as the clip itself, hit for hit (6 of 128 takes of four beats
    at the defaults, helper-185), where a drummer asked for a variation varies at least the
    phrase's last bar; the others are left as the loop varied them. A take touched into
    another's notes is touched again."""
    out = list(takes)
    for _ in takes:  # a touched take may have become another's: once more, a take at most
        same = repeated(out)
        if clip is not None:  # the clip again counts as one more take
            same = sorted(set(same) | set(clip_copies(out, clip, clip_end, bar, stop)))
        if not same or not kinds:
            break
        touched = with_touches([out[i] for i in same], kinds, clip_end, bar, end, rng)
        if all(np.array_equal(out[i], rows) for i, rows in zip(same, touched, strict=True)):
            break  # no room left for a touch
        for i, rows in zip(same, touched, strict=True):
            out[i] = rows
    return out


WILDER = 1.3
"""The temperature from which a take's turn is longer and turns a chord's voices more
(``turn_sizes.turn_for``, ``turn_sizes.voices_for``): what a melodic part's alike takes are told."""


def alike_notice(
    takes: int,
    bars: float,
    flags: bool = True,
    distinct: int = 1,
    length: str = "bars",
    bar_beats: float = 4.0,
    drums: bool = True,
    temperature: float = 1.0,
    memory: float = 1.0,
) -> str:
    """What to say when ``takes`` takes of ``bars`` bars (:func:`take_bars`) came out with
    the same notes above temperature 0 (where ``segue.cli.options.same_takes_notice`` says
    it beforehand), or only ``distinct`` of them differ. ``flags``: named as the command
    line's options, else as the bridge's settings; ``length``: the setting that set the
    takes' length (:func:`length_setting`), which the advice names: so many bars, as many
    beats (of ``bar_beats`` a bar), or more notes (takes of ``--notes 8`` were told to give
    ``--bars 4``, which the musician had not set).

    A drum take gets a touch of its own in its last whole bar, or a take shorter than a bar
    on its last beat (:func:`touch_bar`): takes shorter than a beat are told to give a bar
    (half-bar takes were, before they had their touch). Takes of a beat or more that are
    still alike have no pad free for a touch (a pad struck on every 16th alone), or fewer
    touches than takes: those were told to give 4 bars, which they had, or fills at the
    phrase's end, which a take of 2 bars never reaches. Fills every 2 bars (``often``)
    vary them from 2 bars (a kick and open hat's 2-bar takes: all alike in 1 request of 8
    with it, 8 of 8 without); at 1 bar, where no fill falls, the network's own beat does
    (``memory`` 0: 1 of 8), or 2 bars with fills.

    Of a melodic part (not ``drums``) the advice is the length (a loop kept note for note
    varies only in a 4-bar phrase's last bar), or where the takes reach a phrase's end a
    wilder temperature (a bigger turn), never fills, which only a drum model plays (a held
    pad's takes were told to give ``--fills phrase``, which then said it had no effect,
    helper-114). At ``temperature`` 1.3 or more already, the advice is a lower Memory,
    where the network plays the takes itself: a loop whose chords have no voicing of their
    own clear of clashes in the part's range keeps its loop at -t 1.3 and 2 alike (an
    inverted-sevenths pad did, until its 9ths were let in for its 5ths), and was told to
    give -t 1.3 or more.

    At ``memory`` 0 the network already plays every note: the loop was not kept, and a
    lower Memory is no advice (power chords at ``--memory 0`` whose takes came out alike
    were told that the loop was kept note for note and to give ``--memory 0``). Such takes
    are told a wilder temperature where there is one, and drum takes fills."""
    dash = "--" if flags else ""
    same = (
        f"all {takes} takes are the same notes"
        if distinct <= 1
        else f"only {distinct} of {takes} takes differ"
    )
    kept = memory > 1e-9  # at Memory 0 the network plays every note: no loop was kept
    head = f"{same}: the loop is kept note for note" if kept else same
    freer = f"{dash}memory 0"
    hotter = ("-t" if flags else "temperature") + f" {WILDER:g} or more"
    if not drums:  # fills are a drum model's: a melodic part varies at its phrases' ends
        cooler = temperature < WILDER - 1e-9
        if not kept:
            return f"{head}; give {hotter} for takes that differ" if cooler else head
        wilder = f"{hotter}, or {freer}," if cooler else freer
        if bars >= PHRASE_BARS - 1e-9:
            return f"{head}; give {wilder} for takes that differ"
        longer = _longer(PHRASE_BARS, length, dash, bar_beats)
        return f"{head} and varies only in a 4-bar phrase's last bar; give {longer}"
    if bars * bar_beats < 1 - 1e-9:  # no whole beat for a touch
        bar = _longer(1, length, dash, bar_beats)
        said = " and varies only on a take's last whole beat" if kept else ", none a whole beat"
        return f"{head}{said}; give {bar}"  # at Memory 0 no "loop kept" to go on from
    why = "has no pad free for a touch" if distinct <= 1 else "has fewer touches than takes"
    often = f"{dash}fills often"
    if bars < 2 - 1e-9:  # fills every 2 bars fall after its end
        two = _longer(2, length, dash, bar_beats)
        lower = f"{freer}, or " if kept else ""
        return f"{head}, the beat {why} at its end; give {lower}{two} with {often}"
    return f"{head}, the beat {why} at its end; give {often} for takes that differ"


def _longer(bars: int, length: str, dash: str, bar_beats: float) -> str:
    """The advice to give ``bars`` bars or more, in the ``length`` setting the musician set
    (:func:`length_setting`): bars, as many beats (of ``bar_beats`` a bar), or notes."""
    if length == "notes":
        worth = (
            "a bar's"
            if bars == 1
            else "a 4-bar phrase's"
            if bars == PHRASE_BARS
            else f"{bars} bars'"
        )
        return f"more {dash}notes ({worth} worth)"
    if length == "beats":
        return f"{dash}beats {bars * bar_beats:g} or more"
    return f"{dash}bars {bars} or more"


def take_bars(clips: Sequence[Clip], bar_beats: float, length: str = "bars") -> float:
    """How many bars (of ``bar_beats`` beats) takes span, as :func:`alike_notice` advises
    them: the first take's length, or where a number of notes set it (``length``:
    :func:`length_setting`), up to just after its last note's start, where such a take
    ends as its touch reads it (a take of 5 notes, half a bar of a house beat, is written
    as a whole bar); 0 where there are none."""
    if not clips or bar_beats <= 0:
        return 0.0
    take = clips[0]
    if length == "notes":
        return (max((n.start for n in take.notes), default=0.0) + 1 / TICKS_PER_BEAT) / bar_beats
    return take.length / bar_beats


def length_setting(beats: float | None, notes: int | None) -> str:
    """Which setting set a request's length, of ``bars``, ``beats`` and ``notes`` (one of
    them at most is given; bars where none is)."""
    return "notes" if notes is not None else "beats" if beats is not None else "bars"


def _hits(clip: Clip, drums: bool) -> frozenset[tuple[float, ...]]:
    """A take's notes as :func:`alike_takes` compares them: pitch, start and length; of a
    drum part its hits (:func:`same_hits`, as :func:`repeated` compares takes to touch
    them). Not velocity, since takes whose notes differed only in one velocity (100
    against 92) were heard as the same take and not said so (helper-114)."""
    if drums:
        return same_hits((round(n.start, 6) for n in clip.notes), (n.pitch for n in clip.notes))
    return frozenset((n.pitch, round(n.start, 6), round(n.duration, 6)) for n in clip.notes)


def alike_takes(clips: Sequence[Clip], drums: bool = False) -> bool:
    """Whether there are several takes and every one has the same notes (``drums``: the same
    hits, whatever a one-shot's length: a take whose one hat slipped to a 16th was the same
    beat)."""
    return len(clips) > 1 and len({_hits(c, drums) for c in clips}) == 1


def takes_notice(
    clips: Sequence[Clip],
    drums: bool,
    flags: bool = True,
    length: str = "bars",
    bar_beats: float = 4.0,
    temperature: float = 1.0,
    memory: float = 1.0,
) -> str:
    """:func:`alike_notice` (``flags``, ``length``, ``bar_beats``, ``temperature``,
    ``memory``) for these
    takes, of the length they span (:func:`take_bars`, worked out here for every caller:
    ``segue generate``, ``segue live``, ``segue send`` and the bridge), where every one has
    the same notes (:func:`alike_takes`), or, of a drum part, where fewer of them differ
    than were asked (a beat with room for 2 touches at a phrase's end, 4 takes); "" where
    all differ."""
    distinct = len({_hits(c, drums) for c in clips})
    if len(clips) < 2 or distinct == len(clips) or (distinct > 1 and not drums):
        return ""
    bars = take_bars(clips, bar_beats, length)
    return alike_notice(
        len(clips), bars, flags, distinct, length, bar_beats, drums, temperature, memory
    )
