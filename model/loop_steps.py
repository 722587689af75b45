"""A take's choices at each step where its loop proposes the next note: which rows repeat the
loop (:func:`with_loop`, :func:`from_loop`), where a take turns, answers or finishes a chord
of its own (:func:`near_the_loop`, :func:`answer_offsets`, :func:`finishing_chords`), how a
loop's note out of key or range folds (:func:`fold_into`), and its velocities and lengths
(:func:`loop_levels`, :func:`loop_lengths`). ``segue.model.generate`` asks them note by
note."""

from __future__ import annotations

import numpy as np

from segue.model.answer_pitches import answer_near_line, answer_pitches, first_ranked
from segue.model.chord_size import finish_chords, unfinished
from segue.model.contour import in_contour
from segue.model.loop import LoopChoice, LoopRows
from segue.model.memory import Recollection
from segue.model.pitch_classes import every_octave
from segue.model.sampling import Sampler
from segue.model.shapes import roots_fitting
from segue.model.takes import Turns
from segue.model.vocab import Vocab, any_set, where_set
from segue.model.voicings import in_part, kept_voicing


def all_copy(copy: Recollection, choice: LoopChoice | None, live: np.ndarray) -> bool:
    """Whether the loop proposes and every live row copies its next field (the network's
    draw would be thrown away)."""
    return choice is not None and not any_set(live & ~copy.use)


def drawing(copy: Recollection | None, live: np.ndarray) -> np.ndarray:
    """The live rows whose next field comes from the network (no copy)."""
    return live if copy is None else live & ~copy.use


def with_loop(
    copy: Recollection | None, choice: LoopChoice, loop: LoopRows | None = None
) -> Recollection:
    """The rows' copies once the loop has chosen: a row that repeats the loop's proposal
    copies it, and one that varies it (a take's turn) copies all but its pitch (see
    :func:`pitch_of_varied`); one that does neither keeps memory's copy unless that is
    the proposal (its onset and pitch: then the network plays the note), or, of a chord
    loop (``loop``), another voice of the proposal's chord at its onset, which the loop
    goes on to propose there (struck already, that voice was left out: a triad loop's
    G2 B2 D3 came back B2 D3 at --memory 0.5, helper-94); the others keep memory's copy."""
    use = choice.keeps()
    fields = choice.fields[:, :3].copy()
    if copy is not None:
        other = (copy.fields[:, 0] != choice.fields[:, 0]) | (
            copy.fields[:, 1] != choice.fields[:, 1]
        )
        kept = copy.use & ~use & (other | ~choice.proposed)
        if loop is not None:
            kept &= ~_on_a_voice(copy, choice, loop, kept)
        use |= kept
        fields = np.where(kept[:, None], copy.fields, fields)
    return Recollection(use, fields)


def _on_a_voice(
    copy: Recollection, choice: LoopChoice, loop: LoopRows, rows: np.ndarray
) -> np.ndarray:
    """(rows,) which of the ``rows`` copy a pitch of the loop's proposed chord (its other
    voices, ``LoopRows.proposed_with``) at the chord's onset."""
    out = np.zeros(len(rows), dtype=bool)
    there = rows & choice.proposed & (copy.fields[:, 0] == choice.fields[:, 0])
    for r in where_set(there).tolist():
        out[r] = int(copy.fields[r, 1]) in loop.proposed_with(r)
    return out


def from_loop(copy: Recollection, choice: LoopChoice) -> np.ndarray:
    """The rows whose note is the loop's proposal, or its rhythm (a take's turn)."""
    return copy.use & choice.keeps()


def loop_onsets_allowed(
    allowed: np.ndarray, copy: Recollection, choice: LoopChoice, exact: np.ndarray | None
) -> None:
    """A note that repeats the loop lands where the loop's note does. Offsets longer than a
    bar come in beats, so the offset class of a note after a long rest may fall short of
    it (and before the clip's end, for the first note): for such a row the class stands
    for the exact onset, allowed as that onset is (``exact``: (rows, 1) under the polyphony
    limit, None when any is; a proposal never comes before the clip's end)."""
    rows = where_set(from_loop(copy, choice))
    allowed[rows, copy.fields[rows, 0]] = True if exact is None else exact[rows, 0]


FIRST_LOUDNESS = (88, 112)
"""The velocities that a take generated from nothing (no seed notes) begins at: its first
note's, which the network carries on from. Around 100, the velocity Live gives a note you
draw. Left to the network, which learnt music at every level (velocity shifts augment its
training), a first note came at any velocity: from nothing, the median velocity of a
producer take was under 20 in 5 of 20 rng seeds, a clip you can hardly hear."""


def from_nothing(logits: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Velocity ``logits`` (rows, classes) kept to the classes whose ``values`` lie in
    :data:`FIRST_LOUDNESS`."""
    low, high = FIRST_LOUDNESS
    return np.where(((values >= low) & (values <= high))[None], logits, -np.inf)


def loop_levels(choice: LoopChoice, values: np.ndarray) -> np.ndarray:
    """(rows,) the loop's proposed notes' velocities: the clip note's own where it is known,
    else its class's (``values``)."""
    return np.where(choice.levels > 0, choice.levels, values[choice.fields[:, 3]])


def loop_lengths(choice: LoopChoice, values: np.ndarray) -> np.ndarray:
    """(rows,) the loop's proposed notes' durations in ticks: the clip note's own where it
    is known, else its class's."""
    return np.where(choice.lengths > 0, choice.lengths, values[choice.fields[:, 2]])


def pitch_of_varied(copy: Recollection, choice: LoopChoice) -> np.ndarray:
    """The rows that vary the proposal (a take's turn) and copy its onset: the network
    draws their pitch (``copy.use`` is cleared for them until the pitch is drawn; the
    returned rows copy the rest of the proposal, its duration and velocity)."""
    held = copy.use & choice.vary
    copy.use &= ~held
    return held


FOLD_REACH = 2
"""Semitones a loop's note out of key may move to a pitch in it: a scale folds a note by one
or two."""


def fold_into(
    pitches: np.ndarray,
    rows: np.ndarray,
    wanted: np.ndarray,
    in_key: np.ndarray | None,
    in_range: np.ndarray,
    struck: np.ndarray | None = None,
) -> np.ndarray:
    """``pitches`` ((rows, 128) bool) of the ``rows`` narrowed to where their loop's notes
    (``wanted``), which the key, the range or a note still sounding let not through, fold:
    a note out of the key (``in_key``, (128,) bool; None on a drum model) to the nearest
    pitch in it within :data:`FOLD_REACH`, the lower of two as near, so a pitch folds one
    way wherever it comes (the network chose between them, and a loop's C# in E minor came
    as D once and as C elsewhere in one take: helper-51); a note out of the range
    (``in_range``, (128,) bool, or (rows, 128) where each row keeps to its own, as a shape's
    root does: ``segue.model.shapes.root_room``) to itself in the nearest octave in it (a
    chord's top note under --high); a note whose
    pitch still sounds to itself, struck again as the clip strikes it. Returns the rows
    whose note has nowhere to fold, which are left out of the take (the network's note
    keeps its steps going, unheard): a range narrower than an octave that has no place for
    it (folded by a semitone or two instead, an Am7 under
    --low 60 --high 66 came back as C C# E F#), and every pad on a drum model (a pad near
    another is another drum: under --high 40 every hat of a house beat became a clap). A
    C-D7-F-G loop locked to C major lost the A and C of its D7 with its F#, and the network
    put a G or an E there."""
    if in_key is None:  # drum pads
        return rows.copy()
    ranged = np.broadcast_to(in_range, pitches.shape)  # (128,), or a range of each row's
    left_out = np.zeros(len(rows), dtype=bool)
    for r in where_set(rows):
        allowed = where_set(pitches[r])
        want = int(wanted[r])
        near: list[int] = []
        if not in_key[want]:  # the nearest, the lower of two as near: one fold a pitch
            close = allowed[np.abs(allowed - want) <= FOLD_REACH]
            if len(close):
                near = [int(close[np.lexsort((close, np.abs(close - want)))[0]])]
        elif ranged[r, want]:  # its pitch still sounds: struck again, the note before it
            if struck is None or not struck[r, want]:  # stops where it begins (feel's
                near = [want]  # played_times); struck at this very onset already (a lower
            # voice folded onto it under --low: A3 up to A4 beside the pad's own A4), it is
            # there: left out, not written twice at once (helper-47)
        else:
            octaves = allowed[(allowed - want) % 12 == 0]
            if len(octaves):
                near = [int(octaves[np.argmin(np.abs(octaves - want))])]
        if near:
            pitches[r] = False
            pitches[r, near] = True
        else:
            left_out[r] = True
    return left_out


def pitch_of_rhythm(copy: Recollection | None) -> np.ndarray | None:
    """The rows that copy a rhythm (``segue.model.memory_views``): the network draws their
    pitch (``copy.use`` is cleared for them until it is drawn; the returned rows copy the
    duration). None when no row does."""
    if copy is None or copy.network_pitch is None:
        return None
    held = copy.use & copy.network_pitch
    copy.use &= ~held
    return held


def near_the_loop(
    pitches: np.ndarray,
    choice: LoopChoice,
    rows: np.ndarray,
    turns: Turns,
    onset: np.ndarray,
    pitch_end: np.ndarray,
    struck: np.ndarray,
    missed: np.ndarray | None = None,
    line: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """A varied note stays near the loop's, in its register (``turn_pitches.turn_pitches``), and
    in a chord loop clashes with nothing it sounds with (``ChordClashes.clashing``, never the
    note its take's answer cut; ``pitch_end``: where each take's pitches stop sounding,
    ``Voices``) where the key and the part leave it such a pitch; a chord's turned voice stays
    above its bass and keeps its colour (``TurnedVoicings.voicing``; ``struck``: the pitches
    each take has struck at its onset). Takes that answer at one place and would share a pitch
    there may go as far from it as gives each one of its own
    (``answer_pitches.answer_pitches``). The ``missed`` rows (which let the loop's note go
    outside their turn and strike another, on its onset or off it) keep a coloured chord's
    colour as a turned voice does (``TurnedVoicings.voicing`` not ``turning``), and where the
    loop strikes a chord, a line's too, clash with nothing they sound with where the part
    leaves them a pitch (``ChordClashes.chord_clashing``, ``voicings.kept_voicing``). Returns
    the rows whose turned voice may keep its own pitch (``ChordVoicings.exchanging``: another
    voice of the take's chord has left its own): a take whose pitch another take played there
    takes it (``apart_takes``). A sparse bass's pickups take as many pitches as its takes, of
    those ``DrawnPitches.picking_up`` ranks, in the rng's order
    (``answer_pitches.first_ranked``). A line's turned notes keep its contour (``line``: each
    take's latest pitch and how many times in a row it struck it, ``contour.line_end``;
    :func:`_in_contour`)."""
    exchanged = np.zeros(len(rows), dtype=bool)
    turned = where_set(rows & choice.vary)
    if len(turned):
        levels = turns.voicing(turned, onset, choice.fields[:, 1], struck)
        pitches[turned] = kept_voicing(pitches[turned], levels)
        exchanged[turned] = turns.exchanging(turned, onset, choice.fields[:, 1], struck)
    free = where_set(missed & ~rows) if missed is not None else np.zeros(0, dtype=np.int64)
    if len(free):
        levels = turns.voicing(free, onset, choice.fields[:, 1], struck, turning=False)
        pitches[free] = kept_voicing(pitches[free], levels)
        sounding = pitch_end > onset[:, None]
        clear = turns.chord_clashing(free, onset, choice.fields[:, 1], sounding)
        pitches[free] = kept_voicing(pitches[free], clear)
    index = where_set(rows)
    if len(index) and turns.shape is not None:  # a shape's root: one its shape fits on
        _shape_in_key(pitches, index[~struck[index].any(axis=1)], turns, onset)
    if len(index):
        answering = choice.answer >= 0  # an answer's takes share its place, not the proposal's
        where = np.where(answering, choice.answer, choice.onsets)
        sharing = turns.sharing(where, choice.fields[:, 1])[index]
        fits = turns.clashing(index, onset, choice.fields[:, 1], pitch_end > onset[:, None])
        loop_pitch = choice.fields[index, 1]
        answers = any_set(answering[index])  # (a turn's step mostly: none answers)
        # an answer in a held voice's place moves that voice: near it, not the loop's next note
        near = turns.voice_answered(index, loop_pitch, answering[index]) if answers else loop_pitch
        before = pitches[index]
        span = turns.span_at(onset[index])  # the part's span at each row's note, read once
        pitches[index] = turns.turn_pitches(
            before,
            near,
            turns.middle,
            turns.classes_at(onset[index]),
            span,
            sharing,
            fits,
            turns.pitch_reach,
            exchanged[index],
            turns.ways,
            turns.outlines & ~answering[index],
            _contours(turns, onset, index, line, answering[index]),
        )
        # a line's late answers at fewer places than takes: a pitch of its own at either
        wanted = np.maximum(sharing, turns.answering_late(where)[index])
        middle = turns.middle if turns.outlines else None  # a line's answers: where it sits
        lined = where_set(answering[index]) if middle is not None else index[:0]
        # a line's answer moves on from its note before: that note the last it takes
        previous = turns.previous(onset[index]) if middle is not None else None
        if middle is not None and len(lined):  # near the line, not only its next note
            answered_pitches = pitches[index[lined]]
            answer_near_line(
                answered_pitches, near[lined], middle, wanted[lined], _rows(previous, lined)
            )
            pitches[index[lined]] = answered_pitches
        if answers:  # only an answer moves off a held voice, or goes as far as it needs
            voice = where_set(near != loop_pitch)  # never the held voice's own pitch again
            keep = pitches[index[voice], near[voice]] & (pitches[index[voice]].sum(axis=1) > 1)
            pitches[index[voice[keep]], near[voice[keep]]] = False
            others = pitches[index].sum(axis=1) - pitches[index, loop_pitch]
            past = np.zeros(len(index), dtype=bool)
            if span is not None:  # the turn went past the part's span for pitches enough
                out = ~in_part(span, pitches.shape[1])
                past = np.asarray((pitches[index] & out).any(axis=1), dtype=bool)
            wide = where_set(answering[index] & (others >= wanted) & past)
            if len(wide):  # an answer's takes: the nearest that give each its own, not the octave's
                nearest = pitches[index[wide]]
                done = answer_pitches(
                    nearest,
                    loop_pitch[wide],
                    None,
                    wanted[wide],
                    _rows(fits, wide),
                    near[wide],
                    middle=middle,
                    previous=_rows(previous, wide),
                )
                pitches[index[wide[done]]] = nearest[done]
            few = where_set(answering[index] & (others < wanted))
            if len(few):  # an answer's takes each a pitch of their own: as far as they need
                wider = before[few]
                done = answer_pitches(
                    wider,
                    loop_pitch[few],
                    turns.key,
                    wanted[few],
                    _rows(fits, few),
                    near[few],
                    None if span is None else span[few],
                    sharing[few],
                    middle,
                    _rows(previous, few),
                )
                pitches[index[few[done]]] |= wider[done]
        asked = np.where(answering[index], wanted, 0)
        if turns.outlines:  # a line's turned notes: the rng's choice among its own (turning)
            turned = np.where(answering[index], 0, sharing)
            ranks = turns.turning(np.where(turned > 0, onset[index], -1))
            _ranked(pitches, index, ranks, pitches[index], None, loop_pitch, turned, choosing=True)
        if turns.sparse:  # a sparse bass's pickups: the rng's choice of them (picking_up)
            ranks = turns.picking_up(where, choice.fields[:, 1])[index]
            fewest = np.where(answering[index], sharing, 0)  # each at its place, where fewer
            _ranked(pitches, index, ranks, before, fits, loop_pitch, asked, fewest=fewest)
        elif turns.lead:  # a lead's answers in its rests: the rng's choice near the line,
            ranks = turns.answering_near(where, choice.fields[:, 1])[index]  # as few as the
            asked = np.where(answering[index], sharing, 0)  # takes at each place need
            chord = None if fits is None else (fits == 2).any(axis=1)  # an arp's: its chord
            _ranked(pitches, index, ranks, before, fits, loop_pitch, asked, chord, choosing=True)
    return exchanged


def _contours(
    turns: Turns,
    onset: np.ndarray,
    index: np.ndarray,
    line: tuple[np.ndarray, np.ndarray] | None,
    answering: np.ndarray,
) -> tuple[np.ndarray, ...]:
    """The masks a line's turned notes (the rows ``index`` not ``answering``) keep first
    (``turn_pitches.turn_pitches``' ``contour``): the line's contour (``Turns.contour``) from the
    take's latest note (``line``: its pitch and how many times in a row it was struck),
    into the loop's note after the turn and the run it begins (``DrawnPitches.gives_back``),
    then from the latest note alone; none for the other rows, which keep ``turn_pitches``'
    tiers. None without a ``line``."""
    if line is None or not turns.outlines or answering.all():
        return ()
    last, run = line[0][index], line[1][index]
    back, ahead = (given[index] for given in turns.gives_back(onset))
    return tuple(
        in_contour(last, run, following, turns.contour, ahead=ahead) & ~answering[:, None]
        for following in (back, np.full_like(back, -1))
    )


def _ranked(
    pitches: np.ndarray,
    index: np.ndarray,
    ranks: np.ndarray,
    before: np.ndarray,
    fits: np.ndarray | None,
    loop_pitch: np.ndarray,
    wanted: np.ndarray,
    chord: np.ndarray | None = None,
    choosing: bool = False,
    fewest: np.ndarray | None = None,
) -> None:
    """``pitches`` of the rows ``index`` narrowed, in place, to the ``wanted`` (per row; 0:
    left as they are) first in ``ranks`` (``DrawnPitches.picking_up``,
    ``DrawnPitches.answering_near``) of those the network allowed (``before``), clear of the
    note an answer cut (``fits``), and of the ``chord`` rows (per row bool) of the chord their
    bar outlines (``fits`` 2), where there are as many (``choosing``: more, a choice to make;
    ``fewest``, per row: as many as that at least, all those ranked where fewer than
    ``wanted``); the loop's own pitch as it is (struck as it is, generate)."""
    least = 1 if chord is None else np.where(chord, 2, 1)[:, None]
    clear = before.copy() if fits is None else before & (fits >= least)  # not the cut note
    each = np.arange(len(index))
    clear[each, loop_pitch] = False
    pool = first_ranked(ranks, clear, wanted)
    ranked = (clear & (ranks > 0)).sum(axis=1)
    need = wanted if fewest is None else np.clip(fewest, 1, wanted)
    enough = (wanted > 0) & (pool.sum(axis=1) >= need) & (ranked > wanted if choosing else True)
    if enough.any():
        pool[each, loop_pitch] = pitches[index, loop_pitch]
        pitches[index[enough]] = pool[enough]


def _shape_in_key(pitches: np.ndarray, roots: np.ndarray, turns: Turns, onset: np.ndarray) -> None:
    """``pitches`` of the ``roots`` (rows: a take's turn or answer of a part in a fixed
    shape, ``Turns.shape``, its first note at its onset) narrowed, in place, to the roots on
    which the whole shape is of the classes its turns keep to there (``LoopClasses.at``)
    where that leaves one: a power chord's turned root whose fifth is out of the key would
    break the shape or the key."""
    classes = turns.classes_at(onset[roots])
    if classes is None or turns.shape is None or not len(roots):
        return
    keyed = pitches[roots] & every_octave(classes)[:, : pitches.shape[1]]
    fit = roots_fitting(keyed, turns.shape)
    some = fit.any(axis=1)
    pitches[roots[some]] = fit[some]


def _rows(table: np.ndarray | None, rows: np.ndarray) -> np.ndarray | None:
    """``table``'s ``rows`` (None for none)."""
    return None if table is None else table[rows]


def apart_takes(
    pitch: np.ndarray,
    own: np.ndarray,
    onset: np.ndarray,
    choice: LoopChoice,
    turns: Turns,
    logits: np.ndarray,
    allowed: np.ndarray,
    sample: Sampler,
    rng: np.random.Generator,
    exchanged: np.ndarray | None = None,
    struck: np.ndarray | None = None,
) -> np.ndarray:
    """Takes that vary the same note play different pitches there (``TakesApart.apart``): a
    take on a pitch another has played draws again, from the network's own distribution,
    among the pitches left, and for the ``exchanged`` rows (:func:`near_the_loop`) the loop's
    own pitch (a voice exchange: a close F's turned A3 and C4 went only to G3 and A3, and
    the takes that turned it were one, helper-98b). ``struck``: the notes each take has
    struck at its onset, by which a chord's last turned voice makes a chord of its own."""
    if exchanged is not None and any_set(exchanged):
        allowed = allowed.copy()
        rows = where_set(exchanged)
        allowed[rows, choice.fields[rows, 1]] = True

    def redraw(take: int, left: np.ndarray) -> int:
        return int(sample(logits[take : take + 1], left[None], rng)[0])

    return turns.apart(where_set(own), onset, choice.fields[:, 1], pitch, allowed, redraw, struck)


def answer_offsets(
    allowed: np.ndarray | None,
    choice: LoopChoice,
    vocab: Vocab,
    last_onset: np.ndarray,
    free: np.ndarray | None = None,
) -> tuple[np.ndarray | None, np.ndarray]:
    """The offsets allowed once each row that answers (``choice.answer``, see
    ``segue.model.takes``) is kept to its answer's onset, and the rows that answer: theirs
    is the offset class of the gap (past a bar they come in beats, and the class just
    short of it stands for it, as for a loop note after a long rest). A row whose answer
    the polyphony limit closes does not answer (``LoopChoice.answering``). A row ``free``
    to (its latest note the network's own, which leaves it silent up to its answer for
    longer than the clip is ever silent) may also play before its answer
    (:func:`answered`): held to it, a take's short note of its own at a low --memory was
    followed by silence up to the answer, bars later (a drone's takes at --memory 0.1 fell
    silent for two bars in 8 of 12, helper-65)."""
    rows = where_set(choice.answer >= 0)
    if not len(rows):
        return allowed, np.zeros(len(choice.answer), dtype=bool)
    gap = vocab.offset_class(choice.answer[rows] - last_onset[rows])
    can = np.zeros(len(choice.answer), dtype=bool)
    can[rows] = True if allowed is None else allowed[rows, gap]
    answering = choice.answering(can)
    out = np.ones((len(can), vocab.n_offset), dtype=bool) if allowed is None else allowed.copy()
    kept = rows[can[rows]]
    gap = gap[can[rows]]
    before = np.arange(vocab.n_offset)[None] <= gap[:, None]
    early = free[kept] if free is not None else np.zeros(len(kept), dtype=bool)
    out[kept] &= np.where(early[:, None], before, False)
    out[kept, gap] = True
    return out, answering


def answered(
    choice: LoopChoice,
    answering: np.ndarray,
    onset: np.ndarray,
    stands: np.ndarray | None = None,
) -> np.ndarray:
    """The rows that answer, of ``answering``, once their offset is drawn: one that drew a
    note before its answer (``answer_offsets``) plays it instead, and answers later; but
    not the ``stands`` rows, whose drawn offset is their answer's own class, short of it
    (past a bar, in beats): it stands for the answer's onset. Taken as a note before it, a
    cool take's answer off the beat (-t 0.5, a call's rest answered on its "and") was the
    network's own note on the beat, near no note of the loop's and on another take's pitch:
    two takes one take (2 of 64, helper-142); at any temperature, a pushed bass's answer on
    the "and" of 4, 7.5 beats after its root held over the bar line, was its 7 beats' class:
    a note of the take's own on beat 4, two takes re-striking the root there (helper-205)."""
    early = answering & (onset < choice.answer)
    if stands is not None:
        early &= ~stands
    choice.answer[early] = -1
    return answering & ~early


def in_the_chord(
    allowed: np.ndarray | None, choice: LoopChoice, last_onset: np.ndarray, offsets: int
) -> np.ndarray | None:
    """The offsets allowed once a row whose loop proposes the next voice of the chord it is
    striking (at its latest onset) and does not repeat it plays its own note there too (offset
    0, where the row may): the network's pitch in the voice's place. Drawn anywhere, the note
    left the chord a voice short (a dyad loop's bar of C3 G3 came back as its C3, the own note
    a bar later, in 16 of 3,072 bars of 128 requests, helper-87)."""
    rows = where_set(
        choice.proposed
        & ~choice.repeat
        & ~choice.vary
        & (choice.answer < 0)
        & (choice.onsets == last_onset)
    )
    if allowed is not None:
        rows = rows[allowed[rows, 0]]
    if not len(rows):
        return allowed
    out = np.ones((len(last_onset), offsets), dtype=bool) if allowed is None else allowed.copy()
    out[rows] = False
    out[rows, 0] = True
    return out


def finishing_chords(
    allowed: np.ndarray | None,
    choice: LoopChoice | None,
    struck: np.ndarray,
    size: int,
    rows: np.ndarray,
    last_onset: np.ndarray,
    offsets: int,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The offsets allowed once the ``rows`` whose latest note is the network's own (not the
    loop's, a take's turn, a fold or an answer: a held pad's answer is one voice moving),
    not at a chord the loop strikes there (whose voices it proposes), and leaves its onset
    (``struck``: (rows, 128) the pitches struck there) with fewer than ``size`` notes strike
    the next note there too (``segue.model.chord_size``), where they may; and those rows
    (None for none): they neither repeat the loop's next note nor vary it nor answer yet
    (``choice``, changed in place)."""
    own = rows
    if choice is not None:
        own = own & ~(choice.proposed & (choice.onsets == last_onset))
    short = unfinished(struck, size, own)
    if allowed is not None:
        short &= allowed[:, 0]
    if not any_set(short):
        return allowed, None
    if choice is not None:
        choice.repeat &= ~short
        choice.vary &= ~short
        choice.answer[short] = -1
    return finish_chords(allowed, short, offsets), short


def on_the_bass(pitches: np.ndarray, rows: np.ndarray, basses: np.ndarray) -> None:
    """``pitches`` ((rows, 128) bool) of the ``rows`` (a note of the take's own: not the loop's
    repeat) narrowed to the bass the loop strikes alone where each lands (``basses``,
    ``Turns.lone_bass``; -1 where none), where that bass is allowed: a left hand's downbeat,
    an oom-pah's 1, is the loop's bass whoever strikes it. A waltz's F1 let go by chance
    came back D3, the note memory copied after the turn before it (a G chord's: the clip's
    G bar goes on to D3), and a left hand's F1 came back G2, the network's own note after
    the E2 before it let go; the bass alone turns nothing (``ChordVoicings.fits``)."""
    at = where_set(rows & (basses >= 0))
    if not len(at):
        return
    bass = basses[at]
    free = pitches[at, bass]
    at, bass = at[free], bass[free]
    pitches[at] = False
    pitches[at, bass] = True


def in_the_part(pitches: np.ndarray, rows: np.ndarray, span: np.ndarray | None) -> None:
    """``pitches`` ((rows, 128) bool) of the ``rows`` (the network's own notes: a take that
    let the loop go outside its turn and answer) narrowed to the part's register, the loop's
    span (``span``: (n, 2) the lowest and highest pitch for each of the n rows ``rows``
    selects, ``Turns.span_at``; None: no span) and :data:`BEYOND` past it, as a turn's and
    an answer's are (``turn_pitches.turn_pitches``), where that leaves a pitch. A close ninths pad
    (G2 to E4) let go in bar 3, its G13 held 1.5 beats, and the network struck a chord of
    its own with C2 under it, seven semitones below the part."""
    at = where_set(rows)
    if span is None or not len(at):
        return
    inside = pitches[at] & in_part(span, pitches.shape[1])
    kept = inside.any(axis=1)
    pitches[at[kept]] = inside[kept]


def without_repeat(
    pitches: np.ndarray,
    choice: LoopChoice,
    copy: Recollection,
    offset: np.ndarray,
    loop: LoopRows | None = None,
    exchanged: np.ndarray | None = None,
) -> None:
    """Where a row does not repeat the loop but lands on the proposed note's onset, or
    answers before it (a held note's answer would only strike it again), the network
    plays another pitch (unless it is the only one allowed). Landing on a chord's onset,
    it plays none of the chord's other voices either (``loop``: the loop's
    ``LoopRows.proposed_with``), which the loop goes on to propose there: on another voice's
    pitch, that voice was left out, and a chord the loop kept lost a voice (a triad loop's
    A2 C3 E3 came back C3 E3 in about 1 chord of 1,500 bars, helper-87); but for the
    ``exchanged`` rows (:func:`near_the_loop`: a chord's turned voice above one that moved),
    the voices below, struck already, whose pitches are free."""
    at_proposal = offset == choice.fields[:, 0]
    rows = where_set(choice.proposed & ~copy.use & (at_proposal | (choice.answer >= 0)))
    if len(rows):
        cols = choice.fields[rows, 1]
        others = pitches[rows].sum(axis=1) > 1
        pitches[rows[others], cols[others]] = False
    if loop is None:
        return
    for r in rows[at_proposal[rows] & (choice.answer[rows] < 0)].tolist():
        voices = loop.proposed_with(r)
        if exchanged is not None and exchanged[r]:  # the voices below moved, struck already
            voices = [v for v in voices if v > choice.fields[r, 1]]
        if voices and pitches[r].sum() > np.count_nonzero(pitches[r, voices]):
            pitches[r, voices] = False
