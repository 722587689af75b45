"""Exporting works to MIDI files: in parallel worker processes, each work within a time limit.

Exporting parses every work with music21 (the slow part) and writes one MIDI
file per work to ``OUT/<collection>/<name>.mid`` through
:func:`segue.midi_io.write_parts`, or with ``parts`` one file per part to
``OUT/<collection>/<name>/<n>-<part>.mid`` (a chorale's soprano, alto, tenor and
bass as four melodies, for a model that learns single lines), or with ``part`` the one part of
that name as the work's file (a chorale's soprano alone: its tune). A work that fails is counted
with its reason and the rest go on; a work already exported is skipped unless forced.

Its worker processes and their time limit live in :mod:`segue.corpus.workers`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from segue.cores import usable_cores
from segue.corpus.licences import file_restriction, folder_restriction
from segue.corpus.listing import find_collections
from segue.corpus.scores import ScoreNotes, import_music21, parse_work, score_notes
from segue.corpus.workers import in_workers
from segue.corpus.works import Work, collection_works
from segue.dataset.splits import WORK_MARK, WORK_MARK_TEXT
from segue.errors import SegueError
from segue.midi_io import Part, write_parts
from segue.notes import Clip
from segue.shown_names import bare_name

DEFAULT_TIMEOUT = 300.0  # seconds for one work; the slowest (a Beethoven quartet) takes ~6 s


@dataclass(frozen=True, slots=True)
class WorkResult:
    """What happened to one work: ``status`` is "exported" or "failed"."""

    work: Work
    status: str
    reason: str = ""  # failed: a short category, e.g. "no notes" or an exception name
    detail: str = ""  # failed: the first line of the error message


@dataclass(frozen=True, slots=True)
class Failure:
    work: str  # "collection/name"
    source: str
    reason: str
    detail: str


@dataclass(slots=True)
class CollectionCounts:
    name: str
    exported: int = 0
    skipped: int = 0  # already exported by an earlier run
    failed: int = 0
    restricted: int = 0  # left out by free_only: their terms restrict use


@dataclass(slots=True)
class ExportSummary:
    """Totals of one export run, per collection, with every failure."""

    out_dir: Path
    collections: list[CollectionCounts] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def exported(self) -> int:
        return sum(c.exported for c in self.collections)

    @property
    def skipped(self) -> int:
        return sum(c.skipped for c in self.collections)

    @property
    def failed(self) -> int:
        return sum(c.failed for c in self.collections)

    @property
    def restricted(self) -> int:
        return sum(c.restricted for c in self.collections)

    @property
    def failed_by_reason(self) -> dict[str, int]:
        """Failure counts by reason, most common first."""
        return dict(Counter(f.reason for f in self.failures).most_common())

    @property
    def rate(self) -> float:
        """Works converted (exported or failed) per second."""
        done = self.exported + self.failed
        return done / self.seconds if self.seconds > 0 else 0.0


Job = tuple[Work, Path, bool, str | None]
"""One work, its output file (or folder), whether it is written one file per part, and the
name of the one part to write (None: every part)."""


# --------------------------------------------------------------------------- one work


def _channel(index: int) -> int:
    """MIDI channels 0-15 in turn, never the drum channel (9)."""
    channels = [c for c in range(16) if c != 9]
    return channels[index % len(channels)]


def _parts(notes: ScoreNotes) -> list[Part]:
    """The score's parts to write, each on its own channel, in the score's meter."""
    return [
        Part(track.name, Clip(track.notes, None, notes.time_signature), _channel(index))
        for index, track in enumerate(notes.tracks)
    ]


def named_part(notes: ScoreNotes, name: str) -> ScoreNotes | None:
    """The score with only its first part whose name begins with ``name`` (case and the
    spaces around it aside: "soprano" finds "Soprano" and "Soprano 1"), or None where no part
    is so named."""
    wanted = name.strip().casefold()
    for track in notes.tracks:
        if track.name.strip().casefold().startswith(wanted):
            return dataclasses.replace(notes, tracks=(track,))
    return None


def write_score_midi(notes: ScoreNotes, path: Path) -> Path:
    """Write a type-1 MIDI file, one track per part, each part on its own channel.

    The first track carries the tempo and time signature, as in
    :func:`segue.midi_io.write_midi`; times are whole ticks at the same PPQ.
    """
    return write_parts(_parts(notes), path, notes.tempo, overwrite=True)


def part_file_name(index: int, name: str) -> str:
    """``1-Soprano.mid``: the part's place in the score (from 1), then its name with what a
    file name cannot hold replaced by ``_``."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return f"{index + 1}-{safe}.mid" if safe else f"{index + 1}.mid"


def write_part_files(notes: ScoreNotes, folder: Path) -> Path:
    """Write one MIDI file per part into ``folder`` (:func:`part_file_name`), each with the
    score's tempo and time signature; in a folder already there, files of those names are
    replaced and any other file is kept. A :data:`~segue.dataset.splits.WORK_MARK` file
    beside them tells ``segue data prepare`` to keep the parts in one split.

    The files are written into a hidden folder beside it that is then renamed, so an
    interrupted export leaves no folder with some of the parts (which a later export would
    take as done).
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for index, part in enumerate(_parts(notes)):
            write_parts([part], partial / part_file_name(index, part.name), notes.tempo)
        (partial / WORK_MARK).write_text(WORK_MARK_TEXT, encoding="utf-8")
        if folder.exists():
            for written in sorted(partial.iterdir()):
                written.replace(folder / written.name)
        else:
            partial.rename(folder)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else ""


def export_work(
    work: Work, out_path: Path, parts: bool = False, part: str | None = None
) -> WorkResult:
    """Convert one work to a MIDI file (with ``parts``, to a folder of one file per part:
    :func:`write_part_files`; with ``part``, its one part of that name: :func:`named_part`);
    every failure is returned, never raised.

    Goes from music21 notes to segue :class:`Note` objects and writes the file
    with segue's MIDI writer, rather than through music21's own: that writer
    takes longer than the parse itself (about 0.17 s against 0.002 s for a
    chorale), and this way every note passes segue's own checks, pickups line
    up with bar lines and tied notes are single notes. One track per part; the
    first time signature and tempo; repeats are not expanded; grace notes and
    dynamics are left out (velocity 100).
    """
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            notes = score_notes(parse_work(work))
            if not notes.tracks:
                return WorkResult(work, "failed", "no notes", "the score has no pitched notes")
            if part is not None:
                names = ", ".join(bare_name(t.name) for t in notes.tracks)
                found = named_part(notes, part)
                if found is None:
                    return WorkResult(work, "failed", "no such part", f"its parts: {names}")
                notes = found
            if parts:
                write_part_files(notes, out_path)
            else:
                write_score_midi(notes, out_path)
    except KeyboardInterrupt:
        raise
    except RecursionError as exc:
        return WorkResult(work, "failed", "RecursionError", _first_line(exc))
    except Exception as exc:  # music21 raises many kinds; each one is one failed work
        return WorkResult(work, "failed", type(exc).__name__, _first_line(exc))
    return WorkResult(work, "exported")


# --------------------------------------------------------------------------- many works


def work_path(out_dir: Path, work: Work, parts: bool = False) -> Path:
    """The work's MIDI file, or with ``parts`` the folder of its parts' files."""
    folder = Path(out_dir) / work.collection
    return folder / work.name if parts else folder / f"{work.name}.mid"


def _results(jobs: list[Job], workers: int, timeout: float | None) -> Generator[WorkResult]:
    """Results of the jobs as they finish: in this process when there is neither a second
    worker nor a time limit to keep, else in worker processes."""
    if timeout is None and (workers <= 1 or len(jobs) <= 1):
        return (export_work(*job) for job in jobs)
    return in_workers(_export_job, jobs, workers, timeout, _lost)


def _export_job(job: Job) -> WorkResult:
    return export_work(*job)


def _lost(job: Job, reason: str, detail: str) -> WorkResult:
    """A work whose worker ran out of time ("timeout") or died ("crashed")."""
    return WorkResult(job[0], "failed", reason, detail)


def _progress_bar(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    tty = sys.stderr.isatty()
    return tqdm(
        total=total,
        unit="work",
        desc="exporting",
        disable=not enabled,
        mininterval=0.2 if tty else 10.0,
        dynamic_ncols=True,
        smoothing=0.05,
    )


def export_works(
    works: Sequence[Work],
    out_dir: str | os.PathLike[str],
    workers: int | None = None,
    force: bool = False,
    progress: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
    parts: bool = False,
    part: str | None = None,
) -> ExportSummary:
    """Export the given works to ``out_dir/<collection>/<name>.mid``, or with ``parts`` one
    file per part to ``out_dir/<collection>/<name>/`` (:func:`write_part_files`), or with
    ``part`` each work's one part of that name (:func:`named_part`) to its ``.mid``.

    A work whose file (or folder) is already there is skipped (counted, not redone) unless
    ``force``; a work that fails is counted with its reason and the rest go on.
    """
    out = Path(out_dir)
    summary = ExportSummary(out)
    counts: dict[str, CollectionCounts] = {}
    jobs = []
    for work in works:
        tally = counts.setdefault(work.collection, CollectionCounts(work.collection))
        target = work_path(out, work, parts)
        if target.exists() and not force:
            tally.skipped += 1
        else:
            jobs.append((work, target, parts, part))
    summary.collections = list(counts.values())
    workers = max(1, workers or usable_cores())
    started = time.perf_counter()
    results = _results(jobs, workers, timeout)
    with contextlib.closing(results), _progress_bar(len(jobs), progress) as bar:
        for result in results:
            _tally(summary, counts[result.work.collection], result)
            bar.update(1)
            if summary.failed:
                bar.set_postfix(failed=summary.failed, refresh=False)
    summary.seconds = time.perf_counter() - started
    return summary


def _tally(summary: ExportSummary, counts: CollectionCounts, result: WorkResult) -> None:
    if result.status == "exported":
        counts.exported += 1
        return
    counts.failed += 1
    summary.failures.append(
        Failure(result.work.label, str(result.work.source), result.reason, result.detail)
    )


def export_corpus(
    names: Sequence[str],
    out_dir: str | os.PathLike[str],
    limit: int | None = None,
    workers: int | None = None,
    force: bool = False,
    progress: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
    free_only: bool = False,
    parts: bool = False,
    part: str | None = None,
) -> ExportSummary:
    """Export the named collections (``"all"`` for every one) to MIDI files.

    ``limit`` exports only the first N works of each collection. Collections go
    in the order named. Returns the counts; failures do not stop the export.
    ``free_only`` leaves out the works whose terms restrict their use
    (:func:`segue.corpus.licences.restriction`): what may train weights to give away.
    ``parts`` writes one file per part (:func:`write_part_files`); ``part`` the one part of
    that name of each work (:func:`named_part`), and a work without one fails.
    """
    if limit is not None and limit < 1:
        raise SegueError(f"--limit must be 1 or more, got {limit}")
    if workers is not None and workers < 1:
        raise SegueError(f"--workers must be 1 or more, got {workers}")
    if part is not None and not part.strip():
        raise SegueError("--part needs a part's name, e.g. --part soprano")
    if part is not None and parts:
        raise SegueError("--part exports one part of each work, --parts all of them: give one")
    collections = find_collections(names)
    import_music21()  # fail early, with the install hint, before any work is queued
    works = [w for c in collections for w in collection_works(c, limit)]
    if free_only:  # a collection's own licence once, then each score file's header once
        closed = {c.name for c in collections if folder_restriction(c.path)}
        terms = {
            s: file_restriction(s) for s in {w.source for w in works if w.collection not in closed}
        }
        kept = [w for w in works if w.collection not in closed and not terms[w.source]]
    else:
        kept = works
    restricted = Counter(w.collection for w in works) - Counter(w.collection for w in kept)
    works = kept
    summary = export_works(works, out_dir, workers, force, progress, timeout, parts, part)
    present = {c.name for c in summary.collections}
    summary.collections.extend(
        CollectionCounts(c.name) for c in collections if c.name not in present
    )
    for counts in summary.collections:
        counts.restricted = restricted[counts.name]
    return summary
