"""Which model continues a clip when the musician leaves it to segue ("auto").

A drum clip goes to the drum model, and so does a part on a melodic MIDI channel that
looks like a General MIDI beat (``segue.beat_reading.looks_like_drums``: a Drum Rack's clip
exported from Live is on channel 1). A producer's part goes to a model that keeps
loops (one with a fitted loop, ``segue.model.loop``): a clip that repeats itself
almost entirely (at least :data:`LOOPING` of its notes repeat the note 1 or 2 bars
earlier: a bassline, a chord loop, an arpeggio), chords struck again a beat or two
later, a bass line, or a part with rests.
Among the candidates left, the one that finds the clip least surprising continues it:
each reads the clip once, teacher-forced, and the lowest loss per note wins (offset,
pitch and duration: velocities say more about a mixer than about a style), unless a
model that keeps loops comes within :data:`LOOP_MARGIN` of it; and a clip like none of
the other models' own music (:func:`at_home`) goes to a loop keeper. So a folk tune goes
to the melody model and a chorale to the polyphonic one, without a rule per style. An
empty clip goes to :data:`EMPTY`. A clip played in is read as written
(``segue.model.feel.as_written``: its notes on the grid, its lengths the note values they
stand for), and goes where its quantized twin goes.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
import torch.nn.functional as F

from segue.beat_reading import looks_like_drums
from segue.errors import SegueError
from segue.grid import clip_rows, to_beats, to_ticks
from segue.model.architecture import read, seed_readings
from segue.model.checkpoint import LoadedModel, load_checkpoint
from segue.model.clip_reading import clip_reading
from segue.model.generate import intra_op_threads
from segue.model.loop import SELF_EDGES, self_repetition
from segue.model.metrics import as_notes, median_pitch, silent_share
from segue.model.registry import (
    AUTO,
    BUNDLED_DIR,
    DRUMS,
    find_model,
    list_models,
)
from segue.model.tonic_votes import BASS_BELOW
from segue.model.vocab import steps_of
from segue.notes import Clip, TimeSignature

if TYPE_CHECKING:
    from segue.dataset.loading import Dataset

EMPTY = "producer"
"""The model for a clip with no notes (generating from nothing), when installed."""
SCORED_FIELDS = ("offset", "pitch", "duration")
SCORED_NOTES = 32
"""A clip's last notes that decide (enough to tell a reel from a chorale; the choice costs
one pass of each candidate over them: about 8-12 ms for the bundled three)."""
LOOP_MARGIN = 0.5
"""Nats per note by which another model must find a clip less surprising than a model that
keeps loops, to continue it instead: half the gap that separates the bundled models' own
material. On their validation splits (4-bar clips, offset + pitch + duration) the producer
model is at least 1.02 nats per note more surprised than the melody or polyphonic model by
95% of their clips, and at least 1.28 nats less surprised than both by 95% of its own."""
RESTS = 0.3
"""A bass line and a part with rests: of the 4-bar clips of the bundled models' validation
splits, no melody or chorale clip has its median pitch under 52, and 2% of melody clips and
7% of chorale clips are silent 30% of the time or more, against 24% and 61% of producers'
parts; with the loops, 78% of producers' parts and 1.6% of tunes are one of the three."""
HOME_QUANTILE = 0.95
"""A clip is like a model's own music (:func:`at_home`) when it surprises the model no more
than this share of the model's own validation clips; a clip like none of the models'
music but the loop keepers' goes to a loop keeper."""
REMEMBERED = 16
"""How many clips' choices ``auto`` remembers: a musician asks again and again for the same
clip (more takes, another temperature), and the models read it the same way each time, so
the choice is the same and costs nothing the second time (about 8-10 ms the first: a
pass of each candidate)."""
LOOPING = SELF_EDGES[2]
"""A clip whose self-repetition reaches this share is a loop: it repeats itself almost entirely
(the loop's own top bucket)."""


def is_drum_model(loaded: LoadedModel) -> bool:
    return bool(loaded.info.get("drums"))


@torch.inference_mode()
def surprise(loaded: LoadedModel, clip: Clip) -> float:
    """The model's mean loss per note of ``clip`` (nats, offset + pitch + duration), over
    its last :data:`SCORED_NOTES` notes at most. The network's reading of the clip's steps
    is kept (``architecture.seed_readings``): a clip of no more notes is the chosen model's
    seed as it stands, and its generation reads it no more; the velocity head is not run."""
    model = loaded.model
    rows = clip_rows(clip)[-SCORED_NOTES:]
    if not len(rows):
        return float("inf")
    read_steps = steps_of(rows, to_ticks(clip.time_signature.beats_per_bar), loaded.config.vocab)
    steps = torch.from_numpy(read_steps)[None]
    was_training = model.training
    if was_training:  # loaded models are in eval mode already; switching costs milliseconds
        model.eval()
    try:  # every step read, the last one's output unused: as generation reads the seed
        h = read(seed_readings(model), read_steps, model.encode)[0][:, :-1]
        logits = model.heads(h, steps[:, :-1], steps[:, 1:], velocity=False)
    finally:
        if was_training:
            model.train()
    total = sum(
        F.cross_entropy(logits[field][0].float(), steps[0, 1:, column], reduction="sum").item()
        for column, field in enumerate(SCORED_FIELDS)
    )
    return total / len(rows)


FileVersion = tuple[str, int, int]


def file_version(path: Path) -> FileVersion:
    """A model file as it is now: its path, size and modification time (ns); a model
    replaced in place (``segue tune --replace``) is another version."""
    stat = path.stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


class ModelChooser:
    """The model for each clip: a named one always, or for ``auto`` the least surprised
    of the installed melodic models (loaded once), and for a drum clip the least surprised
    of the drum models (a drum model tuned on your beats as well as the bundled one)."""

    def __init__(
        self,
        name: str | None,
        models_dir: str | os.PathLike[str] | None = None,
        allow_path: bool = False,
        bundled_only: bool = False,
        known: Mapping[FileVersion, LoadedModel] | None = None,
    ) -> None:
        self.name = name or AUTO
        self.models_dir = models_dir
        self.bundled_only = bundled_only  # auto among the bundled names alone
        self._fixed: LoadedModel | None = None
        self._candidates: dict[str, LoadedModel] | None = None
        self._known = dict(known or {})  # models loaded before, by file version (renewed)
        self._listed: set[FileVersion] = set()  # the files listed when the candidates loaded
        self._chosen: OrderedDict[tuple[Clip, bool], str] = OrderedDict()  # see REMEMBERED
        self._lock = threading.Lock()  # a bridge chooses for clients on several threads
        if self.name != AUTO:
            self._fixed = load_checkpoint(find_model(self.name, models_dir, allow_path))

    def _entries(self) -> list[Any]:
        """The models listed, or with ``bundled_only`` those named as segue's own are, in
        their case: a user's ``Producer.pt`` was taken for the bundled producer, and tuning
        without --from could tune it without it being named (helper-63)."""
        own = {p.stem for p in BUNDLED_DIR.glob("*.pt")}
        return [
            e for e in list_models(self.models_dir) if not (self.bundled_only and e.name not in own)
        ]

    def candidates(self) -> dict[str, LoadedModel]:
        """The installed models auto chooses among, by name (drum models apart)."""
        if self._candidates is None:
            loaded, known, listed = {}, {}, set()
            for entry in self._entries():
                try:
                    version = file_version(entry.path)
                    listed.add(version)
                    model = self._known.get(version) or load_checkpoint(entry.path)
                except (OSError, SegueError):  # a damaged file: the others still choose (by
                    continue  # name, it says what is wrong)
                loaded[entry.name], known[version] = model, model
            self._candidates, self._known, self._listed = loaded, known, listed
        return self._candidates

    def stale(self, listing: bool = True) -> bool:
        """Whether a model file it chooses among changed or went since it read them (a stat
        of each), and with ``listing`` whether the installed files are others now (a model
        added, removed, replaced): a chooser then :meth:`renewed` chooses among the models
        as they are. Files beside the models (a ``.DS_Store``) change nothing."""
        if self._candidates is None:
            return False
        try:
            if any(file_version(m.path) not in self._known for m in self._candidates.values()):
                return True
            if listing:
                return {file_version(e.path) for e in self._entries()} != self._listed
        except OSError:
            return True
        return False

    def renewed(self) -> ModelChooser:
        """A chooser for ``auto`` that sees the models installed since (a tuning) and
        forgets its choices, but loads again only the files that changed: after a Learn,
        the next request waits for the new model alone, not for every candidate."""
        return ModelChooser(
            self.name, self.models_dir, bundled_only=self.bundled_only, known=self._known
        )

    def choose(self, clip: Clip, drums: bool = False) -> tuple[str, LoadedModel]:
        """The name and model that continue ``clip`` (``drums``: it is a drum clip, which a
        named melodic model refuses; a drum model named for a melodic clip plays it as
        pads: a drum clip exported from Live is on channel 1)."""
        if self._fixed is not None:
            if drums and not is_drum_model(self._fixed):
                raise SegueError(
                    f"the clip is a drum part, and {self.name} is a melodic model: its notes "
                    f"would play as drum pads; continue it with the drum model ({DRUMS}) or {AUTO}"
                )
            return self.name, self._fixed
        models = self.candidates()
        key = (clip, drums)
        with self._lock:
            name = self._chosen.get(key)
            if name is not None:
                self._chosen.move_to_end(key)
                return name, models[name]
        kits = sorted(
            ((n, m) for n, m in models.items() if is_drum_model(m)), key=lambda p: p[0] != DRUMS
        )
        if drums and not kits:  # a melodic model played the beat as notes, without a word
            raise SegueError(
                "the clip is a drum part, and no drum model can be read (`segue models` lists "
                "the installed models and says what is wrong with a damaged one): name a "
                "model, or reinstall segue for its drum model"
            )
        # a part on a melodic channel that looks like a General MIDI beat (a Drum Rack's
        # clip exported from Live is on channel 1) is the beat it looks like: the producer
        # model played a house beat's kick, clap and hats as notes; a drum track's clip is
        # a beat already (0.4 ms of a new beat's request went to asking)
        beat = not drums and bool(kits) and looks_like_drums((n.start, n.pitch) for n in clip.notes)
        if drums or beat:  # the least surprised drum model (bundled first for no notes)
            name, loaded = best_of(kits, clip)
        else:
            melodic = {n: m for n, m in models.items() if not is_drum_model(m)}
            # a played clip as the music it stands for, as generation reads it: once
            written = clip_reading(clip).clip
            if is_produced(written):
                loopers = {n: m for n, m in melodic.items() if m.config.loop_table() is not None}
                melodic = loopers or melodic
            name, loaded = best_of(melodic.items(), written)
        with self._lock:
            self._chosen[key] = name
            while len(self._chosen) > REMEMBERED:
                self._chosen.popitem(last=False)
        return name, loaded

    def __call__(self, clip: Clip, drums: bool = False) -> LoadedModel:
        return self.choose(clip, drums)[1]


def is_produced(clip: Clip) -> bool:
    """Whether a clip is a producer's part rather than a tune or part music: a loop (see
    :data:`LOOPING`), chords struck again a beat or two later (:func:`restrikes_its_chords`),
    a bass line (median pitch under :data:`BASS_BELOW`) or a part with rests (silent for at
    least :data:`RESTS` of the clip)."""
    rows = clip_rows(clip)
    if not len(rows):
        return False
    bar = to_ticks(clip.time_signature.beats_per_bar)
    return (
        self_repetition(rows[:, 0], rows[:, 1], bar, from_first=True) >= LOOPING
        or restrikes_its_chords(rows)
        or median_pitch(rows) < BASS_BELOW
        or silent_share(rows, to_ticks(clip.length)) >= RESTS
    )


def restrikes_its_chords(rows: np.ndarray) -> bool:
    """Whether a part of chords (:data:`LOOPING` of its notes struck with others) strikes
    them again a beat or two later almost throughout (:data:`LOOPING` of its chords' notes,
    as a loop's repeat its notes a bar or two earlier): triads pumped on every beat.

    Played in, an Am F C G loop of quarter-note triads is, as written, four bars of block
    chords a beat long repeating nothing a bar later, and the chorale model, less surprised,
    continued it and left the loop (helper-273, rng 1-8, 4 takes each: 1 of 32 takes opened
    on the loop's Am, 25 played notes outside A minor, an F# or a D#). Part music does not
    pump its chords: of 604 four-bar windows of music21's Bach chorales, none does. A line
    of one note restruck is left to the models."""
    onsets, pitches = rows[:, 0], rows[:, 1]
    _, where, counts = np.unique(onsets, return_inverse=True, return_counts=True)
    chord = counts[where] >= 2
    if chord.mean() < LOOPING:
        return False
    return self_repetition(onsets[chord], pitches[chord], to_ticks(1.0), True) >= LOOPING


def best_of(models: Iterable[tuple[str, LoadedModel]], clip: Clip) -> tuple[str, LoadedModel]:
    """The least surprised of ``models`` by ``clip``, but a model that keeps loops unless
    another is less surprised by more than :data:`LOOP_MARGIN` (an empty clip:
    :data:`EMPTY`, or the first). A model the musician tuned competes only for clips like
    its own music (:func:`at_home`), a loop keeper too: tuned on basslines, the producer
    model continued chorales and reels in its loop keeper's right."""
    pairs = list(models)
    if not pairs:
        raise ValueError("no model to choose from")
    if len(pairs) == 1:
        return pairs[0]
    if not clip.notes:
        return next(((n, m) for n, m in pairs if n == EMPTY), pairs[0])
    scores = np.full(len(pairs), np.nan)

    def scored(i: int) -> float:
        if np.isnan(scores[i]):
            scores[i] = surprise(pairs[i][1], clip)
        return float(scores[i])

    with intra_op_threads(1):  # as generation does: more threads wait on busy cores
        away = [is_tuned(m) and not at_home(m, scored(i)) for i, (_, m) in enumerate(pairs)]
        pick = _chosen(pairs, away, scored)
        return pairs[_refined(pairs, pick, away, scored)]


def _chosen(
    pairs: list[tuple[str, LoadedModel]], away: list[bool], scored: Callable[[int], float]
) -> int:
    """:func:`best_of`'s choice among the models not ``away``."""
    ids = [i for i, out in enumerate(away) if not out] or list(range(len(pairs)))
    if len(ids) == 1:
        return ids[0]
    keeps = np.array([pairs[i][1].config.loop_table() is not None for i in ids])
    home = np.array([not keeps[k] and at_home(pairs[i][1], scored(i)) for k, i in enumerate(ids)])
    if keeps.sum() == 1 and not home.any():  # a clip like none of the others' music:
        return ids[int(np.flatnonzero(keeps)[0])]  # no need to read it again
    mine = np.array([scored(i) for i in ids])
    if keeps.any() and not home.any():
        return ids[int(np.flatnonzero(keeps)[np.argmin(mine[keeps])])]
    eligible = (home | keeps) if (home | keeps).any() else np.ones(len(ids), bool)
    best = int(np.flatnonzero(eligible)[np.argmin(mine[eligible])])
    # a loop keeper unless another is clearly better: a bundled one, as the margin was
    # measured between the bundled models' music; a tuning of it plays where it would
    # (_refined). A producer model tuned on 4 basslines, less surprised by everything than
    # its base, took a piano melody from the melody model within the margin.
    margin = keeps & np.array([not is_tuned(pairs[i][1]) for i in ids])
    if margin.any() and not keeps[best]:
        keeper = int(np.flatnonzero(margin)[np.argmin(mine[margin])])
        if mine[keeper] <= mine[best] + LOOP_MARGIN:
            return ids[keeper]
    return ids[best]


def _refined(
    pairs: list[tuple[str, LoadedModel]],
    pick: int,
    away: list[bool],
    scored: Callable[[int], float],
) -> int:
    """``pick``, or a model tuned from the same model (through any tunings between) that the
    clip surprises less, even where the clip is unlike its held-out music (``away``): where
    its base is the choice anyway, a tuning of it that knows the clip better plays it (a
    drum model tuned on a musician's beats lost those very beats to the bundled drum model,
    its limit set by one held-out clip; a Learn from a Learn, or from a base named by its
    path, too; a loop keeper's tuning where the keeper won by its margin)."""
    names = {name: loaded for name, loaded in pairs}
    root = _root_of(pairs[pick][0], names)
    better = [
        i
        for i, (name, loaded) in enumerate(pairs)
        if (away[i] or is_tuned(loaded))
        and _root_of(name, names) == root
        and scored(i) < scored(pick)
    ]
    return min(better, key=scored) if better else pick


def _root_of(name: str, models: Mapping[str, LoadedModel]) -> str:
    """The model a tuned model was first tuned from (its base's base, ...), by name: a base
    given as a path counts by its file's name (``drums.pt``, a run's ``best.pt`` by its
    folder); the model's own name when it is not tuned. A model tuned again (into its own
    name too) counts from its oldest tuning's base."""
    seen = {name}
    while name in models:
        tuned = models[name].info.get("tuned")
        lineage = tuned.get("lineage") if isinstance(tuned, dict) else None
        oldest = lineage[0] if isinstance(lineage, list) and lineage else tuned
        base = oldest.get("base") if isinstance(oldest, dict) else None
        if not base:
            break
        text = str(base)
        path = PureWindowsPath(text) if "\\" in text else PurePosixPath(text)
        name = path.parent.name if path.stem in ("best", "last") else path.stem
        if name in seen:  # a loop of names: stop where it closes
            break
        seen.add(name)
    return name


def is_tuned(loaded: LoadedModel) -> bool:
    """Whether a model is one the musician tuned (`segue tune`, a Learn)."""
    return "tuned" in loaded.info


def at_home(loaded: LoadedModel, score: float) -> bool:
    """Whether a clip that surprises the model ``score`` nats per note is like the music it
    learnt from: no more than :data:`HOME_QUANTILE` of the 4-bar clips of its validation
    split surprised it more (``segue memory`` measures them; a model without the figure is
    always at home)."""
    limit = loaded.info.get("surprise", {}).get("p95")
    return limit is None or score <= float(limit)


def home_surprise(
    loaded: LoadedModel, dataset: Dataset, split: str = "valid"
) -> dict[str, Any] | None:
    """What :func:`at_home` reads: quantiles of the model's :func:`surprise` by the 4-bar
    clips (every 4 bars, 4 notes or more) of a split of a prepared dataset (None when it
    has none)."""
    clips = []
    for i in dataset.indices(split):
        piece = dataset.piece(int(i))
        notes = np.asarray(piece.notes, dtype=np.int64)
        clips += four_bar_clips(notes, piece.length_ticks, piece.time_signature)
    return home_of(loaded, clips, split)


def four_bar_clips(rows: np.ndarray, length: int, time_signature: TimeSignature) -> list[Clip]:
    """A piece's 4-bar clips with 4 notes or more, every 4 bars from its start (``rows``:
    grid rows from 0; ``length`` in ticks)."""
    bar = to_ticks(time_signature.beats_per_bar)
    out = []
    for start in range(0, max(1, length - 4 * bar + 1), 4 * bar):
        window = rows[(rows[:, 0] >= start) & (rows[:, 0] < start + 4 * bar)].copy()
        if len(window) >= 4:
            window[:, 0] -= start
            out.append(Clip(as_notes(window), to_beats(4 * bar), time_signature))
    return out


def home_of(loaded: LoadedModel, clips: Sequence[Clip], split: str) -> dict[str, Any] | None:
    """Quantiles of the model's :func:`surprise` by ``clips`` (None for none): the figure
    :func:`at_home` reads, as the info's ``surprise``."""
    if not clips:
        return None
    with intra_op_threads(1):
        scores = [surprise(loaded, clip) for clip in clips]
    p50, p95 = np.quantile(scores, [0.5, HOME_QUANTILE])
    return {"p50": float(p50), "p95": float(p95), "clips": len(scores), "split": split}


def record_home_surprise(
    checkpoint: str | os.PathLike[str], dataset: Dataset, split: str = "valid"
) -> dict[str, Any] | None:
    """Measure :func:`home_surprise` of a checkpoint on a split and write it into the
    checkpoint's info, where :func:`at_home` reads it (None: the split has no 4-bar clip,
    and the checkpoint is left as it was)."""
    from segue.model.checkpoint import rewrite_checkpoint

    home = home_surprise(load_checkpoint(checkpoint), dataset, split)
    if home is not None:
        rewrite_checkpoint(checkpoint, checkpoint, info={"surprise": home})
    return home


def choose_model(
    name: str | None, models_dir: str | os.PathLike[str] | None = None
) -> ModelChooser:
    """A chooser for a model name, a checkpoint path or ``auto`` (the default)."""
    return ModelChooser(name, models_dir, allow_path=True)
