"""The phases of one step of a request (``segue.model.generate``): each draws one field of
the next note of every take, with what the request's tools (``step_state.StepTools``) and the
takes so far (``step_state.TakesSoFar``) say, and returns what the next phase reads.

1. :func:`step_onsets`: the offset, the first new note not before the clip's end, inside
   the polyphony limit, the loop's and a fill's, on the clip's grid (:class:`StepOnsets`);
2. :func:`step_pitches`: the pitch, in key and range, the loop's, a turn's, a shape's
   voice, a drum take's own hits (:class:`StepPitches`);
3. :func:`step_lengths`: the duration and the velocity, the loop's unless it slips
   (:class:`StepLengths`);
4. :func:`kept_note`: the note kept where its take still runs, and what the takes so far,
   the memory, the loop and the palette keep of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from segue.model.architecture import Stepper
from segue.model.contour import line_end
from segue.model.drum_steps import (
    PAD_GAP,
    at_one_level,
    before_the_backbone,
    off_the_backbeat,
    off_the_floor,
    on_the_groove,
    over_the_kick,
    rolls_on_fill_pads,
    room_on_the_groove,
)
from segue.model.drumming import Fills
from segue.model.loop import LoopChoice, LoopRows
from segue.model.loop_steps import (
    all_copy,
    answer_offsets,
    answered,
    apart_takes,
    drawing,
    finishing_chords,
    fold_into,
    from_loop,
    from_nothing,
    in_the_chord,
    in_the_part,
    loop_lengths,
    loop_levels,
    loop_onsets_allowed,
    near_the_loop,
    on_the_bass,
    pitch_of_rhythm,
    pitch_of_varied,
    with_loop,
    without_repeat,
)
from segue.model.memory import Recollection, recollect
from segue.model.onset_grid import kept_to, kept_to_places, on_grid
from segue.model.pitch_classes import pitch_bias
from segue.model.request_plan import DrumReading, RequestPlan
from segue.model.rests import Rests
from segue.model.sampling import Sampler
from segue.model.shapes import completed, root_ends
from segue.model.slips import near_duration, near_velocity, slipped_velocity
from segue.model.step_state import StepTools, TakesSoFar
from segue.model.vocab import any_set, bar_positions, columns, where_set
from segue.model.voices import Voices, arranged

NO_LATEST = int(np.iinfo(np.int64).max)
"""The latest tick of a take that has none (read once: ``np.iinfo`` costs per call)."""


@dataclass(slots=True)
class StepOnsets:
    """A step's onsets, as phase 1 drew them: what the pitch reads."""

    onset: np.ndarray
    """Each take's onset of the note (ticks)."""
    off: np.ndarray
    """Each take's offset class (the network's input)."""
    position: np.ndarray
    """Each onset's place in its bar (the network's input)."""
    choice: LoopChoice | None
    """What the loop proposes at this step (``segue.model.loop``), None where it proposes
    nothing."""
    copy: Recollection | None
    """The clip memory's copy and the loop's proposal (``memory.Recollection``), or None."""
    answering: np.ndarray | None
    """The takes whose note answers a turn (``loop_steps.answer_offsets``), or None."""
    heads: _Heads
    """What the network's heads read of the step (computed as a field needs it)."""


@dataclass(slots=True)
class StepPitches:
    """A step's pitches, as phase 2 drew them: what the duration, the velocity and the note
    kept read."""

    pitch: np.ndarray
    """Each take's pitch class drawn or copied (0-127)."""
    varying: np.ndarray | None
    """The takes whose note varies the loop's (a turn, a fold, a shape's voice): it keeps the
    loop's duration and velocity; None without a loop's proposal."""
    repeating: np.ndarray | None
    """The takes that repeat the loop's note; None without a loop's proposal."""
    reshaped: np.ndarray | None
    """The takes whose note is a voice of the fixed shape on their root, or None."""
    struck_here: np.ndarray | None
    """The pitches each take strikes at its onset (a fixed shape's), or None."""
    left_out: np.ndarray | None
    """The takes whose note is not heard (``loop_steps.fold_into``), or None."""


@dataclass(slots=True)
class StepLengths:
    """A step's durations and velocities, as phase 3 drew them: what the note kept reads."""

    dur: np.ndarray
    """Each take's duration class (the network's input)."""
    vel: np.ndarray
    """Each take's velocity class (the network's input)."""
    takes: np.ndarray
    """The takes whose duration is copied (the memory's or the loop's), not drawn."""
    loop_velocity: np.ndarray | None
    """Each take's loop velocity class, -1 where it is not kept; None where the loop
    proposes nothing."""
    loop_length: np.ndarray | None
    """Each take's loop note's own length (ticks), 0 where it is not kept; None where the
    loop proposes nothing."""
    velocity_slipped: np.ndarray | None
    """The takes whose repeat of the loop slips its velocity; None where the loop proposes
    nothing."""


def step_onsets(plan: RequestPlan, t: StepTools, s: TakesSoFar) -> StepOnsets:
    """Phase 1, the offset: each take's next onset, the first new note not before the clip's
    end, inside the polyphony limit; the loop's, a fill's, a turn's answer, on the clip's
    grid; copied from the memory or the loop where a take copies it, else drawn."""
    loop, live = t.loop, s.live
    first = s.made == 0
    any_first = any_set(first)  # asked again below: only the first steps have one
    onsets = s.last_onset[:, None] + t.time_values[None, :]
    crowded, full = _crowding(plan, s, onsets, loop is not None)
    # where a polyphony limit closes the latest onset, the loop goes on at its next
    choice = loop.choose(live, t.vocab, t.generator, t.greedy, full) if loop else None
    heads = _Heads(t.net, s.h)
    if _offsets_leave_the_loop_as_chosen(plan, t, s, choice):  # most steps of a dense loop
        chosen = choice
        copy, choice = _recollected(t, s, choice)
        kept = _kept_at_the_loop_s_onset(plan, s, copy, choice, crowded)
        if kept is not None and copy is not None and choice is not None:
            if not any_set(live & ~kept):  # every live take still copies the loop's onset
                copy.use &= kept
                return _the_loop_s_onsets(plan, t, s, copy, choice, first, any_first, heads)
        allowed, in_fill, answering = _offsets_allowed(
            plan, t, s, chosen, onsets, first, any_first, crowded
        )
        _kept_to_the_offsets_allowed(plan, s, copy, choice, allowed, crowded)
    else:
        allowed, in_fill, answering = _offsets_allowed(
            plan, t, s, choice, onsets, first, any_first, crowded
        )
        copy, choice = _copy_of_the_offset(plan, t, s, choice, allowed, crowded)
    # where the loop proposes and every live row copies a field, the network is not
    # asked for it (its draw would be thrown away): a loop of dense 16ths runs faster
    if copy is not None and all_copy(copy, choice, live):
        off = copy.fields[:, 0].copy()
    else:
        off = _drawn_offset(plan, t, s, copy, allowed, onsets, in_fill, first, any_first, heads)
    onset, answering = _onset_of(plan, t, s, off, first, any_first, choice, copy, answering)
    position = bar_positions(onset, plan.time.bar_ticks, t.vocab.max_bar_ticks)
    return StepOnsets(onset, off, position, choice, copy, answering, heads)


def _crowding(
    plan: RequestPlan, s: TakesSoFar, onsets: np.ndarray, looping: bool
) -> tuple[bool, np.ndarray | None]:
    """Whether any take is crowded at its latest onset (the polyphony limit may close an
    offset: ``Voices.crowded``), and the takes with no room there (``onsets``' first column,
    offset class 0; None where none is crowded), which the loop's choice reads: asked only
    where a loop chooses (``looping``; a line with no loop, the standard request's 63 steps,
    skips it). Where offset class 0 is the latest onset itself (``Vocab``'s, 0 ticks), the
    takes with no room there are those ``Voices.full`` found crowded (``Voices.closed`` at
    that onset says the same: a step of a dense chord loop asked it again)."""
    voices, last_onset, line = s.voices, s.last_onset, plan.line
    full = voices.full(last_onset, line.polyphony, line.steal, line.grace)
    crowded = any_set(full)
    if not crowded or not looping:
        return crowded, None
    if line.polyphony >= 1 and not any_set(onsets[:, 0] != last_onset):
        return True, full
    return True, ~voices.closed(onsets[:, :1], line.polyphony, line.steal, line.grace)[:, 0]


def _offsets_allowed(
    plan: RequestPlan,
    t: StepTools,
    s: TakesSoFar,
    choice: LoopChoice | None,
    onsets: np.ndarray,
    first: np.ndarray,
    any_first: bool,
    crowded: bool,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """The offsets each take may draw (``onsets``: (takes, offset classes) ticks; None: all):
    inside the polyphony limit and not before the clip's end, a fill's and the groove's, the
    answers' and the chords', on the clip's grid and pulse. Changes the loop's ``choice`` in
    place where a fill, an answer or a chord to finish takes a take from the loop. Returns
    them, the takes whose latest note is in a fill, and the takes that answer (None: no
    loop's proposal)."""
    allowed = _open_offsets(plan, s, onsets, first, any_first, crowded)
    allowed, in_fill, fill_rows = _fill_and_groove_offsets(plan, t, s, choice, onsets, allowed)
    allowed, answering = _answer_and_chord_offsets(plan, t, s, choice, allowed)
    allowed = _on_the_grid_and_pulse(plan, s, allowed, onsets, fill_rows, first)
    return allowed, in_fill, answering


def _offsets_leave_the_loop_as_chosen(
    plan: RequestPlan, t: StepTools, s: TakesSoFar, choice: LoopChoice | None
) -> bool:
    """Whether the offsets allowed (:func:`_offsets_allowed`) change nothing of the loop's
    ``choice`` at this step, so the copy may be asked before them: the loop proposes; no
    drum's fill, groove or backbone; no take answers (``loop_steps.answer_offsets`` returns
    at once); no live take whose latest note is its own may finish its chord
    (``loop_steps.finishing_chords`` is not asked)."""
    if choice is None or plan.drum.fills is not None or plan.drum.groove_room is not None:
        return False
    if t.loop is not None and t.loop.kept:
        return False
    if any_set(choice.answer >= 0):
        return False
    return not (plan.line.chord_voices and any_set(s.live & s.own_latest))


def _kept_at_the_loop_s_onset(
    plan: RequestPlan,
    s: TakesSoFar,
    copy: Recollection | None,
    choice: LoopChoice | None,
    crowded: bool,
) -> np.ndarray | None:
    """Where every take that copies (live or not) copies the loop's note or its rhythm
    (``LoopChoice.keeps``): the takes that copy, kept where the polyphony limit leaves the
    loop's own onset open (``Voices.closed``; all of them where none is crowded). None where
    some take copies another note (the memory's): its copy reads the offsets allowed."""
    if copy is None or choice is None or any_set(copy.use & ~choice.keeps()):
        return None
    if not crowded:
        return copy.use.copy()
    line = plan.line
    exact = s.voices.closed(choice.onsets[:, None], line.polyphony, line.steal, line.grace)
    return copy.use & exact[:, 0]


def _the_loop_s_onsets(
    plan: RequestPlan,
    t: StepTools,
    s: TakesSoFar,
    copy: Recollection,
    choice: LoopChoice,
    first: np.ndarray,
    any_first: bool,
    heads: _Heads,
) -> StepOnsets:
    """:func:`step_onsets` where every take that copies repeats the loop's note or its rhythm
    and every live take still copies (``copy.use`` narrowed already by
    :func:`_kept_at_the_loop_s_onset`), without the (takes, offset classes) masks of
    :func:`_offsets_allowed`: the same onsets. There the masks only narrow ``copy.use``
    (:func:`_kept_to_the_offsets_allowed`), and at each take that copies,
    ``loop_steps.loop_onsets_allowed`` sets the mask to whether the loop's own onset is open
    (``Voices.closed`` there, as :func:`_kept_at_the_loop_s_onset` asks it; all open where
    no take is crowded, and where the mask is None none is) before ``_narrowed`` reads it,
    whatever the other pieces made of it. Those pieces change no choice at such a step
    (:func:`_offsets_leave_the_loop_as_chosen`) and draw nothing, so the copy asked before
    them is the one the full path asks after them, with the rng in the same state; no take
    answers (``loop_steps.answer_offsets``' empty rows), and no take draws its offset."""
    off = copy.fields[:, 0].copy()
    none = np.zeros(plan.time.n_var, dtype=bool)  # (answer_offsets' rows where none answers)
    onset, answering = _onset_of(plan, t, s, off, first, any_first, choice, copy, none)
    position = bar_positions(onset, plan.time.bar_ticks, t.vocab.max_bar_ticks)
    return StepOnsets(onset, off, position, choice, copy, answering, heads)


def _open_offsets(
    plan: RequestPlan,
    s: TakesSoFar,
    onsets: np.ndarray,
    first: np.ndarray,
    any_first: bool,
    crowded: bool,
) -> np.ndarray | None:
    """Where each take may strike next (``onsets``: (rows, offset classes) ticks): inside the
    polyphony limit (``crowded``: whether any take is, :func:`_crowding`; without it, no
    mask), and a take's first note (``first``) not before the clip's end. Returns the
    offsets allowed (None: all)."""
    voices, line = s.voices, plan.line
    allowed = voices.closed(onsets, line.polyphony, line.steal, line.grace) if crowded else None
    if any_first:
        late_enough = ~first[:, None] | (onsets >= plan.time.clip_end)
        allowed = late_enough if allowed is None else allowed & late_enough
    return allowed


def _fill_and_groove_offsets(
    plan: RequestPlan,
    t: StepTools,
    s: TakesSoFar,
    choice: LoopChoice | None,
    onsets: np.ndarray,
    allowed: np.ndarray | None,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """A drum take's offsets: inside a fill where its next note is a fill's (the loop's
    ``choice`` gives up its notes there, changed in place: ``_fill_offsets``), short of the
    loop's next backbone hit, and its latest onset again only where the groove has room.
    Returns ``allowed`` so narrowed, the takes whose latest note is in a fill, and the takes
    whose next note is a fill's (none without fills)."""
    loop, last_onset = t.loop, s.last_onset
    in_fill = np.zeros(plan.time.n_var, dtype=bool)
    fill_rows = in_fill  # the rows whose next note is a fill's
    if plan.drum.fills is not None:
        allowed, in_fill, fill_rows = _fill_offsets(
            plan.drum.fills, choice, last_onset, onsets, allowed
        )
    if choice is not None and loop is not None and loop.kept:
        allowed = before_the_backbone(allowed, onsets, last_onset, loop, choice, s.live)
    if plan.drum.groove_room is not None:
        allowed = room_on_the_groove(
            allowed,
            onsets,
            last_onset,
            s.voices.pitch_end,
            plan.drum.groove_room,
            plan.drum.fills,
        )
    return allowed, in_fill, fill_rows


def _answer_and_chord_offsets(
    plan: RequestPlan,
    t: StepTools,
    s: TakesSoFar,
    choice: LoopChoice | None,
    allowed: np.ndarray | None,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The offsets of a take that answers a turn (``loop_steps.answer_offsets``; one left
    silent longer than the clip's longest rest may play before it), of a take that plays
    its own note in the chord the loop strikes (``loop_steps.in_the_chord``, not on drums),
    and of a take whose own chord is not yet whole (``loop_steps.finishing_chords``).
    Returns ``allowed`` so narrowed and the takes that answer (None: no loop's proposal);
    a take that finishes its chord does not answer yet."""
    loop, vocab, voices, last_onset = t.loop, t.vocab, s.voices, s.last_onset
    answering = None  # the rows that answer (see answer_offsets)
    if choice is not None:
        free = None  # a take of its own that would fall silent longer than the clip
        if loop is not None and any_set(choice.answer >= 0):
            silent = choice.answer - voices.pitch_end.max(axis=1)
            free = loop.own_latest() & (silent > plan.time.longest_rest)
        allowed, answering = answer_offsets(allowed, choice, vocab, last_onset, free)
        if not t.drums:
            allowed = in_the_chord(allowed, choice, last_onset, vocab.n_offset)
    # the network's own chord struck whole before the loop goes on (where a take's latest
    # note is its own: a dense loop's takes mostly repeat it)
    own = s.live & s.own_latest
    if plan.line.chord_voices and any_set(own):
        struck = voices.struck_at(last_onset)
        allowed, finishing = finishing_chords(
            allowed, choice, struck, plan.line.chord_voices, own, last_onset, vocab.n_offset
        )
        if answering is not None and finishing is not None:
            answering &= ~finishing
    return allowed, answering


def _on_the_grid_and_pulse(
    plan: RequestPlan,
    s: TakesSoFar,
    allowed: np.ndarray | None,
    onsets: np.ndarray,
    fill_rows: np.ndarray,
    first: np.ndarray,
) -> np.ndarray | None:
    """The offsets allowed kept to the clip's grid and a fill's rolls (``_on_the_grid``), and
    at memory 0 to the part's steady pulse; a take left with none may take the last offset
    class. Returns ``allowed`` (None: all)."""
    voices, last_onset = s.voices, s.last_onset
    # on the clip's grid, a fill's rolls
    allowed = _on_the_grid(allowed, onsets, plan.time.grid, plan.drum, fill_rows, voices)
    if plan.line.steady_pulse is not None:  # at memory 0, on the part's steady pulse
        struck = voices.struck_at(last_onset).sum(axis=1)
        allowed = plan.line.steady_pulse.onsets(
            allowed, onsets, last_onset, struck, first, plan.time.clip_end
        )
    if allowed is not None:
        allowed[~allowed.any(axis=1), -1] = True
    return allowed


def _copy_of_the_offset(
    plan: RequestPlan,
    t: StepTools,
    s: TakesSoFar,
    choice: LoopChoice | None,
    allowed: np.ndarray | None,
    crowded: bool,
) -> tuple[Recollection | None, LoopChoice | None]:
    """The copy (:func:`_recollected`), kept to the offsets ``allowed``
    (:func:`_kept_to_the_offsets_allowed`). Returns the copy (None: none) and the loop's
    ``choice``, None where it proposes no note."""
    copy, choice = _recollected(t, s, choice)
    _kept_to_the_offsets_allowed(plan, s, copy, choice, allowed, crowded)
    return copy, choice


def _recollected(
    t: StepTools, s: TakesSoFar, choice: LoopChoice | None
) -> tuple[Recollection | None, LoopChoice | None]:
    """The clip memory's copy (asked only where a take may take it), its views', and the
    loop's proposal (``loop_steps.with_loop``). Returns the copy (None: none) and the loop's
    ``choice``, None where it proposes no note."""
    live = s.live
    copy = None  # the clip memory's copy, asked only where a row may take it
    if t.matcher is not None and (choice is None or any_set(live & ~choice.keeps())):
        copy = recollect(t.matcher, t.by_length, t.generator, t.greedy)
    if t.views is not None:
        copy = t.views.recollect(copy, t.generator, t.greedy)
    if choice is not None and any_set(choice.proposed):
        copy = with_loop(copy, choice, None if t.drums else t.loop)
    else:
        choice = None
    return copy, choice


def _kept_to_the_offsets_allowed(
    plan: RequestPlan,
    s: TakesSoFar,
    copy: Recollection | None,
    choice: LoopChoice | None,
    allowed: np.ndarray | None,
    crowded: bool,
) -> None:
    """A repeat of the loop lands on the loop's onset (``loop_steps.loop_onsets_allowed``,
    ``allowed`` changed in place, open where the polyphony limit leaves it open), and a take
    copies the offset only where it is allowed (``copy.use`` narrowed in place)."""
    line = plan.line
    if choice is not None and copy is not None and allowed is not None:
        exact = (
            s.voices.closed(choice.onsets[:, None], line.polyphony, line.steal, line.grace)
            if crowded
            else None
        )
        loop_onsets_allowed(allowed, copy, choice, exact)
    _narrowed(copy, 0, allowed)


def _drawn_offset(
    plan: RequestPlan,
    t: StepTools,
    s: TakesSoFar,
    copy: Recollection | None,
    allowed: np.ndarray | None,
    onsets: np.ndarray,
    in_fill: np.ndarray,
    first: np.ndarray,
    any_first: bool,
    heads: _Heads,
) -> np.ndarray:
    """Each take's offset class from the network's, where not every live take copies it:
    among the ``allowed``, leaning to the palette, a fill's and the line's offsets; a first
    note drawn again where it would come after a longer rest than the clip's, and a note
    where a take would go on longer without a rest than the clip; the takes that copy keep
    the copy's."""
    sample, generator, live = t.sample, t.generator, s.live
    last_onset = s.last_onset
    offset_logits = t.net.offset_logits(heads.pre())
    if t.palette is not None:
        offset_logits = t.palette.mixed(0, offset_logits, drawing(copy, live))
    if plan.drum.fills is not None and any_set(in_fill):
        offset_logits = plan.drum.fills.lean_offsets(offset_logits, where_set(in_fill), allowed)
    if plan.line.lean is not None:
        sounding = s.voices.pitch_end.max(axis=1)
        offset_logits = plan.line.lean.offsets(offset_logits, onsets, last_onset, sounding)
    drawn = sample(offset_logits, allowed, generator)
    # not after a longer rest than the clip's
    if any_first and plan.time.first_by is not None:
        drawn = _in_time(
            drawn,
            first & live,
            plan.time.first_by,
            onsets,
            offset_logits,
            allowed,
            sample,
            generator,
        )
    if plan.line.rests is not None:  # no longer without a rest than the clip
        latest = None  # a first note still not after a longer rest than the clip's
        if any_first and plan.time.first_by is not None:
            latest = np.where(first, plan.time.first_by, NO_LATEST)
        drawn = _with_rests(
            drawn,
            drawing(copy, live),
            onsets,
            plan.line.rests,
            latest,
            offset_logits,
            allowed,
            sample,
            generator,
        )
    return _copied(copy, 0, drawn)


def _onset_of(
    plan: RequestPlan,
    t: StepTools,
    s: TakesSoFar,
    off: np.ndarray,
    first: np.ndarray,
    any_first: bool,
    choice: LoopChoice | None,
    copy: Recollection | None,
    answering: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Each take's onset (ticks) from its offset class ``off``: a first note not before the
    clip's end, a repeat of the loop on the loop's own onset (even where no class has it),
    and an answer on the answer's onset where the class short of it stands for it
    (``loop_steps.answered``). Returns the onsets and the takes that answer."""
    last_onset = s.last_onset
    onset = last_onset + t.time_values[off]
    if any_first:
        onset = np.where(first, np.maximum(onset, plan.time.clip_end), onset)
    if choice is not None and copy is not None:  # the loop's own onset, even where
        onset = np.where(from_loop(copy, choice), choice.onsets, onset)  # no class has it
    if answering is not None and choice is not None and any_set(answering):
        # the answer's own class short of it (past a bar, in beats) is the answer
        gap = np.maximum(choice.answer - last_onset, 0)
        stands = answering & (off == t.vocab.offset_class(gap))
        answering = answered(choice, answering, onset, stands)
        onset = np.where(answering, choice.answer, onset)
    return onset, answering


def step_pitches(plan: RequestPlan, t: StepTools, s: TakesSoFar, o: StepOnsets) -> StepPitches:
    """Phase 2, the pitch: each take's pitch at its onset, in key and range, not one still
    sounding; the loop's repeat, a turn or an answer near the loop, a fixed shape's voices,
    a drum take's own hits off the loop's; copied where a take copies it, else drawn. Marks
    in ``o.copy`` the takes whose copy keeps the loop's duration and velocity."""
    if _every_take_repeats_the_loop(plan, t, s, o):  # most steps of a dense loop
        return _the_loop_s_pitches(t, s, o)
    turns, counts = t.turns, t.counts
    voices, live = s.voices, s.live
    onset, choice, copy = o.onset, o.choice, o.copy
    pitches = voices.pitch_mask(
        onset, plan.pitch.static_pitch, plan.line.steal and plan.line.polyphony == 1
    )
    base = pitches  # before turns narrow it, whatever the key (shapes.completed)
    if plan.pitch.shape is not None:
        base = (
            pitches.copy()
            if t.key is None
            else voices.pitch_mask(
                onset, plan.pitch.in_range, plan.line.steal and plan.line.polyphony == 1
            )
        )
    struck_here = voices.struck_at(onset) if plan.pitch.shape is not None else None
    varying, own, exchanged = _varied_near_the_loop(plan, t, s, o, pitches, struck_here)
    rhythmic = pitch_of_rhythm(copy)
    repeating = from_loop(copy, choice) if choice is not None and copy is not None else None
    own_note = live if repeating is None else live & ~repeating  # not the loop's repeat
    # the network's own notes narrowed, where a row plays one (in a dense loop most
    # steps repeat the loop in every take: nothing to narrow)
    plays_own = any_set(own_note)
    if turns is not None and plays_own:  # a bass the loop strikes alone is the loop's
        on_the_bass(pitches, own_note, turns.lone_bass(onset))  # (Turns.lone_bass)
        mine = own_note if own is None else own_note & ~own  # not a turn nor an answer
        if any_set(mine):  # the network's own note, in the part's register
            in_the_part(pitches, mine, turns.span_at(onset[mine]))
    if plays_own:  # the network's own hits, off the loop's (drums only)
        _off_the_loop_s_hits(pitches, onset, own_note, plan.drum, plan.time.grid)
    reshaped = None  # the rows whose note is a voice of the shape on their root
    if plan.pitch.shape is not None and struck_here is not None:
        free = live if own is None else live & ~own  # the network's own note
        free = free if repeating is None else free & ~repeating
        reshaped = completed(
            pitches,
            base,
            struck_here,
            plan.pitch.shape,
            live,
            free,
            plan.pitch.ceiling,
            plan.pitch.lowest_root,
            plan.pitch.keyed,
        )
    _narrowed(copy, 1, pitches)
    left_out = None  # the rows whose note is not heard (see fold_into)
    if repeating is not None and copy is not None and choice is not None:
        varying, left_out = _loop_s_note_let_through(
            plan, s, o, pitches, base, repeating, reshaped, struck_here, varying
        )
    if copy is not None and all_copy(copy, choice, live):
        pitch = copy.fields[:, 1].copy()
    else:
        pitch = _drawn_pitch(plan, t, s, o, pitches, own, repeating, exchanged)
    if counts is not None:
        counts[voices.rows, pitch % 12] += 1
    if varying is not None and copy is not None:
        copy.use |= varying  # a varied note keeps the loop's duration and velocity
    if rhythmic is not None and copy is not None:
        copy.use |= rhythmic  # a rhythm's copy keeps its duration
    return StepPitches(pitch, varying, repeating, reshaped, struck_here, left_out)


def _every_take_repeats_the_loop(
    plan: RequestPlan, t: StepTools, s: TakesSoFar, o: StepOnsets
) -> bool:
    """Whether, for sure, every live take repeats the loop's note at this step and
    :func:`step_pitches` would change no copy (:func:`_the_loop_s_pitches` gives its
    pitches): the loop proposes and no fixed shape voices its notes; no take turns the
    loop's note, copies a rhythm, plays its own note, or answers a turn (whose pitches the
    turns narrow near the loop); and every take that copies (live or not) copies a pitch that
    is open at its onset (``Voices.pitch_open``: ``_narrowed`` keeps its copy)."""
    choice, copy = o.choice, o.copy
    if choice is None or copy is None or plan.pitch.shape is not None:
        return False
    use, live = copy.use, s.live
    if any_set(use & choice.vary):  # a take's turn: the network draws its pitch
        return False
    if copy.network_pitch is not None and any_set(use & copy.network_pitch):  # a rhythm's
        return False
    if any_set(live & ~(use & choice.keeps())):  # a take's own note
        return False
    if t.turns is not None and any_set(live & (choice.answer >= 0)):  # an answer
        return False
    mono = plan.line.steal and plan.line.polyphony == 1
    open_ = s.voices.pitch_open(o.onset, copy.fields[:, 1], plan.pitch.static_pitch, mono)
    return not any_set(use & ~open_)


def _the_loop_s_pitches(t: StepTools, s: TakesSoFar, o: StepOnsets) -> StepPitches:
    """:func:`step_pitches` where every take repeats the loop's note
    (:func:`_every_take_repeats_the_loop`), without its (takes, 128) masks: the same notes,
    since there every mask only narrows ``o.copy.use`` (``_narrowed``), which keeps every
    copy (each copied pitch is open at its take's onset; the turns, the shapes and the
    repeat's narrowing touch only takes that do not copy the loop's note, and there are
    none alive); no take draws, so the rng is not asked, as it is not on the full path where
    every take copies; no take varies the loop's note, so none is marked in the copy; and
    the pitch classes are counted as there. Nothing else the full path reads or changes
    (``Turns`` asks its questions without keeping anything)."""
    copy, choice = o.copy, o.choice
    assert copy is not None and choice is not None  # (_every_take_repeats_the_loop)
    varying = pitch_of_varied(copy, choice)  # none: the full path's (empty) rows
    pitch = copy.fields[:, 1].copy()
    if t.counts is not None:
        t.counts[s.voices.rows, pitch % 12] += 1
    return StepPitches(pitch, varying, from_loop(copy, choice), None, None, None)


def _varied_near_the_loop(
    plan: RequestPlan,
    t: StepTools,
    s: TakesSoFar,
    o: StepOnsets,
    pitches: np.ndarray,
    struck_here: np.ndarray | None,
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Where the loop proposes a note, ``pitches`` narrowed in place for the takes that do
    not repeat it: a take's turn or answer, and a loop note let go, near the loop's
    (``loop_steps.near_the_loop``), and no repeat of the loop's note where a take does not
    repeat it (``loop_steps.without_repeat``). Returns the takes that vary the loop's note
    (their ``o.copy.use`` cleared until the pitch is drawn), the takes whose network plays a
    turn or an answer, and the turned takes that may keep the loop's pitch (``apart_takes``);
    each None where it does not apply."""
    turns, live, onset, choice, copy = t.turns, s.live, o.onset, o.choice, o.copy
    varying = None
    exchanged = None  # the rows whose turned voice may keep its pitch (near_the_loop)
    own = None  # the rows whose network plays a take's turn or answer
    if choice is None or copy is None:
        return varying, own, exchanged
    varying = pitch_of_varied(copy, choice)
    if turns is not None:
        own = live & (varying | (choice.answer >= 0))
        # a loop note let go outside a turn, another struck on its onset: the
        # network's, or one its memory copies (the take's turned stab played on
        # past its turn put G3 for a close F/C's bass C3, F3 G3 A3; the clip's
        # F/A's F4 for an Am's E4 in bar 1), narrowed alike (a copy kept only
        # where it fits: _narrowed), on the loop's onset or off it on another
        # strike of the voice's chord (a take that struck an F stab an 8th late
        # put E3 under its F3 A3)
        missed = live & choice.proposed & ~choice.keeps() & (choice.answer < 0)
        if any_set(missed):  # (where every take keeps the loop: none to look at)
            on_chord = turns.voiced_at(onset, choice.fields[:, 1])
            missed &= (onset == choice.onsets) | on_chord
        exchanged = np.zeros(plan.time.n_var, dtype=bool)  # none turned: none narrowed
        if any_set(own | missed):  # (most steps of a dense loop repeat it)
            exchanged = near_the_loop(
                pitches,
                choice,
                own,
                turns,
                onset,
                s.voices.pitch_end,
                s.voices.struck_at(onset) if struck_here is None else struck_here,
                missed,
                _line_ends(t.loop) if turns.outlines and any_set(own) else None,
            )
    if exchanged is not None:  # its own pitch, for a take that needs one (apart)
        exchanged &= pitches[np.arange(len(pitches)), choice.fields[:, 1]]
    without_repeat(pitches, choice, copy, o.off, t.loop, exchanged)
    return varying, own, exchanged


def _loop_s_note_let_through(
    plan: RequestPlan,
    s: TakesSoFar,
    o: StepOnsets,
    pitches: np.ndarray,
    base: np.ndarray,
    repeating: np.ndarray,
    reshaped: np.ndarray | None,
    struck_here: np.ndarray | None,
    varying: np.ndarray | None,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The repeats of the loop's note whose pitch the key or the range lets not through
    (``o.copy.use`` narrowed by ``pitches`` already): a voice of the fixed shape on the
    take's own root (``reshaped``), or folded where it may be (``pitches`` narrowed in place,
    ``base``: before turns narrowed them; of a fixed shape, ``struck_here``, a take's first
    note into the roots in range); both vary the loop's note in its rhythm. Returns
    ``varying`` with them, and the takes whose note is not heard (None: none folded)."""
    choice, copy = o.choice, o.copy
    assert choice is not None and copy is not None  # a repeat is of the loop's proposal
    left_out = None
    blocked = repeating & ~copy.use  # the loop's note, where the key or range
    if reshaped is not None and any_set(blocked & reshaped):  # the shape's voice
        voiced = blocked & reshaped  # on a root of the take's own: in the loop's
        varying = voiced if varying is None else varying | voiced  # rhythm
        blocked &= ~reshaped
    if any_set(blocked):  # lets its pitch not through: folded where it may be
        left_out = _folded(
            pitches,
            base,
            blocked,
            choice.fields[:, 1],
            plan.pitch.in_key,
            plan.pitch.in_range,
            s.voices.struck_at(o.onset),
            None if struck_here is None else plan.pitch.roots_in_range,
        )
        varying = blocked if varying is None else varying | blocked
    return varying, left_out


def _drawn_pitch(
    plan: RequestPlan,
    t: StepTools,
    s: TakesSoFar,
    o: StepOnsets,
    pitches: np.ndarray,
    own: np.ndarray | None,
    repeating: np.ndarray | None,
    exchanged: np.ndarray | None,
) -> np.ndarray:
    """Each take's pitch from the network's, where not every live take copies it: among
    ``pitches``, the groove's pads, a left hand's first, a waltz's bass, an added note's
    resolution and a fill's leads; the takes that copy keep the copy's, and a turn's or an
    answer's takes (``own``) play apart (``loop_steps.apart_takes``)."""
    sample, generator, turns, palette, counts = t.sample, t.generator, t.turns, t.palette, t.counts
    voices, live = s.voices, s.live
    onset, choice, copy = o.onset, o.choice, o.copy
    pitch_logits = t.net.pitch_logits(o.heads.context(o.off, o.position))
    if counts is not None:
        pitch_logits = pitch_logits + pitch_bias(counts, t.pull)
    if palette is not None:
        pitch_logits = palette.mixed(1, pitch_logits, drawing(copy, live))
    drawn = (
        pitches
        if plan.drum.groove is None
        else on_the_groove(pitches, plan.drum.groove, onset, plan.drum.fills)
    )
    if plan.line.hands is not None:  # the network's own chord begins in the left hand
        plain = drawing(copy, live)
        for theirs in (own, repeating):  # not a take's turn, nor the loop's note
            plain = plain if theirs is None else plain & ~theirs
        drawn = drawn.copy()
        plan.line.hands.left_first(drawn, plain, onset, voices.pitch_end, voices.struck_at(onset))
    # a waltz's bass under its chords (model.pulse)
    if plan.line.steady_pulse is not None:
        drawn = drawn.copy()
        plan.line.steady_pulse.registered(drawn, drawing(copy, live), onset)
    # an added note where the clip strikes it, resolved
    if plan.pitch.added is not None:
        drawn = plan.pitch.added.narrowed(drawn, drawing(copy, live), onset)
    if plan.drum.fills is not None:  # of the pads it may draw
        filling = where_set(plan.drum.fills.inside(onset))
        if len(filling):
            pitch_logits = plan.drum.fills.lean_pitches(pitch_logits, filling, drawn)
    pitch = _copied(copy, 1, sample(pitch_logits, drawn, generator))
    if own is not None and turns is not None and choice is not None and any_set(own):
        pitch = apart_takes(
            pitch,
            own,
            onset,
            choice,
            turns,
            pitch_logits,
            pitches,
            sample,
            generator,
            exchanged,
            voices.struck_at(onset),
        )
    return pitch


def step_lengths(
    plan: RequestPlan, t: StepTools, s: TakesSoFar, o: StepOnsets, p: StepPitches
) -> StepLengths:
    """Phase 3, the duration and the velocity: a repeated note keeps the loop's unless it
    slips; a copy keeps the memory's duration; else drawn (a fill's leads loud enough, a
    slip near the loop's)."""
    net, sample, generator, greedy, loop = t.net, t.sample, t.generator, t.greedy, t.loop
    vocab, duration_values, velocity_values = t.vocab, t.duration_values, t.velocity_values
    palette, loudness, drums = t.palette, t.loudness, t.drums
    live = s.live
    onset, off, position, choice, copy = o.onset, o.off, o.position, o.choice, o.copy
    heads, pitch = o.heads, p.pitch
    slipped = np.zeros(plan.time.n_var, dtype=bool)
    loop_velocity = None
    loop_length = None  # a repeated note's own duration (ticks), else 0
    velocity_slipped = None
    if choice is not None and copy is not None and loop is not None:
        slipped, loop_velocity, loop_length, velocity_slipped = _loop_slips(
            loop, choice, copy, generator, greedy
        )
    takes = slipped if copy is None else copy.use & ~slipped  # the copied duration
    if (
        copy is not None
        and loop_velocity is not None  # the loop proposes
        and not any_set(live & (~takes | (loop_velocity < 0)))
    ):
        dur, vel = copy.fields[:, 2].copy(), loop_velocity.copy()
    else:
        duration_logits, velocity_logits = net.duration_velocity_logits(
            heads.context(off, position), pitch, s.previous_vel
        )
        if palette is not None:
            duration_logits = palette.mixed(2, duration_logits, live & ~takes)
        if plan.line.lean is not None:
            duration_logits = plan.line.lean.durations(duration_logits, onset, duration_values)
        # the fill's snares and toms, not the hats beside them
        if plan.drum.fills is not None:
            filling = where_set(plan.drum.fills.inside(onset) & live & plan.drum.fills.leads(pitch))
            if len(filling):
                velocity_logits = plan.drum.fills.loud_enough(
                    velocity_logits, filling, plan.drum.fill_floor
                )
        if s.count == 0 and not len(plan.rows):  # from nothing: audibly
            velocity_logits = from_nothing(velocity_logits, velocity_values)
        if any_set(slipped) and choice is not None:
            duration_logits = near_duration(
                duration_logits,
                slipped,
                loop_lengths(choice, duration_values),
                duration_values,
            )
        if velocity_slipped is not None and choice is not None and any_set(velocity_slipped):
            velocity_logits = near_velocity(
                velocity_logits,
                velocity_slipped,
                choice.fields[:, 3],
                loop_levels(choice, velocity_values),
                loudness,
            )
        dur, vel = sample.two(duration_logits, velocity_logits, generator)
        if copy is not None:
            dur = np.where(takes, copy.fields[:, 2], dur)
        if loop_velocity is not None:
            vel = np.where(loop_velocity >= 0, loop_velocity, vel)
    if drums and loop is not None:  # a pad the clip plays at one velocity keeps it,
        vel = at_one_level(vel, loop.level_of(pitch), vocab)  # in the network's notes
    return StepLengths(dur, vel, takes, loop_velocity, loop_length, velocity_slipped)


def kept_note(
    plan: RequestPlan, t: StepTools, s: TakesSoFar, o: StepOnsets, p: StepPitches, d: StepLengths
) -> None:
    """Phase 4, the note kept where its take still runs (its length as the loop, a turn, a
    shape or the request's end says; its velocity as the clip's accents and levels say),
    and what the takes so far, the memory, the loop and the palette keep of it. Ends the
    takes that have made their notes."""
    length, heard = _written_note(plan, t, s, o, p, d)
    _kept_by_the_takes(plan, t, s, o, p, d, length, heard)


def _written_note(
    plan: RequestPlan, t: StepTools, s: TakesSoFar, o: StepOnsets, p: StepPitches, d: StepLengths
) -> tuple[np.ndarray, np.ndarray]:
    """Each take's note of this step, written into ``s.notes_out`` (onset, pitch or -1 where
    it is not heard, length, velocity) and ``s.drawn_out`` (the network drew its length);
    the takes past the request's end are ended (``s.live``). Reads nothing the takes keep
    of it (:func:`_kept_by_the_takes`). Returns the lengths (ticks) and the takes heard."""
    duration_values, turns = t.duration_values, t.turns
    voices, live = s.voices, s.live
    onset, answering = o.onset, o.answering
    pitch, reshaped, struck_here = p.pitch, p.reshaped, p.struck_here
    takes, loop_length = d.takes, d.loop_length
    # keep the note where the variation still runs
    length = duration_values[d.dur]
    own_length = ~takes if loop_length is None else ~takes & (loop_length <= 0)
    # no longer than the clip's longest (a waltz's chord held over the bar line)
    if plan.line.steady_pulse is not None:
        length = np.minimum(length, plan.line.steady_pulse.most)
    # an added note the network holds: as long as the clip's
    if plan.pitch.added is not None:
        length = plan.pitch.added.held(length, own_length, pitch)
    if loop_length is not None:  # as long as the clip's note, not its class (a pad
        length = np.where(loop_length > 0, loop_length, length)  # held 4.5 beats)
    if turns is not None and answering is not None and any_set(answering):
        length = turns.held_on(answering, onset, length)  # in a held note's place
    if reshaped is not None and struck_here is not None and any_set(reshaped):
        # a shape's voices end with its root
        ends = root_ends(struck_here, voices.pitch_end, reshaped)
        length = np.where(ends > onset, ends - onset, length)
    if plan.time.end_tick is not None:
        live &= onset < plan.time.end_tick
        length = np.minimum(length, plan.time.end_tick - onset)
    if turns is not None:  # a held note makes way for its take's answer
        length = turns.cut(onset, onset + length, pitch) - onset
    out = s.notes_out[s.count]
    out[:, 0] = onset
    s.drawn_out[s.count] = own_length
    heard = live if p.left_out is None else live & ~p.left_out
    out[:, 1] = np.where(heard, pitch, -1)  # -1 marks "no note"
    out[:, 2] = length
    out[:, 3] = _written_velocity(plan, t, o, p, d)
    return length, heard


def _written_velocity(
    plan: RequestPlan, t: StepTools, o: StepOnsets, p: StepPitches, d: StepLengths
) -> np.ndarray:
    """Each take's velocity (1-127) of its note: its class's, the clip's accent at that place
    where the network drew it (a model without dynamics of its own), the clip's own level
    where it repeats or turns the loop's note or slips from it, a pitch's one level."""
    vocab, velocity_values, loop, accents = t.vocab, t.velocity_values, t.loop, t.accents
    onset, choice, pitch, vel = o.onset, o.choice, p.pitch, d.vel
    loop_velocity, velocity_slipped = d.loop_velocity, d.velocity_slipped
    # each step below is asked only where a take needs it: a dense loop's takes mostly
    # repeat it, so the network drew no velocity and none slipped at most steps
    velocity = velocity_values[vel]
    if accents is not None:  # the network's own velocity: the clip's at that place
        drawn = np.ones(plan.time.n_var, dtype=bool)
        if loop_velocity is not None:
            drawn &= loop_velocity < 0
        if velocity_slipped is not None:
            drawn &= ~velocity_slipped
        if any_set(drawn):
            velocity = np.where(drawn, accents.at(onset, pitch), velocity)
    as_clip = np.zeros(plan.time.n_var, dtype=bool)
    if loop_velocity is not None and choice is not None:
        # a repeated or turned note is as loud as the clip's note, not its class's middle
        as_clip = (loop_velocity >= 0) & (choice.levels > 0)
        velocity = np.where(as_clip, choice.levels, velocity)
    if velocity_slipped is not None and choice is not None and any_set(velocity_slipped):
        levels = loop_levels(choice, velocity_values)  # or moved from it
        moved = slipped_velocity(levels, choice.fields[:, 3], vel)
        velocity = np.where(velocity_slipped, moved, velocity)
        as_clip |= velocity_slipped
    if loop is not None:  # a note at the class of its pitch's one level: that level
        level = loop.level_of(pitch)  # (a bass programmed at 105, not its class's 104)
        if any_set(level):
            one = (level > 0) & (vocab.velocity_class(level) == vel) & ~as_clip
            velocity = np.where(one, level, velocity)
    return velocity


def _kept_by_the_takes(
    plan: RequestPlan,
    t: StepTools,
    s: TakesSoFar,
    o: StepOnsets,
    p: StepPitches,
    d: StepLengths,
    length: np.ndarray,
    heard: np.ndarray,
) -> None:
    """What the takes so far keep of the step's note (``length`` ticks long, ``heard`` where
    it sounds): the memory and its views, the velocity the next duration reads, the notes
    still sounding, the rests, the added notes, the loop and the palette; each take's
    count, latest note and first chord; the takes that have made their notes ended."""
    loop, matcher, views, palette = t.loop, t.matcher, t.views, t.palette
    live = s.live
    onset, answering = o.onset, o.answering
    pitch, varying, repeating = p.pitch, p.varying, p.repeating
    played = columns(o.off, pitch, d.dur)
    if matcher is not None:
        matcher.push(played)
    if views is not None:
        views.push(played)
    s.previous_vel = d.vel
    s.voices.add(onset + (PAD_GAP if t.drums else length), pitch, heard, onset)
    if plan.line.rests is not None:
        plan.line.rests.push(onset, length, heard)
    if plan.pitch.added is not None:
        plan.pitch.added.push(onset, pitch, heard)
    if loop is not None:
        loop.push(onset, pitch, d.dur, d.vel, live, varying)
    if palette is not None:
        palette.push(played, live)
    s.made += heard
    s.own_latest = heard.copy()  # not the loop's note, a turn, a fold or an answer
    # a shape's answer is its root: its other voices come with it (finishing_chords)
    for theirs in (repeating, varying, answering if plan.pitch.shape is None else None):
        s.own_latest = s.own_latest if theirs is None else s.own_latest & ~theirs
    s.chord_at = np.where(heard & (s.chord_at < 0), onset, s.chord_at)
    s.one_chord &= ~heard | (onset == s.chord_at)
    if plan.time.reducing:  # chords reduced after: on until they leave enough notes
        for v in where_set(live & (s.made >= s.budget)).tolist():
            rows_v = s.notes_out[: s.count + 1, v]
            more = _short_of_reduced(
                rows_v, plan.line.limit.polyphony, plan.time.note_budget, plan.line.slack
            )
            s.budget[v] = s.made[v] + more
    live &= (s.made < s.budget) | (s.one_chord & t.in_notes)
    s.last_onset = onset
    s.count += 1


def _narrowed(copy: Recollection | None, field: int, allowed: np.ndarray | None) -> None:
    """The rows that copy a note keep copying only where ``allowed`` lets in its ``field``
    (``copy.use`` is narrowed; the others draw from the network)."""
    if copy is not None and allowed is not None:
        value = copy.fields[:, field]
        copy.use &= allowed[np.arange(len(value)), np.minimum(value, allowed.shape[1] - 1)]


def _copied(copy: Recollection | None, field: int, drawn: np.ndarray) -> np.ndarray:
    """The copied ``field`` where a row copies, the network's ``drawn`` elsewhere."""
    if copy is None:
        return drawn
    return np.where(copy.use, copy.fields[:, field], drawn)


def _in_time(
    drawn: np.ndarray,
    rows: np.ndarray,
    latest: int,
    onsets: np.ndarray,
    logits: np.ndarray,
    allowed: np.ndarray | None,
    sample: Sampler,
    rng: np.random.Generator,
) -> np.ndarray:
    """``drawn`` offset classes, of which each of ``rows`` whose onset (``onsets``: (rows,
    classes) ticks) falls after ``latest`` (``request_plan.latest_start``) is drawn again among the
    offsets that do not, where it has one: the same choice as the network's among those,
    and every other draw as it was."""
    late = where_set(rows & (onsets[np.arange(len(drawn)), drawn] > latest))
    if not len(late):
        return drawn
    in_time = onsets[late] <= latest
    if allowed is not None:
        in_time &= allowed[late]
    late, in_time = late[in_time.any(axis=1)], in_time[in_time.any(axis=1)]
    if len(late):
        drawn = drawn.copy()
        drawn[late] = sample(logits[late], in_time, rng)
    return drawn


def _with_rests(
    drawn: np.ndarray,
    rows: np.ndarray,
    onsets: np.ndarray,
    rests: Rests,
    latest: np.ndarray | None,
    logits: np.ndarray,
    allowed: np.ndarray | None,
    sample: Sampler,
    rng: np.random.Generator,
) -> np.ndarray:
    """``drawn`` offset classes (``onsets``: (rows, classes) ticks), of which each of ``rows``
    at which a take would go on without its rest (``segue.model.rests``) is drawn again
    among the offsets where it would not (none after its ``latest`` tick, where given),
    where it has one: the same choice as the network's among those, and every other draw
    as it was. Only the drawn onsets are looked at, unless one is over."""
    every = np.arange(len(drawn))
    over = where_set(rows & ~rests.allowed(onsets[every, drawn][:, None], every)[:, 0])
    if not len(over):
        return drawn
    fits = rests.allowed(onsets[over], over)
    if allowed is not None:
        fits &= allowed[over]
    if latest is not None:
        fits &= onsets[over] <= latest[over, None]
    over, fits = over[fits.any(axis=1)], fits[fits.any(axis=1)]
    if len(over):
        drawn = drawn.copy()
        drawn[over] = sample(logits[over], fits, rng)
    return drawn


class _Heads:
    """What the heads read of one step's output, computed when a field first needs it."""

    def __init__(self, net: Stepper, h: torch.Tensor) -> None:
        self.net, self.h = net, h
        self._pre: torch.Tensor | None = None
        self._context: torch.Tensor | None = None

    def pre(self) -> torch.Tensor:
        if self._pre is None:
            self._pre = self.net.begin(self.h)
        return self._pre

    def context(self, offset: np.ndarray, position: np.ndarray) -> torch.Tensor:
        if self._context is None:
            self._context = self.net.after_offset(self.pre(), offset, position)
        return self._context


def _on_the_grid(
    allowed: np.ndarray | None,
    onsets: np.ndarray,
    grid: np.ndarray | None,
    drum: DrumReading,
    fill_rows: np.ndarray,
    voices: Voices,
) -> np.ndarray | None:
    """A step's ``allowed`` offsets (their ``onsets``) kept to the clip's ``grid``; in a
    fill (``fill_rows``), also to its rolls on its own pads, where one of them is free."""
    if drum.roll is not None and grid is not None:  # on the clip's grid, a fill's rolls
        free_pad = voices.pitch_end[:, drum.roll_pads].min(axis=1)  # where one is free
        rolls = on_grid(drum.roll, onsets) & fill_rows[:, None] & (onsets >= free_pad[:, None])
        return kept_to_places(on_grid(grid, onsets) | rolls, allowed)
    return kept_to(grid, allowed, onsets)  # on the clip's grid


def _fill_offsets(
    fills: Fills,
    choice: LoopChoice | None,
    last_onset: np.ndarray,
    onsets: np.ndarray,
    allowed: np.ndarray | None,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """A drum step's offsets where ``fills`` play: ``allowed`` (rows, offset classes; their
    ``onsets``) kept inside the fill for the rows whose next note is a fill's, the rows whose
    latest note (``last_onset``) is in a fill, and the rows whose next note is a fill's. A
    fill leaves the loop: the loop's ``choice`` gives up its notes there (changed in place)."""
    in_fill = fills.inside(last_onset)
    fill_rows = in_fill.copy()
    if choice is not None:  # a fill leaves the loop: the network plays it, and
        free = fills.inside(choice.onsets) & choice.proposed & ~choice.held
        choice.proposed &= ~free  # (but its kick); the loop's next note after it
        choice.repeat &= ~free
        choice.vary &= ~free
        fill_rows |= free
    if any_set(fill_rows):  # the network's notes stay in the fill, up to its downbeat
        where = last_onset if choice is None else np.where(in_fill, last_onset, choice.onsets)
        begin, end = fills.start(where)[:, None], fills.end(where)[:, None]
        within = ~fill_rows[:, None] | ((onsets >= begin) & (onsets <= end))
        allowed = within if allowed is None else allowed & within
    return allowed, in_fill, fill_rows


def _line_ends(loop: LoopRows | None) -> tuple[np.ndarray, np.ndarray] | None:
    """Each take's latest pitch and how many times in a row it has struck it
    (``contour.line_end``), from which a line's turned note keeps its contour
    (``loop_steps.near_the_loop``); None without a loop."""
    if loop is None:
        return None
    ends = np.array([line_end(h.pitches) for h in loop.histories], dtype=np.int64)
    return ends[:, 0], ends[:, 1]


def _off_the_loop_s_hits(
    pitches: np.ndarray,
    onset: np.ndarray,
    own_note: np.ndarray,
    drum: DrumReading,
    grid: np.ndarray | None,
) -> None:
    """A drum step's ``pitches`` narrowed in place for the rows that play a note of their
    own (``own_note``; at ``onset``): off the pads the loop keeps (a four-on-the-floor kick,
    the clip's backbeat, the kick held under a fill), and a fill's rolls on its own pads."""
    fills = drum.fills
    if len(drum.floor):  # a four-on-the-floor kick is the loop's alone
        off_the_floor(pitches, onset, own_note, drum.floor, fills)
    if drum.backbeat is not None:  # its snare where the clip's backbeat puts it
        off_the_backbeat(pitches, onset, own_note, drum.backbeat, fills)
    if fills is not None and (drum.roll is not None or any(map(len, drum.under_fill.values()))):
        long = fills.length_at(onset)
        for ticks, kicks in drum.under_fill.items():
            over_the_kick(pitches, onset, own_note & (long == ticks), fills, kicks)
        if drum.roll is not None and grid is not None:
            rolls_on_fill_pads(pitches, onset, own_note, grid, fills, drum.roll_pads)


def _folded(
    pitches: np.ndarray,
    base: np.ndarray,
    rows: np.ndarray,
    wanted: np.ndarray,
    in_key: np.ndarray | None,
    in_range: np.ndarray,
    struck: np.ndarray,
    roots_in_range: np.ndarray | None,
) -> np.ndarray:
    """``fold_into`` of the loop's notes (``wanted``) of ``rows``; of a part in a fixed shape
    (``roots_in_range``: the roots whose whole shape lies in the range,
    ``segue.model.shapes.root_room``), a take's first note at its onset (none ``struck``
    there: the shape's root) folds into those roots, so the voices above it stay in the
    range (a power chord's A2 under --high 55 folds to A1, A1 E2 A2, where its A3 was cut
    and came back as A1 under the A2). A root with no octave there folds into the range,
    of ``base`` (the pitches the range and the notes still sounding allow), as any note:
    the root plays on without the voices the range has no room for (``range_notice``).
    Returns the rows left out."""
    if roots_in_range is None:
        return fold_into(pitches, rows, wanted, in_key, in_range, struck)
    roots = struck.sum(axis=1) == 0  # a take's first note at its onset: the shape's root
    ranges = np.where(roots[:, None], roots_in_range[None], in_range[None])
    left_out = fold_into(pitches, rows, wanted, in_key, ranges, struck)
    again = left_out & roots
    if again.any():
        pitches[again] = base[again] & in_range[None]
        if in_key is not None:
            pitches[again] &= in_key[None]
        left_out[again] = fold_into(pitches, again, wanted, in_key, in_range, struck)[again]
    return left_out


def _loop_slips(
    loop: LoopRows,
    choice: LoopChoice,
    copy: Recollection,
    rng: np.random.Generator,
    greedy: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What a step's repeat of the loop keeps of the clip note's duration and velocity: the
    rows whose duration slips, each row's loop velocity class (-1 where it is not kept), its
    loop length in ticks (0 where it is not kept), and the rows whose velocity slips."""
    repeated = from_loop(copy, choice)
    duration_slips, velocity_slips = loop.slips(len(repeated), rng, greedy)
    # a take's turn plays another pitch in the loop's rhythm: the clip note's own
    # length and velocity there, never a slip (a turned D5 held 1.35 beats came
    # back 0.917, and a third of turned notes came back louder or softer)
    duration_slips = duration_slips & ~choice.vary
    velocity_slips = velocity_slips & ~choice.vary
    # nor a note the loop holds into the next, nor a level it programs (asked only where
    # one slips: most steps slip none)
    if any_set(duration_slips):
        duration_slips &= ~loop.keeps_length(choice.fields[:, 1], choice.onsets)
    if any_set(velocity_slips):
        velocity_slips &= ~loop.keeps_level(choice.fields[:, 1], choice.onsets)
    slipped = repeated & duration_slips
    loop_velocity = np.where(repeated & ~velocity_slips, choice.fields[:, 3], -1)
    loop_length = np.where(repeated & ~duration_slips, choice.lengths, 0)
    return slipped, loop_velocity, loop_length, repeated & velocity_slips


def _short_of_reduced(rows: np.ndarray, voices: int, wanted: int, slack: int) -> int:
    """How many more notes a take (its rows so far, in the order played; pitch -1: none
    heard) is to play before its chords, reduced to ``voices`` (:func:`arranged`), leave
    ``wanted`` notes at onsets it has played past (0: enough; a chord still being played may
    yet change which of its notes are kept). Asked again when they are played: each note
    played is counted at the rate the reduction has kept notes so far."""
    rows = rows[rows[:, 1] >= 0]
    if not len(rows):
        return wanted
    played = rows[rows[:, 0] < rows[:, 0].max()]
    kept = len(arranged(played, voices, slack))
    missing = wanted - kept
    if missing <= 0:
        return 0
    return max(1, math.ceil(missing * len(played) / kept)) if kept else missing
