"""How a drum model plays: the clip's own kit, fills where a phrase ends, a crash after one.

A drum clip's notes are pads (``segue.drums``). A drum model continues a clip on
the pads the clip uses (``kit`` "clip"), or in fills on any General MIDI drum as well
(``kit`` "gm", one kick and one snare: :func:`gm_kit`), so a custom Drum Rack is played
as it is laid out. With ``fills`` on, the end of every phrase (the last 2 beats of each
4th bar, "phrase"; the last beat of each 2nd bar, "often") leaves the loop: the network
plays there, leaning towards the kit's snares and toms (:data:`FILL_SHARE` of its draw at
least) and towards 16th notes, over the kick and the groove's time-keepers (its hats,
an open hat struck every beat, ride and shakers; a custom rack's pads struck as hats:
:func:`kept_time`), and the next downbeat takes the loop back, with a crash
when the kit has one, half the time. The 8th and 16th bars of the new clip are bigger
marks (:data:`MARKS`): a longer fill, and the crash after it nearly always. A fill is
played at least as loud as the clip's median hit. A beat is the meter's
pulse (:func:`pulse_beats`): a dotted quarter in 6/8 and 12/8, so a fill starts on
the pulse; and a fill leaves at least the bar's first pulse to the groove (3/8: its
last eighth).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from segue.drums import CRASHES, GM_NOTES, family, fill_pads
from segue.model.loop import loop_ticks
from segue.model.vocab import within
from segue.notes import TimeSignature

FILLS = {"phrase": (4, 2), "often": (2, 1)}
"""A fill's place: every N bars of the continuation, the last P pulses (:func:`pulse_beats`)."""
PAD_LEAN = 3.0  # nats towards the fill pads
FILL_SHARE = 0.75
"""The least share of a fill's hits the fill pads take (of the pads a hit may take): in
``segue idioms drums``'s fills, 84% of the hits from a fill's first are on its snares and
toms, the rest its kicks. :data:`PAD_LEAN` alone left a kit of kick, side stick and hat
with no fill heard (22 of 24 fills no busier on the rim than the clip): the network never
learnt to fill on a side stick, and gave it a few percent even so leant."""
BUSY_LEAN = 1.5  # nats towards 16th and 32nd notes in a fill
BUSY_OFFSETS = np.array([3, 6])  # ticks (offset classes): a 32nd and a 16th note
ROLLED_FAMILIES = ("hat", "open hat")
"""The families of fill pads a fill is heard on by its rhythm alone: a kit of hats plays its
fill on the hats that keep its time (``segue.drums.FALLBACK_FILLS``), so the fill is a roll,
its notes a 16th or a 32nd apart at least :data:`FILL_SHARE` of the draw
(:meth:`Fills.lean_offsets`). :data:`BUSY_LEAN` alone left an 8th-note hat loop's fills its
8ths again in 16 of 24 fills: the network kept the clip's 8ths."""
CRASH_CHANCE = 0.5
MARKS = ((16, 0, 0.9), (8, 3, 0.9))
"""The bigger marks of a new clip (the continuation is one in Live, counted from its first
bar): every N bars, a fill of P pulses (0: the whole bar) and a crash on the downbeat after
it at this chance, where a drummer marks the end of an 8-bar section with a longer fill than
a 4-bar phrase's and a 16-bar one with the longest, and crashes into the next section
nearly always. With the same 2 pulses and a crash half the time at every mark, the 8th and
16th bars' fills changed no more hits than the 4th's (a house beat's 8.3 / 8.0 / 7.5) and
came over the same 1.9 beats (helper-88). A fill never grows shorter than the setting's
(3/4: 2 beats at the 8th bar too)."""
STEADY_MOST = 4
"""The most places a bar a pad may keep for its hits to be the beat's backbone (a kick on
every beat, a snare or clap on 2 and 4, an open hat on the offbeats; not a hat's 8ths or
16ths, which vary)."""
GHOST = 0.5
"""A hit at this share of its pad's loudest velocity or below is a ghost note, played
barely heard beside the accents (a breakbeat's snare: 30-38 against 112 on 2 and 4)."""


def backbone(seed_rows: np.ndarray, clip_end: int, bar: int) -> frozenset[tuple[int, int]]:
    """The hits a drum continuation keeps in every bar (:func:`held_backbone`): (place in the
    bar, ticks after a bar line of the continuation; pad) of each pad that strikes the same
    places in every bar of the clip's loop, :data:`STEADY_MOST` of them at most, its ghost
    notes (:data:`GHOST`) aside when it has more (a breakbeat's snare on 2 and 4, with
    ghost notes on the same 16ths of every bar, kept no backbone at all). Elsewhere
    (hats, ghost notes, what changes from bar to bar) the loop varies at its own rate: a
    four-on-the-floor beat lost a kick or a clap about once every 3 bars, in the middle of
    a phrase, where the loop's draw let the network play a hat there instead; and the last
    bar of a phrase, where the loop keeps the material's own rate (which fills every phrase
    end), lost a backbeat hit in 17 of 52 bars, with nothing in its place (helper-76)."""
    loop = loop_ticks(clip_end, bar)
    if loop < bar or loop % bar or not len(seed_rows):  # a loop of whole bars only
        return frozenset()
    bars = loop // bar
    rows = seed_rows[(seed_rows[:, 0] >= clip_end - loop) & (seed_rows[:, 0] < clip_end)]
    out: set[tuple[int, int]] = set()
    for pad in np.unique(rows[:, 1]):
        since = rows[rows[:, 1] == pad, 0] - (clip_end - loop)
        places = {int(t) % bar for t in since}
        steady = [
            p for p in places if len({int(t) // bar for t in since[since % bar == p]}) == bars
        ]
        if len(steady) > STEADY_MOST:  # its steady ghost notes aside: a snare's backbeat
            levels = rows[rows[:, 1] == pad, 3]
            loud = GHOST * levels.max()
            steady = [p for p in steady if levels[since % bar == p].min() > loud]
        if len(steady) <= STEADY_MOST:
            out |= {(place, int(pad)) for place in steady}
    return frozenset(out)


def anchors(
    kept: frozenset[tuple[int, int]],
    seed_rows: np.ndarray,
    pulse: int,
    beat: int,
    beats_per_bar: int,
) -> frozenset[tuple[int, int]]:
    """The hits of a beat's :func:`backbone` that are the beat itself, kept at every
    ``--memory``: its kick's on the meter's pulses (``pulse``, ticks: the downbeats its kick
    plays, a four-on-the-floor kick's every beat, a rock kick's 1 and 3, not the "and" of
    3) and its backbeat's (:func:`backbeat_pads_on` on its beats, ``beat`` ticks long: the
    beats between the bar's others, or a half-time clap's 3). At ``--memory`` 0 the loop,
    which keeps the backbone, was off, and a house beat's takes lost their kick in 12 of 12
    (and a four-on-the-floor kick, the loop's alone, was kept from the network too:
    helper-105); a musician turning Memory down asks for a freer beat, not for one without
    its kick. The rest (hats, ghost notes, a kick's pickups) is the network's."""
    if pulse <= 0 or beat <= 0 or not kept:
        return frozenset()
    pads, beats = backbeat_pads_on(seed_rows, beat, beats_per_bar)
    return frozenset(
        (place, pad)
        for place, pad in kept
        if (family(pad) == "kick" and place % pulse == 0)
        or (pad in pads and place % beat == 0 and place // beat in beats)
    )


def held_backbone(
    kept: frozenset[tuple[int, int]], fills: Fills | None, clip_end: int
) -> tuple[frozenset[tuple[int, int]], ...]:
    """The :func:`backbone` hits a drum take keeps in each bar of its fills' cycle, from the
    continuation's first bar (one bar without fills): all of them, up to where a fill
    starts; inside a fill, the kick's, over which the fill is played on the other pads (its
    snare or clap backbeat is the fill's to play). A house fill that let its kicks go put
    one on the "and" of 3 and kept those on 3 and 4 in none of 36 fills (helper-76)."""
    if not kept:
        return ()
    if fills is None:
        return (kept,)
    hits = sorted(kept)
    out = []
    for bar in range(fills.cycle):
        start = clip_end + bar * fills.bar_ticks
        filled = fills.inside(np.array([start + place for place, _ in hits], dtype=np.int64))
        out.append(
            frozenset(
                (place, pad)
                for (place, pad), inside in zip(hits, filled, strict=True)
                if not inside or _under_fills(pad, fills)
            )
        )
    return tuple(out)


def held_in_fills(
    kept: frozenset[tuple[int, int]], fills: Fills, ticks: int | None = None
) -> np.ndarray:
    """The pads whose :func:`backbone` hits go on inside a fill ``ticks`` long (the
    setting's: ``fills.ticks``) (:func:`held_backbone`): the fill's own notes leave them to
    the loop (a kick on the "and" of 3 turns a house beat around)."""
    start = fills.bar_ticks - (fills.ticks if ticks is None else ticks)
    pads = {pad for place, pad in kept if place >= start and _under_fills(pad, fills)}
    return np.array(sorted(pads), dtype=np.int64)


def _under_fills(pad: int, fills: Fills) -> bool:
    """Whether a pad's backbone plays on under a fill: a kick, when the fill is not on it."""
    return family(pad) == "kick" and pad not in fills.pads


KEEPING_TIME = ("hat", "ride", "percussion")
"""The families of a groove's time-keepers (closed and pedal hats, a ride, a shaker or a
tambourine), which go on under a fill (:func:`kept_time`): a drummer fills on the snare and
toms over hats or a ride that keep the time, and an electronic clap, rim or snare roll runs
over its hats. The fill's network notes stood in their place: a techno beat's 16th hats
stopped in every fill, and the fill bar was no busier than the groove (22.6 against 23.0
notes, helper-107). An open hat keeps the time too where it is struck every beat
(:func:`open_keepers`)."""


def time_keepers(seed_rows: np.ndarray, clip_end: int, bar: int, fills: Fills) -> np.ndarray:
    """The pads that keep a beat's time under its fills: those the clip's loop strikes once a
    bar or more (:func:`groove_pads`) of the families of :data:`KEEPING_TIME` and its open
    hats struck every beat (:func:`open_keepers`), on a kit laid out as General MIDI's
    (:func:`laid_out_as_gm`); on a Drum Rack laid out its own way, the pads that strike
    like hats (:func:`steady_pads`); never the fill's own pads (a kit of hats fills with
    a roll on them, and then its open hat leaves the roll to them too)."""
    groove = groove_pads(seed_rows, clip_end, bar)
    if groove is None:
        return np.zeros(0, dtype=np.int64)
    if laid_out_as_gm(seed_rows):
        pads = [p for p in np.flatnonzero(groove).tolist() if family(p) in KEEPING_TIME]
        pads += [] if fills.rolls() else open_keepers(seed_rows, clip_end, bar, fills.pulse)
    else:
        pads = steady_pads(seed_rows, clip_end, bar, fills.ticks_per_beat, fills.pulse)
    return np.setdiff1d(np.asarray(pads, dtype=np.int64), fills.pads)


def _loop_windows(
    seed_rows: np.ndarray, clip_end: int, bar: int, step: int
) -> dict[int, tuple[np.ndarray, np.ndarray]] | None:
    """For each pad of the clip's loop, which ``step``-long windows of the loop (from its
    start) it strikes and its velocities; None where the loop is not whole steps long."""
    loop = loop_ticks(clip_end, bar)
    if step <= 0 or loop <= 0 or loop % step or not len(seed_rows):
        return None
    rows = seed_rows[(seed_rows[:, 0] >= clip_end - loop) & (seed_rows[:, 0] < clip_end)]
    since = rows[:, 0] - (clip_end - loop)
    return {
        int(pad): (np.unique(since[rows[:, 1] == pad] // step), rows[rows[:, 1] == pad, 3])
        for pad in np.unique(rows[:, 1])
    }


def open_keepers(seed_rows: np.ndarray, clip_end: int, bar: int, beat: int) -> list[int]:
    """The open hats (General MIDI's) that keep a beat's time: struck in every ``beat``
    (ticks: the meter's pulse, :func:`pulse_beats`) of the clip's loop, as a house or
    techno open hat on the offbeats, or a 6/8 or 12/8 groove's once in every dotted
    quarter (on it or on its off-beat, beside closed 8ths or not). In electronic music
    that open hat is the groove's time-keeper as much as the closed one, and it stopped in
    every fill bar (techno and house, 2 and 3 of 24 fill halves had one, fills phrase,
    seeds 1-3; counted in quarter notes, a 12/8 afrobeat's or shuffle's on each dotted
    quarter's last eighth, 0 of 48); an open hat struck once a bar (a rock beat's accent on
    the "and" of 4, a 6/8 beat's on its second pulse) is a flourish, which the fill stands
    in for."""
    windows = _loop_windows(seed_rows, clip_end, bar, beat)
    if windows is None:
        return []
    beats = loop_ticks(clip_end, bar) // beat
    return [p for p, (w, _) in windows.items() if family(p) == "open hat" and len(w) == beats]


def steady_pads(
    seed_rows: np.ndarray, clip_end: int, bar: int, beat: int, pulse: int | None = None
) -> list[int]:
    """The pads of a Drum Rack laid out its own way that keep the time, read from how the
    clip's loop strikes them, since their notes name no drum: in every 8th of the loop (a
    hat's or shaker's 8ths or 16ths), or in every ``pulse`` (ticks: the meter's,
    :func:`pulse_beats`; ``beat``'s when None) and never on a pulse's first 8th (an open
    hat on the offbeats, or on each dotted quarter's last 8th in 12/8), with no ghost note
    among them (:data:`GHOST`: a steady velocity, which a snare's ghost notes are not). A
    kick on every beat (four on the floor) strikes only the beats' first 8ths: it is no
    hat, and a fill is played over it, not beside it. A rack of kick 36, clap 37, hat 38
    and open hat 39 kept nothing under its fills, whose bars were then less busy than its
    groove's (21.6 notes against 26.1); read in quarter notes, a 12/8 or 6/8 rack's open
    hat on each dotted quarter's last 8th was an accent, dropped in every fill (0 of 48),
    and one on the 8ths between a 6/8 bar's quarter notes kept under its fills."""
    eighth = beat // 2
    windows = _loop_windows(seed_rows, clip_end, bar, eighth)
    if windows is None or eighth <= 0 or beat % 2:
        return []
    step = pulse if pulse and pulse % eighth == 0 else beat  # a pulse of whole 8ths
    eighths = loop_ticks(clip_end, bar) // eighth
    per = step // eighth
    out = []
    for pad, (w, levels) in windows.items():
        struck = set(w.tolist())
        steady = levels.min() > GHOST * levels.max()
        pulses = {e // per for e in struck}
        off = not any(e % per == 0 for e in struck) and len(pulses) * per == eighths
        choked = _choked(pad, windows, eighths) and any(e % per for e in struck)
        if steady and (len(struck) == eighths or off or choked):
            out.append(pad)
    return out


def _choked(pad: int, windows: dict[int, tuple[np.ndarray, np.ndarray]], eighths: int) -> bool:
    """Whether a pad strikes every one of the loop's ``eighths`` but those another pad
    strikes, and more of them: a closed hat that its open hat chokes (a rack's choke
    group, or a producer who leaves the closed hat out where the open one rings), or a hat
    left out under the clap. ``windows``: :func:`_loop_windows`'s, in 8ths."""
    mine = set(windows[pad][0].tolist())
    return any(
        other != pad
        and len(mine) > len(theirs := set(w.tolist()))
        and not mine & theirs
        and len(mine | theirs) == eighths
        for other, (w, _) in windows.items()
    )


def kept_time(
    notes: np.ndarray, seed_rows: np.ndarray, fills: Fills, pads: np.ndarray, end: int | None
) -> np.ndarray:
    """The loop's hits (rows: onset, pad, length ticks, velocity) on the time-keepers'
    ``pads`` (:func:`time_keepers`) inside a take's fills, where the take's ``notes`` strike
    no such pad at that onset: the fill's own hits come over the groove's time-keeping,
    which the fill left to the network (``segue.model.generate``), and the bar grows busier;
    but not under a fill that strikes a tom, where a drummer's hands leave the hats (on a
    kit laid out as General MIDI's: a rack's pad on a tom's note may be its shaker).
    Up to ``end`` (ticks; None: the take's last note), each hit as the clip plays it."""
    loop = loop_ticks(fills.clip_end, fills.bar_ticks)
    none = np.zeros((0, 4), dtype=np.int64)
    if not len(pads) or not len(notes) or loop <= 0:
        return none
    stop = int(notes[:, 0].max()) + 1 if end is None else end
    lo = fills.clip_end - loop
    rows = seed_rows[(seed_rows[:, 0] >= lo) & (seed_rows[:, 0] < fills.clip_end)]
    rows = rows[np.isin(rows[:, 1], pads)]
    repeats = -(-(stop - fills.clip_end) // loop)
    if not len(rows) or repeats <= 0:
        return none
    out = np.concatenate([rows + [k * loop, 0, 0, 0] for k in range(1, repeats + 1)])
    out = out[(out[:, 0] < stop) & fills.inside(out[:, 0])]
    struck = {(int(o), int(p)) for o, p in notes[:, :2].tolist()}
    free = [(int(o), int(p)) not in struck for o, p in out[:, :2].tolist()]
    out = out[np.asarray(free, dtype=bool)]
    # a fill on the toms has the drummer's hands: its hats stop (a tom run under 8th hats);
    # on a rack laid out its own way, a pad on a GM tom's note is no tom
    toms = notes[[family(int(p)) == "tom" for p in notes[:, 1]], 0]
    toms = toms[fills.inside(toms)] if laid_out_as_gm(seed_rows) else toms[:0]
    out = out[~np.isin(fills.start(out[:, 0]), fills.start(toms))]
    if end is not None:
        out[:, 2] = np.minimum(out[:, 2], end - out[:, 0])
    return out.astype(np.int64).reshape(-1, 4)


def floor_kicks(
    kept: frozenset[tuple[int, int]], seed_rows: np.ndarray, clip_end: int, bar: int, pulse: int
) -> np.ndarray:
    """The kick pads of a four-on-the-floor beat: a kick the clip's loop strikes on every
    pulse of every bar (its :func:`backbone`) and nowhere else. Its pattern is the beat's
    backbone, which a take adds no kick of its own to outside a fill
    (``segue.model.drum_steps.off_the_floor``): a house or techno take put a kick on the
    last 16th before a beat, on the clip's grid, in 11 and 6 of 96 bars (the network
    learnt pickups from broken beats), and the four on the floor stumbled."""
    loop = loop_ticks(clip_end, bar)
    if pulse <= 0 or bar % pulse or not kept or loop <= 0:
        return np.zeros(0, dtype=np.int64)
    beats = set(range(0, bar, pulse))
    rows = seed_rows[(seed_rows[:, 0] >= clip_end - loop) & (seed_rows[:, 0] < clip_end)]
    out = []
    for pad in sorted({pad for _, pad in kept if family(pad) == "kick"}):
        places = {place for place, p in kept if p == pad}
        struck = {int(t) % bar for t in rows[rows[:, 1] == pad, 0] - (clip_end - loop)}
        if places == beats and struck == beats:
            out.append(pad)
    return np.array(out, dtype=np.int64)


@dataclass(frozen=True)
class Backbeat:
    """A half-time beat's backbeat as its clip plays it: its ``pads``
    (:func:`backbeat_pads_on`, on the bar's middle beat alone: a snare or clap on 3) and the
    beats a backbeat in double time would take (``beats``: 2 and 4, ticks into a bar of
    ``bar`` ticks, from ``clip_end``) where the clip's loop strikes none of them. At
    ``--memory`` 0, where the network plays all but the anchors, a half-time rock beat's
    takes put a snare on 2 or 4 in 118 of 128 bars (11 at memory 1): the groove turned
    back to double time (helper-213). A beat whose backbeat is on 2 and 4 has none: its
    snare taken off 1 and 3 left the network a pad the clip plays now and then there."""

    pads: np.ndarray
    beats: np.ndarray
    bar: int
    clip_end: int

    @classmethod
    def of(
        cls, seed_rows: np.ndarray, clip_end: int, bar: int, beat: int, beats_per_bar: int
    ) -> Backbeat | None:
        """The backbeat of the clip's loop (``beat``, ticks, ``beats_per_bar``: the meter's),
        None where it is not in half time, or strikes 2 and 4 as well."""
        loop = loop_ticks(clip_end, bar)
        if loop <= 0 or beat <= 0 or bar % beat or not len(seed_rows):
            return None
        start = clip_end - loop
        rows = seed_rows[(seed_rows[:, 0] >= start) & (seed_rows[:, 0] < clip_end)].copy()
        rows[:, 0] -= start  # from the loop's first downbeat
        pads, on = backbeat_pads_on(rows, beat, beats_per_bar)
        if not pads or not half_time(on, beats_per_bar):
            return None
        struck = {int(t) % bar for t in rows[np.isin(rows[:, 1], pads), 0]}
        doubled = range(beat, bar, 2 * beat)  # 2 and 4: a backbeat's beats in double time
        beats = np.array([t for t in doubled if t not in struck], dtype=np.int64)
        if not len(beats):
            return None
        return cls(np.asarray(pads, dtype=np.int64), beats, bar, clip_end)

    def off(self, onset: np.ndarray) -> np.ndarray:
        """Which ``onset`` (ticks) fall on a beat the backbeat leaves alone."""
        return np.isin((np.asarray(onset) - self.clip_end) % self.bar, self.beats)


ONE_A_KIT = {"kick": 36, "snare": 38}
"""The families a kit has one drum of, and the General MIDI note a kit without one takes:
General MIDI's second kick and snare (35, 40) are the same drum on another note. Beside a
clip's kick on 36, ``--kit gm`` played the fill bar's downbeat on 35 in 10 of 60 takes,
below a Drum Rack's first pad (C1 = 36): silent in a stock kit."""


def gm_kit(pads: np.ndarray) -> list[int]:
    """The General MIDI drums a kit of ``pads`` may add: every one but a second kick or
    snare (:data:`ONE_A_KIT`)."""
    have = {family(int(p)) for p in pads}
    return [
        n
        for n in GM_NOTES
        if (kind := family(n)) not in ONE_A_KIT or (kind not in have and n == ONE_A_KIT[kind])
    ]


def kit_mask(seed_rows: np.ndarray, kit: str, low: int, high: int) -> np.ndarray:
    """(128,) the pads a drum continuation may play: the clip's (``kit`` "clip", when the
    clip has notes) or the General MIDI drums it may add (:func:`gm_kit`) and the clip's
    (``kit`` "gm"), in ``low``-``high``."""
    mask = np.zeros(128, dtype=bool)
    pads = np.unique(seed_rows[:, 1]) if len(seed_rows) else np.zeros(0, dtype=np.int64)
    mask[pads] = True
    if kit == "gm" or not len(pads):
        mask[gm_kit(pads)] = True
    mask[:low] = False
    mask[high + 1 :] = False
    return mask


def groove_pads(seed_rows: np.ndarray, clip_end: int, bar: int) -> np.ndarray | None:
    """(128,) the pads a drum take may add notes on outside a fill: those the clip's loop
    strikes once a bar or more (its kick, snare, hats). A pad the clip strikes now and
    then (a vocal chop once in 2 bars, a crash, a tom) is played where the clip plays it:
    on a custom Drum Rack the network, which knows General MIDI's kit, fired a vocal chop
    on 2 and 4 (1.8 times as often as the clip, 46% of them where it has none). None when
    no pad is struck that often."""
    loop = loop_ticks(clip_end, bar)
    if loop <= 0 or bar <= 0 or not len(seed_rows):
        return None
    inside = seed_rows[(seed_rows[:, 0] >= clip_end - loop) & (seed_rows[:, 0] < clip_end)]
    counts = np.bincount(inside[:, 1].astype(np.int64), minlength=128)[:128]
    mask = counts >= max(loop / bar, 1.0)
    return mask if mask.any() else None


@dataclass(frozen=True)
class Fills:
    """Where fills go in a continuation that starts at ``clip_end`` (ticks)."""

    every: int  # bars
    ticks: int  # how long a fill is
    clip_end: int
    bar_ticks: int
    ticks_per_beat: int
    pulse: int  # ticks: the meter's beat (:func:`pulse_beats`), a dotted quarter in 6/8, 12/8
    pads: np.ndarray  # the kit's fill pads
    crash: int | None  # the kit's crash, if it has one
    marks: tuple[tuple[int, int, float], ...] = ()  # (every N bars, ticks, crash chance)
    spacing: int = 0  # ticks: how closely the clip strikes its hats, open or closed (0: none)

    @property
    def cycle(self) -> int:
        """How many bars the fills take to come round again (from the continuation's first)."""
        return max([self.every, *(every for every, _, _ in self.marks)])

    def ticks_in(self, bar: np.ndarray) -> np.ndarray:
        """How long the fill of each bar of the continuation (from 0) is (ticks): the
        setting's, longer at the bigger marks (:data:`MARKS`)."""
        bar = np.asarray(bar)
        out = np.full(bar.shape, self.ticks, dtype=np.int64)
        for every, ticks, _ in reversed(self.marks):  # the biggest mark last, over the others
            out = np.where(bar % every == every - 1, max(ticks, self.ticks), out)
        return out

    def lengths(self) -> tuple[int, ...]:
        """The lengths (ticks) the fills take, shortest first."""
        return tuple(sorted({self.ticks, *(max(t, self.ticks) for _, t, _ in self.marks)}))

    def length_at(self, onset: np.ndarray) -> np.ndarray:
        """How long the fill of each onset's bar is (ticks: :meth:`ticks_in`)."""
        return self.ticks_in((np.asarray(onset) - self.clip_end) // self.bar_ticks)

    @cached_property
    def _starts(self) -> np.ndarray:
        """Where in each bar of the fills' round (``math.lcm`` of their marks' bars) its fill
        begins (ticks), past the bar's end in a bar without one: :meth:`inside` reads it at
        every step of a take (worked out there each time, a fill request took 9 ms more)."""
        bars = np.arange(math.lcm(self.every, *(every for every, _, _ in self.marks)))
        filled = bars % self.every == self.every - 1
        return np.where(filled, self.bar_ticks - self.ticks_in(bars), self.bar_ticks + 1)

    def inside(self, onset: np.ndarray) -> np.ndarray:
        """Which onsets (ticks) fall in a fill."""
        since = np.asarray(onset) - self.clip_end
        starts = self._starts
        start = starts[since // self.bar_ticks % len(starts)]
        return (since >= 0) & (since % self.bar_ticks >= start)

    def start(self, onset: np.ndarray) -> np.ndarray:
        """Where the fill of each onset's bar (ticks) begins."""
        since = np.asarray(onset) - self.clip_end
        bar = since // self.bar_ticks
        lead = self.bar_ticks - self.ticks_in(bar)
        return self.clip_end + bar * self.bar_ticks + lead

    def end(self, onset: np.ndarray) -> np.ndarray:
        """The downbeat after the fill each onset (ticks) falls in: where the groove is back."""
        since = np.asarray(onset) - self.clip_end
        return self.clip_end + (since // self.bar_ticks + 1) * self.bar_ticks

    def rolls(self) -> bool:
        """Whether the fill pads are hats (:data:`ROLLED_FAMILIES`): a fill heard by its
        rhythm alone."""
        return bool(len(self.pads)) and all(family(int(p)) in ROLLED_FAMILIES for p in self.pads)

    def lean_offsets(
        self, logits: np.ndarray, rows: np.ndarray, allowed: np.ndarray | None = None
    ) -> np.ndarray:
        """Offset ``logits`` with 16th and 32nd notes raised by :data:`BUSY_LEAN` in ``rows``,
        and on a kit of hats (:meth:`rolls`) further where they still take less than
        :data:`FILL_SHARE` of the offsets ``allowed`` (rows, offsets; None: any): those
        faster than the clip strikes its hats (:attr:`spacing`), a 16th hat loop's roll in
        32nds. Leant to its own 16ths, a 16th hat loop's 16th bar filled with 16 closed
        16ths, its open hats gone: less than its groove in 8 of 12 takes (helper-95)."""
        out = logits.copy()
        out[np.ix_(rows, BUSY_OFFSETS)] += BUSY_LEAN
        if not self.rolls() or not len(rows):
            return out
        faster = BUSY_OFFSETS[BUSY_OFFSETS < self.spacing] if self.spacing else BUSY_OFFSETS
        offsets = faster if len(faster) else BUSY_OFFSETS
        sub = out[rows] if allowed is None else np.where(allowed[rows], out[rows], -np.inf)
        busy = np.zeros(sub.shape[1], dtype=bool)
        busy[offsets] = True
        fast = _logsumexp(np.where(busy, sub, -np.inf))
        rest = _logsumexp(np.where(busy, -np.inf, sub))
        need = np.log(FILL_SHARE / (1 - FILL_SHARE)) + rest - fast
        more = np.where(np.isfinite(need), np.maximum(need, 0.0), 0.0)
        out[np.ix_(rows, offsets)] += more[:, None]
        return out

    def lean_pitches(self, logits: np.ndarray, rows: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """Pitch ``logits`` with the fill pads of ``rows`` raised by :data:`PAD_LEAN`, and
        further where they still take less than :data:`FILL_SHARE` of the pads ``allowed``
        (rows, 128): a pad the network never fills on (a side stick, a clap) is then heard
        as a fill too."""
        out = logits.copy()
        if not len(self.pads) or not len(rows):
            return out
        out[np.ix_(rows, self.pads)] += PAD_LEAN
        sub = np.where(allowed[rows], out[rows], -np.inf)
        on_pads = np.zeros(sub.shape[1], dtype=bool)
        on_pads[self.pads] = True
        fill = _logsumexp(np.where(on_pads, sub, -np.inf))
        rest = _logsumexp(np.where(on_pads, -np.inf, sub))
        need = np.log(FILL_SHARE / (1 - FILL_SHARE)) + rest - fill  # nats more to the share
        more = np.where(np.isfinite(need), np.maximum(need, 0.0), 0.0)
        out[np.ix_(rows, self.pads)] += more[:, None]
        return out

    def leads(self, pitch: np.ndarray) -> np.ndarray:
        """Which pitches are the fill's own pads (its snares and toms): those a fill plays
        loud (:meth:`loud_enough`), while the hats and cymbals beside them keep the groove's
        dynamics (a house beat's closed hats at 55-62 came back at 92-96 in every fill)."""
        return self._on_pads[within(pitch, 0, 127)]

    @cached_property
    def _on_pads(self) -> np.ndarray:
        """(128,) whether each pitch is a fill pad: :meth:`leads` reads it at every step of a
        take (``np.isin`` there cost a fill request 3 ms)."""
        out = np.zeros(128, dtype=bool)
        out[self.pads] = True
        return out

    def loud_enough(self, logits: np.ndarray, rows: np.ndarray, floor: int) -> np.ndarray:
        """Velocity ``logits`` with the fill notes of ``rows`` at velocity class ``floor`` or
        louder: a fill stands out of the groove, it does not whisper (on a beat with ghost
        notes at 20, fills were snares at 16-48, barely heard). ``rows``: the notes on the
        fill's pads (:meth:`leads`)."""
        out = logits.copy()
        out[np.ix_(rows, np.arange(min(max(floor, 0), logits.shape[1] - 1)))] = -np.inf
        return out

    def crashes(
        self, notes: np.ndarray, end_tick: int | None, velocity: int, rng: np.random.Generator
    ) -> np.ndarray:
        """Crash hits (rows) on the downbeats after this variation's fills, half the time, and
        after the fills at the bigger marks (:data:`MARKS`) at those marks' chance."""
        if self.crash is None or not len(notes):
            return np.zeros((0, 4), dtype=np.int64)
        last = int(notes[:, 0].max()) if end_tick is None else end_tick
        out = []
        bar = self.every
        while self.clip_end + bar * self.bar_ticks < last:
            chance = next((c for every, _, c in self.marks if bar % every == 0), CRASH_CHANCE)
            if rng.random() < chance:
                out.append(
                    (
                        self.clip_end + bar * self.bar_ticks,
                        self.crash,
                        self.ticks_per_beat,
                        velocity,
                    )
                )
            bar += self.every
        return np.array(out, dtype=np.int64).reshape(-1, 4)


def _logsumexp(x: np.ndarray) -> np.ndarray:
    """log(sum(exp(x))) along the last axis; -inf for a row of nothing but -inf."""
    top = x.max(axis=-1)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.exp(x - safe[..., None]).sum(axis=-1)) + safe


def pulse_beats(signature: TimeSignature) -> float:
    """The meter's pulse, in beats: a dotted note in a compound meter (6/8, 9/8, 12/8, 6/16:
    a numerator of 6 or more divisible by 3, over 8 or more), else a quarter note."""
    num, den = signature.numerator, signature.denominator
    return 3 * 4 / den if num % 3 == 0 and num > 3 and den >= 8 else 1.0


def fill_ticks(pulses: int, signature: TimeSignature, ticks_per_beat: int) -> int:
    """How long a fill of ``pulses`` pulses is in this meter (ticks): at most the bar less
    its first pulse, and in a bar of one pulse (or less), its second half."""
    pulse = round(pulse_beats(signature) * ticks_per_beat)
    bar = round(signature.beats_per_bar * ticks_per_beat)
    room = bar - pulse
    return min(pulses * pulse, room) if room > 0 else bar // 2


TIMEKEEPERS = ("hat", "open hat", "ride", "kick", "percussion")
"""The families of General MIDI drums a beat's busiest pad is (hats, a ride, a shaker,
four-on-the-floor kicks): a clip whose busiest pad is a GM snare, clap or tom is a Drum
Rack laid out its own way."""


def _busiest(seed_rows: np.ndarray) -> int:
    """The pad a (non-empty) clip strikes most: its time keeper."""
    pads, counts = np.unique(seed_rows[:, 1], return_counts=True)
    return int(pads[np.argmax(counts)])


def laid_out_as_gm(seed_rows: np.ndarray) -> bool:
    """Whether a drum clip's pads look like General MIDI's: its busiest pad keeps time as a
    GM hat, ride, shaker or kick does (a clip with no notes: yes)."""
    return not len(seed_rows) or family(_busiest(seed_rows)) in TIMEKEEPERS


def backbeat_pads(seed_rows: np.ndarray, beat: int, beats_per_bar: int) -> tuple[int, ...]:
    """The pads of a clip that strike its backbeat, busiest first (:func:`backbeat_pads_on`)."""
    return backbeat_pads_on(seed_rows, beat, beats_per_bar)[0]


def backbeat_pads_on(
    seed_rows: np.ndarray, beat: int, beats_per_bar: int
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The pads of a clip that strike its backbeat (beats 2 and 4 of a bar of 4; the beats
    between the downbeat and the bar's others), busiest first, and those beats (from 0): a
    snare's or clap's part, whatever pads a Drum Rack puts them on, the time keeper's hits
    there aside; a pad counts as far as it strikes the backbeat more often than the bar's
    other beats, so a pad on every beat (a four-on-the-floor kick, a shaker's 8ths) strikes
    no backbeat. Such a kick came first, tied with a house beat's clap: a take's
    ghost-note touch was a kick pickup, and a Drum Rack laid out its own way filled on its
    kick. A waltz's snare on 2 and 3 strikes its backbeat. Where none does, a bar of 4
    beats (or 8, or 12) in half time has its backbeat on the bar's middle beat alone (a
    trap beat's clap or snare on 3): a pad that strikes that beat more often than all the
    bar's other beats together (a kick on 1 and 3 does not). A half-time trap beat had no
    backbeat, so no ghost note on its clap, and with its hats on every 16th no touch at
    all: its 1-bar takes were the clip in 15 of 32. Empty when none does."""
    if not len(seed_rows) or beats_per_bar < 2:
        return (), ()
    onsets, pads = seed_rows[:, 0], seed_rows[:, 1]
    on_beat = onsets % beat == 0
    index = (onsets // beat) % beats_per_bar
    backbeat = on_beat & (index % 2 == 1)
    backs = beats_per_bar // 2  # the bar's backbeats and its other beats
    keeper = _busiest(seed_rows)
    beats = tuple(range(1, beats_per_bar, 2))
    found = _struck_more(pads, backbeat, on_beat & ~backbeat, beats_per_bar - backs, backs, keeper)
    if not found and beats_per_bar % 4 == 0:  # half time: the bar's middle beat alone
        middle = on_beat & (index == beats_per_bar // 2)
        found = _struck_more(pads, middle, on_beat & ~middle, 1, 1, keeper)
        beats = (beats_per_bar // 2,)
    return found, beats if found else ()


def half_time(beats: tuple[int, ...], beats_per_bar: int) -> bool:
    """Whether a backbeat on ``beats`` (from 0, :func:`backbeat_pads_on`'s) of a bar of
    ``beats_per_bar`` is read in half time: on the bar's middle beat alone, in a bar of 4
    (8, 12): a trap beat's clap or snare on 3, not a house or funk beat's on 2 and 4."""
    return beats_per_bar % 4 == 0 and beats == (beats_per_bar // 2,)


def _struck_more(
    pads: np.ndarray, there: np.ndarray, others: np.ndarray, weight: int, other: int, keeper: int
) -> tuple[int, ...]:
    """The pads (but the ``keeper``) that strike the hits ``there`` (a mask of the clip's
    rows) more often than the ``others``, counted ``weight`` and ``other`` each, busiest
    first: those within half of the busiest's count."""
    hits = {
        int(p): weight * int(np.count_nonzero(there & (pads == p)))
        - other * int(np.count_nonzero(others & (pads == p)))
        for p in np.unique(pads)
    }
    hits.pop(keeper, None)
    most = max(hits.values(), default=0)
    if most <= 0:
        return ()
    return tuple(p for p, n in sorted(hits.items(), key=lambda x: -x[1]) if 2 * n >= most)


def fills_for(
    fills: str,
    kit: np.ndarray,
    clip_end: int,
    signature: TimeSignature,
    ticks_per_beat: int,
    seed_rows: np.ndarray | None = None,
) -> Fills | None:
    """The fills a ``fills`` setting asks for on this kit, in this meter (None for "none").
    On a Drum Rack laid out its own way (``seed_rows``, the clip, say so), a fill is played
    on the pads of the clip's backbeat, with no crash: a GM snare's or tom's number there
    was a shaker or a vocal chop, slammed in every fill, and a GM crash's a vocal hit."""
    if fills not in FILLS:
        return None
    every, pulses = FILLS[fills]
    bar = round(signature.beats_per_bar * ticks_per_beat)
    marks = tuple(
        (n, fill_ticks(p, signature, ticks_per_beat) if p else bar, chance)
        for n, p, chance in MARKS
    )
    pads = np.flatnonzero(kit)
    crash = next((c for c in CRASHES if kit[c]), None)
    chosen = fill_pads(pads.tolist())
    if seed_rows is not None and not laid_out_as_gm(seed_rows):
        beat = round(ticks_per_beat * 4 / signature.denominator)
        backbeat = backbeat_pads(seed_rows, beat, signature.numerator)
        chosen = tuple(p for p in backbeat if kit[p]) or chosen
        crash = None
    return Fills(
        every,
        fill_ticks(pulses, signature, ticks_per_beat),
        clip_end,
        bar,
        ticks_per_beat,
        round(pulse_beats(signature) * ticks_per_beat),
        np.asarray(chosen, dtype=np.int64),
        crash,
        marks,
        pad_spacing(seed_rows, [p for p in pads.tolist() if family(p) in ROLLED_FAMILIES])
        if seed_rows is not None
        else 0,
    )


def pad_spacing(seed_rows: np.ndarray, pads: Iterable[int]) -> int:
    """The closest two onsets (ticks) of the clip's notes on ``pads`` lie (0: fewer than two)."""
    onsets = np.unique(seed_rows[np.isin(seed_rows[:, 1], list(pads)), 0])
    gaps = np.diff(onsets)
    return int(gaps.min()) if len(gaps) else 0
