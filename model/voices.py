"""What still sounds while notes are generated: the polyphony limit and no pitch struck twice.

segue's generation and the evaluation's baselines keep their notes apart with the
same :class:`Voices`, in ticks of segue's grid. A limit the musician sets takes a voice
as a mono synth does: a new note cuts the oldest that still sounds (:func:`stolen`), and
only notes struck together are held to it (one voice of a clip that is a line: the line as
the clip plays it). Where no limit is set, a clip that plays one
note at a time is held to one voice, with its own overlaps, and a clip of chords to the
most notes it sounds at once (:func:`voice_limit`). The hard limit, which nobody set, lets
a note begin only where a voice is free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.model.vocab import any_set
from segue.notes import Clip, Note

HARD_POLYPHONY = 16
"""Never more notes sounding at once than this, whatever is asked."""

EPSILON = 1e-6  # beats: a float's last digits, not a played overlap


@dataclass(frozen=True)
class VoiceLimit:
    """How many notes of a continuation sound at once, and how one gives way to the next."""

    polyphony: int = 0
    """0: no limit but :data:`HARD_POLYPHONY`; else a new note cuts the oldest (:func:`stolen`)."""
    legato: float = 0.0
    """Beats a note that gave way still rings into the note that cut it: the clip's own
    overlap (a mono synth glides where notes overlap)."""
    arranged: int = 0
    """0, or the voices of a chord part the network plays in (the clip's own) before they
    are reduced to ``polyphony`` as an arranger reduces them (:func:`arranged`), where the
    musician asks fewer voices than the clip sounds."""
    graces: bool = False
    """Whether the line's grace notes (:func:`ornaments`) are no voice of it, as in the clip
    the line goes on from, which plays some: a grace note neither cuts the note it sounds
    under nor is cut by the note it leads into, and one struck with its note leaves the
    voice to it (:func:`stolen`, :meth:`Voices.offset_mask`)."""
    on_tick: int = 0
    """0, or the most notes of a line that the network hears struck on one tick where the
    clip plays them apart (``feel.as_heard``: a muted strum's voices 25 ms apart, a 64th
    trill at 90 BPM), not its grace notes: the onsets of the grid hold as many, and the
    line as played keeps them apart (:func:`stolen`). Held to one, a short strum came back
    without its second voice in every chord."""

    @property
    def generated(self) -> int:
        """The voices the network plays in: the clip's, where they are :attr:`arranged`; at
        an onset of a line, as many as it hears struck on one tick (:attr:`on_tick`)."""
        return self.arranged or max(self.polyphony, self.on_tick)


NO_LIMIT = VoiceLimit()


TOGETHER = 1 / 32
"""Beats within which two onsets are struck together (a chord played by hand); apart, a
line's notes, however fast (a 32nd note is 1/8 beat)."""
ORNAMENT = 1 / 6
"""Beats: a note shorter than this (a 16th triplet) that leads straight into a note at
least twice as long is a grace note, an ornament of the line (a 10 ms grace before a
lead's note made a chord of it: no limit, and the continuation played clusters). A
player's grace takes some 50-100 ms whatever the tempo, and a 16th triplet is 111 ms at
90 BPM, 71 ms at 140. Under 1/8 beat (83 ms at 90 BPM), a lead's 90 ms graces played over
the end of the note before were a voice of their own: the line was two voices, and under
--polyphony 1 the arranger's top line cut the note held under each grace."""


def _ornament(note: Note, after: Note) -> bool:
    return _grace(note.start, note.duration, after.start, after.duration)


def _grace(start: float, length: float, next_start: float, next_length: float) -> bool:
    """Whether a note (``start``, ``length``, beats) is a grace note of the one after it."""
    return (
        length < ORNAMENT
        and next_start - (start + length) <= TOGETHER
        and next_start - start < ORNAMENT + TOGETHER
        and next_length >= 2 * length
    )


def struck_together(starts: np.ndarray, together: float = TOGETHER) -> np.ndarray:
    """(n,) the moment each of the notes (``starts``, any order) is struck at: the earliest
    onset of the notes struck within ``together`` of it (:data:`TOGETHER` in beats; in
    ticks, 0.75: one tick alone), whichever of them came first. A player's grace note
    struck with its note lies a few milliseconds before or after it, as a recorded take
    has it."""
    begins = np.asarray(starts, dtype=np.float64)
    out = begins.copy()
    first = None
    for i in np.argsort(begins, kind="stable").tolist():
        if first is None or begins[i] - first >= together - EPSILON:
            first = begins[i]
        out[i] = first
    return out


def struck_with(starts: np.ndarray, lengths: np.ndarray, together: float = TOGETHER) -> np.ndarray:
    """(n,) the moment each of the notes (``starts`` and ``lengths``, one unit, any order;
    ``together``: :data:`TOGETHER` in it) is struck at: :func:`struck_together`, and a late
    grace note's, its note's (:func:`_late_hosts`)."""
    begins = np.asarray(starts, dtype=np.float64)
    spans = np.asarray(lengths, dtype=np.float64)
    moments = struck_together(begins, together)
    for i, host in _late_hosts(begins, spans, together / TOGETHER).items():
        moments[i] = moments[host]
    return moments


def _late_hosts(starts: np.ndarray, lengths: np.ndarray, unit: float) -> dict[int, int]:
    """Of notes (``starts`` and ``lengths``; ``unit``: a beat in their unit), each late grace
    note -> the note it sits on: a note shorter than :data:`ORNAMENT`, struck after a note at
    least twice as long by less than its own length, and over before that note is (a flam's
    second stroke some 10-40 ms after the first, a player's grace 50-100 ms long: a bass's
    blip a semitone under its note, struck 20 ms late). Its note is the latest such. Apart
    by more than :data:`TOGETHER` (15.6 ms at 120 BPM), a bass's late graces made it two
    voices, and under --polyphony 1 the arranger left every grace out."""
    out: dict[int, int] = {}
    for i in np.flatnonzero(lengths < ORNAMENT * unit).tolist():
        lag = starts[i] - starts
        sits = (
            (lag > EPSILON * unit)
            & (lag < lengths[i])
            & (lengths >= 2 * lengths[i])
            & (starts + lengths >= starts[i] + lengths[i] - EPSILON * unit)
        )
        if sits.any():
            hosts = np.flatnonzero(sits)
            out[i] = int(hosts[np.argmax(starts[hosts])])
    return out


def late_graces(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(n,) bool: which of the notes (``starts`` and ``lengths`` in beats, any order) are late
    grace notes (:func:`_late_hosts`), struck after the note they sit on: no voice of a roll
    (``feel.rolled_voices``), nor the place's timing."""
    out = np.zeros(len(starts), dtype=bool)
    hosts = _late_hosts(
        np.asarray(starts, dtype=np.float64), np.asarray(lengths, dtype=np.float64), 1.0
    )
    out[list(hosts)] = True
    return out


def grace_order(
    starts: np.ndarray, lengths: np.ndarray, together: float = TOGETHER, late: bool = True
) -> np.ndarray:
    """The order of notes (``starts`` and ``lengths``, one unit, ``together``:
    :data:`TOGETHER` in it) in which a line's grace note comes before the note it graces: in
    time order, notes struck together (:func:`struck_with`: a late grace note with the note
    it sits on) shortest first (a grace note struck with its note, or heard on its tick:
    ``feel.as_heard``). In pitch order there, a grace note above its note came after it, was
    no grace note, and was dropped from every repeat of the clip (graces below were kept);
    in time order, a grace a few milliseconds after its note was none either, and the line
    two voices. Without ``late``, notes in time order: a late grace after its note."""
    struck = struck_with(starts, lengths, together) if late else struck_together(starts, together)
    moments = np.round(struck, 6)
    return np.lexsort((np.asarray(lengths), moments))


def graces_first(rows: np.ndarray) -> np.ndarray:
    """A line's grid rows ((n, 3+) onset, pitch, duration ..., in time order) in
    :func:`grace_order`: a grace note heard on its note's tick comes first, where the onset
    mask leaves the voice to the note it graces (:meth:`Voices.offset_mask`) and the loop
    proposes it first. After its note, the voice was full at that tick and the grace note
    left out of every repeat: a lead's graces above its notes, a bass's blips. A late grace
    a tick or two after its note stays after it: the rows stay in time order."""
    together = TOGETHER * TICKS_PER_BEAT  # under a tick: notes on one tick
    return rows[grace_order(rows[:, 0], rows[:, 2], together, late=False)] if len(rows) else rows


def ornaments(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(n,) bool: which of the notes (``starts`` and ``lengths`` in beats, in time order) are
    grace notes (:data:`ORNAMENT`) of the note after them (:func:`grace_order`: notes struck
    together, whatever their pitches, shortest first)."""
    out = np.zeros(len(starts), dtype=bool)
    order = grace_order(starts, lengths).tolist()
    for i, j in zip(order, order[1:], strict=False):
        out[i] = _grace(starts[i], lengths[i], starts[j], lengths[j])
    return out


def line_overlap(notes: Sequence[Note]) -> float | None:
    """The most a note of ``notes`` rings into the next one (beats; 0: a detached line) when
    they are a single line: no two struck together (within :data:`TOGETHER`), none ringing
    over half the next note (a note held under another), none still sounding where the note
    after next begins; grace notes (:data:`ORNAMENT`) are the line's ornaments, not a voice.
    None for chords, a note held under others, or no notes."""
    if not notes:
        return None
    order = grace_order(np.array([n.start for n in notes]), np.array([n.duration for n in notes]))
    ordered = [notes[i] for i in order.tolist()]  # graces first, struck with their notes
    ordered = [
        n
        for n, after in zip(ordered, [*ordered[1:], None], strict=True)
        if after is None or not _ornament(n, after)
    ]
    if not ordered:
        return None
    pairs = list(zip(ordered, ordered[1:], strict=False))
    if any(b.start - a.start < TOGETHER for a, b in pairs):
        return None
    if any(a.end > c.start + EPSILON for a, c in zip(ordered, ordered[2:], strict=False)):
        return None
    overlaps = [a.end - b.start for a, b in pairs]
    if any(o > b.duration / 2 + EPSILON for o, (_, b) in zip(overlaps, pairs, strict=True)):
        return None
    most = max(overlaps, default=0.0)
    return most if most > EPSILON else 0.0


LEGATO = 1 / 8
"""Beats a note may still ring after the next one begins and not count as a voice of its
own: a hand-played legato (a keyboard player's overlap is some 20-60 ms, and a 32nd note
is 62 ms at 120 BPM), not a note held over the next chord."""


def most_sounding(notes: Sequence[Note], slack: float = LEGATO) -> int:
    """The most of ``notes`` that sound at once (beats), a note that rings less than
    ``slack`` into notes begun after it not counted among them (a chord released a little
    after the next one begins: a played legato). A note held over the next chord (a
    suspension, a pedal bass) is one of its voices, and notes struck together (within
    :data:`TOGETHER`) are a chord however short."""
    events = sorted(
        [(n.start, 1) for n in notes]
        + [(max(n.end - slack, min(n.end, n.start + TOGETHER)), -1) for n in notes]
    )  # at one time an end (-1) comes first: notes that only touch are apart
    sounding = most = 0
    for _, step in events:
        sounding += step
        most = max(most, sounding)
    return most


def voice_limit(
    asked: int, seed: Sequence[Note], drums: bool, heard: Sequence[float] | None = None
) -> VoiceLimit:
    """The musician's ``asked`` polyphony limit (0: none asked) for a continuation of ``seed``.
    None asked, a clip that is a single line goes on as one: one note at a time, each ringing
    into the next no more than the clip's own notes do (:func:`line_overlap`). A mono lead
    came back with chords and with notes held over the next one, which a mono synth plays
    as glides the musician never wrote. Any other clip goes on with no more voices than it
    sounds at once itself (:func:`most_sounding`), a new chord cutting the oldest notes: a
    4-voice chorale went on in 5 or 6 under a limit of 16 (helper-69). A note held over the
    next chord is counted where the clip holds one, and no voice is added for it where the
    clip does not. One voice asked of a clip that is a single line is that line, as the
    clip plays it (its overlaps and grace notes): under --polyphony 1 a lead's grace notes
    each took the voice, and the note they led into was left out or cut under them in every
    repeat. A drum model's hits are held to neither: a kit's pads are not voices,
    and --polyphony 1 on a beat dropped every hat struck with a kick or a snare (85 hits ->
    66, helper-62). ``heard``: where the network hears each note of ``seed`` struck (beats,
    in its order: ``feel.Hearing.tick``), for the notes of a line it hears on one tick
    (:attr:`VoiceLimit.on_tick`)."""
    if drums:
        return NO_LIMIT
    overlap = line_overlap(seed)
    most = most_sounding(seed) if overlap is None else 1
    if asked and (asked > 1 or overlap is None):  # fewer voices than a chord part's: its
        reduced = min(most, HARD_POLYPHONY) if most > asked else 0  # chords in full, reduced
        return VoiceLimit(asked, arranged=reduced)
    if overlap is not None:  # its grace notes as the clip plays them (VoiceLimit.graces)
        order = sorted(range(len(seed)), key=lambda i: (seed[i].start, seed[i].pitch))
        starts = np.array([seed[i].start for i in order])
        grace = ornaments(starts, np.array([seed[i].duration for i in order]))
        on_tick = 0
        if heard is not None:  # the line's notes, but its graces, heard on one tick
            ticks = np.round(np.asarray(heard, dtype=np.float64)[order][~grace], 6)
            on_tick = int(np.unique(ticks, return_counts=True)[1].max(initial=0))
        return VoiceLimit(
            1, overlap, graces=bool(grace.any()), on_tick=on_tick if on_tick > 1 else 0
        )
    return VoiceLimit(most) if 0 < most < HARD_POLYPHONY else NO_LIMIT


def chosen_voices(
    pitches: Sequence[int], voices: int, struck: Sequence[bool] | None = None
) -> list[int]:
    """Which of ``pitches`` (one sounding moment's, any order) an arranger keeps in ``voices``
    voices (their indices): one, the top (the line a listener hears); two, the outer voices,
    bass and top; more, bass and top and the inner voices from the top down. The top is the
    highest of the notes ``struck`` at that moment where some are (the others are held from
    before): a melody moving under a held pedal is the line heard, and under --polyphony 1
    a line's next note, struck under the one before, is its next note (every falling note of
    a line with double stops was dropped, and a pedal held over a melody kept alone,
    helper-71). The bass is the lowest, held or struck (a bass held under moving chords)."""
    order = sorted(range(len(pitches)), key=lambda i: pitches[i])
    if voices >= len(order):
        return order
    new = [i for i in order if struck is None or struck[i]] or order
    top = new[-1]
    if voices <= 1:
        return [top]
    bass = order[0] if order[0] != top else order[1]
    inner = [i for i in order[::-1] if i not in (top, bass)][: voices - 2]
    return [bass, top, *inner]


def arranged(rows: np.ndarray, voices: int, slack: int = 0) -> np.ndarray:
    """A take's grid rows ((n, 3+) onset, pitch, duration ..., in time order) reduced to
    ``voices`` as an arranger reduces a chord part (:func:`chosen_voices`): at each onset,
    of the notes struck there and those still held from before (a bass held under moving
    chords), the voices the rule keeps sound on; a new note it leaves out is dropped, a held
    one stops there. A held note ending within ``slack`` ticks of the onset (a played
    legato) gives way to the new notes. Under --polyphony 1 the chords of a pad came back
    as their bass notes (a chord is generated from the lowest note up, and the limit closed
    the onset after its first note), and under --polyphony 3 a held bass was cut by the
    right hand's next chord."""
    rows = np.asarray(rows).copy()
    if not len(rows) or voices <= 0:
        return rows
    keep = np.ones(len(rows), dtype=bool)
    onsets = rows[:, 0]
    for at in np.unique(onsets).tolist():
        new = np.flatnonzero(onsets == at)
        ends = rows[:, 0] + rows[:, 2]
        held = np.flatnonzero(keep & (onsets < at) & (ends > at))
        passing = held[ends[held] <= at + slack]  # a legato's release: no voice of its own
        held = held[ends[held] > at + slack]
        sounding = np.concatenate([held, new])
        if len(sounding) + len(passing) <= voices:
            continue
        rows[passing, 2] = at - rows[passing, 0]
        if len(sounding) <= voices:
            continue
        struck = [i >= len(held) for i in range(len(sounding))]
        kept = sounding[chosen_voices(rows[sounding, 1].tolist(), voices, struck)]
        left = np.setdiff1d(sounding, kept)
        keep[left[onsets[left] == at]] = False
        stopped = left[onsets[left] < at]
        rows[stopped, 2] = at - rows[stopped, 0]
    return rows[keep]


class Voices:
    """What still sounds, per variation: note ends for the polyphony limit, and the
    latest end of each pitch so no pitch is struck again while it sounds (ticks)."""

    WINDOW = HARD_POLYPHONY * 4  # only recent notes can still sound

    def __init__(self, variations: int, seed: np.ndarray) -> None:
        """``seed``: grid rows (onset, pitch, duration, ...) of the notes before."""
        recent = seed[-self.WINDOW :]
        self.ends = np.zeros((variations, self.WINDOW), dtype=np.int64)
        self.ends[:, : len(recent)] = recent[:, 0] + recent[:, 2]
        self.starts = np.zeros((variations, self.WINDOW), dtype=np.int64)
        self.starts[:, : len(recent)] = recent[:, 0]
        self.cursor = len(recent) % self.WINDOW
        pitch_end = np.zeros(128, dtype=np.int64)
        np.maximum.at(pitch_end, seed[:, 1], seed[:, 0] + seed[:, 2])
        self.pitch_end = np.repeat(pitch_end[None], variations, axis=0)
        pitch_start = np.full(128, -1, dtype=np.int64)  # where each pitch was last struck
        np.maximum.at(pitch_start, seed[:, 1], seed[:, 0])
        self.pitch_start = np.repeat(pitch_start[None], variations, axis=0)
        self.rows = np.arange(variations)

    def offset_mask(
        self,
        last_onset: np.ndarray,
        onsets: np.ndarray,
        polyphony: int,
        steal: bool = False,
        grace: int = 0,
    ) -> np.ndarray | None:
        """(V, n_offsets) onsets at which fewer than ``polyphony`` notes still sound; with
        ``steal``, fewer than ``polyphony`` notes struck at that onset (the others are cut
        there: :func:`stolen`), a note shorter than ``grace`` ticks not counted (a line's
        grace note struck with the note it graces: :attr:`VoiceLimit.graces`). None when
        every onset qualifies (the usual case, checked cheaply first: no candidate onset is
        earlier than the last one, and sounding notes only end: :meth:`crowded`)."""
        if not self.crowded(last_onset, polyphony, steal, grace):
            return None
        return self.closed(onsets, polyphony, steal, grace)

    def closed(
        self, onsets: np.ndarray, polyphony: int, steal: bool = False, grace: int = 0
    ) -> np.ndarray:
        """:meth:`offset_mask` where :meth:`crowded` has said yes already: a step that asks
        for both masks (every onset's and the loop's) checks once, not once a mask."""
        if steal:  # only an onset at or before a note's own can be full: look at those alone
            allowed = onsets > self.starts.max(axis=1)[:, None]
            if allowed.all():  # every onset after each take's latest note (the loop's next)
                return allowed
            rows, cols = np.nonzero(~allowed)
            at = onsets[rows, cols][:, None]
            struck = (self.starts[rows] >= at) & (self.ends[rows] > at)
            if grace:
                struck &= self.ends[rows] - self.starts[rows] >= grace
            allowed[rows, cols] = struck.sum(axis=1) < polyphony
            return allowed
        return onsets >= self._latest_ends(polyphony)[:, None]

    def _latest_ends(self, polyphony: int) -> np.ndarray:
        """(V,) each variation's ``polyphony``-th latest note end (ticks): an onset has fewer
        than ``polyphony`` notes sounding (ending after it) where it is at or after that end.
        One partial sort of the ends a step, where counting the notes sounding at every
        candidate onset compared (V, onsets, WINDOW) ticks (60 us a step of a chord loop)."""
        if polyphony > self.WINDOW:  # never that many notes held
            return np.full(len(self.ends), np.iinfo(np.int64).min)
        if polyphony <= 0:  # never fewer than none
            return np.full(len(self.ends), np.iinfo(np.int64).max)
        kth = self.WINDOW - polyphony
        return np.partition(self.ends, kth, axis=1)[:, kth]

    def crowded(
        self, last_onset: np.ndarray, polyphony: int, steal: bool = False, grace: int = 0
    ) -> bool:
        """Whether some take's voices are full at its latest onset (``last_onset``; with
        ``steal``, full of notes struck there, one shorter than ``grace`` ticks not counted):
        only then may :meth:`offset_mask` close an onset. Asked once a step, before the
        masks of every onset and of the loop's (a step of a dense chord loop made both)."""
        return any_set(self.full(last_onset, polyphony, steal, grace))

    def full(
        self, last_onset: np.ndarray, polyphony: int, steal: bool = False, grace: int = 0
    ) -> np.ndarray:
        """(V,) whether each take's voices are full at its latest onset (:meth:`crowded`, take
        by take): there, of a ``polyphony`` of 1 or more, :meth:`closed` closes that onset
        itself and no other take's (``~closed(last_onset[:, None])[:, 0]``: the notes
        sounding there, or struck there with ``steal``, as many as the limit; an onset after
        a take's latest strike, which :meth:`closed` lets through unasked, has none struck
        there), without asking again what this asked."""
        held = self.ends > last_onset[:, None]
        if steal:
            held &= self.starts >= last_onset[:, None]  # struck with the latest note
            if grace:
                held &= self.ends - self.starts >= grace
        return held.sum(axis=1) >= polyphony

    def pitch_mask(self, onset: np.ndarray, static: np.ndarray, mono: bool = False) -> np.ndarray:
        """(V, 128) pitches allowed at each variation's onset: none still sounding
        (unless every allowed pitch is, then any allowed pitch). ``mono``: one voice that
        steals, so a new note cuts whatever sounds and may strike its pitch again (a bass's
        repeated note after a long one was moved to another pitch)."""
        if mono:
            return np.repeat(static[None], len(onset), axis=0)
        allowed = static & (self.pitch_end <= onset[:, None])
        stuck = ~allowed.any(axis=1)
        if any_set(stuck):
            allowed[stuck] = static
        return allowed

    def pitch_open(
        self, onset: np.ndarray, pitch: np.ndarray, static: np.ndarray, mono: bool = False
    ) -> np.ndarray:
        """(V,) whether each variation's ``pitch`` is open at its ``onset`` for sure: where
        True, :meth:`pitch_mask` allows it (where False, it may still, when every allowed
        pitch sounds). One pitch a variation, without the (V, 128) mask."""
        at = np.minimum(pitch, len(static) - 1)
        if mono:
            return static[at]
        return static[at] & (self.pitch_end[self.rows, at] <= onset)

    def add(
        self,
        ends: np.ndarray,
        pitches: np.ndarray,
        live: np.ndarray,
        starts: np.ndarray | None = None,
    ) -> None:
        """The notes just chosen (one per variation), where ``live``: their ends and pitches,
        and onsets (for a limit that steals: ``offset_mask``)."""
        self.ends[live, self.cursor] = ends[live]
        if starts is not None:
            self.starts[live, self.cursor] = starts[live]
        self.cursor = (self.cursor + 1) % self.WINDOW
        latest = self.pitch_end[self.rows, pitches]
        self.pitch_end[self.rows, pitches] = np.where(live, np.maximum(latest, ends), latest)
        if starts is not None:
            struck = self.pitch_start[self.rows, pitches]
            self.pitch_start[self.rows, pitches] = np.where(live, starts, struck)

    def struck_at(self, onset: np.ndarray) -> np.ndarray:
        """(V, 128) the pitches struck at each variation's ``onset`` already (a chord's)."""
        return self.pitch_start == onset[:, None]


def stolen(
    starts: np.ndarray,
    lengths: np.ndarray,
    polyphony: int,
    legato: float = 0.0,
    pitches: np.ndarray | None = None,
    graces: bool = False,
) -> np.ndarray:
    """The ``lengths`` of notes (``starts`` in time order, any unit) cut so that no more
    than ``polyphony`` sound at once: a note that begins while the limit's voices sound cuts
    the oldest of them where it begins, as a mono synth plays a legato line (with the
    onset mask of :meth:`Voices.offset_mask`, never a note struck together with it). A
    legato lead of quarter notes overlapping by a fifth of a beat came back under
    --polyphony 1 with half its notes and none where the clip had them: a note could begin
    only after the one before had ended.

    ``legato``: how far a cut note still rings into the note that cut it (never over half of
    that note, nor past the next note's start, and not at all into its own ``pitches``' next
    strike: a mono synth would sound the held note again, or end the new one).

    ``graces``: the grace notes (:func:`ornaments`, beats) are no voice, as in a line that
    plays them (:attr:`VoiceLimit.graces`): one neither cuts a note nor is cut. A lead's
    note sounding under a grace note was cut there, and the note a grace note was struck
    with left out, in every repeat of the clip."""
    out = np.asarray(lengths, dtype=np.float64).copy()
    begins = np.asarray(starts, dtype=np.float64)
    grace = ornaments(begins, out) if graces else np.zeros(len(out), dtype=bool)
    sounding: list[int] = []
    ringing: list[tuple[int, float]] = []  # cut notes' legato, and where they were cut
    for i, at in enumerate(begins.tolist()):
        if grace[i]:
            continue
        for j, cut in ringing:
            if at > cut + 1e-9 and begins[j] + out[j] > at + 1e-9:
                out[j] = at - begins[j]
        ringing = [(j, cut) for j, cut in ringing if at <= cut + 1e-9]
        sounding = [j for j in sounding if begins[j] + out[j] > at + 1e-9]
        older = [j for j in sounding if begins[j] < at - 1e-9]
        while len(sounding) >= polyphony and older:
            oldest = older.pop(0)
            again = pitches is not None and pitches[oldest] == pitches[i]
            tail = 0.0 if again else min(legato, out[i] / 2)  # under half the note that cut it
            if begins[oldest] + out[oldest] > at + tail + 1e-9:  # (a float's last digit is
                out[oldest] = at - begins[oldest] + tail  # not a note ringing on)
            sounding.remove(oldest)
            ringing.append((oldest, at))
        sounding.append(i)
    return out


def with_seed(seed: Clip, new: tuple[Note, ...], limit: VoiceLimit) -> tuple[Note, ...]:
    """The seed's notes, then the ``new`` ones after them, within the continuation's
    ``limit`` past the seed's end: a seed note that rings on into the continuation is cut
    there as a new note takes its voice (``stolen``). Inside the seed, the clip is as it was
    played; the new notes are within the limit already. Under --polyphony 1 --include-seed,
    a bass's last note held over the clip's end sounded on under the first new note. A seed
    note that rings on stops where the continuation strikes its pitch again, whatever the
    limit (two notes of one pitch at once: a synth's note-off ends the new one)."""
    again: dict[int, float] = {}  # pitch -> where the continuation first strikes it
    for note in sorted(new, key=lambda n: n.start):
        again.setdefault(note.pitch, note.start)
    held = tuple(
        replace(n, duration=max(again[n.pitch] - n.start, seed.length - n.start))
        if n.end > seed.length and n.pitch in again and n.end > again[n.pitch]
        else n
        for n in seed.notes
    )
    seed = replace(seed, notes=held)
    notes = seed.notes + new
    if not limit.polyphony or not any(n.end > seed.length for n in seed.notes):
        return notes
    order = sorted(range(len(notes)), key=lambda i: (notes[i].start, notes[i].pitch))
    starts = np.array([notes[i].start for i in order])
    lengths = stolen(
        starts,
        np.array([notes[i].duration for i in order]),
        limit.polyphony,
        limit.legato,
        np.array([notes[i].pitch for i in order]),
        limit.graces,
    )
    cut = dict(zip(order, lengths.tolist(), strict=True))
    return tuple(
        replace(n, duration=max(cut[i], seed.length - n.start))
        if i < len(seed.notes) and n.end > seed.length
        else n
        for i, n in enumerate(notes)
    )


def seed_and_take(seed: Clip, take: Clip, start: float, limit: VoiceLimit) -> Clip:
    """The seed, then ``take`` placed at ``start`` on the seed's timeline (--include-seed) as
    one clip, ending where the take ends (:func:`with_seed` joins their notes). A seed of no
    notes, which the take does not follow but begins at once (start 0), added its empty
    bar after the take: ``segue generate --include-seed`` without a seed wrote a loop with
    a silent bar at its end."""
    end = max(seed.length if seed.notes else 0.0, start + take.length)
    notes = with_seed(seed, tuple(n.shifted(start) for n in take.notes), limit)
    return Clip(notes, end, seed.time_signature)
