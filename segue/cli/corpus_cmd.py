"""`segue corpus`: list music21's bundled corpus and export it to MIDI files for training."""

from __future__ import annotations

from pathlib import Path

import click

from segue.corpus.export import CollectionCounts, ExportSummary, export_corpus
from segue.corpus.listing import Collection, list_collections
from segue.errors import SegueError
from segue.files import check_writable


@click.group("corpus")
def corpus_group() -> None:
    """Training material from the corpus that ships with music21 (no downloads).

    \b
    Examples:
      segue corpus list
      segue corpus export essenFolksong oneills1850 -o data/midi
    """


def _collection_rows(collections: list[Collection]) -> list[str]:
    width = max([len("collection"), *(len(c.name) for c in collections)])
    rows = [f"{'collection':<{width}}  {'files':>6}  {'works':>6}  licence"]
    for c in collections:
        rows.append(f"{c.name:<{width}}  {c.files:>6}  {c.works:>6}  {c.licence}")
    files = sum(c.files for c in collections)
    works = sum(c.works for c in collections)
    rows.append(f"{'total':<{width}}  {files:>6}  {works:>6}  {len(collections)} collections")
    return rows


@corpus_group.command("list")
def list_command() -> None:
    """Show each collection with its number of works and its licence note.

    A work is one score file, or one tune of an ABC file. Counting reads no
    score, so this is quick. The licence note comes from the collection's own
    licence file or from the files' headers; otherwise it points at
    music21/corpus/license.txt, which says the works are believed to be public
    domain and the encodings are used by permission, some for non-commercial
    use only.

    \b
    Examples:
      segue corpus list
    """
    for row in _collection_rows(list_collections()):
        click.echo(row)


def _summary_rows(summary: ExportSummary) -> list[str]:
    width = max([len("collection"), *(len(c.name) for c in summary.collections)])
    restricted = summary.restricted > 0
    header = f"{'collection':<{width}}  {'exported':>8}  {'already there':>13}  {'failed':>6}"
    rows = [header + ("  left out (terms)" if restricted else "")]
    lines: list[tuple[str, CollectionCounts | ExportSummary]] = [
        (c.name, c) for c in summary.collections
    ]
    if len(lines) > 1:
        lines.append(("total", summary))
    for name, counts in lines:
        row = f"{name:<{width}}  {counts.exported:>8}  {counts.skipped:>13}  {counts.failed:>6}"
        rows.append(row + (f"  {counts.restricted:>16}" if restricted else ""))
    return rows


def _failure_rows(summary: ExportSummary, verbose: bool) -> list[str]:
    if not summary.failures:
        return []
    reasons = ", ".join(f"{reason} {count}" for reason, count in summary.failed_by_reason.items())
    rows = [f"failed by reason: {reasons}"]
    if not verbose:
        rows.append("(--verbose lists the failed works)")
        return rows
    for f in sorted(summary.failures, key=lambda f: f.work):
        detail = f": {f.detail}" if f.detail else ""
        rows.append(f"  {f.work} ({f.source}): {f.reason}{detail}")
    return rows


@corpus_group.command("export")
@click.argument("collections", nargs=-1, required=True, metavar="COLLECTION...")
@click.option(
    "-o",
    "--out",
    "--output",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the MIDI files; each collection gets its own subfolder.",
)
@click.option(
    "--limit",
    type=int,
    default=None,
    metavar="N",
    help="Export only the first N works of each collection.",
)
@click.option(
    "--workers",
    type=int,
    default=None,
    metavar="N",
    help="Worker processes converting in parallel. Default: one per CPU core.",
)
@click.option(
    "--force", is_flag=True, help="Convert works already in DIR again and replace their files."
)
@click.option(
    "--free-only",
    is_flag=True,
    help="Leave out works whose terms restrict their use: rights reserved, non-commercial, the "
    "GPL or share-alike, a licensing agreement, a copyright without free terms (what may train "
    "weights you give away; `segue corpus list` shows each collection's terms).",
)
@click.option(
    "--parts",
    is_flag=True,
    help="Write one file per part, DIR/<collection>/<name>/<n>-<part>.mid (a chorale's four "
    "voices as four melodies, for a melody model), instead of one file per work.",
)
@click.option(
    "--part",
    metavar="NAME",
    default=None,
    help="Write only each work's first part whose name begins with NAME (any case), as "
    "DIR/<collection>/<name>.mid: `--part soprano` gives a chorale's tune; a work without "
    "such a part fails (--verbose lists its parts).",
)
@click.option("-v", "--verbose", is_flag=True, help="List every work that failed, and why.")
@click.option(
    "--progress/--no-progress",
    default=True,
    show_default=True,
    help="Show a progress bar (on stderr).",
)
def export_command(
    collections: tuple[str, ...],
    out_dir: Path,
    limit: int | None,
    workers: int | None,
    force: bool,
    free_only: bool,
    parts: bool,
    part: str | None,
    verbose: bool,
    progress: bool,
) -> None:
    """Convert collections of music21's corpus to MIDI files, one file per work.

    Files go to DIR/<collection>/<name>.mid, one track per part, with the first
    time signature and tempo of the score. Works whose file is already there
    are skipped, so an interrupted export picks up where it stopped; --force
    converts them again. With --parts each work is a folder of one file per
    part instead; with --part NAME its one part of that name. A work music21
    cannot convert is counted as failed and the export goes on. Name `all` for
    every collection (see `segue corpus list`).

    \b
    Examples:
      segue corpus export essenFolksong -o data/midi
      segue corpus export bach palestrina -o data/midi --limit 20
      segue corpus export all -o data/midi --workers 2 --verbose
      segue corpus export bach trecento -o data/midi --free-only   # for bundled weights
      segue corpus export bach -o data/voices --free-only --parts  # each voice a melody
      segue corpus export bach -o data/tunes --free-only --part soprano  # the chorale tunes
    """
    check_writable([out_dir / "collection" / "work.mid"])  # before converting anything
    summary = export_corpus(
        collections,
        out_dir,
        limit=limit,
        workers=workers,
        force=force,
        progress=progress,
        free_only=free_only,
        parts=parts,
        part=part,
    )
    click.echo(
        f"exported {summary.exported} works to {out_dir} in {summary.seconds:.1f} s "
        f"({summary.rate:.1f} works/s); {summary.skipped} already there, "
        f"{summary.failed} failed"
    )
    if free_only:
        click.echo(f"left out {summary.restricted} works whose terms restrict their use")
    for row in [*_summary_rows(summary), *_failure_rows(summary, verbose)]:
        click.echo(row)
    if summary.failed and not summary.exported and not summary.skipped:
        raise SegueError(f"no work could be exported to {out_dir} (see the reasons above)")


def register(group: click.Group) -> None:
    group.add_command(corpus_group)
