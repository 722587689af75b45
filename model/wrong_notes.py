"""A played wrong note: a note of a clip that sounds like a slip of the finger.

``--key auto`` reads a clip's key from its notes and holds its notes out of the key too
(``segue.model.key_lock.lock_key``): a deliberate chromatic note stays, and so does a slip. A
bass played in C major with one Bb2 for A2 (a neighbour key caught, an eighth off the beat)
was read in F major, and all four takes played the Bb. A musician who played a wrong note
and one who meant it sound the same to a key reading; they differ in how the note is
played. So segue tells them (one line, :func:`slip_notice`), and changes no note: a note
off the key read from all the others, heard once (its pitch class nowhere else in the clip),
short (:data:`SHORT`), off the beat, and left by a leap or a whole step, not a semitone:
a blue note bent into the third (Eb E, or a grace crushed into it), a chromatic passing or
neighbour note (G G# A, G F# G), a note that recurs or is struck in every bar, a long note
on the beat are the music's.

So are the key's own colours, left by a leap as often as not: the blue b3 and b7 of a
major key or of the chord a bar dwells on (:data:`COLOURS`: an Eb5 falling to C5 in a C
major lead), the raised 6th and 7th and the blue b5 of a minor key, but never a minor
ninth over the bar's root (a Bb2 among a bar's A2s is a slip) but in a blues figure (an
Eb5 over a D minor bar of C major, falling F5 Eb5 C5), the blues scale's b5 in a major key
as in a minor one where it moves in the blues scale (G Gb Eb, F Gb G), a note that makes the key
read as a mode on its tonic (a Bb4 that --key auto reads as C mixolydian), an enclosure
(C#5 B4 C5: the note after next resolves it), and a note on the beat played a little late
(:data:`ON_BEAT`). A slip is
heard against what the hand meant (:func:`_against`): a semitone from the note the same
place of a loop plays in its other passes, or, where the clip plays no loop there, from a
tone the bar dwells on (an F#4 in a bar of F A C, a C#2 in a bar of A C E). Where a
loop's other passes step through a note a semitone from it, the pass missed a step of the
line (:func:`_missed`), though the note falls into the next by a semitone or reads as a
mode: an E minor riff's G F# E played G F E in one pass of four; an enclosure put into a
pass is none (:func:`_added_enclosure`: C#5 B4 in 16ths into C5 for the loop's D5). Where
two or more of a loop's other passes all play one pitch a semitone from the note at its
place (:func:`_slipped`) and the notes next to it in its pass are the loop's (no fill), the hand
meant that pitch, and the note is a slip whatever its colour: a C major lead's Eb5 for
the E5 its three other passes play, but where the loop plays the blues in two passes or
more (:func:`_plays_the_blues`), and on the beat only where three other passes say so
(:data:`ON_BEAT_PASSES`). A note that falls a semitone into the next is a slip where
those passes play another there and it is no approach (:func:`_approaches`: an approach
leads into its note, shorter or struck more weakly): a lead's G#4 struck on the beat
into the A4 off it, where every other pass plays G4 A4; and so is one that turns round a
note as the loop does with a note a semitone off (a bass's F#2 E2 F2 for the G2 E2 F2 of
every other pass).

A loop goes round: its first note follows its last; a pickup before bar 1, heard once, is
no pass of it (:func:`_passes`), nor says a pass's note is heard again or in the key: a C#5
for the loop's D5 after an A4 A#4 B4 C#5 walk-up is a slip. A leading tone or a chromatic
approach on its last note leads it back in (:func:`_leads_back`: an A minor bass's last G2
played G#2 into its A2), a turnaround, whatever the other passes play there; a lower
neighbour a semitone below the note it returns to (D2 C#2 D2: :func:`_lower_neighbour`) is
the music's though the other passes turn round it by a whole step; and the loop's note played
in the key's parallel mode in its last pass (:func:`_borrowed`: a C major lead's Ab5 for
A5, the minor iv) is a turnaround's colour where it is played as one (:func:`_recoloured`:
a tone of the borrowed chord, or led by step into the next note, or in a fill), not
against the loop's own note in the same chord (C5 Eb5 G5 E5: a slip). The note is named as
the key reads it (``spelling.pitch_name``: G#2 in A minor, the leading tone, not Ab2), but
a note a semitone above all the hand meant as the meant note raised, as the finger played
it (:class:`Slip`'s ``raised``: D#5 for a D5 in G major, not Eb5). Its beats are counted
from bar 1 (a pickup before it: ``key_lock.metric_weight``).

:func:`slips` asks of each note, in order (the first answer holds):

============================================================  =========================
the question                                                  where yes
============================================================  =========================
its pitch class heard again (a pickup's notes aside for a     the music's
note of the loop's passes), or longer than SHORT
a chromatic passing note, a grace crushed into its note       the music's
struck on the beat, fewer than ON_BEAT_PASSES passes against  the music's
falls a semitone into the next note, or encloses it           the music's, but a missed
                                                              step or a replaced note
                                                              (no approach) not turning
                                                              round it nor leading back
                                                              nor opening an enclosure
                                                              the loop does not play
in the key read without it                                    the music's
the last pass's borrowed degree, played as a colour           the music's
a colour, a blue note in a blues figure (not slipped)         the music's
a mode's note on its tonic (neither missed nor slipped)       the music's
a semitone from what was meant (:func:`_against`)             a slip
============================================================  =========================
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from segue.model.clip_reading import clip_reading
from segue.model.key_lock import chromatic_passing, lock_key, metric_weight
from segue.model.keys import SCALES, Key
from segue.model.pickups import HELD_OVER, first_downbeat
from segue.model.small_scales import open_third
from segue.model.spelling import pitch_name
from segue.notes import Clip, Note

SHORT = 0.5
"""The longest (beats) a slip sounds: an eighth. A wrong note held longer is heard and let
ring; a finger that catches a neighbour key lets it go at once."""
FEWEST = 8
"""The fewest notes a clip has for a single note of it to be told from its key: in a
clip of four notes, each is a quarter of the key."""
ON_BEAT = 0.125
"""How far (beats) from a beat a note is played and still on it: a 32nd, no nearer the
16th after it than the beat. A chromatic 8th on the beat played 35-50 ms late (0.07-0.1 beats at
120 BPM) is struck on the beat, as a played note is, and read so."""
COLOURS = {True: frozenset({3, 10}), False: frozenset({6, 9, 11})}
"""The chromatic notes a key's music plays as its own (semitones above the tonic), by
whether its third is major: the blue b3 and b7 of a major key (the blues, a mixolydian
rock lead), the blue b5 of a minor key and its raised 6th and 7th (dorian and melodic
minor, the harmonic minor's leading tone). A major key's b5 (F# in C), b2 and b6 are no
colour of its own: one of those played once, short and off the beat, against a tone next
to it, is a slip, but the b5 where it moves in the blues scale (:func:`_blues_figure`)."""
BLUE = {True: frozenset({3, 6, 10}), False: frozenset({6})}
"""The blue notes of a key (semitones above the tonic), by whether its third is major: the
b3, b5 and b7 of a major key, the b5 of a minor key (its b3 and b7 are its own)."""
BLUES = frozenset({0, 3, 5, 6, 7, 10})
"""The blues scale (semitones above the tonic): 1 b3 4 b5 5 b7, in a major key as in a
minor one (C Eb F Gb G Bb in C)."""
DWELLS = 0.5
"""The tones a bar dwells on: its pitch classes sounding at least this share as long as
the one sounding longest (a bar of C E G with a passing D: C, E and G)."""
PASSES = 2
"""The fewest other passes of a loop that, all playing one pitch a semitone from a note at
its place, show the hand meant that pitch (:func:`_slipped`): the one pass that differs
slipped, whatever the note's colour. Two passes agreeing are a part; one is a take."""
ON_BEAT_PASSES = 3
"""The fewest other passes of a loop that show a note struck on the beat slipped
(:func:`_slipped`): a chromatic note on the beat is as often an accent meant (an
appoggiatura, a blue note leant on), so it takes every other pass of a loop played four
times to say the hand meant another."""
PARALLEL = {True: "minor", False: "major"}
"""The parallel mode a key borrows from, by whether its third is major (:func:`_borrowed`).
A loop's last pass is its turnaround, played to lead back in or out, and borrows from it
on purpose: a C major lead's Ab5 for the A5 of its other passes (the minor iv), its Bb4
for B4 (the bVII), an A minor line's G# for G (the V): a degree of the loop played in the
parallel mode in its last pass is said nothing of."""
CHORD = 0.5
"""The share of a bar one chord of a loop lasts at least: a loop changes chord on its bars
and their halves at most (C Am | F G), so the notes of a pass within half a bar of a note
sound one chord with it (:func:`_recoloured`)."""
LOOP_PASSES = 0.75
"""The share of a clip's notes (the note asked of aside) that its other passes play at
the same place for the clip to be a loop of that many bars."""


class Slip(NamedTuple):
    """A note that sounds like a slip (:func:`slips`), the key its other notes are in (with
    the notes its passes hold besides its scale: A minor + G#, an Andalusian lead's; not
    a walk-up's, heard once before the loop), and
    whether it lies a semitone above what the hand meant (a D5 played D#5: ``raised``)."""

    note: Note
    key: Key
    raised: bool


def slips(
    notes: tuple[Note, ...] | list[Note],
    bar: float = 4.0,
    length: float | None = None,
    downbeat: float | None = None,
    played: Sequence[float] | None = None,
) -> list[Slip]:
    """The notes of a clip (``notes``, ``bar`` beats a bar, ``length`` beats long) that
    sound like a slip, each with the key its other notes are in (:func:`lock_key`, without
    their own notes out of it): a note whose pitch class the clip plays once, at most
    :data:`SHORT` long, off the beat (:func:`_on_beat`), no chromatic passing note
    (``key_lock.chromatic_passing``), not left by a semitone (a bent blue note, a neighbour
    note) nor opening an enclosure, out of that key, no colour of it or of its bar's chord
    (:func:`_colour`) but a minor ninth over the bar's root, no blue note in a blues figure
    (:func:`_blues_figure`), no grace crushed into its note (:func:`_crushed`), not a note
    of a mode on its tonic that the clip reads in with it, and a semitone from what was
    meant (:func:`_against`). A step of a loop missed in one pass (:func:`_missed`) is a
    slip though it falls into the next note by a semitone or reads as a mode; a note a
    semitone from the one pitch :data:`PASSES` other passes of a loop play at its place
    (:func:`_slipped`) is one though it is the key's colour, a blue note in a blues figure
    or a mode's note, but in a loop that plays the blues (:func:`_plays_the_blues`), and
    on the beat where :data:`ON_BEAT_PASSES` other passes play that pitch. A note that
    resolves by a semitone into the loop's first note as the loop goes round
    (:func:`_leads_back`) or a lower neighbour (:func:`_lower_neighbour`) is no missed step;
    one that falls a semitone into the next is a slip where :data:`PASSES` passes play
    another there and it is no approach (:func:`_approaches`); and a loop's note played in
    the parallel mode in its last pass (:func:`_borrowed`) as a colour (:func:`_recoloured`)
    no slip.

    Told where bar 1 lies (``downbeat``, beats from the clip's start: a pickup before it),
    its bars and beats are counted from there, as Live counts them, and the key is read so
    (``key_lock.lock_key``, as ``--key auto`` reads it); untold, from the clip's start, but
    for whether a note leads into the next, read from its first downbeat as the key is
    (``pickups.first_downbeat``), or from the bar 1 its loop tells (:func:`_loop_start`: a
    MIDI file that opens with its pickup, a pickup longer than half a bar), whose pickup is
    said nothing of; a pickup before bar 1, told or so read, is no pass of a loop
    (:func:`_passes`). ``played``: each note's length as played, where the notes
    are a played clip as written (``feel.as_written`` reads a release as the note value it
    stands for): a slip is short as the hand lifts it, and a staccato quarter of 0.45 beats
    in a lead with a triplet in it was written 0.67 long and never named (helper-162)."""
    original = list(notes)
    if len(original) < FEWEST:
        return []
    found = _loop_start(original, bar, length) if downbeat is None else None
    start, end = (downbeat, length) if found is None else found  # bar 1, told or the loop's
    ahead = _ahead(start, bar)
    notes = [n.shifted(ahead) for n in original] if ahead else original
    span = end + ahead if end is not None else None  # the clip, moved with them
    beat = first_downbeat(notes, bar, span) if start is None else 0.0  # the music's beat
    since = beat if start is None else start + ahead
    looped = _passes(notes, since)
    pickup = {i for i, n in enumerate(notes) if n.start < since - 1e-6}  # heard once
    heard = Counter(n.pitch % 12 for n in notes)
    heard_in_passes = Counter(n.pitch % 12 for n in looped)
    period = _loop(looped, bar, span)
    wrap = _wrap(notes, span, period)
    passing = chromatic_passing(notes)
    out = []
    lengths = [n.duration for n in notes] if played is None else list(played)
    for i, note in enumerate(notes):
        if found and i in pickup:
            continue  # a pickup read from the loop, untold: its walk-up is the musician's
        counted = heard if i in pickup else heard_in_passes  # a pickup's notes aside
        if counted[note.pitch % 12] > 1 or lengths[i] > SHORT + 1e-6:
            continue
        if passing[i] or _crushed(note, notes):
            continue
        others = [n for j, n in enumerate(notes) if j != i]
        elsewhere = [n for n in looped if n is not note]  # the loop's other passes
        passes = _slipped(note, elsewhere, bar, span)
        if _on_beat(note) and passes < ON_BEAT_PASSES:
            continue
        meant = _meant(note, elsewhere, bar, span)
        missed = _missed(note, notes, meant)
        if _resolves(note, notes, wrap):
            added = _added_enclosure(note, notes, elsewhere, bar, span, wrap)
            replaced = passes >= PASSES and not _approaches(note, notes, wrap, beat, added)
            if (
                not (missed or replaced)
                or added
                or _lower_neighbour(note, notes, wrap)
                or _leads_back(note, notes, wrap)
            ):
                continue
        pc = note.pitch % 12  # the pickup's own aside: heard once, before the loop
        aside = {i} if i in pickup else {i} | {j for j in pickup if notes[j].pitch % 12 == pc}
        key = lock_key([n for j, n in enumerate(original) if j not in aside], bar, length, downbeat)
        if key is None:
            continue
        plain = Key(key.tonic, key.mode)
        if pc in plain.pitch_classes() | key.extra:
            continue
        last = period and wrap and note.start >= wrap - period - ON_BEAT
        if (
            last
            and _borrowed(note, meant, plain)
            and _recoloured(note, looped, meant, plain, bar, span, wrap, beat)
        ):
            continue  # the last pass's colour: a turnaround's borrowed iv, bVII, raised 7th
        slipped = passes >= PASSES and not _plays_the_blues(note, looped, plain, bar, span)
        root = _root(_sounding(note, others, bar))
        if not slipped and _colour(pc, plain, root) and (root is None or (pc - root) % 12 != 1):
            continue  # a blue note, but never a minor ninth over the bar's root
        if not slipped and _blues_figure(note, notes, plain):
            continue  # the key's blue b3, b5 or b7 in a blues figure, over any chord
        read = lock_key(original, bar, length, downbeat)  # a mode on the same tonic?
        if (
            not missed
            and not slipped
            and read is not None
            and read.tonic == key.tonic
            and pc in Key(read.tonic, read.mode).pitch_classes()
        ):
            continue
        aimed = _against(note, meant, others, bar)
        if aimed:
            raised = all((note.pitch - pc) % 12 == 1 for pc in aimed)
            kept = key.extra & set(heard_in_passes)  # the passes' notes, not a pickup's
            out.append(Slip(original[i], Key(key.tonic, key.mode, frozenset(kept)), raised))
    return out


def _passes(notes: list[Note], since: float) -> list[Note]:
    """The notes of a clip's passes: those from bar 1 (``since``, beats) on. A pickup before
    it is heard once, no pass of the loop: a C major lead's G4 A4 B4 walk-up of a beat and a
    half, whose notes fall on the loop's 8ths, is not one more pass playing B4 where the
    loop plays D5 (:func:`_meant`)."""
    return [n for n in notes if n.start >= since - 1e-6]


def _loop_start(notes: list[Note], bar: float, length: float | None) -> tuple[float, float] | None:
    """Where bar 1 of the loop ``notes`` play lies after a pickup its notes tell, untold and
    where ``pickups.first_downbeat`` reads none, with the clip's length in whole bars from
    there: (downbeat, length); None where they tell none. A MIDI file whose pickup starts
    it and whose loop starts after it (its length rounded up to whole bars), or a pickup
    longer than half a bar (a walk-up of three beats): the notes from a note struck at the
    downbeat, played again in a later pass (any: the next may slip it), loop
    (:func:`_loop`); those before it are heard once, played in no later pass (a loop's own
    first notes recur: it has no pickup), lead
    into it (none held past it by
    more than ``pickups.HELD_OVER``), and the loop's last pass ends as far past a bar line
    as the pickup lies before one: the clip's length says so (its start marker moved back
    before bar 1), or its last notes sound past its last bar line, the stretch of the pass
    before played again there (:data:`LOOP_PASSES` of its notes) and none held on past where
    that pass ends (by more than ``pickups.HELD_OVER``). A loop without a pickup whose first
    pass opens otherwise (an octave low, slid into) ends on a bar line, or with a note held
    on from its next downbeat (a final note let ring, the commonest ending there is): no
    pickup."""
    if bar <= 0 or not notes or first_downbeat(notes, bar, length) > 0:
        return None
    lead = length % bar if length is not None else 0.0
    told = 1e-6 < lead < bar - 1e-6  # a clip of no whole bars: its start marker before bar 1
    places = [lead] if told else sorted({n.start for n in notes if 1e-6 < n.start < bar})
    for at in places:
        before = [n for n in notes if n.start < at - 1e-6]
        rest = [n for n in notes if n.start >= at - 1e-6]
        if not before or not any(abs(n.start - at) < 1e-6 for n in rest):
            continue
        if any(n.end > at + HELD_OVER + 1e-6 for n in before):
            continue
        last = max(n.start for n in rest)
        end = length if told and length is not None else at + bar * (1 + (last - at) // bar)
        line = end - at  # the clip's last bar line its notes sound past, untold
        if not told and not any(n.start >= line - 1e-6 for n in rest):
            continue  # its notes end by a bar line: no pickup
        if not told and any(n.end > end + HELD_OVER + 1e-6 for n in rest):
            continue  # held past where its last pass would end: a final note let ring
        period = _loop(rest, bar, end)  # a loop's recurring is where it starts
        if not period or end - at < 2 * period - 1e-6:
            continue
        shift = round(period / ON_BEAT)
        placed = {(round(n.start / ON_BEAT), n.pitch) for n in rest}
        passes = range(shift, round((end - at) / ON_BEAT) + 1, shift)  # a pass later, or more
        if any((round(n.start / ON_BEAT) + k, n.pitch) in placed for n in before for k in passes):
            continue  # the loop plays them, in a pass besides one with a slip there: its own
        if not any(
            (round(n.start / ON_BEAT) + k, n.pitch) in placed
            for n in rest
            if abs(n.start - at) < 1e-6
            for k in passes
        ):
            continue  # its downbeat's note is the pickup's last, the loop's comes after
        if not told:  # the stretch past it is the pass before's, played again
            prior = [n for n in rest if line - period - 1e-6 <= n.start < end - period - 1e-6]
            again = sum((round(n.start / ON_BEAT) + shift, n.pitch) in placed for n in prior)
            if again < LOOP_PASSES * len(prior):
                continue
        return at, end
    return None


def _ahead(downbeat: float | None, bar: float) -> float:
    """How far (beats) a clip's notes move for bar 1, told at ``downbeat``, to fall on a bar
    line of their own (the pickup in the bar before it: 2.5 for a pickup of a beat and a
    half in 4/4); 0 where untold, or already on one."""
    if downbeat is None or bar <= 0:
        return 0.0
    ahead = math.ceil(downbeat / bar - 1e-9) * bar - downbeat
    return 0.0 if abs(ahead) < 1e-9 else ahead


def _on_beat(note: Note) -> bool:
    """Whether ``note`` is struck on a beat: within :data:`ON_BEAT` of it."""
    at = note.start % 1.0
    return min(at, 1.0 - at) <= ON_BEAT + 1e-6


def _colour(pitch_class: int, key: Key, root: int | None) -> bool:
    """Whether ``pitch_class`` is a chromatic colour (:data:`COLOURS`) of ``key``'s music,
    or a blue b3 or b7 over the root its bar dwells on (the blues bends them over each chord:
    an Eb over a bar of C, an Ab over a bar of F, whichever key the clip reads in)."""
    if (pitch_class - key.tonic) % 12 in COLOURS[4 in key.steps()]:
        return True
    return root is not None and (pitch_class - root) % 12 in COLOURS[True]


def _blues_figure(note: Note, notes: list[Note], key: Key) -> bool:
    """Whether ``note`` is a blue note of ``key`` (its b3, b5 or b7: :data:`BLUE`) played
    as the blues plays it: the notes next to it in the line (:func:`_neighbours`) are of
    the key's blues scale (:data:`BLUES`), whichever chord it sounds over. A blues player
    plays the key's blue notes over every chord of the key: an Eb5 over a bar of D minor in
    C major, a minor ninth over the bar's root, falling from F5 to C5 (F Eb C) or rising
    from C5 to F5; a b5 between the 4th and the 5th (F Gb G, G Gb F, G Gb Eb: the blues
    scale's own blue note, in a major key as in a minor one). A blue note stepped into from
    a note of the major scale outside the blues scale, or out to one, is a finger that
    caught a neighbour key: a bass's A2 Bb2 E3 in a bar of A minor (Bb for A), a C major
    lead's G4 F#4 E4 (F# for F), a run's F5 F#5 A5 (F# for G)."""
    if (note.pitch - key.tonic) % 12 not in BLUE[4 in key.steps()]:
        return False
    beside = _neighbours(note, notes)
    return bool(beside) and all((p - key.tonic) % 12 in BLUES for p in beside)


def _neighbours(note: Note, notes: list[Note]) -> list[int]:
    """The pitches next to ``note`` in its line: at the onset before it and at the one after
    it (none before the first note, nor after the last), of each the one nearest it."""
    return [p for p in (_beside(note, notes, -1), _beside(note, notes, 1)) if p is not None]


def _beside(note: Note, notes: list[Note], side: int) -> int | None:
    """The pitch nearest ``note`` at the onset before it (``side`` -1) or after it (1)."""
    onsets = sorted({n.start for n in notes})
    j = next(j for j, t in enumerate(onsets) if abs(t - note.start) < 1e-6) + side
    if not 0 <= j < len(onsets):
        return None
    there = [n.pitch for n in notes if abs(n.start - onsets[j]) < 1e-6]
    return min(there, key=lambda p: abs(p - note.pitch))


def _crushed(note: Note, notes: list[Note]) -> bool:
    """Whether ``note`` is a grace crushed into a note a semitone from it: struck with it
    (as written: ``feel.as_written`` puts a grace played just before its note on the
    note's place) and at most half as long, as a keyboard plays a bend (F#4 into G4, Eb4
    into E4). A finger that catches a neighbour key holds it as long as the key it meant."""
    return any(
        abs(n.start - note.start) < 1e-6
        and abs(n.pitch - note.pitch) == 1
        and note.duration <= n.duration / 2 + 1e-6
        for n in notes
    )


def _semitone(a: int, b: int) -> bool:
    return (a - b) % 12 in (1, 11)


def _against(note: Note, there: list[int], others: list[Note], bar: float) -> list[int]:
    """The pitch classes ``note`` sounds against, a semitone from it (none where it sounds
    against nothing meant): of the notes the clip's other passes play at its place
    (``there``: a loop of 1, 2 or 4 bars, :func:`_meant`), or, where none plays there, of
    the tones its bar dwells on (:data:`DWELLS`) of the clip's ``others``."""
    if there:
        return sorted({p % 12 for p in there if _semitone(note.pitch, p)})
    sounding = _sounding(note, others, bar)
    if not sounding:
        return []
    most = max(sounding.values())
    dwelt = [pc for pc, t in sounding.items() if t >= DWELLS * most]
    return sorted(pc for pc in dwelt if _semitone(note.pitch, pc))


def _meant(note: Note, others: list[Note], bar: float, length: float | None) -> list[int]:
    """The pitches the other passes of the loop ``others`` play (:func:`_loop`) at the place
    of ``note`` in its pass: what the hand plays there when it plays as meant; none where
    the clip plays no loop or nothing there."""
    period = _loop(others, bar, length)
    if not period:
        return []
    at = note.start % period
    return [
        n.pitch
        for n in others
        if min(abs(n.start % period - at), period - abs(n.start % period - at)) < ON_BEAT
    ]


def _missed(note: Note, notes: list[Note], meant: list[int]) -> bool:
    """Whether ``note`` is a step of the line ``notes`` missed in one pass of a loop: stepped
    to (a tone or a semitone from the note before it) where the loop's other passes play a
    note a semitone from it (``meant``: :func:`_meant`). An E minor riff whose G2 F#2 E2 is
    played G2 F2 E2 in one pass of four: the pass missed the riff's F#, and the semitone the
    F2 falls into E2 by, and the E phrygian that reads the clip with it, come of that one
    slip. A riff that plays its b2 in every pass plays it more than once, and is phrygian. A
    note leapt to and left by a semitone is an approach note, put there to lead into the
    next (a bass's C2 E2 G#2 A2 in one pass where the others play C2 E2 G2 A2), and is the
    music's."""
    before = _beside(note, notes, -1)
    if before is None or abs(before - note.pitch) > 2:
        return False
    return any(_semitone(note.pitch, p) for p in meant)


def _slipped(note: Note, others: list[Note], bar: float, length: float | None) -> int:
    """How many other passes of the loop ``others`` play (:func:`_meant`) the one pitch they
    all play at the place of ``note``, where it lies a semitone from ``note`` and the notes
    next to it in its pass are the loop's (:func:`_as_looped`): the hand meant that pitch,
    and the pass that plays ``note`` slipped, a blue note or a mode's as it may be (a C
    major lead's Eb5 for the E5 three other passes play there). None (0) where the clip
    plays no loop there, its passes disagree there (a part that varies the place), or the
    pass plays other notes than the loop's about it: a fill (a blues lick G F Eb C for a
    bar of the loop's E D C B), played on purpose."""
    there = _meant(note, others, bar, length)
    if len(set(there)) != 1 or not _semitone(note.pitch, there[0]):
        return 0
    return len(there) if _as_looped(note, others, bar, length) else 0


def _as_looped(note: Note, others: list[Note], bar: float, length: float | None) -> bool:
    """Whether the notes at the onsets next to ``note`` (before and after it) are played at
    their places in another pass of the loop ``others`` play (:func:`_loop`)."""
    period = _loop(others, bar, length)
    if not period:
        return False
    shift = round(period / ON_BEAT)
    placed = Counter((round(n.start / ON_BEAT) % shift, n.pitch) for n in others)
    onsets = sorted({n.start for n in others} | {note.start})
    j = onsets.index(note.start)
    for at in onsets[max(j - 1, 0) : j] + onsets[j + 1 : j + 2]:
        beside = [n for n in others if abs(n.start - at) < 1e-6]
        if not any(placed[round(n.start / ON_BEAT) % shift, n.pitch] > 1 for n in beside):
            return False
    return True


def _plays_the_blues(
    note: Note, notes: list[Note], key: Key, bar: float, length: float | None
) -> bool:
    """Whether the loop ``notes`` play (:func:`_loop`) plays blue notes of ``key`` in a
    blues figure (:func:`_blues_figure`) in two or more of its passes, the pass of ``note``
    among them where ``note`` is one: a blues player who bends the third in one pass and
    the seventh in another varies the passes on purpose, and a blue note of a pass played
    otherwise in the others is the blues, not a slip."""
    period = _loop([n for n in notes if n is not note], bar, length)
    if not period:
        return False
    passes = {int(n.start // period) for n in notes if _blues_figure(n, notes, key)}
    return len(passes) >= 2


def _sounding(note: Note, others: list[Note], bar: float) -> dict[int, float]:
    """How long (beats) each pitch class of ``others`` sounds in the bar of ``note``."""
    start = (note.start // bar) * bar
    sounding: dict[int, float] = {}
    for n in sorted(others, key=lambda n: n.pitch):  # the lowest first: a tie's root
        held = min(n.end, start + bar) - max(n.start, start)
        if held > 1e-6:
            sounding[n.pitch % 12] = sounding.get(n.pitch % 12, 0.0) + held
    return sounding


def _root(sounding: dict[int, float]) -> int | None:
    """The bar's root as heard: the pitch class it sounds longest (:func:`_sounding`), of
    those the lowest; None in a bar of nothing else."""
    if not sounding:
        return None
    most = max(sounding.values())
    return next(pc for pc, t in sounding.items() if t >= most - 1e-6)


def _loop(notes: list[Note], bar: float, length: float | None) -> float | None:
    """The length (beats) of the loop ``notes`` play, of 1, 2 or 4 bars, where the clip
    (``length`` beats) plays it twice or more and :data:`LOOP_PASSES` of its notes recur
    at the same place of the pass before or after; None where it plays none. A 2-bar loop
    played four times is no 1-bar one: its bars 1 and 3 agree, but not its bars 1 and 2."""
    end = length if length is not None else max((n.end for n in notes), default=0.0)
    at = [(round(n.start / ON_BEAT), n.pitch) for n in notes]
    placed = set(at)
    for bars in (1, 2, 4):
        period = bars * bar
        if end < 2 * period - 1e-6 or not notes:
            break
        shift = round(period / ON_BEAT)
        recur = sum((t - shift, p) in placed or (t + shift, p) in placed for t, p in at)
        if recur >= LOOP_PASSES * len(notes):
            return period
    return None


def _wrap(notes: list[Note], length: float | None, period: float | None) -> float | None:
    """Where the loop of ``notes`` (``period`` beats: :func:`_loop`) goes round, its first
    note following its last: the clip's length (``length``, or its notes' end to the pass),
    None where it plays no loop."""
    if not period:
        return None
    if length is not None:
        return length
    return period * math.ceil(max(n.end for n in notes) / period - 1e-6)


def _later(note: Note, notes: list[Note], wrap: float | None) -> list[tuple[float, list[int]]]:
    """The next two onsets after ``note`` with their pitches; past the clip's last note, a
    loop's first (``wrap``: :func:`_wrap`), as the loop goes round."""
    onsets = sorted({n.start for n in notes})
    later = [(t, t) for t in onsets if t > note.start + 1e-6][:2]
    if wrap is not None:
        later += [(t + wrap, t) for t in onsets[: 2 - len(later)]]
    return [(at, [n.pitch for n in notes if abs(n.start - t) < 1e-6]) for at, t in later]


def _resolves(note: Note, notes: list[Note], wrap: float | None = None) -> bool:
    """Whether a note at the next onset after ``note`` (:func:`_later`: a loop's first note
    follows its last) lies a semitone from it (a blue note bent into the third, a chromatic
    neighbour or approach resolving, a leading tone taking a loop back to its first note),
    or ``note`` opens an enclosure (:func:`_encloses`)."""
    later = _later(note, notes, wrap)
    if not later:
        return False
    at = [pitches for _, pitches in later]
    if any(abs(p - note.pitch) == 1 for p in at[0]):
        return True
    return len(later) == 2 and _encloses(note, [t for t, _ in later], at)


def _lower_neighbour(note: Note, notes: list[Note], wrap: float | None) -> bool:
    """Whether ``note`` lies a semitone below the note before it and the line returns to that
    note (D2 C#2 D2, G4 F#4 G4): a lower neighbour, the leading tone of the note it turns
    round, played so on purpose though the loop's other passes turn round it by a whole
    step (D C D). An upper one a semitone above (E F E for a riff's E F# E) is the key's b2,
    not its leading tone: a missed step (:func:`_missed`)."""
    before = _beside(note, notes, -1)
    later = _later(note, notes, wrap)
    return before == note.pitch + 1 and bool(later) and before in later[0][1]


def _leads_back(note: Note, notes: list[Note], wrap: float | None) -> bool:
    """Whether ``note`` is the clip's last and leads by a semitone into the loop's first as
    the loop goes round (``wrap``): a turnaround's leading tone or chromatic approach (an A
    minor bass's last G2 played G#2 into its A2), whatever the other passes play there."""
    if wrap is None or any(n.start > note.start + 1e-6 for n in notes):
        return False
    later = _later(note, notes, wrap)
    return bool(later) and any(abs(p - note.pitch) == 1 for p in later[0][1])


def _borrowed(note: Note, meant: list[int], key: Key) -> bool:
    """Whether ``note`` is the note the loop's other passes play there (``meant``: what the
    hand plays in them) taken from ``key``'s parallel mode (:data:`PARALLEL`), the same
    degree a semitone off: a major key's 3rd, 6th or 7th lowered (C major's E, A, B played
    Eb, Ab, Bb: its i, its minor iv, its bVII), a minor key's 3rd, 6th or 7th raised (A
    minor's C, F, G played C#, F#, G#: its Picardy third, its IV, its V). A C#2 for an A
    minor bass's D2 is no degree of A major's altered: a slip."""
    major = 4 in key.steps()
    parallel = Key(key.tonic, PARALLEL[major])
    inflected = note.pitch in {p + (-1 if major else 1) for p in meant}
    return inflected and note.pitch % 12 in parallel.pitch_classes()


def _recoloured(
    note: Note,
    notes: list[Note],
    meant: list[int],
    key: Key,
    bar: float,
    length: float | None,
    wrap: float | None,
    beat: float = 0.0,
) -> bool:
    """Whether ``note``, a loop's degree played in ``key``'s parallel mode in its last pass
    (:func:`_borrowed`; ``bar`` beats a bar, the clip ``length`` beats long, going round at
    ``wrap``, its beats counted from ``beat``), is played as a borrowed colour, not a
    finger's slip: its pass plays other notes than the loop's about it (a fill:
    :func:`_as_looped`), or it does not play the loop's own note (``meant``) in the same
    chord (:data:`CHORD`: a hand that borrows the minor iv plays D F Ab F, not D F Ab A) and
    the note makes a chord of the parallel mode with the chord's tones
    (:func:`_in_borrowed_chord`: Ab with F, the iv; Eb with C and G, the i; C# with A and
    E) or leads by step into the next note (:func:`_leads_into`: C5 Bb4 C5, the bVII
    turning home, the Bb off the beat). A C major lead's C5 Eb5 G5 E5 (the C chord's E
    played after its Eb), an A minor lead's E5 G#5 B5 G5 (E major's G# and E minor's G in
    one chord), G4 B4 D5 Bb4 into C5 (G major's B and its Bb), a G#4 struck on the beat
    over an A minor chord and falling to the A4 off it, are the loop with one note a
    semitone off: slips."""
    others = [n for n in notes if n is not note]
    if not _as_looped(note, others, bar, length):
        return True
    chord = _sounding(note, others, CHORD * bar)  # its pass's notes in the chord's span
    if any(p % 12 in chord for p in meant):
        return False
    tone = _in_borrowed_chord(note.pitch % 12, chord, key)
    return tone or _leads_into(note, notes, wrap, 2, beat)


def _in_borrowed_chord(pitch_class: int, chord: dict[int, float], key: Key) -> bool:
    """Whether ``pitch_class`` and the tones ``chord`` dwells on (:data:`DWELLS`: of how
    long each pitch class sounds, those at least half the longest) are one triad of
    ``key``'s parallel mode (:data:`PARALLEL`): Ab with D and F in C major (C minor's ii
    dim, the minor iv's colour), Eb with C and G (C minor's i), C# with A and E in A minor
    (A major's I, the Picardy third)."""
    parallel = Key(key.tonic, PARALLEL[4 in key.steps()])
    scale = sorted(parallel.pitch_classes(), key=lambda pc: (pc - key.tonic) % 12)
    most = max(chord.values(), default=0.0)
    tones = {pc for pc, t in chord.items() if t >= DWELLS * most - 1e-6} | {pitch_class}
    triads = [{scale[(i + k) % len(scale)] for k in (0, 2, 4)} for i in range(len(scale))]
    return any(tones <= triad for triad in triads)


def _approaches(
    note: Note, notes: list[Note], wrap: float | None, beat: float = 0.0, added: bool = False
) -> bool:
    """Whether ``note`` leads into the note a semitone from it at the next onset as an
    approach note does (:func:`_leads_into`), or opens an enclosure put into its pass
    (``added``: :func:`_added_enclosure`). A C major bass's C2 E2 G#2 A2, the G#2 off the
    beat into A2 on it, approaches A2 though the loop's other passes play G2 there; a
    lead's G#4 on the beat into A4 off it, where every other pass plays G4 A4, is no
    approach but the G4 slipped (:func:`_slipped`); and so is a C major bass's F#2 E2 F2
    where every other pass plays G2 E2 F2, the loop's own turn round F2 with a note a
    semitone off."""
    return added or _leads_into(note, notes, wrap, 1, beat)


def _leads_into(
    note: Note, notes: list[Note], wrap: float | None, step: int, beat: float = 0.0
) -> bool:
    """Whether ``note`` leads into a note up to ``step`` semitones from it at the next onset
    (:func:`_later`: a loop's first note follows its last) as a note led into another is
    played: shorter than it or struck more weakly (``key_lock.metric_weight``: an 8th off the
    beat into the beat, a 16th into an 8th; the beats counted from ``beat``, the clip's
    first downbeat). A note on the beat that falls to the one off it is the stronger of the
    two: nothing led into."""
    later = _later(note, notes, wrap)
    if not later:
        return False
    at = later[0][0]
    into = [
        n
        for n in notes
        if 1 <= abs(n.pitch - note.pitch) <= step
        and min(abs(n.start - at), abs(n.start + (wrap or 0.0) - at)) < 1e-6
    ]
    weak, *strong = metric_weight([note, *into], beat)
    return any(n.duration > note.duration + 1e-6 for n in into) or any(w > weak for w in strong)


def _added_enclosure(
    note: Note,
    notes: list[Note],
    others: list[Note],
    bar: float,
    length: float | None,
    wrap: float | None,
) -> bool:
    """Whether ``note`` opens an enclosure (:func:`_encloses`) whose middle note the loop's
    other passes (``others``: :func:`_meant`) do not play at its place: a figure put into
    the line on purpose, not a pass of the loop with a step missed (:func:`_missed`). A C
    major lead's 8ths ... B4 D5 | C5 whose second pass ends B4 C#5 B4 | C5, the C#5 and B4 in
    16ths for the D5, turn round the C5; a pass playing C#5 for the D5 of the loop's own
    D5 B4 C5 missed a step. A middle note past the clip's end (the loop going round) is the
    loop's own first note."""
    later = _later(note, notes, wrap)
    if len(later) < 2 or not _encloses(note, [t for t, _ in later], [p for _, p in later]):
        return False
    middle = [n for n in notes if abs(n.start - later[0][0]) < 1e-6]
    return bool(middle) and all(
        n.pitch not in _meant(n, [m for m in others if m is not n], bar, length) for n in middle
    )


def _encloses(note: Note, later: list[float], at: list[list[int]]) -> bool:
    """Whether ``note``, the note after it and the one after that (at onsets ``later``,
    pitches ``at``) turn round the last in one rhythm: C#5 B4 C5 in 8ths, the last a
    semitone from ``note`` and the middle one on the target's other side, a step from it.
    F#5 A5 G5 whose A is held a quarter is no figure: the F# broke a run (F G A)."""
    if len(at[0]) != 1 or len(at[1]) != 1:
        return False
    middle, target = at[0][0], at[1][0]
    even = abs((later[0] - note.start) - (later[1] - later[0])) < ON_BEAT / 2
    side = (note.pitch - target) * (middle - target) < 0 and abs(middle - target) <= 2
    return even and abs(target - note.pitch) == 1 and side


def slip_lines(clip: Clip, downbeat: float | None = None) -> tuple[str, str] | None:
    """Two lines naming the first note of ``clip`` that sounds like a slip (:func:`slips`,
    of the clip as written: ``feel.as_written``, a played note on the beat is on it) for a
    request in ``--key auto``: the command line's (:func:`slip_notice`) and the Max for Live
    device's; None where no note does. Told where bar 1 lies (``downbeat``: a pickup
    before it), its place is said in Live's bars (:func:`where`). The command line's names
    the key that reads with it where that is another, and ``--key`` to leave it out (with
    the notes the clip holds besides the key's scale: ``--key "A minor + G#"`` for an
    Andalusian lead, whose E chord's G# ``--key A-minor`` took out of every take); the
    device's Key lock is off, auto or live (Live's scale), so its way out is Live's: its
    scale set to the key, under Key lock live, or the note mended in the clip (the device's
    status line said nothing of a slip, which auto kept in every take: helper-176)."""
    bar = clip.time_signature.beats_per_bar
    beat = 4 / clip.time_signature.denominator  # Live's beat, in quarter notes
    written = clip_reading(clip).clip.notes  # as generation read it (model.clip_reading)
    found = slips(written, bar, clip.length, downbeat, [n.duration for n in clip.notes])
    if not found:
        return None
    note, held, raised = found[0]
    held = open_third([n for n in written if n is not note], held)  # as auto locks it
    key = Key(held.tonic, held.mode)
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    read = lock_key(written, bar, clip.length, downbeat)
    read = None if read is None else open_third(written, read)
    said = (
        f"--key auto reads {Key(read.tonic, read.mode)} with it; "
        if read is not None and (read.tonic, read.mode) != (key.tonic, key.mode)
        else ""
    )
    name = f'"{held}"' if held.extra else str(key).replace(" ", "-")  # keeps the G# it plays
    place = where(note.start, bar, downbeat, beat)
    heard = f"{pitch_name(note.pitch, key, raised)} {place} is played once and off {key}{more}"
    # Live has no scale of an open third's 4 notes (keys.OPEN_THIRD): no Live scale to set
    live = f", or set Live's scale to {key} under Key lock live" if key.mode in SCALES else ""
    return (
        f"{heard}, a slip? {said}--key {name} leaves it out of the takes",
        f"{heard}, a slip? Key lock auto keeps it in the takes; mend it in the clip{live}",
    )


def slip_notice(clip: Clip, downbeat: float | None = None) -> str | None:
    """The command line's line of :func:`slip_lines`: the slip, where it lies, and how
    ``--key`` leaves it out; None where no note sounds like a slip."""
    lines = slip_lines(clip, downbeat)
    return lines[0] if lines else None


def where(start: float, bar: float, downbeat: float | None = None, beat: float = 1.0) -> str:
    """A note's place as Live shows it: "at bar 3 beat 3.5", bar 1 at ``downbeat`` where told
    (else at the clip's start), in Live's beats of ``beat`` quarter notes (the time
    signature's denominator is its beat, Live's manual says: an eighth in 6/8, where the
    second dotted quarter is beat 4); a note before it "in the pickup (0.5 beats before bar
    1)", a length, in quarter notes as segue's every length (how Live numbers a place
    before 1.1.1 is not checked here)."""
    at = round(start - (downbeat or 0.0), 2)  # as said: a hair before bar 6 is on it
    if at < 0:
        return f"in the pickup ({-at:g} beats before bar 1)"  # a length: quarter notes
    index = math.floor(at / bar + 1e-9)
    return f"at bar {index + 1} beat {round((at - index * bar) / beat + 1, 2):g}"


def asked_slip_lines(
    clip: Clip, key: str | None, drums: bool, downbeat: float | None = None
) -> tuple[str, str] | None:
    """:func:`slip_lines` of ``clip`` (bar 1 at ``downbeat`` where told) for a request in
    ``key`` (the setting as given) played by a drum model or not (``drums``): only ``auto``
    reads the key from the clip and keeps the slip, and a kit has no key; None elsewhere."""
    auto = str(key or "").strip().casefold() == "auto"
    return slip_lines(clip, downbeat) if auto and not drums else None


def asked_slip_notice(
    clip: Clip, key: str | None, drums: bool, downbeat: float | None = None
) -> str | None:
    """The command line's line of :func:`asked_slip_lines`, or None."""
    lines = asked_slip_lines(clip, key, drums, downbeat)
    return lines[0] if lines else None
