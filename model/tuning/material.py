"""What a model is tuned on: the musician's pieces (MIDI files or Live clips) as grid rows.

Every piece is one clip (a Live clip, or all the non-drum tracks of a MIDI file merged,
as segue reads a file everywhere), read as generation reads a seed
(``segue.model.feel.as_read``: a played line as written, its note values rather than its
releases), so that the network learns what it is fed. Drums are kept apart: the notes of
a file on MIDI channel 10 (a file of drums only, or a song's drum track beside its other
tracks), or a clip from a track with a Drum Rack, are a drum piece. Drum pieces tune the
drum model, and only when every piece is one (:func:`learnable`); otherwise they are left
out (and said to be), so a melodic model never learns drum pads as pitches.

Identical pieces (the same loop in two scenes) count once. A share of the pieces is
held out (:func:`hold_out`): tuning stops when the model stops improving on them, and
the gain reported is theirs. Where the pieces come from :data:`MIN_SONGS` or more songs
(folders of track files), whole songs are held out, unless the musician says how
(:data:`HOLD_OUT_BY`: folders sorted by instrument are no songs). With fewer than :data:`MIN_PIECES`
pieces, each is cut into sections of :data:`SECTION_BARS` bars first, so one long file
still has some held out. Too little to learn from is one line (:class:`TooLittle`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np

from segue.dataset.prepare import find_midi_files
from segue.dataset.reading import ReadResult, ReadSettings, read_table
from segue.errors import SegueError
from segue.fast_midi import NoteTable
from segue.grid import ClipTooLong, clip_rows, length_ticks, to_beats, to_ticks
from segue.midi_io import reads_as_midi
from segue.model.feel import as_read
from segue.notes import VALID_DENOMINATORS, Clip, Note, TimeSignature

MIN_NOTES = 64
"""Fewer notes than this (after duplicates and left-out drums) is too little to learn from."""
MIN_PIECES = 4
"""With fewer pieces, each is cut into sections before some are held out."""
SECTION_BARS = 8
HELD_OUT_SHARE = 0.15
MIN_SONGS = 4
"""With pieces from this many songs or more, whole songs are held out (:func:`hold_out`)."""
HELD_OUT_NOTES = 6_000
"""At most this many held-out notes are read after each round of a tuning and by the work
after it (the clip memory's refit, the calibration, the home of the tuned model): that work
grows with the notes it reads, and a held-out file of 20,000 notes took a 3 s tuning 128 s
(refit 33 s, calibration 67 s) on a loaded 2-core computer. Above the held-out material
of bench_tune's rows, so that they read all of theirs as before: Essen 100 songs hold out
804 notes, Palestrina 60 pieces 3,913, the LMMS tracks of 10 songs 4,598 (largest track
1,182)."""
HELD_SECTION_BARS = 4 * SECTION_BARS
"""The held-out pieces are drawn from in sections of this many bars (:func:`bounded`): long
enough for the calibration's windows (8 bars and the 8 after them, every 8 bars)."""
HoldOutBy = Literal["auto", "songs", "clips"]
HOLD_OUT_BY: dict[HoldOutBy, str] = {
    "auto": f"whole songs when the files lie in {MIN_SONGS} or more folders, else clips",
    "songs": "whole songs, each folder a song's track files, as LMMS or a DAW's track export "
    "writes them (2 or more folders)",
    "clips": "clips from any folder (folders sorted by instrument or by date are no songs)",
}
"""How the held-out pieces are chosen, and what each way means (``segue tune --hold-out``)."""
ONLY_DRUMS = "only drum notes"
Clips = Sequence[tuple[str, Clip, bool]]
"""Clips to learn from: each one's name, the clip, and whether it plays drums."""


class TooLittle(SegueError):
    """Too little material to learn from (one line that says how much there is)."""


def _counted(count: int, one: str, many: str) -> str:
    """``count`` and its noun, ``one`` or ``many``: "1 clip", "2 clips", "0 notes"."""
    return f"{count} {one if count == 1 else many}"


@dataclass(frozen=True, eq=False)
class Piece:
    """One clip to learn from: its notes as grid rows (onset tick, pitch, ticks, velocity)
    from 0, its length in ticks and time signature, and whether it is drums."""

    name: str
    rows: np.ndarray
    length: int
    time_signature: TimeSignature = field(default_factory=TimeSignature)
    drums: bool = False
    song: str = ""
    """The folder its file lies in, as named (the track files of one song share it); empty
    for a clip and for a file named on its own."""
    played: Clip | None = None
    """The clip as it came (off the grid, played ends and all), which :attr:`rows` read as
    generation reads it for a model of :attr:`drums`'s kind (:func:`read_as`)."""

    @property
    def notes(self) -> int:
        return len(self.rows)

    @property
    def bar_ticks(self) -> int:
        return to_ticks(self.time_signature.beats_per_bar)

    def clip(self) -> Clip:
        notes = tuple(
            Note(int(p), to_beats(int(s)), to_beats(int(d)), int(v)) for s, p, d, v in self.rows
        )
        return Clip(notes, to_beats(max(self.length, 1)), self.time_signature)

    def key(self) -> bytes:
        """The same for pieces with the same notes, length and meter (duplicates)."""
        head = f"{self.length}:{self.time_signature}:{self.drums}".encode()
        return head + np.ascontiguousarray(self.rows, dtype=np.int64).tobytes()


def read_as(clip: Clip, drums: bool) -> np.ndarray:
    """``clip``'s grid rows as generation feeds them to a model of ``drums``'s kind
    (``segue.model.feel.as_read``)."""
    return clip_rows(as_read(clip, drums)).astype(np.int64)


def piece_of_clip(name: str, clip: Clip, drums: bool = False, song: str = "") -> Piece:
    """A clip (from Live, the bridge or a file) as a piece, read as generation reads it."""
    rows = read_as(clip, drums)
    return Piece(name, rows, to_ticks(clip.length), clip.time_signature, drums, song, clip)


def as_drums(piece: Piece) -> Piece:
    """``piece`` learnt as drum pads (a Drum Rack's clip on a melodic channel): read again as
    a drum model hears it."""
    rows = piece.rows if piece.played is None else read_as(piece.played, True)
    return replace(piece, rows=rows, drums=True)


@dataclass(frozen=True)
class Material:
    """Pieces read from the sources, and what could not be read (reason -> the files' names,
    as the pieces are named)."""

    pieces: tuple[Piece, ...]
    sources: tuple[str, ...] = ()
    skipped: dict[str, list[str]] = field(default_factory=dict)

    @property
    def notes(self) -> int:
        return sum(p.notes for p in self.pieces)


def _files(sources: Sequence[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """Every MIDI file named or under a named folder, with a stable name for each."""
    found: list[tuple[Path, str]] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            folder = path.name or str(path)
            found += [(Path(f.path), f"{folder}/{f.relative}") for f in find_midi_files([path])]
        elif not path.exists():
            raise SegueError(f"{path}: no such file or folder")
        elif not reads_as_midi(path):
            raise SegueError(f"{path}: not a MIDI file (.mid, .midi, .rmi); name files or folders")
        else:
            found.append((path, path.name))
    return found


def _clip(table: NoteTable) -> Clip:
    notes = (
        Note(int(p), float(s), float(d), int(v))
        for p, s, d, v in zip(table.pitch, table.start, table.duration, table.velocity, strict=True)
    )
    return Clip(notes, float(table.length), table.time_signature)


def _read(path: Path, drums: bool) -> Clip | ReadResult:
    """The file's notes (its drum notes, ``drums``) as a clip, or why it cannot be read."""
    table = read_table(str(path), ReadSettings(drums=drums))
    if isinstance(table, ReadResult):
        return table
    try:
        length_ticks(table.length)  # a length past the grid's int32 ticks
        return _clip(table)
    except ClipTooLong as exc:
        return ReadResult(reason="too long", message=str(exc))
    except SegueError as exc:  # a note no clip can hold
        return ReadResult(reason="damaged MIDI data", message=f"damaged MIDI data ({exc})")


def read_sources(sources: Sequence[str | os.PathLike[str]]) -> Material:
    """Every MIDI file named, or under a named folder, as a piece; a file's drum notes
    (channel 10) as a drum piece of their own (a file of drums only is one). Each is read
    as generation reads a seed (:func:`read_as`). Unreadable files are listed by reason,
    not fatal."""
    if not sources:
        raise SegueError("name at least one MIDI file or folder to learn from")
    pieces: list[Piece] = []
    skipped: dict[str, list[str]] = {}
    for path, name in _files(sources):
        song = name.rsplit("/", 1)[0] if "/" in name else ""
        read = _read(path, False)
        drums = isinstance(read, ReadResult) and read.reason == ONLY_DRUMS
        if drums:
            read = _read(path, True)
        if isinstance(read, ReadResult):
            skipped.setdefault(read.reason or "unreadable", []).append(name)
            continue
        pieces.append(piece_of_clip(name, read, drums, song))
        beat = None if drums else _read(path, True)  # a song's drum track beside its others
        if isinstance(beat, Clip):
            pieces.append(piece_of_clip(f"{name} (drums)", beat, True, song))
    return Material(tuple(pieces), tuple(str(s) for s in sources), skipped)


def clips_material(clips: Clips, source: str) -> Material:
    """Clips (name, clip, drums) as material, those without notes left out."""
    pieces = tuple(piece_of_clip(n, c, d) for n, c, d in clips if len(c))
    return Material(pieces, (source,))


@dataclass(frozen=True)
class Learnable:
    """The pieces a model is tuned on, and what was left out of the material."""

    pieces: tuple[Piece, ...]
    drums: bool  # the pieces are drums (the drum model is tuned)
    drums_left_out: int
    duplicates: int
    melodic_left_out: int = 0  # melodic clips beside drum clips, when a drum model is tuned
    pads: int = 0  # clips on a melodic channel learnt as drum pads (a drum model named)

    @property
    def notes(self) -> int:
        return sum(p.notes for p in self.pieces)

    def left_out(self) -> str:
        """What of the material is not learned from, or learnt as pads, as a clause ("" when
        all of it is learnt as it came)."""
        said = (
            (
                self.drums_left_out,
                ("drum clip", "drum clips"),
                "left out (a melodic model does not learn drums; tune on drum clips alone for "
                "the drum model)",
            ),
            (
                self.melodic_left_out,
                ("melodic clip", "melodic clips"),
                "left out (a drum model learns the drum clips, those on MIDI channel 10)",
            ),
            (
                self.pads,
                ("clip", "clips"),
                "on a melodic channel learnt as drum pads (a Drum Rack's clips export on "
                "channel 1), as a drum model was named",
            ),
            (self.duplicates, ("copy", "copies"), "of a clip counted once"),
        )
        parts = [f"{_counted(count, *nouns)} {what}" for count, nouns, what in said if count]
        return "; ".join(parts)


def learnable(material: Material, drums: bool | None = None) -> Learnable:
    """The pieces to learn from, each set of identical pieces once: for a model of
    ``drums``'s kind when it is given (a model named), else for segue's choice. Drums are
    learnt when every piece is drums, or when a drum model is named: its drum pieces, or,
    when there are none, every piece as drum pads (``generate --model drums`` plays a
    clip on channel 1 as pads alike). Otherwise the melodic pieces are."""
    pieces = material.pieces
    any_drums = any(p.drums for p in pieces)
    pads = 0
    if drums and not any_drums:
        pads = len(pieces)
        pieces = tuple(as_drums(p) for p in pieces)
    elif not drums:
        drums = bool(pieces) and all(p.drums for p in pieces)
    chosen = [p for p in pieces if p.drums == drums]
    seen: set[bytes] = set()
    unique = []
    for piece in chosen:
        key = piece.key()
        if key not in seen:
            seen.add(key)
            unique.append(piece)
    other = len(pieces) - len(chosen)
    return Learnable(
        tuple(unique),
        drums,
        0 if drums else other,
        len(chosen) - len(unique),
        other if drums else 0,
        pads,
    )


def sections(piece: Piece, bars: int = SECTION_BARS) -> list[Piece]:
    """The piece cut into sections of ``bars`` bars (notes cut at a section's end)."""
    span = bars * max(piece.bar_ticks, 1)
    if piece.length <= span:
        return [piece]
    out = []
    for i, start in enumerate(range(0, piece.length, span)):
        stop = min(start + span, piece.length)
        inside = piece.rows[(piece.rows[:, 0] >= start) & (piece.rows[:, 0] < stop)].copy()
        if not len(inside):
            continue
        inside[:, 0] -= start
        inside[:, 2] = np.minimum(inside[:, 2], stop - start - inside[:, 0])
        name = f"{piece.name} (bars {i * bars + 1}-{i * bars + bars})"
        out.append(replace(piece, name=name, rows=inside, length=stop - start))
    return out


def time_scaled(pieces: Sequence[Piece], max_bar_ticks: int) -> list[Piece]:
    """Each piece again at double and at half its note values, for the network to learn
    from as well: the same notes in other rhythms (a line of eighths as quarters and as
    sixteenths), so that a few pieces are learned by heart more slowly. The metre keeps
    its beats per bar at the new length (3/4 doubled is 6/4, halved 3/8). A piece is left
    out at double where its bar would pass ``max_bar_ticks`` (the model's bar positions),
    and at half where a time is an odd number of ticks or the metre would pass /32."""
    out = []
    for piece in pieces:
        ts = piece.time_signature
        if 2 * piece.bar_ticks <= max_bar_ticks:
            rows = piece.rows.copy()
            rows[:, [0, 2]] *= 2
            double = TimeSignature(2 * ts.numerator, ts.denominator)
            out.append(
                replace(
                    piece,
                    name=f"{piece.name} (double)",
                    rows=rows,
                    length=2 * piece.length,
                    time_signature=double,
                )
            )
        times = np.append(piece.rows[:, [0, 2]], piece.length)
        if not (times % 2).any() and 2 * ts.denominator <= VALID_DENOMINATORS[-1]:
            rows = piece.rows.copy()
            rows[:, [0, 2]] //= 2
            half = TimeSignature(ts.numerator, 2 * ts.denominator)
            out.append(
                replace(
                    piece,
                    name=f"{piece.name} (half)",
                    rows=rows,
                    length=piece.length // 2,
                    time_signature=half,
                )
            )
    return out


def bounded(pieces: Sequence[Piece], most: int = HELD_OUT_NOTES, rng_seed: int = 0) -> list[Piece]:
    """``pieces`` as they are when they have ``most`` notes or fewer; else sections of them
    (:data:`HELD_SECTION_BARS` bars) drawn a section of each piece in turn, in an order the
    seed draws, while they fit in ``most`` notes: so that a long file cannot crowd out the
    others, and the same pieces always give the same sections. A section longer than
    ``most`` notes on its own keeps its first ``most``."""
    if sum(p.notes for p in pieces) <= most:
        return list(pieces)
    rng = np.random.default_rng(rng_seed)
    parts = [sections(p, HELD_SECTION_BARS) for p in pieces]
    waiting = [[int(i) for i in rng.permutation(len(cut))] for cut in parts]
    taken: list[set[int]] = [set() for _ in parts]
    total = 0
    while any(waiting):
        for i, queue in enumerate(waiting):
            if not queue:
                continue
            j = queue.pop(0)
            if total + parts[i][j].notes <= most:
                taken[i].add(j)
                total += parts[i][j].notes
    if not total:  # every section has more than most notes: the smallest one cut short
        piece = min((s for cut in parts for s in cut), key=lambda s: s.notes)
        return [replace(piece, rows=piece.rows[:most])]
    return [parts[i][j] for i in range(len(parts)) for j in sorted(taken[i])]


def _order(piece: Piece) -> bytes:
    return hashlib.sha1(piece.name.encode("utf-8", "surrogateescape") + piece.key()).digest()


def _song_order(song: str) -> bytes:
    return hashlib.sha1(song.encode("utf-8", "surrogateescape")).digest()


def too_little(clips: int, notes: int) -> TooLittle:
    """The one line for ``clips`` clips of ``notes`` notes in all: too little to learn from."""
    return TooLittle(
        f"too little to learn from: {_counted(clips, 'clip', 'clips')} with "
        f"{_counted(notes, 'note', 'notes')}; "
        "segue needs at least "
        f"{MIN_NOTES} notes in 2 or more clips (a few hundred notes in 10 or more clips "
        "learn well)"
    )


class Split(NamedTuple):
    """Pieces to tune on and pieces held out; ``songs``: the songs held out whole, if any."""

    train: list[Piece]
    held: list[Piece]
    songs: tuple[str, ...] = ()


def hold_out(
    pieces: Sequence[Piece], share: float = HELD_OUT_SHARE, by: HoldOutBy = "auto"
) -> Split:
    """(to tune on, held out): a stable choice of about ``share`` of the pieces, at least
    one, chosen by a hash of each piece (the same material always holds out the same).
    Pieces from :data:`MIN_SONGS` or more songs (:attr:`Piece.song`) are held out a song
    at a time (about ``share`` of the songs, chosen by a hash of their names): a model tuned
    on many songs is for songs it has not heard, and other tracks of a song it is tuned on
    share that song's harmony, so they would reward learning the songs by heart (the LMMS
    tracks of bench_tune: held out a track at a time, the tuning's own held-out loss kept
    falling for its whole 120 s while the other songs' windows gained less the longer it
    tuned, ratio 0.715 after 30 s, 0.732 after 60 s, 0.744-0.751 after 120 s).
    ``by`` (:data:`HOLD_OUT_BY`) says otherwise: "songs" holds out whole songs from 2 of
    them, "clips" a piece at a time whatever the folders (a folder per instrument would
    else be held out whole, and never learnt from).
    Raises :class:`TooLittle` when there is too little to learn from, and a
    :class:`SegueError` for "songs" without 2 songs."""
    if by not in HOLD_OUT_BY:
        raise SegueError(f"hold out by {by!r}: must be one of {', '.join(HOLD_OUT_BY)}")
    units = list(pieces)
    if len(units) < MIN_PIECES and by != "songs":
        units = [s for p in units for s in sections(p)]
    notes = sum(p.notes for p in units)
    if notes < MIN_NOTES or len(units) < 2:
        raise too_little(len(pieces), notes)
    songs = sorted({p.song for p in units}, key=_song_order)
    if by == "songs" and (len(songs) < 2 or "" in songs):
        raise SegueError(
            "holding out whole songs needs the files in 2 or more folders, a folder of track "
            "files per song, and none named on its own; hold out clips instead"
        )
    if by == "songs" or (by == "auto" and len(songs) >= MIN_SONGS):
        apart = songs[: max(1, round(share * len(songs)))]
        if len(apart) == len(songs):
            apart = apart[:-1]
        held_songs = set(apart)
        return Split(
            [p for p in units if p.song not in held_songs],
            [p for p in units if p.song in held_songs],
            tuple(sorted(apart)),
        )
    ranked = sorted(units, key=_order)
    count = min(len(units) - 1, max(1, round(share * len(units))))
    held = ranked[:count]
    chosen = {id(p) for p in held}
    return Split([p for p in units if id(p) not in chosen], held)
