"""A dataset described for people: what `segue data info` and `segue data prepare` print."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from segue.dataset.splits import SPLITS
from segue.shown_names import shown_name


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def _track_text(track: Any, drums: bool = False) -> str:
    if track is None:
        return "all drum tracks merged" if drums else "all non-drum tracks merged"
    if track == "most":
        return "the track with the most notes"
    return f"track {shown_name(track)}" if isinstance(track, str) else f"track {track}"


def format_summary(meta: dict, path: Path | str | None = None) -> str:
    """The human-readable summary of a dataset's meta.json (what `segue data info` prints)."""
    settings = meta["settings"]
    counts = meta["counts"]
    tpb = meta["ticks_per_beat"]
    lines = []
    where = f"{path} " if path is not None else ""
    lines.append(f"dataset {where}({meta['format']} v{meta['version']}, {tpb} ticks per beat)")
    inputs = settings["inputs"]
    lines.append(
        f"made {meta.get('created', '?')} by segue {meta.get('segue_version', '?')} "
        f"from {len(inputs)} folder{'s' if len(inputs) != 1 else ''}: " + ", ".join(inputs)
    )
    alone = settings.get("drums_alone", False)
    drums = {
        (False, False): "drums left out",
        (True, True): "drum notes alone",
        (True, False): "drums among them (segue now reads a file's drums alone)",
    }[bool(settings["include_drums"]), alone]
    tracks = _track_text(settings["track"], alone)
    if settings["include_drums"] and not alone and settings["track"] is None:
        tracks = "all tracks merged"  # made before segue read a file's drums alone
    lines.append(
        f"settings: {tracks}, {drums}, "
        f"{_percent(settings['valid_fraction'])} valid, "
        f"{_percent(settings['test_fraction'])} test"
    )
    skipped = sum(meta["skipped"].values())
    lines.append(
        f"files: {counts['files']:,} found, {counts['pieces']:,} read, {skipped:,} skipped"
    )
    lines.append(f"  {'split':<6} {'pieces':>9} {'notes':>12} {'beats':>12}")
    for split in SPLITS:
        c = counts["splits"][split]
        lines.append(f"  {split:<6} {c['pieces']:>9,} {c['notes']:>12,} {c['ticks'] / tpb:>12,.0f}")
    lines.append(
        f"  {'total':<6} {counts['pieces']:>9,} {counts['notes']:>12,} "
        f"{counts['ticks'] / tpb:>12,.0f}"
    )
    if skipped:
        lines.append("skipped:")
        for reason, n in sorted(meta["skipped"].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {n:>7,}  {reason}")
    fallbacks = meta.get("mido_fallbacks", 0)
    if fallbacks:
        lines.append(f"{fallbacks:,} file(s) needed the slower mido reader")
    return "\n".join(lines)


@dataclass(frozen=True)
class PrepareSummary:
    """What ``prepare_dataset`` did: the dataset's meta and the time it took."""

    path: Path
    meta: dict
    seconds: float
    skipped_files: list[dict[str, str]] = field(default_factory=list)

    @property
    def files(self) -> int:
        return int(self.meta["counts"]["files"])

    @property
    def pieces(self) -> dict[str, int]:
        return {s: int(self.meta["counts"]["splits"][s]["pieces"]) for s in SPLITS}

    @property
    def notes(self) -> int:
        return int(self.meta["counts"]["notes"])

    @property
    def skipped(self) -> dict[str, int]:
        return dict(self.meta["skipped"])

    def text(self) -> str:
        rate = self.files / self.seconds if self.seconds > 0 else float("inf")
        return (
            format_summary(self.meta, self.path)
            + f"\ntook {self.seconds:.1f} s ({rate:,.0f} files/s)"
        )

    def __str__(self) -> str:
        return self.text()
