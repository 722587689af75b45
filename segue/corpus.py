"""Training material from music21's bundled corpus: list its collections, export them to MIDI.

A *collection* is a top-level folder of ``music21/corpus`` that holds scores
(``bach``, ``essenFolksong``, ``oneills1850``, ...). A *work* is one score file,
except in ABC files, where every tune (each ``X:`` header) is its own work.
Roman-numeral analyses (``.rntxt``) and Finale sources (``.mus``, ``.musx``) are
not scores music21 can turn into notes, so they are not counted.

Listing never parses a score: it counts files and ``X:`` lines, and reads only
the head of each file for licence statements, so it takes well under a second.

Exporting parses every work with music21 (the slow part, in parallel worker
processes) and writes one MIDI file per work to ``OUT/<collection>/<name>.mid``.
music21 is an optional dependency (``pip install 'segue[corpus]'``) and is only
imported inside the functions that need it.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import importlib.util
import io
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
import unicodedata
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import mido

from segue.errors import NoteError, SegueError
from segue.files import write_file_atomically
from segue.midi_io import WRITE_PPQ, note_events
from segue.notes import Note, TimeSignature

SCORE_SUFFIXES = (".abc", ".krn", ".mxl", ".xml", ".musicxml")
LICENCE_FILE_PREFIXES = ("licence", "license", "readme", "copying")
GENERAL_LICENCE = (
    "believed public domain; encodings by permission, some non-commercial only "
    "(music21/corpus/license.txt)"
)
INSTALL_HINT = "pip install 'segue[corpus]'"
DEFAULT_TEMPO = 120.0
DEFAULT_TIMEOUT = 300.0  # seconds for one work; the slowest (a Beethoven quartet) takes ~6 s
HEAD_BYTES = 16_384  # how much of a file is read to look for licence statements
MAX_NAME = 60  # characters of a title kept in a file name
TASKS_PER_WORKER = 200  # a worker is replaced after this many works (music21 caches grow)


# --------------------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class Collection:
    """One top-level folder of music21's corpus."""

    name: str
    path: Path
    files: int  # score files
    works: int  # one per score file, one per tune in ABC files
    licence: str


@dataclass(frozen=True, slots=True)
class Work:
    """One work to export: a whole score file, or one tune of an ABC file.

    ``tune`` holds the ABC text of that one tune (with the file's header); it is
    None when the whole file is the work.
    """

    collection: str
    name: str  # file name without ``.mid``, unique within the collection
    source: Path
    tune: str | None = None

    @property
    def label(self) -> str:
        return f"{self.collection}/{self.name}"


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
    def failed_by_reason(self) -> dict[str, int]:
        """Failure counts by reason, most common first."""
        return dict(Counter(f.reason for f in self.failures).most_common())

    @property
    def rate(self) -> float:
        """Works converted (exported or failed) per second."""
        done = self.exported + self.failed
        return done / self.seconds if self.seconds > 0 else 0.0


Job = tuple[Work, Path, float | None]
"""One work, its output file and its time limit in seconds."""


@dataclass(frozen=True, slots=True)
class Track:
    name: str
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class ScoreNotes:
    """What segue keeps of a score: one note list per part, the first meter and tempo."""

    tracks: tuple[Track, ...]
    time_signature: TimeSignature
    tempo: float


# --------------------------------------------------------------------------- locating


def corpus_root() -> Path:
    """The ``corpus`` folder inside the installed music21 package (not imported here)."""
    try:
        spec = importlib.util.find_spec("music21")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise SegueError(f"music21 is not installed; install it with: {INSTALL_HINT}")
    root = Path(next(iter(spec.submodule_search_locations))) / "corpus"
    if not root.is_dir():
        raise SegueError(f"music21 is installed without its corpus (no folder {root})")
    return root


def _music21():
    """Import music21 (slow, optional) or explain how to install it."""
    try:
        return importlib.import_module("music21")
    except ImportError:
        raise SegueError(f"music21 is not installed; install it with: {INSTALL_HINT}") from None


def _score_files(folder: Path) -> list[Path]:
    """Score files under ``folder`` in a stable order (by relative path)."""
    files = [
        p for p in folder.rglob("*")
        if p.suffix.lower() in SCORE_SUFFIXES and p.is_file() and not p.name.startswith(".")
    ]
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _is_tune_header(line: str) -> bool:
    return line.lstrip().startswith("X:")


def _count_abc_tunes(path: Path) -> int:
    """Tunes in an ABC file: its ``X:`` headers (a file without any is one tune)."""
    return max(1, sum(1 for line in _read_text(path).splitlines() if _is_tune_header(line)))


def _count_works(files: Sequence[Path]) -> int:
    return sum(_count_abc_tunes(p) if p.suffix.lower() == ".abc" else 1 for p in files)


# --------------------------------------------------------------------------- licences


def _folder_licence(folder: Path) -> str | None:
    """A note from a licence or readme file in the collection's own folder."""
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name.lower().startswith(LICENCE_FILE_PREFIXES):
            text = _read_text(path)
            where = f"{folder.name}/{path.name}"
            if re.search(r"non-?\s*commercial", text, re.IGNORECASE):
                return f"by permission, non-commercial use only ({where})"
            return f"see {where}"
    return None


def _head(path: Path) -> str:
    """The first few KB of a score file as text (MusicXML inside .mxl archives too)."""
    try:
        if path.suffix.lower() == ".mxl":
            with zipfile.ZipFile(path) as archive:
                inner = [n for n in archive.namelist()
                         if n.lower().endswith((".xml", ".musicxml")) and not n.startswith("META")]
                if not inner:
                    return ""
                with archive.open(inner[0]) as fh:
                    data = fh.read(HEAD_BYTES)
        else:
            with open(path, "rb") as fh:
                data = fh.read(HEAD_BYTES)
    except (OSError, zipfile.BadZipFile):
        return ""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8", errors="replace")


def _meaningful(statement: str) -> bool:
    """False for rights lines that say nothing ("Copyright ©", "(c)", "")."""
    words = re.sub(r"copyright|\(c\)|©|[^A-Za-z]", " ", statement, flags=re.IGNORECASE).split()
    return len(words) >= 2


def _clean(statement: str, limit: int = 80) -> str:
    """One line without e-mail addresses, at most ``limit`` characters."""
    statement = re.sub(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", "", html.unescape(statement))
    statement = re.sub(r"\s+([;,])", r"\1", " ".join(statement.split())).strip(" ;,")
    return statement if len(statement) <= limit else statement[: limit - 3].rstrip() + "..."


def _embedded_licence(path: Path) -> str | None:
    """A copyright or licence statement in the file's header, if it has one."""
    head = _head(path)
    suffix = path.suffix.lower()
    if suffix == ".krn":
        found = re.search(r"^!!!YEC:\s*(.+)$", head, re.MULTILINE)
        statement = found.group(1) if found else ""
        if found and re.search(r"^!!!YEM:.*licens", head, re.MULTILINE | re.IGNORECASE):
            statement += "; licensing agreement in file headers"
    elif suffix == ".abc":
        comments = [line.lstrip("% ") for line in head.split("X:", 1)[0].splitlines()
                    if line.startswith("%")]
        hits = [c for c in comments if re.search(r"copyright|licen[cs]e|public domain", c, re.I)]
        statement = hits[0] if hits else ""
        if "GNU General Public License" in " ".join(comments):
            statement = f"{statement}; GNU GPL" if "GNU" not in statement else statement
    else:
        found = re.search(r"<rights[^>]*>(.*?)</rights>", head, re.DOTALL)
        statement = found.group(1) if found else ""
    statement = _clean(statement)
    return statement if _meaningful(statement) else None


def _licence_note(folder: Path, files: Sequence[Path]) -> str:
    own = _folder_licence(folder)
    if own:
        return own
    statements = Counter(s for s in map(_embedded_licence, files) if s)
    if not statements:
        return GENERAL_LICENCE
    text, count = statements.most_common(1)[0]
    if count == len(files):
        return f'"{text}" (file headers)'
    return f'{count} of {len(files)} files: "{text}"; rest: music21/corpus/license.txt'


# --------------------------------------------------------------------------- listing


def list_collections(root: Path | None = None) -> list[Collection]:
    """Every collection of music21's corpus with its number of works and a licence note.

    Fast: scores are counted, never parsed.
    """
    root = root or corpus_root()
    collections = []
    for folder in sorted(root.iterdir(), key=lambda p: p.name.lower()):
        if not folder.is_dir() or folder.name.startswith(("_", ".")):
            continue
        files = _score_files(folder)
        if files:
            collections.append(Collection(folder.name, folder, len(files), _count_works(files),
                                          _licence_note(folder, files)))
    return collections


def find_collections(names: Sequence[str], root: Path | None = None) -> list[Collection]:
    """The named collections in the order given; ``all`` means every collection.

    Names match exactly or, failing that, ignoring case. An unknown name is a
    :class:`SegueError` listing the valid names.
    """
    available = list_collections(root)
    by_name = {c.name: c for c in available}
    by_folded = {c.name.casefold(): c for c in available}
    chosen: list[Collection] = []
    unknown = []
    for name in names:
        if name == "all":
            picks = available
        else:
            found = by_name.get(name) or by_folded.get(name.casefold())
            picks = [found] if found else []
            if not found:
                unknown.append(name)
        chosen.extend(c for c in picks if c not in chosen)
    if unknown:
        valid = ", ".join(c.name for c in available)
        plural = "s" if len(unknown) > 1 else ""
        raise SegueError(f"unknown collection{plural} {', '.join(map(repr, unknown))}; "
                         f"choose from: {valid} (or all)")
    if not chosen:
        raise SegueError("name at least one collection (see `segue corpus list`)")
    return chosen


# --------------------------------------------------------------------------- works


def slug(text: str, limit: int = MAX_NAME) -> str:
    """A readable, file-system-safe name: ASCII letters, digits, '.', '_' and '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._]+", "-", ascii_text).strip("-._")
    return cleaned[:limit].rstrip("-._") or "untitled"


def split_abc(text: str) -> tuple[str, list[str]]:
    """The file header (text before the first ``X:``) and the text of each tune."""
    header: list[str] = []
    tunes: list[list[str]] = []
    for line in text.splitlines():
        if _is_tune_header(line):
            tunes.append([])
        (tunes[-1] if tunes else header).append(line)
    if not tunes:
        return "", [text]
    return "\n".join(header), ["\n".join(t) for t in tunes]


def _tune_field(tune: str, key: str) -> str:
    for line in tune.splitlines():
        stripped = line.strip()
        if stripped.startswith(f"{key}:"):
            return stripped[2:].strip()
    return ""


def _tune_name(base: str, tune: str) -> str:
    ref = _tune_field(tune, "X")
    ref = ref.zfill(4) if ref.isdigit() else slug(ref, 12)
    title = _tune_field(tune, "T")
    return f"{base}-{ref}-{slug(title)}" if title else f"{base}-{ref}"


def _dedupe(names: list[str]) -> list[str]:
    """Make names unique by numbering repeats (-2, -3, ...) in order."""
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return unique


def _file_bases(folder: Path, files: Sequence[Path]) -> list[str]:
    """One readable base name per file; files that differ only by suffix keep it."""
    stems = [slug(p.relative_to(folder).with_suffix("").as_posix().replace("/", "-"), 120)
             for p in files]
    repeated = {s for s, n in Counter(stems).items() if n > 1}
    return [f"{s}-{p.suffix.lstrip('.').lower()}" if s in repeated else s
            for s, p in zip(stems, files, strict=True)]


def collection_works(collection: Collection, limit: int | None = None) -> list[Work]:
    """The works of a collection in a stable order, the first ``limit`` of them if given."""
    works: list[Work] = []
    files = _score_files(collection.path)
    for path, base in zip(files, _file_bases(collection.path, files), strict=True):
        if limit is not None and len(works) >= limit:
            break
        if path.suffix.lower() != ".abc":
            works.append(Work(collection.name, base, path))
            continue
        header, tunes = split_abc(_read_text(path))
        if len(tunes) == 1:
            works.append(Work(collection.name, base, path, f"{header}\n{tunes[0]}"))
            continue
        names = _dedupe([_tune_name(base, t) for t in tunes])
        works.extend(Work(collection.name, n, path, f"{header}\n{t}")
                     for n, t in zip(names, tunes, strict=True))
    names = _dedupe([w.name for w in works])
    works = [w if w.name == n else Work(w.collection, n, w.source, w.tune)
             for w, n in zip(works, names, strict=True)]
    return works if limit is None else works[:limit]


# --------------------------------------------------------------------------- conversion


def parse_work(work: Work):
    """The music21 score of one work (a Score; an Opus of one score is unwrapped)."""
    _music21()
    from music21 import abcFormat, converter, stream

    if work.tune is not None:
        handler = abcFormat.ABCFile().readstr(work.tune)
        score = abcFormat.translate.abcToStreamScore(handler)
    else:
        score = converter.parseFile(work.source, forceSource=True, storePickle=False)
    if isinstance(score, stream.Opus):
        scores = list(score.scores)
        if len(scores) != 1:
            raise SegueError(f"holds {len(scores)} scores, expected one")
        score = scores[0]
    return score


def _first(score, class_name: str):
    return score.recurse().getElementsByClass(class_name).first()


def _time_signature(score) -> TimeSignature:
    ts = _first(score, "TimeSignature")
    if ts is None:
        return TimeSignature()
    try:
        return TimeSignature(ts.numerator, ts.denominator)
    except NoteError:
        return TimeSignature()


def _tempo(score) -> float:
    mark = _first(score, "MetronomeMark")
    bpm = mark.getQuarterBPM() if mark is not None else None
    return min(max(float(bpm), 1.0), 999.0) if bpm else DEFAULT_TEMPO


def _pickup(score) -> float:
    """Beats missing from an incomplete first bar (an anacrusis), to align bar lines."""
    parts = list(score.parts) or [score]
    first = parts[0].getElementsByClass("Measure").first()
    return float(first.paddingLeft) if first is not None else 0.0


def _sounding(element) -> list[tuple[int, str | None]]:
    """(MIDI pitch, tie type) for each pitch of a note or chord; unpitched notes give none."""
    members = element.notes if element.isChord else [element]
    pairs = []
    for member in members:
        pitch = getattr(member, "pitch", None)
        if pitch is None:
            continue
        tie = member.tie or (element.tie if element.isChord else None)
        pairs.append((pitch.midi, tie.type if tie is not None else None))
    return pairs


def _part_notes(part, shift: float) -> tuple[Note, ...]:
    """A part's notes in beats, tied notes merged into one; grace notes left out.

    As in music21's ``stripTies``, a note tied on takes in the next note of its
    pitch that starts where it ends, even when that note lacks its "stop" tie.
    """
    done: list[tuple[int, float, float]] = []
    held: dict[int, list[float]] = {}  # pitch -> [start, end] of a note still tied on
    for element in part.flatten().notes:
        length = float(element.quarterLength)
        if length <= 0:
            continue
        start = float(element.offset) + shift
        for pitch, tie in _sounding(element):
            if not 0 <= pitch <= 127:
                continue
            span = held.pop(pitch, None)
            if span is not None and abs(span[1] - start) < 1e-6:
                span[1] = start + length
            else:
                if span is not None:
                    done.append((pitch, span[0], span[1]))
                span = [start, start + length]
            if tie in ("start", "continue"):
                held[pitch] = span
            else:
                done.append((pitch, span[0], span[1]))
    done.extend((pitch, s, e) for pitch, (s, e) in held.items())
    return tuple(Note(p, s, e - s) for p, s, e in sorted(done, key=lambda n: (n[1], n[0])))


def score_notes(score) -> ScoreNotes:
    """The notes of a music21 score, one track per part, in beats from the first bar line."""
    shift = _pickup(score)
    parts = list(score.parts) or [score]
    tracks = []
    for index, part in enumerate(parts, start=1):
        name = (part.partName or "").strip() or f"part {index}"
        tracks.append(Track(name, _part_notes(part, shift)))
    return ScoreNotes(tuple(t for t in tracks if t.notes), _time_signature(score), _tempo(score))


def _channel(index: int) -> int:
    """MIDI channels 0-15 in turn, never the drum channel (9)."""
    channels = [c for c in range(16) if c != 9]
    return channels[index % len(channels)]


def _midi_track(track: Track, channel: int, meta: Sequence[mido.MetaMessage]) -> mido.MidiTrack:
    out = mido.MidiTrack()
    out.append(mido.MetaMessage("track_name", name=track.name, time=0))
    out.extend(meta)
    out.append(mido.Message("program_change", channel=channel, program=0, time=0))
    now = 0
    for tick, _, msg in note_events(track.notes, channel):
        out.append(msg.copy(time=tick - now))
        now = tick
    out.append(mido.MetaMessage("end_of_track", time=0))
    return out


def write_score_midi(notes: ScoreNotes, path: Path) -> Path:
    """Write a type-1 MIDI file, one track per part, atomically (a temporary file, renamed).

    The first track carries the tempo and time signature, as in
    :func:`segue.midi_io.write_midi`; times are whole ticks at the same PPQ.
    """
    ts = notes.time_signature
    meta = [mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(notes.tempo), time=0),
            mido.MetaMessage("time_signature", numerator=ts.numerator,
                             denominator=ts.denominator, time=0)]
    mid = mido.MidiFile(type=1, ticks_per_beat=WRITE_PPQ)
    for index, track in enumerate(notes.tracks):
        mid.tracks.append(_midi_track(track, _channel(index), meta if index == 0 else ()))
    return write_file_atomically(path, mid.save)


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeoutError after ``seconds`` (POSIX main thread only; otherwise no limit)."""
    usable = (seconds and hasattr(signal, "SIGALRM")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else ""


def export_work(work: Work, out_path: Path, timeout: float | None = DEFAULT_TIMEOUT) -> WorkResult:
    """Convert one work to a MIDI file; every failure is returned, never raised.

    Goes from music21 notes to segue :class:`Note` objects and writes the file
    with mido, rather than through music21's own MIDI writer: that writer takes
    longer than the parse itself (about 0.17 s against 0.002 s for a chorale),
    and this way every note passes segue's own checks, pickups line up with bar
    lines and tied notes are single notes. One track per part; the first time
    signature and tempo; repeats are not expanded; grace notes and dynamics are
    left out (velocity 100).
    """
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            with _time_limit(timeout):
                notes = score_notes(parse_work(work))
            if not notes.tracks:
                return WorkResult(work, "failed", "no notes", "the score has no pitched notes")
            write_score_midi(notes, out_path)
    except KeyboardInterrupt:
        raise
    except TimeoutError as exc:
        return WorkResult(work, "failed", "timeout", _first_line(exc))
    except RecursionError as exc:
        return WorkResult(work, "failed", "RecursionError", _first_line(exc))
    except Exception as exc:  # music21 raises many kinds; each one is one failed work
        return WorkResult(work, "failed", type(exc).__name__, _first_line(exc))
    return WorkResult(work, "exported")


# --------------------------------------------------------------------------- export


def work_path(out_dir: Path, work: Work) -> Path:
    return Path(out_dir) / work.collection / f"{work.name}.mid"


def _job(args: Job) -> WorkResult:
    return export_work(*args)


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context() -> multiprocessing.context.BaseContext:
    # fork: `python -m segue` cannot be re-imported as a spawn/forkserver main module.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


@contextlib.contextmanager
def _results(jobs: list[Job], workers: int) -> Iterator[Iterator[WorkResult]]:
    """Results of the jobs as they finish: in this process, or in a pool of ``workers``."""
    if workers <= 1 or len(jobs) <= 1:
        yield map(_job, jobs)
        return
    pool = _context().Pool(min(workers, len(jobs)), initializer=_quiet_worker,
                           maxtasksperchild=TASKS_PER_WORKER)
    try:
        yield pool.imap_unordered(_job, jobs, chunksize=2)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    tty = sys.stderr.isatty()
    return tqdm(total=total, unit="work", desc="exporting", disable=not enabled,
                mininterval=0.2 if tty else 10.0, dynamic_ncols=True, smoothing=0.05)


def export_works(
    works: Sequence[Work],
    out_dir: str | os.PathLike[str],
    workers: int | None = None,
    force: bool = False,
    progress: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> ExportSummary:
    """Export the given works to ``out_dir/<collection>/<name>.mid``.

    A work whose file is already there is skipped (counted, not redone) unless
    ``force``; a work that fails is counted with its reason and the rest go on.
    """
    out = Path(out_dir)
    summary = ExportSummary(out)
    counts: dict[str, CollectionCounts] = {}
    jobs = []
    for work in works:
        tally = counts.setdefault(work.collection, CollectionCounts(work.collection))
        target = work_path(out, work)
        if target.exists() and not force:
            tally.skipped += 1
        else:
            jobs.append((work, target, timeout))
    summary.collections = list(counts.values())
    workers = max(1, workers or os.cpu_count() or 1)
    started = time.perf_counter()
    with _results(jobs, workers) as results, _progress_bar(len(jobs), progress) as bar:
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
    summary.failures.append(Failure(result.work.label, str(result.work.source),
                                    result.reason, result.detail))


def export_corpus(
    names: Sequence[str],
    out_dir: str | os.PathLike[str],
    limit: int | None = None,
    workers: int | None = None,
    force: bool = False,
    progress: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> ExportSummary:
    """Export the named collections (``"all"`` for every one) to MIDI files.

    ``limit`` exports only the first N works of each collection. Collections go
    in the order named. Returns the counts; failures do not stop the export.
    """
    if limit is not None and limit < 1:
        raise SegueError(f"--limit must be 1 or more, got {limit}")
    if workers is not None and workers < 1:
        raise SegueError(f"--workers must be 1 or more, got {workers}")
    collections = find_collections(names)
    _music21()  # fail early, with the install hint, before any work is queued
    works = [w for c in collections for w in collection_works(c, limit)]
    summary = export_works(works, out_dir, workers, force, progress, timeout)
    present = {c.name for c in summary.collections}
    summary.collections.extend(CollectionCounts(c.name) for c in collections
                               if c.name not in present)
    return summary
