"""How much each take of a loop turns at a phrase's end (``segue.model.takes``): how long
its turn is at the musician's temperature and where the phrase ends (:func:`turn_for`,
:func:`turn_of`), how many of a chord's voices it plays anew (:func:`voices_for`), how far
its turned note may move from the loop's (:func:`reach_for`) and how firmly the loop holds
around the turn (:func:`firmness_for`); and whether a model's takes turn at all
(:func:`varies_by_takes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.model.loop import PHRASE_BARS
from segue.model.voicings import REACH

if TYPE_CHECKING:
    from segue.model.architecture import ModelConfig


TURN = TICKS_PER_BEAT // 2
"""How long each take's turn is (ticks): an eighth note. Chosen on the producer model's
validation windows (200, as ``segue memory --loop`` scores them) as the shortest turn
after which every role's takes still differ (mean pairwise 1 - Jaccard at least 0.15):
a beat keeps 0.918 / 0.925 / 0.943 of the note F1 of repeating the clip (bass / chords /
leads) with diversity 0.26 / 0.22 / 0.23; an eighth keeps 0.924 / 0.927 / 0.962 with
0.23 / 0.21 / 0.16; a sixteenth leaves the leads' takes too alike (0.13)."""


SECTION_BARS = 8
"""Every this many bars of the new clip its takes turn half a bar (:func:`turn_of`): a
section's end, where producers vary more than at a 4-bar phrase's (segue's own pieces fill a
whole bar at bar 8 with 2.5 times the chance of one at bar 4,
``segue.idioms.pieces._phrase_plan``), and where a new section begins."""


LONG_SECTION_BARS = 16
"""Every this many bars of the new clip its takes turn the whole last bar: a 16-bar
section, the length of a verse or a build, ends with the biggest change."""


HOTTER = 1.25
"""How much hotter a temperature doubles each take's turn (:func:`turn_for`): a quarter
note at 1.3, half a bar (of 4/4) at 1.6, the whole bar at 2; a sixteenth at 0.8 and below."""


def turn_for(temperature: float, bar: int) -> int:
    """How long (ticks) each take's turn at a phrase's end is at ``temperature`` (the
    musician's "wilder" or "safer"), in a loop of ``bar`` ticks a bar: :data:`TURN` (an
    eighth) at 1 (0.9 to 1.1), doubled for every :data:`HOTTER` times hotter, halved for
    every as much cooler, from a sixteenth up to the whole bar. A take plays the loop but
    in its turns, and the network's own notes are few: at -t 1.3, 1.6 and 2 the takes of a
    loop were the notes of -t 1 in 41%, 20% and 16% of requests (45 producer clips, 4
    bars and 8, 2 seeds, helper-99), the share of their notes off the loop the same at
    every temperature (bass 0.079-0.081, arps 0.035-0.037 at 4 bars). Wilder plays more of
    the bar anew (and the bar before, where the last has fewer places than takes:
    :data:`TURN_BARS`), safer less (of a 16th arp, one note a phrase, not two)."""
    if temperature <= 0:
        return TURN
    return int(min(max(TURN * 2.0 ** doublings(temperature), TURN // 2), max(bar, TURN)))


def doublings(temperature: float) -> int:
    """How many :data:`HOTTER` steps ``temperature`` (above 0) lies from 1, to the nearest:
    0 from 0.9 to 1.1, 1 at 1.3, 3 at 2, -1 at 0.8, -3 at 0.5, -5 at 0.3."""
    return round(float(np.log2(temperature) / np.log2(HOTTER)))


COOLER = -1
"""How many :data:`HOTTER` steps from -t 1 a temperature is (:func:`doublings`) below which
(-t 0.8, down to 0.72) a take keeps still closer to the loop than at -t 0.8 (its turn a
sixteenth already, one voice of a chord): the loop firmer around its turn
(:func:`firmness_for`) and its turned note nearer the loop's (:func:`reach_for`). At 0.5 and
0.3 the takes were those of 0.8 (notes off the loop a take, 4 bars, 12 clips of mine: bass
1.31 / 1.39 / 1.42, arps 1.92 / 1.86 / 1.78, each turned note 4-5 semitones from the loop's
at all three, helper-132)."""


NEIGHBOUR = 5
"""How far (semitones) a turned note may move from the loop's from -t 0.46 to 0.72 (-t
0.5): a fourth, the chord tone or scale note next to it, not an octave's leap."""


STEP = 2
"""And below -t 0.46 (-t 0.3): a whole step, a neighbour tone, the smallest change a player
makes to a line they keep (an upper or lower neighbour of the loop's note)."""


AROUND = 7
"""How far (semitones) a turned note moves first from -t 0.72 to 1.1 (-t 1, the default): a
fifth, the chord tones next to the loop's note on either side (of a triad or a seventh
chord) and the steps between, as a player varies a line around the note they replace."""


def firmness_for(temperature: float) -> float:
    """How much firmer than at -t 0.8 a take keeps the loop outside its turn at
    ``temperature`` (a factor on the loop's strength, as ``--memory``): 1 from -t 0.72 up
    (-t 1, the default, as it was), doubled for every :data:`HOTTER` times cooler below it
    (2 at 0.6, 4 at 0.5, 16 at 0.3): a musician who turns the dial down asks for the loop
    with each take's one turn, and at 0.5 the notes let go around the turn (the network's,
    at the loop's strength) were as many as at 0.8."""
    if temperature <= 0:
        return 1.0
    return float(2.0 ** max(0, COOLER - doublings(temperature)))


def reach_for(temperature: float) -> int:
    """How far (semitones) a take's turned note may move from the loop's at
    ``temperature``: :data:`REACH` (an octave) above -t 1.1, :data:`AROUND` (a fifth) from
    -t 0.72 to 1.1, :data:`NEIGHBOUR` (a fourth) down to -t 0.46, :data:`STEP` (a neighbour
    tone) below it."""
    steps = doublings(temperature) if temperature > 0 else 1
    if steps > 0:
        return REACH
    return AROUND if steps >= COOLER else NEIGHBOUR if steps >= COOLER - 2 else STEP


def turn_of(phrase: int, bar: int, turn: int = TURN) -> int:
    """How long (ticks) each take's turn of ``phrase`` (0: the first after the clip) is, by
    the bar of the new clip its phrase ends on: ``turn`` (an eighth) at a 4-bar phrase's end,
    half a bar at an 8-bar mark (:data:`SECTION_BARS`: bars 8, 24, 40 ...), the whole bar at
    a 16-bar mark (:data:`LONG_SECTION_BARS`: bars 16, 32 ...). Kept to an eighth at every
    phrase end, 32 bars were the loop with one eighth changed in every 4-bar phrase, the
    8-, 16- and 32-bar marks no different (73.6% of 3072 bars of 12 producer clips the loop
    exactly, a bass in eighths turning exactly one of its eighths in 64 of 64 phrases,
    helper-88). A ``turn`` other than an eighth (:func:`turn_for`) scales a section's turn
    as much, up to the whole bar: a quarter of a bar and half of it at a sixteenth's, the
    whole bar at a quarter note's."""
    ends = (phrase + 1) * PHRASE_BARS
    if ends % LONG_SECTION_BARS == 0:
        return min(max(turn, bar * turn // TURN), max(bar, turn))
    if ends % SECTION_BARS == 0:
        return min(max(turn, bar // 2 * turn // TURN), max(bar, turn))
    return turn


TURNED_VOICES = 2
"""How many voices of a chord a take's turn plays anew (from a voice drawn for each take,
counted from the top, and the one below it; never the chord's lowest, its bass: a pedal,
an inversion's bass line, the loop's own idea), the others the loop's. A turn that played
every voice anew replaced the last chord of a pad's every phrase in every take (Am-F-C-G
never ended on its G: 0 of 40 phrase ends, helper-68), and built its chords voice by voice,
each away from the loop's: both thirds at once, stepwise clusters (G3 A3 B3 C4 D4), a power
chord with a third. Two voices turned keep the progression and move its voicing: G/D, B on
top, an E for the D. On 30 chord parts of segue's own idioms (new draws, 8-bar windows, as
``benchmarks/bench_producer.py`` scores them), every voice turned: note F1 0.683, takes'
diversity 0.20; one: 0.712, 0.10, too alike (the goal is 0.15); two: 0.698, 0.16 (0.696,
0.17 with the tiers of :func:`turn_pitches` and :data:`TURN_BARS` that came after)."""


def voices_for(turn: int) -> int:
    """How many voices of a chord a take's turn plays anew when its turns are ``turn`` ticks
    long (:func:`turn_for`): :data:`TURNED_VOICES` at an eighth's, one at a shorter turn
    (safer), one more at a longer (wilder). A pad struck once a bar has one chord to turn
    however long the turn, and its takes at -t 1.3 were those of -t 1 (chord parts' notes
    off the loop 0.057 at both, helper-99)."""
    return TURNED_VOICES + (turn > TURN) - (turn < TURN)


def varies_by_takes(config: ModelConfig) -> bool:
    """Whether a model's takes each have a turn of their own: a melodic model's (a drum
    model's fills vary its phrases, and on a beat the loop keeps note for note, each take
    plays a touch of its own at a phrase's end: ``segue.model.drum_touches``)."""
    return not config.drums
