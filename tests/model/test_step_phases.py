"""The phases of one step (``segue.model.step_phases``), run by hand on a tiny untrained
network, on the takes so far (``segue.model.step_state``): the first new note not before
the clip's end, its pitch in the key, the note kept and the takes it ends; the offset
phase's pieces run alone; and ``generate``'s step loop, short enough to read as its
phases."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from request_plans import eighths, planned, tiny_net

from segue.midi_io import read_part
from segue.model import generate as generate_module
from segue.model.architecture import Network
from segue.model.request_plan import RequestPlan
from segue.model.sampling import Sampler
from segue.model.settings import GenerationParams
from segue.model.step_phases import kept_note, step_lengths, step_onsets, step_pitches
from segue.model.step_state import StepTools, TakesSoFar
from segue.model.vocab import steps_of
from segue.model.voices import Voices
from segue.notes import Clip, Note

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(autouse=True)
def _no_grad() -> Iterator[None]:
    with torch.no_grad():  # as generate steps (it asks inference_mode, once the model's
        yield  # readings are kept: tiny_net's are made here)


def _request(
    net: Network, budget: int, **settings: object
) -> tuple[RequestPlan, StepTools, TakesSoFar]:
    """A request's plan, tools and takes so far before its first step, built as
    ``generate`` builds them for a model without a loop, a memory or a palette."""
    params = GenerationParams(**settings).validated()  # type: ignore[arg-type]
    plan = planned(net, eighths(), **settings)
    vocab, n_var = net.config.vocab, plan.time.n_var
    stepper = net.stepper()
    seed_steps = steps_of(plan.rows, plan.time.bar_ticks, vocab)
    h, state = stepper.start(seed_steps, n_var, None)
    tools = StepTools(
        net=stepper,
        vocab=vocab,
        sample=Sampler.of(params),
        generator=np.random.default_rng(3),
        greedy=False,
        drums=False,
        key=None,
        in_notes=params.notes is not None,
        time_values=np.asarray(vocab.time_values),
        duration_values=np.asarray(vocab.time_values[1:]),
        velocity_values=vocab.velocity_value(np.arange(vocab.n_velocity)),
        loop=None,
        turns=None,
        matcher=None,
        views=None,
        palette=None,
        accents=None,
        by_length=np.ones(1),
        counts=None,
        pull=0.0,
        loudness=(1, 127),
    )
    so_far = TakesSoFar(
        Voices(n_var, plan.looped),
        np.full(n_var, int(plan.rows[-1, 0]), dtype=np.int64),
        np.zeros(n_var, dtype=np.int64),
        np.full(n_var, -1, dtype=np.int64),
        np.ones(n_var, dtype=bool),
        np.full(n_var, budget, dtype=np.int64),
        np.zeros((plan.time.most_steps, n_var, 4), dtype=np.int64),
        np.zeros((plan.time.most_steps, n_var), dtype=bool),
        np.ones(n_var, dtype=bool),
        np.full(n_var, seed_steps[-1, 3]),
        np.zeros(n_var, dtype=bool),
        h,
        state,
    )
    return plan, tools, so_far


def test_a_step_s_phases_make_one_note_per_take_after_the_clip() -> None:
    plan, tools, so_far = _request(tiny_net(), budget=8, bars=2, variations=5, rng_seed=3)
    onsets = step_onsets(plan, tools, so_far)
    assert (onsets.onset >= plan.time.clip_end).all()  # the first new note: not before
    assert onsets.choice is None and onsets.copy is None  # no loop, no memory
    pitches = step_pitches(plan, tools, so_far, onsets)
    assert plan.pitch.static_pitch[pitches.pitch].all()  # in key and range
    lengths = step_lengths(plan, tools, so_far, onsets, pitches)
    assert lengths.loop_velocity is None and not lengths.takes.any()  # the network's own
    kept_note(plan, tools, so_far, onsets, pitches, lengths)
    assert so_far.count == 1 and (so_far.made == 1).all() and so_far.live.all()
    note = so_far.notes_out[0]
    assert (note[:, 0] == onsets.onset).all() and (note[:, 1] == pitches.pitch).all()
    assert (note[:, 2] > 0).all() and ((note[:, 3] >= 1) & (note[:, 3] <= 127)).all()
    assert (so_far.last_onset == onsets.onset).all()
    assert (so_far.previous_vel == lengths.vel).all() and so_far.own_latest.all()


def test_the_note_kept_ends_the_takes_that_made_their_notes() -> None:
    plan, tools, so_far = _request(tiny_net(), budget=2, bars=2, variations=3, rng_seed=1)
    so_far.made[0] = 1  # one take a note short of the others
    onsets = step_onsets(plan, tools, so_far)
    pitches = step_pitches(plan, tools, so_far, onsets)
    kept_note(
        plan, tools, so_far, onsets, pitches, step_lengths(plan, tools, so_far, onsets, pitches)
    )
    assert so_far.live.tolist() == [False, True, True]


def test_generate_s_step_loop_reads_in_one_screen() -> None:
    tree = ast.parse(inspect.getsource(generate_module._stepped).strip())
    loops = [node for node in ast.walk(tree) if isinstance(node, ast.While)]
    assert len(loops) == 1
    loop = loops[0]
    assert loop.end_lineno is not None and loop.end_lineno - loop.lineno < 40


def test_the_pitch_phase_reads_in_pieces() -> None:
    # the loop's and the turns' narrowing of the pitches and the draw are functions of their
    # own: the phase reads as what it does in turn (it was 159 lines)
    import segue.model.step_phases as phases

    source = inspect.getsource(phases.step_pitches)
    assert len(source.splitlines()) < 80
    for piece in ("_varied_near_the_loop", "_loop_s_note_let_through", "_drawn_pitch"):
        assert f"{piece}(" in source


def test_the_note_kept_is_the_note_written_then_what_the_takes_keep() -> None:
    # the note written reads nothing the takes keep of it, so it comes first, whole: it
    # writes the step's row and ends the takes past the request's end, and nothing else
    import segue.model.step_phases as phases

    source = inspect.getsource(phases.kept_note)
    assert len(source.splitlines()) < 20
    assert "_written_note(" in source and "_kept_by_the_takes(" in source
    plan, tools, so_far = _request(tiny_net(), budget=8, bars=2, variations=4, rng_seed=2)
    onsets = step_onsets(plan, tools, so_far)
    pitches = step_pitches(plan, tools, so_far, onsets)
    lengths = step_lengths(plan, tools, so_far, onsets, pitches)
    before = (so_far.previous_vel.copy(), so_far.made.copy(), so_far.own_latest.copy())
    sounding = so_far.voices.pitch_end.copy()
    length, heard = phases._written_note(plan, tools, so_far, onsets, pitches, lengths)
    assert (so_far.notes_out[0, :, 2] == length).all() and heard.all()
    assert (so_far.notes_out[0, :, 1] == pitches.pitch).all() and so_far.count == 0
    after = (so_far.previous_vel, so_far.made, so_far.own_latest)
    assert all((a == b).all() for a, b in zip(before, after, strict=True))
    assert (so_far.voices.pitch_end == sounding).all()


def test_the_offset_phase_reads_in_pieces() -> None:
    # the offsets open, the fills' and the groove's, the answers' and the chords', the grid's,
    # the copy, the draw and the onset are functions of their own (it was 158 lines)
    import segue.model.step_phases as phases

    source = inspect.getsource(phases.step_onsets)
    assert len(source.splitlines()) < 40
    # the masks' pieces in turn (all but a step where every take repeats the loop's onset)
    source += inspect.getsource(phases._offsets_allowed)
    for piece in (
        "_open_offsets",
        "_fill_and_groove_offsets",
        "_answer_and_chord_offsets",
        "_on_the_grid_and_pulse",
        "_copy_of_the_offset",
        "_drawn_offset",
        "_onset_of",
    ):
        assert f"{piece}(" in source


def test_the_offset_s_pieces_run_alone_make_the_phase_s_onsets() -> None:
    # each piece run by hand, in the phase's order, on a request like another's: what each
    # decides alone, and together the onsets step_onsets draws on the other
    import segue.model.step_phases as phases

    settings: dict[str, object] = dict(bars=2, variations=6, rng_seed=4)
    plan, tools, so_far = _request(tiny_net(), budget=8, **settings)
    whole = step_onsets(*_request(tiny_net(), budget=8, **settings))
    first = so_far.made == 0
    onsets = so_far.last_onset[:, None] + tools.time_values[None, :]
    crowded, full = phases._crowding(plan, so_far, onsets, True)
    allowed = phases._open_offsets(plan, so_far, onsets, first, True, crowded)
    # a line of one voice: the clip's last note sounds at its onset (no room there) up to
    # the clip's end, which the first new note is not before either
    assert crowded and full is not None and full.all()
    # with no loop to choose, the takes with no room are not asked (the loop's choice
    # alone reads them), and whether any take is crowded is the same
    assert phases._crowding(plan, so_far, onsets, False) == (True, None)
    assert allowed is not None and (allowed == (onsets >= plan.time.clip_end)).all()
    opened = allowed.copy()
    allowed, in_fill, fill_rows = phases._fill_and_groove_offsets(
        plan, tools, so_far, None, onsets, allowed
    )
    assert not in_fill.any() and not fill_rows.any()  # no fills, no groove: as they were
    assert allowed is not None and (allowed == opened).all()
    allowed, answering = phases._answer_and_chord_offsets(plan, tools, so_far, None, allowed)
    assert answering is None and allowed is not None and (allowed == opened).all()
    allowed = phases._on_the_grid_and_pulse(plan, so_far, allowed, onsets, fill_rows, first)
    assert allowed is not None and allowed.any(axis=1).all()  # every take has an offset
    assert not (allowed & ~opened).any()  # the grid only narrows the clip's end
    copy, choice = phases._copy_of_the_offset(plan, tools, so_far, None, allowed, crowded)
    assert copy is None and choice is None  # no memory, no loop: nothing to copy
    heads = phases._Heads(tools.net, so_far.h)
    off = phases._drawn_offset(
        plan, tools, so_far, None, allowed, onsets, in_fill, first, True, heads
    )
    assert allowed[np.arange(len(off)), off].all()  # drawn among the offsets allowed
    onset, answering = phases._onset_of(plan, tools, so_far, off, first, True, None, None, None)
    assert answering is None and (onset >= plan.time.clip_end).all()
    assert (off == whole.off).all() and (onset == whole.onset).all()
    so_far.made[:] = 1  # a take's later note: its offset from its latest onset, as drawn
    later, _ = phases._onset_of(plan, tools, so_far, off, ~first, False, None, None, None)
    assert (later == so_far.last_onset + tools.time_values[off]).all()


def _gate(chords: list[tuple[int, ...]], length: float = 0.2) -> Clip:
    """A trance gate: each bar's chord on every 16th, accented on the beat."""
    return Clip(
        tuple(
            Note(pitch, bar * 4 + k / 4, length, 100 if k % 4 == 0 else 75)
            for bar, chord in enumerate(chords)
            for k in range(16)
            for pitch in chord
        ),
        4.0 * len(chords),
    )


def _loops() -> list[Clip]:
    """Gates of 3 and 4 voices (held into the next) and the chords seed (a chord loop whose
    takes turn)."""
    chords, _ = read_part(EXAMPLES / "seeds" / "chords.mid")
    return [
        _gate([(57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62)]),
        _gate([(57, 60, 64, 67), (53, 57, 60, 64)], length=0.3),  # each held into the next
        chords,
    ]


def _notes_of(
    net: Network, clip: Clip, params: GenerationParams
) -> list[tuple[int, float, float, int]]:
    """Every note of a request's takes (pitch, start, duration, velocity)."""
    from segue.model.generate import generate

    return [
        (n.pitch, n.start, n.duration, n.velocity)
        for v in generate(net, clip, params).variations
        for n in v.clip.notes
    ]


def _same_notes_the_full_way(
    monkeypatch: pytest.MonkeyPatch,
    net: Network,
    clips: list[Clip],
    requests: list[GenerationParams],
    checked: tuple[str, object],
    short_way: Callable[..., bool],
) -> None:
    """Each request for each clip with a phase checked step by step (``checked``: its name
    in ``generate``'s step loop and the checking stand-in), then again with the phase whole
    and its short way (``short_way``, the ``step_phases`` function that says where it is
    taken) never taken: every note the same."""
    import segue.model.step_phases as phases

    phase, stand_in = checked
    whole = getattr(phases, phase)
    for clip in clips:
        for params in requests:
            monkeypatch.setattr(generate_module, phase, stand_in)
            shortened = _notes_of(net, clip, params)
            monkeypatch.setattr(generate_module, phase, whole)
            monkeypatch.setattr(phases, short_way.__name__, lambda *args: False)
            assert _notes_of(net, clip, params) == shortened, params
            monkeypatch.setattr(phases, short_way.__name__, short_way)


def _pitches_both_ways(
    plan: RequestPlan, t: StepTools, s: TakesSoFar, o: object, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[object], list[object]]:
    """A step's pitch phase the short way and the full way, each on its own copies of the
    step's copy, the pitch-class counts (zeros where the model counts none) and the rng:
    what each returns, the copy and the counts it leaves, and the rng's next draw."""
    import copy as copying
    import dataclasses

    import segue.model.step_phases as phases

    def run(short: bool) -> list[object]:
        assert isinstance(o, phases.StepOnsets) and o.copy is not None
        mine = dataclasses.replace(o, copy=copying.deepcopy(o.copy))
        counts = np.zeros((plan.time.n_var, 12)) if t.counts is None else t.counts.copy()
        tools = dataclasses.replace(t, counts=counts, generator=copying.deepcopy(t.generator))
        with monkeypatch.context() as patched:
            patched.setattr(phases, "_every_take_repeats_the_loop", lambda *args: short)
            got = phases.step_pitches(plan, tools, s, mine)
        fields = [getattr(got, f.name) for f in dataclasses.fields(got)]
        fields += [mine.copy.use, counts]
        return [None if f is None else np.asarray(f).tolist() for f in fields] + [
            tools.generator.random()
        ]

    return run(True), run(False)


def test_the_loop_s_pitches_where_every_take_repeats_it_are_the_full_pitch_phase_s(
    monkeypatch,
) -> None:
    """Where every take repeats the loop's note, the pitch phase skips its masks
    (``_the_loop_s_pitches``): a trance gate's takes do at most steps. The same requests with
    the full phase at every step give every note the same: each later step reads the rng,
    the copy, the voices and the counts that step left, so one note or one draw of
    difference shows."""
    import segue.model.step_phases as phases
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    producer = load_checkpoint(find_model("producer")).model
    gates = _loops()
    requests = [
        GenerationParams(variations=4, bars=4, rng_seed=1),
        GenerationParams(variations=4, bars=2, rng_seed=2, temperature=1.3, memory=0.5),
        GenerationParams(variations=3, bars=2, rng_seed=3, key="auto", polyphony=2),
        GenerationParams(variations=4, bars=2, rng_seed=4, high=62),  # the top voice folded
    ]
    repeats = phases._every_take_repeats_the_loop
    fast: list[bool] = []
    whole = phases.step_pitches

    def both_ways(
        plan: RequestPlan, t: StepTools, s: TakesSoFar, o: phases.StepOnsets
    ) -> phases.StepPitches:
        # where the short way is taken, the full phase on copies gives the same pitches,
        # the same copy and pitch-class counts, and draws nothing
        fast.append(repeats(plan, t, s, o))
        if fast[-1]:
            short, full = _pitches_both_ways(plan, t, s, o, monkeypatch)
            assert short == full
        return whole(plan, t, s, o)

    def counted(*args: object) -> phases.StepPitches:
        return both_ways(*args)  # type: ignore[arg-type]

    _same_notes_the_full_way(
        monkeypatch, producer, gates, requests, ("step_pitches", counted), repeats
    )
    assert fast.count(True) > len(fast) / 4  # a gate takes the short way at most steps


def _fields_of(found: object) -> object:
    """A dataclass's fields (a step's onsets, the loop's choice, the copy) as plain lists,
    compared whole; the network's heads left out (read later, from the same state)."""
    import dataclasses

    if found is None or not dataclasses.is_dataclass(found):
        return None if found is None else np.asarray(found).tolist()
    return [
        _fields_of(getattr(found, f.name)) for f in dataclasses.fields(found) if f.name != "heads"
    ]


def _onsets_the_full_way(
    plan: RequestPlan, t: StepTools, s: TakesSoFar, monkeypatch: pytest.MonkeyPatch
) -> tuple[object, dict[str, object]]:
    """The offset phase the full way (every mask) on copies of what it reads and changes
    (the takes so far, the rng, the loop and its turns, the memory and its views): what it
    returns, and the rng's state after."""
    import copy as copying
    import dataclasses

    import segue.model.step_phases as phases

    rng, loop, turns, matcher, views, so_far = copying.deepcopy(
        (t.generator, t.loop, t.turns, t.matcher, t.views, s)
    )
    tools = dataclasses.replace(
        t, generator=rng, loop=loop, turns=turns, matcher=matcher, views=views
    )
    with monkeypatch.context() as patched:
        patched.setattr(phases, "_offsets_leave_the_loop_as_chosen", lambda *args: False)
        found = phases.step_onsets(plan, tools, so_far)
    return _fields_of(found), rng.bit_generator.state


def test_the_loop_s_onsets_where_every_take_repeats_it_are_the_full_offset_phase_s(
    monkeypatch,
) -> None:
    """Where every take that copies repeats the loop's note and every live take copies, the
    offset phase skips its (takes, offset classes) masks (``_the_loop_s_onsets``): a trance
    gate's takes do at almost every step. Each such step the full way on copies gives the
    same onsets, choice, copy and answers and leaves the rng as the short way does; and the
    same requests with the full phase at every step give every note the same (a crowded
    take's copy kept to the loop's open onset, the memory's copies at --memory 0.5, a
    take's turn)."""
    import segue.model.step_phases as phases
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    producer = load_checkpoint(find_model("producer")).model
    gates = _loops() + [
        Clip(  # a lead's call and its rest: its takes answer in the phrase's last bar
            tuple(
                Note(pitch, bar * 4 + k / 2, 0.45, 90)
                for bar in range(3)
                for k, pitch in enumerate([69, 72, 76, 72, 74, 72, 69, 67])
            ),
            16.0,
        ),
    ]
    requests = [
        GenerationParams(variations=4, bars=4, rng_seed=1),
        GenerationParams(variations=4, bars=2, rng_seed=2, temperature=1.3, memory=0.5),
        GenerationParams(variations=3, bars=2, rng_seed=3, key="auto", polyphony=2),
        GenerationParams(variations=4, bars=4, rng_seed=4, polyphony=1),
    ]
    leaves = phases._offsets_leave_the_loop_as_chosen
    short_way = phases._the_loop_s_onsets
    whole = phases.step_onsets
    fast: list[bool] = []

    def both_ways(plan: RequestPlan, t: StepTools, s: TakesSoFar) -> phases.StepOnsets:
        full, rng_after = _onsets_the_full_way(plan, t, s, monkeypatch)
        taken: list[bool] = []

        def shortened(*args: object) -> phases.StepOnsets:
            taken.append(True)
            return short_way(*args)  # type: ignore[arg-type]

        with monkeypatch.context() as patched:
            patched.setattr(phases, "_the_loop_s_onsets", shortened)
            found = whole(plan, t, s)
        fast.append(bool(taken))
        if taken:
            assert _fields_of(found) == full
            assert t.generator.bit_generator.state == rng_after
        return found

    _same_notes_the_full_way(
        monkeypatch, producer, gates, requests, ("step_onsets", both_ways), leaves
    )
    assert fast.count(True) > len(fast) / 2  # a gate takes the short way at most steps
    assert fast.count(False)  # and the full way where a take copies the memory or draws


def test_a_copy_of_the_loop_s_onset_is_kept_where_the_full_masks_keep_it() -> None:
    # where every take that copies repeats the loop's note or its rhythm, the full masks
    # keep a copy where the polyphony limit leaves the loop's own onset open, whatever else
    # they allow (loop_onsets_allowed sets it before _narrowed reads it): the short way's
    # narrowing, at random ends, starts, limits, proposals and masks
    from types import SimpleNamespace
    from typing import Any

    import segue.model.step_phases as phases
    from segue.model.loop import LoopChoice
    from segue.model.memory import Recollection

    rng = np.random.default_rng(11)
    closed_some = 0
    for _ in range(400):
        takes, classes = int(rng.integers(1, 6)), 12
        voices = Voices(takes, np.array([[0, 60, 24, 90]]))
        voices.starts = rng.integers(0, 200, (takes, Voices.WINDOW))
        voices.ends = voices.starts + rng.integers(1, 200, (takes, Voices.WINDOW))
        line = SimpleNamespace(
            polyphony=int(rng.integers(1, 5)), steal=bool(rng.random() < 0.3), grace=0
        )
        plan: Any = SimpleNamespace(line=line)
        last_onset = rng.integers(0, 250, takes)
        so_far: Any = SimpleNamespace(voices=voices, last_onset=last_onset)
        repeat, vary = rng.random(takes) < 0.7, rng.random(takes) < 0.2
        fields = rng.integers(0, classes, (takes, 4))
        choice = LoopChoice(
            np.ones(takes, dtype=bool),
            repeat,
            fields,
            last_onset + rng.integers(0, 100, takes),
            vary,
            np.full(takes, -1),
            np.zeros(takes, dtype=np.int64),
            np.zeros(takes, dtype=np.int64),
            np.zeros(takes, dtype=bool),
        )
        use = choice.keeps() & (rng.random(takes) < 0.9)
        memory = ~choice.keeps() & (rng.random(takes) < 0.3)  # a copy of the memory's
        crowded = voices.crowded(last_onset, line.polyphony, line.steal, line.grace)
        masks = [rng.random((takes, classes)) < 0.5] + ([] if crowded else [None])
        for allowed in masks:
            full = Recollection(use | memory, fields[:, :3].copy())
            kept = phases._kept_at_the_loop_s_onset(plan, so_far, full, choice, crowded)
            phases._kept_to_the_offsets_allowed(plan, so_far, full, choice, allowed, crowded)
            if memory.any():  # the memory's copy reads the mask: not the short way
                assert kept is None
                continue
            assert kept is not None and (full.use == kept).all()
            closed_some += int((use & ~kept).any())
    assert closed_some > 20  # the limit closes the loop's onset often enough to tell


def test_the_takes_with_no_room_at_their_latest_onset_are_read_from_the_crowding(
    monkeypatch,
) -> None:
    """Where a loop chooses and a take is crowded, the takes with no room at their latest
    onset (offset class 0, which the loop's choice reads) are those ``Voices.full`` found
    full: at each step of the gates, the chords seed and a lead under a limit of 1 and 2,
    ``Voices.closed`` asked there on the step's onsets says the same, and ``_crowding``
    never asks it again."""
    import segue.model.step_phases as phases
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    producer = load_checkpoint(find_model("producer")).model
    crowding, closed = phases._crowding, Voices.closed
    asked: list[int] = []
    checked: list[bool] = []

    def counted(self: Voices, *args: object) -> np.ndarray:
        asked.append(1)
        return closed(self, *args)  # type: ignore[arg-type]

    def both_ways(
        plan: RequestPlan, s: TakesSoFar, onsets: np.ndarray, looping: bool
    ) -> tuple[bool, np.ndarray | None]:
        with monkeypatch.context() as patched:
            patched.setattr(Voices, "closed", counted)
            crowded, full = crowding(plan, s, onsets, looping)
        if full is not None:
            line = plan.line
            room = closed(s.voices, onsets[:, :1], line.polyphony, line.steal, line.grace)
            assert full.tolist() == (~room[:, 0]).tolist()
            checked.append(True)
        return crowded, full

    monkeypatch.setattr(phases, "_crowding", both_ways)
    for params in (
        GenerationParams(variations=4, bars=2, rng_seed=1),
        GenerationParams(variations=3, bars=2, rng_seed=2, polyphony=2),
        GenerationParams(variations=4, bars=2, rng_seed=3, polyphony=1),
    ):
        for clip in _loops():
            generate_module.generate(producer, clip, params)
    assert len(checked) > 100 and not asked  # crowded at many steps, never asked again
