"""Whether a part on drum notes is a beat or a musician's notes.

A Drum Rack's clip exported from Live is on MIDI channel 1, where segue reads a melodic
part; under ``auto`` a part there goes to the drum model only where it looks like a kit
struck as a drummer strikes it (:func:`looks_like_drums`, :func:`looks_like_hats`), and a
drum model named for a part that is no beat says why (:func:`not_a_beat`). The pads are
``segue.drums``'s General MIDI map; a keyboard's chords on those notes are
``segue.struck_chords``'s. A melodic part read as a beat loses the musician's notes, so
when in doubt a part is notes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from segue.drums import BRUSH_SLAP, BRUSH_SWIRL, BRUSH_TAP, CRASHES, family
from segue.struck_chords import is_triad, struck_chords, vamped_chords

CHORDED = 0.1
"""The share of a part's onsets that strike two notes or more, from which a part on GM
drum notes with a kick, a snare and a hat reads as a beat (a kick under a hat; a house
beat's offbeat hats leave 5 of 32 onsets struck together), not as a bass line that
happens to lie on those notes (C, E flat and F sharp in the second octave). Its hats or
ride struck alone (:func:`kept_alone`) are not counted: a half-time trap beat's 16th hats
left 6 of 64 onsets struck together (a kick on 1 of bars 1 and 3, a clap on every 3), and
it went to the producer model."""


def may_be_drums(pitches: Iterable[int]) -> bool:
    """Whether a part's ``pitches`` may be a beat: every one on a GM drum, a kick and a
    snare, a clap, a rim, a hat or a ride among them (a kick and hat pattern on a melodic
    channel, which :func:`looks_like_drums` leaves to the musician, as it may be a bass
    line; a kick, a side stick and a ride). A lead high on the keyboard lies on GM
    percussion (bongos, congas, a triangle) and is no beat."""
    kinds = {family(p) for p in pitches}
    return None not in kinds and "kick" in kinds and bool(kinds & {*BACKBEAT_PADS, *TIME_PADS})


def looks_like_drums(notes: Iterable[tuple[float, int]]) -> bool:
    """Whether a part, given as (start in beats, pitch) pairs, looks like a General MIDI beat:
    every note on a GM drum, a kick, a backbeat (a snare, a clap, a side stick, a jazz
    pedal hat: :func:`backbeat_notes`) and a hat or ride keeping time among them, struck
    steadily (:func:`steady_keeper`), the kick and backbeat within a bar
    (:func:`kick_and_backbeat`), and :data:`CHORDED` of its onsets (but its time-keepers
    struck alone) pads struck together (:func:`pads_struck`). A Drum Rack's
    clip exported from Live is on MIDI channel 1, where segue reads a melodic part. Notes
    struck together an octave apart (one pitch class) are a line doubled, not pads struck
    together: an octave bass in C minor (C2+C3, Eb2+Eb3, F2+F3 ...) lies on a kick, a clap,
    toms and a hat, and was taken for a beat (helper-105). A beat keeps time
    (:func:`keeps_time`), and its notes struck together are a kick, a snare, a clap or a rim
    under a hat or a cymbal, not a chord over a bass nor a chord's notes without it: piano
    left hands on channel 1 (a bass note alone, then the chord, in a waltz, a stride, an
    oom-pah) went to the drum model, 99 of 240 (helper-134). A keyboard's chords are no
    pads (:func:`struck_chords`): a seventh chord, its shell or a sus, diminished or
    augmented triad moved as a progression moves it, the same shape on other notes or over
    a bass that moves; a beat's pads that spell a chord (a kick, a snare and an open hat:
    C7's shell) lie on its kick, again and again. Notes a hand strikes together lie a few
    ms apart (:func:`struck_together`). A beat's hat or ride keeps time of its own
    (:func:`hat_of_its_own`); a vamp's shell strikes its "hat" inside the chord, and its
    chord again and again over its bass (:func:`vamped_chords`).
    """
    notes = list(notes)
    families = {family(pitch) for _, pitch in notes}
    if None in families:
        return False
    by_start = struck_together(notes)
    if not by_start or "kick" not in families:
        return False
    pitches = {pitch for _, pitch in notes}
    backbeat = backbeat_notes(pitches)
    if not backbeat or not any(family(p) in TIME_PADS for p in pitches - backbeat):
        return False
    if not hat_of_its_own(notes) or not steady_keeper(by_start, backbeat):
        return False
    if not kick_and_backbeat(by_start, backbeat):
        return False
    sizes = sorted(len(struck) for struck in by_start.values())
    if sizes[len(sizes) // 2] >= CHORD_NOTES or not keeps_time(by_start, backbeat):  # chords
        return False
    together = [struck for struck in by_start.values() if len({p % 12 for p in struck}) > 1]
    pads = pads_struck(together, min(pitches))
    hits = [struck for struck in by_start.values() if not kept_alone(struck)]
    return len(pads) >= CHORDED * len(hits) and not doubled_line(together)


def struck_together(notes: Iterable[tuple[float, int]]) -> dict[float, set[int]]:
    """The pitches struck together at each onset of a part given as (start in beats, pitch)
    pairs: a note starting within :data:`APART` of the note before it is struck with it, as
    a hand plays a beat (a kick and a hat a few ms apart) or spreads a chord, up to
    :data:`SPREAD` from the onset's first note. Grouped by exact starts, a house, boom bap or
    trap beat played in with its hits 5 ms from the grid had nothing struck together and
    read as notes, 0 of 20 each (helper-147). Grouped within :data:`APART` of the first note
    alone, a keyboard's chord spread by the hand over 30 or 40 ms was cut in two, and a
    Cm9 house vamp's Bb2 (an open hat) stood alone (helper-162)."""
    return chained(notes, APART, SPREAD)


def chained(
    notes: Iterable[tuple[float, int]], step: float, widest: float = math.inf
) -> dict[float, set[int]]:
    """The pitches of a part given as (start in beats, pitch) pairs, grouped by the start of
    each group's first note: a note less than ``step`` after the note before it joins its
    group, while under ``widest`` from the group's first (:func:`struck_together`'s onsets,
    :func:`gestures`)."""
    grouped: dict[float, set[int]] = {}
    first = last = -math.inf
    for start, pitch in sorted(notes):
        if start - last >= step or start - first >= widest:
            first = start
        last = start
        grouped.setdefault(first, set()).add(pitch)
    return grouped


TIME_PADS = ("hat", "open hat", "ride")
"""The families that keep a beat's time: its closed, pedal or open hats and its ride."""
BACKBEAT_PADS = ("snare", "clap", "rim")
"""The families a beat strikes on its backbeat (a snare, a clap or a side stick), which a
hat or ride strikes over now and then (:func:`hat_of_its_own`)."""


PEDAL_HAT = 44
"""General MIDI's pedal hi-hat: a jazz drummer's backbeat, the hat shut by the foot on 2
and 4 under the ride, where no snare plays one (:func:`backbeat_notes`)."""


def backbeat_notes(pitches: Iterable[int]) -> set[int]:
    """The notes among a part's ``pitches`` that play a beat's backbeat: its snares, claps
    and side sticks (:data:`BACKBEAT_PADS`), and where a ride keeps its time, the pedal hat
    (:data:`PEDAL_HAT`), as a jazz drummer's foot plays it on 2 and 4 (its snare comps, or
    a fill's, now and then). A jazz beat with no snare (a feathered kick, the ride's swing
    pattern, the pedal hat) and a bossa or lo-fi beat's side stick on 2 and 4 went to the
    producer model, played as bass or lead notes (helper-154: 20 such jazz beats of 20).
    Empty: no backbeat."""
    pitches = set(pitches)
    struck = {p for p in pitches if family(p) in BACKBEAT_PADS}
    if PEDAL_HAT in pitches and any(family(p) == "ride" for p in pitches):
        struck.add(PEDAL_HAT)
    return struck


def kept_alone(struck: set[int]) -> bool:
    """Whether the notes struck at an onset are a beat's time-keepers alone
    (:data:`TIME_PADS`: its hats or ride, between the kick and the backbeat), which say
    nothing of whether it strikes its pads together (:data:`CHORDED`)."""
    return all(family(p) in TIME_PADS for p in struck)


def hat_of_its_own(notes: Iterable[tuple[float, int]]) -> bool:
    """Whether a part's hat or ride, given as (start in beats, pitch) pairs, keeps time of
    its own: some hat or ride note is struck in a gesture (:func:`gestures`) with no snare,
    clap or rim in it (:data:`BACKBEAT_PADS`), alone or over the kick, as every beat strikes
    its hat or ride between its backbeats or over its kick (a rock beat in quarters, its hat
    over the kick on 1 and 3 and the snare on 2 and 4). A one-chord keyboard vamp on
    channel 1 strikes its shell again and again, and the shell's "hat" only ever inside it,
    with the shell's other note, a snare or clap: a C7 stride left hand (C2 | E2+Bb2: a
    kick, then a snare under an open hat) and a C minor house vamp (C2 under Eb2+Bb2 stabs
    on the offbeats: a clap under an open hat) went to the drum model (helper-151: 33 of
    480 one-chord vamps on B1 and C2 with two-note shells, quantized or played in). Played
    in, a hand's chord lies a few ms apart, its "hat" now and then first or last by more
    than :data:`APART` (a Cm9 stab, Eb2 Bb2 D3, 40 ms wide: helper-162), and a chord rolled
    upward a note every 30 ms strikes its "hats" 60 ms after its "clap", more than
    :data:`SPREAD` after the onset it was keyed on: a Bmaj7 reggae skank (B1 under D#2 F#2
    A#2 rolled on the offbeats) went to the drum model, its open hat a hat of its own
    (helper-164). A brush's swirl (:func:`swirling`) under every stroke of the ride is no
    hat of its own: a keyboard's low ostinato under a swung right hand is that note for
    note, and went to the drum model (helper-176: 574 of 3010 such parts), where a brush
    beat is told to give --model drums (:func:`looks_like_ride`)."""
    return any(
        any(family(p) in TIME_PADS for p in gesture)
        and not any(family(p) in BACKBEAT_PADS for p in gesture)
        for gesture in gestures(notes)
    )


SWIRL = 3
"""Strokes a beat on one snare from which it keeps time of its own (:func:`swirling`): a
brush's swirl written in triplets, three a beat (8th triplets) or six (16th triplets), or
in 16ths."""
BRUSH_KIT = ("ride", "kick")
"""The families a brush beat strikes besides its swirl and the pedal hat
(:func:`swirling`): the right hand's ride, the foot's kick."""


def swirling(notes: Iterable[tuple[float, int]], pulse: float = 1.0) -> set[int]:
    """The snares of a part, given as (start, pitch) pairs, that keep time of their own: struck
    :data:`SWIRL` times or more in each of :data:`KEPT` of the beats from its first onset
    to its last (:func:`beat_of`), under a ride that swings (:func:`swung_ride`), as a
    brush swirls on the snare through a jazz beat, the other hand on the ride and the feet
    on the kick and the pedal hat (:data:`BRUSH_KIT`, :data:`PEDAL_HAT`). A brush beat
    whose swirl lies under every stroke of the ride went to the producer model without a
    word (helper-172); it is told to give --model drums (:func:`looks_like_ride`). A
    keyboard's shell strikes its "snare" with its chord, not three times a beat through the
    part; a low ostinato on those notes (E2 in 16ths) under a pedal note on a ride's note in
    8ths or quarters is the keyboard's: none without the swing pattern's skip. A brush
    swirls on the snare's head, not on a side stick or a clap, and two hands busy on the
    swirl and the ride strike no third pad: a left hand's ostinato on C#2 or D#2, or under
    a right hand's F#2 or A#2 on 2 and 4 (a stick's hat), is no swirl (helper-178).

    Counted in the meter's ``pulse`` (:func:`beat_of`): a 12/8 slow blues swirls in 8ths,
    three to the dotted quarter. Besides the swirl a brush beat taps its backbeat
    (:func:`brush_taps`: a tap on 40 on 2 and 4, a cross stick on 4) and opens a chorus
    with a crash (:func:`crashes`); a GM2 brush kit's swirl (:data:`BRUSH_SWIRL`) is one
    long stroke a pulse, its tap or slap struck with it (:func:`held_swirl`). Such brush
    beats were told nothing (helper-180)."""
    notes = sorted(notes)
    if not notes or not swung_ride(notes, pulse):
        return set()
    first = notes[0][0]
    span = beat_of(notes[-1][0] - first, pulse) + 1
    strokes: dict[int, dict[int, int]] = {}
    for start, pitch in notes:
        if family(pitch) == "snare":
            beats = strokes.setdefault(pitch, {})
            beat = beat_of(start - first, pulse)
            beats[beat] = beats.get(beat, 0) + 1
    swirl = {
        pitch
        for pitch, beats in strokes.items()
        if sum(count >= SWIRL for count in beats.values()) >= KEPT * span
    }
    if held_swirl(notes, len(strokes.get(BRUSH_SWIRL, ())), span, pulse):
        swirl.add(BRUSH_SWIRL)
    if not swirl:
        return set()
    brush = swirl | brush_taps(notes, swirl, pulse) | crashes(notes, pulse)
    kit = all(family(p) in BRUSH_KIT or p in brush or p == PEDAL_HAT for _, p in notes)
    return swirl if kit else set()


def held_swirl(
    notes: Iterable[tuple[float, int]], pulses: int, span: int, pulse: float = 1.0
) -> bool:
    """Whether a part's :data:`BRUSH_SWIRL` notes, given as (start, pitch) pairs and struck
    in ``pulses`` of the ``span`` pulses from its first onset to its last, are a GM2 brush
    kit's swirl: a long stroke struck in :data:`KEPT` of them, the kit's tap or slap
    (:data:`BRUSH_TAP`, :data:`BRUSH_SLAP`) tapping the backbeat (:func:`brush_taps`) struck
    with it somewhere, as a brush beat taps 2 and 4 over the swirl. A keyboard's left hand
    strikes no such second below E2 (D2+E2, D#2+E2); a swirl on 1 and 3 alone under a tap
    with the pedal hat on 2 and 4 is an E7 shell's oom-pah note for note (E2 | D2+G#2) and
    stays a keyboard's."""
    notes = list(notes)
    if pulses < KEPT * span:
        return False
    taps = brush_taps(notes, {BRUSH_SWIRL}, pulse) & {BRUSH_TAP, BRUSH_SLAP}
    return any(
        BRUSH_SWIRL in struck and bool(struck & taps) for struck in struck_together(notes).values()
    )


TAP_EVERY = 2
"""Pulses per stroke of a brush beat's tap, at the least (:func:`brush_taps`): on 2 and 4,
or on 4 alone."""


def brush_taps(notes: Iterable[tuple[float, int]], swirl: set[int], pulse: float = 1.0) -> set[int]:
    """The snare, clap and side-stick notes (:data:`BACKBEAT_PADS`) of a brush beat,
    given as (start, pitch) pairs, besides its ``swirl`` (:func:`swirling`), that tap its
    backbeat: each struck only on the ``pulse`` (:func:`on_pulse`), in one pulse of
    :data:`TAP_EVERY` at the most, as a brush taps 40 on 2 and 4 over a swirl on 38, a
    GM2 kit's brush taps or slaps (:data:`BRUSH_TAP`, :data:`BRUSH_SLAP`) on 2 and 4, or a
    cross stick falls on 4. A snare's comp off the beat is none."""
    notes = sorted(notes)
    if not notes:
        return set()
    first = notes[0][0]
    span = beat_of(notes[-1][0] - first, pulse) + 1
    starts: dict[int, list[float]] = {}
    for start, pitch in notes:
        if family(pitch) in BACKBEAT_PADS and pitch not in swirl:
            starts.setdefault(pitch, []).append(start)
    return {
        pitch
        for pitch, struck in starts.items()
        if all(on_pulse(start, pulse) for start in struck)
        and len({beat_of(start - first, pulse) for start in struck}) * TAP_EVERY <= span
    }


def on_pulse(start: float, pulse: float = 1.0) -> bool:
    """Whether an onset ``start`` beats into a part lies on the meter's ``pulse`` (a beat,
    or a dotted quarter in 12/8), :data:`APART` off it or less, as a hand plays it."""
    return abs(start - pulse * round(start / pulse)) < APART


CRASH_EVERY = 16.0
"""Beats within which a ride part strikes its crash once, at the most (:func:`crashes`):
a drummer crashes on the downbeat that opens a chorus or a phrase of four bars."""


def crashes(notes: Iterable[tuple[float, int]], pulse: float = 1.0) -> set[int]:
    """The crash cymbals (``segue.drums.CRASHES``: 49, 57) of a part, given as (start,
    pitch) pairs, where they are a drummer's crash opening a chorus: each stroke on the
    ``pulse`` (:func:`on_pulse`), once in :data:`CRASH_EVERY` beats at the most (once in
    a clip of four bars, or two). A keyboard strikes its chord tone on a crash's note (C#3,
    A3) with its chord, chord after chord: a ride struck with a crash is no swung ride
    (:data:`NOT_WITH_RIDE`) but for these. A jazz ride part or brush beat that opened on a
    crash was told nothing (helper-180). Empty where the crashes are none of these."""
    notes = sorted(notes)
    struck = [start for start, pitch in notes if pitch in CRASHES]
    if not struck or not all(on_pulse(start, pulse) for start in struck):
        return set()
    span = notes[-1][0] - notes[0][0]
    if len(struck) > max(1, math.ceil(span / CRASH_EVERY)):
        return set()
    return {pitch for _, pitch in notes if pitch in CRASHES}


def gestures(notes: Iterable[tuple[float, int]]) -> list[set[int]]:
    """The pitches of each gesture of a part given as (start in beats, pitch) pairs: notes
    each less than :data:`SPREAD` (a 32nd) after the one before, however many, as a hand
    rolls a chord upward a note every 20 to 40 ms (over 100 ms or more, four notes) or a
    drummer strikes a flam or a drag into the snare. A drummer's hat or ride keeps time a
    16th or an 8th from the backbeat; a hat roll's 32nds into the snare are its gesture,
    and the beat's other hats keep time of their own."""
    return list(chained(notes, SPREAD).values())


KEPT = 0.75
"""The share of a beat's beats, from its first onset's to its last's, that its hats or ride
strike at the least (:func:`steady_keeper`): a kit's time-keeper plays on through the
beat, a fill bar in four aside (of ``segue idioms drums``'s grooves read as beats, the
sparsest strike 13 of 16)."""


def steady_keeper(
    by_start: dict[float, set[int]], backbeat: Iterable[int], pulse: float = 1.0
) -> bool:
    """Whether a part's time-keepers (its hats and rides, :data:`TIME_PADS`, but the notes
    of its ``backbeat``: a jazz pedal hat) are struck steadily, in :data:`KEPT` of the beats
    from its first onset to its last (an onset counts in the beat it is played on,
    :func:`beat_of`), or of the meter's ``pulse``s (a 12/8 ride on the dotted quarters
    strikes 4 of a bar's 6 quarter notes). A keyboard's chords lie on a ride now and then:
    a ii-V-I in 9th voicings (D2 C3 E3: a snare, a tom and a china; G2 F3 A3: a tom, the
    ride's bell and a crash; C2 B2 D3: a kick and toms) struck the ride's bell in 2 bars of
    8 (helper-151's seeds)."""
    first = min(by_start)
    span = beat_of(max(by_start) - first, pulse) + 1
    backs = set(backbeat)
    struck = {
        beat_of(start - first, pulse)
        for start, pitches in by_start.items()
        if any(family(p) in TIME_PADS and p not in backs for p in pitches)
    }
    return len(struck) >= KEPT * span


def kick_and_backbeat(by_start: dict[float, set[int]], backbeat: Iterable[int]) -> bool:
    """Whether a part strikes its kick and its ``backbeat`` notes within one bar's
    :data:`BACKBEAT_EVERY` beats (counted from its first onset, :func:`beat_of`) somewhere,
    as a beat takes turns between them. A keyboard's vamp moves bar by bar from one dyad to
    another: a C# minor vamp in fifths (C#2+G#2, a side stick and a pedal hat, for a bar;
    B1+F#2, a kick and a hat, the next) never strikes the two in one bar."""
    first = min(by_start)
    backs = set(backbeat)
    kicks, backbeats = set(), set()
    for start, struck in by_start.items():
        bar = beat_of(start - first) // BACKBEAT_EVERY
        if any(family(p) == "kick" for p in struck):
            kicks.add(bar)
        if struck & backs:
            backbeats.add(bar)
    return bool(kicks & backbeats)


PULSE = 1.0
"""Onsets a beat strikes a beat at the least, from its first to its last: its hat or ride
keeps time in quarters or faster (of ``segue idioms drums``'s grooves, the sparsest strike
1.4 a beat), where a chord part's shells or whole notes leave beats unstruck."""
KICK_EVERY = 8.0
"""Beats within which a beat strikes its kick again, at the most: once in two bars of 4/4
(a jazz ride pattern's feathered kick, once a bar, is the sparsest of ``segue idioms
drums``); a left hand's bass that lies on a kick note on one chord of four strikes it once
in four bars of a waltz."""


def keeps_time(by_start: dict[float, set[int]], backbeat: Iterable[int]) -> bool:
    """Whether a part's onsets (the pitches struck at each start) keep time as a beat does:
    :data:`PULSE` onsets a beat or more, and a kick within every :data:`KICK_EVERY` beats,
    or every :data:`SPARSE_KICK_EVERY` where the rest plainly keeps time as a kit does
    (:func:`kit_keeps_time`). Counted over the beats from the first onset's to the last's:
    a half-time beat's kick on 1 of bars 1 and 3 under 8th hats (the last on 4-and) was
    counted over 16.5 beats, once in 8.25, and the beat went to the producer model. An
    onset counts in the beat it is played on (:func:`beat_of`)."""
    first = min(by_start)
    span = beat_of(max(by_start) - first) + 1
    kicks = sum(any(family(p) == "kick" for p in struck) for struck in by_start.values())
    if len(by_start) < PULSE * span:
        return False
    if kicks * KICK_EVERY >= span:
        return True
    return kicks * SPARSE_KICK_EVERY >= span and kit_keeps_time(by_start, span, backbeat)


def beat_of(since: float, pulse: float = 1.0) -> int:
    """The beat, from 0, that an onset ``since`` beats after a part's first is played on:
    one :data:`APART` early or less is on the beat, struck with what lands on it, as a hand
    plays it. Counted from the exact beat, an ambient beat played in by hand (a hat every
    beat, a clap on 4, a kick once in four bars, each hit 10 ms off) had a beat with no hat
    where the hat was 1 ms early, and went to the producer model: 0 to 2 of 20 (helper-151).
    Counted in ``pulse``s of that many beats, the meter's (a dotted quarter in 12/8:
    ``segue.model.drumming.pulse_beats``), the pulse it is played on.
    """
    return math.floor((since + APART) / pulse)


SPARSE_KICK_EVERY = 16.0
"""Beats within which a beat whose hats or ride and snare plainly keep time
(:func:`kit_keeps_time`) strikes its kick again, at the most: once in four bars of 4/4,
an ambient or half-time beat's kick (a snare on 3 and 8th hats over a kick once in four
bars went to the producer model, with a line saying to give --model drums)."""
BACKBEAT_EVERY = 4
"""Beats within which a sparse beat (:func:`kit_keeps_time`) strikes its backbeat (a snare,
a clap, a side stick, a jazz pedal hat) again, at the most: once a bar of 4/4, a half-time
beat's on 3; a bar, within which a beat strikes its kick and its backbeat
(:func:`kick_and_backbeat`)."""
KIT_HITS = ("kick", "snare", "clap", "rim")
"""What a sparse beat strikes together with its time-keepers, at the most
(:func:`kit_keeps_time`): a kick or a snare under a hat, never a tom or a chord."""


def kit_keeps_time(by_start: dict[float, set[int]], span: int, backbeat: Iterable[int]) -> bool:
    """Whether a part whose kick is sparse (once in four bars) plainly keeps time as a
    kit does, over ``span`` beats from its first onset: one hat or ride struck in every
    one of those beats, its ``backbeat`` notes (:func:`backbeat_notes`: a snare, a clap, a
    side stick, a jazz pedal hat) in every :data:`BACKBEAT_EVERY` beats, every kick
    struck under a hat, ride or cymbal, and its notes struck together a kick, snare, clap
    or rim under those (:data:`KIT_HITS`), not a tom, a shaker nor a triad. A pedal bass on
    F sharp 1 (a closed hat's note) moves one note at a time, its kick note alone; a low
    left hand strikes its chord's toms or a triad over its pedal."""
    first = min(by_start)
    backs = set(backbeat)
    keepers: dict[int, set[int]] = {}
    backbeats: set[int] = set()
    for start, struck in by_start.items():
        beat = beat_of(start - first)
        kinds = {family(p) for p in struck}
        for p in struck:
            if family(p) in TIME_PADS:
                keepers.setdefault(p, set()).add(beat)
        if struck & backs:
            backbeats.add(beat // BACKBEAT_EVERY)
        if "kick" in kinds and not kinds & set(TIMEKEEPERS):
            return False
        together = len({p % 12 for p in struck}) > 1
        if together and (not kinds <= {*KIT_HITS, *TIMEKEEPERS} or is_triad(struck)):
            return False
    steady = any(len(beats) >= span for beats in keepers.values())
    return steady and len(backbeats) >= math.ceil(span / BACKBEAT_EVERY)


DRUM_HITS = ("kick", "snare", "clap", "rim")
"""The families one of which a beat's notes struck together hold: a kick or snare under
a hat, a clap on the kick (:func:`pads_struck`)."""
TIMEKEEPERS = ("hat", "open hat", "ride", "cymbal")
"""The families a beat strikes together without a kick or snare now and then (a pedal hat
under a jazz ride, a hat under a crash), which say nothing of whether it is a beat."""


def pads_struck(together: list[set[int]], bass: int | None = None) -> list[set[int]]:
    """Of notes struck together (each a set of pitches), those a beat strikes as pads: a
    kick, a snare, a clap or a rim among them, not a chord of a progression
    (:func:`struck_chords`); none where the chords are as many, or where these pads are
    fewer than half the notes struck together besides a beat's :data:`TIMEKEEPERS` alone.
    A piano left hand on channel 1 strikes its bass alone and its chord's notes together,
    a hat (F sharp 2) or a tom among them: a waltz in G (G2, then B2+D3 twice) was taken
    for a beat. Over the part's ``bass`` (its lowest note), a one-chord vamp's chord struck
    again and again is a chord too (:func:`vamped_chords`)."""
    chords = struck_chords(together)
    if bass is not None:
        vamped = vamped_chords(together, bass)
        chords += [struck for struck in vamped if struck not in chords]
    pads = [
        struck
        for struck in together
        if struck not in chords and any(family(p) in DRUM_HITS for p in struck)
    ]
    others = [s for s in together if not all(family(p) in TIMEKEEPERS for p in s)]
    if (chords and len(chords) >= len(pads)) or 2 * len(pads) < len(others):
        return []
    return pads


CHORD_NOTES = 4
"""How many notes a part strikes together at half its onsets or more, from which it is a
chord part, not a beat: a beat strikes a hat alone, a kick or a snare under it, a crash
over them now and then (of ``segue idioms drums``'s grooves, at most 2 at half their
onsets), where a keyboard's chords lie on GM drum notes with a bass note in the second
octave (a four-note chord on a pedal hat, a ride and a cymbal, over a kick)."""
MOVED = 3
"""How many lowest notes one shape of notes struck together is struck on, from which it
moves as a line does (:func:`doubled_line`): the pads of General MIDI's map lie a minor
third apart (kick 36, clap 39, hat 42) or a major third (snare 38, hat 42, open hat 46),
so a beat's kick and clap and its clap and hat are one shape on two notes."""


def doubled_line(together: Iterable[set[int]]) -> bool:
    """Whether notes struck together (each a set of pitches) are mostly a line doubled in
    parallel: the same shape (intervals over its lowest note) struck on two lowest notes or
    more, as power chords (C2+G2, Eb2+Bb2, F2+C3) or a chord part's triads move. A beat
    strikes its pads together where they lie: a kick under a hat, a snare under a hat, a
    shape on one lowest note, the kick's or the snare's. A bass line in power chords in C
    minor on channel 1 lay on a kick, toms, a clap and an open hat, and was taken for a
    beat."""
    roots: dict[tuple[int, ...], set[int]] = {}
    chords = [sorted(struck) for struck in together]
    for pitches in chords:
        roots.setdefault(tuple(p - pitches[0] for p in pitches[1:]), set()).add(pitches[0])
    moved = sum(len(roots[tuple(p - c[0] for p in c[1:])]) >= MOVED for c in chords)
    return 2 * moved > len(chords)


LINE_PITCHES = 5
"""How many pitches a part played one note at a time moves through, from which it is a
line, not a beat: a groove struck one hit at a time keeps to a kick, a snare or clap and a
hat, closed or open (4 pads), where a bass line lying on GM drum notes walks through its
key (C minor from C2 to C3: kick, snare, clap, toms and hats). Of segue's own basslines
(`segue idioms bass`, 200 of 4 bars) moved onto GM drum notes with a kick and a snare or
hat, 197 of 318 are such lines; of its drum grooves' bars, none of 715."""
APART = 1 / 16
"""Beats from which two notes are apart, not struck together: a kick and hat played by
hand lie a few ms to some 30 ms apart (1/16 beat at 120 BPM), and a bass line's fastest
notes, 32nds, 1/8 beat."""
SPREAD = 2 * APART
"""Beats over which notes struck together may lie, from the first to the last
(:func:`struck_together`): a hand spreads a chord's four notes over some 40 to 60 ms
(1/8 beat at 120 BPM), where a hat roll's 32nds, each within :data:`APART` of the one
before where played in, are hits of their own."""


HAT_PART = ("hat", "open hat", "clap", "snare", "rim")
"""The families of a beat's part without a kick (:func:`looks_like_hats`): a trap or house
hat loop, with a clap or snare on the backbeat or not."""


def looks_like_hats(notes: Iterable[tuple[float, int]]) -> bool:
    """Whether a part, given as (start, pitch) pairs, looks like a General MIDI hat part (a
    beat without a kick, which :func:`looks_like_drums` asks for): every note on a hat, a
    clap, a snare or a rim, a hat its busiest pad (it keeps time), and not a line
    (:func:`is_line`: a bass line in F sharp lies on those notes). A Drum Rack's hat loop
    exported on channel 1 went to the producer model without a word."""
    notes = list(notes)
    if any(family(pitch) not in HAT_PART for _, pitch in notes):
        return False
    return busiest(notes) in ("hat", "open hat") and not is_line(notes)


RIDE_PART = (*TIME_PADS, *BACKBEAT_PADS)
"""The families of a jazz drummer's ride part without a kick under it (:func:`looks_like_ride`):
its ride, its pedal hat (or hats), and a snare, clap or side stick, comping or on the
backbeat."""


def looks_like_ride(notes: Iterable[tuple[float, int]], pulse: float = 1.0) -> bool:
    """Whether a part, given as (start, pitch) pairs, looks like a General MIDI ride part (a
    beat without a kick, which :func:`looks_like_drums` asks for): every note on a ride, a
    hat, a snare, a clap or a rim (:data:`RIDE_PART`), a ride its busiest pad struck
    steadily (:func:`steady_keeper`) and alone now and then, as it keeps time between the
    backbeat's strokes, a backbeat under it (:func:`backbeat_notes`: the pedal hat on 2 and
    4, a snare, a side stick), and not a line (:func:`is_line`). A jazz ride's swing
    pattern over the pedal hat, no kick, exported on channel 1 went to the producer model
    without a word, where a hat loop was said to look like a hat part (helper-164). A
    keyboard's dyads in fifths (A#2+F3 to G#2+D#3: an open hat under a ride, then the pedal
    hat under a ride) strike the "ride" only ever with the note under it. Under its ride a
    drummer strikes one pad at a time (the foot's hat, a stick's snare or rim), where a
    keyboard's left hand strikes a dyad under a pedal note (E2+G#2, a snare and the pedal
    hat, under a B3 in 8ths): 720 of 792 such parts were told to give --model drums, and
    then told nothing under it (helper-168). Where the ride swings (:func:`swung_ride`),
    the side stick and the foot's hat fall together (:func:`two_limbs`), and a kick dropped
    alone between its strokes (a jazz drummer's "bomb": no pads struck together, so
    :func:`looks_like_drums` reads notes) is the drummer's too; a brush's swirl
    (:func:`swirling`) under every stroke is no pad under it (helper-172). A brush beat's
    kick under the ride and the swirl (:func:`brush_kick`) is the drummer's too: it went to
    the drum model by the swirl, as a keyboard's ostinato under swung chords did note for
    note (helper-176), and is told to give --model drums (helper-178).

    Read in the meter's ``pulse`` (:func:`beat_of`: a dotted quarter in 12/8, where a ride
    on the dotted quarters swings, :func:`swung_ride`). A brush's taps on the backbeat
    (:func:`brush_taps`) are the brush's, not pads under the ride, and a crash opening a
    chorus (:func:`crashes`) is the drummer's: a jazz ride part that opened on a crash, a
    brush beat with a tap on 40 on 2 and 4 or a cross stick on 4, a 12/8 brush feel and a
    GM2 brush kit's beat (:func:`held_swirl`) were told nothing (helper-180)."""
    notes = list(notes)
    pitches = {pitch for _, pitch in notes}
    swirl = swirling(notes, pulse)  # a brush's swirl keeps time with the ride: no pad under it
    brush = swirl | brush_taps(notes, swirl, pulse) if swirl else set()
    crash = crashes(notes, pulse)
    if any(family(p) not in (*RIDE_PART, "kick") and p not in crash for p in pitches):
        return False
    if busiest([(start, p) for start, p in notes if p not in brush]) != "ride":
        return False
    backbeat = backbeat_notes(pitches)
    if not backbeat or is_line(notes):
        return False
    by_start = struck_together(notes)
    swung = swung_ride(notes, pulse)
    kicks = [struck for struck in by_start.values() if any(family(p) == "kick" for p in struck)]
    if kicks and (
        not swung
        or not all(len(struck) == 1 or brush_kick(struck, brush, crash) for struck in kicks)
    ):
        return False  # a kick under the ride or a pad, or no jazz ride's: looks_like_drums's
    for struck in by_start.values():
        pads = {p for p in struck if family(p) != "ride" and p not in brush | crash}
        if brush_kick(struck, brush, crash):
            continue  # a brush beat's feet: the kick, and the pedal hat with it
        if len(pads) > 1 and not (swung and two_limbs(pads)):
            return False  # two pads under the ride at once: a hand's dyad
    alone = any(
        all(family(p) == "ride" or p in swirl for p in struck) for struck in by_start.values()
    )
    return alone and steady_keeper(by_start, backbeat, pulse)


def brush_kick(struck: set[int], brush: set[int], crash: set[int]) -> bool:
    """Whether notes ``struck`` together in a brush beat are its kick under its ride and
    its ``brush`` (its swirl, :func:`swirling`, and its taps, :func:`brush_taps`), the
    pedal hat with it or not: a brush beat's kick on 1 (or feathered on every beat) falls
    under the ride's strokes, where the swirl lies too. One kick, nothing else: a
    keyboard's bass note on a kick's note under a chord strikes the chord's other notes
    with it; nor the ``crash`` that opens a chorus (:func:`crashes`) over the kick."""
    kicks = [p for p in struck if family(p) == "kick"]
    rest = {p for p in struck if family(p) != "kick"}
    return (
        bool(brush)
        and len(kicks) == 1
        and all(family(p) == "ride" or p in brush | crash or p == PEDAL_HAT for p in rest)
    )


def two_limbs(pads: set[int]) -> bool:
    """Whether ``pads`` struck together under a ride are a jazz drummer's stick and foot:
    the side stick and the pedal hat (:data:`PEDAL_HAT`), as a cross stick and the foot's
    hat fall together on 2 and 4 in a ballad. A snare with the pedal hat is a keyboard's
    E2+G#2 as often (helper-168's dyads): no exception is made for it."""
    others = pads - {PEDAL_HAT}
    return PEDAL_HAT in pads and len(others) == 1 and family(min(others)) == "rim"


def swung_ride(notes: Iterable[tuple[float, int]], pulse: float = 1.0) -> bool:
    """Whether a part's ride, given as (start, pitch) pairs, plays the swing pattern's skip
    (:data:`SKIP`): struck off the beat somewhere, and off the beat only on a triplet's
    last third, nearer it than a straight 8th or 16th (a keyboard's pedal note in 8ths,
    16ths or dotted 8ths lies on those). A jazz drummer's cross stick and foot hat on 2 and
    4 are two pads under the ride at once, as a keyboard's dyad under a pedal note on the
    ride's note is (:func:`looks_like_ride`): of those two, the swing pattern is the
    drummer's. A ride struck together with a cymbal, a tom, percussion or a second ride
    note (:data:`NOT_WITH_RIDE`) is a keyboard's chord tone: a right hand's chords on 1, 3
    and the swung "and" of 4 (Fm7 on F3 Ab3 Eb4: a ride's bell, a cowbell, a conga) played
    the swing pattern's skip (helper-176); a drummer's crash opening a chorus
    (:func:`crashes`) is not.

    In a compound meter (a ``pulse`` other than a quarter note: the dotted quarter of 6/8
    and 12/8, ``segue.model.drumming.pulse_beats``) the skip lies on the pulse's last 8th,
    and a ride on the pulse alone swings: the meter's 8ths are the triplet. A 12/8 slow
    blues's ride on the dotted quarters was read as no swing (helper-180)."""
    notes = list(notes)
    crash = crashes(notes, pulse)
    for struck in struck_together(notes).values():
        rides = [p for p in struck if family(p) == "ride"]
        if rides and (
            len(rides) > 1 or any(family(p) in NOT_WITH_RIDE and p not in crash for p in struck)
        ):
            return False
    strokes = [start for start, pitch in notes if family(pitch) == "ride"]
    offbeats = [
        start % pulse / pulse for start in strokes if APART <= start % pulse <= pulse - APART
    ]
    if not all(abs(off - SKIP) < SKIP_NEAR for off in offbeats):
        return False
    return bool(offbeats) or (bool(strokes) and pulse != 1.0)


NOT_WITH_RIDE = ("cymbal", "tom", "percussion")
"""What a ride playing the swing pattern is not struck together with (:func:`swung_ride`):
the drummer's stick is on the ride, the other hand on the snare or side stick, the feet on
the kick and the pedal hat, where a keyboard's chord strikes its "ride" with a tom, a cymbal
or percussion. A drummer's crash with the ride opening a chorus (:func:`crashes`) is the
drummer's."""


SKIP = 2 / 3
"""Where in the beat a jazz ride's skip note lies: a triplet's last third (the "a" of
"ding, ding-a ding"), a swung 8th; in 12/8, of the dotted quarter: its last 8th."""
SKIP_NEAR = 1 / 12
"""How near :data:`SKIP` a ride's stroke off the beat lies to be the skip, at the most:
half-way to a straight 16th (3/4) or 8th (1/2 lies 1/6 away), 40 ms at 120 BPM (a share
of the pulse, as :data:`SKIP` is)."""


def busiest(notes: Iterable[tuple[float, int]]) -> str | None:
    """The family of a part's busiest pitch (the one struck most), given as (start, pitch)
    pairs; None for no notes or a pitch off General MIDI's drums."""
    counts: dict[int, int] = {}
    for _, pitch in sorted(notes):  # of two struck as often, the first struck
        counts[pitch] = counts.get(pitch, 0) + 1
    return family(max(counts, key=lambda p: counts[p])) if counts else None


def is_line(notes: Iterable[tuple[float, int]]) -> bool:
    """Whether a part, given as (start, pitch) pairs, is played one note at a time (never
    two within :data:`APART`) through :data:`LINE_PITCHES` pitches or more, as a line moves."""
    notes = sorted(notes)
    apart = all(b[0] - a[0] >= APART for a, b in zip(notes, notes[1:], strict=False))
    return apart and len({pitch for _, pitch in notes}) >= LINE_PITCHES


def not_a_beat(notes: Iterable[tuple[float, int]], pulse: float = 1.0) -> str | None:
    """Why a part, given as (start, pitch) pairs, does not look like a General MIDI beat
    (what a drum model named for it is told), None where it may be one: no kick, or no
    snare, clap or hat, or a note off the kit (:func:`may_be_drums`), but for a hat or ride
    part without a kick (:func:`looks_like_hats`, :func:`looks_like_ride`: segue says to
    give it the drum model, and said then that it did not look like a beat); or a line
    (:func:`is_line`). A bass line on C2 to E flat 3 lies on a kick, a snare and hats, and
    `--model drums` played it as pads without a word. A kick and hat pattern one hit at a
    time may be a beat: nothing is said. ``pulse``: the meter's, in beats (a dotted
    quarter in 12/8: ``segue.model.drumming.pulse_beats``)."""
    notes = sorted(notes)
    pitches = {pitch for _, pitch in notes}
    if looks_like_hats(notes) or looks_like_ride(notes, pulse):
        return None
    if not may_be_drums(pitches):
        return "no kick, or notes off the drum kit"
    if is_line(notes):
        return f"one note at a time through {len(pitches)} pitches, as a line moves"
    return None


def beat_part(notes: list[tuple[float, int]], pulse: float = 1.0) -> str | None:
    """What a part read as melodic looks like, given as (start, pitch) pairs: "a drum beat"
    (:func:`looks_like_drums`), "a hat part" (:func:`looks_like_hats`), "a ride part" (a
    jazz ride over the pedal hat, no kick under it, or a brush beat: :func:`looks_like_ride`),
    or None. What ``segue generate`` and ``send`` tell, and the bridge's ``done`` (its
    ``said``). ``pulse``: the meter's, in beats (a dotted quarter in 12/8:
    ``segue.model.drumming.pulse_beats``), where a 12/8 brush feel is read."""
    if looks_like_drums(notes):
        return "a drum beat"
    if looks_like_hats(notes):
        return "a hat part"
    return "a ride part" if looks_like_ride(notes, pulse) else None
